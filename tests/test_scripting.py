"""Scripting: `workbench mark`, `workbench add` and `workbench stats`."""

from __future__ import annotations

import json
import tomllib
import unicodedata
from pathlib import Path

import pytest

from workbench.adding import (
    AddError,
    QuoteNotFound,
    build_claim,
    claim_prefix,
    propose_quantity,
    propose_subject,
)
from workbench.anchoring import AnchorKind
from workbench.checks import check_project
from workbench.project import load_project
from workbench.stats import compute_stats

from .conftest import ARTICLE, ProjectFactory, claim_toml, run_cli

COST_QUOTE = "딥시크는 560만달러로 모델을 훈련했다고"
REPEATED = "중국은 미국에 뒤처져 있다"


@pytest.fixture(autouse=True)
def _reviewer(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WORKBENCH_REVIEWER", "Test Reviewer")


@pytest.fixture
def root(make_project: ProjectFactory) -> Path:
    return make_project({"test24-cost.toml": claim_toml("test24-cost")})


_run = run_cli


def _problems_for(root: Path, claim_id: str) -> list[str]:
    project = load_project(root, use_cache=False)
    path = root / "claims" / f"{claim_id}.toml"
    return [problem.render(root) for problem in check_project(project, [path])]


# --------------------------------------------------------------------------- mark


def test_mark_records_history_and_prints_one_line(
    root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ["mark", "test24-cost", "verified", "--note", "matches the report", "--root", str(root)]
    code, out, err = _run(argv, capsys)
    assert (code, out, err) == (0, "marked test24-cost: unreviewed -> verified\n", "")
    claim = load_project(root, use_cache=False).claim("test24-cost")
    assert claim.status == "verified"
    entry = claim.history[-1]
    assert (entry.from_status, entry.to_status, entry.reviewer, entry.note) == (
        "unreviewed",
        "verified",
        "Test Reviewer",
        "matches the report",
    )
    assert _problems_for(root, "test24-cost") == []  # canonical, and history agrees (no WB504)
    code, out, _ = _run(
        ["mark", "test24-cost", "false", "--reviewer", "Lee", "--root", str(root)], capsys
    )
    assert out == "marked test24-cost: verified -> false\n"
    history = load_project(root, use_cache=False).claim("test24-cost").history
    assert [(e.to_status, e.reviewer) for e in history] == [
        ("verified", "Test Reviewer"),
        ("false", "Lee"),
    ]


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["mark", "test24-cost", "verifed"], "unknown status `verifed`; did you mean `verified`?"),
        (["mark", "test24-cots", "verified"], "no claim with id `test24-cots`; did you mean"),
    ],
)
def test_mark_refuses_unknown_status_and_id(
    root: Path, capsys: pytest.CaptureFixture[str], argv: list[str], expected: str
) -> None:
    before = (root / "claims" / "test24-cost.toml").read_bytes()
    code, out, err = _run([*argv, "--root", str(root)], capsys)
    assert code == 2 and out == ""
    assert len(err.splitlines()) == 1 and expected in err
    assert (root / "claims" / "test24-cost.toml").read_bytes() == before


def test_mark_applies_to_the_file_as_it_is_now(
    root: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Someone edits the file between loading and saving: the edit survives, and the
    mark (which has no expectation of what it saw) lands on top of it."""
    import workbench.project

    path = root / "claims" / "test24-cost.toml"
    real_load = workbench.project.load_project

    def load_then_edit(*args: object, **kwargs: object) -> workbench.project.Project:
        project = real_load(*args, **kwargs)  # type: ignore[arg-type]
        edited = path.read_text("utf-8").replace("$5.6 million", "$6 million")
        edited = edited.replace('status = "unreviewed"', 'status = "false"')
        path.write_text("# checked by hand\n" + edited, "utf-8")
        return project

    monkeypatch.setattr(workbench.project, "load_project", load_then_edit)
    code, out, err = _run(["mark", "test24-cost", "verified", "--root", str(root)], capsys)
    assert code == 0 and err == ""
    assert out == "marked test24-cost: false -> verified\n"
    text = path.read_text("utf-8")
    assert "$6 million" in text and text.startswith("# checked by hand\n")
    data = tomllib.loads(text)
    assert data["status"] == "verified"
    assert [(h["from"], h["to"]) for h in data["history"]] == [("false", "verified")]


# --------------------------------------------------------------------------- add


def _add(root: Path, *extra: str) -> list[str]:
    return ["add", "--root", str(root), "--source", "test-source", *extra]


def test_add_creates_a_claim_that_passes_check(
    root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = _add(
        root,
        "--quote",
        "외국인 직접투자(FDI)는 330억달러(약 45조원)",
        "--statement",
        "Foreign direct investment into China in 2023 was $33 billion.",
        "--topic",
        "funding",
        "--stance",
        "lagging",
        "--attributed-to",
        "SAFE",
    )
    code, out, err = _run(argv, capsys)
    assert code == 0, err
    new_id = "test24-foreign-direct-investment-china-2023-33"
    assert out.splitlines()[0] == f"created claims/{new_id}.toml"
    assert "33 billion USD from \u201c330억달러\u201d" in out  # shown for correction
    assert "subject \u201cforeign direct investment into china\u201d" in out
    assert _problems_for(root, new_id) == []
    claim = load_project(root, use_cache=False).claim(new_id)
    assert claim.quantity is not None
    assert (claim.quantity.value, claim.quantity.unit) == (33_000_000_000, "USD")
    assert claim.attributed_to == "SAFE" and claim.status == "unreviewed"
    assert claim.history[-1].reviewer == "Test Reviewer"
    assert claim.history[-1].to_status == "unreviewed"


def test_add_sets_a_prefix_for_a_repeated_quote(
    root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    base = ["--statement", "China trails the US.", "--topic", "race", "--stance", "lagging"]
    code, out, _ = _run(_add(root, "--quote", REPEATED, *base, "--id", "first"), capsys)
    assert code == 0 and "occurrence 1 of 2" in out
    second = ["--id", "second", "--occurrence", "2", "--allow-duplicate"]  # same quote
    code, out, _ = _run(_add(root, "--quote", REPEATED, *base, *second), capsys)
    assert code == 0 and "occurrence 2 of 2" in out
    project = load_project(root, use_cache=False)
    spans = []
    for claim_id in ("first", "second"):
        anchor = project.anchor(project.claim(claim_id))
        assert anchor is not None and anchor.kind is AnchorKind.EXACT
        spans.append(anchor.spans[0])
        assert _problems_for(root, claim_id) == []
    assert spans[0] != spans[1]
    assert spans == sorted(spans)
    assert project.claim("first").source.prefix == "줄었다."
    assert project.claim("second").source.prefix == "문장."
    code, _, err = _run(
        _add(root, "--quote", REPEATED, *base, "--id", "third", "--occurrence", "3"), capsys
    )
    assert code == 2 and "occurs 2 times" in err


def test_add_offers_the_closest_passage_and_writes_nothing(
    root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = _add(
        root,
        "--quote",
        "딥시크는 560만 달러로 모델을 학습했다고",
        "--statement",
        "DeepSeek trained its model for $5.6 million.",
        "--topic",
        "cost",
        "--stance",
        "catching-up",
    )
    before = sorted((root / "claims").iterdir())
    code, out, err = _run(argv, capsys)
    assert code == 1 and out == ""
    assert len(err.splitlines()) == 1
    assert "closest passage (" in err and "% similar)" in err
    assert "\u201c딥시크는 560만달러로 모델을 훈련했다고" in err
    assert sorted((root / "claims").iterdir()) == before
    accept = ["--accept-closest", "--id", "closest", "--allow-duplicate"]  # test24-cost's quote
    code, out, err = _run([*argv, *accept], capsys)
    assert code == 0, err
    claim = load_project(root, use_cache=False).claim("closest")
    assert claim.source.quote.startswith("딥시크는 560만달러로 모델을 훈련했다고")
    assert claim.quantity is not None and claim.quantity.value == 5_600_000
    assert _problems_for(root, "closest") == []


def test_add_anchors_a_quote_copied_with_other_whitespace_and_nfd(
    root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    quote = unicodedata.normalize("NFD", "이는  미국 대비\n10분의 1 수준이다.")
    code, _, err = _run(
        _add(
            root,
            "--quote",
            quote,
            "--statement",
            "DeepSeek's cost was a tenth of the US level.",
            "--topic",
            "cost",
            "--stance",
            "catching-up",
            "--id",
            "tenth",
            "--no-quantity",
        ),
        capsys,
    )
    assert code == 0, err
    claim = load_project(root, use_cache=False).claim("tenth")
    assert claim.source.quote == "이는 미국 대비 10분의 1 수준이다."
    assert claim.quantity is None
    assert _problems_for(root, "tenth") == []


@pytest.mark.parametrize(
    ("extra", "expected"),
    [
        (
            ["--topic", "costs", "--stance", "lagging"],
            "unknown topic `costs`; did you mean `cost`?",
        ),
        (["--topic", "cost", "--stance", "laging"], "did you mean `lagging`?"),
        (["--stance", "lagging"], "--topic is required"),
        (["--topic", "cost", "--stance", "lagging", "--id", "test24-cost"], "already exists"),
        (["--topic", "cost", "--stance", "lagging", "--id", "Bad Id"], "not a valid id"),
        (["--topic", "cost", "--stance", "lagging", "--occurrence", "2"], "occurs once"),
    ],
)
def test_add_refuses_bad_arguments_with_one_line(
    root: Path, capsys: pytest.CaptureFixture[str], extra: list[str], expected: str
) -> None:
    argv = _add(root, "--quote", COST_QUOTE, "--statement", "DeepSeek spent $5.6M.", *extra)
    code, out, err = _run(argv, capsys)
    assert code == 2 and out == ""
    assert len(err.splitlines()) == 1 and expected in err


def test_add_refuses_an_unknown_source_and_needs_a_statement(
    root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ["add", "--root", str(root), "--source", "test-sorce", "--quote", COST_QUOTE]
    code, _, err = _run(
        [*argv, "--statement", "x", "--topic", "cost", "--stance", "lagging"], capsys
    )
    assert code == 2 and "did you mean `test-source`?" in err
    code, _, err = _run(argv, capsys)
    assert code == 2 and "--statement" in err


def test_add_dry_run_prints_the_file_and_writes_nothing(
    root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = sorted((root / "claims").iterdir())
    code, out, _ = _run(
        _add(
            root,
            "--quote",
            COST_QUOTE,
            "--statement",
            "DeepSeek spent $5.6M.",
            "--topic",
            "cost",
            "--stance",
            "catching-up",
            "--dry-run",
            "--allow-duplicate",  # the quote of test24-cost
        ),
        capsys,
    )
    assert code == 0
    assert out.startswith('id = "test24-deepseek-spent-5-6m"\n')
    assert "value = 5600000\n" in out
    assert sorted((root / "claims").iterdir()) == before


def test_topic_and_stance_default_when_only_one_is_allowed(make_project: ProjectFactory) -> None:
    root = make_project()
    config = root / "workbench.toml"
    text = config.read_text(encoding="utf-8")
    head, _, _ = text.partition("[stances]")
    config.write_text(head + '[stances]\nneutral = "No side."\n\n[topics]\ncost = "Costs."\n')
    proposal = build_claim(
        load_project(root),
        source_id="test-source",
        quote=COST_QUOTE,
        statement="DeepSeek spent $5.6M.",
    )
    assert (proposal.claim.topic, proposal.claim.stance) == ("cost", "neutral")


def test_ids_are_unique_and_use_the_source_prefix(root: Path) -> None:
    project = load_project(root)
    assert claim_prefix(project, "test-source") == "test24"
    first = build_claim(
        project,
        source_id="test-source",
        quote=COST_QUOTE,
        statement="The cost.",
        topic="cost",
        stance="neutral",
        allow_duplicate=True,  # the quote of test24-cost
    ).claim.id
    assert first == "test24-cost-2"  # `test24-cost` is taken


def test_a_source_without_claims_gets_a_prefix_from_its_id_and_year(
    make_project: ProjectFactory,
) -> None:
    assert claim_prefix(load_project(make_project()), "test-source") == "test25"


def test_quantity_proposals_come_from_the_shared_number_parser() -> None:
    found = propose_quantity(
        "2023년 외국인 직접투자(FDI)는 330억달러(약 45조원)", "FDI in 2023 was $33 billion."
    )
    assert found is not None
    quantity, mention = found
    assert (quantity.value, quantity.unit, quantity.period) == (33e9, "USD", "2023")
    assert mention.raw == "330억달러"
    ranged = propose_quantity("고성능 GPU 5~6만개를 보유", "DeepSeek has 50,000-60,000 GPUs.")
    assert ranged is not None
    assert (ranged[0].low, ranged[0].high, ranged[0].value) == (50_000, 60_000, None)
    assert propose_quantity("2017년 계획을 수립해", "The plan dates from 2017.") is None
    assert propose_subject("Foreign direct investment into China in 2023 was $33 billion.") == (
        "foreign direct investment into china"
    )


def test_build_claim_raises_typed_errors(root: Path) -> None:
    project = load_project(root)
    with pytest.raises(QuoteNotFound) as caught:
        build_claim(
            project,
            source_id="test-source",
            quote="전혀 없는 문장입니다",
            statement="x",
            topic="cost",
            stance="neutral",
        )
    assert caught.value.similarity < 100
    with pytest.raises(AddError, match="statement is empty"):
        build_claim(project, source_id="test-source", quote=COST_QUOTE, statement="  ")
    assert COST_QUOTE in ARTICLE


# --------------------------------------------------------------------------- stats


@pytest.fixture
def reviewed(make_project: ProjectFactory) -> Path:
    history = (
        '\n[[history]]\nat = 2025-03-01T09:00:00Z\nreviewer = "Kim"\n'
        'from = "unreviewed"\nto = "verified"\n'
    )
    verified = claim_toml("b").replace('status = "unreviewed"', 'status = "verified"') + history
    lagging = (
        claim_toml("c", REPEATED).replace('"cost"', '"race"').replace('"catching-up"', '"lagging"')
        + 'prefix = "줄었다."\n'
    )
    return make_project({"a.toml": claim_toml("a"), "b.toml": verified, "c.toml": lagging})


def test_stats_counts_and_review_progress(
    reviewed: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    stats = compute_stats(load_project(reviewed))
    assert (stats.total, stats.reviewed, stats.verified) == (3, 1, 1)
    assert stats.by_status == {"unreviewed": 2, "verified": 1, "false": 0}
    assert stats.by_topic == {"cost": 2, "funding": 0, "race": 1}
    assert stats.by_stance == {"lagging": 1, "catching-up": 2, "mixed": 0, "neutral": 0}
    assert stats.by_source == {"test-source": 3}
    code, out, _ = _run(["stats", "--root", str(reviewed)], capsys)
    assert code == 0
    assert "review progress" in out and "1/3 reviewed (33.3%)" in out
    assert "by topic" in out and "by source" in out and "Test Daily" in out
    code, out, _ = _run(["stats", "--root", str(reviewed), "--format", "json"], capsys)
    data = json.loads(out)
    assert data["reviewed"] == 1 and data["unreviewed"] == 2 and data["progress"] == 0.3333
    assert data["by_status"]["verified"] == 1


def test_stats_shows_who_reviewed_and_agreement_once_a_second_reviewer_looked(
    reviewed: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = str(reviewed)
    code, out, _ = _run(["stats", "--root", root], capsys)
    assert "by reviewer      Kim 1" in out and "second opinion" not in out
    assert (
        json.loads(_run(["stats", "--root", root, "--format", "json"], capsys)[1])["agreement"]
        is None
    )
    # Lee looks at b and lets Kim's verdict stand: a second opinion that agrees.
    assert (
        _run(["note", "b", "checked again: holds", "--reviewer", "Lee", "--root", root], capsys)[0]
        == 0
    )
    # Kim and Lee part ways on c.
    assert _run(["mark", "c", "verified", "--reviewer", "Kim", "--root", root], capsys)[0] == 0
    assert _run(["mark", "c", "false", "--reviewer", "Lee", "--root", root], capsys)[0] == 0
    for _warm in range(2):  # the second run reads the verdicts from the load index
        code, out, _ = _run(["stats", "--root", root], capsys)
        assert code == 0
        assert "by reviewer      Kim 2, Lee 2" in out
        assert "second opinion   2 claim(s) by two or more reviewers, 1 agree; Cohen's kappa" in out
        assert "1 disagreement(s): `workbench stats --agreement`" in out
    data = json.loads(_run(["stats", "--root", root, "--format", "json"], capsys)[1])
    assert data["by_reviewer"] == {"Kim": 2, "Lee": 2}
    assert data["agreement"]["claims"] == 2 and data["agreement"]["agreed"] == 1
    assert data["agreement"]["disagreements"] == [
        {"claim": "c", "status": "false", "verdicts": {"Kim": "verified", "Lee": "false"}}
    ]


def test_stats_takes_the_export_filters(reviewed: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(
        ["stats", "--root", str(reviewed), "--topic", "cost", "--format", "json"], capsys
    )
    assert code == 0 and json.loads(out)["total"] == 2
    code, out, err = _run(["stats", "--root", str(reviewed), "--status", "verifyed"], capsys)
    assert code == 2 and out == "" and "did you mean `verified`?" in err
