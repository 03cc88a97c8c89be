"""Review app speed at 100,000 claims, against a Textual `DataTable` baseline.

    python -m bench.bench_app                  # 100,000 claims, DataTable with every row
    python -m bench.bench_app 10000            # another size
    python -m bench.bench_app --quick          # DataTable baseline on 10,000 rows, scaled
    python -m bench.bench_app --launch-only    # only the warm load and the first paint
    python -m bench.bench_app --launch-only --old-tree DIR   # and another tree's first paint

Everything runs headless (`App.run_test`) in one process, warm: the load
index is filled first, as after any earlier `workbench` run.  Figures:

* launch -> interactive: from app start to the first filtered list drawn with its
  cursor (keys work from then on); `load_project` (warm) is timed beside it;
* a filter keystroke: from the key press to the new list drawn (the filter runs
  in a worker thread; the poll for files changed on disk runs as in real use),
  median over search keys, a typo, Korean and the filter keys;
* the baseline: the same rows in a `DataTable` (filling it, and clearing and
  refilling it, which is what a filter keystroke would cost with it).
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from textual import events
from textual.app import App, ComposeResult
from textual.strip import Strip
from textual.widgets import DataTable

from bench.corpus import make_corpus, median_seconds
from workbench.app.app import ReviewApp
from workbench.app.filtering import rows_of
from workbench.app.screens.claims_list import ClaimsListScreen
from workbench.app.widgets.claim_table import ClaimTable
from workbench.project import load_project, load_project_unchecked

SIZE = (160, 50)

SEARCH_KEYS = [*"deepseek", "space", *"chips"]
TYPO_QUERY = "deepsek"
KOREAN_QUERY = "딥시크"


async def wait_until(check: Callable[[], bool], timeout: float = 60.0) -> None:
    deadline = time.perf_counter() + timeout
    while not check():
        if time.perf_counter() > deadline:
            raise TimeoutError("the app did not get there in time")
        await asyncio.sleep(0.001)


def list_screen(app: ReviewApp) -> ClaimsListScreen:
    screen = app.screen
    assert isinstance(screen, ClaimsListScreen)
    return screen


def send_key(app: App[None], key: str) -> None:
    """Send one key as the terminal driver would (no Pilot: it waits for the process to idle)."""
    char = {"space": " "}.get(key, key if len(key) == 1 else None)
    event = events.Key(key, char)
    event.set_sender(app)
    assert app._driver is not None
    app._driver.send_message(event)


class Paints:
    """When the table last got a new id list and last drew a line (patched in below)."""

    swapped = 0.0
    drawn = 0.0
    moved = 0.0
    ready_at = 0.0
    """Wall-clock time (`time.time`) the list was first drawn by `launch`."""


def _instrument() -> None:
    show, render_line, move_cursor = (
        ClaimTable.show,
        ClaimTable.render_line,
        ClaimTable.move_cursor,
    )

    def timed_show(self: ClaimTable, *args: Any, **kwargs: Any) -> None:
        show(self, *args, **kwargs)
        Paints.swapped = time.perf_counter()

    def timed_render_line(self: ClaimTable, y: int) -> Strip:
        strip = render_line(self, y)
        Paints.drawn = time.perf_counter()
        return strip

    def timed_move_cursor(self: ClaimTable, *args: Any, **kwargs: Any) -> None:
        move_cursor(self, *args, **kwargs)
        Paints.moved = time.perf_counter()

    ClaimTable.show = timed_show  # type: ignore[method-assign]
    ClaimTable.render_line = timed_render_line  # type: ignore[method-assign]
    ClaimTable.move_cursor = timed_move_cursor  # type: ignore[method-assign]


def painted(screen: ClaimsListScreen) -> bool:
    """The list shows the latest filter result and the table has been drawn since."""
    return screen._shown_generation >= screen._generation and Paints.drawn > Paints.swapped


async def launch(root: Path) -> tuple[float, float, float]:
    """Seconds to load the project (warm, as `workbench review` does: unchecked), from
    app start to the list drawn, and from app start to every file checked.

    `Paints.ready_at` gets the wall-clock time the list was drawn, for
    `launch_in_fresh_process`.
    """
    gc.collect()
    started = time.perf_counter()
    project, pending = load_project_unchecked(root)
    loaded = time.perf_counter()
    app = ReviewApp(project, "bench", poll_seconds=None, pending_check=pending)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(
            lambda: (
                isinstance(app.screen, ClaimsListScreen)
                and app.screen.ready
                and painted(app.screen)
            )
        )
        done = time.perf_counter()
        Paints.ready_at = time.time()
        await wait_until(lambda: app.pending_check is None)
        checked = time.perf_counter()
        await pilot.pause()
    return loaded - started, done - loaded, checked - loaded


_LAUNCH = """
import asyncio, sys
from pathlib import Path
from bench.bench_app import Paints, _instrument, launch
_instrument()
asyncio.run(launch(Path(sys.argv[1])))
print(Paints.ready_at)
"""


_TREE_LAUNCH = "import bench.bench_app as tree; exec(tree._LAUNCH)"
"""Runs a tree's own `_LAUNCH` (the way that tree's `workbench` command starts)."""


def launch_in_fresh_process(
    root: Path, tree: Path | None = None, cache_dir: str | None = None
) -> float:
    """Seconds from starting a new interpreter to the list drawn: what a user waits.

    The app's own imports, Python's start-up and the warm load are all in it.
    `tree` is another source tree (an older commit) to run instead of this one,
    with its cache in `cache_dir`.
    """
    here = Path(__file__).resolve().parent.parent
    folder = tree.resolve() if tree is not None else here
    environment = dict(os.environ, PYTHONPATH=str(folder))
    if cache_dir is not None:
        environment["WORKBENCH_CACHE_DIR"] = cache_dir
    started = time.time()
    result = subprocess.run(
        [sys.executable, "-c", _TREE_LAUNCH, str(root)],
        check=True,
        capture_output=True,
        text=True,
        cwd=folder,
        env=environment,
    )
    return float(result.stdout.strip().splitlines()[-1]) - started


async def timed_key(app: ReviewApp, screen: ClaimsListScreen, key: str) -> float:
    """Seconds from a key that filters to the new list being drawn."""
    before = screen._generation
    started = time.perf_counter()
    send_key(app, key)
    await wait_until(lambda: screen._generation > before and painted(screen))
    return time.perf_counter() - started


async def timed_move(app: ReviewApp, screen: ClaimsListScreen, key: str) -> float:
    """Seconds from a cursor key to the moved cursor being drawn."""
    before = screen.table.cursor
    started = time.perf_counter()
    send_key(app, key)
    await wait_until(lambda: screen.table.cursor != before and Paints.drawn > Paints.moved)
    return time.perf_counter() - started


async def keystrokes(root: Path) -> dict[str, list[float]]:
    project = load_project(root)
    app = ReviewApp(project, "bench")  # polling for changed files on, as in real use
    figures: dict[str, list[float]] = {
        name: [] for name in ("search", "typo", "korean", "filter", "worker", "cursor")
    }

    async def typed(name: str, keys: Sequence[str]) -> None:
        for key in keys:
            figures[name].append(await timed_key(app, screen, key))
            figures["worker"].append(screen.last_filter_seconds)
            await asyncio.sleep(0.05)  # a fast typist's pace

    async with app.run_test(size=SIZE) as pilot:
        await wait_until(lambda: isinstance(app.screen, ClaimsListScreen) and app.screen.ready)
        screen = list_screen(app)
        await app.workers.wait_for_complete()  # the typo vocabulary, built in the background
        for key in ["j"] * 10 + ["pagedown"] * 5:
            figures["cursor"].append(await timed_move(app, screen, key))
        await pilot.press("slash")
        await typed("search", SEARCH_KEYS)
        await pilot.press("ctrl+u")  # clear the input (delete to the start)
        await wait_until(lambda: painted(screen))
        await typed("typo", list(TYPO_QUERY))
        await pilot.press("ctrl+u")
        await wait_until(lambda: painted(screen))
        await typed("korean", list(KOREAN_QUERY))
        await pilot.press("escape")  # clear the search, back to the table
        await wait_until(lambda: painted(screen))
        await typed("filter", ["s"] * 4 + ["t"] * 4)
    return figures


class TableApp(App[None]):
    def compose(self) -> ComposeResult:
        yield DataTable()


async def datatable_baseline(rows: Sequence[tuple[str, ...]]) -> tuple[float, float]:
    """Seconds to fill a DataTable with `rows` and show it, and to clear and refill it."""
    app = TableApp()
    async with app.run_test(size=SIZE) as pilot:
        table = app.query_one(DataTable)
        started = time.perf_counter()
        table.add_columns("Status", "Id", "Statement", "Source", "Date", "Stance", "Topic")
        table.add_rows(rows)
        await pilot.pause()
        fill = time.perf_counter() - started
        started = time.perf_counter()
        table.clear()
        table.add_rows(rows[: len(rows) // 2])
        await pilot.pause()
        refill = time.perf_counter() - started
    return fill, refill


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("count", nargs="?", type=int, default=100_000)
    parser.add_argument("--quick", action="store_true", help="DataTable baseline on 10,000 rows")
    parser.add_argument(
        "--launch-only", action="store_true", help="only the warm load and the first paint"
    )
    parser.add_argument(
        "--old-tree",
        type=Path,
        help="also time a new interpreter's first paint from this source tree (an older "
        "commit, e.g. `git archive` of it), alternating with this tree's",
    )
    parser.add_argument("--launches", type=int, default=5, help="fresh-process launches (5)")
    arguments = parser.parse_args(argv)
    count: int = arguments.count
    _instrument()
    root = make_corpus(count)
    index_dir = tempfile.mkdtemp(prefix="wb-bench-index-")
    os.environ["WORKBENCH_CACHE_DIR"] = index_dir
    try:
        run(
            root,
            count,
            quick=arguments.quick,
            launch_only=arguments.launch_only,
            old_tree=arguments.old_tree,
            launches=arguments.launches,
        )
    finally:
        shutil.rmtree(index_dir, ignore_errors=True)


def fresh_launches(root: Path, old_tree: Path | None, launches: int) -> None:
    """New-interpreter first paints of this tree (and of `old_tree`, alternating)."""
    if old_tree is None:
        from_launch = statistics.median(launch_in_fresh_process(root) for _ in range(launches))
        print(
            f"  new interpreter -> list drawn (as `workbench`) {from_launch:6.3f} s"
            "   (target < 1.5 s)"
        )
        return
    old_cache = tempfile.mkdtemp(prefix="wb-bench-old-cache-")
    try:
        for _ in range(2):  # fill the old tree's own cache, and settle it
            launch_in_fresh_process(root, old_tree, old_cache)
        time.sleep(2.1)
        new: list[float] = []
        old: list[float] = []
        for _ in range(launches):
            new.append(launch_in_fresh_process(root))
            old.append(launch_in_fresh_process(root, old_tree, old_cache))
    finally:
        shutil.rmtree(old_cache, ignore_errors=True)
    mine, theirs = statistics.median(new), statistics.median(old)
    print(f"  new interpreter -> list drawn (as `workbench`), alternating, {launches} each:")
    print(
        f"    this tree                                 {mine:7.3f} s"
        f"   (min {min(new):.3f}, max {max(new):.3f})"
    )
    print(f"    {old_tree!s:<41} {theirs:7.3f} s   (min {min(old):.3f}, max {max(old):.3f})")
    print(f"    this tree / old tree                      {mine / theirs:7.2f}x")


def run(
    root: Path,
    count: int,
    *,
    quick: bool,
    launch_only: bool,
    old_tree: Path | None = None,
    launches: int = 5,
) -> None:
    print(f"Python {sys.version.split()[0]}, {os.cpu_count()} CPUs; medians")
    print(f"\n== {count:,} claims ({root.name})")
    load_project(root)  # fill the index: everything below is warm
    time.sleep(2.1)  # past the racy window, as after any pause
    load_project(root)
    warm_load = median_seconds(lambda: load_project(root), 3)
    print(f"  load_project warm                             {warm_load:7.3f} s")

    in_process = [asyncio.run(launch(root)) for _ in range(3)]
    unchecked = statistics.median(load for load, _app, _checked in in_process)
    app_only = statistics.median(app for _load, app, _checked in in_process)
    total = statistics.median(load + app for load, app, _checked in in_process)
    checked = statistics.median(load + done for load, _app, done in in_process)
    print(f"  load_project_unchecked (as `workbench review`) {unchecked:6.3f} s")
    print(f"  app start -> list drawn and interactive       {app_only:7.3f} s")
    print(f"  load + app start -> list drawn                {total:7.3f} s")
    print(f"  load + app start -> every file checked        {checked:7.3f} s   (in a worker)")
    fresh_launches(root, old_tree, launches)
    if launch_only:
        return

    figures = asyncio.run(keystrokes(root))
    keys = figures["search"] + figures["typo"] + figures["korean"] + figures["filter"]
    keystroke = statistics.median(keys)
    print(
        f"  filter keystroke -> new list on screen        {keystroke * 1000:7.1f} ms  "
        f"(median of {len(keys)}; target < 100 ms)"
    )
    for name, label in (
        ("search", "typing `deepseek chips`"),
        ("typo", f"typing `{TYPO_QUERY}` (typo)"),
        ("korean", f"typing `{KOREAN_QUERY}`"),
        ("filter", "status / topic filter keys"),
    ):
        values = figures[name]
        print(
            f"    {label:<40}  median {statistics.median(values) * 1000:6.1f} ms, "
            f"max {max(values) * 1000:6.1f} ms"
        )
    worker = statistics.median(figures["worker"])
    print(f"    of which the filter worker (median)       {worker * 1000:7.1f} ms")
    cursor = statistics.median(figures["cursor"])
    print(f"  cursor key (j, page down)                     {cursor * 1000:7.1f} ms")

    project = load_project(root)
    rows = [
        (
            row.status,
            row.id,
            row.statement,
            row.outlet,
            row.published.isoformat() if row.published else "",
            row.stance,
            row.topic,
        )
        for row in rows_of(project).values()
    ]
    sample = rows[:10_000] if quick else rows
    scale = len(rows) / len(sample)
    fill, refill = asyncio.run(datatable_baseline(sample))
    fill, refill = fill * scale, refill * scale
    note = f" (10,000 rows x {scale:g})" if scale != 1 else ""
    print(f"\n  baseline: DataTable with the same rows{note}")
    print(
        f"    fill and show {len(rows):,} rows                   {fill:7.3f} s   "
        f"the list is interactive {fill / app_only:.1f}x sooner"
    )
    print(
        f"    clear and refill (one filter keystroke)   {refill:7.3f} s   "
        f"a keystroke is {refill / keystroke:.0f}x faster"
    )


if __name__ == "__main__":
    main()
