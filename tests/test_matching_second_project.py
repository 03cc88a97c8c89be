"""The matching engine on a project about something else entirely: a city's air.

Nothing of the bundled China-AI corpus is in this project: its own stances
(`improving` / `worsening`), its own entities with Korean and English aliases,
its own dated event, two sources with opposing views.  The engine must find its
numeric, date and stance contradictions from that data alone (two cities placed apart,
"lags far behind" against "beats", with no stance to say so), and rank them above
everything else it proposes.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from workbench.matching import Candidate, find_candidates
from workbench.project import load_project

CONFIG = """\
name = "Seoul air quality"
lexicon = "lexicon.toml"

[statuses.unreviewed]
meaning = "Not yet reviewed."

[stances]
improving = "The city's air is getting cleaner."
worsening = "The city's air is getting dirtier."
neutral = "A fact that takes no side."

[topics]
pollution = "Measured pollution."
policy = "What the city does about it."
transport = "Ports and traffic."
"""

LEXICON = """\
opposing_stances = [["improving", "worsening"]]
event_words = ["launched", "introduced", "시행", "도입"]

[[entities]]
name = "Seoul"
kind = "city"
aliases = ["서울", "서울시", "Seoul Metropolitan Government"]

[[entities]]
name = "Busan"
kind = "city"
aliases = ["부산"]

[[entities]]
name = "low-emission zone"
kind = "policy"
aliases = ["LEZ", "녹색교통지역"]

[[entities]]
name = "PM2.5"
kind = "pollutant"
aliases = ["fine dust", "초미세먼지"]

[[events]]
name = "Clean Air Summit"
date = 2024-05-10
aliases = ["the clean air summit", "청정대기 정상회의"]
"""

SOURCES = {
    "green-daily": ("2024-03-01", "improving", "Seoul's air is cleaner than ever."),
    "smog-weekly": ("2025-06-01", "worsening", "서울의 공기는 나빠지고 있다."),
}


def claim(
    claim_id: str,
    statement: str,
    source: str,
    quote: str,
    *,
    stance: str = "neutral",
    topic: str = "pollution",
    quantity: dict[str, object] | None = None,
) -> str:
    text = (
        f'id = "{claim_id}"\n'
        f"statement = {json.dumps(statement)}\n"
        f'topic = "{topic}"\n'
        f'stance = "{stance}"\n'
        'status = "unreviewed"\n'
        "\n[source]\n"
        f'id = "{source}"\n'
        f"quote = {json.dumps(quote, ensure_ascii=False)}\n"
    )
    if quantity is not None:
        text += "\n[quantity]\n" + "".join(
            f"{key} = {json.dumps(value)}\n" for key, value in quantity.items()
        )
    return text


CLAIMS = {
    # numeric: one quantity, one period, two values
    "pm25-2023-low": claim(
        "pm25-2023-low",
        "Seoul's average PM2.5 concentration was 18 micrograms per cubic metre in 2023.",
        "green-daily",
        "서울의 초미세먼지 농도는 18",
        quantity={
            "subject": "average pm2.5 concentration in seoul",
            "value": 18,
            "unit": "ug/m3",
            "period": "2023",
        },
    ),
    "pm25-2023-high": claim(
        "pm25-2023-high",
        "Seoul's average fine dust (PM2.5) level reached 25 micrograms per cubic metre in 2023.",
        "smog-weekly",
        "서울 초미세먼지 25",
        quantity={
            "subject": "average pm2.5 concentration in seoul",
            "value": 25,
            "unit": "ug/m3",
            "period": "2023",
        },
    ),
    # stance: the same city seen from opposing stances, named in two languages
    "seoul-air-improving": claim(
        "seoul-air-improving",
        "Seoul's air quality is improving year after year.",
        "green-daily",
        "Seoul's air is cleaner than ever.",
        stance="improving",
    ),
    "capital-air-worsening": claim(
        "capital-air-worsening",
        "Air quality in the capital is getting worse every year.",
        "smog-weekly",
        "서울의 공기는 나빠지고 있다.",
        stance="worsening",
    ),
    # date: one event, dated in March 2023 and, relative to the newer source, "last year"
    "lez-launched-2023": claim(
        "lez-launched-2023",
        "Seoul launched its low-emission zone in March 2023.",
        "green-daily",
        "녹색교통지역 시행",
        topic="policy",
    ),
    "lez-launched-last-year": claim(
        "lez-launched-last-year",
        "Seoul launched the low-emission zone last year.",
        "smog-weekly",
        "지난해 서울시는 녹색교통지역을 도입했다",
        topic="policy",
    ),
    # stance without any stance: two cities placed apart, on two topics, in two languages
    "seoul-lags-busan": claim(
        "seoul-lags-busan",
        "Seoul's air quality lags far behind Busan's.",
        "green-daily",
        "서울 공기질, 부산에 크게 뒤처져",
    ),
    "seoul-beats-busan": claim(
        "seoul-beats-busan",
        "Seoul now beats Busan on clean air, the city says.",
        "smog-weekly",
        "서울 공기질이 부산을 앞섰다",
        topic="policy",
    ),
    # unrelated facts that must not crowd the top
    "busan-port-containers": claim(
        "busan-port-containers",
        "Busan's port handled 24 million containers in 2023.",
        "smog-weekly",
        "부산항 2400만",
        topic="transport",
        quantity={
            "subject": "containers handled by busan port",
            "value": 24_000_000,
            "unit": "containers",
            "period": "2023",
        },
    ),
    "busan-ferry": claim(
        "busan-ferry",
        "Busan added two electric ferries to its fleet.",
        "green-daily",
        "부산 전기 페리",
        topic="transport",
    ),
}

EXPECTED = {
    frozenset({"pm25-2023-low", "pm25-2023-high"}): "numeric",
    frozenset({"seoul-air-improving", "capital-air-worsening"}): "stance",
    frozenset({"lez-launched-2023", "lez-launched-last-year"}): "date",
    frozenset({"seoul-lags-busan", "seoul-beats-busan"}): "stance",
}


def build(root: Path, *, lexicon: str = LEXICON, claims: dict[str, str] = CLAIMS) -> Path:
    (root / "seeds").mkdir(parents=True)
    (root / "claims").mkdir()
    (root / "workbench.toml").write_text(CONFIG, encoding="utf-8")
    (root / "lexicon.toml").write_text(lexicon, encoding="utf-8")
    for number, (source_id, (published, view, text)) in enumerate(sorted(SOURCES.items())):
        (root / "seeds" / f"00{number}.txt").write_text(text + "\n", encoding="utf-8")
        (root / "seeds" / f"00{number}.toml").write_text(
            f'id = "{source_id}"\nfile = "00{number}.txt"\ntitle = "{source_id}"\n'
            f'outlet = "{source_id}"\npublished = {published}\nlanguage = "ko"\nview = "{view}"\n',
            encoding="utf-8",
        )
    for claim_id, text in claims.items():
        (root / "claims" / f"{claim_id}.toml").write_text(text, encoding="utf-8")
    return root


def found(root: Path) -> list[Candidate]:
    project = load_project(root, use_cache=False)
    assert not [p for p in project.problems if p.severity == "error"], project.problems
    return find_candidates(project)


def pairs(candidates: list[Candidate]) -> dict[frozenset[str], Candidate]:
    return {frozenset({c.first, c.second}): c for c in candidates}


def test_its_contradictions_are_found_with_their_kinds(tmp_path: Path) -> None:
    by_pair = pairs(found(build(tmp_path / "air")))
    for pair, kind in EXPECTED.items():
        assert pair in by_pair, f"{sorted(pair)} not proposed"
        assert by_pair[pair].kind == kind
        assert by_pair[pair].suggested_relation in ("contradicts", "updates")


def test_its_contradictions_are_ranked_first(tmp_path: Path) -> None:
    ranked = found(build(tmp_path / "air"))
    top = {frozenset({c.first, c.second}) for c in ranked[: len(EXPECTED)]}
    assert top == set(EXPECTED), [(c.first, c.second, c.kind, c.score) for c in ranked]


def test_a_date_relative_to_a_named_event_is_resolved(tmp_path: Path) -> None:
    claims = {
        "lez-launched-2023": CLAIMS["lez-launched-2023"],
        "lez-after-summit": claim(
            "lez-after-summit",
            "Seoul launched the low-emission zone two days after the clean air summit.",
            "smog-weekly",
            "청정대기 정상회의 이틀 뒤 녹색교통지역 시행",
            topic="policy",
        ),
    }
    ranked = found(build(tmp_path / "air", claims=claims))
    assert [c.kind for c in ranked] == ["date"]
    assert "2024-05-12" in ranked[0].reason


def test_without_a_lexicon_numbers_and_dates_still_conflict_but_stances_do_not(
    tmp_path: Path,
) -> None:
    by_pair = pairs(found(build(tmp_path / "air", lexicon="")))
    numeric = frozenset({"pm25-2023-low", "pm25-2023-high"})
    assert by_pair[numeric].kind == "numeric"
    assert not [c for c in by_pair.values() if c.kind == "stance"]


@pytest.mark.parametrize("alias", ["서울시", "Seoul Metropolitan Government"])
def test_an_entity_is_matched_by_any_of_its_aliases(tmp_path: Path, alias: str) -> None:
    claims = {
        "seoul-air-improving": CLAIMS["seoul-air-improving"],
        "other-name-worsening": claim(
            "other-name-worsening",
            f"According to the {alias} report, air quality is getting worse.",
            "smog-weekly",
            "공기가 나빠지고 있다",
            stance="worsening",
        ),
    }
    ranked = found(build(tmp_path / "air", claims=claims))
    assert [c.kind for c in ranked] == ["stance"]
    assert "Seoul" in ranked[0].reason
