"""SVG snapshots of the conflict queue's confirm form.

Shot over the queue of recorded relations (no matching engine), so the pair and
its reason follow the files: the bundled data at 160x45, and at 80x24 a fixture
whose texts hold markup (`[bold]`, `[/]`), Korean and emoji, which must show
literally.  Update with `--snapshot-update` only after reading the report.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import ProjectFactory
from tests.test_app_screens import HOSTILE_ARTICLE, HOSTILE_CLAIMS, build_project
from tests.test_app_snapshots_screens import SnapCompare, app_on, pressing
from workbench.app import conflict_source


@pytest.fixture(autouse=True)
def _recorded_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """The queue of recorded relations: the snapshot follows the files, not the engine."""
    monkeypatch.setattr(conflict_source, "MATCHING_MODULE", "workbench.no_such_matching_module")


def test_confirm_form_with_markup_korean_and_emoji(
    snap_compare: SnapCompare, make_project: ProjectFactory
) -> None:
    root = build_project(make_project, HOSTILE_CLAIMS, article=HOSTILE_ARTICLE)
    app = app_on(root, lambda app: app.open_conflicts())
    assert snap_compare(app, terminal_size=(80, 24), run_before=pressing("y"))


def test_confirm_form_on_the_bundled_claims(snap_compare: SnapCompare, repo_copy: Path) -> None:
    app = app_on(repo_copy, lambda app: app.open_conflicts())
    assert snap_compare(app, terminal_size=(160, 45), run_before=pressing("y"))
