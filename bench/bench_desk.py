"""The reviewer's desk screens (issue 14) open in under 100 ms at 100,000 claims.

    python -m bench.bench_desk                 # 100,000 claims
    python -m bench.bench_desk 10000           # another size
    python -m bench.bench_desk 10000 --repeat 3
    python -m bench.bench_desk 100000 --baseline 1000   # the baseline's size (1,000)

One app per size, headless, warm cache, the claims list on screen; for each
screen, the median over `--repeat` openings of the time from its key (sent as
the terminal driver sends it) to the screen mounted and the next refresh done
(drawn).  The baseline, in the same run and the same way: every screen at
`--baseline` claims (1,000), so what grows with the corpus shows as the ratio
and what does not is the screen's own cost.  `built anew`: the full size again
with every screen built anew (`ReviewApp(keep_screens=False)`), the app's kept
screens' absence; `first` is that run's first opening of each screen, run
first, so the first in the process (its stylesheet read and parsed).
A speed mechanism's column (`on/off`): its screens at the full size, built anew,
in one app of their own, after an untimed round, with the mechanism on and off in
alternate rounds (on, off, off, on, ...: both as warm and as loaded), `--repeat`
openings each.  `bg each time`: the forms (modals), the dimmed screen below drawn
each time Textual asks (`TypeAheadModal.KEEP_BACKGROUND` off).  `resize laid out`:
the claim detail laid out again on the `Resize` that follows its first layout
(`DetailScreen.SKIP_SAME_SIZE_RESIZE` off).  `gc in openings`: every screen, with
Python's full garbage collections left to its thresholds
(`ReviewApp.COLLECT_AFTER_CLOSE` off: they then fall inside openings).

Under the table: a full collection's time with the list at rest, with the search
vocabulary frozen for the collector (`ClaimsListScreen.FREEZE_VOCABULARY`) and
without, same run; and what the collection after a close can cost the key that
follows (`key_after_close`).  For the queues, the time until their content
(worked out in a worker thread) is on screen is shown beside it.  The claim
detail is timed twice: on the claim under the cursor, and on the first listed
claim with two relations or more (the cursor moved there and back untimed).
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import os
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from textual.screen import Screen

from bench.bench_app import SIZE, send_key, wait_until
from bench.corpus import make_corpus
from workbench.app.app import ReviewApp
from workbench.app.screens.article import ArticleScreen, CaptureForm
from workbench.app.screens.claims_list import ClaimsListScreen
from workbench.app.screens.detail import DetailScreen, relation_rows
from workbench.app.screens.queues import (
    ClaimQueueScreen,
    DisagreementQueueScreen,
    RecheckQueueScreen,
)
from workbench.app.screens.verdict import VerdictForm
from workbench.app.widgets.early_keys import TypeAheadModal
from workbench.project import Project, load_project


async def drawn(app: ReviewApp, kind: type[Screen[Any]]) -> None:
    """Wait for a `kind` screen on top, mounted, and a refresh after that."""
    await wait_until(lambda: isinstance(app.screen, kind) and app.screen.is_mounted)
    done = asyncio.Event()
    app.call_after_refresh(done.set)
    await asyncio.wait_for(done.wait(), 60)


@dataclass(frozen=True, slots=True)
class Opening:
    """One opening of a screen, in seconds."""

    drawn: float
    """From the key to the screen mounted and drawn (wall clock)."""
    cpu: float
    """CPU time of the app's own thread meanwhile: what the opening cost, without the
    waits for other processes on a busy machine."""
    filled: float | None
    """For a queue: from the key to its content (from a worker thread) on screen."""


CURSOR = "cursor:"
"""A key of the benchmark's own: `cursor:ID` moves the claims list's cursor to the
claim ID (never the timed key)."""


def press(app: ReviewApp, key: str) -> None:
    """Send `key` as the terminal would, or move the list's cursor (`CURSOR`)."""
    if key.startswith(CURSOR):
        screen = app.screen
        assert isinstance(screen, ClaimsListScreen)
        screen.table.move_cursor(list(screen.table.ids).index(key.removeprefix(CURSOR)))
    else:
        send_key(app, key)


async def timed_open(
    app: ReviewApp, keys: Sequence[str], kind: type[Screen[Any]], close: Sequence[str]
) -> Opening:
    """Open a screen with `keys`, time it, and go back to the list with `close`."""
    for key in keys[:-1]:
        press(app, key)
        await asyncio.sleep(0.05)
    started, cpu_started = time.perf_counter(), time.thread_time()
    send_key(app, keys[-1])
    await drawn(app, kind)
    opened, cpu = time.perf_counter() - started, time.thread_time() - cpu_started
    filled: float | None = None
    screen = app.screen
    if isinstance(screen, ClaimQueueScreen):
        await wait_until(lambda: screen.loaded)
        filled = time.perf_counter() - started
    for key in close:
        press(app, key)
        await asyncio.sleep(0.05)
    await drawn(app, ClaimsListScreen)
    await asyncio.sleep(0.1)
    return Opening(opened, cpu, filled)


Case = tuple[str, list[str], type[Screen[Any]], list[str]]
"""A screen to open: label, keys, its class, keys back to the list."""


def cases_for(project: Project, claim_id: str, listed: Sequence[str]) -> list[Case]:
    """The screens timed, opened on the claim under the cursor (`claim_id`); the
    detail also on the first claim `listed` with two relations or more."""
    verdict: Case = ("verdict form (4: false)", ["4"], VerdictForm, ["escape"])
    if project.claims[claim_id].claim.status == "false":
        verdict = ("verdict form (1: verified)", ["1"], VerdictForm, ["escape"])
    related = next(
        listed_id
        for listed_id in listed
        if len(relation_rows(project, project.claims[listed_id].claim)) >= 2
    )
    return [
        ("claim detail (enter)", ["enter"], DetailScreen, ["escape"]),
        (
            "claim detail, 2+ relations",
            [f"{CURSOR}{related}", "enter"],
            DetailScreen,
            ["escape", f"{CURSOR}{claim_id}"],
        ),
        ("article view (v)", ["v"], ArticleScreen, ["escape"]),
        ("capture form (v, +)", ["v", "plus"], CaptureForm, ["escape", "escape"]),
        verdict,
        ("re-check queue (R)", ["R"], RecheckQueueScreen, ["escape"]),
        ("disagreement queue (D)", ["D"], DisagreementQueueScreen, ["escape"]),
    ]


Figures = dict[str, list[Opening]]


async def measure(
    count: int,
    repeat: int,
    *,
    keep: bool = True,
    only: type[Screen[Any]] | tuple[type[Screen[Any]], ...] | None = None,
) -> tuple[list[Case], Figures]:
    """Each screen's openings at `count` claims (`keep`: with the app's kept screens;
    `only`: only the screens of that type)."""
    cases, figures, _ = await measure_with_rest(count, repeat, keep=keep, only=only)
    return cases, figures


OFF = " (off)"
"""Appended to a screen's label in `measure_with_rest`'s figures: its openings with
the mechanism switched off."""


async def measure_with_rest(
    count: int,
    repeat: int,
    *,
    keep: bool = True,
    only: type[Screen[Any]] | tuple[type[Screen[Any]], ...] | None = None,
    switch: tuple[type[Any], str] | None = None,
) -> tuple[list[Case], Figures, list[float]]:
    """`measure`, and before the openings the seconds of `repeat` full garbage
    collections with the list at rest (every claim listed, the workers done).

    With `switch` (a class and the name of its flag), after an untimed round (each
    screen's first opening in the app, which reads its stylesheet), `2 * repeat`
    rounds alternate with the flag on and off (on, off, off, on, ...), so both run
    as warm and as loaded; the openings with it off are labelled `OFF`."""
    root = make_corpus(count)
    load_project(root)  # fill the cache: everything below is warm
    project = load_project(root)
    app = ReviewApp(project, "bench", poll_seconds=None, keep_screens=keep)
    async with app.run_test(size=SIZE):
        await wait_until(lambda: isinstance(app.screen, ClaimsListScreen) and app.screen.ready)
        await app.workers.wait_for_complete()
        await asyncio.sleep(0.1)  # what the workers sent back, handled
        collections: list[float] = []
        for _ in range(repeat):
            started = time.perf_counter()
            gc.collect()
            collections.append(time.perf_counter() - started)
        first = app.screen
        assert isinstance(first, ClaimsListScreen)
        claim_id = first.table.cursor_id
        assert claim_id is not None
        cases = cases_for(project, claim_id, first.table.ids)
        if only is not None:
            cases = [case for case in cases if issubclass(case[2], only)]
        figures: Figures = {label: [] for label, *_ in cases}
        if switch is None:
            for _ in range(repeat):
                for label, keys, kind, close in cases:
                    figures[label].append(await timed_open(app, keys, kind, close))
            return cases, figures, collections
        owner, flag = switch
        figures.update({label + OFF: [] for label, *_ in cases})
        for _, keys, kind, close in cases:  # untimed: each screen's first in this app
            await timed_open(app, keys, kind, close)
        try:
            for round in range(2 * repeat):
                on = round % 4 in (0, 3)
                setattr(owner, flag, on)
                for label, keys, kind, close in cases:
                    opening = await timed_open(app, keys, kind, close)
                    figures[label if on else label + OFF].append(opening)
        finally:
            setattr(owner, flag, True)
    return cases, figures, collections


@dataclass(frozen=True, slots=True)
class Absence:
    """A speed mechanism switched off by a class flag: its screens built anew, in one
    app, the flag on and off in alternate rounds."""

    label: str
    owner: type[Any]
    flag: str
    only: type[Screen[Any]] | tuple[type[Screen[Any]], ...] | None

    def measure(self, count: int, repeat: int) -> Figures:
        switch = (self.owner, self.flag)
        _, figures, _ = asyncio.run(
            measure_with_rest(count, repeat, keep=False, only=self.only, switch=switch)
        )
        return figures


ABSENCES = [
    Absence("bg each time", TypeAheadModal, "KEEP_BACKGROUND", TypeAheadModal),
    Absence("resize laid out", DetailScreen, "SKIP_SAME_SIZE_RESIZE", DetailScreen),
    Absence("gc in openings", ReviewApp, "COLLECT_AFTER_CLOSE", None),
]


async def key_after_close(count: int, repeat: int) -> dict[bool, list[float]]:
    """Seconds from a cursor key, sent the moment the list is drawn again after a
    detail (built anew) closed, to the list drawn with the cursor moved; with the
    collection after a close (`ReviewApp.COLLECT_AFTER_CLOSE`) on and off in
    alternate rounds, and made due at every close (Python's third threshold at 1):
    what that collection can cost the next key, at worst."""
    root = make_corpus(count)
    project = load_project(root)
    app = ReviewApp(project, "bench", poll_seconds=None, keep_screens=False)
    thresholds = gc.get_threshold()
    latencies: dict[bool, list[float]] = {True: [], False: []}
    async with app.run_test(size=SIZE):
        await wait_until(lambda: isinstance(app.screen, ClaimsListScreen) and app.screen.ready)
        await app.workers.wait_for_complete()
        gc.set_threshold(thresholds[0], thresholds[1], 1)
        try:
            for round in range(2 * repeat):
                on = round % 4 in (0, 3)
                ReviewApp.COLLECT_AFTER_CLOSE = on
                send_key(app, "enter")
                await drawn(app, DetailScreen)
                await asyncio.sleep(0.05)
                send_key(app, "escape")
                await drawn(app, ClaimsListScreen)
                screen = app.screen
                assert isinstance(screen, ClaimsListScreen)
                before = screen.table.cursor_id
                started = time.perf_counter()
                send_key(app, "down")
                await wait_until(lambda: screen.table.cursor_id != before)  # noqa: B023
                await drawn(app, ClaimsListScreen)
                latencies[on].append(time.perf_counter() - started)
                send_key(app, "up")
                await asyncio.sleep(0.15)
        finally:
            ReviewApp.COLLECT_AFTER_CLOSE = True
            gc.set_threshold(*thresholds)
    return latencies


def report(count: int, baseline: int, repeat: int) -> None:
    os.environ["WORKBENCH_CACHE_DIR"] = cache = tempfile.mkdtemp(prefix="wb-bench-cache-")
    try:
        # built anew first: its first openings are the process's first
        _, built = asyncio.run(measure(count, repeat, keep=False))
        small_cases, small = asyncio.run(measure(baseline, repeat))
        cases, large = asyncio.run(measure(count, repeat))
        absent = [absence.measure(count, repeat) for absence in ABSENCES]
        *_, rest_frozen = asyncio.run(measure_with_rest(count, repeat, only=()))
        ClaimsListScreen.FREEZE_VOCABULARY = False
        try:
            *_, rest_unfrozen = asyncio.run(measure_with_rest(count, repeat, only=()))
        finally:
            ClaimsListScreen.FREEZE_VOCABULARY = True
        latencies = asyncio.run(key_after_close(count, repeat))
    finally:
        shutil.rmtree(cache, ignore_errors=True)
    print(f"Python {sys.version.split()[0]}, {os.cpu_count()} CPUs; medians of {repeat}")
    print(
        f"\n== key -> screen drawn (target < 100 ms at {count:,}); "
        f"baseline: the same screen at {baseline:,} claims, same run"
    )
    print(f"  {'':<30} {'drawn (wall clock)':^27} {'CPU of the app thread':^27}")
    sizes = f"{baseline:>8,} {count:>8,}  ratio"
    absences = "".join(f"  {absence.label + ': on/off wall, CPU':<32}" for absence in ABSENCES)
    print(
        f"  {'screen':<30} {sizes} {sizes}  built anew: wall, CPU  first: wall, CPU"
        f"{absences}  filled"
    )
    for (label, *_), (small_label, *_) in zip(cases, small_cases, strict=True):
        line = f"  {label:<30}"
        for field in ("drawn", "cpu"):
            base = statistics.median(getattr(value, field) for value in small[small_label])
            grown = statistics.median(getattr(value, field) for value in large[label])
            line += f" {base * 1000:5.0f} ms {grown * 1000:5.0f} ms {grown / base:5.1f}x"
        built_wall = statistics.median(value.drawn for value in built[label])
        built_cpu = statistics.median(value.cpu for value in built[label])
        line += f"  {built_wall * 1000:5.0f} ms {built_cpu * 1000:5.0f} ms"
        first = built[label][0]
        line += f"  {first.drawn * 1000:5.0f} ms {first.cpu * 1000:5.0f} ms"
        for absence in absent:
            if label in absence:
                walls = [
                    statistics.median(value.drawn for value in absence[key]) * 1000
                    for key in (label, label + OFF)
                ]
                cpus = [
                    statistics.median(value.cpu for value in absence[key]) * 1000
                    for key in (label, label + OFF)
                ]
                line += f"  {walls[0]:4.0f}/{walls[1]:4.0f} ms {cpus[0]:4.0f}/{cpus[1]:4.0f} ms"
                line += " " * 10
            else:
                line += " " * 34
        filled = [value.filled for value in large[label] if value.filled is not None]
        if filled:
            line += f" {statistics.median(filled) * 1000:6.0f} ms (worker thread)"
        print(line)
    print(
        "\n== a full garbage collection, the list at rest, before any opening: "
        f"vocabulary frozen {statistics.median(rest_frozen) * 1000:.1f} ms, "
        f"not frozen {statistics.median(rest_unfrozen) * 1000:.1f} ms"
    )
    print(
        "== a cursor key the moment the list is drawn again after a detail closed, the "
        "collection due at every close: "
        + ", ".join(
            f"collection {'on' if on else 'off'} {statistics.median(values) * 1000:.0f} ms "
            f"(max {max(values) * 1000:.0f})"
            for on, values in latencies.items()
        )
    )


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("count", nargs="?", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--baseline", type=int, default=1000, help="the baseline's size")
    arguments = parser.parse_args(argv)
    report(arguments.count, arguments.baseline, arguments.repeat)


_: Callable[..., object] = main

if __name__ == "__main__":
    main()
