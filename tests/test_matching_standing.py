"""Where a claim places one party against another (`Frame.standing`), and what follows.

A claim that puts party A behind, level with or ahead of party B (or the gap between
them closing or held) is read as grammar, English and Korean alike, with the parties
named through the lexicon's entities and groups.  Two claims that place the same two
parties apart contradict each other whatever their topics; a claim that says its subject
does without a thing contradicts one that counts the subject's.  The lexicon here is made
up (two rival leagues of robot makers): nothing of the bundled corpus is needed.
"""

from __future__ import annotations

import datetime as dt

import pytest

from workbench.matching import match_claims
from workbench.matching.frames import FrameReader, LexiconIndex
from workbench.matching.scoring import Comparer
from workbench.matching.standing import Standing
from workbench.models import Claim, Entity, Lexicon

LEXICON = Lexicon(
    opposing_stances=[("gloomy", "hopeful")],
    rivals=[("north", "south")],
    entities=[
        Entity(name="Nordland", kind="country", group="north", aliases=["Nordic", "노르드"]),
        Entity(name="Sudland", kind="country", group="south", aliases=["Southern", "수드"]),
        Entity(name="Ironworks", kind="company", group="north", aliases=["아이언웍스"]),
        Entity(name="Rover-9", kind="product", part_of="Ironworks", aliases=["Rover 9"]),
        Entity(name="Brightbots", kind="company", group="south"),
        Entity(name="Sparky", kind="product", part_of="Brightbots"),
        Entity(name="Clanker", kind="product", part_of="Brightbots"),
        Entity(name="Gadget Weekly", kind="media"),
        Entity(name="walking robot", kind="technology", aliases=["walking robots"]),
        Entity(name="servo", kind="technology", aliases=["servos", "서보"]),
        Entity(name="motor", kind="technology", part_of="servo", aliases=["motors"]),
    ],
)


def standing_of(statement: str, quote: str = "") -> str:
    reader = FrameReader(LexiconIndex(LEXICON))
    claim = Claim.model_validate(
        {
            "id": "one",
            "statement": statement,
            "topic": "robots",
            "stance": "neutral",
            "source": {"id": "source", "quote": quote or "인용"},
        }
    )
    found = reader.read(0, claim, None, "").standing
    return str(found) if found is not None else ""


@pytest.mark.parametrize(
    ("statement", "expected"),
    [
        ("Nordland cannot catch up with Sudland in robotics.", "north behind south, not closing"),
        (
            "Nordic robots will find it hard to catch up with Sudland.",
            "north behind south, not closing",
        ),
        ("Nordland is catching up with Sudland.", "north behind south, closing"),
        ("Nordland is narrowing the robotics gap with Sudland.", "north behind south, closing"),
        ("Nordland is failing to narrow the gap with Sudland.", "north behind south, not closing"),
        (
            "Nordic robots stand shoulder to shoulder with Southern robots.",
            "north level with south",
        ),
        ("No robot built by a Nordic firm matches Brightbots' Sparky.", "north behind south"),
        ("None of them could yet build a robot able to compete with Brightbots.", ""),
        (
            "Rover-9 is rated as holding its own against Brightbots' Clanker.",
            "north level with south",
        ),
        (
            "Ironworks says Rover-9 walks at least as well as Sparky.",
            "north level with or ahead of south",
        ),
        ("Rover-9 outperforms Sparky.", "north ahead of south"),
        ("Sudland trails Nordland.", "north ahead of south"),
        # The party placed is the nearest name of another side than the other party's.
        (
            "These Nordic robots (built on Brightbots' Sparky) are two years behind Clanker.",
            "north behind south",
        ),
        # A word that may stand alone places its subject against its rival...
        ("Nordland lags.", "north behind south"),
        ("Nordland is in the lead in walking robots.", "north ahead of south"),
        # ...and one that needs its object, or speaks of a whole field, places nothing.
        ("Nordland will lead the robot development plans.", ""),
        ("Brightbots dominates the servo market.", ""),
        ("Ironworks beats expectations.", ""),
        # Who says a claim is no party to it.
        ("Gadget Weekly says there are limits to catching up with Brightbots in servos.", ""),
        # A difficulty negates as "not" does: hard to make a robot comparable to Sparky.
        ("It is hard for Nordland to make robots comparable to Sparky.", "north behind south"),
    ],
)
def test_an_english_claim_places_one_party_against_another(statement: str, expected: str) -> None:
    assert standing_of(statement) == expected


@pytest.mark.parametrize(
    ("quote", "expected"),
    [
        ("노르드 로봇, 이미 수드와 어깨 나란히", "north level with south"),
        ("노르드 로봇 당장 수드 따라잡긴 힘들것", "north behind south, not closing"),
        ("일부 노르드 로봇은 수드 경쟁사를 능가하는 것으로 나타났다", "north ahead of south"),
        ("노르드는 수드와 격차를 좁히고 있다", "north behind south, closing"),
        ("아이언웍스 로봇 중 수드 수준을 따라오는 로봇은 없다", "north behind south, not closing"),
        # 압도적으로 많다 (overwhelmingly many) places nothing: no party is named against.
        ("수드가 압도적으로 많아", ""),
        # 경쟁사 is a competitor, not "to compete".
        ("노르드 경쟁사", ""),
    ],
)
def test_a_korean_quote_places_them_when_the_statement_does_not(quote: str, expected: str) -> None:
    assert standing_of("A claim with no comparison in it.", quote) == expected


def test_standings_disagree_on_position_or_on_the_gap_and_only_for_the_same_parties() -> None:
    behind = Standing("north", "south", "b")
    assert behind.disagrees(Standing("north", "south", "l"))
    assert behind.disagrees(Standing("north", "south", "a"))
    assert not behind.disagrees(Standing("north", "south", "bl"))
    assert not behind.disagrees(Standing("east", "south", "a"))
    closing, held = Standing("north", "south", "b", "c"), Standing("north", "south", "b", "h")
    assert closing.disagrees(held)
    assert not closing.disagrees(behind)


def claim(claim_id: str, statement: str, source: str, **fields: object) -> Claim:
    data: dict[str, object] = {
        "id": claim_id,
        "statement": statement,
        "topic": "robots",
        "stance": "neutral",
        "source": {"id": source, "quote": "인용"},
    }
    data.update(fields)
    return Claim.model_validate(data)


FILLER = [
    claim(f"filler-{n}", f"Nordland robotics item{n} note{n}.", f"s{n % 3}") for n in range(12)
]


def candidates(*claims: Claim) -> dict[frozenset[str], tuple[str, str, str]]:
    found = match_claims(
        [*claims, *FILLER],
        {"old": dt.date(2024, 4, 1), "new": dt.date(2025, 2, 1)},
        lexicon=LEXICON,
    )
    return {frozenset((c.first, c.second)): (c.kind, c.suggested_relation, c.reason) for c in found}


def test_claims_placing_the_same_parties_apart_contradict_whatever_their_topics() -> None:
    found = candidates(
        claim("cannot", "Nordland cannot catch up with Sudland in robotics.", "old", topic="race"),
        claim("on-par", "Nordic robots stand shoulder to shoulder with Southern robots.", "new"),
    )
    kind, relation, reason = found[frozenset({"cannot", "on-par"})]
    assert (kind, relation) == ("stance", "updates")
    assert "north behind south" in reason and "north level with south" in reason


def test_claims_the_project_files_on_one_side_are_not_set_against_each_other() -> None:
    found = candidates(
        claim("level", "Rover-9 performs on a par with Sparky.", "old", stance="hopeful"),
        claim("ahead", "Rover-9 outperforms Clanker.", "new", stance="hopeful"),
    )
    assert all(kind != "stance" for kind, _, _ in found.values())


def test_claims_placing_the_parties_alike_are_no_conflict() -> None:
    found = candidates(
        claim("lags", "Nordland lags Sudland in robotics.", "old"),
        claim("behind", "Nordland is two years behind Sudland.", "new", topic="race"),
    )
    assert frozenset({"lags", "behind"}) not in found


def test_doing_without_a_thing_contradicts_counting_it() -> None:
    """A motor is a servo (its `part_of`): owning 5,000 motors is having servos."""
    found = candidates(
        claim("without", "Ironworks builds fast robots without relying on servos.", "old"),
        claim(
            "owns",
            "Ironworks alone owns 5,000 motors.",
            "new",
            topic="parts",
            quantity={"subject": "motors owned by ironworks", "value": 5000, "unit": "motors"},
        ),
    )
    kind, relation, reason = found[frozenset({"without", "owns"})]
    assert kind == "stance" and relation in ("contradicts", "updates")
    assert "without servo" in reason


def test_placing_apart_relates_more_than_a_shared_topic() -> None:
    """Two claims alike in words and names: the pair on two topics that places the
    parties apart is more related than the pair on one topic that places nothing."""
    claims = [
        claim("cannot", "Nordland cannot catch up with Sudland.", "old", topic="race"),
        claim("on-par", "Nordic robots rival Southern robots.", "new", topic="models"),
        claim("same-topic", "Nordic robots sell to Southern robots.", "new", topic="race"),
    ]
    reader = FrameReader(LexiconIndex(LEXICON))
    frames = [reader.read(n, item, None, "") for n, item in enumerate([*claims, *FILLER])]
    comparer = Comparer(frames, reader, tolerance=0.05, approximate_tolerance=0.2)
    apart, _, _ = comparer.relatedness(frames[0], frames[1])
    topic, _, _ = comparer.relatedness(frames[0], frames[2])
    assert apart > topic
