"""SVG snapshots of the conflict queue's confirm form.

Shot over the queue of recorded relations (no matching engine), so the pair and
its reason follow the files: the bundled data at 160x45, and at 80x24 a fixture
whose texts hold markup (`[bold]`, `[/]`), Korean and emoji, which must show
literally.  Update with `--snapshot-update` only after reading the report.
"""

from __future__ import annotations

from pathlib import Path

from tests.test_app_snapshots_screens import SnapCompare, app_on, pressing

pytest_plugins = ["tests.test_app_snapshots_screens"]


def test_confirm_form_with_markup_korean_and_emoji(
    snap_compare: SnapCompare, hostile: Path, recorded_only: None
) -> None:
    app = app_on(hostile, lambda app: app.open_conflicts())
    assert snap_compare(app, terminal_size=(80, 24), run_before=pressing("y"))


def test_confirm_form_on_the_bundled_claims(
    snap_compare: SnapCompare, repo_copy: Path, recorded_only: None
) -> None:
    app = app_on(repo_copy, lambda app: app.open_conflicts())
    assert snap_compare(app, terminal_size=(160, 45), run_before=pressing("y"))
