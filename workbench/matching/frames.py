"""What a claim is about: its frame.

A frame is read from a claim's statement, quote and quantity and from its
source's publication date: the entities it names (through the project's
lexicon, in any language of the sources), its content words, the quantity it
states (subject, value as an interval, bound, unit family, period), the dates
of the events it speaks of (explicit, relative to the publication date, or
relative to a named event of the lexicon) and its polarity.  Two claims are
then compared frame to frame (`workbench.matching.scoring`), never by
corpus-specific rules: every word of the subject comes from `Lexicon`.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from workbench.matching.language import (
    COMPARISON_WORDS,
    DAY_UNITS,
    KOREAN_COMPARISON_STEMS,
    KOREAN_DAY_COUNTS,
    LOWER_BOUND_RE,
    MONTHS,
    NEGATION_RE,
    NUMBER_WORDS,
    RELATIVE_MONTHS,
    RELATIVE_YEARS,
    STOPWORDS,
    UPPER_BOUND_RE,
    fold,
    stem,
    strip_particle,
)
from workbench.models import Claim, Lexicon, Quantity
from workbench.numbers import normalize_unit

_TOKEN_RE = re.compile(r"[A-Za-z]+|\d+(?:[.,]\d+)*|[가-힣]+|[\u3400-\u9fff]")
_HANGUL_RE = re.compile(r"[가-힣]")


def _is_hangul(token: str) -> bool:
    return "가" <= token[0] <= "힣"


def tokens(text: str) -> list[str]:
    """Words as the engine reads them: letters, digits, Hangul runs and single CJK
    characters, lower-cased; aliases are read the same way, so they match alike."""
    return [token.lower() for token in _TOKEN_RE.findall(fold(text))]


# --------------------------------------------------------------------------- the lexicon


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
                    self._event_first.setdefault(words[0], []).append(
                        _Alias(words, event.name, "")
                    )
        for found in self._event_first.values():
            found.sort(key=lambda alias: -len(alias.words))
        self.event_words = frozenset(
            stem(word) if not _is_hangul(word) else word
            for phrase in lexicon.event_words
            for word in tokens(phrase)[:1]
        )
        self.hangul_event_words = tuple(word for word in self.event_words if _is_hangul(word))
        self.opposing: dict[str, frozenset[str]] = {}
        for first, second in lexicon.opposing_stances:
            self.opposing[first] = self.opposing.get(first, frozenset()) | {second}
            self.opposing[second] = self.opposing.get(second, frozenset()) | {first}
        self.rivals = [(first, second) for first, second in lexicon.rivals]
        self.alias_words = frozenset(
            word for aliases in self._first.values() for alias in aliases for word in alias.words
        )

    def _add(self, alias: str, name: str) -> None:
        words = tuple(tokens(alias))
        if not words:
            return
        stripped = alias.strip()
        exact = stripped if stripped.isupper() and len(stripped) <= 4 else ""
        self._first.setdefault(words[0], []).append(_Alias(words, name, exact))
        self._first[words[0]].sort(key=lambda item: -len(item.words))
        if _is_hangul(words[0]):
            self._longest_hangul = max(self._longest_hangul, len(words[0]))

    def opposes(self, first: str, second: str) -> bool:
        return second in self.opposing.get(first, frozenset())

    def entities_in(self, words: list[str], originals: list[str]) -> set[str]:
        """Entity names that the token list mentions (Korean particles allowed after)."""
        return {name for _, name in self.entity_positions(words, originals)}

    def entity_positions(self, words: list[str], originals: list[str]) -> list[tuple[int, str]]:
        """(token position, entity name) of each mention in the token list."""
        found: list[tuple[int, str]] = []
        first = self._first
        position = 0
        count = len(words)
        while position < count:
            word = words[position]
            matched = 0
            candidates = first.get(word)
            if candidates is None and _is_hangul(word) and len(word) > 1:
                for size in range(min(len(word) - 1, self._longest_hangul), 0, -1):
                    candidates = first.get(word[:size])
                    if candidates is not None:
                        candidates = [alias for alias in candidates if len(alias.words) == 1]
                        break
            if candidates:
                for alias in candidates:
                    size = len(alias.words)
                    if alias.exact_case and originals[position] != alias.exact_case:
                        continue
                    if size == 1 or tuple(words[position : position + size]) == alias.words:
                        found.append((position, alias.target))
                        matched = size
                        break
                    last = alias.words[-1]
                    if (
                        _is_hangul(last)
                        and tuple(words[position : position + size - 1]) == alias.words[:-1]
                        and position + size - 1 < count
                        and words[position + size - 1].startswith(last)
                    ):
                        found.append((position, alias.target))
                        matched = size
                        break
            position += max(matched, 1)
        return found

    def events_in(self, words: list[str]) -> list[tuple[int, str]]:
        """(token position, event name) of each named event the token list mentions."""
        found: list[tuple[int, str]] = []
        for position, word in enumerate(words):
            for alias in self._event_first.get(word, ()):
                if tuple(words[position : position + len(alias.words)]) == alias.words:
                    found.append((position, alias.target))
                    break
        return found


# --------------------------------------------------------------------------- frames


@dataclass(frozen=True, slots=True)
class Amount:
    """A claim's quantity, normalised so that two of them compare."""

    subject: frozenset[str]
    """Content words of the quantity's subject."""
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


@dataclass(frozen=True, slots=True)
class Frame:
    """What one claim is about, as the engine compares it."""

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
    statement_words: tuple[str, ...]
    negated: bool
    amount: Amount | None
    figures: frozenset[float]
    """Values written in the statement (digits), to tell restatements with other figures apart."""
    event: bool
    """The claim speaks of an event (the lexicon's event words)..."""
    event_entities: frozenset[str]
    """...and these entities are named next to an event word: what the event is about."""
    compares: bool
    """It sets one side against another ("trails", "catch up", "뒤처진다")."""
    dates: tuple[Period, ...]
    """Dates it gives, most specific first: explicit, relative to publication or to an event."""


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
_RELATIVE_MONTH_RE = re.compile(
    "|".join(re.escape(key) for key in RELATIVE_MONTHS), re.IGNORECASE
)
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
    if index is not None and index.event_dates:
        words = tokens(folded)
        for position, name in index.events_in(words):
            event_day = index.event_dates[name]
            window = " ".join(words[max(0, position - 8) : position])
            offset = None
            for offset in _OFFSET_RE.finditer(window):
                pass
            if offset is not None:
                count_word = offset.group(1).lower()
                count = NUMBER_WORDS.get(count_word) or int(count_word)
                sign = -1 if offset.group(3).lower() in ("before", "earlier than", "ahead of", "prior to") else 1
                day = _shift(event_day, sign * count, offset.group(2).lower())
                add(Period(day, day), (-1, -1))
            else:
                korean = _KO_OFFSET_RE.search(" ".join(words[position : position + 8]))
                if korean is not None:
                    amount = KOREAN_DAY_COUNTS.get(korean.group(1))
                    if amount is None:
                        amount = int(re.sub(r"\D", "", korean.group(1)))
                    sign = -1 if korean.group(2) in ("전", "앞서") else 1
                    day = event_day + dt.timedelta(days=sign * amount)
                    add(Period(day, day), (-1, -1))
    for match in _DAY_MONTH_YEAR_RE.finditer(folded):
        day = _safe_date(int(match.group(3)), MONTHS[match.group(2).lower()], int(match.group(1)))
        add(Period(day, day) if day else None, match.span())
    for match in _MONTH_DAY_YEAR_RE.finditer(folded):
        day = _safe_date(int(match.group(3)), MONTHS[match.group(1).lower()], int(match.group(2)))
        add(Period(day, day) if day else None, match.span())
    for match in _ISO_RE.finditer(folded):
        year, month = int(match.group(1)), int(match.group(2))
        if not 1 <= month <= 12:
            continue
        if match.group(3):
            day = _safe_date(year, month, int(match.group(3)))
            add(Period(day, day) if day else None, match.span())
        else:
            add(month_period(year, month), match.span())
    for match in _MONTH_YEAR_RE.finditer(folded):
        add(month_period(int(match.group(2)), MONTHS[match.group(1).lower()]), match.span())
    if _HANGUL_RE.search(folded):
        for match in _KO_DATE_RE.finditer(folded):
            month = int(match.group(2))
            if not 1 <= month <= 12:
                continue
            if match.group(1):
                year: int | None = int(match.group(1))
            else:
                recent = _recent_month(month, published)
                year = recent.start.year if recent else None
            if year is None:
                continue
            if match.group(3):
                day = _safe_date(year, month, int(match.group(3)))
                add(Period(day, day) if day else None, match.span())
            else:
                add(month_period(year, month), match.span())
    for match in _BARE_MONTH_RE.finditer(folded):
        add(_recent_month(MONTHS[match.group(1).lower()], published), match.span(1))
    if published is not None:
        for match in _RELATIVE_MONTH_RE.finditer(lowered):
            shift = RELATIVE_MONTHS[match.group().lower()]
            month_index = published.year * 12 + published.month - 1 + shift
            add(month_period(month_index // 12, month_index % 12 + 1), match.span())
        for match in _RELATIVE_YEAR_RE.finditer(lowered):
            add(year_period(published.year + RELATIVE_YEARS[match.group().lower()]), match.span())
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


def _one_period(text: str) -> Period | None:
    parts = [int(part) for part in text.split("-")]
    if len(parts) == 1:
        return year_period(parts[0])
    if len(parts) == 2:
        return month_period(parts[0], parts[1]) if 1 <= parts[1] <= 12 else None
    day = _safe_date(parts[0], parts[1], parts[2])
    return Period(day, day) if day else None


def _date_amount(quantity: Quantity, unit: str) -> tuple[float, float] | None:
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


def _bound(scope: str, statement: str, quote: str) -> str:
    if "upper bound" in scope.lower():
        return "upper"
    if "lower bound" in scope.lower():
        return "lower"
    for text in (statement, quote):
        if UPPER_BOUND_RE.search(text):
            return "upper"
        if LOWER_BOUND_RE.search(text):
            return "lower"
    return ""


def amount_of(
    quantity: Quantity, statement: str, quote: str, index: LexiconIndex
) -> Amount | None:
    """A claim's quantity in comparable form, or None if it cannot be compared."""
    unit = normalize_unit(quantity.unit)
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
        found = _bound(quantity.scope, statement, quote)
        bound = found or bound
    subject_words = tokens(quantity.subject)
    entities = frozenset(index.entities_in(subject_words, subject_words))
    subject = frozenset(
        stem(word)
        for word in subject_words
        if word not in STOPWORDS and not word[0].isdigit() and len(word) > 1
    )
    return Amount(
        subject=subject,
        subject_entities=entities,
        family=family,
        low=low,
        high=high,
        bound=bound,
        approximate=quantity.approximate,
        period=_period(quantity.period),
        scope=_BOUND_NOTE_RE.sub("", quantity.scope).strip().lower(),
        unit=unit,
    )


_BOUND_NOTE_RE = re.compile(r"\b(?:lower|upper) bound\b\s*(?:\([^)]*\))?", re.IGNORECASE)
_FIGURE_RE = re.compile(r"(?<![A-Za-z\d.])\d+(?:[.,]\d+)*")


def _figures(statement: str) -> frozenset[float]:
    values: set[float] = set()
    for match in _FIGURE_RE.finditer(statement):
        text = match.group().replace(",", "")
        try:
            values.add(float(text))
        except ValueError:
            continue
    return frozenset(values)


EVENT_WINDOW = 6
"""Tokens between an event word and an entity that the event is about."""


@dataclass(frozen=True, slots=True)
class _TextFrame:
    words: frozenset[str]
    entities: frozenset[str]
    event_entities: frozenset[str]
    event: bool
    ordered: tuple[str, ...]
    compares: bool


class FrameReader:
    """Reads frames with one lexicon; caches what repeats across claims (quotes)."""

    def __init__(self, index: LexiconIndex) -> None:
        self.index = index
        self._quote_cache: dict[str, _TextFrame] = {}

    def _text(self, text: str) -> _TextFrame:
        """Content words, entities, the entities next to an event word, content words in order."""
        originals = _TOKEN_RE.findall(fold(text))
        words = [word.lower() for word in originals]
        positions = self.index.entity_positions(words, originals)
        entities = frozenset(name for _, name in positions)
        content: list[str] = []
        event_at: list[int] = []
        compares = False
        event_words = self.index.event_words
        hangul_events = self.index.hangul_event_words
        for position, word in enumerate(words):
            if word[0].isdigit():
                continue
            if _is_hangul(word):
                if hangul_events and any(mark in word for mark in hangul_events):
                    event_at.append(position)
                if not compares and any(mark in word for mark in KOREAN_COMPARISON_STEMS):
                    compares = True
                stripped = strip_particle(word)
                if len(stripped) >= 2:
                    content.append(stripped)
                    content.extend(
                        "~" + stripped[start : start + 2] for start in range(len(stripped) - 1)
                    )
                continue
            if len(word) < 2 or word in STOPWORDS:
                continue
            stemmed = stem(word)
            if stemmed in COMPARISON_WORDS:
                compares = True
            if stemmed in event_words:
                event_at.append(position)
            content.append(stemmed)
        near = frozenset(
            name
            for position, name in positions
            if any(abs(position - at) <= EVENT_WINDOW for at in event_at)
        )
        return _TextFrame(
            frozenset(content), entities, near, bool(event_at), tuple(content), compares
        )

    def _quote(self, quote: str) -> _TextFrame:
        found = self._quote_cache.get(quote)
        if found is None:
            found = self._text(quote)
            if len(self._quote_cache) < 200_000:
                self._quote_cache[quote] = found
        return found

    def read(
        self, index: int, claim: Claim, published: dt.date | None, view: str
    ) -> Frame:
        statement = claim.statement
        said = self._text(statement)
        quoted = self._quote(claim.source.quote)
        every_entity = said.entities | quoted.entities
        groups = frozenset(
            group for name in every_entity if (group := self.index.group_of.get(name))
        )
        amount = (
            amount_of(claim.quantity, statement, claim.source.quote, self.index)
            if claim.quantity is not None
            else None
        )
        event = said.event or quoted.event
        dates: tuple[Period, ...] = ()
        if event or (amount is not None and amount.family == "date"):
            dates = tuple(explicit_dates(statement, published, self.index))
        return Frame(
            index=index,
            claim_id=claim.id,
            source_id=claim.source.id,
            quote=claim.source.quote,
            published=published,
            view=view,
            stance=claim.stance,
            topic=claim.topic,
            entities=every_entity,
            groups=groups,
            words=said.words | quoted.words,
            statement_words=said.ordered,
            negated=NEGATION_RE.search(statement) is not None,
            amount=amount,
            figures=_figures(statement),
            event=event,
            event_entities=said.event_entities | quoted.event_entities,
            compares=said.compares or quoted.compares,
            dates=dates,
        )


def read_frames(
    claims: Iterable[Claim],
    lexicon: Lexicon,
    published: Mapping[str, dt.date],
    views: Mapping[str, str],
) -> list[Frame]:
    """The frame of each claim, in order."""
    reader = FrameReader(LexiconIndex(lexicon))
    return [
        reader.read(position, claim, published.get(claim.source.id), views.get(claim.source.id, ""))
        for position, claim in enumerate(claims)
    ]
