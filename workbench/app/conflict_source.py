"""Where the conflict queue gets its pairs: the matching engine, or the files.

`workbench.matching` proposes candidate pairs (two claims that may contradict,
duplicate or update each other).  Until it is installed (or when it fails), the
queue shows the relations already recorded in the claim files, each
`contradicts` / `same-fact` pair once, so the screen works either way.

Pairs a reviewer dismissed (recorded in either file, for that kind) are never
proposed again.  With the engine, pairs already related in the files are left
out too: a reviewer has already decided them.  Nothing here writes or imports
Textual, so the queue can be built in a worker thread.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Literal, cast

from workbench.models import CandidateKind, Claim, RelationKind
from workbench.project import Project

MATCHING_MODULE = "workbench.matching"

CandidateOrigin = Literal["matching", "recorded"]

QUEUE_RELATIONS: tuple[RelationKind, ...] = ("contradicts", "same-fact")
"""Recorded relation kinds the fallback queue shows."""

_KINDS: frozenset[str] = frozenset({"numeric", "stance", "date", "duplicate"})
_RELATIONS: frozenset[str] = frozenset({"contradicts", "supports", "same-fact", "updates"})


@dataclass(frozen=True, slots=True)
class ConflictCandidate:
    """A pair of claims for the reviewer to confirm or dismiss."""

    first: str
    second: str
    kind: CandidateKind
    score: float
    reason: str
    suggested_relation: RelationKind

    @property
    def pair(self) -> frozenset[str]:
        return frozenset((self.first, self.second))


@dataclass(frozen=True, slots=True)
class CandidateQueue:
    """The candidates, best first, and where they came from."""

    candidates: list[ConflictCandidate]
    origin: CandidateOrigin
    note: str = ""
    """Why the fallback was used when the engine exists but failed (for the status line)."""


def load_candidates(project: Project, *, topic: str | None = None) -> CandidateQueue:
    """The queue for `project`: from the matching engine if importable, else recorded."""
    try:
        matching = importlib.import_module(MATCHING_MODULE)
    except ImportError:
        return CandidateQueue(recorded_candidates(project, topic=topic), "recorded")
    try:
        raw = matching.find_candidates(project, topic=topic)
        found = [_from_engine(item) for item in raw]
    except Exception as error:  # a broken engine must not take the queue down with it
        note = f"matching engine failed ({type(error).__name__}: {error}); showing recorded"
        return CandidateQueue(recorded_candidates(project, topic=topic), "recorded", note)
    candidates = [
        candidate
        for candidate in found
        if candidate.first in project.claims
        and candidate.second in project.claims
        and candidate.first != candidate.second
        and not is_dismissed(project, candidate)
        and not is_related(project, candidate.first, candidate.second)
    ]
    return CandidateQueue(_best_first(_unique(candidates)), "matching")


def recorded_candidates(project: Project, *, topic: str | None = None) -> list[ConflictCandidate]:
    """Each recorded `contradicts` / `same-fact` pair once, not dismissed."""
    found: list[ConflictCandidate] = []
    project.materialise()
    for record in project.claims.values():
        claim = record.claim
        for relation in claim.relations:
            other = project.claims.get(relation.claim)
            if relation.kind not in QUEUE_RELATIONS or other is None:
                continue
            if topic is not None and topic not in (claim.topic, other.claim.topic):
                continue
            first, second = sorted((claim.id, relation.claim))
            kind = _kind_for(relation.kind, project.claim(first), project.claim(second))
            reason = relation.note or f"recorded as {relation.kind} in {claim.id}"
            found.append(
                ConflictCandidate(first, second, kind, 1.0, reason, relation.kind),
            )
    candidates = [c for c in _unique(found) if not is_dismissed(project, c)]
    return _best_first(candidates)


def is_dismissed(project: Project, candidate: ConflictCandidate) -> bool:
    """Whether either claim's file dismisses the other for this kind of candidate."""
    for claim_id, other_id in (
        (candidate.first, candidate.second),
        (candidate.second, candidate.first),
    ):
        record = project.claims.get(claim_id)
        if record is None:
            continue
        if any(d.claim == other_id and d.kind == candidate.kind for d in record.claim.dismissed):
            return True
    return False


def is_related(project: Project, first: str, second: str) -> bool:
    """Whether either file records any relation to the other."""
    for claim_id, other_id in ((first, second), (second, first)):
        record = project.claims.get(claim_id)
        if record is not None and any(r.claim == other_id for r in record.claim.relations):
            return True
    return False


def _kind_for(relation: str, first: Claim, second: Claim) -> CandidateKind:
    if relation == "same-fact":
        return "duplicate"
    if first.quantity is not None and second.quantity is not None:
        return "numeric"
    return "stance"


def _from_engine(item: Any) -> ConflictCandidate:
    """Read a `workbench.matching.Candidate` by attribute, checking what it holds."""
    kind = str(item.kind)
    relation = str(item.suggested_relation)
    if kind not in _KINDS:
        raise ValueError(f"unknown candidate kind {kind!r}")
    if relation not in _RELATIONS:
        raise ValueError(f"unknown relation {relation!r}")
    return ConflictCandidate(
        first=str(item.first),
        second=str(item.second),
        kind=cast(CandidateKind, kind),
        score=float(item.score),
        reason=str(item.reason),
        suggested_relation=cast(RelationKind, relation),
    )


def _unique(candidates: Iterable[ConflictCandidate]) -> list[ConflictCandidate]:
    """The first candidate of each (pair, kind): an engine or both files may repeat one."""
    seen: set[tuple[frozenset[str], str]] = set()
    unique: list[ConflictCandidate] = []
    for candidate in candidates:
        key = (candidate.pair, candidate.kind)
        if key not in seen:
            seen.add(key)
            unique.append(candidate)
    return unique


def _best_first(candidates: list[ConflictCandidate]) -> list[ConflictCandidate]:
    return sorted(candidates, key=lambda c: (-c.score, c.first, c.second, c.kind))
