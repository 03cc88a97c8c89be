"""The matching engine: which pairs of claims a reviewer should look at together.

`find_candidates(project)` proposes pairs of claims that may contradict,
corroborate or update each other, each with a kind, a score in 0..1 and one
sentence saying why.  The review app's conflict queue and `workbench conflicts`
call it; nothing here writes a claim file (the load index, a cache, keeps frames).

Claims are read as plain facts (`workbench.matching.facts`): a warm project's
summaries and the load index's JSON, never 100,000 models.  Each is read into a
frame (`workbench.matching.frames`: entities through
the project's lexicon, content words, quantity, dates, polarity), which the load
index keeps for the next run by the file's digest (`workbench.matching.stored`),
and pairs are compared frame to frame (`workbench.matching.scoring`).  The engine holds no
word of any corpus: names, sides, stances that oppose and dated events come
from the project's lexicon (`lexicon.toml`), so a project about elections or
air quality gets its own contradictions.

Which pairs are compared (`workbench.matching.blocking`): every pair while they fit
in `MatchSettings.pair_budget` (any project of a few hundred claims); beyond that,
claims are indexed under their entities, quantity subject and rarest words
(blocking), small blocks are compared all against all, and crowded ones pair each
claim with its neighbours in text order.  Each claim then keeps its `per_claim` best
partners, so the findings per claim do not fall (or explode) as the corpus grows.

An optional semantic proposer (`similarities`: cosine similarity per pair of
claim ids) adds the pairs it names and raises their relatedness by their
closeness (`MatchSettings.semantic`: how much, and whether the closeness is the
cosine or the pair's place in each claim's own neighbour list); frames and
rules still decide the kind.  It adds no pair within one source whose figures and
dates cannot disagree (`MatchSettings.semantic_within_source`): such a pair could
only be a duplicate or a stance within one article, at most 0.375.

Pairs already related in either claim's file, and pairs dismissed in either
file (whatever the dismissed kind), are never proposed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass, fields
from operator import itemgetter
from typing import Any, Literal, Protocol, cast, get_args

from workbench.matching.blocking import pairs_to_compare
from workbench.matching.facts import ClaimFacts, collector_paused, facts_of
from workbench.matching.frames import Frame, FrameReader, Period
from workbench.matching.scoring import (
    DEFAULT_RELATEDNESS,
    DEFAULT_SEMANTIC,
    Comparer,
    RelatednessWeights,
    Scored,
    SemanticWeights,
    semantic_closeness,
)
from workbench.matching.stored import Prepared, project_frames, read_frames
from workbench.models import CandidateKind, Claim, Lexicon
from workbench.project import Project

__all__ = [
    "DEFAULT_SETTINGS",
    "KINDS",
    "Candidate",
    "MatchSettings",
    "Steps",
    "find_candidates",
    "iter_match_facts",
    "iter_match_frames",
    "match_claims",
    "match_facts",
]

KINDS: tuple[CandidateKind, ...] = cast(tuple[CandidateKind, ...], get_args(CandidateKind))
"""Candidate kinds: numeric, stance, date, duplicate."""

Similarities = Mapping[tuple[str, str], float]
"""Cosine similarity of claim pairs, keyed by (smaller id, larger id)."""


class Pending(Protocol):
    """A search under way: called, it waits for its pairs (None: none after all);
    `done` says, without waiting, whether they are found."""

    def __call__(self) -> Similarities | None: ...

    def done(self) -> bool: ...


Proposed = Similarities | Callable[[], Similarities | None] | Pending
"""The semantic proposer's pairs, or a call that waits for them (None: none after all):
the engine compares the blocking's pairs first, while a search started before it
(`workbench.matching.alongside.SemanticSearch`) runs alongside.  A `Pending` search is
asked between batches of them whether it is done: from then on, a pair it names is
left for its turn (compared once, with its closeness, instead of twice)."""


class Steps(Protocol):
    """Where the engine says what it is doing (`workbench.terminal.Progress`, a line on
    the terminal): `phase` names a step, a call says how much of it is done."""

    def phase(self, label: str) -> None: ...

    def __call__(self, done: int, total: int) -> None: ...


_BATCH = 16_384
"""The blocking's pairs compared between two questions to a `Pending` search (about
0.1 s of comparing)."""

_Found = tuple[float, str, str, str, Frame, Frame, str, str | Callable[[], str]]
"""A pair that makes a candidate: minus its score, first id, second id, kind (the sort
key), then its frames, relation and reason (`Scored`'s, without the object: 300,000 of
these live until the end); only the kept ones become `Candidate`s."""


@dataclass(frozen=True, slots=True)
class Candidate:
    """A pair of claims for a reviewer to relate or dismiss."""

    first: str
    """Claim id: the newer claim for `updates`, otherwise the smaller id."""
    second: str
    kind: Literal["numeric", "stance", "date", "duplicate"]
    score: float
    """0..1: higher means more likely worth a reviewer's time."""
    reason: str
    """One sentence a reviewer can read."""
    suggested_relation: Literal["contradicts", "supports", "same-fact", "updates"]
    same_source: bool = False
    """Both claims come from one article."""


_new_candidate = object.__new__
_set_first, _set_second, _set_kind, _set_score, _set_reason, _set_relation, _set_same_source = (
    Candidate.__dict__[field.name].__set__ for field in fields(Candidate)
)
"""Each field's slot, set directly (`_candidate`): the frozen dataclass's own `__init__`
sets them through `object.__setattr__` and took 2.2 us a candidate, against 1.1 us, 0.3 s
of a run of `workbench conflicts` at 100,000 claims (300,000 candidates)."""


@dataclass(frozen=True, slots=True)
class MatchSettings:
    """The engine's thresholds; `find_candidates` uses `DEFAULT_SETTINGS`."""

    min_score: float = 0.3
    """Candidates scoring below this are not proposed."""
    per_claim: int = 12
    """Each claim keeps its best `per_claim` partners (a pair stays if either keeps it)."""
    pair_budget: int = 200_000
    """Every pair is compared while there are at most this many..."""
    block_size: int = 40
    """...beyond that, a key held by at most this many claims pairs all of them..."""
    window: int = 2
    """...and a more crowded key pairs each claim with the next `window` in two orders..."""
    stop_share: float = 0.02
    """...while a key held by more than this share of the claims is not used at all."""
    keys_per_claim: int = 5
    """The rarest words a claim is indexed under (besides its entities and subject)."""
    tolerance: float = 0.05
    """Relative difference within which two values agree."""
    approximate_tolerance: float = 0.2
    """The same when either value is marked approximate."""
    relatedness: RelatednessWeights = DEFAULT_RELATEDNESS
    """How relatedness is made (`workbench.matching.scoring`)."""
    semantic: SemanticWeights = DEFAULT_SEMANTIC
    """How the semantic proposer's similarities enter relatedness (unused without them)."""
    semantic_within_source: bool = False
    """Let the semantic proposer add pairs within one source whose figures and dates cannot
    disagree (no differing quantities, figures or dates of events).  Off: such a
    pair could only be a duplicate or a stance within one article, scored at most
    `SAME_SOURCE_FACTOR / MAXIMUM_WORTH` (0.375; a pair within one article counts
    only when its figures or dates disagree), and the blocking already compares the
    article's claims that share words.  At 100,000 claims of `bench.bench_semantic`
    (clones, whose nearest claims are clones in their own article) they were all but
    17 of the proposer's 840,000 pairs; its row with them shows what they cost."""
    pause_collector: bool = True
    """Pause Python's cyclic garbage collector during a run: a run allocates a frame per
    claim and frees little until it returns, so the collector would walk the growing heap
    again and again (`bench.bench_matching` has the row that keeps this)."""


DEFAULT_SETTINGS = MatchSettings()


def find_candidates(
    project: Project,
    *,
    kinds: Collection[str] | None = None,
    topic: str | None = None,
    limit: int | None = None,
    similarities: Proposed | None = None,
) -> list[Candidate]:
    """Ranked candidates among the project's claims (the conflict queue, `workbench conflicts`).

    `kinds` keeps only those kinds (default: all four); `topic` keeps pairs where
    either claim is on that topic; `limit` keeps the best `limit`;
    `similarities` (from the optional semantic proposer) proposes and raises the
    pairs it names.  Pairs related or dismissed in either claim's file are left
    out.  Best first; ties are broken by claim ids, so the order is the same on
    every run.
    """
    return list(
        iter_match_frames(
            project_frames(project),
            kinds=kinds,
            topic=topic,
            limit=limit,
            similarities=similarities,
        )
    )


def match_claims(
    claims: Sequence[Claim],
    published: Mapping[str, dt.date] | None = None,
    *,
    views: Mapping[str, str] | None = None,
    lexicon: Lexicon | None = None,
    kinds: Collection[str] | None = None,
    topic: str | None = None,
    limit: int | None = None,
    respect_recorded: bool = True,
    exhaustive: bool = False,
    similarities: Proposed | None = None,
    settings: MatchSettings = DEFAULT_SETTINGS,
) -> list[Candidate]:
    """`find_candidates` for a list of claims, with the knobs benchmarks and tests need.

    `published` and `views` map source ids to publication dates and views;
    `lexicon` is the project's (empty: numeric, date and duplicate candidates
    only).  `respect_recorded=False` proposes pairs that are already related too
    (the quality benchmark measures recall that way); `exhaustive=True`
    compares every pair whatever the budget (quadratic: for tests and samples).
    """
    return match_facts(
        [facts_of(claim) for claim in claims],
        published,
        views=views,
        lexicon=lexicon,
        kinds=kinds,
        topic=topic,
        limit=limit,
        respect_recorded=respect_recorded,
        exhaustive=exhaustive,
        similarities=similarities,
        settings=settings,
    )


def match_facts(
    claims: Sequence[ClaimFacts],
    published: Mapping[str, dt.date] | None = None,
    *,
    views: Mapping[str, str] | None = None,
    lexicon: Lexicon | None = None,
    kinds: Collection[str] | None = None,
    topic: str | None = None,
    limit: int | None = None,
    respect_recorded: bool = True,
    exhaustive: bool = False,
    similarities: Proposed | None = None,
    settings: MatchSettings = DEFAULT_SETTINGS,
) -> list[Candidate]:
    """`match_claims` for claims read as plain data (`workbench.matching.facts`), as
    `find_candidates` reads a project without building its models."""
    return list(
        iter_match_facts(
            claims,
            published,
            views=views,
            lexicon=lexicon,
            kinds=kinds,
            topic=topic,
            limit=limit,
            respect_recorded=respect_recorded,
            exhaustive=exhaustive,
            similarities=similarities,
            settings=settings,
        )
    )


def iter_match_facts(
    claims: Sequence[ClaimFacts],
    published: Mapping[str, dt.date] | None = None,
    *,
    views: Mapping[str, str] | None = None,
    lexicon: Lexicon | None = None,
    kinds: Collection[str] | None = None,
    topic: str | None = None,
    limit: int | None = None,
    respect_recorded: bool = True,
    exhaustive: bool = False,
    similarities: Proposed | None = None,
    settings: MatchSettings = DEFAULT_SETTINGS,
) -> Iterator[Candidate]:
    """`match_facts`, its candidates made one at a time as they are taken (best first):
    every pair is scored before the first comes, but `workbench conflicts` writes each
    as it comes rather than holding 300,000 of them with their reasons."""
    wanted = _check_kinds(kinds)
    if limit is not None and limit < 1:
        raise ValueError(f"limit must be at least 1, not {limit}")
    prepared = read_frames(
        claims, published or {}, views or {}, lexicon or Lexicon(), pause=settings.pause_collector
    )
    return iter_match_frames(
        prepared,
        kinds=wanted,
        topic=topic,
        limit=limit,
        respect_recorded=respect_recorded,
        exhaustive=exhaustive,
        similarities=similarities,
        settings=settings,
    )


def iter_match_frames(
    prepared: Prepared,
    *,
    kinds: Collection[str] | None = None,
    topic: str | None = None,
    limit: int | None = None,
    respect_recorded: bool = True,
    exhaustive: bool = False,
    similarities: Proposed | None = None,
    settings: MatchSettings = DEFAULT_SETTINGS,
    progress: Steps | None = None,
) -> Iterator[Candidate]:
    """`iter_match_facts` for frames already read (`workbench.matching.stored`:
    `project_frames` reads a project's from the load index where it can); `progress`
    is told each step and how far it is (`Steps`) until the pairs are ranked."""
    wanted = _check_kinds(kinds)
    if limit is not None and limit < 1:
        raise ValueError(f"limit must be at least 1, not {limit}")
    with collector_paused(settings.pause_collector):
        chosen = _match(
            prepared,
            wanted,
            topic,
            respect_recorded=respect_recorded,
            exhaustive=exhaustive,
            similarities=similarities,
            settings=settings,
            limit=limit,
            progress=progress,
        )
    return _candidates(chosen, settings.pause_collector)


def _candidates(chosen: list[_Found | None], pause: bool) -> Iterator[Candidate]:
    """The chosen pairs as candidates: only those taken get their reason written (most
    of the cost of one), and each pair is let go once its candidate exists."""
    with collector_paused(pause):
        for position, item in enumerate(chosen):
            assert item is not None
            chosen[position] = None
            yield _candidate(*item)


def _match(
    prepared: Prepared,
    wanted: frozenset[str],
    topic: str | None,
    *,
    respect_recorded: bool,
    exhaustive: bool,
    similarities: Proposed | None,
    settings: MatchSettings,
    limit: int | None,
    progress: Steps | None = None,
) -> list[_Found | None]:
    """The pairs to propose, best first, as `_candidate` takes them."""
    frames = prepared.frames
    if progress is not None:
        progress.phase(f"pairing {len(frames):,} claims")
    comparer = Comparer(
        frames,
        prepared.reader,
        tolerance=settings.tolerance,
        approximate_tolerance=settings.approximate_tolerance,
        relatedness=settings.relatedness,
        semantic=settings.semantic,
    )
    excluded = prepared.recorded if respect_recorded else set()
    lexical = pairs_to_compare(frames, comparer, settings, exhaustive=exhaustive)
    for frame in frames:
        frame.text_key = ""  # only for pairing: a string per claim let go
    found: list[_Found] = []
    compare = _Comparing(frames, comparer, wanted, topic, excluded, settings.min_score, found)
    if progress is not None:
        progress.phase(f"comparing {len(lexical):,} pairs")
    if similarities is None:
        for start in range(0, len(lexical), _BATCH):
            compare(lexical[start : start + _BATCH])
            if progress is not None:
                progress(min(start + _BATCH, len(lexical)), len(lexical))
    else:
        # The blocking's pairs first, without the proposer's closeness: its search may
        # still run alongside (`workbench.matching.alongside.SemanticSearch`).  Then the
        # pairs it names, each with its closeness: those the blocking also named and
        # were compared before it was done are compared again, their first findings
        # dropped.
        compared: list[int] = []
        start = 0
        # A mapping is there at once; a plain call is asked after all of them.
        done: Callable[[], bool] = getattr(similarities, "done", None) or (
            lambda: not callable(similarities)
        )
        while start < len(lexical) and not done():
            compared += compare(lexical[start : start + _BATCH], keep_codes=True)
            start += _BATCH
            if progress is not None:
                progress(min(start, len(lexical)), len(lexical))
        named = similarities() if callable(similarities) else similarities
        proposed: list[int] = []
        closeness: dict[int, float] = {}
        if named:
            proposed, closeness = _semantic_pairs(lexical, named, frames, prepared.reader, settings)
        if proposed:
            later = set(proposed)
            found[:] = [
                item for item, code in zip(found, compared, strict=True) if code not in later
            ]
            compare([code for code in lexical[start:] if code not in later])
            del later
        else:
            compare(lexical[start:])
        del compared
        compare(proposed, closeness.get)
    # The pair codes let go before sorting, where the command peaked (at 100,000 claims
    # 388,000 of them, 15 MB: a first run of `workbench conflicts` peaked at 481-483
    # MiB with them held, 473-474 without, before the findings shared their scores).
    lexical.clear()
    if progress is not None:
        progress.phase(f"ranking {len(found):,} pairs")
    found.sort(key=itemgetter(0, 1, 2, 3))
    return list(_keep_best_per_claim(found, settings.per_claim)[:limit])


class _Comparing:
    """Compares pairs of claims by their codes `i * n + j` and keeps, for each pair that
    makes a candidate of a wanted kind and score, its best (`_Found`)."""

    def __init__(
        self,
        frames: list[Frame],
        comparer: Comparer,
        wanted: frozenset[str],
        topic: str | None,
        excluded: Collection[tuple[str, str]],
        minimum: float,
        found: list[_Found],
    ) -> None:
        self.frames = frames
        self.comparer = comparer
        self.wanted = wanted
        self.topic = topic
        self.excluded = excluded
        self.minimum = minimum
        self.found = found
        # Each score negated once and shared: rounded to the thousandth, the 300,000 pairs
        # of 100,000 claims hold a few hundred floats rather than one each (a first run
        # of `workbench conflicts` peaked at 474 MiB with one each, 465 shared).
        self.negated: dict[float, float] = {}

    def __call__(
        self,
        ordered: list[int],
        closeness_of: Callable[[int], float | None] | None = None,
        *,
        keep_codes: bool = False,
    ) -> list[int]:
        """Compare the pairs of `ordered` (with the proposer's closeness of each, if any)
        and add what they make to `found`; with `keep_codes`, the code of each item
        added, in order."""
        frames, wanted, topic, excluded = self.frames, self.wanted, self.topic, self.excluded
        n = len(frames)
        found, codes = self.found, list[int]()
        append, append_code = found.append, codes.append
        minimum = self.minimum
        compare_all = self.comparer.compare_all
        negated = self.negated
        for code in ordered:
            i, j = divmod(code, n)
            a, b = frames[i], frames[j]
            first_id, second_id = a.claim_id, b.claim_id
            if second_id < first_id:
                a, b, first_id, second_id = b, a, second_id, first_id
            elif first_id == second_id:
                continue
            if topic is not None and a.topic != topic and b.topic != topic:
                continue
            key = (first_id, second_id)
            if key in excluded:
                continue
            best: Scored | None = None  # the best kind the pair makes
            for item in compare_all(a, b, closeness_of(code) if closeness_of else None):
                if (
                    item.kind in wanted
                    and item.score >= minimum
                    and (best is None or item.score > best.score)
                ):
                    best = item
            if best is None:
                continue
            if best.relation == "updates" and not best.newer_first:
                first_id, second_id = second_id, first_id
            score = round(best.score if best.score < 1.0 else 1.0, 3)
            minus = negated.get(score)
            if minus is None:
                minus = negated[score] = -score
            append((minus, first_id, second_id, best.kind, a, b, best.relation, best.reason))
            if keep_codes:
                append_code(code)
        return codes


def _semantic_pairs(
    lexical: list[int],
    similarities: Similarities,
    frames: list[Frame],
    reader: FrameReader,
    settings: MatchSettings,
) -> tuple[list[int], dict[int, float]]:
    """The pairs the semantic proposer names that are to be compared with its closeness,
    sorted: all of them but those within one source that cannot disagree (unless
    `settings.semantic_within_source`), which stay only where the blocking's `lexical`
    (sorted codes) names them too; and how close the proposer finds each pair it names
    (`semantic_closeness`), by code.

    The proposer's own pairs (`NeighbourPairs` for these claims) come as arrays of
    positions: numbered and sifted in numpy, and their closeness read by pairs of
    positions (ids and positions of distinct claims are one to one, so the closeness
    is the same), without a pair of ids made for each (a million at 100,000 claims).
    Other mappings are read by id, as the engine read them before."""
    from workbench.matching.semantic import pair_codes, pair_positions

    ids = [frame.claim_id for frame in frames]
    n = len(ids)
    weights = settings.semantic
    keys = None if settings.semantic_within_source else _disagreement_keys(frames, reader)
    found = pair_positions(similarities, ids)
    if found is None:
        known = set(lexical)
        named = sorted(
            {
                code
                for code in pair_codes(similarities, ids)
                if keys is None or code in known or _may_disagree(code // n, code % n, *keys)
            }
        )
        close_by_id = semantic_closeness(similarities, weights)
        by_id: dict[int, float] = {}
        for code in named:
            first_id, second_id = ids[code // n], ids[code % n]
            value = close_by_id(
                (first_id, second_id) if first_id < second_id else (second_id, first_id)
            )
            if value is not None:
                by_id[code] = value
        return named, by_id
    import numpy as np

    smaller, larger, cosines = found
    firsts, seconds = np.minimum(smaller, larger), np.maximum(smaller, larger)
    codes = firsts * n + seconds
    wanted = np.ones(codes.size, dtype=bool)
    if keys is not None:
        sorted_codes = np.asarray(lexical, dtype=np.int64)
        at = np.minimum(np.searchsorted(sorted_codes, codes), max(sorted_codes.size - 1, 0))
        blocked = (
            sorted_codes[at] == codes if sorted_codes.size else np.zeros(codes.size, dtype=bool)
        )
        wanted = blocked | _may_disagree(firsts, seconds, *[np.asarray(part) for part in keys])
    if weights.mode == "cosine":
        # Each pair's closeness from its own cosine, as `semantic_closeness` reads it, in
        # numpy: the same float operations, the same values.
        floor = weights.floor
        close_values = np.minimum(1.0, np.maximum(0.0, (cosines[wanted] - floor) / (1.0 - floor)))
        codes = codes[wanted]
        closeness = dict(zip(codes.tolist(), close_values.tolist(), strict=True))
    else:
        # A place in each claim's list reads every pair's cosine.
        positions = zip(firsts.tolist(), seconds.tolist(), strict=True)
        close = semantic_closeness(dict(zip(positions, cosines.tolist(), strict=True)), weights)
        codes, firsts, seconds = codes[wanted], firsts[wanted], seconds[wanted]
        closeness = {
            code: value
            for code, value in zip(
                codes.tolist(),
                map(close, zip(firsts.tolist(), seconds.tolist(), strict=True)),
                strict=True,
            )
            if value is not None
        }
    return np.unique(codes).tolist(), closeness


def _disagreement_keys(
    frames: list[Frame], reader: FrameReader
) -> tuple[list[int], list[int], list[int], list[int]]:
    """What of each claim could make a pair within one source disagree: its source, its
    quantity, its figures and the date of the event it dates (the first date it gives,
    as the rules compare them) as numbers: equal numbers for equal ones, -1 for none
    (`_may_disagree`).  Dates are read only for claims that speak of an event."""
    sources: dict[str, int] = {}
    amounts: dict[tuple[object, ...], int] = {}
    figures: dict[frozenset[float], int] = {}
    event_dates: dict[Period, int] = {}
    source_of, amount_of, figures_of, dated = [], [], [], []
    for frame in frames:
        source_of.append(sources.setdefault(frame.source_id, len(sources)))
        amount = frame.amount
        if amount is None:
            amount_of.append(-1)
        else:
            key = (
                amount.subject,
                amount.subject_entities,
                amount.family,
                amount.low,
                amount.high,
                amount.bound,
                amount.approximate,
                amount.period,
                amount.scope,
                amount.unit,
            )
            amount_of.append(amounts.setdefault(key, len(amounts)))
        figures_of.append(figures.setdefault(frame.figures, len(figures)) if frame.figures else -1)
        given = reader.dates_of(frame) if frame.event and frame.event_entities else ()
        dated.append(event_dates.setdefault(given[0], len(event_dates)) if given else -1)
    return source_of, amount_of, figures_of, dated


def _may_disagree(
    first: Any, second: Any, source: Any, amount: Any, figures: Any, dated: Any
) -> Any:
    """Whether a pair (positions, or numpy arrays of them) may be worth a reviewer's time
    though only the semantic proposer names it: its claims come from two sources, or
    their figures or dates may disagree (two quantities, two sets of figures or two
    events' dates that differ).  Written with `|` and `&` so that it reads pairs one at a
    time from lists and many at a time from numpy arrays (`_disagreement_keys`)."""
    return (
        (source[first] != source[second])
        | ((dated[first] >= 0) & (dated[second] >= 0) & (dated[first] != dated[second]))
        | ((amount[first] >= 0) & (amount[second] >= 0) & (amount[first] != amount[second]))
        | ((figures[first] >= 0) & (figures[second] >= 0) & (figures[first] != figures[second]))
    )


def _candidate(
    negative_score: float,
    first: str,
    second: str,
    kind: str,
    a: Frame,
    b: Frame,
    relation: str,
    said: str | Callable[[], str],
) -> Candidate:
    candidate: Candidate = _new_candidate(Candidate)
    _set_first(candidate, first)
    _set_second(candidate, second)
    _set_kind(candidate, kind)
    _set_score(candidate, -negative_score)
    _set_reason(candidate, (said if isinstance(said, str) else said()) + _where(a, b))
    _set_relation(candidate, relation)
    _set_same_source(candidate, a.source_id == b.source_id)
    return candidate


def _where(a: Frame, b: Frame) -> str:
    if a.source_id == b.source_id:
        if Comparer.siblings(a, b):
            return f"; both in {a.source_id}, cut from one quote"
        return f"; both in {a.source_id}"
    if a.published and b.published and a.published != b.published:
        older, newer = min(a.published, b.published), max(a.published, b.published)
        found = _two_sources.get((older, newer))
        if found is None:
            found = _two_sources[older, newer] = (
                f"; two sources ({older.isoformat()} / {newer.isoformat()})"
            )
        return found
    return "; two sources"


_two_sources: dict[tuple[dt.date, dt.date], str] = {}
"""The end of a reason for two sources' publication dates (a project has few of them)."""


def _keep_best_per_claim(found: list[_Found], per_claim: int) -> list[_Found]:
    """Each claim's best `per_claim` pairs (a pair stays if either claim keeps it), from
    pairs sorted best first."""
    if per_claim <= 0:
        return found
    seen: dict[str, int] = {}
    kept: list[_Found] = []
    for item in found:
        first, second = item[1], item[2]
        first_count = seen.get(first, 0)
        second_count = seen.get(second, 0)
        seen[first] = first_count + 1
        seen[second] = second_count + 1
        if first_count < per_claim or second_count < per_claim:
            kept.append(item)
    return kept


def _check_kinds(kinds: Collection[str] | None) -> frozenset[str]:
    if kinds is None:
        return frozenset(KINDS)
    if isinstance(kinds, str):
        kinds = [kinds]
    unknown = sorted(set(kinds) - set(KINDS))
    if unknown:
        raise ValueError(f"unknown candidate kind {', '.join(unknown)}: use {', '.join(KINDS)}")
    return frozenset(kinds)
