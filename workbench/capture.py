"""Capturing a claim from an article: the logic behind the app's article view.

The article is cut into sentences (`sentence_spans`); the reviewer selects a run
of whole sentences, so a selection is always a passage of the article: a quote
that is not in the article cannot be made.  `capture_proposal` turns the
selection and the statement the reviewer typed into the claim `workbench add`
would write (`workbench.adding.build_claim`: the quote with a prefix or suffix
when it occurs more than once, the occurrence being the one selected; a quantity
with its period; an id), together with the claims that already say the same or
nearly the same, which the reviewer must see before writing a duplicate.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from workbench.adding import Proposal, build_claim, propose_id, propose_quantity
from workbench.anchoring import find_all, fold_plain
from workbench.models import Quantity
from workbench.project import Project

_SENTENCE_END = re.compile(r"(?<=[.!?。？！…])[\"'”’)\]]*\s+")
"""Where a sentence ends inside a line: after . ! ? (and closing quotes) and a space."""


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """The article's sentences as (start, end) spans of `text`, without surrounding
    whitespace; a line break always ends a sentence (headlines, bylines)."""
    spans: list[tuple[int, int]] = []
    line_start = 0
    for line in text.splitlines(keepends=True):
        body_end = line_start + len(line.rstrip("\r\n"))
        cut = line_start
        for match in _SENTENCE_END.finditer(text, line_start, body_end):
            _add_span(text, cut, match.start(), spans)
            cut = match.end()
        _add_span(text, cut, body_end, spans)
        line_start += len(line)
    return spans


def _add_span(text: str, start: int, end: int, spans: list[tuple[int, int]]) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if start < end:
        spans.append((start, end))


def paragraph_starts(text: str, spans: list[tuple[int, int]]) -> set[int]:
    """Indexes of the sentences that begin a paragraph (after a blank line or at the top)."""
    starts = {0} if spans else set()
    for index in range(1, len(spans)):
        between = text[spans[index - 1][1] : spans[index][0]]
        if between.count("\n") >= 2:
            starts.add(index)
    return starts


def sentence_at(spans: list[tuple[int, int]], position: int) -> int:
    """The index of the sentence holding `position` (or the one after it; 0 if none)."""
    if not spans:
        return 0
    index = bisect.bisect_right([start for start, _end in spans], position) - 1
    return max(0, min(index, len(spans) - 1))


@dataclass(frozen=True, slots=True)
class Selection:
    """A run of whole sentences: the quote, and which occurrence of it this is."""

    start: int
    end: int
    quote: str
    occurrence: int
    occurrences: int


def select(
    project: Project, source_id: str, spans: list[tuple[int, int]], first: int, last: int
) -> Selection:
    """The passage from sentence `first` to sentence `last` (either order) of the source."""
    low, high = sorted((first, last))
    start, end = spans[low][0], spans[high][1]
    text = project.sources[source_id].text
    quote = fold_plain(text[start:end])
    folded = project.folded_source(source_id)
    occurrence, occurrences = 1, 1
    if folded is not None:
        starts = find_all(folded.text, quote)
        occurrences = max(1, len(starts))
        folded_start = bisect.bisect_left(folded.offsets, start)
        if folded_start in starts:
            occurrence = starts.index(folded_start) + 1
    return Selection(start, end, quote, occurrence, occurrences)


@dataclass(frozen=True, slots=True)
class Preview:
    """What the capture form shows while the reviewer types the statement."""

    claim_id: str
    quantity: Quantity | None


def capture_preview(
    project: Project, source_id: str, selection: Selection, statement: str
) -> Preview:
    """The id and quantity that the statement typed so far would give."""
    source = project.sources[source_id].source
    claim_id = propose_id(project, source_id, statement) if statement.strip() else ""
    found = propose_quantity(selection.quote, statement, None, source.published)
    return Preview(claim_id, found[0] if found is not None else None)


def capture_proposal(
    project: Project,
    source_id: str,
    selection: Selection,
    *,
    statement: str,
    topic: str,
    stance: str,
    claim_id: str | None = None,
) -> Proposal:
    """The claim to write, with near-same claims in `Proposal.duplicates` (the caller
    shows them and asks before writing a duplicate).  Raises `AddError` for what the
    reviewer must correct (an empty statement, a taken id)."""
    return build_claim(
        project,
        source_id=source_id,
        quote=selection.quote,
        statement=statement,
        topic=topic,
        stance=stance,
        claim_id=claim_id or None,
        occurrence=selection.occurrence if selection.occurrences > 1 else None,
        allow_duplicate=True,
    )
