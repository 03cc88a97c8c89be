"""What differs between two or more claims, in words a reviewer can act on.

The compare screen and the conflict queue show claims side by side; this module
says what to look at: the values and how far apart they are, whether the units
can be compared at all, the periods, scopes and subjects the numbers cover, the
stances, and the sources and how far apart they were published.

It is pure (no Textual, no files): it takes claims and their sources, and the
project's opposing stances (`opposing_stances` in its lexicon: the subject's
words are data), and returns `Difference` values, so it is unit-tested on its
own.  Differences are
symmetric in content: comparing (a, b) or (b, a) finds the same aspects with the
same details, only the per-claim values come in the order given.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from workbench.models import Claim, Quantity, Source
from workbench.numbers import format_value, units_compatible

MISSING = "none"
"""How an absent value (no quantity, no period, no scope) is shown."""

OpposingStances = Iterable[Sequence[str]]
"""Pairs of stances that cannot both be right: `Lexicon.opposing_stances`."""


@dataclass(frozen=True, slots=True)
class ClaimFacts:
    """What the difference finder needs to know about one claim."""

    claim_id: str
    topic: str
    stance: str
    quantity: Quantity | None
    source_id: str
    outlet: str = ""
    published: dt.date | None = None

    @classmethod
    def of(cls, claim: Claim, source: Source | None) -> ClaimFacts:
        return cls(
            claim_id=claim.id,
            topic=claim.topic,
            stance=claim.stance,
            quantity=claim.quantity,
            source_id=claim.source.id,
            outlet=source.outlet if source is not None else "",
            published=source.published if source is not None else None,
        )


@dataclass(frozen=True, slots=True)
class Difference:
    """One aspect in which the claims differ.

    `values` holds one entry per claim, in the order the claims were given;
    `detail` says how much they differ ("7% apart", "sources 10 months apart")
    and does not depend on that order.
    """

    aspect: str
    label: str
    values: tuple[str, ...]
    detail: str = ""
    comparable: bool = True

    @property
    def summary(self) -> str:
        """`value: 5.6 million USD vs 6 million USD (7% apart)`."""
        text = f"{self.label}: {' vs '.join(self.values)}"
        return f"{text} ({self.detail})" if self.detail else text


def differences(
    claims: Sequence[ClaimFacts], opposing_stances: OpposingStances = ()
) -> list[Difference]:
    """Every aspect in which the claims differ, most decisive first.

    Stances differ as "opposite views" when the claims hold both stances of one
    of the `opposing_stances` pairs; without pairs, stances only differ.
    """
    if len(claims) < 2:
        return []
    found: list[Difference] = []
    found.extend(_stance(claims, opposing_stances))
    found.extend(_quantities(claims))
    found.extend(_dates(claims))
    found.extend(_sources(claims))
    found.extend(_distinct("topic", "topic", [facts.topic for facts in claims]))
    return found


def differences_of(
    claims: Sequence[tuple[Claim, Source | None]], opposing_stances: OpposingStances = ()
) -> list[Difference]:
    """`differences` for claims with their sources (None when the source is unknown)."""
    return differences([ClaimFacts.of(claim, source) for claim, source in claims], opposing_stances)


# -- aspects -------------------------------------------------------------------------


def _distinct(aspect: str, label: str, values: Sequence[str], detail: str = "") -> list[Difference]:
    if len(set(values)) <= 1:
        return []
    return [Difference(aspect, label, tuple(values), detail)]


def _stance(claims: Sequence[ClaimFacts], opposing_stances: OpposingStances) -> list[Difference]:
    stances = [facts.stance for facts in claims]
    held = set(stances)
    opposed = any(len(set(pair)) == 2 and held >= set(pair) for pair in opposing_stances)
    return _distinct("stance", "stance", stances, "opposite views" if opposed else "")


def _quantities(claims: Sequence[ClaimFacts]) -> list[Difference]:
    quantities = [facts.quantity for facts in claims]
    present = [quantity for quantity in quantities if quantity is not None]
    if not present:
        return []
    if len(present) < len(quantities):
        values = tuple(format_quantity(q) if q is not None else MISSING for q in quantities)
        return [Difference("quantity", "quantity", values, "only some claims state a number")]
    found: list[Difference] = []
    units = [quantity.unit for quantity in present]
    comparable = all(units_compatible(units[0], unit) for unit in units[1:])
    if len(set(units)) > 1:
        detail = "" if comparable else "not comparable"
        found.append(Difference("unit", "units differ", tuple(units), detail, comparable))
    found.extend(_values(present, comparable=comparable, same_unit=len(set(units)) == 1))
    subjects = [" ".join(quantity.subject.casefold().split()) for quantity in present]
    if len(set(subjects)) > 1:
        values = tuple(quantity.subject for quantity in present)
        found.append(Difference("subject", "subject", values, "may measure different things"))
    found.extend(_distinct("period", "period", [q.period or MISSING for q in present]))
    found.extend(
        _distinct(
            "scope", "scope", [q.scope or MISSING for q in present], "values may not be comparable"
        )
    )
    return found


def _values(
    quantities: Sequence[Quantity], *, comparable: bool, same_unit: bool
) -> list[Difference]:
    bounds = [quantity.bounds for quantity in quantities]
    if len(set(bounds)) <= 1 and same_unit:
        return []
    values = tuple(format_quantity(quantity) for quantity in quantities)
    if not comparable:
        return [Difference("value", "value", values, "not comparable", comparable=False)]
    if not same_unit:
        return [Difference("value", "value", values, "units differ; compare by hand")]
    return [Difference("value", "value", values, _how_far_apart(bounds))]


def _how_far_apart(bounds: Sequence[tuple[float, float]]) -> str:
    """`7% apart` for values, `ranges overlap` / `12% apart` for ranges; order-free."""
    highest_low = max(low for low, _high in bounds)
    lowest_high = min(high for _low, high in bounds)
    is_range = any(low != high for low, high in bounds)
    if is_range and highest_low <= lowest_high:
        return "ranges overlap"
    gap = highest_low - lowest_high
    scale = max(max(abs(low), abs(high)) for low, high in bounds)
    if scale == 0:
        return ""
    prefix = "up to " if len(bounds) > 2 else ""
    return f"{prefix}{_percent(gap / scale * 100)} apart"


def _percent(value: float) -> str:
    if value >= 1:
        return f"{value:.0f}%"
    return f"{value:.1f}%" if value >= 0.05 else "<0.1%"


def _dates(claims: Sequence[ClaimFacts]) -> list[Difference]:
    dates = [facts.published for facts in claims]
    known = [date for date in dates if date is not None]
    if len(set(dates)) <= 1:
        return []
    values = tuple(date.isoformat() if date is not None else "unknown" for date in dates)
    if len(known) < len(dates):
        return [Difference("date", "published", values, "a source date is unknown")]
    span = _span(min(known), max(known))
    prefix = "up to " if len(dates) > 2 else ""
    return [Difference("date", "published", values, f"sources {prefix}{span} apart")]


def _span(earlier: dt.date, later: dt.date) -> str:
    """`10 months`, `1 year 2 months`, `12 days`: a calendar distance in words."""
    months = (later.year - earlier.year) * 12 + later.month - earlier.month
    if later.day < earlier.day:
        months -= 1
    if months < 1:
        days = (later - earlier).days
        return _plural(days, "day")
    years, months = divmod(months, 12)
    parts = [_plural(years, "year")] if years else []
    if months:
        parts.append(_plural(months, "month"))
    return " ".join(parts)


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def _sources(claims: Sequence[ClaimFacts]) -> list[Difference]:
    source_ids = [facts.source_id for facts in claims]
    if len(set(source_ids)) <= 1:
        return []
    outlets = [facts.outlet or facts.source_id for facts in claims]
    if len(set(outlets)) == len(set(source_ids)):
        return [Difference("source", "source", tuple(outlets), "different outlets")]
    return [Difference("source", "source", tuple(source_ids), "different articles")]


def format_quantity(quantity: Quantity) -> str:
    """`about 5.6 million USD`, `50,000 to 60,000 USD`: the quantity as a reviewer reads it."""
    if quantity.value is not None:
        text = format_value(quantity.value, quantity.unit)
    else:
        low, high = quantity.bounds
        text = f"{format_value(low, quantity.unit)} to {format_value(high, quantity.unit)}"
    if quantity.bound is not None:
        text = ("under " if quantity.bound == "upper" else "over ") + text
    return f"about {text}" if quantity.approximate else text
