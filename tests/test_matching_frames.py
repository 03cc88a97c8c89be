"""What the engine reads from one claim: dates, bounds, shares, entities in two languages."""

from __future__ import annotations

import datetime as dt

import pytest

from workbench.matching import match_claims
from workbench.matching.frames import FrameReader, LexiconIndex, amount_of, explicit_dates
from workbench.matching.language import korean_content
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


@pytest.mark.parametrize(
    ("token", "content"),
    [
        ("개발하지", "개발"),
        ("개발한", "개발"),
        ("지속될", "지속"),
        ("향상시키고", "향상"),
        ("딥시크가", "딥시크"),
        ("있다", ""),
        ("있으며", ""),
        ("것이다", ""),
    ],
)
def test_a_korean_word_is_read_without_its_verb_ending_and_function_words_are_dropped(
    token: str, content: str
) -> None:
    assert korean_content(token) == content


def test_korean_verb_forms_of_one_noun_share_a_content_word() -> None:
    """ "개발하지 못하고" (cannot develop) and "개발에 집중" (focus on developing) are about
    the same thing, and "있다" (is) says nothing about what."""
    reader = FrameReader(LexiconIndex(LEXICON))
    cannot = reader.read(0, claim("a", "A.", "LLM도 개발하지 못하고 있다"), PUBLISHED, "")
    focus = reader.read(1, claim("b", "B.", "LLM 개발에 집중하고 있다"), PUBLISHED, "")
    assert cannot.words & focus.words == {"llm", "개발"}


def test_an_acronym_plural_is_its_singular() -> None:
    reader = FrameReader(LexiconIndex(LEXICON))
    plural = reader.read(0, claim("a", "It owns 50,000 GPUs.", "인용"), PUBLISHED, "")
    single = reader.read(1, claim("b", "Each GPU costs more.", "인용"), PUBLISHED, "")
    assert "gpu" in plural.words & single.words
    assert "gpus" not in plural.words


def test_without_negates_as_korean_eopsi_does() -> None:
    reader = FrameReader(LexiconIndex(LEXICON))
    english = reader.read(
        0, claim("a", "It succeeded without advanced chips.", "인용"), PUBLISHED, ""
    )
    korean = reader.read(1, claim("b", "It succeeded.", "첨단 칩 없이도 성공"), PUBLISHED, "")
    assert english.negated and korean.quote_negated


def test_an_event_word_that_stems_to_another_word_does_not_match_that_word() -> None:
    """ "Founded" stems to "found", the past of "find": "found to outperform" is no event."""
    reader = FrameReader(LexiconIndex(Lexicon(event_words=["founded", "launch", "launched"])))
    found = reader.read(0, claim("a", "Models were found to outperform.", "인용"), PUBLISHED, "")
    founded = reader.read(1, claim("b", "The firm was founded in 2023.", "인용"), PUBLISHED, "")
    launch = reader.read(2, claim("c", "Its launch came in May.", "인용"), PUBLISHED, "")
    assert not found.event
    assert founded.event and launch.event


def test_who_says_a_claim_is_not_what_it_is_about() -> None:
    lexicon = Lexicon(
        entities=[
            Entity(name="CB Insights", aliases=["CB인사이트"]),
            Entity(name="Zhou Qi"),
            Entity(name="GSR United Capital"),
            Entity(name="Nvidia"),
            Entity(name="Moonshot AI"),
            Entity(name="Chosun Ilbo"),
        ]
    )
    reader = FrameReader(LexiconIndex(lexicon))

    def names(statement: str, quote: str = "인용") -> frozenset[str]:
        return reader.read(0, claim("x", statement, quote), PUBLISHED, "").entities

    assert names("Moonshot AI was valued at $3.3 billion, according to CB Insights.") == {
        "Moonshot AI"
    }
    assert names("Zhou Qi of GSR United Capital said Moonshot AI leads.") == {"Moonshot AI"}
    assert names("A model.", "CB인사이트에 따르면 문샷") == frozenset()
    assert names("Nvidia said its chips are key.") == {"Nvidia"}
    assert names("CB Insights counts Moonshot AI.") == {"CB Insights", "Moonshot AI"}
    assert names("Moonshot AI leads (Chosun Ilbo's analysis, April 2024).") == {"Moonshot AI"}


CONCESSIONS = Lexicon(
    entities=[
        Entity(name="Export controls", aliases=["sanctions", "제재"]),
        Entity(name="Nvidia", aliases=["엔비디아"]),
        Entity(name="DeepSeek", aliases=["딥시크"]),
    ]
)


@pytest.mark.parametrize(
    ("statement", "quote", "conceded"),
    [
        ("Despite sanctions, the industry grows fast.", "인용", {"Export controls"}),
        ("It shows that sanctions can be overcome.", "인용", {"Export controls"}),
        ("Firms can build models without Nvidia chips.", "인용", {"Nvidia"}),
        ("미 제재 극복 증명", "인용", {"Export controls"}),
        ("엔비디아 칩 없이도 성공", "인용", {"Nvidia"}),
        # Naming a thing is no concession; nor is what precedes "despite" or follows 극복.
        ("Sanctions hold back the industry.", "인용", set()),
        ("DeepSeek grew despite the odds.", "인용", set()),
        ("극복 과제는 제재", "인용", set()),
        # "Without X" under another negation is a need, not a concession.
        ("Firms cannot build models without Nvidia chips.", "인용", set()),
        ("엔비디아 칩 없이는 불가능", "인용", set()),
        ("Despite sanctions, the industry has not slowed.", "인용", {"Export controls"}),
        # 없이 inside another word (끊임없이: constantly) concedes nothing.
        ("제재는 끊임없이 강화된다", "인용", set()),
        # What a claim concedes is what its statement says, not its quote's sentence.
        ("Nvidia dominates AI chips.", "엔비디아가 지배적임에도 불구하고", set()),
    ],
)
def test_a_concession_names_what_it_denies_its_effect(
    statement: str, quote: str, conceded: set[str]
) -> None:
    reader = FrameReader(LexiconIndex(CONCESSIONS))
    frame = reader.read(0, claim("a", statement, quote), PUBLISHED, "")
    assert frame.conceded == conceded
