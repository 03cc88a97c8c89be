"""SVG snapshots of the reviewer's desk screens (issue 14), at 160x45 and 80x24.

The verdict form (a `false` verdict on a bundled claim: a note and refuting
evidence needed, related claims' evidence offered), the article view at the
claim's quote, the capture form, the re-check and disagreement queues and the
reviewer-name prompt.  Update with `--snapshot-update` only after reading the
report.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

from tests.test_app_screens import ScreensApp
from tests.test_app_snapshots_screens import BEHIND_2024, CANNOT_CATCH_UP_2024, pressing, settle
from workbench import review
from workbench.app.app import ReviewApp

SnapCompare = Callable[..., bool]

SIZES = [pytest.param((160, 45), id="160x45"), pytest.param((80, 24), id="80x24")]


@pytest.fixture(autouse=True)
def _frozen(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WORKBENCH_REVIEWER", "tester")
    frozen = dt.datetime(2025, 3, 1, 9, 30, tzinfo=dt.UTC)
    monkeypatch.setattr(review, "utc_now", lambda: frozen)


def with_recheck(root: Path) -> Path:
    """The 2024 claim due for a re-check since 2025-01-01 (always past: a stable queue)."""
    path = root / "claims" / f"{CANNOT_CATCH_UP_2024}.toml"
    text = path.read_text(encoding="utf-8")
    assert "\nrecheck" not in text
    path.write_text(
        text.replace("\nstatus = ", "\nrecheck = 2025-01-01\nstatus = ", 1), encoding="utf-8"
    )
    return root


@pytest.mark.parametrize("size", SIZES)
def test_verdict_form(snap_compare: SnapCompare, repo_copy: Path, size: tuple[int, int]) -> None:
    """`false` on the 2024 claim that is `outdated`: submitted empty, so the form says
    what the verdict lacks."""
    app = ScreensApp(repo_copy, lambda app: app.open_detail(BEHIND_2024))
    assert snap_compare(app, terminal_size=size, run_before=pressing("4", "enter"))


@pytest.mark.parametrize("size", SIZES)
def test_article_view(snap_compare: SnapCompare, repo_copy: Path, size: tuple[int, int]) -> None:
    app = ScreensApp(repo_copy, lambda app: app.open_article(CANNOT_CATCH_UP_2024))
    assert snap_compare(app, terminal_size=size, run_before=pressing("J"))


@pytest.mark.parametrize("size", SIZES)
def test_capture_form(snap_compare: SnapCompare, repo_copy: Path, size: tuple[int, int]) -> None:
    app = ScreensApp(repo_copy, lambda app: app.open_article(CANNOT_CATCH_UP_2024))

    async def run_before(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        await pilot.press("plus")
        await settle(pilot)
        await pilot.press(*"China cannot catch up with the US in AI.", "enter")
        await pilot.pause(0.5)
        await settle(pilot)

    assert snap_compare(app, terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_recheck_queue(snap_compare: SnapCompare, repo_copy: Path, size: tuple[int, int]) -> None:
    app = ScreensApp(with_recheck(repo_copy), lambda app: app.action_recheck_queue())
    assert snap_compare(app, terminal_size=size, run_before=settle)


@pytest.mark.parametrize("size", SIZES)
def test_disagreement_queue(
    snap_compare: SnapCompare, repo_copy: Path, size: tuple[int, int]
) -> None:
    path = repo_copy / "claims" / f"{CANNOT_CATCH_UP_2024}.toml"
    text = path.read_text(encoding="utf-8")
    status = next(line for line in text.splitlines() if line.startswith("status = "))
    path.write_text(
        text.replace(status, 'status = "false"', 1)
        + '\n[[history]]\nat = 2025-03-01T09:00:00Z\nreviewer = "alice"\nfrom = "unreviewed"\n'
        'to = "verified"\nnote = "as stated in the article"\n'
        '\n[[history]]\nat = 2025-03-02T09:00:00Z\nreviewer = "bob"\nfrom = "verified"\n'
        'to = "false"\nnote = "later facts contradict it"\n',
        encoding="utf-8",
    )
    app = ScreensApp(repo_copy, lambda app: app.action_disagreement_queue())
    assert snap_compare(app, terminal_size=size, run_before=settle)


class NamelessApp(ScreensApp):
    def __init__(self, root: Path) -> None:
        super().__init__(root, lambda app: app.ask_reviewer())
        self.reviewer = ""


@pytest.mark.parametrize("size", SIZES)
def test_reviewer_prompt(snap_compare: SnapCompare, repo_copy: Path, size: tuple[int, int]) -> None:
    assert snap_compare(NamelessApp(repo_copy), terminal_size=size, run_before=settle)


def test_nameless_app_is_a_review_app() -> None:
    assert issubclass(NamelessApp, ReviewApp)
