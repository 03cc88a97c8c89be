"""Two frames compared: which kind of candidate they make, how strong, and why.

The rules, frame to frame:

* numeric: the same subject (quantity subjects alike, no other entity), units of
  one family (a share as ratio or percent, money in one currency), overlapping
  periods and values apart beyond a tolerance, bounds honoured ("less than 10%"
  agrees with 9%); the same subject in two periods is an update, newest first;
* date: the same event (shared entity and event words) dated by disjoint spans;
* stance: opposing stances (the lexicon's `opposing_stances`) about the same
  entities or words, the same two parties placed apart ("cannot catch up with" /
  "on a par with", `Frame.standing`) whatever their topics, a subject said to do
  without a thing against a count of the subject's things, or the same statement
  with the opposite polarity;
* duplicate: the same truth conditions (same entities, words, figures and
  polarity), or, weaker, the same side of the same thing (`supports`).

The score is how alike the frames are (`relatedness`: words in common, the most
specific name in common, the same topic, both about the rivals, and arguing one point:
both comparing the rivals without placing them alike, or one denying a named thing the
effect the other gives it; more for arguing against each other: placing the same parties
apart, or doing without what the other counts)
times how much the pair is worth a reviewer's time: pairs from two sources above
pairs within one article, above all two sources with opposing views or far apart
in time; a pair
within one article counts only when its figures or dates disagree, and two
claims cut from one quote (a count and its rank) are siblings, not a finding.
"""

from __future__ import annotations

import datetime as dt
import math
from bisect import bisect_left
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from itertools import chain
from typing import Literal

from workbench.matching.frames import Amount, Frame, FrameReader, Period
from workbench.numbers import format_value, parse_numbers


@dataclass(frozen=True, slots=True)
class RelatednessWeights:
    """How relatedness is made: words and names in common, the same topic, both naming
    the two sides the project compares, and arguing one point (`comparing`)."""

    words: float = 0.4
    words_scale: float = 3.0
    """Word likeness (an idf cosine, low between any two sentences) is taken times this,
    up to 1."""
    entities: float = 0.3
    topic: float = 0.2
    rivals: float = 0.15
    comparing: float = 0.2
    """Both compare the rivals ("trails", "on a par"), or they dispute one named thing: one
    denies it its effect ("despite US export controls", "without Nvidia chips") and the
    other names it, which is how news contradicts "X holds Y back" (in part, by how
    specific the name is: `Comparer.disputed`)."""
    standing: float = 0.3
    """They place the same two parties at different positions ("cannot catch up with the
    US" / "on a par with US models", `Frame.standing`): a claim about where A stands
    against B is about what any other such claim is about, whatever their topics, so
    this counts for more than a shared topic."""

    @property
    def maximum(self) -> float:
        return (
            self.words + self.entities + self.topic + self.rivals + self.comparing + self.standing
        )


DEFAULT_RELATEDNESS = RelatednessWeights()
"""The engine's weights.  `bench/bench_quality.py` says how they were chosen and scores
them leave-one-article-out."""


@dataclass(frozen=True, slots=True)
class SemanticWeights:
    """How the semantic proposer's similarities enter relatedness.

    The proposer names each claim's nearest neighbours with their cosines; a named pair
    gains up to `weight` of relatedness by its closeness (0..1), never loses any.  Its
    closeness is read one of two ways (`mode`):

    * "cosine": how far the cosine is above `floor` (related pairs run near 0.45 on
      the bundled data, unrelated ones near 0.2);
    * "rank": per claim, the reciprocal of the pair's place in the claim's own list of
      neighbours, the better of the pair's two claims (1 for a claim's nearest, 1/2 for
      its second): raw cosines run higher in a crowded subject than in a lone one, and
      a place in each claim's own list does not.

    The engine's values are the ones it had before there was a choice (set by hand, with
    the bundled data in view); `bench/bench_quality.py` fits them leave-one-article-out
    and prints what that gives beside them."""

    weight: float = 0.3
    mode: Literal["cosine", "rank"] = "cosine"
    floor: float = 0.2


DEFAULT_SEMANTIC = SemanticWeights()


def semantic_closeness(
    similarities: Mapping[tuple[str, str], float], weights: SemanticWeights
) -> Callable[[tuple[str, str]], float | None]:
    """How close each proposed pair is (0..1, as `weights.mode` reads it; None for a pair
    the proposer does not name), looked up by (smaller id, larger id).

    Cosines are read pair by pair as the engine asks (a project of 100,000 claims has a
    million proposed pairs: no second table of them); places in each claim's list are
    counted once, up front."""
    if weights.mode == "cosine":
        floor, cosine_of = weights.floor, similarities.get

        def cosine(key: tuple[str, str]) -> float | None:
            value = cosine_of(key)
            if value is None:
                return None
            return min(1.0, max(0.0, (value - floor) / (1.0 - floor)))

        return cosine
    # Each claim's cosines, best first, negated so that `bisect` counts the better ones.
    lists: dict[str, list[float]] = {}
    for (left, right), value in similarities.items():
        lists.setdefault(left, []).append(-value)
        lists.setdefault(right, []).append(-value)
    for values in lists.values():
        values.sort()
    places: dict[tuple[str, str], float] = {}
    for key, value in similarities.items():
        left, right = key
        place = min(bisect_left(lists[left], -value), bisect_left(lists[right], -value))
        places[key] = 1.0 / (place + 1)
    return places.get


CROWDED_SHARE = 0.3
"""An entity named by more than this share of the claims says nothing specific (the
same share `_dates` uses for the entity an event is about)."""

SAME_SUBJECT = 0.9
"""Share of words two quantity subjects must have in common ("year of the plan" is not
"target year of the plan")."""

SAME_FACT_WORDS = 0.45
"""Word likeness (idf cosine) from which two claims with the same names, figures and
polarity state the same fact."""

SIBLING_FACTOR = 0.15
SAME_SOURCE_FACTOR = 0.45
DISAGREEING_SAME_SOURCE_FACTOR = 0.9
OPPOSING_VIEWS_BONUS = 0.12
YEAR_APART_BONUS = 0.08
YEAR_APART_DAYS = 300
"""Two sources gain `YEAR_APART_BONUS` by how far apart they were published, in full from
`YEAR_APART_DAYS`: graded, so that 259 days apart is not worth less than 300 by a step."""
MAXIMUM_WORTH = 1 + OPPOSING_VIEWS_BONUS + YEAR_APART_BONUS


@dataclass(slots=True, eq=False)
class Scored:
    kind: str
    relation: str
    score: float
    reason: str | Callable[[], str]
    """One sentence, or how to write it: most candidates are never shown."""
    newer_first: bool = False
    """The first frame compared is the newer claim (for `updates`)."""
    disagreeing: bool = False
    """Figures or dates disagree (numeric or date conflict)."""


class Weights:
    """Inverse document frequencies of words and entities over the corpus."""

    def __init__(self, frames: list[Frame]) -> None:
        # Counted in C (`Counter` over a chain): the same counts, keys in the same order.
        words: dict[str, int] = dict(Counter(chain.from_iterable(f.words for f in frames)))
        entities: dict[str, int] = dict(Counter(chain.from_iterable(f.entities for f in frames)))
        total = max(len(frames), 1)
        self.total = total
        self.word_df = words
        self.entity_df = entities
        self._idf_cache: dict[int, float] = {}

    def idf(self, count: int) -> float:
        found = self._idf_cache.get(count)
        if found is None:
            found = math.log(1 + self.total / count)
            self._idf_cache[count] = found
        return found


def _norms(sets: list[frozenset[str]], squared: Mapping[str, float]) -> list[float]:
    return [math.sqrt(math.fsum(map(squared.__getitem__, found))) or 1.0 for found in sets]


class Comparer:
    """Compares frames of one corpus (one lexicon, one set of weights)."""

    def __init__(
        self,
        frames: list[Frame],
        reader: FrameReader,
        *,
        tolerance: float,
        approximate_tolerance: float,
        relatedness: RelatednessWeights = DEFAULT_RELATEDNESS,
        semantic: SemanticWeights = DEFAULT_SEMANTIC,
    ) -> None:
        self.frames = frames
        self.semantic_weights = semantic
        self.relatedness_weights = relatedness
        self._maximum_relatedness = relatedness.maximum or 1.0
        self.reader = reader
        index = self.index = reader.index
        self.weights = Weights(frames)
        self.rival_groups = [frozenset(pair) for pair in index.rivals]
        self.entity_weight: dict[str, float] = {
            name: self.weights.idf(count) for name, count in self.weights.entity_df.items()
        }
        self.word_squared: dict[str, float] = {
            word: self.weights.idf(count) ** 2 for word, count in self.weights.word_df.items()
        }
        self._word_squared_of = self.word_squared.__getitem__
        self.entity_specificity = self._specificity()
        self._specificity_of = self.entity_specificity.__getitem__
        self.word_norm = _norms([frame.words for frame in frames], self.word_squared)
        self.about_rivals_of = [
            any(pair <= frame.groups for pair in self.rival_groups) for frame in frames
        ]
        self.tolerance = tolerance
        self.approximate_tolerance = approximate_tolerance
        # Pairs of stances (or views) that oppose, as `LexiconIndex.opposes` reads them: one
        # set lookup per pair of claims instead of a call and two.
        self._opposed = frozenset(
            (stance, other) for stance, others in index.opposing.items() for other in others
        )

    def _specificity(self) -> dict[str, float]:
        """How much sharing each entity says two claims are about one thing (0..1): its
        inverse document frequency over the largest possible, and 0 for a name that more
        than `CROWDED_SHARE` of the claims give (the project's own subject, "China")."""
        total = self.weights.total
        crowded = CROWDED_SHARE * total if total >= 20 else math.inf
        largest = self.weights.idf(1)
        return {
            name: self.weights.idf(count) / largest if count <= crowded else 0.0
            for name, count in self.weights.entity_df.items()
        }

    # ------------------------------------------------------------------ similarity

    def relatedness(self, a: Frame, b: Frame) -> tuple[float, float, frozenset[str]]:
        """How much two claims are about the same thing (0..1), how alike their words
        are (0..1), and the names they share.

        Names count by the most specific one the two share: sharing "US export
        controls" says they are about one thing whatever else each names (a speaker, a
        second company), where a cosine over all their names would say less the more
        names a claim gives; "China", in most claims, says nothing."""
        return self._relatedness(a, b, *self._against(a, b))

    def _against(self, a: Frame, b: Frame) -> tuple[bool, frozenset[str]]:
        """Whether two claims place the same parties apart (`placed_apart`), and what one
        does without that the other counts (`counted_without`): relatedness and the
        stance rule both ask, so `compare_all` asks once."""
        # Most frames place no one and concede nothing: the tests inline for 10^6 pairs.
        placed = a.standing is not None and b.standing is not None and self.placed_apart(a, b)
        counted = (
            self.counted_without(a, b)
            if (a.conceded and b.amount is not None) or (b.conceded and a.amount is not None)
            else frozenset()
        )
        return placed, counted

    def _relatedness(
        self, a: Frame, b: Frame, placed: bool, counted: frozenset[str]
    ) -> tuple[float, float, frozenset[str]]:
        """`relatedness`, given `_against`'s answers."""
        i, j = a.index, b.index
        shared_words = a.words & b.words
        words = (
            math.fsum(map(self._word_squared_of, shared_words))
            / (self.word_norm[i] * self.word_norm[j])
            if shared_words
            else 0.0
        )
        shared_entities = a.entities & b.entities  # `names_alike`, inline for 10^6 pairs
        weights = self.relatedness_weights
        scaled = weights.words_scale * words
        score = weights.words * (scaled if scaled < 1.0 else 1.0)  # `min`, inline: 10^6 pairs
        if shared_entities:
            score += weights.entities * max(map(self._specificity_of, shared_entities))
        if a.topic == b.topic:
            score += weights.topic
        arguing = 0.0
        if self.about_rivals_of[i] and self.about_rivals_of[j]:
            score += weights.rivals
            if (
                a.compares
                and b.compares
                and not (
                    a.standing is not None and b.standing is not None and standings_agree(a, b)
                )
            ):
                arguing = 1.0
        against = 1.0 if placed else 0.0
        if not placed and (a.conceded or b.conceded):
            # Doing without a thing the other counts is as plain a contradiction as two
            # positions; denying a named thing its effect, in part by how specific it is.
            against = 1.0 if counted else self.disputed(a, b)
        if against:
            arguing = max(arguing, against)
            score += weights.standing * against
        score += weights.comparing * arguing
        return score / self._maximum_relatedness, words, shared_entities

    def disputed(self, a: Frame, b: Frame) -> float:
        """How specific the most specific name is that one claim denies its effect
        ("despite X", "X can be overcome") and the other names plainly (0..1; 0 for none).

        "Despite X, Y" is how news says "X does not hold Y back": it argues with every
        claim that X does, whatever their other words, as two claims comparing the
        rivals argue about who leads; a name most claims give says little, as for names
        shared."""
        found = self.disputed_names(a, b)
        return max(map(self._specificity_of, found)) if found else 0.0

    def disputed_names(self, a: Frame, b: Frame) -> frozenset[str]:
        """The names one claim denies their effect and the other names plainly: of what a
        claim concedes, its most specific name ("despite Nvidia's chips" disputes what
        claims say of Nvidia, not every claim that names chips)."""
        if not a.conceded and not b.conceded:
            return frozenset()
        return (self._core(a.conceded) & (b.entities - b.conceded)) | (
            self._core(b.conceded) & (a.entities - a.conceded)
        )

    def _core(self, names: frozenset[str]) -> frozenset[str]:
        """The most specific of these names (all of them that are as specific)."""
        if len(names) < 2:
            return names
        specificity = self._specificity_of
        most = max(map(specificity, names))
        return frozenset(name for name in names if specificity(name) == most)

    def placed_apart(self, a: Frame, b: Frame) -> bool:
        """Whether two claims place the same two parties at different positions, and
        their stances do not put them on one side: two claims the project files under the
        same stance, one of a pair that oppose ("catching-up"), were read as agreeing
        ("rivals o1" and "outperforms US competitors"); a stance opposing none, or none,
        leaves the positions to speak."""
        if not standings_disagree(a, b):
            return False
        return a.stance != b.stance or not self.index.opposing.get(a.stance)

    def counted_without(self, a: Frame, b: Frame) -> frozenset[str]:
        """The names one claim says its subject does without ("delivers AI without
        high-end chips") and the other counts for the same subject ("owns 50,000
        GPUs", a GPU being a chip): having none of a thing and having so many of it
        cannot both hold.  The subject is a specific name both give, other than the
        thing counted."""
        found: frozenset[str] = frozenset()
        wider = self.index.wider
        for denier, counter in ((a, b), (b, a)):
            amount = counter.amount
            if not denier.conceded or amount is None or amount.family != "count":
                continue
            if amount.high <= 0:
                continue
            things = amount.subject_entities.union(
                *(wider.get(name, frozenset()) for name in amount.subject_entities)
            )
            named = (denier.conceded & things) - counter.conceded
            if not named:
                continue
            counted_names = named.union(*(wider.get(name, frozenset()) for name in named))
            subjects = (denier.entities & counter.entities) - counted_names - denier.conceded
            subjects -= frozenset(
                name for name in subjects if wider.get(name, frozenset()) & counted_names
            )
            if any(self._specificity_of(name) > 0 for name in subjects):
                found |= named
        return found

    def names_alike(self, a: Frame, b: Frame) -> tuple[float, frozenset[str]]:
        """How specific the most specific name two claims share is (0..1), and the names
        they share."""
        shared = a.entities & b.entities
        return (max(map(self._specificity_of, shared)) if shared else 0.0), shared

    def worth(self, a: Frame, b: Frame, found: Scored) -> float:
        """How much a pair is worth a reviewer's time, by where its claims come from.

        Two claims cut from one quote are siblings of one split fact (a count and
        its rank) unless they state the same fact twice, which is worth merging."""
        if a.source_id == b.source_id:
            if found.disagreeing:
                return DISAGREEING_SAME_SOURCE_FACTOR
            if found.relation != "same-fact" and self.siblings(a, b):
                return SIBLING_FACTOR
            return SAME_SOURCE_FACTOR
        return self._worth_across(a, b)

    def _worth_across(self, a: Frame, b: Frame) -> float:
        """`worth` of two claims from two sources: by their views and publication dates
        alone, the same for every kind the pair makes (`compare_all` asks once)."""
        factor = 1.0
        if a.view and b.view and (a.view, b.view) in self._opposed:
            factor += OPPOSING_VIEWS_BONUS
        if a.published is not None and b.published is not None:
            apart = abs((a.published - b.published).days)
            share = apart / YEAR_APART_DAYS
            factor += YEAR_APART_BONUS * (share if share < 1.0 else 1.0)
        return factor

    @staticmethod
    def siblings(a: Frame, b: Frame) -> bool:
        """Two claims cut from one sentence of one article (a count and its rank)."""
        if a.source_id != b.source_id:
            return False
        first, second = a.quote.strip(), b.quote.strip()
        if not first or not second:
            return False
        return first in second or second in first

    # ------------------------------------------------------------------ the kinds

    def compare_all(self, a: Frame, b: Frame, semantic: float | None = None) -> list[Scored]:
        """Every candidate the pair makes, scored with what the pair is worth."""
        placed, counted = self._against(a, b)
        related, words, shared = self._relatedness(a, b, placed, counted)
        if semantic is not None:
            # A neighbour of the semantic proposer: raised by how close, never lowered.
            related += self.semantic_weights.weight * semantic
            related = related if related < 1.0 else 1.0
        found: list[Scored] = []
        if a.amount is not None and b.amount is not None:
            numeric = self._amounts(a, b, a.amount, b.amount)
            if numeric is not None:
                found.append(numeric)
        if a.event and b.event and a.event_entities & b.event_entities:
            dated = self._dates(a, b, shared, related)
            if dated is not None:
                found.append(dated)
        opposed = (a.stance, b.stance) in self._opposed
        negations_differ = a.negated != b.negated or a.quote_negated != b.quote_negated
        # Most pairs make no stance: `_stance` needs opposing stances, parties placed
        # apart, a thing done without and counted, or a negation.
        if opposed or placed or counted or negations_differ:
            stance = self._stance(a, b, related, words, shared, opposed, placed, counted)
            if stance is not None:
                found.append(stance)
        if not opposed and not negations_differ:
            duplicate = self._duplicate(a, b, related, words, shared)
            if duplicate is not None:
                found.append(duplicate)
        if a.source_id != b.source_id:
            factor = self._worth_across(a, b)
            for item in found:
                scaled = item.score * factor / MAXIMUM_WORTH
                item.score = scaled if scaled < 1.0 else 1.0  # `min`, inline
        else:
            for item in found:
                scaled = item.score * self.worth(a, b, item) / MAXIMUM_WORTH
                item.score = scaled if scaled < 1.0 else 1.0
        return found

    def _same_subject(self, a: Amount, b: Amount) -> float:
        """How alike two quantity subjects are (0..1); 0 for different things."""
        if a.family != b.family:
            return 0.0
        if a.subject_entities != b.subject_entities:
            return 0.0
        if not a.subject or not b.subject:
            return 0.0
        shared = len(a.subject & b.subject)
        return shared / len(a.subject | b.subject)

    def _agree(self, a: Amount, b: Amount) -> bool:
        tolerance = self.approximate_tolerance if a.approximate or b.approximate else self.tolerance
        a_low, a_high = _interval(a)
        b_low, b_high = _interval(b)
        if a.family == "date":
            return a_low <= b_high and b_low <= a_high
        largest = 0.0
        for value in (a_low, a_high, b_low, b_high):
            if math.isfinite(value) and abs(value) > largest:
                largest = abs(value)
        slack = tolerance * largest
        return a_low - slack <= b_high and b_low - slack <= a_high

    def _amounts(self, a: Frame, b: Frame, first: Amount, second: Amount) -> Scored | None:
        alike = self._same_subject(first, second)
        if alike < SAME_SUBJECT:
            return None
        agree = self._agree(first, second)
        if first.period and second.period and not first.period.overlaps(second.period):
            if agree:
                return None
            if first.scope != second.scope:
                alike *= 0.8
            newer_first = first.period.start > second.period.start
            older, newer = (second, first) if newer_first else (first, second)
            return Scored(
                "numeric",
                "updates",
                0.45 + 0.3 * alike,
                lambda: (
                    f"{first.subject_text}, in two periods: {_value(older)} ({older.period}) "
                    f"and later {_value(newer)} ({newer.period})"
                ),
                newer_first=newer_first,
            )
        if first.scope != second.scope:
            return None
        if agree:
            if first.family == "date" or a.negated != b.negated:
                return None
            return Scored(
                "duplicate",
                "same-fact",
                0.35 + 0.3 * alike,
                lambda: (
                    f"{first.subject_text}, the same value twice: "
                    f"{_value(first)} and {_value(second)}"
                ),
            )
        kind = "date" if first.family == "date" else "numeric"
        return Scored(
            kind,
            "contradicts",
            0.6 + 0.35 * alike,
            lambda: (
                f"{first.subject_text}, two values: {_value(first)} vs {_value(second)}"
                + _apart(first, second)
            ),
            newer_first=_newer(a, b),
            disagreeing=True,
        )

    def _dates(self, a: Frame, b: Frame, shared: frozenset[str], related: float) -> Scored | None:
        """The same event dated differently: a shared specific entity, event words,
        other words in common, and disjoint dates."""
        crowded = CROWDED_SHARE * self.weights.total if self.weights.total >= 20 else math.inf
        about = a.event_entities & b.event_entities
        specific = [name for name in about if self.weights.entity_df.get(name, 0) <= crowded]
        if not specific:
            return None
        first_dates, second_dates = self.reader.dates_of(a), self.reader.dates_of(b)
        if not first_dates or not second_dates:
            return None
        first, second = first_dates[0], second_dates[0]
        if first.overlaps(second):
            return None
        common_words = (a.words & b.words) - self.index.event_words
        if not common_words:
            return None
        strength = max(self.entity_weight.get(name, 0.0) for name in specific)
        strength = min(1.0, strength / max(math.log(self.weights.total + 1), 1.0))
        score = 0.7 + 0.15 * related + 0.15 * strength
        names = ", ".join(sorted(specific)[:2])
        return Scored(
            "date",
            "contradicts",
            score,
            f"{names} dated {first} in one and {second} in the other",
            newer_first=_newer(a, b),
            disagreeing=True,
        )

    def _stance(
        self,
        a: Frame,
        b: Frame,
        related: float,
        words: float,
        shared: frozenset[str],
        opposed: bool,
        placed: bool,
        counted: frozenset[str],
    ) -> Scored | None:
        if opposed or placed or counted:
            if related < 0.12:
                return None
            newer = _newer(a, b)
            relation = "contradicts"
            if a.published and b.published and abs((a.published - b.published).days) >= 180:
                relation = "updates"
            tail = ""
            disputed = self.disputed_names(a, b)
            if disputed:
                name = max(sorted(disputed), key=self._specificity_of)
                if self._specificity_of(name) > 0:
                    tail = f"; one in spite of {name}"
            if placed:
                assert a.standing is not None and b.standing is not None
                tail += f"; one places {a.standing}, the other {b.standing}"
            if counted:
                tail += f"; one without {', '.join(sorted(counted)[:2])}, the other counts it"
            if opposed:
                what = f"opposing stances ({a.stance} / {b.stance})"
            else:
                what = "opposing positions" if placed else "without and with"

            return Scored(
                "stance",
                relation,
                0.2 + 0.8 * related,
                _said(what, shared, tail),
                newer_first=newer if relation == "updates" else False,
            )
        if (
            (a.negated != b.negated or a.quote_negated != b.quote_negated)
            and words >= SAME_FACT_WORDS
            and a.entities == b.entities
        ):
            return Scored(
                "stance",
                "contradicts",
                0.3 + 0.6 * related,
                "the same statement, once negated",
            )
        return None

    def _duplicate(
        self,
        a: Frame,
        b: Frame,
        related: float,
        words: float,
        shared: frozenset[str],
    ) -> Scored | None:
        """The same fact twice, or the same side argued twice: asked by `compare_all`
        only of pairs whose stances do not oppose and whose negations agree."""
        alike = a.entities == b.entities and words >= SAME_FACT_WORDS
        if alike and a.figures != b.figures and a.figures and b.figures:
            if a.amount is None and b.amount is None:
                return _other_figures(a, b, words)
            alike = False
        same_fact = alike
        if same_fact:
            return Scored(
                "duplicate",
                "same-fact",
                0.3 + 0.7 * words,
                _said("the same fact stated twice", shared),
            )
        if related < 0.3 or not shared:
            return None
        side = a.stance == b.stance and bool(self.index.opposing.get(a.stance))
        if not side:
            return None
        return Scored(
            "duplicate",
            "supports",
            0.1 + 0.6 * related,
            _said(f"the same side ({a.stance})", shared),
        )


_measures_cache: dict[str, frozenset[tuple[float, float, str]]] = {}


def _measures(statement: str) -> frozenset[tuple[float, float, str]]:
    """The figures of a statement that measure something (money, a share, a rank, a
    year...): bare numbers ("set 5", a footnote) do not make two statements differ."""
    found = _measures_cache.get(statement)
    if found is None:
        found = frozenset(
            (mention.low, mention.high, mention.unit)
            for mention in parse_numbers(statement)
            if mention.kind != "number"
        )
        if len(_measures_cache) > 50_000:
            _measures_cache.clear()
        _measures_cache[statement] = found
    return found


def _other_figures(a: Frame, b: Frame, words: float) -> Scored | None:
    """Two statements alike but for a figure ("$5.6M" / "$56M"): a numeric conflict."""
    if not (a.figures - b.figures) or not (b.figures - a.figures):
        return None

    def shown(low: float, high: float, unit: str) -> str:
        text = format_value(low, unit)
        return text if low == high else f"{text} to {format_value(high, unit)}"

    def reason() -> str:
        mine, theirs = _measures(a.statement), _measures(b.statement)
        first, second = sorted(mine - theirs), sorted(theirs - mine)
        if not first or not second:
            return "the same statement with other figures"
        return f"the same statement with other figures: {shown(*first[0])} vs {shown(*second[0])}"

    return Scored("numeric", "contradicts", 0.4 + 0.5 * words, reason, disagreeing=True)


_said_cache: dict[tuple[str, frozenset[str], str], str] = {}


def _said(what: str, shared: frozenset[str], tail: str = "") -> str:
    """`what`, the names the pair shares and `tail`, one string per distinct reason: most
    candidates of a large project give one of a few hundred, and each candidate kept
    until the end would otherwise hold its own copy (or a closure and its set)."""
    key = (what, shared, tail)
    found = _said_cache.get(key)
    if found is None:
        found = what + _about(shared) + tail
        if len(_said_cache) > 50_000:
            _said_cache.clear()
        _said_cache[key] = found
    return found


def _about(shared: frozenset[str]) -> str:
    names = ", ".join(sorted(shared)[:3])
    return f" about {names}" if names else ""


def _interval(amount: Amount) -> tuple[float, float]:
    if amount.bound == "upper":
        return (-math.inf if amount.low >= 0 else amount.low, amount.high)
    if amount.bound == "lower":
        return (amount.low, math.inf)
    return (amount.low, amount.high)


def _value(amount: Amount) -> str:
    """A value as a reviewer reads it: "2 billion USD", "under 10%", "2025-01"."""
    if amount.family == "date":
        return str(Period(_ordinal(amount.low), _ordinal(amount.high)))
    if amount.family == "share":
        low, high, unit = amount.low * 100, amount.high * 100, "percent"
    elif amount.family == "duration":
        low, high, unit = amount.low, amount.high, "days"
    else:
        low, high, unit = amount.low, amount.high, amount.unit
    text = format_value(low, unit)
    if high != low:
        text = f"{text} to {format_value(high, unit)}"
    if amount.bound == "upper":
        text = "under " + text
    elif amount.bound == "lower":
        text = "over " + text
    return text


def _apart(first: Amount, second: Amount) -> str:
    """How far apart two values are, relative to the smaller one."""
    a, b = (first.low + first.high) / 2, (second.low + second.high) / 2
    smaller = min(abs(a), abs(b))
    if smaller == 0 or first.family == "date":
        return ""
    return f" ({abs(a - b) / smaller:.0%} apart)"


def _ordinal(value: float) -> dt.date:
    return dt.date.fromordinal(int(value))


def standings_agree(a: Frame, b: Frame) -> bool:
    """Whether two claims place the same two parties alike (both behind, neither saying
    the gap closes where the other says it holds): comparing the rivals, they do not
    argue."""
    first, second = a.standing, b.standing
    return (
        first is not None
        and second is not None
        and first.first == second.first
        and first.second == second.second
        and not first.disagrees(second)
    )


def standings_disagree(a: Frame, b: Frame) -> bool:
    """Whether two claims place the same two parties at different positions."""
    first, second = a.standing, b.standing
    return first is not None and second is not None and first.disagrees(second)


def _newer(a: Frame, b: Frame) -> bool:
    """Whether `a` comes from the more recent source."""
    if a.published is None or b.published is None:
        return False
    return a.published > b.published
