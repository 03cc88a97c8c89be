"""The review app's quick start: claims from the load index's rows, checked right after.

`load_project_unchecked` looks at no claim file; `check_unchecked` and
`apply_checked` must then leave the project exactly as `load_project` would
load it, whatever happened to the files or the rows in between.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from workbench import review
from workbench.app.app import ReviewApp
from workbench.app.screens import claims_list
from workbench.app.screens.claims_list import ClaimsListScreen
from workbench.project import (
    Project,
    apply_checked,
    check_unchecked,
    load_project,
    load_project_unchecked,
)

from .conftest import ProjectFactory, age_claim_files, claim_toml, index_db


def _state(project: Project) -> tuple[list[str], dict[str, object], list[str]]:
    """Ids in order, each claim's model, and the problems: what must match a full load."""
    problems = [f"{p.path.name}:{p.line}:{p.code}:{p.message}" for p in project.problems]
    claims = {claim_id: record.claim for claim_id, record in project.claims.items()}
    return list(project.claims), claims, problems


def _warm(make_project: ProjectFactory, count: int = 5) -> Path:
    root = make_project({f"c{n}.toml": claim_toml(f"c{n}") for n in range(count)})
    age_claim_files(root)
    load_project(root)
    return root


def test_an_unchecked_load_shows_the_rows_and_its_check_gives_a_full_load(
    make_project: ProjectFactory,
) -> None:
    root = _warm(make_project)
    claims = root / "claims"
    (claims / "c1.toml").write_text(claim_toml("c1").replace('"cost"', '"race"'), encoding="utf-8")
    (claims / "c2.toml").unlink()
    (claims / "a-new.toml").write_text(claim_toml("a-new"), encoding="utf-8")
    (claims / "broken.toml").write_text("broken =", encoding="utf-8")

    project, pending = load_project_unchecked(root)
    assert pending is not None
    assert list(project.claims) == ["c0", "c1", "c2", "c3", "c4"]  # as the index saw them
    assert project.claims["c1"].summary.topic == "cost"
    assert project.problems == []

    untouched = project.claims["c0"]
    changed = apply_checked(project, pending, check_unchecked(project, pending))
    assert sorted(changed) == ["a-new", "c1", "c2"]
    assert project.claims["c0"] is untouched  # a checked row keeps its record
    assert _state(project) == _state(load_project(root))
    assert project.claim("c1").topic == "race"
    assert [problem.path.name for problem in project.problems] == ["broken.toml"]


def test_a_row_that_does_not_check_out_is_read_from_its_file(
    make_project: ProjectFactory,
) -> None:
    root = _warm(make_project)
    with index_db(root) as connection:
        # a statement changed in the row only (its check not updated), and a row that
        # does not decode at all
        connection.execute(
            "UPDATE files SET summary = replace(summary, 'DeepSeek said', 'Forged')"
            " WHERE path LIKE '%c3.toml'"
        )
        connection.execute("UPDATE files SET summary = 'garbage' WHERE path LIKE '%c4.toml'")
    project, pending = load_project_unchecked(root)
    assert pending is not None
    assert "c4" not in project.claims
    changed = apply_checked(project, pending, check_unchecked(project, pending))
    assert sorted(changed) == ["c3", "c4"]
    assert _state(project) == _state(load_project(root))
    assert project.claims["c3"].summary.statement.startswith("DeepSeek said")


def test_a_claim_written_while_the_check_runs_keeps_the_written_record(
    make_project: ProjectFactory,
) -> None:
    root = _warm(make_project)
    project, pending = load_project_unchecked(root)
    assert pending is not None
    checked = check_unchecked(project, pending)  # the check ran, then the reviewer wrote
    review.mark_status(project, "c2", "verified", reviewer="tester", note="seen")
    written = project.claims["c2"]
    changed = apply_checked(project, pending, checked)
    assert project.claims["c2"] is written
    assert "c2" not in changed
    assert project.claim("c2").status == "verified"
    assert _state(project) == _state(load_project(root))


def test_without_an_index_the_quick_load_is_a_full_load(
    make_project: ProjectFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = _warm(make_project)
    monkeypatch.setenv("WORKBENCH_CACHE_DIR", "off")
    project, pending = load_project_unchecked(root)
    assert pending is None
    assert _state(project) == _state(load_project(root))


def test_the_apps_first_load_of_a_project_keeps_no_model_once_its_row_is_written(
    make_project: ProjectFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A project the index has not seen (the app's first open of it): the load writes
    its rows in batches and lets each batch's models go, built from the rows when the
    app asks for them (at 100,000 claims, the app drawn peaked at 1,374 MiB, now 421)."""
    from workbench.files import index
    from workbench.project import load_project_for_review

    monkeypatch.setattr(index, "FILES_PER_WRITE", 3)
    root = make_project({f"c{n}.toml": claim_toml(f"c{n}") for n in range(7)})
    project, pending, rest = load_project_for_review(root)
    assert (pending, rest) == (None, None)  # no index yet: every file read
    deferred = [record.deferred_model for record in project.claims.values()]
    assert deferred == [True] * 7
    assert _state(project) == _state(load_project(root, use_cache=False))


@pytest.mark.parametrize("rebuild_above", [200, 0], ids=["row-update", "rebuild"])
def test_the_app_draws_the_rows_then_shows_what_the_files_hold(
    make_project: ProjectFactory, monkeypatch: pytest.MonkeyPatch, rebuild_above: int
) -> None:
    monkeypatch.setattr(claims_list, "REBUILD_ABOVE", rebuild_above)
    root = _warm(make_project)
    path = root / "claims" / "c1.toml"
    path.write_text(
        claim_toml("c1").replace("DeepSeek said", "Edited while the app was closed:"),
        encoding="utf-8",
    )
    project, pending = load_project_unchecked(root)
    assert pending is not None
    assert project.claims["c1"].summary.statement.startswith("DeepSeek said")

    async def run() -> None:
        app = ReviewApp(project, "tester", poll_seconds=None, pending_check=pending)
        async with app.run_test(size=(150, 30)) as pilot:
            for _ in range(20):
                await app.workers.wait_for_complete()
                await pilot.pause()
                if app.pending_check is None:
                    break
            assert app.pending_check is None
            for _ in range(4):
                await app.workers.wait_for_complete()
                await pilot.pause()
            screen = app.screen
            assert isinstance(screen, ClaimsListScreen)
            table = screen.table
            row = table.index.row(table.index.positions["c1"])
            assert row.statement.startswith("Edited while the app was closed:")

    asyncio.run(run())
