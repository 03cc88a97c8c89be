"""Where the conflict queue gets its pairs: the matching engine, or the files.

`workbench.matching` proposes candidate pairs (two claims that may contradict,
duplicate or update each other).  Until it is installed (or when it fails), the
queue shows the relations already recorded in the claim files, each
`contradicts` / `same-fact` pair once, so the screen works either way.

With the `[semantic]` extra the engine also gets the semantic proposer's pairs
(`workbench.matching.semantic`); without it, the queue is lexical and its
`notices` say so once.  A candidate is only a suggestion: the queue's confirm
form asks the reviewer for the kind and a note before anything is written.

Pairs a reviewer dismissed (recorded in either file, for that kind) are never
proposed again.  With the engine, pairs already related in the files are left
out too: a reviewer has already decided them.  Nothing here writes or imports
Textual, so the queue can be built in a worker thread.
"""

from __future__ import annotations

import importlib
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any, Literal, cast

from workbench.matching.filters import PairFilter
from workbench.models import CandidateKind, Claim, RelationKind
from workbench.project import Project

if TYPE_CHECKING:
    from workbench.matching.alongside import SemanticSearch

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
    sources: tuple[str, str] = ("", "")
    """The source ids of `first` and `second` (for the queue's filters)."""
    topics: tuple[str, str] = ("", "")

    @property
    def pair(self) -> frozenset[str]:
        return frozenset((self.first, self.second))

    @property
    def source_pair(self) -> tuple[str, str]:
        """The two source ids in order: the queue's "source pair" filter cycles these."""
        first, second = self.sources
        return (first, second) if first <= second else (second, first)


@dataclass(frozen=True, slots=True)
class CandidateQueue:
    """The candidates, best first, and where they came from."""

    candidates: list[ConflictCandidate]
    origin: CandidateOrigin
    note: str = ""
    """Why the fallback was used when the engine exists but failed (for the status line)."""
    notices: tuple[str, ...] = ()
    """One-line notices for the reviewer, each shown once (the semantic extra is missing,
    a vector store was set aside)."""
    semantic: bool = False
    """Whether the semantic proposer's pairs went into the queue."""


def load_candidates(
    project: Project, *, topic: str | None = None, semantic: bool = True
) -> CandidateQueue:
    """The queue for `project`: from the matching engine if importable, else recorded.

    `semantic` adds the semantic proposer's pairs when the extra is installed.
    """
    try:
        matching = importlib.import_module(MATCHING_MODULE)
    except ImportError:
        return _with_places(
            project, CandidateQueue(recorded_candidates(project, topic=topic), "recorded")
        )
    search: SemanticSearch | None = None
    if semantic:
        from workbench.matching.alongside import SemanticSearch

        # A large project's search runs in a second process while the engine reads the
        # frames and compares the blocking's pairs (as in `workbench conflicts`).
        search = SemanticSearch(project, progress=False, alongside=True)
    try:
        raw = matching.find_candidates(project, topic=topic, similarities=search)
        found = [_from_engine(item) for item in raw]
    except Exception as error:  # a broken engine must not take the queue down with it
        note = f"matching engine failed ({type(error).__name__}: {error}); showing recorded"
        notices = tuple(search.result().notices) if search is not None else ()
        queue = CandidateQueue(recorded_candidates(project, topic=topic), "recorded", note, notices)
        return _with_places(project, queue)
    found_semantic = search.result() if search is not None else None
    candidates = [
        candidate
        for candidate in found
        if candidate.first in project.claims
        and candidate.second in project.claims
        and candidate.first != candidate.second
        and not is_dismissed(project, candidate)
        and not is_related(project, candidate.first, candidate.second)
    ]
    queue = CandidateQueue(
        _best_first(_unique(candidates)),
        "matching",
        notices=tuple(found_semantic.notices) if found_semantic is not None else (),
        semantic=found_semantic is not None and found_semantic.available,
    )
    return _with_places(project, queue)


def _with_places(project: Project, queue: CandidateQueue) -> CandidateQueue:
    """The queue with each candidate's sources and topics filled in, from the summaries."""
    claims = project.claims
    placed: list[ConflictCandidate] = []
    for candidate in queue.candidates:
        first, second = claims[candidate.first].summary, claims[candidate.second].summary
        placed.append(
            replace(
                candidate,
                sources=(first.source_id, second.source_id),
                topics=(first.topic, second.topic),
            )
        )
    return replace(queue, candidates=placed)


def filter_candidates(
    candidates: Iterable[ConflictCandidate], wanted: PairFilter
) -> list[ConflictCandidate]:
    """The candidates that pass `wanted`, in their order."""
    if not wanted.active:
        return list(candidates)
    accepts = wanted.accepts
    return [
        candidate
        for candidate in candidates
        if accepts(
            candidate.kind,
            (candidate.sources[0], candidate.topics[0]),
            (candidate.sources[1], candidate.topics[1]),
        )
    ]


def source_pairs(candidates: Iterable[ConflictCandidate]) -> list[tuple[str, str]]:
    """The source pairs among the candidates, most candidates first (the filter's cycle)."""
    counts = Counter(candidate.source_pair for candidate in candidates)
    return sorted(counts, key=lambda pair: (-counts[pair], pair))


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
