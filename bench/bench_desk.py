"""The reviewer's desk screens (issue 14) open in under 100 ms at 100,000 claims.

    python -m bench.bench_desk                 # 100,000 claims
    python -m bench.bench_desk 10000           # another size
    python -m bench.bench_desk 10000 --repeat 3

One app, headless, warm cache, the claims list on screen; for each screen, the
median over `--repeat` openings of the time from its key (sent as the terminal
driver sends it) to the screen mounted and the next refresh done (drawn).  The
baseline, in the same run and the same way: the claim detail, an existing
screen.  For the queues, the time until their content (worked out in a worker
thread over every claim) is on screen is shown beside it.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Sequence

from textual.screen import Screen

from bench.bench_app import send_key, wait_until
from bench.corpus import make_corpus
from workbench.app.app import ReviewApp
from workbench.app.screens.article import ArticleScreen, CaptureForm
from workbench.app.screens.claims_list import ClaimsListScreen
from workbench.app.screens.detail import DetailScreen
from workbench.app.screens.queues import (
    ClaimQueueScreen,
    DisagreementQueueScreen,
    RecheckQueueScreen,
)
from workbench.app.screens.verdict import VerdictForm
from workbench.project import load_project

SIZE = (160, 50)


async def drawn(app: ReviewApp, kind: type[Screen[object]]) -> None:
    """Wait for a `kind` screen on top, mounted, and a refresh after that."""
    await wait_until(lambda: isinstance(app.screen, kind) and app.screen.is_mounted)
    done = asyncio.Event()
    app.call_after_refresh(done.set)
    await asyncio.wait_for(done.wait(), 60)


async def timed_open(
    app: ReviewApp, keys: Sequence[str], kind: type[Screen[object]], close: Sequence[str]
) -> tuple[float, float | None]:
    """Seconds from the last of `keys` to the screen drawn (and, for a queue, filled)."""
    for key in keys[:-1]:
        send_key(app, key)
        await asyncio.sleep(0.05)
    started = time.perf_counter()
    send_key(app, keys[-1])
    await drawn(app, kind)
    opened = time.perf_counter() - started
    filled: float | None = None
    screen = app.screen
    if isinstance(screen, ClaimQueueScreen):
        await wait_until(lambda: screen.loaded)
        filled = time.perf_counter() - started
    for key in close:
        send_key(app, key)
        await asyncio.sleep(0.05)
    await wait_until(lambda: isinstance(app.screen, ClaimsListScreen))
    await asyncio.sleep(0.05)
    return opened, filled


async def measure(count: int, repeat: int) -> None:
    root = make_corpus(count)
    os.environ["WORKBENCH_CACHE_DIR"] = tempfile.mkdtemp(prefix="wb-bench-cache-")
    load_project(root)  # fill the cache: everything below is warm
    project = load_project(root)
    app = ReviewApp(project, "bench", poll_seconds=None)
    # (label, keys, screen, keys back to the list); the cursor sits on the first claim
    cases: list[tuple[str, list[str], type[Screen[object]], list[str]]] = [
        ("baseline: claim detail (enter)", ["enter"], DetailScreen, ["escape"]),
        ("article view (v)", ["v"], ArticleScreen, ["escape"]),
        ("capture form (v, +)", ["v", "plus"], CaptureForm, ["escape", "escape"]),
        ("verdict form (4: false)", ["4"], VerdictForm, ["escape"]),
        ("re-check queue (R)", ["R"], RecheckQueueScreen, ["escape"]),
        ("disagreement queue (D)", ["D"], DisagreementQueueScreen, ["escape"]),
    ]
    figures: dict[str, list[tuple[float, float | None]]] = {label: [] for label, *_ in cases}
    async with app.run_test(size=SIZE):
        await wait_until(lambda: isinstance(app.screen, ClaimsListScreen) and app.screen.ready)
        await app.workers.wait_for_complete()
        first = app.screen
        assert isinstance(first, ClaimsListScreen)
        claim_id = first.table.cursor_id
        assert claim_id is not None
        if project.claims[claim_id].claim.status == "false":
            cases[3] = ("verdict form (1: verified)", ["1"], VerdictForm, ["escape"])
            figures = {label: [] for label, *_ in cases}
        for _ in range(repeat):
            for label, keys, kind, close in cases:
                figures[label].append(await timed_open(app, keys, kind, close))
    print(f"Python {sys.version.split()[0]}, {os.cpu_count()} CPUs; medians of {repeat}")
    print(f"\n== {count:,} claims: key -> screen drawn (target < 100 ms)")
    baseline = statistics.median(opened for opened, _ in figures[cases[0][0]])
    for label, *_ in cases:
        opened = statistics.median(value for value, _ in figures[label])
        line = f"  {label:<34} {opened * 1000:7.1f} ms   ({opened / baseline:4.1f}x the baseline)"
        filled = [value for _, value in figures[label] if value is not None]
        if filled:
            line += f"   filled {statistics.median(filled) * 1000:7.1f} ms (worker thread)"
        print(line)


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("count", nargs="?", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=5)
    arguments = parser.parse_args(argv)
    asyncio.run(measure(arguments.count, arguments.repeat))


_: Callable[..., object] = main

if __name__ == "__main__":
    main()
