"""Find and normalise the numbers that Korean and English news text mentions.

`workbench check` (does a claim's quantity appear in its quote?), `workbench add`
(propose a quantity from a quote) and the matching engine (do two claims state
the same value?) must agree on what counts as a number and what it is worth, so
there is exactly one parser and they all call it.

The parser is a hand-written scanner over a handful of regular expressions
compiled at import: one search finds where a mention may start, then short
anchored matches read the numeral, its magnitude, its unit and any range or
"about" marker.  Each text is read once, left to right, which keeps it fast
enough for the matching engine to run over a hundred thousand quotes.

It is deliberately conservative about identifiers: `GPT-4`, `A100`, `V3`,
`Qwen2.5` or `2.5-Max` are model names, not quantities, and a false number in
`workbench check` output costs a reviewer more time than a missed one.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass

__all__ = [
    "NumberMention",
    "find_quantity",
    "format_value",
    "normalize_unit",
    "parse_numbers",
    "units_compatible",
]


@dataclass(frozen=True, slots=True)
class NumberMention:
    """One number mention, with offsets into the text the caller passed.

    `raw` includes the words that qualify the number ("약 45조원", "300개 이상",
    "between 5 and 6 million") so that a reviewer sees what made it approximate.
    """

    start: int
    end: int
    raw: str
    low: float
    high: float
    unit: str
    kind: str
    approximate: bool

    @property
    def value(self) -> float | None:
        """The single value, or None for a range: callers must not silently pick an end."""
        return self.low if self.low == self.high else None


# --------------------------------------------------------------------------- units

_CURRENCIES = frozenset(
    {"USD", "CNY", "KRW", "EUR", "JPY", "GBP", "HKD", "TWD", "SGD", "INR", "CHF", "CAD", "AUD"}
)

_NON_COUNT_UNITS = frozenset(
    [
        "percent",
        "percentage-points",
        "ratio",
        "times",
        "rank",
        "years",
        "months",
        "weeks",
        "days",
        "hours",
        "minutes",
        "seconds",
        "date",
        "year",
        "year-month",
        "month-day",
        "month",
        "day",
        "quarter",
        "time",
        "years-old",
    ]
)

# Caller-side spellings (claim files are written by people) mapped to the parser's units.
_UNIT_ALIASES: dict[str, str] = {
    "$": "USD",
    "us$": "USD",
    "usd": "USD",
    "dollar": "USD",
    "dollars": "USD",
    "us dollars": "USD",
    "달러": "USD",
    "yuan": "CNY",
    "rmb": "CNY",
    "cny": "CNY",
    "renminbi": "CNY",
    "위안": "CNY",
    "元": "CNY",
    "won": "KRW",
    "krw": "KRW",
    "원": "KRW",
    "₩": "KRW",
    "eur": "EUR",
    "euro": "EUR",
    "euros": "EUR",
    "€": "EUR",
    "유로": "EUR",
    "yen": "JPY",
    "jpy": "JPY",
    "엔": "JPY",
    "¥": "JPY",
    "gbp": "GBP",
    "pound": "GBP",
    "pounds": "GBP",
    "£": "GBP",
    "%": "percent",
    "％": "percent",
    "pct": "percent",
    "per cent": "percent",
    "percentage": "percent",
    "퍼센트": "percent",
    "%p": "percentage-points",
    "pp": "percentage-points",
    "percentage point": "percentage-points",
    "percentage points": "percentage-points",
    "percentage-point": "percentage-points",
    "x": "times",
    "fold": "times",
    "배": "times",
    "위": "rank",
    "no.": "rank",
    "year": "year",
    "yr": "years",
    "yrs": "years",
    "month": "month",
    "week": "weeks",
    "hour": "hours",
    "hrs": "hours",
    "minute": "minutes",
    "mins": "minutes",
    "second": "seconds",
    "secs": "seconds",
    "1": "",
    "-": "",
    "none": "",
    "number": "",
}


def normalize_unit(unit: str) -> str:
    """Map a unit as a person writes it in a claim file to the parser's spelling.

    Claim files say "USD", "dollars" or "%" interchangeably; comparisons must not
    depend on which one a reviewer typed.  Unknown units are lower-cased, with
    spaces turned into hyphens ("Data centers" -> "data-centers").
    """
    text = unicodedata.normalize("NFC", unit).strip()
    if not text:
        return ""
    if text.upper() in _CURRENCIES:
        return text.upper()
    low = text.lower()
    alias = _UNIT_ALIASES.get(low)
    if alias is not None:
        return alias
    return "-".join(low.split())


def _is_count_unit(unit: str) -> bool:
    return unit not in _NON_COUNT_UNITS and unit not in _CURRENCIES


def units_compatible(a: str, b: str) -> bool:
    """Whether two units can describe the same quantity.

    A quote rarely repeats the claim's noun ("1만1800개소" for a claim counted in
    "data-centers"), so every count unit matches every other; money must share a
    currency, because converting needs a rate and a date; and a number written
    without any unit may stand for anything.
    """
    na, nb = normalize_unit(a), normalize_unit(b)
    if not na or not nb or na == nb:
        return True
    return _is_count_unit(na) and _is_count_unit(nb)


# --------------------------------------------------------------------------- formatting

_SINGULAR = {
    "years": "year",
    "months": "month",
    "weeks": "week",
    "days": "day",
    "hours": "hour",
    "minutes": "minute",
    "seconds": "second",
    "items": "item",
    "sites": "site",
    "cases": "case",
    "places": "place",
    "units": "unit",
    "papers": "paper",
    "kinds": "kind",
    "countries": "country",
    "companies": "company",
}
_MONTH_NAMES = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]


def _plain(value: float) -> str:
    if value == int(value) and abs(value) < 1e15:
        return f"{int(value):,}"
    text = f"{value:,.6g}"
    if "e" in text:
        return f"{value:g}"
    return text


def _scaled(value: float) -> str:
    for size, word in ((1e12, "trillion"), (1e9, "billion"), (1e6, "million")):
        if abs(value) >= size:
            return f"{_plain(round(value / size, 6))} {word}"
    return _plain(round(value, 6))


def format_value(value: float, unit: str) -> str:
    """A value as a reviewer reads it next to the quote: "5.6 million USD", "10 percent".

    Korean magnitudes (만, 억, 조) do not line up with English ones, so reviewers
    comparing `560만달러` with a claim need the English words, not a bare float.
    """
    unit = normalize_unit(unit)
    if not math.isfinite(value):
        return f"{value} {unit}".strip()
    iv = int(value) if value == int(value) else None
    if unit == "date" and iv is not None and iv > 10000000:
        return f"{iv // 10000:04d}-{iv // 100 % 100:02d}-{iv % 100:02d}"
    if unit == "year-month" and iv is not None and iv > 10000:
        return f"{iv // 100:04d}-{iv % 100:02d}"
    if unit == "month-day" and iv is not None and 101 <= iv <= 1231:
        return f"{_MONTH_NAMES[(iv // 100 - 1) % 12]} {iv % 100}"
    if unit == "month" and iv is not None and 1 <= iv <= 12:
        return _MONTH_NAMES[iv - 1]
    if unit == "day" and iv is not None:
        return f"day {iv} of the month"
    if unit == "year" and iv is not None:
        return str(iv)
    if unit == "time" and iv is not None:
        return f"{iv // 100:02d}:{iv % 100:02d}"
    if unit == "quarter":
        return f"Q{_plain(value)}"
    if unit == "rank":
        return f"rank {_plain(value)}"
    if unit == "ratio":
        return f"{_plain(round(value, 6))} (ratio)"
    number = _scaled(value)
    if not unit:
        return number
    if value == 1 and unit in _SINGULAR:
        unit = _SINGULAR[unit]
    return f"{number} {unit}"


# --------------------------------------------------------------------------- scanner tables

_NUM_RE = re.compile(r"[0-9]{1,3}(?:,[0-9]{3})+(?![0-9])(?:\.[0-9]+)?|[0-9]+(?:\.[0-9]+)?")

_KO_SMALL = {"십": 10.0, "백": 100.0, "천": 1000.0}
_KO_BIG = {"만": 1e4, "억": 1e8, "조": 1e12}
# The lookaheads keep words such as 백신 (vaccine), 백서 (white paper) or 조사
# (survey) from being read as magnitudes when they follow a digit.
_SMALL_RE = re.compile(r"십(?!자)|백(?![신화악과서성제두])|천(?![안재연문국사주하천지식체막])")
_BIG_RE = re.compile(
    r"만(?!큼)|억(?![제지측압])|조(?![항건직사치정합성작례약회언명율금절선형업]|달(?!러))"
)

_EN_MAG = {
    "thousand": 1e3,
    "million": 1e6,
    "billion": 1e9,
    "trillion": 1e12,
    "mn": 1e6,
    "bn": 1e9,
    "tn": 1e12,
    "k": 1e3,
    "m": 1e6,
    "b": 1e9,
}
_EN_MAG_WORD_RE = re.compile(
    r"[ \u00a0]?(thousand|million|billion|trillion|mn|bn|tn)(?![A-Za-z])", re.I
)
_EN_MAG_LETTER_RE = re.compile(r"[KkMB](?![A-Za-z0-9])")
_EN_MAG_NEXT = frozenset(" \u00a0KkMBmbtT")
_KO_NUMERAL_CHARS = frozenset("십백천만억조")
_KO_SIMPLE_RE = re.compile(rf"({_NUM_RE.pattern})(?:({_SMALL_RE.pattern}))?({_BIG_RE.pattern})")

_PARTICLE_RE = re.compile(
    r"으로|부터|보다|처럼|마다|남짓|안팎|정도|미만|대비|대로|동안|상당|짜리"
    r"|[이가을를은는의에로와과도만까씩당째쯤간여나며고다께뿐내라인치초중후새말엔랑하및권생차대]"
)

_KO_UNITS: dict[str, tuple[str, str]] = {
    "달러": ("USD", "money"),
    "위안": ("CNY", "money"),
    "원": ("KRW", "money"),
    "엔": ("JPY", "money"),
    "유로": ("EUR", "money"),
    "파운드": ("GBP", "money"),
    "퍼센트포인트": ("percentage-points", "percent"),
    "퍼센트": ("percent", "percent"),
    "배": ("times", "ratio"),
    "번째": ("rank", "rank"),
    "위": ("rank", "rank"),
    "차": ("rank", "rank"),
    "개년": ("years", "duration"),
    "개월": ("months", "duration"),
    "달": ("months", "duration"),
    "주일": ("weeks", "duration"),
    "주간": ("weeks", "duration"),
    "년간": ("years", "duration"),
    "년대": ("years", "duration"),
    "년": ("years", "duration"),
    "일간": ("days", "duration"),
    "일": ("days", "duration"),
    "시간": ("hours", "duration"),
    "분기": ("quarter", "date"),
    "분": ("minutes", "duration"),
    "초": ("seconds", "duration"),
    "월": ("month", "date"),
    "개국": ("countries", "count"),
    "개사": ("companies", "count"),
    "개소": ("sites", "count"),
    "개": ("items", "count"),
    "곳": ("places", "count"),
    "명": ("people", "count"),
    "건": ("cases", "count"),
    "대": ("units", "count"),
    "편": ("papers", "count"),
    "종": ("kinds", "count"),
    "가지": ("kinds", "count"),
    "세": ("years-old", "number"),
    "살": ("years-old", "number"),
}
_KO_UNIT_RE = re.compile(
    r"퍼센트포인트|퍼센트|개년|개월|개국|개사|개소|번째|주일|주간|년간|년대|일간|시간|분기"
    r"|달러|위안|유로|파운드|가지|원(?![칙자전리])|엔(?![비지진터트젤])|배|위|차(?![원이량별세례])"
    r"|년|달|일|분(?![야석])|초(?![과반기대점])|월|개|곳|명|건|대|편(?!의점)|종|세(?![대계기])|살"
)
_YEAR_DURATION_TAIL_RE = re.compile(r"\s?(?:간|동안|만에|만의|만이|째)")
_DAY_DURATION_TAIL_RE = re.compile(r"\s?(?:동안|만에|만의|만이|째|이내|내에|간)")
_YMD_TAIL_RE = re.compile(r"[ \u00a0]?([0-9]{1,2})월(?:[ \u00a0]?([0-9]{1,2})일)?")
_MD_TAIL_RE = re.compile(r"[ \u00a0]?([0-9]{1,2})일")
_RATIO_RE = re.compile(r"분의[ \u00a0]?([0-9]+(?:\.[0-9]+)?)")
_LOCAL_TIME_RE = re.compile(r"\(현지[ \u00a0]?(?:시각|시간)\)")

_SYM_UNIT_RE = re.compile(
    r"[ \u00a0]?(?:([%％]p(?![A-Za-z])|[%％][ \u00a0]?포인트)|([%％]))"
    r"|(×)|(x|st|nd|rd|th)(?![A-Za-z0-9])"
)
_EN_UNITS: dict[str, tuple[str, str]] = {
    "percentage point": ("percentage-points", "percent"),
    "percentage points": ("percentage-points", "percent"),
    "percent": ("percent", "percent"),
    "per cent": ("percent", "percent"),
    "percentage": ("percent", "percent"),
    "pct": ("percent", "percent"),
    "dollar": ("USD", "money"),
    "dollars": ("USD", "money"),
    "us dollars": ("USD", "money"),
    "usd": ("USD", "money"),
    "yuan": ("CNY", "money"),
    "renminbi": ("CNY", "money"),
    "rmb": ("CNY", "money"),
    "cny": ("CNY", "money"),
    "won": ("KRW", "money"),
    "krw": ("KRW", "money"),
    "euro": ("EUR", "money"),
    "euros": ("EUR", "money"),
    "eur": ("EUR", "money"),
    "yen": ("JPY", "money"),
    "jpy": ("JPY", "money"),
    "pound": ("GBP", "money"),
    "pounds": ("GBP", "money"),
    "gbp": ("GBP", "money"),
    "times": ("times", "ratio"),
    "fold": ("times", "ratio"),
    "year": ("years", "duration"),
    "years": ("years", "duration"),
    "yr": ("years", "duration"),
    "yrs": ("years", "duration"),
    "month": ("months", "duration"),
    "months": ("months", "duration"),
    "week": ("weeks", "duration"),
    "weeks": ("weeks", "duration"),
    "day": ("days", "duration"),
    "days": ("days", "duration"),
    "hour": ("hours", "duration"),
    "hours": ("hours", "duration"),
    "hr": ("hours", "duration"),
    "hrs": ("hours", "duration"),
    "minute": ("minutes", "duration"),
    "minutes": ("minutes", "duration"),
    "min": ("minutes", "duration"),
    "mins": ("minutes", "duration"),
    "second": ("seconds", "duration"),
    "seconds": ("seconds", "duration"),
    "sec": ("seconds", "duration"),
    "secs": ("seconds", "duration"),
}
_EN_UNIT_RE = re.compile(
    r"[ \u00a0-](percentage[ -]points?|per[ ]?cent|percentage|pct|us[ ]dollars|dollars?|usd"
    r"|yuan|renminbi|rmb|cny|won|krw|euros?|eur|yen|jpy|pounds?|gbp|times|fold"
    r"|years?|yrs?|months?|weeks?|days?|hours?|hrs?|minutes?|mins?|seconds?|secs?)(?![A-Za-z])",
    re.I,
)
_EN_NOUN_RE = re.compile(
    r"[ \u00a0]([a-z][a-z]+s|[A-Z]{2,}s|people|staff|children|men|women)(?![A-Za-z-])"
)
# Words ending in -s that follow a number without being what it counts ("3 was", "5 means").
_EN_NOUN_STOP = frozenset(
    [
        "was",
        "has",
        "does",
        "its",
        "this",
        "thus",
        "plus",
        "yes",
        "his",
        "hers",
        "ours",
        "yours",
        "theirs",
        "whereas",
        "perhaps",
        "always",
        "sometimes",
        "besides",
        "towards",
        "afterwards",
        "news",
        "series",
        "species",
        "less",
        "unless",
        "whose",
        "goes",
        "gives",
        "makes",
        "takes",
        "comes",
        "seems",
        "shows",
        "means",
        "remains",
        "includes",
    ]
)

_CUR_PREFIX = {
    "$": "USD",
    "US$": "USD",
    "US $": "USD",
    "€": "EUR",
    "£": "GBP",
    "¥": "JPY",
    "￥": "JPY",
    "₩": "KRW",
    "USD": "USD",
    "CNY": "CNY",
    "RMB": "CNY",
    "KRW": "KRW",
    "EUR": "EUR",
    "JPY": "JPY",
    "GBP": "GBP",
}

_NATIVE = {
    "한": 1,
    "두": 2,
    "세": 3,
    "네": 4,
    "다섯": 5,
    "여섯": 6,
    "일곱": 7,
    "여덟": 8,
    "아홉": 9,
    "열": 10,
    "스무": 20,
    "스물": 20,
    "서른": 30,
    "마흔": 40,
    "쉰": 50,
    "첫": 1,
}
_NATIVE_TENS = "열|스물|스무|서른|마흔|쉰"
_NATIVE_ONES = "한|두|세|네|다섯|여섯|일곱|여덟|아홉"
_NATIVE_RE = re.compile(rf"(?:({_NATIVE_TENS})({_NATIVE_ONES})?|({_NATIVE_ONES}|첫))")
_NATIVE_UNITS: dict[str, tuple[str, str]] = {
    "달러": ("USD", "money"),
    "개국": ("countries", "count"),
    "개사": ("companies", "count"),
    "개소": ("sites", "count"),
    "개": ("items", "count"),
    "가지": ("kinds", "count"),
    "곳": ("places", "count"),
    "명": ("people", "count"),
    "사람": ("people", "count"),
    "건": ("cases", "count"),
    "번째": ("rank", "rank"),
    "달": ("months", "duration"),
    "해": ("years", "duration"),
    "시간": ("hours", "duration"),
    "대": ("units", "count"),
    "편": ("papers", "count"),
    "종": ("kinds", "count"),
    "배": ("times", "ratio"),
}
# 대, 편, 종 and 배 glued to a native numeral are other words (세대, 한편, 세종, 세배).
_NATIVE_UNIT_RE = re.compile(
    r"[ \u00a0]?(달러|개국|개사|개소|개|가지|곳|명|사람|건|번째|달|해|시간)|[ \u00a0](대|편|종|배)"
)

_EN_NUMWORD = (
    "zero|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen"
    "|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy"
    "|eighty|ninety"
)
_EN_WORDS = {
    word: (k if k <= 20 else 20 + (k - 20) * 10) for k, word in enumerate(_EN_NUMWORD.split("|"))
}
_EN_SCALES = {"hundred": 100.0, "thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12}
_EN_SCALE_WORD = "hundred|thousand|million|billion|trillion"
_EN_WORD_RE = re.compile(rf"(?i:({_EN_NUMWORD}|{_EN_SCALE_WORD}))(?![A-Za-z])")
_EN_JOIN_RE = re.compile(r"(?:[ \u00a0]+and[ \u00a0]+|[ \u00a0]+|-)(?=[A-Za-z])", re.I)
_EN_A_RE = re.compile(rf"(?i:an?)[ \u00a0]+(?=(?i:{_EN_SCALE_WORD})(?![A-Za-z]))")

_MONTHS = {name[:3].lower(): k for k, name in enumerate(_MONTH_NAMES, start=1)}
_MONTH_WORD = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December"
    r"|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)"
)
_EN_MDY_RE = re.compile(
    rf"({_MONTH_WORD})\.?[ \u00a0]([0-9]{{1,2}})(?:st|nd|rd|th)?(?![0-9])"
    r"(?:,?[ \u00a0]([0-9]{4})(?![0-9]))?"
)
_EN_MY_RE = re.compile(rf"({_MONTH_WORD})\.?,?[ \u00a0]([0-9]{{4}})(?![0-9])")
_EN_DMY = (
    rf"([0-9]{{1,2}})(?:st|nd|rd|th)?[ \u00a0]({_MONTH_WORD})\.?(?![A-Za-z])"
    r"(?:,?[ \u00a0]([0-9]{4})(?![0-9]))?"
)
# Everything a digit may start that is read as a whole rather than as a numeral:
# ISO and Korean dotted dates, 2024.04, 00:30, "6 July 2023".
_DATEISH_RE = re.compile(
    r"(?P<iso>([0-9]{4})([-./])([0-9]{1,2})\3([0-9]{1,2})(?![0-9])\.?)"
    r"|(?P<dots>([0-9]{4})\.[ \u00a0]([0-9]{1,2})\.[ \u00a0]([0-9]{1,2})(?![0-9])\.?)"
    r"|(?P<ym>([0-9]{4})\.(0[1-9]|1[0-2])(?![0-9.]))"
    r"|(?P<time>([0-9]{1,2}):([0-9]{2})(?::[0-9]{2})?(?![0-9]))"
    rf"|(?P<dmy>{_EN_DMY})"
)
_DATEISH_NEXT = frozenset("-./: \u00a0snrt")
_RANGE_SEP_RE = re.compile(r"[ \u00a0]?[~∼～〜][ \u00a0]?|[ \u00a0]?[-–—][ \u00a0]?(?=[0-9$€£¥₩])")
_TO_RE = re.compile(r"[ \u00a0]+to[ \u00a0]+", re.I)
_AND_RE = re.compile(r"[ \u00a0]+and[ \u00a0]+", re.I)


def _cased(*words: str) -> tuple[str, ...]:
    """Words as written at a sentence start too; longest first so "more than" beats "than"."""
    out = {w for word in words for w in (word, word[:1].upper() + word[1:])}
    return tuple(sorted(out, key=len, reverse=True))


_FROM_WORDS = _cased("from")
_BETWEEN_WORDS = _cased("between")
_YEAR_PREP_WORDS = _cased(
    "in", "since", "by", "from", "to", "until", "till", "through", "before", "after", "during", "of"
)
_APPROX_PREFIX_WORDS = (
    "최소한",
    "적어도",
    "대략",
    "최소",
    "최대",
    "약",
    "~",
    "≈",
    "∼",
    *_cased(
        "approximately",
        "upwards of",
        "fewer than",
        "more than",
        "less than",
        "at least",
        "close to",
        "at most",
        "roughly",
        "approx.",
        "nearly",
        "almost",
        "around",
        "about",
        "under",
        "up to",
        "some",
        "over",
    ),
)
_APPROX_SUFFIX_RE = re.compile(
    r"[ \u00a0]?(?:이상|이하|미만|초과|가량|남짓|안팎|내외|정도|쯤|이내|가까이|넘게)"
    r"|[ \u00a0](?i:or[ ]more|or[ ]less|or[ ]so)(?![A-Za-z])"
)
_IDENT_TAIL_RE = re.compile(r"(?:[0-9A-Za-z_]|[.\-](?=[0-9A-Za-z]))*")


def _candidate_pattern() -> str:
    """The pattern that finds where a mention may start, grouped by first character.

    sre skips ahead in C to characters that can start a match only when every
    top-level alternative begins with a literal, and at each such character it
    tries the alternatives one by one.  So each alternative is one first
    character, and the "not inside a word" checks are lookbehinds placed after
    that character.  Each entry ends with an empty group that names its kind.
    """
    latin, hangul = "[A-Za-z]", "[가-힣]"
    # first character -> guard -> the rest of each word, with its kind marker
    by_first: dict[str, dict[str, list[str]]] = {}
    names = iter(range(10_000))

    def add(words: list[str], guard: str, tail: str, kind: str) -> None:
        for word in words:
            rest = f"{re.escape(word[1:])}{tail}(?P<{kind}{next(names)}>)"
            by_first.setdefault(word[0], {}).setdefault(guard, []).append(rest)

    for digit in "0123456789":
        by_first[digit] = {"": [""]}
    add(["$", "€", "£", "¥", "￥", "₩"], "", "", "c")
    by_first["U"] = {latin: [f"S[ ]?\\$(?P<c{next(names)}>)"]}
    add(["USD", "CNY", "RMB", "KRW", "EUR", "JPY", "GBP"], latin, r"[ \u00a0]?(?=[0-9])", "c")
    add(["No.", "no.", "NO."], latin, r"[ \u00a0]?(?=[0-9])", "no")
    add(["#"], "", "(?=[0-9])", "no")
    add(["제"], hangul, "(?=[0-9])", "je")
    counters = "달러|개|가지|곳|명|사람|건|번째|달|해|시간|대|편|종|배"
    native = [*_NATIVE_TENS.split("|"), *_NATIVE_ONES.split("|"), "첫"]
    add(native, hangul, f"(?=(?:{_NATIVE_ONES})?[ \u00a0]?(?:{counters}))", "kn")
    money_or_count = r"(?=[ \u00a0]?(?:달러|원|위안|엔|유로|명|개|곳|건))"
    add(["백", "천"], hangul, f"[만억조]?{money_or_count}", "kw")
    add(["십"], hangul, f"[만억조]{money_or_count}", "kw")
    add(["만", "억", "조"], hangul, money_or_count, "kw")
    add(["절반"], hangul, "", "half")
    add(["하루", "이틀"], hangul, "(?!아침|하루)", "dw")
    add(_MONTH_WORD[3:-1].split("|"), latin, r"\.?[ \u00a0](?=[0-9])", "mo")
    words = [w for word in _EN_NUMWORD.split("|") for w in (word, word.capitalize())]
    add(words, latin, "(?![A-Za-z])", "ew")
    add(["an", "a", "An", "A"], latin, f"(?=[ \u00a0]+(?:{_EN_SCALE_WORD})(?![A-Za-z]))", "ew")
    alts = []
    for first, guards in by_first.items():
        branches = []
        for guard, rests in guards.items():
            behind = f"(?<!{guard}.)" if guard else ""
            body = rests[0] if len(rests) == 1 else f"(?:{'|'.join(rests)})"
            branches.append(behind + body)
        body = branches[0] if len(branches) == 1 else f"(?:{'|'.join(branches)})"
        alts.append(re.escape(first) + body)
    return "|".join(alts)


_CANDIDATE_RE = re.compile(_candidate_pattern())
_APPROX_PREFIX_LAST = frozenset(word[-1] for word in _APPROX_PREFIX_WORDS)
_CURRENCY_PREFIX_RE = re.compile(
    r"(?:US[ ]?\$|[$€£¥￥₩]|(?:USD|CNY|RMB|KRW|EUR|JPY|GBP)[ \u00a0]?(?=[0-9]))"
)


def _word_before(text: str, lo: int, pos: int, words: tuple[str, ...], gap: bool) -> int:
    """Start of one of `words` ending just before pos (after spaces), or -1.

    Cheaper than a backward regex search: `str.endswith` with a tuple runs in C
    and almost always says no.
    """
    k = pos
    while k > lo and text[k - 1] in " \u00a0":
        k -= 1
    if (gap and k == pos) or k <= lo or not text.endswith(words, lo, k):
        return -1
    for word in words:
        if text.endswith(word, lo, k):
            s = k - len(word)
            prev = text[s - 1] if s > 0 else ""
            head = word[0]
            if _is_hangul(head):
                ok = not _is_hangul(prev)
            elif _is_latin(head):
                ok = not _is_latin(prev)
            else:
                ok = not (prev.isalnum())
            return s if ok else -1
    return -1


# --------------------------------------------------------------------------- internal record


@dataclass(slots=True)
class _Q:
    """A quantity being assembled; becomes a NumberMention once ranges are resolved."""

    start: int
    end: int
    low: float
    high: float
    unit: str = ""
    kind: str = "number"
    approximate: bool = False
    scale: float = 1.0
    has_mag: bool = False
    plain: bool = False
    from_words: bool = False
    rangeable: bool = True


def _is_hangul(ch: str) -> bool:
    return "가" <= ch <= "힣"


def _is_latin(ch: str) -> bool:
    return ("a" <= ch <= "z") or ("A" <= ch <= "Z")


def _is_digit(ch: str) -> bool:
    return "0" <= ch <= "9"


def _ident_end(text: str, i: int) -> int:
    """End of the identifier-like token at i ("A100", "3.5.1", "010-1234-5678")."""
    m = _IDENT_TAIL_RE.match(text, i)
    return m.end() if m is not None else i + 1


def _particle_ok(text: str, end: int) -> bool:
    """A Korean unit counts only if what follows is not the rest of a longer word."""
    if end >= len(text) or not _is_hangul(text[end]):
        return True
    return _PARTICLE_RE.match(text, end) is not None


def _valid_date(year: int, month: int, day: int) -> bool:
    if not 1 <= month <= 12 or day < 1:
        return False
    leap = year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
    return day <= (31, 29 if leap else 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)[month - 1]


# --------------------------------------------------------------------------- numerals


def _ko_section(text: str, i: int, allow_word: bool) -> tuple[float, float, int, int, bool]:
    """Read one group below 만: digits and 십/백/천 terms ("2천5백", "1800", "1,746")."""
    n = len(text)
    sec = 0.0
    lead = 0.0
    terms = 0
    plain = True
    while i < n:
        dm = _NUM_RE.match(text, i) if _is_digit(text[i]) else None
        if dm is not None:
            group = dm.group()
            digit_val: float | None = float(group.replace(",", ""))
            j = dm.end()
            if "," in group or "." in group:
                plain = False
        else:
            digit_val = None
            j = i
        sm = _SMALL_RE.match(text, j) if j < n else None
        if sm is not None and (digit_val is not None or allow_word or terms > 0):
            mult = _KO_SMALL[sm.group()]
            sec += (1.0 if digit_val is None else digit_val) * mult
            if terms == 0:
                lead = mult
            terms += 1
            plain = False
            i = sm.end()
            continue
        if digit_val is not None:
            sec += digit_val
            if terms == 0:
                lead = 1.0
            terms += 1
            i = j
        break
    return sec, lead, i, terms, plain


def _ko_number(text: str, i: int, allow_word: bool) -> tuple[float, float, int, bool, bool] | None:
    """Read a Korean-style numeral: digits composed with 십 백 천 만 억 조.

    Returns (value, scale of the leading digit group, end, plain, has magnitude).
    The scale lets a range borrow the second number's magnitude ("5~6만").
    """
    n = len(text)
    total = 0.0
    scale = 0.0
    last_big = math.inf
    plain = True
    has_mag = False
    first = True
    while True:
        sec, lead, j, terms, sec_plain = _ko_section(text, i, allow_word and first)
        if terms == 0:
            if first and allow_word and _BIG_RE.match(text, i):
                sec, lead, j, terms = 1.0, 1.0, i, 1
            else:
                break
        big = _BIG_RE.match(text, j) if j < n else None
        if big is not None:
            big_val = _KO_BIG[big.group()]
            if big_val >= last_big:
                break
            total += sec * big_val
            if scale == 0.0:
                scale = lead * big_val
            last_big = big_val
            has_mag = True
            plain = False
            i = big.end()
            first = False
            if i < n and (_is_digit(text[i]) or _SMALL_RE.match(text, i)):
                continue
            if i + 1 < n and text[i] in " \u00a0" and _is_digit(text[i + 1]):
                # "1조 2천억": a space may separate groups only before a smaller magnitude.
                _, _, k, t2, _ = _ko_section(text, i + 1, False)
                nxt = _BIG_RE.match(text, k) if t2 and k < n else None
                if nxt is not None and _KO_BIG[nxt.group()] < last_big:
                    i += 1
                    continue
            break
        total += sec
        if scale == 0.0:
            scale = lead
        plain = plain and sec_plain and lead == 1.0
        i = j
        break
    if scale == 0.0:
        return None
    return total, scale, i, plain, has_mag


def _digit_core(
    text: str, i: int, dm: re.Match[str]
) -> tuple[float, float, int, bool, bool] | None:
    """Digits with Korean or English magnitudes: "3440억", "1만1800", "5.6 million", "$5.6M".

    `dm` is the `_NUM_RE` match at i, which the caller already needed.
    """
    n = len(text)
    end = dm.end()
    nxt = text[end] if end < n else ""
    if nxt in _KO_NUMERAL_CHARS:
        sm = _KO_SIMPLE_RE.match(text, i)
        if sm is not None:
            # "330억", "5천억", "560만": one group, one magnitude, nothing composed after it.
            end = sm.end()
            after = text[end] if end < n else ""
            if after in " \u00a0":
                after = text[end + 1] if end + 1 < n else ""
            if not ("0" <= after <= "9" or after in _KO_NUMERAL_CHARS):
                group = sm.group(1)
                value = float(group.replace(",", "")) if "," in group else float(group)
                factor = _KO_BIG[sm.group(3)] * (_KO_SMALL[sm.group(2)] if sm.group(2) else 1.0)
                return value * factor, factor, end, False, True
        core = _ko_number(text, i, False)
        if core is None:
            return None
        value, scale, end, plain, has_mag = core
        if has_mag or scale != 1.0:
            return core
        nxt = text[end] if end < n else ""
    else:
        group = dm.group()
        value = float(group.replace(",", "")) if "," in group else float(group)
        scale, plain = 1.0, "." not in group and "," not in group
    if nxt in _EN_MAG_NEXT:
        mw = _EN_MAG_WORD_RE.match(text, end)
        ml = None if mw else _EN_MAG_LETTER_RE.match(text, end)
        mag = mw or ml
        if mag is not None:
            word = (mw.group(1) if mw else mag.group()).lower()
            factor = _EN_MAG[word]
            return value * factor, scale * factor, mag.end(), False, True
    return value, scale, end, plain, False


def _en_words(text: str, i: int) -> tuple[float, float, int, bool] | None:
    """Spelt-out English numbers: "two", "twenty-five", "a billion", "five hundred thousand"."""
    total = 0.0
    current = 0.0
    scale = 0.0
    seen = False
    has_scale = False
    end = i
    am = _EN_A_RE.match(text, i)
    if am is not None:
        current = 1.0
        i = am.end()
    while True:
        wm = _EN_WORD_RE.match(text, i)
        if wm is None:
            break
        word = wm.group(1).lower()
        if word in _EN_SCALES:
            mult = _EN_SCALES[word]
            if not seen and am is None:
                break
            if current == 0.0:
                current = 1.0
            if mult == 100.0:
                current *= 100.0
            else:
                total += current * mult
                current = 0.0
            if scale == 0.0:
                scale = mult
            has_scale = True
        else:
            value = _EN_WORDS[word]
            last = current % 100
            # "twenty five" and "hundred twenty" compose; "one two" is two numbers.
            if seen and not (last == 0 or (last % 10 == 0 and last >= 20 and value < 10)):
                break
            current += value
        seen = True
        end = wm.end()
        jm = _EN_JOIN_RE.match(text, end)
        if jm is None:
            break
        i = jm.end()
    if not seen:
        return None
    return total + current, scale or 1.0, end, has_scale


# --------------------------------------------------------------------------- units


def _korean_unit(text: str, q: _Q, i: int) -> bool:
    """Attach a Korean unit at i (after one optional space); handles 년/월/일 dates."""
    n = len(text)
    j = i + 1 if i < n and text[i] in " \u00a0" else i
    um = _KO_UNIT_RE.match(text, j) if j < n else None
    if um is None:
        return False
    word = um.group()
    end = um.end()
    unit, kind = _KO_UNITS[word]
    value = q.low
    is_int = value == int(value) and q.low == q.high
    if word in ("년", "년대"):
        year_like = q.plain and is_int and 1000 <= value <= 2999
        if word == "년대" and year_like and value % 10 == 0:
            if not _particle_ok(text, end):
                return False
            q.high = value + 9
            q.unit, q.kind, q.end = "year", "year", end
            return True
        if word == "년대":
            end -= 1
        if not _particle_ok(text, end):
            return False
        if year_like and not _YEAR_DURATION_TAIL_RE.match(text, end):
            q.unit, q.kind, q.end = "year", "year", end
            tail = _YMD_TAIL_RE.match(text, end)
            if tail is not None:
                month = int(tail.group(1))
                day = int(tail.group(2)) if tail.group(2) else 0
                if day and _valid_date(int(value), month, day) and _particle_ok(text, tail.end()):
                    q.low = q.high = value * 10000 + month * 100 + day
                    q.unit, q.kind, q.end = "date", "date", tail.end()
                elif 1 <= month <= 12:
                    month_end = tail.end(1) + 1
                    if _particle_ok(text, month_end):
                        q.low = q.high = value * 100 + month
                        q.unit, q.kind, q.end = "year-month", "date", month_end
            q.rangeable = q.kind == "year"
            return True
        q.unit, q.kind, q.end = "years", "duration", end
        return True
    if not _particle_ok(text, end):
        return False
    if word == "월":
        if not (is_int and 1 <= value <= 12):
            return False
        q.unit, q.kind, q.end = "month", "date", end
        tail = _MD_TAIL_RE.match(text, end)
        if tail is not None:
            day = int(tail.group(1))
            if _valid_date(2000, int(value), day) and _particle_ok(text, tail.end()):
                q.low = q.high = value * 100 + day
                q.unit, q.end = "month-day", tail.end()
                q.rangeable = False
        return True
    if word == "일":
        if is_int and 1 <= value <= 31 and not _DAY_DURATION_TAIL_RE.match(text, end):
            q.unit, q.kind, q.end = "day", "date", end
            return True
        q.unit, q.kind, q.end = "days", "duration", end
        return True
    q.unit, q.kind, q.end = unit, kind, end
    return True


def _english_unit(text: str, q: _Q, i: int, money_fixed: bool) -> bool:
    """Attach a symbol or English unit at i: "%", "x", "4th", " years", "-fold", " startups"."""
    sm = None if money_fixed else _SYM_UNIT_RE.match(text, i)
    if sm is not None:
        if sm.group(1):
            q.unit, q.kind = "percentage-points", "percent"
        elif sm.group(2):
            q.unit, q.kind = "percent", "percent"
        elif sm.group(3) or sm.group(4) == "x":
            q.unit, q.kind = "times", "ratio"
        else:
            q.unit, q.kind = "rank", "rank"
        q.end = sm.end()
        return True
    wm = _EN_UNIT_RE.match(text, i)
    if wm is not None:
        unit, kind = _EN_UNITS[" ".join(wm.group(1).lower().replace("-", " ").split())]
        if money_fixed and kind != "money":
            return False
        if not money_fixed or unit == q.unit:
            q.unit, q.kind, q.end = unit, kind, wm.end()
            return True
        return False
    if money_fixed:
        return False
    nm = _EN_NOUN_RE.match(text, i)
    if nm is not None:
        noun = nm.group(1)
        low = noun.lower()
        if noun == low and (low in _EN_NOUN_STOP or low.endswith(("ss", "us", "is", "ous"))):
            return False
        q.unit, q.kind, q.end = low, "count", nm.end()
        return True
    return False


def _attach_unit(text: str, q: _Q, korean_ok: bool = True) -> None:
    """Read what follows a numeral: 여, a ratio, a unit, and nothing else."""
    n = len(text)
    i = q.end
    money_fixed = q.kind == "money"
    if (
        i < n
        and text[i] == "여"
        and (i + 1 >= n or not _is_hangul(text[i + 1]) or _KO_UNIT_RE.match(text, i + 1))
    ):
        q.approximate = True
        i += 1
        q.end = i
    if not money_fixed and q.plain and text.startswith("분의", i):
        rm = _RATIO_RE.match(text, i)
        if rm is not None and q.low != 0:
            q.low = q.high = float(rm.group(1)) / q.low
            q.unit, q.kind, q.end = "ratio", "ratio", rm.end()
            q.rangeable = False
            return
    if (
        not money_fixed
        and q.plain
        and i < n
        and text[i] == "("
        and 1 <= q.low <= 31
        and _LOCAL_TIME_RE.match(text, i)
    ):
        q.unit, q.kind = "day", "date"
        return
    if i < n and text[i] == "+" and not (i + 1 < n and _is_digit(text[i + 1])):
        q.approximate = True
        i += 1
        q.end = i
    if korean_ok and not money_fixed and i < n:
        nxt = text[i + 1] if text[i] in " \u00a0" and i + 1 < n else text[i]
        if _is_hangul(nxt):
            _korean_unit(text, q, i)
            return
    if money_fixed:
        j = i + 1 if i < n and text[i] in " \u00a0" else i
        km = _KO_UNIT_RE.match(text, j) if korean_ok and j < n else None
        if km is not None and _KO_UNITS[km.group()] == (q.unit, "money"):
            if _particle_ok(text, km.end()):
                q.end = km.end()
            return
    _english_unit(text, q, i, money_fixed)


# --------------------------------------------------------------------------- one quantity


def _quantity(text: str, i: int, floor: int) -> tuple[_Q | None, int]:
    """Parse one quantity starting at i (digit, currency sign or English number word).

    Returns the quantity, or None and the position to resume scanning from.
    """
    n = len(text)
    if i >= n:
        return None, i + 1
    ch = text[i]
    if _is_digit(ch):
        return _digit_quantity(text, i, floor)
    if _is_latin(ch) and not text.startswith(
        ("US", "USD", "CNY", "RMB", "KRW", "EUR", "JPY", "GBP"), i
    ):
        core = _en_words(text, i)
        if core is None:
            return None, i + 1
        value, scale, end, has_scale = core
        q = _Q(i, end, value, value, scale=scale, has_mag=has_scale, from_words=True)
        _attach_unit(text, q, korean_ok=False)
        return q, q.end
    # currency prefix
    cm = _CURRENCY_PREFIX_RE.match(text, i)
    if cm is None:
        return None, i + 1
    code = _CUR_PREFIX[cm.group().strip().replace("\u00a0", "").replace("US $", "US$")]
    j = cm.end()
    if j < n and text[j] in " \u00a0" and cm.group()[-1] == "$":
        j += 1
    if j >= n or not _is_digit(text[j]):
        return None, i + 1
    found, resume = _digit_quantity(text, j, floor, currency=code)
    if found is None:
        return None, resume
    found.start = i
    return found, found.end


def _dateish(text: str, dm: re.Match[str]) -> _Q | None:
    g = dm.groups()
    kind = dm.lastgroup
    start, end = dm.start(), dm.end()
    if kind == "iso" or kind == "dots":
        y, mo, d = (
            (int(g[1]), int(g[3]), int(g[4]))
            if kind == "iso"
            else (int(g[6]), int(g[7]), int(g[8]))
        )
        if not _valid_date(y, mo, d):
            return None
        val = float(y * 10000 + mo * 100 + d)
        return _Q(start, end, val, val, "date", "date", rangeable=False)
    if kind == "ym":
        if not 1000 <= int(g[10]) <= 2999:
            return None
        val = float(int(g[10]) * 100 + int(g[11]))
        return _Q(start, end, val, val, "year-month", "date", rangeable=False)
    if kind == "time":
        hour, minute = int(g[13]), int(g[14])
        if hour > 24 or minute > 59:
            return None
        val = float(hour * 100 + minute)
        return _Q(start, end, val, val, "time", "date", rangeable=False)
    return _english_date(int(g[16]), g[17], g[18], start, end)


def _digit_quantity(
    text: str, i: int, floor: int, currency: str | None = None
) -> tuple[_Q | None, int]:
    n = len(text)
    prev = text[i - 1] if i > 0 else ""
    prev2 = text[i - 2] if i > 1 else ""
    if prev and (_is_latin(prev) or prev == "_" or (prev in "-." and prev2.isalpha())):
        return None, _ident_end(text, i)
    glued_hangul = currency is None and prev != "" and _is_hangul(prev)
    num = _NUM_RE.match(text, i)
    if num is None:
        return None, i + 1
    # Dates and times start with a plain digit run followed by one of -./: or a space.
    k = i + len(num.group().partition(".")[0].partition(",")[0])
    if currency is None and k < n and text[k] in _DATEISH_NEXT:
        dm = _DATEISH_RE.match(text, i)
        if dm is not None:
            q = _dateish(text, dm)
            if q is not None:
                return q, q.end
            if dm.lastgroup in ("iso", "dots"):
                return None, _ident_end(text, i)
    core = _digit_core(text, i, num)
    if core is None:
        return None, i + 1
    value, scale, end, plain, has_mag = core
    # A third dotted component or a glued letter marks a version or an id ("3.5.1", "7nm").
    if end < n:
        nxt = text[end]
        after = text[end + 1] if end + 1 < n else ""
        if nxt == "." and _is_digit(after):
            return None, _ident_end(text, i)
        if nxt == "s" and plain and end - i == 4 and value % 10 == 0 and not _is_latin(after):
            # "the 1990s": a decade, as 1990년대 is.
            q = _Q(i, end + 1, value, value + 9, "year", "year", rangeable=False)
            return q, q.end
        if _is_latin(nxt) and not _SYM_UNIT_RE.match(text, end):
            return None, _ident_end(text, i)
        if nxt == "-" and after and "A" <= after <= "Z":
            return None, _ident_end(text, i)
    q = _Q(i, end, value, value, scale=scale, has_mag=has_mag, plain=plain)
    if currency is not None:
        q.unit, q.kind = currency, "money"
    _attach_unit(text, q)
    if glued_hangul and not q.unit and not q.has_mag:
        return None, end
    if (
        not q.unit
        and q.plain
        and 1900 <= q.low <= 2100
        and end - i == 4
        and _word_before(text, floor, i, _YEAR_PREP_WORDS, True) >= 0
    ):
        q.unit, q.kind = "year", "year"
    if i > floor and prev in "-−" and (i == 1 or prev2 in " \u00a0(\t\n:") and q.kind != "date":
        q.start = i - 1
        q.low = q.high = -q.low
    return q, q.end


def _english_date(day: int, month_word: str, year: str | None, start: int, end: int) -> _Q | None:
    month = _MONTHS[month_word[:3].lower()]
    if year is not None:
        if not _valid_date(int(year), month, day):
            return None
        val = int(year) * 10000 + month * 100 + day
        return _Q(start, end, val, val, "date", "date", rangeable=False)
    if not _valid_date(2000, month, day):
        return None
    val = month * 100 + day
    return _Q(start, end, val, val, "month-day", "date", rangeable=False)


# --------------------------------------------------------------------------- candidates


def _special(text: str, m: re.Match[str], kind: str) -> tuple[_Q | None, int]:
    """Candidates that are not plain digits: 제3차, No. 1, 세 곳, 천억달러, 절반, 하루, July 6."""
    start = m.start()
    n = len(text)
    if kind == "no" or kind == "je":
        j = m.end()
        nm = _NUM_RE.match(text, j)
        if nm is None or "," in nm.group():
            return None, j
        end = nm.end()
        if kind == "je" and end < n and text[end] in "차회위":
            end += 1
        val = float(nm.group())
        return _Q(start, end, val, val, "rank", "rank"), end
    if kind == "kn":
        nm = _NATIVE_RE.match(text, start)
        if nm is None:
            return None, start + 1
        if nm.group(1):
            val = float(_NATIVE[nm.group(1)] + (_NATIVE[nm.group(2)] if nm.group(2) else 0))
        else:
            val = float(_NATIVE[nm.group(3)])
        um = _NATIVE_UNIT_RE.match(text, nm.end())
        if um is None:
            return None, start + 1
        word = um.group(1) or um.group(2)
        if nm.group(3) == "첫" and word != "번째":
            return None, start + 1
        if not _particle_ok(text, um.end()):
            return None, start + 1
        unit, ukind = _NATIVE_UNITS[word]
        return _Q(start, um.end(), val, val, unit, ukind, rangeable=False), um.end()
    if kind == "kw":
        core = _ko_number(text, start, True)
        if core is None:
            return None, start + 1
        value, scale, end, _, has_mag = core
        q = _Q(start, end, value, value, scale=scale, has_mag=has_mag)
        _attach_unit(text, q)
        if not q.unit:
            return None, start + 1
        return q, q.end
    if kind == "half":
        return _Q(start, m.end(), 0.5, 0.5, "ratio", "ratio", rangeable=False), m.end()
    if kind == "dw":
        val = 1.0 if m.group() == "하루" else 2.0
        return _Q(start, m.end(), val, val, "days", "duration", rangeable=False), m.end()
    if kind == "mo":
        dm = _EN_MDY_RE.match(text, start)
        if dm is not None:
            found = _english_date(int(dm.group(2)), dm.group(1), dm.group(3), start, dm.end())
            if found is not None:
                return found, found.end
        ym = _EN_MY_RE.match(text, start)
        if ym is not None:
            month = _MONTHS[ym.group(1)[:3].lower()]
            val = float(int(ym.group(2)) * 100 + month)
            return _Q(start, ym.end(), val, val, "year-month", "date", rangeable=False), ym.end()
        return None, m.end()
    return None, start + 1


def _merge_range(q1: _Q, q2: _Q) -> bool:
    """Fold the second end of a range into q1; False when the two do not form a range."""
    if not q1.rangeable or not q2.rangeable:
        return False
    if q1.unit and q2.unit and q1.unit != q2.unit:
        return False
    low, high = q1.low, q2.high
    if not q1.has_mag and q2.has_mag and q2.scale > 1:
        low *= q2.scale
    unit, kind = q2.unit or q1.unit, q2.kind if q2.unit else q1.kind
    if q2.unit == "year" and not q1.unit and not (q1.plain and 1000 <= q1.low <= 2999):
        return False
    if not unit and q1.plain and q2.plain and 1900 <= q1.low <= 2100 and 1900 <= q2.low <= 2100:
        unit, kind = "year", "year"
    if low > high:
        return False
    q1.low, q1.high, q1.unit, q1.kind = low, high, unit, kind
    q1.end = q2.end
    q1.approximate = q1.approximate or q2.approximate
    q1.from_words = q1.from_words and q2.from_words
    q1.has_mag = q1.has_mag or q2.has_mag
    return True


_RANGE_NEXT = frozenset("~∼～〜-–— \u00a0")
_SUFFIX_NEXT = frozenset(" \u00a0이미초가남안내정쯤넘")


def _finish(text: str, q: _Q, floor: int) -> tuple[_Q | None, int]:
    """Ranges, "about" words before and "이상" words after, then the final checks."""
    n = len(text)
    if q.rangeable and q.end < n and text[q.end] in _RANGE_NEXT:
        between_at = -1
        sep = _RANGE_SEP_RE.match(text, q.end)
        hyphen = sep is not None and sep.group().strip() in "-–—"
        if sep is None:
            sep = _AND_RE.match(text, q.end)
            if sep is not None:
                between_at = _word_before(text, floor, q.start, _BETWEEN_WORDS, True)
                if between_at < 0:
                    sep = None
            else:
                sep = _TO_RE.match(text, q.end)
                if sep is not None and _word_before(text, floor, q.start, _FROM_WORDS, True) >= 0:
                    sep = None
        if sep is not None:
            q2, _ = _quantity(text, sep.end(), sep.end())
            if q2 is not None and _merge_range(q, q2):
                if hyphen and q.end + 1 < n and text[q.end] == "-" and _is_digit(text[q.end + 1]):
                    return None, _ident_end(text, q.start)
                if between_at >= 0:
                    q.start = between_at
    if q.from_words and not q.unit and not q.has_mag:
        return None, q.end
    if q.end < n and text[q.end] in _SUFFIX_NEXT and q.kind != "date":
        am = _APPROX_SUFFIX_RE.match(text, q.end)
        if am is not None and _particle_ok(text, am.end()):
            q.approximate = True
            q.end = am.end()
    if q.kind not in ("date", "year") and q.start > floor:
        at = -1
        k = q.start
        while k > floor and text[k - 1] in " \u00a0":
            k -= 1
        if k > floor and text[k - 1] in _APPROX_PREFIX_LAST:
            at = _word_before(text, floor, q.start, _APPROX_PREFIX_WORDS, False)
        if at >= 0:
            q.approximate = True
            q.start = at
    return q, q.end


# --------------------------------------------------------------------------- public API


def _scan(text: str) -> list[NumberMention]:
    out: list[NumberMention] = []
    pos = 0
    floor = 0
    n = len(text)
    search = _CANDIDATE_RE.search
    while pos < n:
        m = search(text, pos)
        if m is None:
            break
        # Digits carry no marker group; the others are named kind + serial number.
        group = (m.lastgroup or "d").rstrip("0123456789")
        if group in ("d", "c", "ew"):
            q, resume = _quantity(text, m.start(), floor)
        else:
            q, resume = _special(text, m, group)
        if q is not None:
            q, resume = _finish(text, q, floor)
        if q is None:
            pos = max(resume, m.start() + 1)
            continue
        out.append(
            NumberMention(
                q.start,
                q.end,
                text[q.start : q.end],
                float(q.low),
                float(q.high),
                q.unit,
                q.kind,
                q.approximate,
            )
        )
        floor = pos = q.end
    return out


def _nfc_chunks(text: str) -> list[tuple[int, int, str]]:
    """Split text into pieces that normalise independently, as (start, end, NFC form).

    A piece starts at each character of combining class 0, except Hangul medial
    vowels and final consonants (U+1160-U+11FF): they are class 0 too, yet compose
    with the jamo before them.  Pieces that still compose across the boundary
    (rare scripts) are merged afterwards, so the mapping is exact.
    """
    pieces: list[tuple[int, int, str]] = []
    start = 0
    for k in range(1, len(text) + 1):
        if (
            k < len(text)
            and unicodedata.combining(text[k]) == 0
            and not ("\u1160" <= text[k] <= "\u11ff")
        ):
            pieces.append((start, k, unicodedata.normalize("NFC", text[start:k])))
            start = k
        elif k == len(text):
            pieces.append((start, k, unicodedata.normalize("NFC", text[start:k])))
    merged: list[tuple[int, int, str]] = []
    for s, e, form in pieces:
        if merged:
            ps, _, pform = merged[-1]
            joined = unicodedata.normalize("NFC", text[ps:e])
            if joined != pform + form:
                merged[-1] = (ps, e, joined)
                continue
        merged.append((s, e, form))
    return merged


def parse_numbers(text: str) -> list[NumberMention]:
    """Every number mention in text, in order and without overlaps.

    The text is read in NFC (Korean may arrive decomposed, as NFD jamo, from
    copy-paste on macOS), but offsets and `raw` always refer to the string
    passed in, so callers can slice and highlight it directly.
    """
    if unicodedata.is_normalized("NFC", text):
        return _scan(text)
    chunks = _nfc_chunks(text)
    norm = "".join(form for _, _, form in chunks)
    # For each NFC offset, the original offset of the chunk it falls in.
    orig_start: list[int] = []
    orig_end: list[int] = []
    for s, e, form in chunks:
        orig_start.extend([s] * len(form))
        orig_end.extend([e] * len(form))
    result: list[NumberMention] = []
    for m in _scan(norm):
        start = orig_start[m.start] if m.start < len(orig_start) else len(text)
        end = orig_end[m.end - 1] if m.end > 0 else 0
        result.append(
            NumberMention(start, end, text[start:end], m.low, m.high, m.unit, m.kind, m.approximate)
        )
    return result


_SHARE_SCALE = {("ratio", "percent"): 100.0, ("percent", "ratio"): 0.01}
"""A share written one way and stored the other ("10분의 1" kept as 10 percent beside a
twin that says "10%"): the factor from the written unit to the stored one."""


def find_quantity(
    text: str, low: float, high: float, unit: str, *, rel_tol: float = 0.005
) -> NumberMention | None:
    """The mention in text matching the value/range and a compatible unit, or None.

    A mention with exactly the claim's unit beats one with a merely compatible
    unit, which beats a bare number: "$5.6M ... 5.6" should point at the money.
    """
    want = normalize_unit(unit)
    best: NumberMention | None = None
    best_rank = -1
    for m in parse_numbers(text):
        scale = _SHARE_SCALE.get((normalize_unit(m.unit), want), 1.0)
        if scale == 1.0 and not units_compatible(m.unit, want):
            continue
        if not (
            math.isclose(m.low * scale, low, rel_tol=rel_tol, abs_tol=1e-9)
            and math.isclose(m.high * scale, high, rel_tol=rel_tol, abs_tol=1e-9)
        ):
            continue
        rank = 2 if m.unit == want else (1 if m.unit else 0)
        if rank > best_rank:
            best, best_rank = m, rank
    if best is None and low != high:
        return _split_range(text, low, high, want, rel_tol)
    return best


def _split_range(
    text: str, low: float, high: float, want: str, rel_tol: float
) -> NumberMention | None:
    """A range whose ends the text writes as two numbers ("3년에서 5년 내").

    The parser keeps "A에서 B" apart because it is often a change ("56위에서 54위로"),
    so a range claim is accepted when both ends appear, in order, with compatible
    units; the mention returned spans both.
    """
    mentions = [m for m in parse_numbers(text) if units_compatible(m.unit, want)]
    for first_index, first in enumerate(mentions):
        if not math.isclose(first.low, low, rel_tol=rel_tol, abs_tol=1e-9):
            continue
        for second in mentions[first_index + 1 :]:
            if math.isclose(second.high, high, rel_tol=rel_tol, abs_tol=1e-9):
                unit = first.unit or second.unit
                return NumberMention(
                    first.start,
                    second.end,
                    text[first.start : second.end],
                    low,
                    high,
                    unit,
                    first.kind,
                    first.approximate or second.approximate,
                )
    return None
