"""The matching engine: which pairs of claims a reviewer should look at together.

`find_candidates(project)` proposes pairs of claims that may contradict,
corroborate or update each other, each with a kind, a score in 0..1 and one
sentence saying why.  The review app's conflict queue and `workbench conflicts`
call it; nothing here writes a file.

The kinds of candidate:

* `numeric`: two claims give the same quantity (same normalised subject, unit
  and period) with values further apart than a tolerance.  The same quantity
  in two different periods is an `updates` candidate, newest first; amounts in
  different currencies are never compared (that needs a rate and a date).  Two
  statements that read alike except for a figure ("$5.6M" / "$56M") are
  numeric candidates too.
* `date`: the same event dated differently: a quantity in dates or years, or
  two statements naming the same thing and event with disjoint dates.
* `stance`: claims on the same topic with opposing stances (lagging against
  catching-up), and statements that say the same thing with opposite polarity
  ("X is safe" / "X is not safe").  Pairs from two sources score higher than
  pairs within one: an article that quotes a view and its rebuttal is doing
  its job, while two articles that disagree are what a reviewer most needs to
  see.  Pairs within one source are still proposed, since the rebuttal is
  worth recording as `contradicts` too.
* `duplicate`: the same fact twice (`same-fact`: statements alike, or one
  quantity with one value) or two claims that bear on the same thing from the
  same side (`supports`: shared names, subject or figures).  A difference in
  negation or in any number rules out `same-fact`, however alike the words.

Claims that say the same kind of thing about different things ("Germany has
521 data centres" / "the UK has 514") are parallel, not related: they are never
proposed as supporting, contradicting or duplicating each other.

Pairs are not compared all against all, which grows with the square of the
number of claims.  Each claim is indexed under its content words, the names it
mentions, its quantity subject and its attribution (blocking); only claims that
share a key are scored, with rapidfuzz for the text.  A key held by more than
`MatchSettings.block_size` claims (beyond a budget of comparisons spent on the
smallest blocks first) pairs each claim with its nearest neighbours
in text order (a sorted neighbourhood), and a key held by a large share of all
claims ("ai", "china") is not used for blocking at all, though it still counts,
with a low weight, in the score.  Every pair that can score above zero shares
a key, so where no key is crowded blocking finds exactly what scoring every
pair finds (`exhaustive=True`).

Pairs already related in either claim's file, and pairs dismissed in either
file (whatever the dismissed kind), are never proposed.
"""

from __future__ import annotations

import datetime as dt
import math
import multiprocessing
import os
import re
import threading
import unicodedata
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal, cast, get_args

from rapidfuzz import fuzz

from workbench.memory import gc_paused
from workbench.models import CandidateKind, Claim, Quantity, RelationKind
from workbench.numbers import NumberMention, format_value, normalize_unit, parse_numbers
from workbench.project import Project

__all__ = [
    "DEFAULT_SETTINGS",
    "KINDS",
    "Candidate",
    "MatchSettings",
    "find_candidates",
    "match_claims",
]

KINDS: tuple[CandidateKind, ...] = cast(tuple[CandidateKind, ...], get_args(CandidateKind))
"""Candidate kinds: numeric, stance, date, duplicate."""


@dataclass(frozen=True, slots=True)
class Candidate:
    """A pair of claims for a reviewer to relate or dismiss."""

    first: str
    """Claim id: the newer claim for `updates`, otherwise the smaller id."""
    second: str
    kind: Literal["numeric", "stance", "date", "duplicate"]
    score: float
    """0..1: higher means more likely a real relation."""
    reason: str
    """One sentence a reviewer can read."""
    suggested_relation: Literal["contradicts", "supports", "same-fact", "updates"]


@dataclass(frozen=True, slots=True)
class MatchSettings:
    """The engine's thresholds; `find_candidates` uses `DEFAULT_SETTINGS`."""

    min_score: float = 0.3
    """Candidates scoring below this are not proposed."""
    block_size: int = 50
    """A key held by at most this many claims pairs all of them..."""
    pair_budget: int = 100_000
    """...and so do larger blocks, smallest first, while their pairs fit in this budget: a
    project of a few hundred claims is compared as if all against all, and a big corpus
    spends a bounded number of comparisons on its least crowded keys..."""
    window: int = 2
    """...while any other block pairs each claim with the next `window` claims in text order."""
    stop_share: float = 0.05
    """A key held by more than this share of all claims is not used for blocking..."""
    stop_floor: int = 1000
    """...unless it is held by at most this many claims (small projects block on every key)."""
    tolerance: float = 0.05
    """Relative difference within which two values agree."""
    approximate_tolerance: float = 0.2
    """The same when either value is marked approximate."""
    workers: int | None = None
    """Processes that score pairs (None: one per CPU, at most 4)..."""
    parallel_pairs: int = 100_000
    """...when there are at least this many pairs, and only where a process can be forked
    from one with no other threads (so never inside the review app)."""


DEFAULT_SETTINGS = MatchSettings()

# --------------------------------------------------------------------------- words


def _wordlist(text: str) -> frozenset[str]:
    """A set of words written as one string, to keep long vocabularies readable."""
    return frozenset(text.split())


_STOPWORDS = _wordlist(
    """a about above after again against all also an and any are as at be because been before
    being below between both but by can could did do does doing down during each few for from
    further had has have having he her here hers him his how i if in into is it its itself just
    me more most my now of off on once only or other our out over own same she should so some
    such than that the their them then there these they this those through to too under until
    up very was we were what when where which while who whom why will with would you your
    said say says according reportedly per via whose within among amid like well even still yet
    ever already"""
)

_NEGATIONS = {
    "not": "",
    "no": "",
    "never": "",
    "neither": "",
    "nor": "",
    "none": "",
    "nobody": "",
    "nothing": "",
    "fail": "",
    "fails": "",
    "failed": "",
    "failing": "",
    "cannot": "can",
    "can't": "can",
    "won't": "will",
    "isn't": "is",
    "aren't": "are",
    "wasn't": "was",
    "weren't": "were",
    "doesn't": "does",
    "don't": "do",
    "didn't": "did",
    "hasn't": "has",
    "haven't": "have",
    "hadn't": "had",
    "couldn't": "could",
    "shouldn't": "should",
    "wouldn't": "would",
    "unable": "able",
}
"""English negation cues, each with what is left of it in the un-negated statement."""

_KOREAN_NEGATION_RE = re.compile(r"없|않|못|아니")
"""Korean negation in quotes: 없다 (there is no), 않다 / 못하다 (does not / cannot), 아니다."""

_FOLDS = {
    "centre": "center",
    "programme": "program",
    "organisation": "organization",
    "licence": "license",
    "defence": "defense",
    "labour": "labor",
    "modelling": "modeling",
    "startup": "start-up",
    "funding": "investment",
    "financing": "investment",
    "invest": "investment",
    "firm": "company",
    "chinese": "china",
    "korean": "korea",
    "japanese": "japan",
    "american": "america",
}
"""Spellings and near-synonyms read as one word (after plurals are folded)."""

_MAGNITUDES = _wordlist(
    """thousand million billion trillion bn mn tn k m b percent pct half quarter dozen once twice
    one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen
    sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty ninety
    hundred first second third fourth fifth sixth seventh eighth ninth tenth"""
)
"""Number words and words that change what a figure is worth: figures, not text."""

_WORD_RE = re.compile(r"[a-z0-9]+(?:['.][a-z0-9]+)*")
_DIGIT_COMMA_RE = re.compile(r"(?<=\d),(?=\d{3})")

_EVENT_STEMS = _wordlist(
    """found establish launch releas announc publish unveil introduc debut sign ban approv impos
    began creat acquir merg"""
)
"""Stems of verbs that date an event: "founded in", "released on", "met on"."""

_stem_cache: dict[str, str] = {}


def _stem(word: str) -> str:
    """A light, deterministic English stemmer: plurals, -ing, -ed and a final -e."""
    cached = _stem_cache.get(word)
    if cached is not None:
        return cached
    stem = word[:-2] if word.endswith("'s") else word
    if len(stem) > 4 and stem.endswith("ies"):
        stem = stem[:-3] + "y"
    elif len(stem) > 3 and stem.endswith("s") and not stem.endswith(("ss", "us", "is")):
        stem = stem[:-1]
    stem = _FOLDS.get(stem, stem)
    if len(stem) > 5 and stem.endswith("ing"):
        stem = stem[:-3]
    elif len(stem) > 4 and stem.endswith("ed"):
        stem = stem[:-2]
    if len(stem) > 4 and stem.endswith("e"):
        stem = stem[:-1]
    if len(_stem_cache) < 500_000:
        _stem_cache[word] = stem
    return stem


def _nfkc(text: str) -> str:
    if not unicodedata.is_normalized("NFKC", text):
        text = unicodedata.normalize("NFKC", text)
    if "’" in text or "‘" in text:
        text = text.replace("’", "'").replace("‘", "'")
    return text


def _tokens(text: str) -> list[str]:
    text = _nfkc(text).lower()
    if "," in text:
        text = _DIGIT_COMMA_RE.sub("", text)
    return _WORD_RE.findall(text)


@dataclass(frozen=True, slots=True)
class _Words:
    words: frozenset[str]
    """Stemmed content words: no stopwords, figures or negation cues."""
    figures: frozenset[str]
    """Tokens holding a digit as written ("5.6", "2nd"), number and magnitude words."""
    core: str
    """The words in order with negation cues undone: what a restatement shares."""
    negated: bool
    names: frozenset[str]
    """Gazetteer names the text mentions, in canonical form."""


_WORD, _STOP, _FIGURE, _NEGATION = range(4)
_token_table: dict[str, tuple[int, str]] = {}


def _classify(token: str) -> tuple[int, str]:
    """What a token is to the engine: (content word, its stem), stopword, figure or negation."""
    info = _token_table.get(token)
    if info is None:
        undone = _NEGATIONS.get(token)
        if undone is not None:
            info = (_NEGATION, undone)
        elif token[0].isdigit() or token in _MAGNITUDES:
            info = (_FIGURE, token)
        elif token in _STOPWORDS or len(token) < 2:
            info = (_STOP, token)
        else:
            info = (_WORD, _stem(token))
        if len(_token_table) < 500_000:
            _token_table[token] = info
    return info


def _words(text: str) -> _Words:
    words: set[str] = set()
    figures: set[str] = set()
    names: set[str] = set()
    core: list[str] = []
    negated = False
    tokens = _tokens(text)
    table = _token_table
    for position, token in enumerate(tokens):
        if token in _ALIAS_STARTS:
            for size in (3, 2, 1):
                name = _ALIASES.get(" ".join(tokens[position : position + size]))
                if name is not None:
                    names.add(name)
                    break
        kind, value = table.get(token) or _classify(token)
        if kind == _WORD:
            core.append(token)
            words.add(value)
        elif kind == _STOP:
            core.append(token)
        elif kind == _FIGURE:
            figures.add(token)
        else:
            negated = True
            if value:
                core.append(value)
    return _Words(frozenset(words), frozenset(figures), " ".join(core), negated, frozenset(names))


_words_cache: dict[str, _Words] = {}


def _words_cached(text: str) -> _Words:
    """`_words` for short texts that repeat across claims (subjects, attributions)."""
    found = _words_cache.get(text)
    if found is None:
        found = _words(text)
        if len(_words_cache) < 200_000:
            _words_cache[text] = found
    return found


_name_cache: dict[str, frozenset[str]] = {}


def _name_words(name: str) -> frozenset[str]:
    found = _name_cache.get(name)
    if found is None:
        found = _words(name).words
        if len(_name_cache) < 200_000:
            _name_cache[name] = found
    return found


def _surface(text: str, stem: str) -> str:
    """How `text` spells the word whose stem is `stem` (for reasons), or the stem."""
    for token in _tokens(text):
        if _stem(token) == stem:
            return token
    return stem


# --------------------------------------------------------------------------- names

_GAZETTEER: dict[str, tuple[str, ...]] = {
    "deepseek": ("deepseek", "deep seek"),
    "openai": ("openai", "open ai"),
    "gpt-4": ("chatgpt-4", "chatgpt 4", "gpt-4", "gpt4", "gpt 4"),
    "chatgpt": ("chatgpt",),
    "o1": ("o1",),
    "nvidia": ("nvidia",),
    "h100": ("h100",),
    "h800": ("h800",),
    "h20": ("h20",),
    "a100": ("a100",),
    "cuda": ("cuda",),
    "cb insights": ("cb insights",),
    "qwen": ("qwen",),
    "alibaba": ("alibaba",),
    "tencent": ("tencent",),
    "baidu": ("baidu",),
    "huawei": ("huawei",),
    "bytedance": ("bytedance",),
    "moonshot ai": ("moonshot ai", "moonshot"),
    "kimi": ("kimi",),
    "zhipu": ("zhipu ai", "zhipu"),
    "minimax": ("minimax",),
    "baichuan": ("baichuan ai", "baichuan"),
    "meta": ("meta platforms", "meta"),
    "llama": ("llama",),
    "google": ("google",),
    "microsoft": ("microsoft",),
    "anthropic": ("anthropic",),
    "claude": ("claude",),
    "hugging face": ("hugging face", "huggingface"),
    "stargate": ("stargate",),
    "trump": ("donald trump", "trump"),
    "biden": ("joe biden", "biden"),
    "reuters": ("reuters",),
    "cnbc": ("cnbc",),
    "techcrunch": ("techcrunch",),
    "nikkei": ("nikkei", "nihon keizai shimbun"),
    "nature index": ("nature index",),
    "mixture of experts": ("mixture-of-experts", "mixture of experts", "moe"),
    "tsinghua university": ("tsinghua university", "tsinghua"),
    "peking university": ("peking university",),
    "kaist": ("kaist",),
    "seoul national university": ("seoul national university",),
    "lg": ("lg group", "lg ai research", "lg"),
    "exaone": ("exaone",),
    "naver": ("naver",),
    "samsung": ("samsung",),
    "smic": ("smic",),
    "tsmc": ("tsmc",),
    "us": ("united states", "u.s.", "us", "america", "american"),
    "china": ("china", "chinese"),
    "south korea": ("south korea", "korea", "korean"),
    "world": ("world", "worldwide", "global", "globally"),
}
"""Canonical names and how English statements spell them."""

_COMMON_PLACES = frozenset({"china", "us", "south korea", "world"})
"""Names so common here that sharing them says nothing about sharing an event."""

_ALIASES = {
    " ".join(_tokens(alias)): name for name, aliases in _GAZETTEER.items() for alias in aliases
}
_ALIAS_STARTS = frozenset(alias.split(" ", 1)[0] for alias in _ALIASES)
_PROPER_RE = re.compile(
    r"\b[A-Z][A-Za-z0-9]*(?:[-.][A-Za-z0-9]+)*"
    r"(?:\s+(?:of\s+)?[A-Z][A-Za-z0-9]*(?:[-.][A-Za-z0-9]+)*)*"
)
_LETTER_DIGIT_RE = re.compile(r"[A-Za-z]-?\d")
_IDENT_RE = re.compile(r"\b[A-Za-z]+-?\d+(?:\.\d+)?(?:-[A-Za-z0-9]+)*\b")
_PROPER_SKIP = _wordlist(
    """the a an in on at for by as and but this that these those it its their his her with from
    after before since while when if although both all some most many western i"""
)
_GENERIC_NAMES = _wordlist("ai ai-based llm llms gpu gpus cpu ceo cto it ipo fdi vc")
"""Capitalised words that name no particular thing."""


def _entities(text: str, names: frozenset[str]) -> frozenset[str]:
    """Names a statement mentions: gazetteer `names`, proper-noun runs and model ids."""
    found: set[str] = set(names)
    folded = _nfkc(text)
    if _LETTER_DIGIT_RE.search(folded):
        for match in _IDENT_RE.finditer(folded):
            ident = match.group().lower()
            found.add(_ALIASES.get(ident.replace("-", " "), ident))
    for match in _PROPER_RE.finditer(folded):
        name = match.group().lower().removesuffix("'s").strip(".")
        first, _, rest = name.partition(" ")
        if first in _PROPER_SKIP:
            name = rest
        if len(name) < 2 or name in _STOPWORDS or name in _GENERIC_NAMES:
            continue
        found.add(_ALIASES.get(name, name))
    return frozenset(found)


# --------------------------------------------------------------------------- quantities

_DATE_UNITS = frozenset({"date", "year", "year-month"})
_INF = math.inf


def _span_of(value: float, unit: str) -> tuple[int, int] | None:
    """A year, month or day as an inclusive yyyymmdd interval."""
    if not math.isfinite(value) or value != int(value):
        return None
    number = int(value)
    if unit == "year" and 1000 <= number <= 2999:
        return number * 10000 + 101, number * 10000 + 1231
    if unit == "year-month" and 100001 <= number <= 299912:
        return number * 100 + 1, number * 100 + 31
    if unit == "date" and 10000101 <= number <= 29991231:
        return number, number
    return None


def _period_span(period: str) -> tuple[int, int] | None:
    """A quantity's period ("2024", "2025-01", "2021/2023") as a yyyymmdd interval."""
    spans: list[tuple[int, int]] = []
    for part in period.split("/") if period else ():
        pieces = part.split("-")
        unit = ("year", "year-month", "date")[min(len(pieces), 3) - 1]
        span = _span_of(float("".join(pieces)), unit)
        if span is None:
            return None
        spans.append(span)
    return (spans[0][0], spans[-1][1]) if spans else None


_LOWER_BOUND_RE = re.compile(
    r"lower bound|more than|at least|over\b|or more|upwards of|exceed|이상|넘", re.IGNORECASE
)
_UPPER_BOUND_RE = re.compile(
    r"upper bound|less than|at most|under\b|up to|or less|fewer than|미만|이하|이내",
    re.IGNORECASE,
)
_BOUND_NOTE_RE = re.compile(r"\b(?:lower|upper) bound\b\s*(?:\([^)]*\))?", re.IGNORECASE)

_MODIFIERS = frozenset(
    _stem(word)
    for word in _wordlist(
        """target goal planned forecast projected expected rank ranking share growth change
        increase decrease rate average median cumulative ratio proportion"""
    )
)
"""Words that make a quantity another quantity: the target year of a plan is not its year."""


@dataclass(frozen=True, slots=True)
class _Qty:
    subject: str
    """As written, for reasons."""
    words: frozenset[str]
    unit: str
    """Normalised unit, as `numbers.format_value` shows it ("USD", "rank", "data-centers")."""
    family: str
    """What it can be compared with: "money:USD", "date", "rank", "count:data-center"..."""
    low: float
    high: float
    """The value as an interval, open on the side a "more than" / "less than" scope leaves."""
    value_low: float
    value_high: float
    period: str
    period_span: tuple[int, int] | None
    scope: str
    """The scope without bound notes ("final training run only")."""
    approximate: bool
    date_span: tuple[int, int] | None
    """For a date or year, the value as a yyyymmdd interval."""


def _unit_family(unit: str) -> tuple[str, str]:
    """The normalised unit and what it can be compared with."""
    normal = normalize_unit(unit)
    if normal in _DATE_UNITS:
        return normal, "date"
    if len(normal) == 3 and normal.isupper():
        return normal, "money:" + normal
    if normal in {"percent", "percentage-points", "rank", "ratio", "times", "years-old"}:
        return normal, normal
    if normal in {"years", "months", "weeks", "days", "hours", "minutes", "seconds"}:
        return normal, "duration:" + normal
    return normal, "count:" + "-".join(_stem(part) for part in normal.split("-") if part)


def _quantity(quantity: Quantity) -> _Qty:
    unit, family = _unit_family(quantity.unit)
    low, high = quantity.bounds
    scope = quantity.scope
    open_low, open_high = low, high
    if _LOWER_BOUND_RE.search(scope):
        open_high = _INF
    elif _UPPER_BOUND_RE.search(scope):
        open_low = -_INF
    date_span = None
    if family == "date":
        first, last = _span_of(low, unit), _span_of(high, unit)
        if first is not None and last is not None:
            date_span = (first[0], last[1])
    return _Qty(
        subject=quantity.subject,
        words=_words_cached(quantity.subject).words,
        unit=unit,
        family=family,
        low=open_low,
        high=open_high,
        value_low=low,
        value_high=high,
        period=quantity.period,
        period_span=_period_span(quantity.period),
        scope=" ".join(_BOUND_NOTE_RE.sub(" ", scope).split()).strip(" ,;").lower(),
        approximate=quantity.approximate,
        date_span=date_span,
    )


def _value_text(q: _Qty) -> str:
    if q.value_low == q.value_high:
        text = format_value(q.value_low, q.unit)
    else:
        text = f"{format_value(q.value_low, q.unit)} to {format_value(q.value_high, q.unit)}"
    if q.high == _INF:
        return "at least " + text
    if q.low == -_INF:
        return "at most " + text
    return "about " + text if q.approximate else text


# --------------------------------------------------------------------------- figures


@dataclass(frozen=True, slots=True)
class _Figure:
    """A number a statement mentions, read by `numbers.parse_numbers`."""

    family: str
    """As for quantities; "number" for a bare number the parser found no unit for."""
    low: float
    high: float
    text: str
    span: tuple[int, int] | None
    """For dates and years, the yyyymmdd interval."""


_CLAUSE_RE = re.compile(r"[;()\[\]]|,\s|\s[-–—]\s")
_NUMBER_WORD_RE = re.compile(r"\b(?:" + "|".join(sorted(_MAGNITUDES)) + r")\b", re.IGNORECASE)
_NUMBERISH_RE = re.compile(r"\d|" + _NUMBER_WORD_RE.pattern, re.IGNORECASE)
_DIGIT_RE = re.compile(r"\d")
_clause_cache: dict[str, tuple[_Figure, ...]] = {}


def _figures_of(text: str, *, words: bool = True) -> tuple[_Figure, ...]:
    """A statement's figures, read clause by clause.

    Clauses ("... $3.3 billion", "about 510 billion won") repeat across claims
    ("according to CB Insights, in 2024"), and the parser reads a number from its
    immediate surroundings, so each distinct clause is parsed once per process.
    """
    figures: list[_Figure] = []
    numberish = _NUMBERISH_RE if words else _DIGIT_RE
    for clause in _CLAUSE_RE.split(text):
        if not numberish.search(clause):
            continue
        found = _clause_cache.get(clause)
        if found is None:
            found = _parse_figures(clause)
            if len(_clause_cache) >= 200_000:
                _clause_cache.clear()
            _clause_cache[clause] = found
        figures.extend(found)
    return tuple(figures)


def _parse_figures(text: str) -> tuple[_Figure, ...]:
    figures: list[_Figure] = []
    for mention in parse_numbers(text):
        if mention.kind == "number" and not mention.unit:
            family = "number"
        else:
            family = _unit_family(mention.unit)[1] if mention.unit else mention.kind
        span = None
        if family == "date" or mention.kind == "year":
            family = "date"
            first = _span_of(mention.low, mention.unit or "year")
            last = _span_of(mention.high, mention.unit or "year")
            if first is None or last is None:
                continue  # a month-day, a time of day: no year to compare
            span = (first[0], last[1])
        figures.append(_Figure(family, mention.low, mention.high, _mention_text(mention), span))
    return tuple(figures)


def _mention_text(mention: NumberMention) -> str:
    if mention.low == mention.high:
        return format_value(mention.low, mention.unit)
    return (
        f"{format_value(mention.low, mention.unit)} to {format_value(mention.high, mention.unit)}"
    )


def _figures_agree(a: _Figure, b: _Figure) -> bool:
    if a.span is not None and b.span is not None:
        return a.span[0] <= b.span[1] and b.span[0] <= a.span[1]
    return math.isclose(a.low, b.low, rel_tol=0.005) and math.isclose(a.high, b.high, rel_tol=0.005)


@dataclass(frozen=True, slots=True)
class _Difference:
    family: str
    first: str
    second: str


def _differing_figures(a: _Features, b: _Features) -> _Difference | None:
    """Where the two statements' figures disagree (see `_figure_difference`).

    Statements that write no figure the other lacks cannot disagree, and are
    not parsed: the parser is the costly part of comparing two claims.
    """
    if a.figures <= b.figures or b.figures <= a.figures:
        return None
    return _figure_difference(a.parsed(), b.parsed())


_Families = dict[str, tuple["_Figure", ...]]


def _by_family(figures: Iterable[_Figure]) -> _Families:
    grouped: dict[str, list[_Figure]] = {}
    for figure in figures:
        grouped.setdefault(figure.family, []).append(figure)
    return {family: tuple(items) for family, items in grouped.items()}


def _unmatched(mine: tuple[_Figure, ...], theirs: tuple[_Figure, ...]) -> _Figure | None:
    """The first of `mine` that agrees with none of `theirs`."""
    for figure in mine:
        for other in theirs:
            if _figures_agree(figure, other):
                break
        else:
            return figure
    return None


def _figure_difference(first: _Families, second: _Families) -> _Difference | None:
    """Where two statements' figures disagree: each gives a figure the other contradicts.

    Figures are compared within a family (money in one currency, percentages,
    dates...).  A statement that gives fewer figures is less precise, not in
    conflict: only when each side holds a figure of the family that the other
    has no match for do they differ.  A difference with a unit is reported
    before one in bare numbers ("set 5" / "set 7").
    """
    bare: _Difference | None = None
    for family in sorted(first.keys() & second.keys()):
        mine, theirs = first[family], second[family]
        if mine == theirs:
            continue
        lonely_mine = _unmatched(mine, theirs)
        if lonely_mine is None:
            continue
        lonely_theirs = _unmatched(theirs, mine)
        if lonely_theirs is None:
            continue
        difference = _Difference(family, lonely_mine.text, lonely_theirs.text)
        if family != "number":
            return difference
        bare = difference
    return bare


# --------------------------------------------------------------------------- claims

_POLES = {"lagging": -1, "catching-up": 1, "mixed": 0}
"""Which side of the race a stance takes; neutral takes none."""

_CHINESE = _wordlist(
    """china deepseek alibaba qwen tencent baidu huawei bytedance kimi zhipu minimax baichuan
    smic hygon"""
) | {"moonshot ai"}
_AMERICAN = _wordlist(
    """us openai gpt-4 chatgpt o1 nvidia google gemini meta llama anthropic claude microsoft
    h100 a100 cuda stargate"""
)
_COMPARING = frozenset(
    _stem(word)
    for word in _wordlist(
        """catch gap lead leads leading behind lag lags lagging rival rivals par ahead trail
        trails match matches outperform beat beats surpass compete competition chase chasing
        narrow narrowing"""
    )
)
"""Words that set one side against the other: "catch up", "gap", "on a par"."""

_POSITION_KEY = "~position"
"""The key every claim on the China-US position shares (see `_comparative`)."""

_UPDATE_DAYS = 180
"""Opposing claims published at least this far apart: the later may update the earlier."""


def _comparative(words: frozenset[str], entities: frozenset[str]) -> bool:
    """Whether a claim places China against the US: names both sides, or China and a
    comparison ("China's catching up will not be easy", "Kimi rivals OpenAI's o1")."""
    if entities.isdisjoint(_CHINESE):
        return False
    return not entities.isdisjoint(_AMERICAN) or not words.isdisjoint(_COMPARING)


@dataclass(slots=True)
class _Features:
    """What the engine reads from one claim, computed once per run."""

    index: int
    id: str
    source: str
    published: dt.date | None
    topic: str
    stance: str
    pole: int | None
    statement: str
    quote: str
    attributed_to: str
    words: frozenset[str]
    figures: frozenset[str]
    core: str
    negated: bool
    entities: frozenset[str]
    comparative: bool
    """Whether it takes a side on the China-US position (see `_comparative`)."""
    keys: frozenset[str]
    """Blocking and similarity keys: words, "@name", "=subject word", "^attribution"."""
    quantity: _Qty | None
    norm: float = 1.0
    """Euclidean norm of the keys' weights."""
    _parsed: _Families | None = field(default=None, repr=False)
    _entity_words: frozenset[str] | None = field(default=None, repr=False)

    def entity_words(self) -> frozenset[str]:
        """Stemmed words of the names, to tell "Germany has 521" from "the UK has 514"."""
        if self._entity_words is None:
            self._entity_words = frozenset().union(*map(_name_words, self.entities))
        return self._entity_words

    def parsed(self) -> _Families:
        """The statement's figures by family, parsed on first use (the parser is not free)."""
        if self._parsed is None:
            words = any(not figure[0].isdigit() for figure in self.figures)
            self._parsed = _by_family(_figures_of(self.statement, words=words))
        return self._parsed


_attribution_cache: dict[str, str] = {}


def _attribution_key(attribution: str) -> str:
    """One key for whoever a claim is attributed to, however long the attribution."""
    key = _attribution_cache.get(attribution)
    if key is None:
        key = "^" + " ".join(sorted(_words(attribution).words))
        if len(_attribution_cache) < 100_000:
            _attribution_cache[attribution] = key
    return key


def _features(index: int, claim: Claim, published: dt.date | None) -> _Features:
    words = _words(claim.statement)
    entities = _entities(claim.statement, words.names)
    quantity = _quantity(claim.quantity) if claim.quantity is not None else None
    keys = set(words.words)
    keys.update("@" + entity for entity in entities)
    if quantity is not None:
        keys.update("=" + word for word in quantity.words)
    attribution = claim.attributed_to.strip()
    if attribution:
        keys.add(_attribution_key(attribution))
    pole = _POLES.get(claim.stance)
    comparative = _comparative(words.words, entities)
    if comparative and pole:
        keys.add(_POSITION_KEY)
    return _Features(
        index,
        claim.id,
        claim.source.id,
        published,
        claim.topic,
        claim.stance,
        pole,
        claim.statement,
        claim.source.quote,
        attribution,
        words.words,
        words.figures,
        words.core,
        words.negated,
        entities,
        comparative,
        frozenset(keys),
        quantity,
    )


# --------------------------------------------------------------------------- corpus


@dataclass(slots=True)
class _Corpus:
    claims: list[_Features]
    weight: dict[str, float]
    """Each key's weight: its inverse document frequency, squared."""
    frequency: Counter[str]
    excluded: set[tuple[str, str]]
    """Pairs (in id order) related or dismissed in either file."""
    settings: MatchSettings
    similarities: Mapping[tuple[str, str], float] = field(default_factory=dict)
    """Semantic cosine of the pairs the semantic proposer found (keys in id order)."""


def _build(
    claims: Sequence[Claim],
    published: Mapping[str, dt.date],
    settings: MatchSettings,
    *,
    respect_recorded: bool,
) -> _Corpus:
    features = [
        _features(index, claim, published.get(claim.source.id))
        for index, claim in enumerate(claims)
    ]
    frequency: Counter[str] = Counter()
    for item in features:
        frequency.update(item.keys)
    total = max(len(features), 1)
    weight = {key: math.log(1.0 + total / count) ** 2 for key, count in frequency.items()}
    for item in features:
        item.norm = math.sqrt(math.fsum([weight[key] for key in item.keys])) or 1.0
    excluded: set[tuple[str, str]] = set()
    for claim in claims:
        if respect_recorded:
            excluded.update(_ordered(claim.id, relation.claim) for relation in claim.relations)
        excluded.update(_ordered(claim.id, dismissal.claim) for dismissal in claim.dismissed)
    return _Corpus(features, weight, frequency, excluded, settings)


def _ordered(a: str, b: str) -> tuple[str, str]:
    return (a, b) if a <= b else (b, a)


def _blocked_pairs(corpus: _Corpus) -> set[int]:
    """Candidate pairs, each as `i * n + j` with i < j (claim positions)."""
    claims = corpus.claims
    n = len(claims)
    settings = corpus.settings
    stop = max(settings.stop_floor, int(settings.stop_share * n))
    frequency = corpus.frequency
    postings: dict[str, list[int]] = {}
    # Claims in text order, so that every posting list is in text order too.
    for item in sorted(claims, key=lambda claim: (claim.core, claim.index)):
        for key in item.keys:
            if 1 < frequency[key] <= stop:
                postings.setdefault(key, []).append(item.index)
    pairs: set[int] = set()
    add = pairs.add
    window = settings.window
    budget = settings.pair_budget
    for key in sorted(postings, key=lambda key: (len(postings[key]), key)):
        members = postings[key]
        size = len(members)
        if size <= settings.block_size:
            reach = size
        elif size * (size - 1) // 2 <= budget:
            budget -= size * (size - 1) // 2
            reach = size
        else:
            budget = 0  # every later block is at least as large
            reach = window
        for position, i in enumerate(members):
            for j in members[position + 1 : position + 1 + reach]:
                add(i * n + j if i < j else j * n + i)
    return pairs


# --------------------------------------------------------------------------- scoring


@dataclass(frozen=True, slots=True)
class _Scored:
    kind: CandidateKind
    score: float
    reason: str | Callable[[], str]
    """The reason, or how to write it (most scored pairs are never shown)."""
    relation: RelationKind
    newer_first: bool = True
    """For `updates`: whether the pair's first claim (in id order) is the newer one."""


def _similarity(corpus: _Corpus, shared: frozenset[str], a: _Features, b: _Features) -> float:
    """Cosine similarity of the two claims' keys, each weighted by its rarity."""
    weight = corpus.weight
    return math.fsum([weight[key] for key in shared]) / (a.norm * b.norm)


def _rarest(corpus: _Corpus, shared: frozenset[str]) -> list[str]:
    weight = corpus.weight
    return sorted(shared, key=lambda key: (-weight[key], key))


def _shown(a: _Features, shared: Sequence[str], limit: int = 4) -> str:
    """The shared keys as a reader knows them: names, then words as `a` spells them."""
    names: list[str] = []
    for key in sorted(shared, key=lambda key: key[0] != "@"):
        if key[0] in "^~":
            continue
        name = key[1:] if key[0] == "@" else _surface(a.statement, key.lstrip("="))
        if not any(name in shown or shown in name for shown in names):
            names.append(name)
        if len(names) == limit:
            break
    return ", ".join(names)


def _mentions(corpus: _Corpus, a: _Features, shared: frozenset[str]) -> str:
    keys = _rarest(corpus, shared)
    text = f"both mention {_shown(a, keys)}"
    if any(key[0] == "^" for key in keys):
        text += f" and cite {a.attributed_to}"
    return text


def _source_phrase(a: _Features, b: _Features) -> str:
    if a.source == b.source:
        return f"both in {a.source}"
    if a.published and b.published:
        return f"{a.source} of {a.published.isoformat()} vs {b.source} of {b.published.isoformat()}"
    return f"{a.source} vs {b.source}"


def _opposing(a: _Features, b: _Features) -> bool:
    return a.pole is not None and b.pole is not None and a.pole * b.pole < 0


def _parallel(a: _Features, b: _Features) -> bool:
    """Whether two claims say the same kind of thing about different things.

    "Germany has 521 data centres" and "the United Kingdom has 514" differ only
    in the name: each names something the other does not, and nothing else sets
    them apart.  Quantity subjects are read the same way ("nature index rank,
    kaist" / "nature index rank, seoul national university").
    """
    pairs = [(a.words, b.words)]
    if a.quantity is not None and b.quantity is not None:
        pairs.append((a.quantity.words, b.quantity.words))
    for words_a, words_b in pairs:
        if words_a == words_b:
            continue
        only_a, only_b = words_a - words_b, words_b - words_a
        if not only_a or not only_b:
            continue
        rest_a, rest_b = only_a - a.entity_words(), only_b - b.entity_words()
        if rest_a != only_a and rest_b != only_b and len(rest_a) + len(rest_b) <= 2:
            return True
    return False


def _distinct_things(a: _Features, b: _Features) -> bool:
    """Whether two claims measure different quantities of different things.

    "China has 31 of the top 100 institutions" and "Peking University ranked
    17th" share a whole ranking's vocabulary, but count different things about
    different names: neither bears on the other.
    """
    qa, qb = a.quantity, b.quantity
    if qa is None or qb is None or qa.words == qb.words:
        return False
    if qa.words <= qb.words or qb.words <= qa.words:
        return False
    return bool(a.entities - b.entities) and bool(b.entities - a.entities)


def _score_pair(corpus: _Corpus, a: _Features, b: _Features) -> list[_Scored]:
    """Every candidate the pair makes, one per kind of finding (may be empty)."""
    if (
        a.core == b.core
        and a.keys == b.keys
        and a.negated == b.negated
        and a.quantity == b.quantity
    ):
        difference = _differing_figures(a, b)
        if difference is not None and difference.family == "number":
            return []  # one sentence about two numbered things ("set 5" / "set 7"): parallel
    shared_keys = a.keys & b.keys
    if not shared_keys:
        return []
    similarity = _similarity(corpus, shared_keys, a, b)
    found: list[_Scored] = []
    cross = 0.1 if a.source != b.source else 0.0
    parallel = _parallel(a, b)
    opposing = _opposing(a, b)
    qa, qb = a.quantity, b.quantity
    quantity_match = False
    distinct_quantities = False
    if qa is not None and qb is not None and not parallel:
        quantity_match = _score_quantities(corpus, a, b, qa, qb, similarity, found)
        distinct_quantities = not quantity_match and qa.family == qb.family

    # The same statement twice, maybe with other figures or the opposite polarity.
    text_ratio = 0.0
    if a.core == b.core:
        text_ratio = 1.0
    elif similarity >= 0.4 and not parallel:
        text_ratio = fuzz.token_sort_ratio(a.core, b.core) / 100.0
    flipped = text_ratio >= 0.85 and a.negated != b.negated
    if flipped:
        negated = a if a.negated else b
        found.append(
            _Scored(
                "stance",
                min(1.0, 0.55 + 0.4 * text_ratio + cross / 2),
                f"The statements match ({text_ratio:.0%} alike) but only {negated.id} "
                "is negated: they say opposite things",
                "contradicts",
            )
        )
    elif text_ratio >= 0.85 and not quantity_match:
        parallel = _score_restatement(a, b, text_ratio, distinct_quantities, found)

    if parallel:
        return found

    # One event, two dates.
    events = a.words & b.words & _EVENT_STEMS
    if events and not quantity_match and (a.entities & b.entities) - _COMMON_PLACES:
        _score_event_dates(a, b, events, similarity, found)

    # Opposite sides of one question: the same topic, or the China-US position.
    position = a.comparative and b.comparative
    if opposing and not flipped and (a.topic == b.topic or position):
        _score_stances(corpus, a, b, similarity, shared_keys, position, found)

    # The same thing, from the same side.
    if (
        not opposing
        and not flipped
        and not quantity_match
        and not any(item.relation == "same-fact" for item in found)
    ):
        score = 0.1 + 0.6 * min(1.0, similarity / 0.6) + cross / 2
        score += 0.05 if a.topic == b.topic else 0.0
        score += 0.05 if a.figures & b.figures else 0.0
        score += 0.05 if position and a.pole == b.pole else 0.0
        if distinct_quantities or _distinct_things(a, b):
            score *= 0.6
        if score >= corpus.settings.min_score:
            topic = a.topic if a.topic == b.topic else f"{a.topic} and {b.topic}"
            found.append(
                _Scored(
                    "duplicate",
                    min(0.8, score),
                    lambda: (
                        f"Related claims on {topic} ({_source_phrase(a, b)}): "
                        f"{_mentions(corpus, a, shared_keys)}"
                    ),
                    "supports",
                )
            )
    return found


def _score_stances(
    corpus: _Corpus,
    a: _Features,
    b: _Features,
    similarity: float,
    shared: frozenset[str],
    position: bool,
    found: list[_Scored],
) -> None:
    """Opposing stances: a contradiction, or an update when the articles are far apart."""
    cross = a.source != b.source
    score = 0.15 + 0.65 * min(1.0, similarity / 0.3) + (0.1 if cross else 0.0)
    if position:
        score += 0.05
    else:
        score *= 0.75  # the same topic alone is weak evidence that two claims disagree
    if not cross:
        score *= 0.8  # an article that quotes both sides is doing its job
    question = "the China-US position" if position else a.topic
    apart = abs((a.published - b.published).days) if a.published and b.published else 0
    if cross and apart >= _UPDATE_DAYS:
        newer_first = _newer(a, b)
        new, old = (a, b) if newer_first else (b, a)
        found.append(
            _Scored(
                "stance",
                min(1.0, score),
                lambda: (
                    f"Opposing stances on {question}, {apart} days apart: {new.id} "
                    f"({new.stance}, {new.published}) against {old.id} ({old.stance}, "
                    f"{old.published}); the later may update the earlier"
                    f"{_also(corpus, a, shared)}"
                ),
                "updates",
                newer_first,
            )
        )
        return
    found.append(
        _Scored(
            "stance",
            min(1.0, score),
            lambda: (
                f"Opposing stances on {question}: {a.id} is {a.stance}, {b.id} is "
                f"{b.stance} ({_source_phrase(a, b)}){_also(corpus, a, shared)}"
            ),
            "contradicts",
        )
    )


def _also(corpus: _Corpus, a: _Features, shared: frozenset[str]) -> str:
    keys = [key for key in shared if key != _POSITION_KEY]
    return f"; {_mentions(corpus, a, frozenset(keys))}" if keys else ""


def _score_restatement(
    a: _Features,
    b: _Features,
    text_ratio: float,
    distinct_quantities: bool,
    found: list[_Scored],
) -> bool:
    """Two statements worded alike: one fact twice, or one sentence with other figures.

    Returns True when the two are parallel: the same sentence about two things
    told apart only by a bare number ("set 5" / "set 7").
    """
    cross = 0.1 if a.source != b.source else 0.0
    difference = _differing_figures(a, b)
    if difference is not None:
        if difference.family == "number" or distinct_quantities:
            return True
        kind: CandidateKind = "date" if difference.family == "date" else "numeric"
        found.append(
            _Scored(
                kind,
                min(1.0, 0.45 + 0.4 * text_ratio + cross),
                f"The statements match ({text_ratio:.0%} alike) but give different "
                f"{'dates' if kind == 'date' else 'figures'}: "
                f"{difference.first} vs {difference.second}",
                "contradicts",
            )
        )
        return False
    if (
        a.quote != b.quote
        and bool(_KOREAN_NEGATION_RE.search(a.quote)) != bool(_KOREAN_NEGATION_RE.search(b.quote))
        and fuzz.ratio(a.quote, b.quote) >= 80
    ):
        found.append(
            _Scored(
                "stance",
                0.5 + 0.3 * text_ratio + cross / 2,
                "The statements match but only one quote is negated (없/않/못/아니): "
                "check which reading is right",
                "contradicts",
            )
        )
        return False
    if _opposing(a, b):
        return False  # the same words with opposing stances: the stance rule reports it
    where = (
        f"from two sources ({_source_phrase(a, b)})"
        if a.source != b.source
        else f"twice in {a.source}"
    )
    found.append(
        _Scored(
            "duplicate",
            min(1.0, 0.5 + 0.45 * text_ratio),
            f"The same fact {where}: the statements are {text_ratio:.0%} alike, "
            "with the same figures",
            "same-fact",
        )
    )
    return False


def _subject_match(a: _Qty, b: _Qty) -> float:
    """How surely two quantity subjects name one thing: 1 the same words, 0 different.

    The word sets must be equal, or one must hold the other ("deepseek training
    cost" / "deepseek v3 training cost"), and the extra words must not turn it
    into another quantity ("target year" is not "year").
    """
    if a.words == b.words:
        return 1.0
    if not (a.words <= b.words or b.words <= a.words) or not a.words or not b.words:
        return 0.0
    if (a.words ^ b.words) & _MODIFIERS:
        return 0.0
    return len(a.words & b.words) / len(a.words | b.words)


def _gap(a: _Qty, b: _Qty) -> float:
    """How far apart two values are, relative to the smaller (0 when their intervals meet):
    2 and 3 billion are 50% apart."""
    if a.high < b.low:
        low, high = a.high, b.low
    elif b.high < a.low:
        low, high = b.high, a.low
    else:
        return 0.0
    scale = min(abs(low), abs(high)) or max(abs(low), abs(high))
    return (high - low) / scale if scale else 0.0


def _newer(a: _Features, b: _Features) -> bool:
    """Whether a is newer than b: by the quantity's period, then publication, then id."""
    qa, qb = a.quantity, b.quantity
    if qa and qb and qa.period_span and qb.period_span and qa.period_span != qb.period_span:
        return qa.period_span > qb.period_span
    if a.published and b.published and a.published != b.published:
        return a.published > b.published
    return a.id > b.id


def _score_quantities(
    corpus: _Corpus,
    a: _Features,
    b: _Features,
    qa: _Qty,
    qb: _Qty,
    similarity: float,
    found: list[_Scored],
) -> bool:
    """Candidates from two structured quantities; True when they measure the same thing."""
    match = _subject_match(qa, qb)
    if match < 0.6:
        return False
    settings = corpus.settings
    cross = 0.1 if a.source != b.source else 0.0
    subject = min(qa.subject, qb.subject, key=lambda text: (len(text), text))
    if qa.family != qb.family:
        if qa.family.startswith("money:") and qb.family.startswith("money:"):
            reason = (
                f"Both give {subject} but in different currencies ({qa.unit} and {qb.unit}), "
                "which are not compared: check the amounts by hand"
            )
        else:
            reason = (
                f"Both measure {subject} in different units: "
                f"{_value_text(qa)} and {_value_text(qb)}"
            )
        score = 0.3 + 0.25 * match + 0.2 * min(1.0, similarity / 0.6) + cross / 2
        found.append(_Scored("duplicate", score, reason, "supports"))
        return True
    is_date = qa.family == "date"
    kind: CandidateKind = "date" if is_date else "numeric"
    scope_factor, scope_note = 1.0, ""
    if qa.scope != qb.scope:
        scope_factor = 0.8
        scope_note = f"; scopes differ ({qa.scope or 'none given'} / {qb.scope or 'none given'})"
    pa, pb = qa.period_span, qb.period_span
    if pa is not None and pb is not None and not (pa[0] <= pb[1] and pb[0] <= pa[1]):
        newer_first = _newer(a, b)
        new, old = (qa, qb) if newer_first else (qb, qa)
        # Two periods in one article are a series it reports, not one claim overtaking another.
        series = 0.6 if a.source == b.source else 1.0
        found.append(
            _Scored(
                kind,
                (0.4 + 0.35 * match + cross / 2) * scope_factor * series,
                lambda: (
                    f"{subject[0].upper()}{subject[1:]} in two periods: {_value_text(old)} in "
                    f"{old.period}, then {_value_text(new)} in {new.period}{scope_note}"
                ),
                "updates",
                newer_first,
            )
        )
        return True
    period_factor = 1.0
    period_note = f" for {qa.period}" if qa.period else ""
    if qa.period != qb.period:
        period_factor = 0.85
        period_note = f" (periods {qa.period or 'not given'} and {qb.period or 'not given'})"
    if is_date and qa.date_span and qb.date_span:
        agree = qa.date_span[0] <= qb.date_span[1] and qb.date_span[0] <= qa.date_span[1]
        gap = 0.0 if agree else 1.0
    else:
        gap = _gap(qa, qb)
        if qa.approximate or qb.approximate:
            tolerance = settings.approximate_tolerance
        elif qa.family in ("rank", "date"):
            tolerance = 0.0
        else:
            tolerance = settings.tolerance
        agree = gap <= tolerance
    if agree:
        difference = _differing_figures(a, b)
        if difference is not None and difference.family != "number":
            found.append(
                _Scored(
                    "duplicate",
                    (0.35 + 0.3 * match) * period_factor,
                    lambda: (
                        f"Both give {subject}{period_note} as {_value_text(qa)}, but the "
                        f"statements differ elsewhere ({difference.first} vs {difference.second})"
                    ),
                    "supports",
                )
            )
            return True
        if difference is not None:
            return True  # the same value in sentences about two numbered things
        where = "from two sources" if a.source != b.source else f"twice in {a.source}"
        found.append(
            _Scored(
                "duplicate",
                (0.55 + 0.3 * match + cross) * period_factor * scope_factor,
                lambda: (
                    f"Both give {subject}{period_note} as {_value_text(qa)} ({where}){scope_note}"
                ),
                "same-fact",
            )
        )
        return True
    if is_date:
        reason = (
            f"Different dates for {subject}: {_value_text(qa)} in {a.id}, "
            f"{_value_text(qb)} in {b.id}{scope_note}"
        )
    else:
        apart = f"{gap:.0%} apart" if gap < 9 else f"{gap + 1:.0f} times apart"
        reason = (
            f"Both give {subject}{period_note}: {_value_text(qa)} vs {_value_text(qb)} "
            f"({apart}){scope_note}"
        )
    score = (0.5 + 0.25 * match + 0.05 * min(1.0, gap) + cross) * period_factor * scope_factor
    found.append(_Scored(kind, min(1.0, score), reason, "contradicts"))
    return True


def _span_text(span: tuple[int, int]) -> str:
    low, high = span
    if low == high:
        return format_value(low, "date")
    if low // 10000 == high // 10000 and low % 10000 == 101 and high % 10000 == 1231:
        return str(low // 10000)
    if low // 100 == high // 100:
        return format_value(low // 100, "year-month")
    return f"{format_value(low, 'date')} to {format_value(high, 'date')}"


def _dates(item: _Features) -> list[tuple[int, int]]:
    spans = [figure.span for figure in item.parsed().get("date", ()) if figure.span is not None]
    if item.quantity is not None and item.quantity.date_span is not None:
        spans.insert(0, item.quantity.date_span)
    return spans


def _score_event_dates(
    a: _Features, b: _Features, events: frozenset[str], similarity: float, found: list[_Scored]
) -> None:
    """Two claims about one named thing's event (founded, released...) with disjoint dates."""
    qa, qb = a.quantity, b.quantity
    if qa is not None and qb is not None and qa.family == "date" and qb.family == "date":
        return  # compared as quantities
    if similarity < 0.25 or any(item.kind == "date" for item in found):
        return
    if not _DIGIT_RE.search(a.statement) or not _DIGIT_RE.search(b.statement):
        return
    da, db = _dates(a), _dates(b)
    if not da or not db:
        return
    if any(x[0] <= y[1] and y[0] <= x[1] for x in da for y in db):
        return
    event = _surface(a.statement, min(events))
    names = ", ".join(sorted((a.entities & b.entities) - _COMMON_PLACES)[:3])
    found.append(
        _Scored(
            "date",
            min(1.0, 0.35 + 0.5 * min(1.0, similarity / 0.6)),
            f"Both date an event of {names} ({event}): {_span_text(da[0])} in {a.id}, "
            f"{_span_text(db[0])} in {b.id}",
            "contradicts",
        )
    )


# --------------------------------------------------------------------------- public API


def find_candidates(
    project: Project,
    *,
    kinds: Collection[str] | None = None,
    topic: str | None = None,
    limit: int | None = None,
    similarities: Mapping[tuple[str, str], float] | None = None,
) -> list[Candidate]:
    """Ranked candidates among the project's claims (the conflict queue, `workbench conflicts`).

    `kinds` keeps only those kinds (default: all four); `topic` keeps pairs where
    either claim is on that topic; `limit` keeps the best `limit`.  Pairs related
    or dismissed in either claim's file are left out.  Best first; ties are
    broken by claim ids, so the order is the same on every run.  `similarities`
    (from `workbench.matching.semantic`) adds the semantic pairs and their cosine.
    """
    published = {key: record.source.published for key, record in project.sources.items()}
    return match_claims(
        list(project.iter_claims()),
        published,
        kinds=kinds,
        topic=topic,
        limit=limit,
        similarities=similarities,
    )


def match_claims(
    claims: Sequence[Claim],
    published: Mapping[str, dt.date] | None = None,
    *,
    kinds: Collection[str] | None = None,
    topic: str | None = None,
    limit: int | None = None,
    respect_recorded: bool = True,
    exhaustive: bool = False,
    settings: MatchSettings = DEFAULT_SETTINGS,
    similarities: Mapping[tuple[str, str], float] | None = None,
) -> list[Candidate]:
    """`find_candidates` for a list of claims, with the knobs benchmarks and tests need.

    `published` maps source ids to publication dates (to order `updates` and to
    say which article is older).  `respect_recorded=False` proposes pairs that
    are already related too (the quality benchmark measures recall that way);
    `exhaustive=True` scores every pair instead of blocking (quadratic: for
    tests and for benchmarks on small samples).
    """
    wanted = _check_kinds(kinds)
    if limit is not None and limit < 1:
        raise ValueError(f"limit must be at least 1, not {limit}")
    with gc_paused():  # the run allocates much and frees nothing until it returns
        corpus = _build(claims, published or {}, settings, respect_recorded=respect_recorded)
        n = len(corpus.claims)
        if similarities:
            corpus.similarities = similarities
        if exhaustive:
            every = (i * n + j for i in range(n) for j in range(i + 1, n))
            found = list(_candidates(corpus, every, wanted, topic))
        else:
            codes = sorted(_blocked_pairs(corpus) | _semantic_pairs(corpus))
            found = _score_in_parallel(corpus, codes, wanted, topic)
    found.sort(key=lambda c: (-c.score, c.first, c.second, c.kind))
    return found[:limit] if limit is not None else found


_fork_state: tuple[_Corpus, list[int], frozenset[str], str | None] | None = None
"""What forked scoring processes read (inherited, not pickled)."""


def _score_in_parallel(
    corpus: _Corpus, codes: list[int], wanted: frozenset[str], topic: str | None
) -> list[Candidate]:
    """Score the pairs, in several forked processes when there are many.

    Each process scores a contiguous share of the (sorted) pairs and sends back
    only its candidates; the result is the same as scoring them in one process.
    """
    global _fork_state
    workers = corpus.settings.workers
    if workers is None:
        workers = min(os.cpu_count() or 1, 4)
    if (
        workers < 2
        or len(codes) < corpus.settings.parallel_pairs
        or "fork" not in multiprocessing.get_all_start_methods()
        or threading.active_count() > 1
    ):
        return list(_candidates(corpus, codes, wanted, topic))
    step = -(-len(codes) // workers)
    shares = [(start, min(start + step, len(codes))) for start in range(0, len(codes), step)]
    _fork_state = (corpus, codes, wanted, topic)
    try:
        context = multiprocessing.get_context("fork")
        with context.Pool(len(shares) - 1) as pool:
            pending = pool.map_async(_score_share, shares[1:])
            found = _score_share(shares[0])
            for part in pending.get():
                found.extend(part)
    finally:
        _fork_state = None
    return found


def _semantic_pairs(corpus: _Corpus) -> set[int]:
    """The semantic proposer's pairs as codes (`i * n + j`), scored beside the blocked ones."""
    if not corpus.similarities:
        return set()
    n = len(corpus.claims)
    position = {item.id: item.index for item in corpus.claims}
    codes: set[int] = set()
    for first, second in corpus.similarities:
        i, j = position.get(first), position.get(second)
        if i is not None and j is not None and i != j:
            codes.add(i * n + j if i < j else j * n + i)
    return codes


def _semantic_candidate(
    corpus: _Corpus, a: _Features, b: _Features, best: _Scored | None
) -> _Scored | None:
    """Combine the semantic cosine with the lexical finding of a pair (a.id < b.id).

    A lexical finding keeps its kind and gains up to 0.15 (0.05 within one
    source); a pair worded differently (lexical similarity under 0.4, where the
    rules compare texts) that the rules found nothing in is proposed when the
    cosine is high: a `stance` pair when the stances oppose, a `duplicate`
    (`supports`) pair otherwise.  The model cannot tell
    agreement from contradiction, so it never makes a pair `contradicts` alone.
    """
    cosine = corpus.similarities.get((a.id, b.id))
    if cosine is None:
        return best
    if best is not None:
        gain = 0.15 if a.source != b.source else 0.05  # across articles first
        score = min(1.0, best.score + gain * max(0.0, cosine - 0.3) / 0.7)
        return _Scored(best.kind, score, best.reason, best.relation, best.newer_first)
    if (
        _similarity(corpus, a.keys & b.keys, a, b) >= 0.4
        or _parallel(a, b)
        or _distinct_things(a, b)
    ):
        return None  # worded alike, yet the rules found nothing: they ruled the pair out
    cross = 0.1 if a.source != b.source else 0.0
    score = 0.6 * max(0.0, cosine - 0.3) / 0.7 + cross
    if _opposing(a, b):
        reason = f"The statements read alike (semantic {cosine:.2f}) from opposing stances"
        return _Scored("stance", score + 0.05, f"{reason} ({_source_phrase(a, b)})", "contradicts")
    reason = f"The statements read alike (semantic {cosine:.2f}; {_source_phrase(a, b)})"
    return _Scored("duplicate", min(0.8, score), reason, "supports")


def _score_share(share: tuple[int, int]) -> list[Candidate]:
    assert _fork_state is not None
    corpus, codes, wanted, topic = _fork_state
    start, stop = share
    return list(_candidates(corpus, codes[start:stop], wanted, topic))


def _check_kinds(kinds: Collection[str] | None) -> frozenset[str]:
    if kinds is None:
        return frozenset(KINDS)
    if isinstance(kinds, str):
        kinds = [kinds]
    unknown = sorted(set(kinds) - set(KINDS))
    if unknown:
        raise ValueError(f"unknown candidate kind {', '.join(unknown)}: use {', '.join(KINDS)}")
    return frozenset(kinds)


def _candidates(
    corpus: _Corpus, codes: Iterable[int], wanted: frozenset[str], topic: str | None
) -> Iterator[Candidate]:
    claims = corpus.claims
    n = len(claims)
    excluded = corpus.excluded
    minimum = corpus.settings.min_score
    for code in codes:
        i, j = divmod(code, n)
        a, b = claims[i], claims[j]
        if topic is not None and a.topic != topic and b.topic != topic:
            continue
        if a.id == b.id:
            continue
        if a.id > b.id:
            a, b = b, a
        if (a.id, b.id) in excluded:
            continue
        best: _Scored | None = None
        for scored in _score_pair(corpus, a, b):
            if (
                scored.kind in wanted
                and scored.score >= minimum
                and (best is None or scored.score > best.score)
            ):
                best = scored
        if corpus.similarities:
            best = _semantic_candidate(corpus, a, b, best)
            if best is not None and (best.kind not in wanted or best.score < minimum):
                best = None
        if best is None:
            continue
        first, second = a.id, b.id
        if not best.newer_first:
            first, second = second, first
        reason = best.reason if isinstance(best.reason, str) else best.reason()
        yield Candidate(
            first, second, best.kind, round(min(1.0, best.score), 3), reason, best.relation
        )
