"""SVG snapshots of the claim screens: detail, compare, conflict queue, timeline, problems.

Each screen is shot on the bundled data (a fixed pair of real claims: Chosun
Ilbo's 2024 "China cannot catch up" and News Today's 2025 "China contends with
the US for first place", recorded as contradicting each other) and on a fixture
whose texts hold markup (`[bold]`, `[/]`, `[link=x]`), Korean and emoji, which
must show literally.  The conflict queue is shot with the relations recorded in
the files (the fallback), so the snapshot follows the data rather than the
matching engine's scores.

Update with `pytest tests/test_app_snapshots_screens.py --snapshot-update` only
after reading the report (`snapshot_report.html`).  The bundled-data snapshots
change whenever `claims/` does: that is the point of them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Input

from tests.conftest import ProjectFactory
from tests.test_app_screens import HOSTILE_ARTICLE, HOSTILE_CLAIMS, ScreensApp, build_project
from workbench import review
from workbench.app import conflict_source
from workbench.app.app import ReviewApp

SnapCompare = Callable[..., bool]

SIZE = (120, 44)

CANNOT_CATCH_UP_2024 = "chosun24-cannot-catch-up"
"""Chosun Ilbo's April 2024 subheading; its file records relations to the 2025 claims."""
BEHIND_2024 = "chosun24-one-to-two-years-behind"
RIVALS_2025 = "check25-china-ai-rivals-us-for-first"
"""News Today, February 2025: China contends with the US for first place (contradicts)."""

BROKEN_CLAIM = 'id = "zz-broken"\nstatement = "[bold]깨진[/] 파일 🚀 [link=x]\n'
"""A claim file that is not valid TOML (an unclosed string), with markup in it."""


@pytest.fixture(autouse=True)
def _frozen(monkeypatch: pytest.MonkeyPatch) -> None:
    """A fixed reviewer and clock, so nothing in a snapshot depends on who or when."""
    monkeypatch.setenv("WORKBENCH_REVIEWER", "tester")
    frozen = dt.datetime(2025, 3, 1, 9, 30, tzinfo=dt.UTC)
    monkeypatch.setattr(review, "utc_now", lambda: frozen)


@pytest.fixture
def recorded_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """The conflict queue as it is without the matching engine: recorded relations."""
    monkeypatch.setattr(conflict_source, "MATCHING_MODULE", "workbench.no_such_matching_module")


@pytest.fixture
def hostile(make_project: ProjectFactory) -> Path:
    return build_project(make_project, HOSTILE_CLAIMS, article=HOSTILE_ARTICLE)


def app_on(root: Path, opener: Callable[[ReviewApp], None]) -> ScreensApp:
    return ScreensApp(root, opener)


async def settle(pilot: Pilot[Any]) -> None:
    """Wait for the workers (queue, checks) and stop any input cursor blinking."""
    for _ in range(4):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
    for field in pilot.app.screen.query(Input):
        field.cursor_blink = False


def pressing(*keys: str) -> Callable[[Pilot[Any]], Any]:
    async def run_before(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        for key in keys:
            await pilot.press(key)
            await settle(pilot)

    return run_before


# -- detail ----------------------------------------------------------------------------


def test_detail_on_the_bundled_claims(snap_compare: SnapCompare, repo_copy: Path) -> None:
    app = app_on(repo_copy, lambda app: app.open_detail(CANNOT_CATCH_UP_2024))
    assert snap_compare(app, terminal_size=(120, 60), run_before=settle)


def test_detail_with_markup_korean_and_emoji(snap_compare: SnapCompare, hostile: Path) -> None:
    app = app_on(hostile, lambda app: app.open_detail("hostile-markup"))
    assert snap_compare(app, terminal_size=SIZE, run_before=settle)


# -- compare ---------------------------------------------------------------------------


def test_compare_on_the_bundled_claims(snap_compare: SnapCompare, repo_copy: Path) -> None:
    app = app_on(repo_copy, lambda app: app.open_compare([CANNOT_CATCH_UP_2024, RIVALS_2025]))
    assert snap_compare(app, terminal_size=SIZE, run_before=settle)


def test_compare_three_claims_second_pair(snap_compare: SnapCompare, repo_copy: Path) -> None:
    ids = [BEHIND_2024, CANNOT_CATCH_UP_2024, RIVALS_2025]
    app = app_on(repo_copy, lambda app: app.open_compare(ids))
    assert snap_compare(app, terminal_size=SIZE, run_before=pressing("right_square_bracket"))


def test_compare_with_markup_korean_and_emoji(snap_compare: SnapCompare, hostile: Path) -> None:
    app = app_on(hostile, lambda app: app.open_compare(["hostile-markup", "hostile-other"]))
    assert snap_compare(app, terminal_size=SIZE, run_before=settle)


def test_compare_relation_note_prompt(snap_compare: SnapCompare, hostile: Path) -> None:
    app = app_on(hostile, lambda app: app.open_compare(["hostile-markup", "hostile-other"]))
    assert snap_compare(app, terminal_size=SIZE, run_before=pressing("C"))


# -- conflict queue ----------------------------------------------------------------------


def test_conflicts_on_the_bundled_claims(
    snap_compare: SnapCompare, repo_copy: Path, recorded_only: None
) -> None:
    app = app_on(repo_copy, lambda app: app.open_conflicts())
    assert snap_compare(app, terminal_size=SIZE, run_before=settle)


def test_conflicts_with_markup_korean_and_emoji(
    snap_compare: SnapCompare, hostile: Path, recorded_only: None
) -> None:
    app = app_on(hostile, lambda app: app.open_conflicts())
    assert snap_compare(app, terminal_size=SIZE, run_before=settle)


# -- timeline --------------------------------------------------------------------------


def test_timeline_on_the_bundled_claims(snap_compare: SnapCompare, repo_copy: Path) -> None:
    app = app_on(repo_copy, lambda app: app.open_timeline("race"))
    assert snap_compare(app, terminal_size=(120, 50), run_before=settle)


def test_timeline_with_markup_korean_and_emoji(snap_compare: SnapCompare, hostile: Path) -> None:
    app = app_on(hostile, lambda app: app.open_timeline(None))
    assert snap_compare(app, terminal_size=SIZE, run_before=settle)


# -- problems --------------------------------------------------------------------------


def test_problems_on_the_bundled_claims_with_a_broken_file(
    snap_compare: SnapCompare, repo_copy: Path
) -> None:
    (repo_copy / "claims" / "zz-broken.toml").write_text(BROKEN_CLAIM, encoding="utf-8")
    app = app_on(repo_copy, lambda app: app.open_problems())
    assert snap_compare(app, terminal_size=SIZE, run_before=settle)


def test_problems_with_markup_korean_and_emoji(snap_compare: SnapCompare, hostile: Path) -> None:
    (hostile / "claims" / "zz-broken.toml").write_text(BROKEN_CLAIM, encoding="utf-8")
    app = app_on(hostile, lambda app: app.open_problems())
    assert snap_compare(app, terminal_size=SIZE, run_before=settle)
