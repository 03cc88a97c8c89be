"""The re-check queue: `--recheck-due [--as-of DATE]` in export and stats."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from workbench.cli import main
from workbench.export import Selection, select_claims
from workbench.project import load_project
from workbench.recheck import due_claims, recheck_is_due, today_utc

from .conftest import ProjectFactory, claim_toml


@pytest.fixture
def root(make_project: ProjectFactory) -> Path:
    def with_recheck(claim_id: str, day: str | None) -> str:
        extra = f"recheck = {day}\n" if day else ""
        # `recheck` comes after `status` in canonical order
        return claim_toml(claim_id).replace(
            'status = "unreviewed"\n', f'status = "unreviewed"\n{extra}'
        )

    return make_project(
        {
            "r-past.toml": with_recheck("r-past", "2025-01-10"),
            "r-today.toml": with_recheck("r-today", "2025-06-01"),
            "r-future.toml": with_recheck("r-future", "2025-12-31"),
            "r-none.toml": with_recheck("r-none", None),
        }
    )


def _run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    try:
        code = main(argv)
    except SystemExit as exit_:
        code = int(exit_.code or 0)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_a_claim_is_due_on_its_recheck_date_and_after(root: Path) -> None:
    project = load_project(root, use_cache=False)
    day = dt.date(2025, 6, 1)
    assert sorted(c.id for c in project.iter_claims() if recheck_is_due(c, day)) == [
        "r-past",
        "r-today",
    ]
    assert [c.id for c in due_claims(list(project.iter_claims()), day)] == ["r-past", "r-today"]
    selected = select_claims(project, Selection(recheck_due=day))
    assert [claim.id for claim in selected] == ["r-past", "r-today"]
    assert select_claims(project, Selection(recheck_due=dt.date(2024, 1, 1))) == []
    # today (UTC) is later than every date here
    assert len(select_claims(project, Selection(recheck_due=today_utc()))) == 3


def test_export_and_stats_take_recheck_due(root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["export", "--format", "json", "--recheck-due", "--as-of", "2025-06-01"]
    code, out, err = _run([*argv, "--root", str(root)], capsys)
    assert (code, err) == (0, "")
    document = json.loads(out)
    assert [claim["id"] for claim in document["claims"]] == ["r-past", "r-today"]
    assert document["selection"]["recheck_due"] == "2025-06-01"
    code, out, _ = _run(
        [
            "stats",
            "--format",
            "json",
            "--recheck-due",
            "--as-of",
            "2025-01-10",
            "--root",
            str(root),
        ],
        capsys,
    )
    assert code == 0 and json.loads(out)["total"] == 1
    code, out, _ = _run(["stats", "--format", "json", "--recheck-due", "--root", str(root)], capsys)
    assert code == 0 and json.loads(out)["total"] == 3  # as of today


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["--as-of", "2025-06-01"], "--as-of only applies with --recheck-due"),
        (["--recheck-due", "--as-of", "June"], "argument --as-of: 'June' is not a date"),
    ],
)
def test_bad_recheck_arguments_are_one_line(
    root: Path, capsys: pytest.CaptureFixture[str], argv: list[str], expected: str
) -> None:
    code, out, err = _run(["stats", *argv, "--root", str(root)], capsys)
    assert code == 2 and out == ""
    assert len(err.splitlines()) == 1 and expected in err
