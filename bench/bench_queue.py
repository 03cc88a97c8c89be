"""Conflict queue speed: the next pair and a filter key, against rebuilding the queue.

    python -m bench.bench_queue                # 10,000 claims, 15 moves of each kind
    python -m bench.bench_queue 100000         # another size
    python -m bench.bench_queue --semantic     # the queue with the semantic proposer too

Headless (`App.run_test`), warm (the claim cache filled first).  The queue is
built once in a worker; moving and filtering work on that list in memory.
Figures, medians:

* next pair (`]`): from the key press to the new pair shown (panes, differences,
  title), with no filter and with a filter on (`o`, across sources only);
* a filter key (`f`, `o`, escape clearing them): from the key press to the
  filtered queue's first pair shown;
* baselines, in the same run: the next pair with new panes mounted for it
  (`reuse_panes = False`, what the screen did before refilling its two panes),
  and building the queue again (`load_candidates`), which is what moving or
  filtering would cost if the queue asked the engine each time;
* the floor: a key bound to nothing (the press, the pause and a frame).
  Target: the next pair under 100 ms.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import time
from collections.abc import Sequence

from textual.pilot import Pilot

from bench.corpus import make_corpus
from workbench.app.app import ReviewApp
from workbench.app.conflict_source import load_candidates
from workbench.app.screens.conflicts import ConflictQueueScreen
from workbench.project import load_project

SIZE = (160, 50)


async def wait_until_loaded(app: ReviewApp, timeout: float = 600.0) -> ConflictQueueScreen:
    deadline = time.perf_counter() + timeout
    while True:
        screen = app.screen
        if isinstance(screen, ConflictQueueScreen) and screen.loaded:
            return screen
        if time.perf_counter() > deadline:
            raise TimeoutError("the queue did not load in time")
        await asyncio.sleep(0.01)


async def timed_key(pilot: Pilot[None], screen: ConflictQueueScreen, key: str) -> float:
    """Seconds from the key to the screen idle again with its pair shown."""
    started = time.perf_counter()
    await pilot.press(key)
    await pilot.pause()
    elapsed = time.perf_counter() - started
    pair = screen.current_pair()
    assert pair is None or [card.claim_id for card in screen.cards] == list(pair)
    return elapsed


async def measure(root_size: int, repeat: int, semantic: bool) -> dict[str, list[float]]:
    root = make_corpus(root_size)
    load_project(root)  # fill the claim cache: the runs below are warm
    project = load_project(root)
    ConflictQueueScreen.semantic = semantic
    app = ReviewApp(project, "bench", poll_seconds=None)
    figures: dict[str, list[float]] = {
        "next": [],
        "next filtered": [],
        "filter key": [],
        "baseline: next with new panes": [],
        "floor: a key bound to nothing": [],
    }
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.open_conflicts()
        started = time.perf_counter()
        screen = await wait_until_loaded(app)
        figures["queue built in the app"] = [time.perf_counter() - started]
        print(f"  {len(screen.candidates):,} candidates in the queue", flush=True)
        for _ in range(repeat):
            figures["next"].append(await timed_key(pilot, screen, "right_square_bracket"))
        figures["filter key"].append(await timed_key(pilot, screen, "o"))
        for _ in range(repeat):
            figures["next filtered"].append(await timed_key(pilot, screen, "right_square_bracket"))
        for key in ("o", "f", "f", "o", "o", "escape") * max(1, repeat // 6):
            if key == "escape" and not screen.pair_filter.active:
                continue  # with no filter on, escape would leave the queue
            figures["filter key"].append(await timed_key(pilot, screen, key))
        ConflictQueueScreen.reuse_panes = False
        for _ in range(repeat):
            figures["baseline: next with new panes"].append(
                await timed_key(pilot, screen, "right_square_bracket")
            )
        ConflictQueueScreen.reuse_panes = True
        for _ in range(repeat):
            figures["floor: a key bound to nothing"].append(await timed_key(pilot, screen, "z"))
    baseline = []
    for _ in range(3):
        started = time.perf_counter()
        load_candidates(project, semantic=semantic)
        baseline.append(time.perf_counter() - started)
    figures["baseline: build the queue again"] = baseline
    return figures


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("claims", nargs="?", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--semantic", action="store_true")
    arguments = parser.parse_args(argv)
    print(f"Python {sys.version.split()[0]}, {os.cpu_count()} CPUs; medians")
    print(f"conflict queue at {arguments.claims:,} claims (semantic: {arguments.semantic})")
    figures = asyncio.run(measure(arguments.claims, arguments.repeat, arguments.semantic))
    for label, values in figures.items():
        median = statistics.median(values)
        print(f"    {label:<36} median {median * 1000:9.1f} ms  (n={len(values)})")
    next_pair = statistics.median(figures["next"] + figures["next filtered"])
    remount = statistics.median(figures["baseline: next with new panes"])
    rebuild = statistics.median(figures["baseline: build the queue again"])
    verdict = "meets" if next_pair < 0.1 else "MISSES"
    print(
        f"  next pair {next_pair * 1000:.1f} ms {verdict} the 100 ms target; "
        f"{remount / next_pair:.1f}x faster than mounting new panes, "
        f"{rebuild / next_pair:,.0f}x faster than building the queue again"
    )


if __name__ == "__main__":
    main()
