"""SVG snapshots of the claims list, the help screen and the note modal.

Update them with `pytest tests/test_app_snapshots_list.py --snapshot-update`
only after reading the report (`snapshot_report.html`).  The bundled-data
snapshot changes whenever `claims/` does: that is the point of it.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Input

from workbench import review
from workbench.app.app import ReviewApp
from workbench.project import load_project

from .conftest import ProjectFactory

SnapCompare = Callable[..., bool]

HOSTILE = {
    "a-markup.toml": {
        "id": "a-markup",
        "statement": "[bold red]Not bold[/] and [link=x]not a link[/link] or [/] stray tags",
        "topic": "cost",
        "stance": "catching-up",
        "quote": "딥시크는 560만달러로 모델을 훈련했다고",
    },
    "b-korean-emoji.toml": {
        "id": "b-korean-emoji",
        "statement": (
            "딥시크는 560만달러로 모델을 훈련했다고 밝혔다 🚀🇨🇳 — "
            "전각 문자와 이모지가 섞인 아주 긴 문장"
        ),
        "topic": "race",
        "stance": "lagging",
        "status": "verified",
        "quote": "이는 미국 대비 10분의 1 수준이다",
    },
    "c-escape.toml": {
        "id": "c-escape",
        "statement": "Tabs\tand\nnewlines stay on one line; $variables and @{handlers} stay text",
        "topic": "funding",
        "stance": "neutral",
        "status": "false",
        "quote": "외국인 직접투자(FDI)는 330억달러",
    },
}


def claim_file(data: dict[str, str]) -> str:
    lines = [
        f"{key} = {json.dumps(data[key], ensure_ascii=False)}"
        for key in ("id", "statement", "topic", "stance")
    ]
    lines.append(f"status = {json.dumps(data.get('status', 'unreviewed'))}")
    lines += [
        "",
        "[source]",
        'id = "test-source"',
        f"quote = {json.dumps(data['quote'], ensure_ascii=False)}",
    ]
    return "\n".join(lines) + "\n"


@pytest.fixture(autouse=True)
def _frozen(monkeypatch: pytest.MonkeyPatch) -> None:
    """A fixed reviewer and clock, so nothing in a snapshot depends on who or when."""
    monkeypatch.setenv("WORKBENCH_REVIEWER", "tester")
    frozen = dt.datetime(2025, 3, 1, 9, 30, tzinfo=dt.UTC)
    monkeypatch.setattr(review, "utc_now", lambda: frozen)


@pytest.fixture
def hostile_project(make_project: ProjectFactory) -> Path:
    return make_project({name: claim_file(data) for name, data in HOSTILE.items()})


def app_for(root: Path) -> ReviewApp:
    return ReviewApp(load_project(root), "tester", poll_seconds=None)


async def settle(pilot: Pilot[Any]) -> None:
    """Wait for the filter worker and stop the input cursor blinking."""
    for _ in range(4):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
    for field in pilot.app.screen.query(Input):
        field.cursor_blink = False


def test_list_on_the_bundled_claims(snap_compare: SnapCompare, repo_copy: Path) -> None:
    assert snap_compare(app_for(repo_copy), terminal_size=(160, 40), run_before=settle)


def test_list_with_markup_korean_and_emoji(
    snap_compare: SnapCompare, hostile_project: Path
) -> None:
    async def mark_one(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        await pilot.press("space", "j")
        await settle(pilot)

    assert snap_compare(app_for(hostile_project), terminal_size=(130, 14), run_before=mark_one)


def test_list_narrow_terminal_drops_columns(
    snap_compare: SnapCompare, hostile_project: Path
) -> None:
    assert snap_compare(app_for(hostile_project), terminal_size=(80, 14), run_before=settle)


def test_list_search_results(snap_compare: SnapCompare, hostile_project: Path) -> None:
    async def search(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        await pilot.press("slash", *"딥시크")
        await settle(pilot)

    assert snap_compare(app_for(hostile_project), terminal_size=(130, 14), run_before=search)


def test_help_screen(snap_compare: SnapCompare, hostile_project: Path) -> None:
    async def open_help(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        await pilot.press("question_mark")
        await settle(pilot)

    assert snap_compare(app_for(hostile_project), terminal_size=(110, 60), run_before=open_help)


def test_note_modal(snap_compare: SnapCompare, hostile_project: Path) -> None:
    async def type_note(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        await pilot.press(*"Checked against UNCTAD [bold]")
        await settle(pilot)

    assert snap_compare(app_for(hostile_project), terminal_size=(110, 24), run_before=type_note)
