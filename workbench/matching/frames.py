"""What a claim is about: its frame.

A frame is read from a claim's statement, quote and quantity and from its
source's publication date: the entities it names (through the project's
lexicon, in any language of the sources, with what each is part of; not who
says the claim, "according to X"), its content words, the quantity it
states (subject, value as an interval, bound, unit family, period), the dates
of the events it speaks of (explicit, relative to the publication date, or
relative to a named event of the lexicon), its polarity, the names it denies
their effect ("despite X", "X can be overcome") and where it places one party
against another (`Standing`: "X cannot catch up with Y", "X rivals Y", the parties
being the sides the lexicon's entities stand for).  Two claims are
then compared frame to frame (`workbench.matching.scoring`), never by
corpus-specific rules: every word of the subject comes from `Lexicon`.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from itertools import chain, compress
from itertools import count as positions_from
from operator import attrgetter
from typing import Any

from workbench.matching.facts import ClaimFacts, QuantityFacts, facts_of
from workbench.matching.language import (
    ATTRIBUTION_LINKS,
    COMPARISON_WORDS,
    CONCESSION_VERBS,
    CONCESSION_WORDS,
    DAY_UNITS,
    IDIOM_WORDS,
    KOREAN_COMPARISON_STEMS,
    KOREAN_CONCESSION_PREFIXES,
    KOREAN_CONCESSION_STEMS,
    KOREAN_DAY_COUNTS,
    KOREAN_NEGATION_MARKS,
    KOREAN_STANDING,
    LOWER_BOUND_RE,
    MONTHS,
    NEGATION_WORDS,
    NUMBER_WORDS,
    RELATIVE_MONTHS,
    RELATIVE_YEARS,
    SELF_REFERENCES,
    SPEECH_WORDS,
    STOPWORDS,
    UPPER_BOUND_RE,
    fold,
    is_hangul,
    korean_content,
    stem,
)
from workbench.matching.standing import Standing, english_standing, read_standing
from workbench.models import Claim, Lexicon, Quantity
from workbench.numbers import normalize_unit

_TOKEN_RE = re.compile(r"[A-Za-z]+|\d+(?:[.,]\d+)*|[가-힣]+|[\u3400-\u9fff]")


def tokens(text: str) -> list[str]:
    """Words as the engine reads them: letters, digits, Hangul runs and single CJK
    characters, lower-cased; aliases are read the same way, so they match alike."""
    return [token.lower() for token in _TOKEN_RE.findall(fold(text))]


# --------------------------------------------------------------------------- the lexicon

_NAME_SYMBOLS = frozenset("+#*")
"""Symbols that are part of a name ("AI+", "C#", "C++") but not of the engine's words."""


def reads_broader(alias: str) -> bool:
    """Whether an alias, read as the engine reads words, names something broader: "AI+"
    reads as the word "ai", and would make every claim about AI name the AI+ policy.
    Such an alias is left out of matching (`workbench check` warns, WB811)."""
    return len(tokens(alias)) == 1 and any(char in _NAME_SYMBOLS for char in fold(alias))


@dataclass(frozen=True, slots=True)
class Period:
    """An inclusive span of days: a day, a month, a year or a range of them."""

    start: dt.date
    end: dt.date

    def overlaps(self, other: Period) -> bool:
        return self.start <= other.end and other.start <= self.end

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def __str__(self) -> str:
        if self.start == self.end:
            return self.start.isoformat()
        if self.start.day == 1 and (self.end + dt.timedelta(days=1)).day == 1:
            if self.start.month == 1 and self.end.month == 12:
                years = f"{self.start.year}"
                return years if self.start.year == self.end.year else f"{years}-{self.end.year}"
            if (self.start.year, self.start.month) == (self.end.year, self.end.month):
                return f"{self.start.year}-{self.start.month:02d}"
        return f"{self.start.isoformat()}/{self.end.isoformat()}"


def year_period(year: int) -> Period:
    return Period(dt.date(year, 1, 1), dt.date(year, 12, 31))


def month_period(year: int, month: int) -> Period:
    following = dt.date(year + month // 12, month % 12 + 1, 1)
    return Period(dt.date(year, month, 1), following - dt.timedelta(days=1))


@dataclass(frozen=True, slots=True)
class _Alias:
    words: tuple[str, ...]
    target: str
    """The entity's name, or the event's name for event aliases."""
    exact_case: str
    """For short all-capital aliases (US, MIT): the spelling the text must use."""


class LexiconIndex:
    """The project's lexicon, compiled for fast lookups in token lists."""

    def __init__(self, lexicon: Lexicon) -> None:
        self.lexicon = lexicon
        self.group_of: dict[str, str] = {}
        self._first: dict[str, list[_Alias]] = {}
        self._longest_hangul = 0
        for entity in lexicon.entities:
            if entity.group:
                self.group_of[entity.name] = entity.group
            for alias in (entity.name, *entity.aliases):
                self._add(alias, entity.name)
        self.event_dates: dict[str, dt.date] = {}
        self._event_first: dict[str, list[_Alias]] = {}
        for event in lexicon.events:
            self.event_dates[event.name] = event.date
            for alias in (event.name, *event.aliases):
                words = tuple(tokens(alias))
                if words:
                    self._event_first.setdefault(words[0], []).append(_Alias(words, event.name, ""))
        for found in self._event_first.values():
            found.sort(key=lambda alias: -len(alias.words))
        self.event_words = frozenset(
            stem(word) if not is_hangul(word) else word
            for phrase in lexicon.event_words
            for word in tokens(phrase)[:1]
        )
        self.hangul_event_words = tuple(word for word in self.event_words if is_hangul(word))
        self.bare_event_words = frozenset(
            first
            for phrase in lexicon.event_words
            for first in tokens(phrase)[:1]
            if not is_hangul(first) and stem(first) == first
        )
        """Event words listed as they stem ("launch"): a token that is its own stem is an
        event word only if listed so, for "founded" stems to "found", which is also the
        past of "find" ("models were found to outperform")."""
        self.opposing: dict[str, frozenset[str]] = {}
        for first, second in lexicon.opposing_stances:
            self.opposing[first] = self.opposing.get(first, frozenset()) | {second}
            self.opposing[second] = self.opposing.get(second, frozenset()) | {first}
        self.rivals = [(first, second) for first, second in lexicon.rivals]
        self.wider = _wider(lexicon)
        """Each entity that is part of others, and all of those ("GPT-4": GPT, OpenAI)."""
        self.side_of, self.rival_of = _sides(lexicon)
        self.grouped = frozenset(side for pair in self.rivals for side in pair)
        """The sides the project compares (the groups of its `rivals`)."""
        self.alias_words = frozenset(
            word for aliases in self._first.values() for alias in aliases for word in alias.words
        )

    def _add(self, alias: str, name: str) -> None:
        words = tuple(tokens(alias))
        if not words or reads_broader(alias):
            return
        stripped = alias.strip()
        short_capitals = stripped.isalnum() and stripped.isupper() and len(stripped) <= 4
        exact = stripped if len(words) == 1 and short_capitals else ""
        self._first.setdefault(words[0], []).append(_Alias(words, name, exact))
        self._first[words[0]].sort(key=lambda item: -len(item.words))
        if is_hangul(words[0]):
            self._longest_hangul = max(self._longest_hangul, len(words[0]))

    def first_aliases(self, word: str) -> list[_Alias]:
        """Aliases that may start at this token (a Korean token may add a particle)."""
        found = self._first.get(word)
        if found is not None:
            return found
        if is_hangul(word) and len(word) > 1:
            for size in range(min(len(word) - 1, self._longest_hangul), 0, -1):
                found = self._first.get(word[:size])
                if found is not None:
                    return [alias for alias in found if len(alias.words) == 1]
        return []

    def opposes(self, first: str, second: str) -> bool:
        return second in self.opposing.get(first, frozenset())

    def entities_in(self, words: list[str], originals: list[str]) -> set[str]:
        """Entity names that the token list mentions (Korean particles allowed after)."""
        return {name for _, name in self.entity_positions(words, originals)}

    def entity_positions(self, words: list[str], originals: list[str]) -> list[tuple[int, str]]:
        """(token position, entity name) of each mention in the token list."""
        found: list[tuple[int, str]] = []
        position = 0
        count = len(words)
        while position < count:
            match = self.match_at(words, originals, position)
            if match is None:
                position += 1
                continue
            found.append((position, match[0]))
            position += match[1]
        return found

    def match_at(
        self, words: list[str], originals: list[str], position: int
    ) -> tuple[str, int] | None:
        """The entity whose longest alias starts at `position`, and its length in tokens."""
        count = len(words)
        for alias in self.first_aliases(words[position]):
            size = len(alias.words)
            if alias.exact_case and originals[position] != alias.exact_case:
                continue
            if size == 1 or tuple(words[position : position + size]) == alias.words:
                return alias.target, size
            last = alias.words[-1]
            if (
                is_hangul(last)
                and position + size - 1 < count
                and tuple(words[position : position + size - 1]) == alias.words[:-1]
                and words[position + size - 1].startswith(last)
            ):
                return alias.target, size
        return None

    def events_in(self, words: list[str]) -> list[tuple[int, str]]:
        """(token position, event name) of each named event the token list mentions."""
        found: list[tuple[int, str]] = []
        for position, word in enumerate(words):
            for alias in self._event_first.get(word, ()):
                if tuple(words[position : position + len(alias.words)]) == alias.words:
                    found.append((position, alias.target))
                    break
        return found


def _sides(lexicon: Lexicon) -> tuple[dict[str, str], dict[str, str]]:
    """The party each entity stands for when a claim places one against another, and
    each party's rival.

    An entity stands for its group (a company for its country's side), else for its
    nearest wider entity's group, else for the widest entity it is part of (a model for
    its maker), else for itself.  A party's rival is the other group of the lexicon's
    `rivals` pair it belongs to (none if it belongs to several)."""
    by_name = {entity.name: entity for entity in lexicon.entities}
    sides: dict[str, str] = {}
    for entity in lexicon.entities:
        side, current, seen = entity.group, entity, {entity.name}
        while not side and current.part_of and current.part_of not in seen:
            seen.add(current.part_of)
            wider = by_name.get(current.part_of)
            if wider is None:
                break
            current = wider
            side = wider.group
        sides[entity.name] = side or current.name
    pairs: dict[str, list[str]] = {}
    for first, second in lexicon.rivals:
        pairs.setdefault(first, []).append(second)
        pairs.setdefault(second, []).append(first)
    rival_of = {side: others[0] for side, others in pairs.items() if len(set(others)) == 1}
    return sides, rival_of


def _wider(lexicon: Lexicon) -> dict[str, frozenset[str]]:
    """The entities each entity is part of, up its `part_of` chain (a chain that comes
    back on itself stops there: `workbench check` reports it, WB812)."""
    parent = {entity.name: entity.part_of for entity in lexicon.entities if entity.part_of}
    wider: dict[str, frozenset[str]] = {}
    for name in parent:
        chain: list[str] = []
        current = parent[name]
        while current and current != name and current not in chain:
            chain.append(current)
            current = parent.get(current, "")
        wider[name] = frozenset(chain)
    return wider


# --------------------------------------------------------------------------- frames


@dataclass(slots=True, eq=False)
class Amount:
    """A claim's quantity, normalised so that two of them compare."""

    subject: frozenset[str]
    """Content words of the quantity's subject..."""
    subject_text: str
    """...and the subject as written, for the reason a reviewer reads."""
    subject_entities: frozenset[str]
    family: str
    """money:USD, share (a fraction), rank, date, duration (days), count..."""
    low: float
    high: float
    bound: str
    """point, range, upper ("less than") or lower ("more than")."""
    approximate: bool
    period: Period | None
    scope: str
    unit: str


@dataclass(slots=True, eq=False)
class Frame:
    """What one claim is about, as the engine compares it.

    Not frozen, only because frozen dataclasses build slower and 100,000 frames are
    built per run; nothing changes a frame once read."""

    index: int
    claim_id: str
    source_id: str
    quote: str
    published: dt.date | None
    view: str
    stance: str
    topic: str
    entities: frozenset[str]
    groups: frozenset[str]
    words: frozenset[str]
    """Content words of the statement and the quote (stemmed; Korean without particles)."""
    text_key: str
    """The statement's content words in order: claims sorted by it meet their near-duplicates."""
    negated: bool
    quote_negated: bool
    amount: Amount | None
    figures: frozenset[float]
    """Values written in the statement (digits), to tell restatements with other figures apart."""
    event: bool
    """The claim speaks of an event (the lexicon's event words)..."""
    event_entities: frozenset[str]
    """...and these entities are named next to an event word: what the event is about."""
    compares: bool
    """It sets one side against another ("trails", "catch up", "뒤처진다")."""
    conceded: frozenset[str]
    """Entities it denies their effect: named next to "despite", "without", "overcome"
    ("despite US export controls", "without Nvidia chips", "제재를 극복")."""
    standing: Standing | None
    """Where it places one party against another (`Standing`), if it does."""
    statement: str
    """Kept (a reference, not a copy) to read the dates when a pair needs them."""
    dates: tuple[Period, ...] | None = None
    """Dates it gives, most specific first: explicit, relative to publication or to an
    event; read on first use (`FrameReader.dates_of`), since few pairs need them."""


_YEAR_RE = re.compile(r"(?<![\d.,])(1[89]\d\d|20\d\d)(?![\d.,])")
_DAY_MONTH_YEAR_RE = re.compile(
    r"\b(\d{1,2})\s+(" + "|".join(MONTHS) + r")\.?,?\s+(\d{4})\b", re.IGNORECASE
)
_MONTH_DAY_YEAR_RE = re.compile(
    r"\b(" + "|".join(MONTHS) + r")\.?\s+(\d{1,2}),?\s+(\d{4})\b", re.IGNORECASE
)
_MONTH_YEAR_RE = re.compile(
    r"\b(?:(?:early|mid|late)-?\s*)?(" + "|".join(MONTHS) + r")\.?,?\s+(?:of\s+)?(\d{4})\b",
    re.IGNORECASE,
)
_BARE_MONTH_RE = re.compile(
    r"\b(?:in|on|since|by|from|until|during)\s+(?:early|mid|late)?-?\s*("
    + "|".join(name for name in MONTHS if len(name) > 3)
    + r")\b(?!\s+\d)",
    re.IGNORECASE,
)
_ISO_RE = re.compile(r"\b(\d{4})-(\d{2})(?:-(\d{2}))?\b")
_KO_DATE_RE = re.compile(r"(?:(\d{4})\s*년\s*)?(\d{1,2})\s*월(?:\s*(\d{1,2})\s*일)?")
_KO_YEAR_RE = re.compile(r"(\d{4})\s*년")
_OFFSET_RE = re.compile(
    r"\b(\d+|a|an|one|two|three|four|five|six|seven|eight|nine|ten)\s+"
    r"(day|week|month|year)s?\s+(before|after|earlier than|later than|ahead of|prior to)\b",
    re.IGNORECASE,
)
_KO_OFFSET_RE = re.compile(r"(" + "|".join(KOREAN_DAY_COUNTS) + r"|\d+\s*일)\s*(전|앞서|후|뒤)")
_RELATIVE_YEAR_RE = re.compile("|".join(re.escape(key) for key in RELATIVE_YEARS), re.IGNORECASE)
_RELATIVE_MONTH_RE = re.compile("|".join(re.escape(key) for key in RELATIVE_MONTHS), re.IGNORECASE)
_RELATIVE_PHRASES = tuple(phrase.lower() for phrase in (*RELATIVE_YEARS, *RELATIVE_MONTHS))
_DATE_UNITS = frozenset({"date", "year", "year-month", "month-day"})
_DURATION_DAYS = {
    "years": 365.0,
    "months": 30.0,
    "weeks": 7.0,
    "days": 1.0,
    "hours": 1 / 24,
    "minutes": 1 / 1440,
    "seconds": 1 / 86400,
}
_CURRENCIES = frozenset({"USD", "CNY", "KRW", "EUR", "JPY", "GBP", "HKD", "TWD", "SGD", "INR"})


def _safe_date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _day_period(year: int, month: int, day: int) -> Period | None:
    found = _safe_date(year, month, day)
    return Period(found, found) if found else None


def _recent_month(month: int, published: dt.date | None) -> Period | None:
    """A month named without a year: the latest such month not after publication."""
    if published is None:
        return None
    year = published.year if month <= published.month else published.year - 1
    return month_period(year, month)


def _shift(day: dt.date, amount: int, unit: str) -> dt.date:
    return day + dt.timedelta(days=amount * DAY_UNITS[unit])


def explicit_dates(
    text: str, published: dt.date | None, index: LexiconIndex | None = None
) -> list[Period]:
    """The dates a text gives, most specific first.

    Days, months and years written out ("20 February 2025", "2월 20일", "January
    2025"), months without a year and relative words ("last year", "지난해")
    resolved against `published`, and offsets from a named event of the lexicon
    ("a day before the Stargate announcement").
    """
    folded = fold(text)
    found: list[Period] = []
    covered: list[tuple[int, int]] = []

    def add(period: Period | None, span: tuple[int, int]) -> None:
        if period is None:
            return
        if any(start <= span[0] and span[1] <= end for start, end in covered):
            return
        covered.append(span)
        found.append(period)

    lowered = folded.lower()
    words = tokens(folded)
    has_digit = any(word[0].isdigit() for word in words)
    has_month = not set(words).isdisjoint(MONTHS)
    if index is not None and index.event_dates:
        for position, name in index.events_in(words):
            event_day = index.event_dates[name]
            window = " ".join(words[max(0, position - 8) : position])
            offsets = list(_OFFSET_RE.finditer(window))
            if offsets:
                offset = offsets[-1]
                count_word = offset.group(1).lower()
                count = NUMBER_WORDS.get(count_word) or int(count_word)
                sign = 1 if offset.group(3).lower() in ("after", "later than") else -1
                shifted = _shift(event_day, sign * count, offset.group(2).lower())
                add(Period(shifted, shifted), (-1, -1))
            else:
                korean = _KO_OFFSET_RE.search(" ".join(words[position : position + 8]))
                if korean is not None:
                    amount = KOREAN_DAY_COUNTS.get(korean.group(1))
                    if amount is None:
                        amount = int(re.sub(r"\D", "", korean.group(1)))
                    sign = -1 if korean.group(2) in ("전", "앞서") else 1
                    shifted = event_day + dt.timedelta(days=sign * amount)
                    add(Period(shifted, shifted), (-1, -1))
    if has_digit and has_month:
        for match in _DAY_MONTH_YEAR_RE.finditer(folded):
            add(
                _day_period(
                    int(match.group(3)), MONTHS[match.group(2).lower()], int(match.group(1))
                ),
                match.span(),
            )
        for match in _MONTH_DAY_YEAR_RE.finditer(folded):
            add(
                _day_period(
                    int(match.group(3)), MONTHS[match.group(1).lower()], int(match.group(2))
                ),
                match.span(),
            )
    if has_digit:
        for match in _ISO_RE.finditer(folded):
            year, month = int(match.group(1)), int(match.group(2))
            if not 1 <= month <= 12:
                continue
            if match.group(3):
                add(_day_period(year, month, int(match.group(3))), match.span())
            else:
                add(month_period(year, month), match.span())
    if has_digit and has_month:
        for match in _MONTH_YEAR_RE.finditer(folded):
            add(month_period(int(match.group(2)), MONTHS[match.group(1).lower()]), match.span())
    if has_digit and "월" in folded:
        for match in _KO_DATE_RE.finditer(folded):
            month = int(match.group(2))
            if not 1 <= month <= 12:
                continue
            recent = _recent_month(month, published)
            if match.group(1):
                korean_year = int(match.group(1))
            elif recent is not None:
                korean_year = recent.start.year
            else:
                continue
            if match.group(3):
                add(_day_period(korean_year, month, int(match.group(3))), match.span())
            else:
                add(month_period(korean_year, month), match.span())
    if has_month:
        for match in _BARE_MONTH_RE.finditer(folded):
            add(_recent_month(MONTHS[match.group(1).lower()], published), match.span(1))
    if published is not None and any(phrase in lowered for phrase in _RELATIVE_PHRASES):
        for match in _RELATIVE_MONTH_RE.finditer(lowered):
            shift = RELATIVE_MONTHS[match.group().lower()]
            month_index = published.year * 12 + published.month - 1 + shift
            add(month_period(month_index // 12, month_index % 12 + 1), match.span())
        for match in _RELATIVE_YEAR_RE.finditer(lowered):
            add(year_period(published.year + RELATIVE_YEARS[match.group().lower()]), match.span())
    if has_digit:
        for match in _YEAR_RE.finditer(folded):
            add(year_period(int(match.group(1))), match.span())
    found.sort(key=lambda period: period.days)
    return found


def _period(text: str) -> Period | None:
    """A quantity's period ("2024", "2025-01", "2021/2023") as a span of days."""
    if not text:
        return None
    first, _, last = text.partition("/")
    start = _one_period(first)
    end = _one_period(last) if last else start
    if start is None or end is None:
        return None
    return Period(start.start, end.end)


_period_cache: dict[str, Period | None] = {}


def _period_cached(text: str) -> Period | None:
    if text not in _period_cache:
        _period_cache[text] = _period(text)
    return _period_cache[text]


def _one_period(text: str) -> Period | None:
    parts = [int(part) for part in text.split("-")]
    if len(parts) == 1:
        return year_period(parts[0])
    if len(parts) == 2:
        return month_period(parts[0], parts[1]) if 1 <= parts[1] <= 12 else None
    day = _safe_date(parts[0], parts[1], parts[2])
    return Period(day, day) if day else None


def _date_amount(quantity: Quantity | QuantityFacts, unit: str) -> tuple[float, float] | None:
    """A dated quantity as ordinal days: dates are dates, never month-day integers."""
    low, high = quantity.bounds
    period: Period | None = None
    if unit == "month-day":
        period = _period(quantity.period) if quantity.period.count("-") == 2 else None
    elif unit == "date" and low == high and low == int(low):
        number = int(low)
        day = _safe_date(number // 10000, number // 100 % 100, number % 100)
        period = Period(day, day) if day else None
    elif unit == "year-month" and low == high and low == int(low):
        number = int(low)
        period = month_period(number // 100, number % 100) if 1 <= number % 100 <= 12 else None
    elif unit == "year" and low == int(low) and high == int(high) and 1000 <= low <= high <= 2999:
        period = Period(year_period(int(low)).start, year_period(int(high)).end)
    if period is None:
        return None
    return float(period.start.toordinal()), float(period.end.toordinal())


_BOUND_HINTS = (
    "less", "fewer", "under", "below", "most", "up to", "more", "over", "above", "least",
    "excess", "exceed", "not even", "이상", "넘", "초과", "미만", "이하", "안 되", "안되", "못",
)  # fmt: skip


def _bound(scope: str, statement: str, quote: str) -> str:
    if "upper bound" in scope.lower():
        return "upper"
    if "lower bound" in scope.lower():
        return "lower"
    for text in (statement, quote):
        lowered = text.lower()
        if not any(hint in lowered for hint in _BOUND_HINTS):
            continue
        if UPPER_BOUND_RE.search(text):
            return "upper"
        if LOWER_BOUND_RE.search(text):
            return "lower"
    return ""


_subject_cache: dict[tuple[int, str], tuple[frozenset[str], frozenset[str]]] = {}


def _subject(text: str, index: LexiconIndex) -> tuple[frozenset[str], frozenset[str]]:
    """The entities and content words of a quantity's subject (cached: subjects repeat)."""
    key = (id(index), text)
    found = _subject_cache.get(key)
    if found is None:
        subject_words = tokens(text)
        entities = frozenset(index.entities_in(subject_words, subject_words))
        words = frozenset(
            stem(word)
            for word in subject_words
            if word not in STOPWORDS and not word[0].isdigit() and len(word) > 1
        )
        found = (entities, words)
        if len(_subject_cache) > 100_000:
            _subject_cache.clear()
        _subject_cache[key] = found
    return found


_unit_cache: dict[str, str] = {}


def amount_of(
    quantity: Quantity | QuantityFacts, statement: str, quote: str, index: LexiconIndex
) -> Amount | None:
    """A claim's quantity in comparable form, or None if it cannot be compared."""
    unit = _unit_cache.get(quantity.unit)
    if unit is None:
        unit = _unit_cache[quantity.unit] = normalize_unit(quantity.unit)
    low, high = quantity.bounds
    if not (math.isfinite(low) and math.isfinite(high)):
        return None
    if unit in _DATE_UNITS:
        days = _date_amount(quantity, unit)
        if days is None:
            return None
        low, high = days
        family = "date"
    elif unit in ("percent", "ratio"):
        family = "share"
        if unit == "percent":
            low, high = low / 100, high / 100
    elif unit in _CURRENCIES:
        family = f"money:{unit}"
    elif unit in _DURATION_DAYS:
        family = "duration"
        low, high = low * _DURATION_DAYS[unit], high * _DURATION_DAYS[unit]
    elif unit in ("rank", "times", "percentage-points", "years-old"):
        family = unit
    else:
        family = "count"
    bound = "range" if low != high else "point"
    if family != "date":
        found = quantity.bound or _bound(quantity.scope, statement, quote)
        bound = found or bound
    entities, subject = _subject(quantity.subject, index)
    return Amount(
        subject=subject,
        subject_text=quantity.subject,
        subject_entities=entities,
        family=family,
        low=low,
        high=high,
        bound=bound,
        approximate=quantity.approximate,
        period=_period_cached(quantity.period),
        scope=_BOUND_NOTE_RE.sub("", quantity.scope).strip().lower(),
        unit=unit,
    )


_BOUND_NOTE_RE = re.compile(r"\b(?:lower|upper) bound\b\s*(?:\([^)]*\))?", re.IGNORECASE)


EVENT_WINDOW = 6
"""Tokens between an event word and an entity that the event is about."""

CONCESSION_WINDOW = EVENT_WINDOW
"""Tokens between a concession ("despite", "overcome") and the entity it concedes: the
same reach as an event word's."""


def _conceding(
    concede_at: list[tuple[int, int]], negation_at: list[int], infos: list[TokenInfo]
) -> list[tuple[int, int]]:
    """The concessions that concede: "without X" under another negation states a need,
    not a concession ("cannot train models without Nvidia chips", "칩 없이는 불가능")."""
    return [
        (at, side)
        for at, side in concede_at
        if not infos[at].negation
        or not any(0 < abs(other - at) <= CONCESSION_WINDOW for other in negation_at)
    ]


def _conceded(
    positions: list[tuple[int, str]], concede_at: list[tuple[int, int]]
) -> frozenset[str]:
    """The entities (at their token positions) that a concession denies their effect:
    within `CONCESSION_WINDOW` tokens on the side where the concession's object stands
    (`concede_at`: position and side, 1 after it, -1 before it, 0 either)."""
    found = frozenset(
        name
        for position, name in positions
        if any(
            0 < (position - at) * side <= CONCESSION_WINDOW
            if side
            else 0 < abs(position - at) <= CONCESSION_WINDOW
            for at, side in concede_at
        )
    )
    return found or EMPTY


@dataclass(slots=True, eq=False)
class _TextFrame:
    words: frozenset[str]
    entities: frozenset[str]
    event_entities: frozenset[str]
    event: bool
    ordered: str
    compares: bool
    conceded: frozenset[str]
    negated: bool
    figures: frozenset[float]
    standing: Standing | None


@dataclass(slots=True, eq=False)
class TokenInfo:
    word: str
    """The token lower-cased."""
    content: tuple[str, ...]
    """What it adds to the content words: an English stem, or a Korean word without its
    particle."""
    event: bool
    compares: bool
    concedes: int | None
    """Denies a named thing its effect: where the thing stands, 1 after ("despite",
    "without"), -1 before (불구하고, 극복), 0 either ("overcome"); None for no concession."""
    standing: str
    """Places one party against another: "behind", "chasing", "level", "ahead" (the
    classes of `standing_after_negation`), "catch"/"caught" before an "up", or ''."""
    entity: str
    """The entity a one-word alias names, or ''."""
    starts_longer: frozenset[str]
    """The second words of the aliases of several words it may start (matched where it
    stands when the next token is one of them; Korean may add a particle to it)."""
    negation: bool
    figure: float | None
    special: bool
    """Any of the above but content: most tokens are plain words and skip the checks."""
    original: str
    """The token as written (for aliases that must match its case)."""


_content_of = attrgetter("content")
_special_of = attrgetter("special")


def _next_word_in(infos: list[TokenInfo], position: int, second_words: frozenset[str]) -> bool:
    if position + 1 >= len(infos):
        return False
    following = infos[position + 1].word
    return following in second_words or any(
        following.startswith(word) for word in second_words if is_hangul(word)
    )


def _measures_something(info: TokenInfo, position: int, infos: list[TokenInfo]) -> bool:
    """Whether a figure measures something ("$5.6M", "4th", "5 companies", "in 2023")
    rather than numbering it ("set 5", a footnote): a decimal, a year, or a word after
    it saying what it counts."""
    if info.figure is None:
        return False
    if 1800 <= info.figure <= 2100 or "." in info.word or "," in info.word:
        return True
    following = infos[position + 1] if position + 1 < len(infos) else None
    return following is not None and following.figure is None


EMPTY: frozenset[Any] = frozenset()
"""The one empty set that frames share: most frames name no group, event or figure, and
each empty frozenset is 216 bytes, 100,000 of them per field."""


def _union(first: frozenset[str], second: frozenset[str]) -> frozenset[str]:
    """`first | second`, without a new set when one of them holds the other (frames
    keep these for the whole run, and most quotes add nothing to their statement)."""
    if not second or second <= first:
        return first
    if not first or first <= second:
        return second
    return first | second


class _ChunkCache(dict[str, tuple["TokenInfo", ...]]):
    """Tokens of a chunk of text by the chunk, made on first use (`__missing__`, so that
    a lookup that hits stays in C); at most `CHUNK_CACHE` chunks are kept."""

    def __init__(self, make: Callable[[str], tuple[TokenInfo, ...]]) -> None:
        super().__init__()
        self._make = make

    def __missing__(self, chunk: str) -> tuple[TokenInfo, ...]:
        found = self._make(chunk)
        if len(self) < CHUNK_CACHE:
            self[chunk] = found
        return found


CHUNK_CACHE = 300_000
"""Chunks kept at most (a chunk beyond it is tokenised each time it comes)."""


def _acronym_singular(original: str) -> str:
    """An acronym's plural as its singular ("GPUs", "LLMs" -> "gpu", "llm"), which the
    stemmer cannot tell from a word ending in -us or -ss ("status", "class"); '' if not."""
    if len(original) >= 3 and original[-1] == "s" and original[:-1].isupper():
        return original[:-1].lower()
    return ""


def _speaker(start: int, ends: dict[int, int], infos: list[TokenInfo]) -> bool:
    """Whether the name mentioned at `start` is who says the claim, not what it is about:
    "according to CB Insights", "Zhou Qi of GSR United Capital said", "CB인사이트에
    따르면".  A claim is about what its speaker says, so the speaker is no shared subject,
    unless the claim speaks of the speaker's own ("Nvidia said its chips...")."""
    if start >= 2 and infos[start - 2].word == "according" and infos[start - 1].word == "to":
        return True
    position = ends[start]
    while position < len(infos):
        if position in ends:
            position = ends[position]
        elif infos[position].word in ATTRIBUTION_LINKS:
            position += 1
        elif infos[position].word not in SPEECH_WORDS:
            return False
        else:
            following = position + 1
            if following < len(infos) and infos[following].word == "that":
                following += 1
            return following >= len(infos) or infos[following].word not in SELF_REFERENCES
    return False


class FrameReader:
    """Reads frames with one lexicon; caches what repeats across claims (quotes)."""

    def __init__(self, index: LexiconIndex) -> None:
        self.index = index
        self._quote_cache: dict[str, _TextFrame] = {}
        self._token_cache: dict[str, TokenInfo] = {}
        self._chunks = _ChunkCache(self._chunk_infos)

    def _info(self, original: str) -> TokenInfo:
        """What one token is to the engine, worked out once per spelling."""
        word = original.lower()
        index = self.index
        entity = ""
        second_words: set[str] = set()
        candidates = index.first_aliases(word)
        for alias in candidates:
            if len(alias.words) > 1:
                second_words.add(alias.words[1])
            elif not alias.exact_case or original == alias.exact_case:
                entity = entity or alias.target
        starts_longer = frozenset(second_words)
        content: tuple[str, ...] = ()
        event = compares = False
        concedes: int | None = None
        standing = ""
        negation = word in NEGATION_WORDS
        if word[0].isdigit():
            pass
        elif is_hangul(word):
            negation = any(mark in word for mark in KOREAN_NEGATION_MARKS)
            standing = next((kind for mark, kind in KOREAN_STANDING if mark in word), "")
            event = any(mark in word for mark in index.hangul_event_words)
            compares = any(mark in word for mark in KOREAN_COMPARISON_STEMS)
            if word.startswith(KOREAN_CONCESSION_PREFIXES) or any(
                mark in word for mark in KOREAN_CONCESSION_STEMS
            ):
                concedes = -1
            stripped = korean_content(word)
            if len(stripped) >= 2:
                content = (stripped,)
        elif len(word) >= 2 and word not in STOPWORDS:
            stemmed = stem(_acronym_singular(original) or word)
            compares = stemmed in COMPARISON_WORDS
            if word in CONCESSION_WORDS:
                concedes = 1
            elif word in CONCESSION_VERBS:
                concedes = 0
            event = stemmed in index.event_words and (
                stemmed != word or word in index.bare_event_words
            )
            content = (stemmed,)
            standing = english_standing(word, stemmed)
        elif word in IDIOM_WORDS:
            standing = word
        figure: float | None = None
        if word[0].isdigit():
            try:
                figure = float(word.replace(",", ""))
            except ValueError:
                figure = None
        special = bool(event or compares or negation or entity or starts_longer)
        special = special or figure is not None or concedes is not None or bool(standing)
        info = TokenInfo(
            word,
            content,
            event,
            compares,
            concedes,
            standing,
            entity,
            starts_longer,
            negation,
            figure,
            special,
            original,
        )
        if len(self._token_cache) < 500_000:
            self._token_cache[original] = info
        return info

    def _chunk_infos(self, chunk: str) -> tuple[TokenInfo, ...]:
        """The tokens of one whitespace-free piece of text, as the engine reads them."""
        cache = self._token_cache
        return tuple(
            cache.get(original) or self._info(original) for original in _TOKEN_RE.findall(chunk)
        )

    def _text(self, text: str) -> _TextFrame:
        """Content words, entities, the entities next to an event word, content words in order."""
        folded = fold(text)
        # Tokens never hold whitespace, so a text's tokens are those of its
        # whitespace-separated chunks, and chunks repeat across claims far more than
        # whole texts do: each is tokenised and looked up once (`_chunk_infos`).
        infos = list(chain.from_iterable(map(self._chunks.__getitem__, folded.split())))
        originals: list[str] | None = None
        # Content words and the positions of special tokens gathered in C: most tokens
        # are plain words, and the loop below visits only the others.
        content = list(chain.from_iterable(map(_content_of, infos)))
        event_at: list[int] = []
        concede_at: list[tuple[int, int]] = []
        negation_at: list[int] = []
        standing_at: list[int] = []
        compares = False
        contracted = negated = "n't" in text or "n’t" in text
        figures: list[float] = []
        positions: list[tuple[int, str]] = []
        words: list[str] | None = None
        skip_to = 0
        ends: dict[int, int] = {}
        for position in compress(positions_from(), map(_special_of, infos)):
            info = infos[position]
            if info.event:
                event_at.append(position)
            if info.compares:
                compares = True
            if info.standing:
                standing_at.append(position)
            if info.concedes is not None:
                concede_at.append((position, info.concedes))
            if info.negation:
                negated = True
                negation_at.append(position)
            if info.figure is not None and _measures_something(info, position, infos):
                figures.append(info.figure)
            if position < skip_to:
                continue
            if info.starts_longer and _next_word_in(infos, position, info.starts_longer):
                if words is None or originals is None:
                    words = [info.word for info in infos]
                    originals = [info.original for info in infos]
                match = self.index.match_at(words, originals, position)
                if match is not None:
                    positions.append((position, match[0]))
                    skip_to = position + match[1]
                    ends[position] = skip_to
            elif info.entity:
                positions.append((position, info.entity))
                ends[position] = position + 1
        if positions:
            positions = [mention for mention in positions if not _speaker(mention[0], ends, infos)]
        entities = frozenset(name for _, name in positions) if positions else EMPTY
        near = (
            frozenset(
                name
                for position, name in positions
                if any(abs(position - at) <= EVENT_WINDOW for at in event_at)
            )
            or EMPTY
            if event_at and positions
            else EMPTY
        )
        if concede_at and negation_at:
            concede_at = _conceding(concede_at, negation_at, infos)
        conceded = _conceded(positions, concede_at) if concede_at and positions else EMPTY
        standing = (
            read_standing(standing_at, positions, ends, negation_at, infos, self.index, contracted)
            if standing_at and positions
            else None
        )
        return _TextFrame(
            frozenset(content) if content else EMPTY,
            entities,
            near,
            bool(event_at),
            " ".join(content),
            compares,
            conceded,
            negated,
            frozenset(figures) if figures else EMPTY,
            standing,
        )

    def done_reading(self) -> None:
        """Let go of the chunks read so far (a few hundred thousand strings on a large
        project): frames are all read, and only `dates_of` is asked for from now on."""
        self._chunks.clear()

    def dates_of(self, frame: Frame) -> tuple[Period, ...]:
        """The dates a claim gives (read once, when first asked)."""
        if frame.dates is None:
            frame.dates = tuple(explicit_dates(frame.statement, frame.published, self.index))
        return frame.dates

    def _quote(self, quote: str) -> _TextFrame:
        found = self._quote_cache.get(quote)
        if found is None:
            found = self._text(quote)
            if len(self._quote_cache) < 200_000:
                self._quote_cache[quote] = found
        return found

    def read(self, index: int, claim: Claim, published: dt.date | None, view: str) -> Frame:
        """A model's frame (see `read_facts`)."""
        return self.read_facts(index, facts_of(claim), published, view)

    def read_facts(
        self, index: int, claim: ClaimFacts, published: dt.date | None, view: str
    ) -> Frame:
        statement = claim.statement
        quote = claim.quote
        said = self._text(statement)
        quoted = self._quote(quote)
        every_entity = _union(said.entities, quoted.entities)
        wider = self.index.wider
        if wider and not every_entity.isdisjoint(wider):
            every_entity = every_entity.union(*(wider.get(name, EMPTY) for name in every_entity))
        # What the claim concedes is what its statement says: a quote cut from a
        # concessive clause ("despite Nvidia's dominance, ...") concedes for its sentence.
        conceded = said.conceded
        if wider and conceded and not conceded.isdisjoint(wider):
            conceded = conceded.union(*(wider.get(name, EMPTY) for name in conceded))
        group_of = self.index.group_of
        groups = (
            frozenset(group for name in every_entity if (group := group_of.get(name))) or EMPTY
            if every_entity and group_of
            else EMPTY
        )
        amount = (
            amount_of(claim.quantity, statement, quote, self.index)
            if claim.quantity is not None
            else None
        )
        event = said.event or quoted.event
        return Frame(
            index=index,
            claim_id=claim.id,
            source_id=claim.source_id,
            quote=quote,
            published=published,
            view=view,
            stance=claim.stance,
            topic=claim.topic,
            entities=every_entity,
            groups=groups,
            words=_union(said.words, quoted.words),
            text_key=said.ordered,
            negated=said.negated,
            quote_negated=quoted.negated,
            amount=amount,
            figures=said.figures,
            event=event,
            event_entities=_union(said.event_entities, quoted.event_entities),
            compares=said.compares or quoted.compares,
            conceded=conceded,
            standing=said.standing or quoted.standing,
            statement=statement,
        )
