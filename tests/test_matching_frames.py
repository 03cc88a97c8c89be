"""What the engine reads from one claim: dates, bounds, shares, entities in two languages."""

from __future__ import annotations

import datetime as dt

import pytest

from workbench.matching import match_claims
from workbench.matching.frames import FrameReader, LexiconIndex, amount_of, explicit_dates
from workbench.models import Claim, Entity, Lexicon, NamedEvent, Quantity

PUBLISHED = dt.date(2025, 2, 24)
LEXICON = Lexicon(
    entities=[Entity(name="DeepSeek", aliases=["딥시크"])],
    events=[
        NamedEvent(
            name="Stargate announcement", date=dt.date(2025, 1, 21), aliases=["스타게이트 발표"]
        )
    ],
    event_words=["released", "announced", "출시"],
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Funding fell last year.", "2024"),
        ("지난해에 투자가 줄었다", "2024"),
        ("올해 정책 금융을 투입한다", "2025"),
        ("It was released last month.", "2025-01"),
        ("It was released in February.", "2025-02"),
        ("2월 20일 위원회", "2025-02-20"),
        ("It met on 20 February 2025.", "2025-02-20"),
        ("It was released in mid-November 2024.", "2024-11"),
        ("announced a day before the Stargate announcement", "2025-01-20"),
        ("announced two days after the Stargate announcement", "2025-01-23"),
        ("스타게이트 발표 하루 전 딥시크 출시", "2025-01-20"),
    ],
)
def test_dates_are_resolved_against_the_source_and_named_events(text: str, expected: str) -> None:
    dates = explicit_dates(text, PUBLISHED, LexiconIndex(LEXICON))
    assert dates and str(dates[0]) == expected


def test_a_month_and_day_quantity_is_a_date_not_an_integer() -> None:
    quantity = Quantity(subject="release date", value=129, unit="month-day", period="2025-01-29")
    amount = amount_of(quantity, "released on 29 January 2025", "", LexiconIndex(LEXICON))
    assert amount is not None and amount.family == "date"
    assert dt.date.fromordinal(int(amount.low)) == dt.date(2025, 1, 29)


def claim(claim_id: str, statement: str, quote: str, **quantity: object) -> Claim:
    data: dict[str, object] = {
        "id": claim_id,
        "statement": statement,
        "topic": "funding",
        "stance": "neutral",
        "source": {"id": claim_id, "quote": quote},
    }
    if quantity:
        data["quantity"] = {"subject": "china fdi in 2023 as a share of 2021", **quantity}
    return Claim.model_validate(data)


def pairs(*claims: Claim) -> dict[frozenset[str], tuple[str, str]]:
    found = match_claims(list(claims), lexicon=LEXICON)
    return {frozenset((c.first, c.second)): (c.kind, c.suggested_relation) for c in found}


def test_an_upper_bound_agrees_with_a_value_under_it_and_a_ratio_compares_with_a_percent() -> None:
    under = claim(
        "under",
        "China's 2023 FDI was less than 10% of its 2021 record.",
        "10%도 채 안 되는 수준",
        value=10,
        unit="percent",
        period="2023",
    )
    tenth = claim(
        "tenth",
        "China's 2023 FDI fell to 0.09 of 2021's.",
        "9%",
        value=0.09,
        unit="ratio",
        period="2023",
    )
    fifth = claim(
        "fifth",
        "China's 2023 FDI fell to a fifth of 2021's.",
        "5분의 1",
        value=0.2,
        unit="ratio",
        period="2023",
    )
    found = pairs(under, tenth, fifth)
    assert found[frozenset(("under", "tenth"))] == ("duplicate", "same-fact")
    assert found[frozenset(("under", "fifth"))] == ("numeric", "contradicts")


def test_an_entity_named_in_korean_and_english_is_one_entity() -> None:
    index = LexiconIndex(LEXICON)
    reader = FrameReader(index)
    english = reader.read(0, claim("en", "DeepSeek released a model.", "인용"), PUBLISHED, "")
    korean = reader.read(
        1, claim("ko", "A model came out.", "딥시크가 모델을 출시했다"), PUBLISHED, ""
    )
    assert english.entities == korean.entities == frozenset({"DeepSeek"})
    assert english.event and korean.event


def test_the_bound_field_makes_a_ceiling_without_any_word_for_it() -> None:
    """`bound = "upper"` is read as a ceiling though neither text says "less than":
    10 as a ceiling agrees with 9, and still disagrees with 20."""
    ceiling = claim(
        "ceiling",
        "China's 2023 FDI against its 2021 record: 10%.",
        "10%",
        value=10,
        unit="percent",
        period="2023",
        bound="upper",
    )
    nine = claim(
        "nine", "China's 2023 FDI was 9% of 2021's.", "9%", value=9, unit="percent", period="2023"
    )
    twenty = claim(
        "twenty",
        "China's 2023 FDI was 20% of 2021's.",
        "20%",
        value=20,
        unit="percent",
        period="2023",
    )
    found = pairs(ceiling, nine, twenty)
    assert found[frozenset(("ceiling", "nine"))] == ("duplicate", "same-fact")
    assert found[frozenset(("ceiling", "twenty"))] == ("numeric", "contradicts")
    exact = claim(
        "exact",
        "China's 2023 FDI against its 2021 record: 10%.",
        "10%",
        value=10,
        unit="percent",
        period="2023",
    )
    assert pairs(exact, nine)[frozenset(("exact", "nine"))] == ("numeric", "contradicts")
