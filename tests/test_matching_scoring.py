"""How two frames relate (`workbench.matching.scoring`): which names count, what time is worth."""

from __future__ import annotations

import datetime as dt

from workbench.matching.frames import FrameReader, LexiconIndex
from workbench.matching.scoring import YEAR_APART_DAYS, Comparer, Scored
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
