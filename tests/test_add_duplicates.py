"""`workbench add`: near-same claims are a decision, and the proposed quantity reads right."""

from __future__ import annotations

import datetime as dt
import unicodedata
from pathlib import Path

import pytest

from workbench.adding import (
    DUPLICATE_MIN_RATIO,
    DuplicateClaims,
    build_claim,
    find_duplicates,
    propose_period,
    propose_subject,
)
from workbench.project import load_project

from .conftest import ProjectFactory, claim_toml, run_cli

COST_QUOTE = "딥시크는 560만달러로 모델을 훈련했다고"
COST_STATEMENT = "DeepSeek said it trained its model for $5.6 million."  # test24-cost's
FDI_QUOTE = "지난해 중국에 대한 외국인 직접투자(FDI)는 330억달러(약 45조원) 규모로 줄었다."


@pytest.fixture(autouse=True)
def _reviewer(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WORKBENCH_REVIEWER", "Test Reviewer")


@pytest.fixture
def root(make_project: ProjectFactory) -> Path:
    return make_project({"test24-cost.toml": claim_toml("test24-cost")})


_run = run_cli


def _add(root: Path, quote: str, statement: str, *extra: str) -> list[str]:
    return [
        "add",
        "--root",
        str(root),
        "--source",
        "test-source",
        "--quote",
        quote,
        "--statement",
        statement,
        "--topic",
        "cost",
        "--stance",
        "catching-up",
        *extra,
    ]


def _claim_files(root: Path) -> list[str]:
    return sorted(path.name for path in (root / "claims").iterdir())


def test_an_exact_duplicate_is_refused_with_exit_1_and_listed(
    root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = _claim_files(root)
    code, out, err = _run(_add(root, COST_QUOTE, COST_STATEMENT), capsys)
    assert code == 1 and out == ""
    lines = err.splitlines()
    assert lines[0].startswith("workbench add: 1 claim(s) already have the same or a near-same")
    assert "--allow-duplicate" in lines[0]
    assert lines[1] == f"  claims/test24-cost.toml  same quote (100%)  \u201c{COST_STATEMENT}\u201d"
    assert _claim_files(root) == before


def test_allow_duplicate_writes_it_and_still_lists_them(
    root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = _add(root, COST_QUOTE, COST_STATEMENT, "--allow-duplicate", "--id", "again")
    code, out, err = _run(argv, capsys)
    assert code == 0, err
    assert "duplicate added anyway" in out and "claims/test24-cost.toml  same quote" in out
    assert "again.toml" in _claim_files(root)


def test_near_same_statements_and_quotes_are_found_across_case_and_normal_forms(
    root: Path,
) -> None:
    project = load_project(root, use_cache=False)
    # another quote, the same statement in capitals and NFD
    shouted = unicodedata.normalize("NFD", COST_STATEMENT.upper())
    [found] = find_duplicates(project, "이는 미국 대비 10분의 1 수준이다.", shouted)
    assert (found.claim_id, found.field, found.similarity) == ("test24-cost", "statement", 100.0)
    # one changed figure in the statement: near-same, listed with its similarity
    [near] = find_duplicates(project, "x", COST_STATEMENT.replace("5.6", "6"))
    assert DUPLICATE_MIN_RATIO <= near.similarity < 100
    # a quote with other whitespace is the same quote
    [spaced] = find_duplicates(project, COST_QUOTE.replace(" ", "  "), "Another claim.")
    assert spaced.field == "quote" and spaced.similarity == 100.0
    # the same topic in other words is not a duplicate
    assert (
        find_duplicates(project, "이는 미국 대비 10분의 1 수준이다.", "DeepSeek was cheap.") == []
    )


def test_build_claim_raises_before_anything_is_written(root: Path) -> None:
    project = load_project(root, use_cache=False)
    with pytest.raises(DuplicateClaims) as raised:
        build_claim(
            project,
            source_id="test-source",
            quote=COST_QUOTE,
            statement="Some other words.",
            topic="cost",
            stance="neutral",
        )
    assert [item.claim_id for item in raised.value.duplicates] == ["test24-cost"]


# --------------------------------------------------------------------------- proposals


@pytest.mark.parametrize(
    ("statement", "subject"),
    [
        # the issue's broken fragment came from this kind of sentence
        (
            "Global AI companies received $42.5 billion of investment in 2023.",
            "global ai companies investment",
        ),
        (
            "Foreign direct investment into China in 2023 was $33 billion.",
            "foreign direct investment into china",
        ),
        (
            "Foreign direct investment into China peaked at a record $344 billion in 2021.",
            "foreign direct investment into china",
        ),
        (
            "$42.5 billion was invested in AI companies worldwide in 2023, according to CB.",
            "invested in ai companies worldwide",
        ),
        ("Moonshot AI was valued at $3.3 billion (about 510 billion won).", "moonshot ai"),
        ("It was $33 billion.", ""),
    ],
)
def test_the_subject_is_what_the_number_measures_never_a_cut_phrase(
    statement: str, subject: str
) -> None:
    proposed = propose_subject(statement)
    assert proposed == subject
    for word in ("billion", "million", "received", "42", "in"):
        assert not proposed.endswith(f" {word}")
    assert "billion" not in proposed.split()


def test_the_period_comes_from_the_quote_or_the_source_date() -> None:
    published = dt.date(2025, 2, 24)
    assert propose_period(FDI_QUOTE, "FDI fell.", published) == "2024"  # 지난해
    assert propose_period("올해 투자는 10억달러", "x", published) == "2025"
    assert propose_period("재작년 투자는 10억달러", "x", published) == "2023"
    assert propose_period("Investment last year was $1 billion", "x", published) == "2024"
    assert propose_period("2023년 투자는 10억달러", "x", published) == "2023"  # named
    assert propose_period("투자는 10억달러", "FDI in 2022 was $1 billion.", published) == "2022"
    assert propose_period("투자는 10억달러", "FDI was $1 billion.", published) == ""
    assert propose_period(FDI_QUOTE, "FDI fell.", None) == ""


def test_add_proposes_subject_and_period_and_says_when_it_cannot(
    root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    statement = "Foreign direct investment into China last year was $33 billion."
    code, out, err = _run(_add(root, FDI_QUOTE, statement, "--id", "fdi"), capsys)
    assert code == 0, err
    assert "period 2024" in out  # 지난해 in an article of 2025-02-24
    claim = load_project(root, use_cache=False).claim("fdi")
    assert claim.quantity is not None
    assert (claim.quantity.subject, claim.quantity.period) == (
        "foreign direct investment into china",
        "2024",
    )
    again = ["--id", "fdi-2", "--allow-duplicate"]  # the quote of `fdi`
    code, out, err = _run(_add(root, FDI_QUOTE, "It was $33 billion.", *again), capsys)
    assert code == 0, err
    assert "note      no quantity: the quote states \u201c330억달러\u201d" in out
    assert "give --subject" in out
    assert load_project(root, use_cache=False).claim("fdi-2").quantity is None


def test_the_issues_duplicate_of_a_verified_claim_is_refused(
    repo_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The issue: `workbench add` wrote an exact duplicate of a verified claim and
    proposed the subject "global ai companies received billion of investment in"."""
    argv = [
        "add",
        "--root",
        str(repo_copy),
        "--source",
        "chosun-2024-lagging",
        "--quote",
        "지난해 글로벌 AI 기업에 투자된 자금은 425억달러로",
        "--statement",
        "Global AI companies received $42.5 billion of investment in 2023.",
        "--topic",
        "funding",
        "--stance",
        "neutral",
    ]
    before = _claim_files(repo_copy)
    code, _out, err = _run(argv, capsys)
    assert code == 1
    assert "claims/chosun24-global-ai-funding-2023.toml  same quote (100%)" in err
    assert _claim_files(repo_copy) == before
    code, out, err = _run([*argv, "--allow-duplicate", "--dry-run"], capsys)
    assert code == 0, err
    assert 'subject = "global ai companies investment"' in out
    assert 'period = "2023"' in out
