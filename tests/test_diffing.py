"""The difference finder behind the compare screen: pure, no Textual."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from workbench.config import load_settings
from workbench.differences import ClaimFacts, Difference, differences, differences_of
from workbench.models import Claim, Quantity, Source

from .conftest import REPO

OPPOSING = load_settings(REPO)[0].lexicon.opposing_stances
"""This corpus's opposing stances, from its lexicon (lagging / catching-up)."""


def facts(
    claim_id: str = "a",
    *,
    stance: str = "lagging",
    topic: str = "cost",
    quantity: Quantity | None = None,
    source_id: str = "s1",
    outlet: str = "Chosun Ilbo",
    published: dt.date | None = dt.date(2024, 4, 2),
) -> ClaimFacts:
    return ClaimFacts(claim_id, topic, stance, quantity, source_id, outlet, published)


def usd(value: float, period: str = "2024", **extra: object) -> Quantity:
    return Quantity.model_validate(
        {"subject": "training cost", "value": value, "unit": "USD", "period": period, **extra}
    )


def by_aspect(found: list[Difference]) -> dict[str, Difference]:
    return {difference.aspect: difference for difference in found}


def test_values_and_how_far_apart() -> None:
    found = by_aspect(differences([facts(quantity=usd(5.6e6)), facts("b", quantity=usd(6e6))]))
    assert found["value"].summary == "value: 5.6 million USD vs 6 million USD (7% apart)"
    assert found["value"].comparable
    assert set(found) == {"value"}


def test_equal_values_are_no_difference() -> None:
    assert differences([facts(quantity=usd(6e6)), facts("b", quantity=usd(6e6))]) == []


def test_ranges_overlap_or_not() -> None:
    range_50_60 = Quantity(subject="gpus", low=50_000, high=60_000, unit="GPU")
    range_55_70 = Quantity(subject="gpus", low=55_000, high=70_000, unit="GPU")
    point_10 = Quantity(subject="gpus", value=10_000, unit="GPU")
    overlapping = by_aspect(
        differences([facts(quantity=range_50_60), facts("b", quantity=range_55_70)])
    )
    assert overlapping["value"].detail == "ranges overlap"
    apart = by_aspect(differences([facts(quantity=range_50_60), facts("b", quantity=point_10)]))
    assert apart["value"].detail == "67% apart"  # 10,000 to 50,000 of 60,000
    assert " to " in apart["value"].values[0]


def test_currencies_are_not_comparable() -> None:
    cny = Quantity(subject="training cost", value=40e6, unit="CNY", period="2024")
    found = by_aspect(differences([facts(quantity=usd(5.6e6)), facts("b", quantity=cny)]))
    assert found["unit"].summary == "units differ: USD vs CNY (not comparable)"
    assert not found["unit"].comparable
    assert found["value"].detail == "not comparable"
    assert not found["value"].comparable


def test_periods_scopes_and_subjects() -> None:
    first = usd(5.6e6, period="2023", scope="final training run only")
    second = Quantity(subject="Total Training  COST", value=5.6e6, unit="USD", period="2024")
    found = by_aspect(differences([facts(quantity=first), facts("b", quantity=second)]))
    assert found["period"].summary == "period: 2023 vs 2024"
    assert found["scope"].values == ("final training run only", "none")
    assert found["subject"].detail == "may measure different things"
    assert "value" not in found


def test_same_subject_ignores_case_and_spacing() -> None:
    second = Quantity(subject="Training  COST", value=6e6, unit="USD", period="2024")
    found = by_aspect(differences([facts(quantity=usd(6e6)), facts("b", quantity=second)]))
    assert "subject" not in found


def test_only_one_states_a_number() -> None:
    found = by_aspect(differences([facts(quantity=usd(6e6)), facts("b")]))
    assert found["quantity"].values == ("6 million USD", "none")


def test_approximate_values_say_about() -> None:
    found = by_aspect(
        differences([facts(quantity=usd(6e6, approximate=True)), facts("b", quantity=usd(5e6))])
    )
    assert found["value"].values[0] == "about 6 million USD"


def test_dates_and_sources() -> None:
    found = by_aspect(
        differences(
            [
                facts(published=dt.date(2024, 4, 2)),
                facts(
                    "b", source_id="s2", outlet="Global Economic", published=dt.date(2025, 2, 10)
                ),
            ]
        )
    )
    assert found["date"].summary == "published: 2024-04-02 vs 2025-02-10 (sources 10 months apart)"
    assert found["source"].summary == "source: Chosun Ilbo vs Global Economic (different outlets)"


def test_dates_in_years_and_days() -> None:
    long_apart = by_aspect(
        differences(
            [
                facts(published=dt.date(2023, 1, 5)),
                facts("b", source_id="s2", published=dt.date(2024, 3, 5)),
            ]
        )
    )
    assert long_apart["date"].detail == "sources 1 year 2 months apart"
    days_apart = by_aspect(
        differences(
            [
                facts(published=dt.date(2025, 2, 10)),
                facts("b", source_id="s2", published=dt.date(2025, 2, 24)),
            ]
        )
    )
    assert days_apart["date"].detail == "sources 14 days apart"


def test_same_outlet_different_articles() -> None:
    found = by_aspect(differences([facts(), facts("b", source_id="s2")]))
    assert found["source"].summary == "source: s1 vs s2 (different articles)"


def test_stances_opposed() -> None:
    found = by_aspect(differences([facts(), facts("b", stance="catching-up")], OPPOSING))
    assert found["stance"].summary == "stance: lagging vs catching-up (opposite views)"
    mixed = by_aspect(differences([facts(), facts("b", stance="mixed")], OPPOSING))
    assert mixed["stance"].detail == ""


def test_stances_oppose_only_as_the_lexicon_says() -> None:
    """No stance opposes another by name: without the project's pairs, two
    stances only differ."""
    found = by_aspect(differences([facts(), facts("b", stance="catching-up")]))
    assert found["stance"].detail == ""
    other = [("warming", "cooling")]
    pair = [facts(stance="cooling"), facts("b", stance="warming")]
    assert by_aspect(differences(pair, other))["stance"].detail == "opposite views"
    three = [facts(stance="cooling"), facts("b", stance="flat"), facts("c", stance="warming")]
    assert by_aspect(differences(three, other))["stance"].detail == "opposite views"
    self_opposed = [("flat", "flat")]
    assert by_aspect(differences(three, self_opposed))["stance"].detail == ""


def test_three_claims() -> None:
    found = by_aspect(
        differences(
            [
                facts(quantity=usd(5e6)),
                facts("b", quantity=usd(6e6)),
                facts("c", quantity=usd(10e6)),
            ]
        )
    )
    assert found["value"].values == ("5 million USD", "6 million USD", "10 million USD")
    assert found["value"].detail == "up to 50% apart"


def test_fewer_than_two_claims() -> None:
    assert differences([]) == []
    assert differences([facts()]) == []


def test_from_models_with_unknown_source() -> None:
    claim = Claim.model_validate(
        {
            "id": "a",
            "statement": "x",
            "topic": "cost",
            "stance": "lagging",
            "source": {"id": "gone", "quote": "q"},
        }
    )
    source = Source.model_validate(
        {
            "id": "s1",
            "file": "s1.txt",
            "title": "t",
            "outlet": "Daily",
            "published": "2024-04-02",
            "language": "ko",
            "view": "lagging",
        }
    )
    other = claim.model_copy(
        update={"id": "b", "source": claim.source.model_copy(update={"id": "s1"})}
    )
    found = by_aspect(differences_of([(claim, None), (other, source)]))
    assert found["date"].values == ("unknown", "2024-04-02")
    assert found["date"].detail == "a source date is unknown"


# -- properties ------------------------------------------------------------------------

stances = st.sampled_from(["lagging", "catching-up", "mixed", "neutral"])
units = st.sampled_from(["USD", "CNY", "KRW", "GPU", "percent"])
periods = st.sampled_from(["", "2023", "2024", "2024-03", "2021/2023"])
values = st.floats(min_value=-1e12, max_value=1e12, allow_nan=False, allow_infinity=False)


@st.composite
def quantities(draw: st.DrawFn) -> Quantity:
    low = draw(values)
    data: dict[str, object] = {
        "subject": draw(st.sampled_from(["training cost", "FDI into china", "gpus"])),
        "unit": draw(units),
        "period": draw(periods),
        "scope": draw(st.sampled_from(["", "final run only"])),
        "approximate": draw(st.booleans()),
    }
    if draw(st.booleans()):
        data["value"] = low
    else:
        data["low"] = low
        data["high"] = low + draw(st.floats(min_value=0, max_value=1e9))
    return Quantity.model_validate(data)


claim_facts = st.builds(
    ClaimFacts,
    claim_id=st.sampled_from(["a", "b"]),
    topic=st.sampled_from(["cost", "race"]),
    stance=stances,
    quantity=st.none() | quantities(),
    source_id=st.sampled_from(["s1", "s2", "s3"]),
    outlet=st.sampled_from(["", "Chosun Ilbo", "조선일보 [bold]"]),
    published=st.none() | st.dates(dt.date(2020, 1, 1), dt.date(2026, 12, 31)),
)


@given(claim_facts, claim_facts)
def test_differences_are_symmetric(first: ClaimFacts, second: ClaimFacts) -> None:
    forward = differences([first, second])
    backward = differences([second, first])
    assert [d.aspect for d in forward] == [d.aspect for d in backward]
    for ahead, behind in zip(forward, backward, strict=True):
        assert ahead.values == tuple(reversed(behind.values))
        assert ahead.detail == behind.detail
        assert ahead.comparable == behind.comparable
        assert ahead.label == behind.label


@given(claim_facts)
def test_identical_claims_have_no_differences(one: ClaimFacts) -> None:
    assert differences([one, one]) == []
