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
from workbench.project import load_project, load_project_for_review

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
    listed_at = 0.0
    """Wall-clock time every claim was in the list (the first page's rest loaded)."""
    first_drawn = 0.0
    """When a line of the list was first drawn with claims in it (`perf_counter`)."""
    first_drawn_wall = 0.0


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
        if not Paints.first_drawn and self.positions:
            Paints.first_drawn, Paints.first_drawn_wall = Paints.drawn, time.time()
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


async def launch(root: Path, first_page: bool = True) -> tuple[float, float, float, float]:
    """Seconds to load the project (warm, as `workbench review` does: the list's first
    page, or with `first_page` False every claim unchecked), and from app start to
    the list drawn, to every claim listed and to every file checked.

    `Paints.ready_at` and `Paints.listed_at` get the wall-clock times of the first
    two, for `launch_in_fresh_process`.
    """
    gc.collect()
    Paints.first_drawn = 0.0
    started = time.perf_counter()
    project, pending, rest = load_project_for_review(root, first_page=first_page)
    loaded = time.perf_counter()
    app = ReviewApp(project, "bench", poll_seconds=None, pending_check=pending, pending_rest=rest)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(lambda: Paints.first_drawn > 0)
        done = Paints.first_drawn
        Paints.ready_at = Paints.first_drawn_wall
        await wait_until(
            lambda: (
                app.pending_rest is None
                and isinstance(app.screen, ClaimsListScreen)
                and app.screen.ready
                and painted(app.screen)
            )
        )
        listed = time.perf_counter()
        Paints.listed_at = time.time()
        await wait_until(lambda: app.pending_check is None)
        checked = time.perf_counter()
        await pilot.pause()
    return loaded - started, done - loaded, listed - loaded, checked - loaded


_LAUNCH = """
import asyncio, sys
from pathlib import Path
from bench.bench_app import Paints, _instrument, launch
_instrument()
asyncio.run(launch(Path(sys.argv[1]), first_page=sys.argv[2:] != ["whole"]))
print(Paints.ready_at, Paints.listed_at)
"""


_TREE_LAUNCH = "import bench.bench_app as tree; exec(tree._LAUNCH)"
"""Runs a tree's own `_LAUNCH` (the way that tree's `workbench` command starts)."""


def launch_in_fresh_process(
    root: Path, tree: Path | None = None, cache_dir: str | None = None, *, whole: bool = False
) -> tuple[float, float]:
    """Seconds from starting a new interpreter to the list drawn, and to every claim
    in it: what a user waits to see the list, and to use all of it.

    The app's own imports, Python's start-up and the warm load are all in it.
    `tree` is another source tree (an older commit) to run instead of this one,
    with its cache in `cache_dir`; an older tree draws every claim at once.
    `whole`: without the first page (every claim loaded before the first paint).
    """
    here = Path(__file__).resolve().parent.parent
    folder = tree.resolve() if tree is not None else here
    environment = dict(os.environ, PYTHONPATH=str(folder))
    if cache_dir is not None:
        environment["WORKBENCH_CACHE_DIR"] = cache_dir
    started = time.time()
    result = subprocess.run(
        [sys.executable, "-c", _TREE_LAUNCH, str(root), *(["whole"] if whole else [])],
        check=True,
        capture_output=True,
        text=True,
        cwd=folder,
        env=environment,
    )
    times = [float(value) for value in result.stdout.strip().splitlines()[-1].split()]
    return times[0] - started, times[-1] - started


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
    """New-interpreter first paints of this tree, with and without the first page (and
    of `old_tree`), alternating."""
    runs: dict[str, list[tuple[float, float]]] = {"first page": [], "whole": []}
    old_cache = tempfile.mkdtemp(prefix="wb-bench-old-cache-")
    try:
        if old_tree is not None:
            runs["old tree"] = []
            for _ in range(2):  # fill the old tree's own cache, and settle it
                launch_in_fresh_process(root, old_tree, old_cache)
            time.sleep(2.1)
        for _ in range(launches):
            runs["first page"].append(launch_in_fresh_process(root))
            runs["whole"].append(launch_in_fresh_process(root, whole=True))
            if old_tree is not None:
                runs["old tree"].append(launch_in_fresh_process(root, old_tree, old_cache))
    finally:
        shutil.rmtree(old_cache, ignore_errors=True)
    print(f"  new interpreter -> list drawn (as `workbench`), alternating, {launches} each:")
    print("                                               list drawn   every claim listed")
    names = {
        "first page": "this tree (first page, then the rest)",
        "whole": "this tree, every claim before the paint",
        "old tree": str(old_tree),
    }
    medians: dict[str, float] = {}
    for name, times in runs.items():
        drawn = statistics.median(first for first, _ in times)
        listed = statistics.median(every for _, every in times)
        medians[name] = drawn
        print(
            f"    {names[name][:41]:<41} {drawn:7.3f} s   {listed:7.3f} s"
            f"   (drawn min {min(t[0] for t in times):.3f}, max {max(t[0] for t in times):.3f})"
        )
    ratio = medians["first page"] / medians["whole"]
    print(f"    first page / without it (list drawn)      {ratio:7.2f}x")
    if old_tree is not None:
        for name in ("first page", "whole"):
            print(f"    {name + ' / old tree':<41} {medians[name] / medians['old tree']:7.2f}x")


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

    for first_page in (True, False):
        in_process = [asyncio.run(launch(root, first_page)) for _ in range(3)]
        load = statistics.median(run[0] for run in in_process)
        app_only = statistics.median(run[1] for run in in_process)
        total = statistics.median(run[0] + run[1] for run in in_process)
        listed = statistics.median(run[0] + run[2] for run in in_process)
        checked = statistics.median(run[0] + run[3] for run in in_process)
        if first_page:
            print(f"  load_project_first_page (as `workbench review`) {load:5.3f} s")
        else:
            print(f"  without it: load_project_unchecked            {load:7.3f} s")
        print(f"    app start -> list drawn                     {app_only:7.3f} s")
        print(f"    load + app start -> list drawn              {total:7.3f} s")
        print(f"    load + app start -> every claim listed      {listed:7.3f} s")
        print(f"    load + app start -> every file checked      {checked:7.3f} s   (in a worker)")
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
