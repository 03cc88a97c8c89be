"""The matching engine (`workbench.matching`) and `workbench conflicts`."""

from __future__ import annotations

import dataclasses
import json
import os
import random
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from workbench.cli import main
from workbench.matching import KINDS, Candidate, MatchSettings, find_candidates, match_claims
from workbench.models import Claim
from workbench.project import load_project

from .conftest import REPO, ProjectFactory

OTHER_SOURCE = """\
id = "old-source"
file = "001_old.txt"
title = "Old article"
outlet = "Old Daily"
published = 2024-04-02
language = "ko"
view = "lagging"
"""


def claim(
    claim_id: str,
    statement: str,
    *,
    topic: str = "funding",
    stance: str = "neutral",
    source: str = "test-source",
    quote: str = "인용문",
    quantity: dict[str, object] | None = None,
    extra: str = "",
) -> str:
    """A claim file; `quantity` becomes its [quantity] table."""
    text = (
        f'id = "{claim_id}"\n'
        f"statement = {json.dumps(statement)}\n"
        f'topic = "{topic}"\n'
        f'stance = "{stance}"\n'
        'status = "unreviewed"\n'
        f"\n[source]\n"
        f'id = "{source}"\n'
        f"quote = {json.dumps(quote)}\n"
    )
    if quantity is not None:
        text += "\n[quantity]\n" + "".join(
            f"{key} = {json.dumps(value)}\n" for key, value in quantity.items()
        )
    return text + extra


LEXICON = """\
opposing_stances = [["lagging", "catching-up"]]
rivals = [["china", "us"]]
event_words = ["released", "founded", "launched", "출시"]

[[entities]]
name = "China"
group = "china"
aliases = ["Chinese", "중국"]

[[entities]]
name = "United States"
group = "us"
aliases = ["US", "미국"]

[[entities]]
name = "DeepSeek"
aliases = ["딥시크"]

[[entities]]
name = "Alibaba"
aliases = ["알리바바"]

[[entities]]
name = "Alibaba Cloud"

[[entities]]
name = "Qwen2.5-Max"

[[entities]]
name = "Moonshot AI"
aliases = ["문샷 AI"]

[[entities]]
name = "Germany"

[[entities]]
name = "United Kingdom"
"""
"""The test project's lexicon: its stances that oppose, its names, its event words."""


@pytest.fixture
def build(make_project: ProjectFactory) -> ProjectFactory:
    """A project with the test source (2025-02-24) and an older one (2024-04-02), and
    the lexicon above."""

    def build_project(claims: dict[str, str]) -> Path:
        root = make_project({f"{name}.toml": text for name, text in claims.items()})
        config = root / "workbench.toml"
        # The lexicon file below replaces any inline [lexicon] the shared config has.
        text = config.read_text("utf-8").split("\n[lexicon]\n")[0]
        config.write_text('lexicon = "lexicon.toml"\n' + text, "utf-8")
        (root / "lexicon.toml").write_text(LEXICON, encoding="utf-8")
        (root / "seeds" / "001_old.txt").write_text("옛 기사\n", encoding="utf-8")
        (root / "seeds" / "001_old.toml").write_text(OTHER_SOURCE, encoding="utf-8")
        return root

    return build_project


def candidates(root: Path, **options: object) -> list[Candidate]:
    return find_candidates(load_project(root, use_cache=False), **options)  # type: ignore[arg-type]


def pair(found: list[Candidate], a: str, b: str) -> list[Candidate]:
    return [c for c in found if {c.first, c.second} == {a, b}]


FUNDING = {"subject": "2023 ai investment in chinese companies", "unit": "USD", "period": "2023"}


# --------------------------------------------------------------------------- numeric


def test_two_values_for_one_quantity_and_period_are_a_numeric_conflict(
    build: ProjectFactory,
) -> None:
    root = build(
        {
            "a": claim(
                "a",
                "Chinese AI companies raised $2 billion in 2023.",
                source="old-source",
                quantity={**FUNDING, "value": 2e9},
            ),
            "b": claim(
                "b",
                "Chinese AI firms attracted $3 billion of investment in 2023.",
                quantity={**FUNDING, "value": 3e9},
            ),
        }
    )
    [found] = pair(candidates(root), "a", "b")
    assert (found.kind, found.suggested_relation) == ("numeric", "contradicts")
    assert (found.first, found.second) == ("a", "b")
    assert "2 billion USD vs 3 billion USD (50% apart)" in found.reason
    assert 0.5 < found.score <= 1.0


def test_values_within_the_tolerance_are_the_same_fact_not_a_conflict(
    build: ProjectFactory,
) -> None:
    root = build(
        {
            "a": claim("a", "Funding reached $2 billion.", quantity={**FUNDING, "value": 2e9}),
            "b": claim(
                "b",
                "Investment totalled about $2 billion.",
                source="old-source",
                quantity={**FUNDING, "value": 2.05e9},
            ),
        }
    )
    [found] = pair(candidates(root), "a", "b")
    assert (found.kind, found.suggested_relation) == ("duplicate", "same-fact")


def test_the_same_quantity_in_two_periods_is_an_update_newest_first(
    build: ProjectFactory,
) -> None:
    subject = {"subject": "ai start-up funding in china", "unit": "USD"}
    root = build(
        {
            "old": claim(
                "old",
                "Chinese AI start-ups raised $2 billion in 2023.",
                source="old-source",
                quantity={**subject, "value": 2e9, "period": "2023"},
            ),
            "new": claim(
                "new",
                "Chinese AI start-ups raised $6 billion in 2025.",
                quantity={**subject, "value": 6e9, "period": "2025"},
            ),
        }
    )
    [found] = pair(candidates(root), "old", "new")
    assert found.suggested_relation == "updates"
    assert found.kind == "numeric"
    assert (found.first, found.second) == ("new", "old")
    assert "2023" in found.reason and "2025" in found.reason
    assert not [c for c in candidates(root) if c.suggested_relation == "contradicts"]


def test_different_currencies_are_never_compared(build: ProjectFactory) -> None:
    subject = {"subject": "deepseek v3 training cost", "period": "2024"}
    root = build(
        {
            "usd": claim(
                "usd",
                "DeepSeek trained V3 for $5.6 million.",
                topic="cost",
                quantity={**subject, "value": 5.6e6, "unit": "USD"},
            ),
            "krw": claim(
                "krw",
                "DeepSeek trained V3 for 8 billion won.",
                topic="cost",
                source="old-source",
                quantity={**subject, "value": 8e9, "unit": "KRW"},
            ),
        }
    )
    found = pair(candidates(root), "usd", "krw")
    assert all(c.kind != "numeric" for c in found)
    assert all(c.suggested_relation not in ("same-fact", "contradicts") for c in found)
    assert all("apart" not in c.reason for c in found)


def test_different_subjects_are_not_compared(build: ProjectFactory) -> None:
    rank = {"unit": "rank", "period": "2024"}
    root = build(
        {
            "kaist": claim(
                "kaist",
                "KAIST ranked 76th in the Nature Index 2024.",
                topic="race",
                quantity={**rank, "subject": "nature index rank, kaist", "value": 76},
            ),
            "snu": claim(
                "snu",
                "Seoul National University ranked 54th in the Nature Index 2024.",
                topic="race",
                quantity={
                    **rank,
                    "subject": "nature index rank, seoul national university",
                    "value": 54,
                },
            ),
        }
    )
    assert pair(candidates(root), "kaist", "snu") == []


def test_a_target_year_is_not_the_year_it_was_set(build: ProjectFactory) -> None:
    root = build(
        {
            "set": claim(
                "set",
                "China drew up its AI development plan in 2017.",
                topic="race",
                quantity={"subject": "year of china's ai plan", "value": 2017, "unit": "year"},
            ),
            "goal": claim(
                "goal",
                "China's AI plan aims to lead the world by 2030.",
                topic="race",
                quantity={
                    "subject": "target year of china's ai plan",
                    "value": 2030,
                    "unit": "year",
                },
            ),
        }
    )
    assert all(c.kind != "date" for c in pair(candidates(root), "set", "goal"))


def test_figures_differ_means_not_the_same_fact(build: ProjectFactory) -> None:
    root = build(
        {
            "small": claim("small", "DeepSeek trained its model for $5.6M.", topic="cost"),
            "large": claim(
                "large", "DeepSeek trained its model for $56M.", topic="cost", source="old-source"
            ),
        }
    )
    [found] = pair(candidates(root), "small", "large")
    assert found.suggested_relation != "same-fact"
    assert (found.kind, found.suggested_relation) == ("numeric", "contradicts")
    assert "5.6 million USD" in found.reason and "56 million USD" in found.reason


# --------------------------------------------------------------------------- stance


def test_negation_is_not_a_duplicate(build: ProjectFactory) -> None:
    root = build(
        {
            "safe": claim("safe", "The DeepSeek app is safe.", topic="race"),
            "unsafe": claim(
                "unsafe", "The DeepSeek app is not safe.", topic="race", source="old-source"
            ),
        }
    )
    [found] = pair(candidates(root), "safe", "unsafe")
    assert found.kind != "duplicate" and found.suggested_relation != "same-fact"
    assert (found.kind, found.suggested_relation) == ("stance", "contradicts")
    assert "negated" in found.reason


def test_opposing_stances_across_sources_are_a_stance_candidate(build: ProjectFactory) -> None:
    root = build(
        {
            "behind": claim(
                "behind",
                "China's AI models lag the US by one to two years.",
                topic="race",
                stance="lagging",
                source="old-source",
            ),
            "on-par": claim(
                "on-par",
                "Chinese AI models are already on par with the US.",
                topic="race",
                stance="catching-up",
            ),
        }
    )
    [found] = pair(candidates(root), "behind", "on-par")
    assert found.kind == "stance"
    # 2024-04-02 against 2025-02-24: the later article may update the earlier one.
    assert found.suggested_relation == "updates"
    assert (found.first, found.second) == ("on-par", "behind")
    assert "lagging" in found.reason and "catching-up" in found.reason


def test_opposing_stances_within_one_source_score_lower(build: ProjectFactory) -> None:
    statements = {
        "behind": ("China's AI models lag the US by one to two years.", "lagging"),
        "on-par": ("Chinese AI models are already on par with the US.", "catching-up"),
    }
    claims = {
        name: claim(name, text, topic="race", stance=stance)
        for name, (text, stance) in statements.items()
    }
    claims["behind-old"] = claim(
        "behind-old", statements["behind"][0], topic="race", stance="lagging", source="old-source"
    )
    root = build(claims)
    found = candidates(root)
    [cross] = pair(found, "behind-old", "on-par")
    assert cross.kind == "stance"
    # Within one article a stance pair is worth less: an article that quotes a view and
    # its rebuttal is doing its job; it comes up only below the pair across articles.
    assert all(same.score < cross.score for same in pair(found, "behind", "on-par"))
    project = load_project(root, use_cache=False)
    everything = match_claims(
        list(project.iter_claims()),
        lexicon=project.settings.lexicon,
        settings=MatchSettings(min_score=0.0),
    )
    [same] = pair(everything, "behind", "on-par")
    assert same.kind == "stance" and same.same_source
    assert same.score < cross.score


def test_the_same_stance_is_not_a_stance_conflict(build: ProjectFactory) -> None:
    root = build(
        {
            "a": claim("a", "China trails the US in AI chips.", topic="chips", stance="lagging"),
            "b": claim(
                "b",
                "China's AI chips trail US designs.",
                topic="chips",
                stance="lagging",
                source="old-source",
            ),
        }
    )
    assert all(c.kind != "stance" for c in candidates(root))


# --------------------------------------------------------------------------- dates


def test_one_event_dated_twice_is_a_date_conflict(build: ProjectFactory) -> None:
    year = {"subject": "founding year, moonshot ai", "unit": "year"}
    root = build(
        {
            "a": claim(
                "a",
                "Moonshot AI was founded in 2023.",
                topic="companies",
                quantity={**year, "value": 2023},
            ),
            "b": claim(
                "b",
                "Moonshot AI was founded in 2022.",
                topic="companies",
                source="old-source",
                quantity={**year, "value": 2022},
            ),
        }
    )
    [found] = pair(candidates(root), "a", "b")
    assert (found.kind, found.suggested_relation) == ("date", "contradicts")
    assert "2023" in found.reason and "2022" in found.reason


def test_release_dates_in_statements_are_compared(build: ProjectFactory) -> None:
    root = build(
        {
            "a": claim("a", "Alibaba released Qwen2.5-Max on 29 January 2025.", topic="companies"),
            "b": claim(
                "b",
                "Alibaba Cloud released its Qwen2.5-Max model on 28 January 2025.",
                topic="companies",
                source="old-source",
            ),
        }
    )
    [found] = pair(candidates(root), "a", "b")
    assert (found.kind, found.suggested_relation) == ("date", "contradicts")
    assert "2025-01-29" in found.reason and "2025-01-28" in found.reason


def test_a_month_and_a_day_in_it_agree(build: ProjectFactory) -> None:
    root = build(
        {
            "a": claim("a", "Alibaba released Qwen2.5-Max in January 2025.", topic="companies"),
            "b": claim(
                "b",
                "Alibaba released Qwen2.5-Max on 29 January 2025.",
                topic="companies",
                source="old-source",
            ),
        }
    )
    assert all(c.kind != "date" for c in candidates(root))


# --------------------------------------------------------------------------- duplicates


def test_the_same_fact_from_two_sources_is_a_duplicate(build: ProjectFactory) -> None:
    statement = "Alibaba's Qwen is the most downloaded model family on Hugging Face."
    root = build(
        {
            "a": claim("a", statement, topic="race", stance="catching-up"),
            "b": claim(
                "b",
                "Alibaba's Qwen is the most downloaded model family on Hugging Face today.",
                topic="race",
                stance="catching-up",
                source="old-source",
            ),
        }
    )
    [found] = pair(candidates(root), "a", "b")
    assert (found.kind, found.suggested_relation) == ("duplicate", "same-fact")
    assert "two sources" in found.reason
    assert found.score >= 0.8


def test_the_same_fact_twice_in_one_source_is_a_duplicate(build: ProjectFactory) -> None:
    statement = "Alibaba's Qwen is the most downloaded model family on Hugging Face."
    root = build({"a": claim("a", statement), "b": claim("b", statement)})
    [found] = candidates(root)
    assert (found.kind, found.suggested_relation) == ("duplicate", "same-fact")
    assert found.same_source and "both in test-source" in found.reason


def test_a_negated_korean_quote_is_not_a_duplicate(build: ProjectFactory) -> None:
    statement = "The DeepSeek app is safe for companies to use."
    root = build(
        {
            "a": claim("a", statement, quote="딥시크 앱은 기업이 쓰기에 안전하다"),
            "b": claim(
                "b", statement, quote="딥시크 앱은 기업이 쓰기에 안전하지 않다", source="old-source"
            ),
        }
    )
    [found] = candidates(root)
    assert (found.kind, found.suggested_relation) == ("stance", "contradicts")
    assert "negated" in found.reason


def test_parallel_facts_about_different_things_are_not_related(build: ProjectFactory) -> None:
    root = build(
        {
            "de": claim("de", "Germany has 521 large data centres.", topic="chips"),
            "uk": claim("uk", "The United Kingdom has 514 large data centres.", topic="chips"),
        }
    )
    assert pair(candidates(root), "de", "uk") == []


# --------------------------------------------------------------------------- exclusions


def test_recorded_relations_and_dismissed_pairs_are_not_proposed(build: ProjectFactory) -> None:
    statement = "Alibaba's Qwen is the most downloaded model family on Hugging Face."
    related = '\n[[relations]]\nkind = "supports"\nclaim = "b"\n'
    dismissed = '\n[[dismissed]]\nclaim = "b"\nkind = "stance"\nnote = "checked"\n'
    root = build(
        {
            "a": claim("a", statement, topic="race", extra=related),
            "b": claim("b", statement, topic="race", source="old-source"),
            "c": claim("c", statement, topic="race", extra=dismissed),
            "d": claim("d", statement, topic="race", source="old-source"),
        }
    )
    found = {frozenset((c.first, c.second)) for c in candidates(root)}
    assert frozenset(("a", "b")) not in found  # related in a's file
    assert frozenset(("b", "c")) not in found  # dismissed in c's file (any kind)
    assert frozenset(("a", "d")) in found
    project = load_project(root, use_cache=False)
    everything = match_claims(list(project.iter_claims()), respect_recorded=False)
    assert frozenset(("a", "b")) in {frozenset((c.first, c.second)) for c in everything}


# --------------------------------------------------------------------------- the API


def test_filters_limit_and_order(build: ProjectFactory) -> None:
    root = build(
        {
            "a": claim(
                "a",
                "Chinese AI companies raised $2 billion in 2023.",
                quantity={**FUNDING, "value": 2e9},
            ),
            "b": claim(
                "b",
                "Chinese AI firms attracted $3 billion in 2023.",
                source="old-source",
                quantity={**FUNDING, "value": 3e9},
            ),
            "safe": claim("safe", "The DeepSeek app is safe.", topic="race"),
            "unsafe": claim(
                "unsafe", "The DeepSeek app is not safe.", topic="race", source="old-source"
            ),
        }
    )
    everything = candidates(root)
    assert everything == sorted(everything, key=lambda c: (-c.score, c.first, c.second, c.kind))
    assert {c.kind for c in candidates(root, kinds=["stance"])} == {"stance"}
    assert {c.kind for c in candidates(root, kinds=("numeric",))} == {"numeric"}
    race = candidates(root, topic="race")
    assert race and all({c.first, c.second} == {"safe", "unsafe"} for c in race)
    assert candidates(root, limit=1) == everything[:1]
    with pytest.raises(ValueError, match="unknown candidate kind"):
        candidates(root, kinds=["bogus"])
    with pytest.raises(ValueError, match="limit"):
        candidates(root, limit=0)


def test_candidates_are_frozen_and_typed(build: ProjectFactory) -> None:
    root = build(
        {
            "safe": claim("safe", "The DeepSeek app is safe.", topic="race"),
            "unsafe": claim(
                "unsafe", "The DeepSeek app is not safe.", topic="race", source="old-source"
            ),
        }
    )
    [found] = candidates(root)
    assert dataclasses.is_dataclass(found)
    with pytest.raises(dataclasses.FrozenInstanceError):
        found.score = 0.0  # type: ignore[misc]
    assert found.kind in KINDS
    assert isinstance(found.score, float) and 0.0 <= found.score <= 1.0
    assert found.reason and "\n" not in found.reason


def test_results_do_not_depend_on_order_or_run() -> None:
    project = load_project(REPO, use_cache=False)
    claims = list(project.iter_claims())
    published = {key: record.source.published for key, record in project.sources.items()}
    first = match_claims(claims, published)
    shuffled = claims[:]
    random.Random(7).shuffle(shuffled)
    assert match_claims(claims, published) == first
    assert match_claims(shuffled, published) == first


def test_results_do_not_depend_on_the_hash_seed() -> None:
    """Sets iterate in an order that changes with PYTHONHASHSEED; the output must not."""
    outputs = []
    for seed in ("1", "2"):
        run = subprocess.run(
            [
                sys.executable,
                "-m",
                "workbench",
                "conflicts",
                "--root",
                str(REPO),
                "--format",
                "json",
            ],
            capture_output=True,
            text=True,
            env={**os.environ, "PYTHONHASHSEED": seed},
            check=True,
        )
        outputs.append(run.stdout)
    assert outputs[0] == outputs[1]
    assert json.loads(outputs[0])


# --------------------------------------------------------------------------- the CLI


@pytest.fixture
def cli_root(build: ProjectFactory) -> Path:
    return build(
        {
            "a": claim(
                "a",
                "Chinese AI companies raised $2 billion in 2023.",
                quantity={**FUNDING, "value": 2e9},
            ),
            "b": claim(
                "b",
                "Chinese AI firms attracted $3 billion in 2023.",
                source="old-source",
                quantity={**FUNDING, "value": 3e9},
            ),
            "safe": claim("safe", "The DeepSeek app is safe.", topic="race"),
            "unsafe": claim(
                "unsafe", "The DeepSeek app is not safe.", topic="race", source="old-source"
            ),
        }
    )


def test_cli_text(cli_root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["conflicts", "--root", str(cli_root)]) == 0
    out, err = capsys.readouterr()
    assert "numeric" in out and "stance" in out
    assert "a  contradicts  b" in out
    assert "2 billion USD vs 3 billion USD" in out
    assert "candidates among 4 claims" in err


def test_cli_json_kind_topic_limit(cli_root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["conflicts", "--root", str(cli_root), "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert {row["kind"] for row in rows} >= {"numeric", "stance"}
    assert set(rows[0]) == {"first", "second", "kind", "score", "suggested_relation", "reason"}
    assert main(["conflicts", "--root", str(cli_root), "--format", "json", "--kind", "stance"]) == 0
    assert {row["kind"] for row in json.loads(capsys.readouterr().out)} == {"stance"}
    assert main(["conflicts", "--root", str(cli_root), "--format", "json", "--topic", "race"]) == 0
    assert {row["first"] for row in json.loads(capsys.readouterr().out)} <= {"safe", "unsafe"}
    assert main(["conflicts", "--root", str(cli_root), "--format", "json", "--limit", "1"]) == 0
    assert len(json.loads(capsys.readouterr().out)) == 1


@pytest.mark.parametrize(
    "arguments",
    [
        ["--kind", "bogus"],
        ["--limit", "0"],
        ["--limit", "-3"],
        ["--limit", "two"],
        ["--format", "x"],
    ],
)
def test_cli_bad_arguments_exit_2(
    cli_root: Path, arguments: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["conflicts", "--root", str(cli_root), *arguments])
    assert exited.value.code == 2
    assert "error" in capsys.readouterr().err


# --------------------------------------------------------------------------- the real data

CROSS_RECALL_FLOOR = 0.55
PRECISION_FLOOR = 0.5
"""Floors just under what `python -m bench.bench_quality` measures on the bundled data
(relations stripped): recorded cross-article contradicts/updates pairs in the top 100,
and recorded pairs among the top 25.  A fall below them is a regression."""


def test_quality_on_the_recorded_relations() -> None:
    from bench.bench_quality import labels_of, score, stripped

    project = load_project(REPO, use_cache=False)
    original = sorted(project.iter_claims(), key=lambda claim: claim.id)
    labels = labels_of(original)
    if len(labels.kinds) < 20:
        pytest.skip("too few relations recorded in claims/ to measure quality")
    ranked = match_claims(
        stripped(original),
        {key: record.source.published for key, record in project.sources.items()},
        views={key: record.source.view for key, record in project.sources.items()},
        lexicon=project.settings.lexicon,
    )
    found = score(ranked, labels)
    assert found.recall_cross[0] >= CROSS_RECALL_FLOOR * found.recall_cross[1]
    assert found.precision[0] >= PRECISION_FLOOR * found.precision[1]
    assert found.within_top50 - found.within_disagreeing <= 10
    by_pair = {frozenset((c.first, c.second)) for c in ranked}
    assert len(by_pair) == len(ranked)  # one candidate per pair


def test_held_out_labels_are_read_from_a_file_outside_the_repository(tmp_path: Path) -> None:
    """`bench_quality --labels FILE`: pairs scored against labels the repository does not
    hold; a pair naming a claim that no longer exists is skipped and named."""
    from bench.bench_quality import labels_from_file, score, stripped

    project = load_project(REPO, use_cache=False)
    original = sorted(project.iter_claims(), key=lambda claim: claim.id)
    labels_path = tmp_path / "pairs.toml"
    labels_path.write_text(
        '[[pair]]\na = "check25-deepseek-announced-day-before-stargate"\n'
        'b = "ge25c-deepseek-release-february"\nkind = "contradicts"\n'
        'note = "January or February"\n'
        '[[pair]]\na = "gone-claim"\nb = "ge25c-deepseek-release-february"\nkind = "updates"\n',
        encoding="utf-8",
    )
    labels, unknown = labels_from_file(labels_path, original)
    assert unknown == ["gone-claim"]
    assert len(labels.kinds) == 1 and len(labels.cross) == 1
    ranked = match_claims(
        stripped(original),
        {key: record.source.published for key, record in project.sources.items()},
        views={key: record.source.view for key, record in project.sources.items()},
        lexicon=project.settings.lexicon,
    )
    assert score(ranked, labels).recall_cross == (1, 1)


def test_the_deepseek_release_month_contradiction_is_found() -> None:
    """ "Released in February" against "a day before the Stargate announcement" (the
    lexicon dates that to 21 January 2025): a date conflict, near the top."""
    from bench.bench_quality import stripped

    project = load_project(REPO, use_cache=False)
    ranked = match_claims(
        stripped(list(project.iter_claims())),
        {key: record.source.published for key, record in project.sources.items()},
        lexicon=project.settings.lexicon,
        kinds=["date"],
    )
    pairs = {frozenset((c.first, c.second)): c for c in ranked}
    found = pairs[
        frozenset(
            ("check25-deepseek-announced-day-before-stargate", "ge25c-deepseek-release-february")
        )
    ]
    assert found.suggested_relation == "contradicts"
    assert "2025-01-20" in found.reason and "2025-02" in found.reason


def test_the_real_data_proposes_nothing_already_recorded() -> None:
    project = load_project(REPO, use_cache=False)
    recorded = {
        frozenset((claim.id, relation.claim))
        for claim in project.iter_claims()
        for relation in [*claim.relations, *claim.dismissed]
    }
    assert not [c for c in find_candidates(project) if frozenset((c.first, c.second)) in recorded]


# --------------------------------------------------------------------------- blocking

WORDS = ["DeepSeek", "Nvidia", "chips", "funding", "China", "the US", "models", "Qwen", "gap"]
PHRASES = [
    "{a} leads {b}",
    "{a} does not lead {b}",
    "{a} spent ${n} million on {b}",
    "{a} was founded in {y}",
    "{a} and {b} are on par",
    "{a} cannot catch up with {b}",
]


@st.composite
def claim_models(draw: st.DrawFn, index: int) -> Claim:
    text = draw(st.sampled_from(PHRASES)).format(
        a=draw(st.sampled_from(WORDS)),
        b=draw(st.sampled_from(WORDS)),
        n=draw(st.sampled_from([5.6, 56, 100])),
        y=draw(st.sampled_from([2019, 2023])),
    )
    data: dict[str, object] = {
        "id": f"c{index}",
        "statement": text + ".",
        "topic": draw(st.sampled_from(["race", "cost"])),
        "stance": draw(st.sampled_from(["lagging", "catching-up", "neutral", "mixed"])),
        "source": {"id": draw(st.sampled_from(["s1", "s2"])), "quote": "인용"},
    }
    if draw(st.booleans()):
        data["quantity"] = {
            "subject": draw(st.sampled_from(["training cost", "deepseek training cost", "gpus"])),
            "value": draw(st.sampled_from([5.6e6, 5.7e6, 5.6e7])),
            "unit": draw(st.sampled_from(["USD", "KRW", "gpus"])),
            "period": draw(st.sampled_from(["", "2023", "2024"])),
        }
    return Claim.model_validate(data)


@st.composite
def corpora(draw: st.DrawFn) -> list[Claim]:
    size = draw(st.integers(min_value=2, max_value=14))
    return [draw(claim_models(index)) for index in range(size)]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(corpora())
def test_blocking_finds_what_all_pairs_scoring_finds(claims: list[Claim]) -> None:
    blocked = match_claims(claims, respect_recorded=False)
    exhaustive = match_claims(claims, respect_recorded=False, exhaustive=True)
    assert blocked == exhaustive
    assert all(c.first != c.second for c in blocked)
    assert all(0.0 <= c.score <= 1.0 for c in blocked)


def test_crowded_keys_fall_back_to_neighbours_and_stay_a_subset() -> None:
    project = load_project(REPO, use_cache=False)
    claims = list(project.iter_claims())
    tight = MatchSettings(block_size=4, pair_budget=0, window=2, per_claim=0)
    lexicon = project.settings.lexicon
    blocked = match_claims(claims, lexicon=lexicon, respect_recorded=False, settings=tight)
    exhaustive = match_claims(
        claims, lexicon=lexicon, respect_recorded=False, exhaustive=True, settings=tight
    )
    assert set(blocked) <= set(exhaustive)
    assert len(blocked) < len(exhaustive)


def test_candidates_are_the_dataclass_their_fields_make() -> None:
    """The engine sets a candidate's slots directly rather than through its `__init__`:
    each is still equal to, hashes and prints as the candidate its constructor makes,
    and stays frozen."""
    found = find_candidates(load_project(REPO), limit=200)
    assert len(found) == 200
    for candidate in found:
        values = [getattr(candidate, field.name) for field in dataclasses.fields(Candidate)]
        made = Candidate(*values)
        assert (candidate, hash(candidate), repr(candidate)) == (made, hash(made), repr(made))
        with pytest.raises(dataclasses.FrozenInstanceError):
            candidate.score = 0.0  # type: ignore[misc]
    assert {type(candidate.score) for candidate in found} == {float}
    assert {type(candidate.same_source) for candidate in found} == {bool}


def test_findings_share_one_float_per_score() -> None:
    """The engine's findings (what it holds until the end: 300,000 of them at 100,000
    claims) share one float per rounded score rather than holding one each, and the
    candidates' scores read back the same."""
    from workbench.matching import engine
    from workbench.matching.stored import project_frames

    project = load_project(REPO)
    settings = MatchSettings()
    found = engine._match(
        project_frames(project),
        frozenset(KINDS),
        None,
        respect_recorded=False,
        exhaustive=False,
        similarities=None,
        settings=settings,
        limit=None,
    )
    scores = [item[0] for item in found if item is not None]
    assert len(scores) > 100
    assert len({id(score) for score in scores}) == len(set(scores)) < len(scores)
    candidates = list(engine._candidates(found, settings.pause_collector))
    assert [candidate.score for candidate in candidates] == [-score for score in scores]
