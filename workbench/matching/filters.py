"""Which candidate pairs a reviewer asked to see: kind, topic, source pair, across sources.

One filter for `workbench conflicts` and the app's conflict queue, so both read
`--source A --source B` (or the queue's source-pair key) the same way.  Checking a
filter against the project turns a typo into a one-line error with a did-you-mean,
rather than an empty list that looks like "no conflicts".  Nothing here imports
Textual.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import get_args

from workbench.models import CandidateKind
from workbench.project import Project
from workbench.validation import suggest

__all__ = ["FilterError", "PairFilter", "check_filter"]


KINDS: tuple[str, ...] = get_args(CandidateKind)
"""The candidate kinds (the models' registry)."""


class FilterError(ValueError):
    """A filter value the project does not know; the message is one line with a hint."""


@dataclass(frozen=True, slots=True)
class PairFilter:
    """What a pair must be to be shown.  The default shows everything."""

    kinds: frozenset[str] | None = None
    """Candidate kinds to keep (None: all)."""
    topic: str | None = None
    """Keep pairs where either claim is on this topic."""
    sources: tuple[str, ...] = ()
    """No source: any pair; one: pairs with a claim from it; two: one claim from each
    (the same source twice: pairs within that source)."""
    across: bool = False
    """Keep only pairs whose claims come from two different sources."""

    @property
    def active(self) -> bool:
        return bool(self.kinds is not None or self.topic or self.sources or self.across)

    def accepts(
        self,
        kind: str,
        first: tuple[str, str],
        second: tuple[str, str],
    ) -> bool:
        """Whether a pair passes; `first` and `second` are each claim's (source id, topic)."""
        if self.kinds is not None and kind not in self.kinds:
            return False
        (first_source, first_topic), (second_source, second_topic) = first, second
        if self.topic is not None and self.topic not in (first_topic, second_topic):
            return False
        if self.across and first_source == second_source:
            return False
        if len(self.sources) == 1:
            return self.sources[0] in (first_source, second_source)
        if len(self.sources) == 2:
            wanted = sorted(self.sources)
            return sorted((first_source, second_source)) == wanted
        return True

    def describe(self) -> str:
        """`kind numeric · topic chips · chosun-2024 vs ge-2025 · across sources`."""
        parts: list[str] = []
        if self.kinds is not None:
            parts.append("kind " + ", ".join(sorted(self.kinds)))
        if self.topic:
            parts.append(f"topic {self.topic}")
        if len(self.sources) == 1:
            parts.append(f"source {self.sources[0]}")
        elif len(self.sources) == 2:
            parts.append(f"{self.sources[0]} vs {self.sources[1]}")
        if self.across:
            parts.append("across sources")
        return " · ".join(parts)


def _known(value: str, choices: Sequence[str], what: str) -> str:
    if value in choices:
        return value
    hint = suggest(value, list(choices))
    message = f"unknown {what} `{value}`"
    if hint:
        message += f"; did you mean `{hint}`?"
    else:
        message += f" (known: {', '.join(choices[:12])}{', …' if len(choices) > 12 else ''})"
    raise FilterError(message)


def check_filter(
    project: Project,
    *,
    kinds: Collection[str] | None = None,
    topic: str | None = None,
    sources: Sequence[str] = (),
    source_pair: str | None = None,
    across: bool = False,
) -> PairFilter:
    """A filter of known values, or a FilterError saying which value and what to use.

    `source_pair` is `A,B` (the same as `sources=[A, B]`).  More than two sources
    in all is an error: a pair has two claims.
    """
    chosen_kinds = (
        frozenset(_known(kind, list(KINDS), "candidate kind") for kind in kinds) if kinds else None
    )
    topics = sorted(project.settings.topics)
    chosen_topic = _known(topic, topics, "topic") if topic is not None else None
    wanted = list(sources)
    if source_pair is not None:
        parts = [part.strip() for part in source_pair.split(",")]
        if len(parts) != 2 or not all(parts):
            raise FilterError(
                f"a source pair is two source ids joined by a comma, not `{source_pair}`"
            )
        wanted.extend(parts)
    if len(wanted) > 2:
        raise FilterError(
            f"a pair has two sources, but {len(wanted)} were given: {', '.join(wanted)}"
        )
    source_ids = sorted(project.sources)
    chosen_sources = tuple(_known(source, source_ids, "source") for source in wanted)
    return PairFilter(chosen_kinds, chosen_topic, chosen_sources, across)
