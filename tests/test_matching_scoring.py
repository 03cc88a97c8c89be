"""How two frames relate (`workbench.matching.scoring`): which names count, what time is worth."""

from __future__ import annotations

import datetime as dt

import pytest

from workbench.matching.frames import FrameReader, LexiconIndex
from workbench.matching.scoring import (
    YEAR_APART_DAYS,
    Comparer,
    Scored,
    SemanticWeights,
    semantic_closeness,
)
from workbench.models import Claim, Entity, Lexicon

LEXICON = Lexicon(
    opposing_stances=[("lagging", "catching-up")],
    entities=[
        Entity(name="China", aliases=["Chinese"]),
        Entity(name="Export controls", kind="policy", aliases=["sanctions"]),
        Entity(name="Zhou Qi", kind="person"),
        Entity(name="DeepSeek"),
    ],
)


def claim(claim_id: str, statement: str, source: str = "one") -> Claim:
    return Claim.model_validate(
        {
            "id": claim_id,
            "statement": statement,
            "topic": "policy",
            "stance": "neutral",
            "source": {"id": source, "quote": "인용"},
        }
    )


def comparer(claims: list[Claim], published: dict[str, dt.date] | None = None) -> Comparer:
    reader = FrameReader(LexiconIndex(LEXICON))
    dates = published or {}
    frames = [
        reader.read(position, item, dates.get(item.source.id), "")
        for position, item in enumerate(claims)
    ]
    return Comparer(frames, reader, tolerance=0.05, approximate_tolerance=0.2)


def filler(count: int) -> list[Claim]:
    """Claims that all name China, and little else in common."""
    return [claim(f"filler-{n}", f"China item{n} topic{n}.") for n in range(count)]


def test_a_shared_specific_name_relates_more_than_the_name_every_claim_gives() -> None:
    claims = [
        claim("curbs", "Sanctions hold back China."),
        claim("beatable", "Zhou Qi said export controls can be overcome by DeepSeek."),
        claim("chinese", "Chinese output keeps growing."),
        *filler(30),
    ]
    scores = comparer(claims)
    frames = {frame.claim_id: frame for frame in scores.frames}
    specific, _, names = scores.relatedness(frames["curbs"], frames["beatable"])
    crowded, _, _ = scores.relatedness(frames["curbs"], frames["chinese"])
    assert "Export controls" in names
    assert specific > crowded
    assert scores.entity_specificity["China"] == 0.0


def test_naming_a_speaker_besides_does_not_lower_what_two_claims_share() -> None:
    """A cosine over all names would: the more names a claim gives, the less each counts."""
    plain = [
        claim("curbs", "Sanctions hold back China."),
        claim("beatable", "Export controls can be overcome."),
        *filler(30),
    ]
    spoken = [
        claim("curbs", "Sanctions hold back China."),
        claim("beatable", "Zhou Qi said export controls can be overcome."),
        *filler(30),
    ]
    first, second = comparer(plain), comparer(spoken)
    alone, _ = first.names_alike(first.frames[0], first.frames[1])
    with_speaker, _ = second.names_alike(second.frames[0], second.frames[1])
    assert alone == with_speaker > 0


def test_denying_a_named_thing_its_effect_argues_with_each_claim_that_names_it() -> None:
    """ "Despite X, Y" disputes "X holds Y back": more related than the same two claims
    without the concession (which agree, or say nothing of each other), whatever the
    stances; two concessions of X do not argue, and a name in most claims says little."""
    claims = [
        claim("curbs", "Sanctions hold back DeepSeek."),
        claim("despite", "Despite sanctions, DeepSeek keeps growing."),
        claim("because", "Because of sanctions, DeepSeek keeps growing."),
        claim("overcome", "DeepSeek shows sanctions can be overcome."),
        claim("china-curbs", "China is held back."),
        claim("china-despite", "Despite China, DeepSeek keeps growing."),
        *filler(30),
    ]
    scores = comparer(claims)
    frames = {frame.claim_id: frame for frame in scores.frames}
    disputed, _, _ = scores.relatedness(frames["curbs"], frames["despite"])
    plain, _, _ = scores.relatedness(frames["curbs"], frames["because"])
    assert scores.disputed(frames["curbs"], frames["despite"]) > 0
    assert scores.disputed(frames["because"], frames["curbs"]) == 0
    assert disputed > plain
    assert scores.disputed(frames["despite"], frames["overcome"]) == 0  # both concede
    assert scores.disputed(frames["china-curbs"], frames["china-despite"]) == 0  # crowded


def test_a_stance_pair_that_disputes_a_name_says_which() -> None:
    claims = [
        claim("curbs", "Sanctions hold back DeepSeek.", "one"),
        claim("despite", "Despite sanctions, DeepSeek keeps growing.", "two"),
        claim("grows", "DeepSeek keeps growing fast.", "three"),
    ]
    claims[0].stance, claims[1].stance, claims[2].stance = "lagging", "catching-up", "catching-up"
    scores = comparer(claims)
    curbs, despite, grows = scores.frames
    disputing = [item for item in scores.compare_all(curbs, despite) if item.kind == "stance"]
    plain = [item for item in scores.compare_all(curbs, grows) if item.kind == "stance"]
    assert [item.reason for item in disputing] == [
        "opposing stances (lagging / catching-up) about DeepSeek, Export controls; "
        "one in spite of Export controls"
    ]
    assert plain and "in spite of" not in str(plain[0].reason)


def worth_apart(days: int) -> float:
    start = dt.date(2024, 1, 1)
    claims = [claim("old", "A.", "old"), claim("new", "B.", "new")]
    scores = comparer(claims, {"old": start, "new": start + dt.timedelta(days=days)})
    first, second = scores.frames
    return scores.worth(first, second, Scored("stance", "updates", 1.0, ""))


def test_time_apart_is_worth_more_by_degrees_not_by_a_step() -> None:
    near, months, full, later = (
        worth_apart(0),
        worth_apart(YEAR_APART_DAYS * 6 // 7),
        worth_apart(YEAR_APART_DAYS),
        worth_apart(YEAR_APART_DAYS * 2),
    )
    assert near < months < full == later


def test_semantic_closeness_read_as_cosine_or_as_each_claim_s_own_places() -> None:
    """Cosine: how far above the floor.  Rank: the better of the pair's two places in its
    claims' own neighbour lists, whatever the raw cosine (a crowded subject runs high)."""
    similarities = {
        ("a", "b"): 0.9,  # a's nearest, b's nearest
        ("a", "c"): 0.8,  # a's second, c's nearest
        ("a", "d"): 0.5,  # a's third, d's second
        ("d", "e"): 0.6,  # d's nearest, e's nearest
    }
    cosine = semantic_closeness(similarities, SemanticWeights(mode="cosine", floor=0.2))
    assert cosine(("a", "b")) == pytest.approx(0.7 / 0.8)
    assert cosine(("b", "c")) is None  # not proposed
    rank = semantic_closeness(similarities, SemanticWeights(mode="rank"))
    assert rank(("a", "b")) == 1.0
    assert rank(("a", "c")) == 1.0  # c's nearest, though a's second
    assert rank(("a", "d")) == 0.5  # a's third, d's second
    assert rank(("d", "e")) == 1.0  # a lower cosine than (a, c), first all the same
    assert rank(("b", "c")) is None


def test_semantic_weight_raises_a_proposed_pair_by_its_closeness_only() -> None:
    """A stance pair, whose score grows with relatedness: the semantic closeness adds
    `weight` of it (none at weight 0), and the kind stays the rules'."""
    claims = [
        claim("up", "DeepSeek shows the sanctions can be overcome.", "one"),
        claim("down", "The sanctions hold DeepSeek back.", "two"),
    ]
    claims[0].stance, claims[1].stance = "catching-up", "lagging"
    compared = comparer(claims)
    a, b = compared.frames
    plain = {item.kind: item.score for item in compared.compare_all(a, b)}
    assert "stance" in plain
    for weight in (0.0, 0.3):
        compared.semantic_weights = SemanticWeights(weight=weight)
        lifted = {item.kind: item.score for item in compared.compare_all(a, b, 1.0)}
        assert lifted.keys() == plain.keys()  # the kinds are the rules', never the model's
        for kind, score in lifted.items():
            assert (score > plain[kind]) if weight else (score == plain[kind])
