"""Speed of the matching engine, against all-pairs scoring in the same run.

    python -m bench.bench_matching                  # 10,000, 30,000 and 100,000 claims
    python -m bench.bench_matching 10000 30000      # chosen sizes
    python -m bench.bench_matching --sample 400 800 # sizes of the all-pairs overlap samples
    python -m bench.bench_matching 10000 100000 --cli --no-baseline --sample
    python -m bench.bench_matching 10000 100000 --cli --cli-repeat 5 --no-baseline --sample
    python -m bench.bench_matching 10000 100000 --cli --no-baseline --sample --spread-sources
    python -m bench.bench_matching 100000 --cli --first-runs 3 --no-baseline --sample

The findings per claim are printed for each size: blocking must not lose pairs
as the corpus grows (each claim keeps its best `per_claim` partners, so the
figure should hold steady).  `--cli` also runs `workbench conflicts --lexical-only` as a
user does, in a fresh process with a warm claim cache, and reports its wall
time, CPU time and peak memory (the whole process: loading the project
included) and its findings per claim (`bench.bench_semantic` times the
semantic proposer); at the largest size it also runs the command without each of the
engine's mechanisms (stored frames; the collector paused while matching and for the
whole command), in alternating runs.  The collector
row times the largest size with the cyclic garbage collector paused (the
default) and running, in alternating runs, in this process, where the project
loaded beforehand makes full collections rare (x0.96 to x1.11 at 100,000 claims
on 2026-12-07); the CLI's collector variant, a fresh process as a user runs it, is
the row that keeps the pause (x1.22 to x1.47 the same day); the
stored-frames row times it with each claim's frame from the load index's rows
(the default) and read from the claims, the row that keeps
`workbench.matching.stored`.  Beside the largest size's runs it also times
`bench/reference.py`, a fixed pure-Python workload, and prints the default's time
as a multiple of it: the shared machine's speed changes by the hour (the same
command took 10 s and 20 s on 2026-12-07), and the multiple is what compares.
`--first-runs N` also times, at the largest size, the command's first run on the
project (an empty claim cache: every file read, and its rows written) against the
claim cache off, in alternating runs: what filling the cache costs once, and the
first run's peak memory.

For each size the bundled claims are cloned with `bench.corpus.make_corpus`,
loaded once (outside the timing, as the app and the CLI have them loaded), and
`find_candidates` is timed: the median wall time and the process CPU time, so
that a busy machine shows as a gap between the two.  Growth is printed as the
time per claim and as the ratio to the smallest size (linear growth keeps the
time per claim flat).  `--spread-sources` runs the same rows on the corpus whose
clone groups each cite their own copies of the sources (some 2,600 articles at
100,000 claims, as a real corpus has, against five by default; see
`bench.corpus`); the default stays as it was, so that earlier figures compare.

Baselines, in the same run so the ratios hold on any machine:

* `rapidfuzz.process.cdist` with `fuzz.ratio` over every pair of statements of
  the smallest corpus, the all-pairs approach that does not scale;
* the engine itself with `exhaustive=True` (every pair scored, no blocking) on
  a sample small enough for that, and the overlap of its findings with the
  blocked run on the same sample.  Blocking can only miss a pair, never add
  one: the overlap is the share of the all-pairs findings that blocking keeps.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable, Sequence

from bench.corpus import make_corpus, median_seconds
from bench.reference import seconds_in_fresh_process
from workbench.matching import (
    Candidate,
    MatchSettings,
    find_candidates,
    iter_match_frames,
    match_claims,
)
from workbench.matching.stored import project_frames
from workbench.models import Claim
from workbench.project import Project, load_project

DEFAULT_SIZES = (10_000, 30_000, 100_000)


def timed(function: Callable[[], object], repeat: int) -> tuple[float, float]:
    """Median wall seconds and median process CPU seconds of `repeat` calls."""
    walls: list[float] = []
    cpus: list[float] = []
    for _ in range(repeat):
        wall, cpu = time.perf_counter(), time.process_time()
        function()
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    return statistics.median(walls), statistics.median(cpus)


def load(count: int, spread_sources: bool) -> Project:
    started = time.perf_counter()
    root = make_corpus(count, spread_sources=spread_sources)
    project = load_project(root)
    project.materialise()  # a warm load defers the models; matching is what is timed
    project_frames(project)  # the frame rows written, as every run after the first has them
    seconds = time.perf_counter() - started
    print(f"  corpus of {count:,} claims ready in {seconds:.1f} s ({root.name})")
    return project


def describe(found: Sequence[Candidate]) -> str:
    kinds = Counter(f"{c.kind}/{c.suggested_relation}" for c in found)
    return ", ".join(f"{name} {count}" for name, count in sorted(kinds.items()))


def engine_runs(sizes: Sequence[int], repeat: int, spread_sources: bool) -> None:
    print("find_candidates on cloned corpora (project loaded beforehand):")
    print(
        f"{'claims':>9} {'wall s':>8} {'cpu s':>8} {'us/claim':>9} {'x smallest':>10} "
        f"{'per claim':>9}  findings"
    )
    first: tuple[int, float] | None = None
    rows = []
    for count in sizes:
        project = load(count, spread_sources)
        runs = repeat if count <= 30_000 else max(1, repeat // 2)
        found: list[Candidate] = []

        def run(project: Project = project, found: list[Candidate] = found) -> None:
            found[:] = find_candidates(project)

        wall, cpu = timed(run, runs)
        if first is None:
            first = (count, wall)
        per_claim = wall / count * 1e6
        ratio = wall / first[1]
        rows.append((count, wall, cpu, per_claim, ratio, len(found), describe(found)))
        print(
            f"{count:>9,} {wall:>8.2f} {cpu:>8.2f} {per_claim:>9.1f} {ratio:>10.2f} "
            f"{len(found) / count:>9.3f}  {len(found):,} ({describe(found)})"
        )
        if count == sizes[-1]:
            collector_row(project, runs)
            stored_row(project, max(3, runs))
        del project
    if first is not None and len(rows) > 1:
        count, wall = rows[-1][0], rows[-1][1]
        print(
            f"growth {rows[0][0]:,} -> {count:,} claims: x{count / rows[0][0]:.1f} claims, "
            f"x{wall / rows[0][1]:.2f} time (linear would be x{count / rows[0][0]:.1f})"
        )


def collector_row(project: Project, runs: int) -> None:
    """The same run with the collector paused (the default) and running, in alternating
    runs (medians): one run of each, one after the other, once showed the paused run
    slower, where three alternating runs gave it a third less CPU."""
    claims = list(project.iter_claims())
    published = {key: record.source.published for key, record in project.sources.items()}
    views = {key: record.source.view for key, record in project.sources.items()}
    lexicon = project.settings.lexicon
    timings: dict[bool, list[tuple[float, float]]] = {True: [], False: []}
    for _ in range(max(3, runs)):
        for pause in (True, False):
            settings = MatchSettings(pause_collector=pause)
            timings[pause].append(
                timed(
                    lambda settings=settings: match_claims(
                        claims, published, views=views, lexicon=lexicon, settings=settings
                    ),
                    1,
                )
            )
    row = []
    for pause, samples in timings.items():
        wall = statistics.median(sample[0] for sample in samples)
        cpu = statistics.median(sample[1] for sample in samples)
        row.append(
            f"collector {'paused' if pause else 'running'}: {wall:.2f} s wall, {cpu:.2f} s cpu"
        )
    paused_cpu = statistics.median(sample[1] for sample in timings[True])
    running_cpu = statistics.median(sample[1] for sample in timings[False])
    print(
        f"  {len(claims):,} claims, {max(3, runs)} alternating runs each (medians): "
        + "; ".join(row)
        + f"; paused x{running_cpu / paused_cpu:.2f} cpu"
    )


def stored_row(project: Project, runs: int) -> None:
    """`find_candidates` with each claim's frame from the load index's rows (the default,
    `workbench.matching.stored`) and read from the claims, in alternating runs: the row
    that keeps the stored frames.  Reading frames (facts included) is timed apart."""
    timings: dict[bool, list[tuple[float, float, float, float]]] = {True: [], False: []}
    for _ in range(runs):
        for stored in (True, False):
            wall, cpu = time.perf_counter(), time.process_time()
            prepared = project_frames(project, stored=stored)
            read_wall, read_cpu = time.perf_counter() - wall, time.process_time() - cpu
            list(iter_match_frames(prepared))
            total_wall, total_cpu = time.perf_counter() - wall, time.process_time() - cpu
            timings[stored].append((read_wall, read_cpu, total_wall, total_cpu))
            del prepared
    medians = {
        stored: [statistics.median(run[column] for run in found) for column in range(4)]
        for stored, found in timings.items()
    }
    print(f"  stored frames, {runs} alternating runs each (medians, seconds wall / cpu):")
    for stored, label in ((True, "rows used (default)"), (False, "rows unused")):
        read_wall, read_cpu, total_wall, total_cpu = medians[stored]
        print(
            f"    {label:<20} frames {read_wall:6.2f} / {read_cpu:6.2f}   "
            f"frames + matching {total_wall:6.2f} / {total_cpu:6.2f}"
        )
    used, unused = medians[True], medians[False]
    print(
        f"    gain: frames x{unused[1] / used[1]:.2f} cpu (x{unused[0] / used[0]:.2f} wall), "
        f"frames + matching x{unused[3] / used[3]:.2f} cpu (x{unused[2] / used[2]:.2f} wall)"
    )


_MEASURED = (
    "import os, resource, runpy, sys\n"
    "without = os.environ.get('BENCH_MATCHING_WITHOUT', '')\n"
    "if without == 'stored':\n"
    "    import workbench.matching.stored as stored\n"
    "    read = stored.project_frames\n"
    "    stored.project_frames = lambda project, **options: read(\n"
    "        project, **{**options, 'stored': False}\n"
    "    )\n"
    "if without == 'collector':\n"
    "    import contextlib\n"
    "    import workbench.matching.engine as engine\n"
    "    import workbench.matching.facts as facts\n"
    "    import workbench.matching.stored as stored\n"
    "    for module in (facts, engine, stored):\n"
    "        module.collector_paused = lambda pause=True: contextlib.nullcontext()\n"
    "sys.argv = ['workbench', *sys.argv[1:]]\n"
    "try:\n"
    "    runpy.run_module('workbench', run_name='__main__')\n"
    "finally:\n"
    "    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
    "    try:\n"
    "        with open('/proc/self/status') as status:\n"
    "            for line in status:\n"
    "                if line.startswith('VmHWM:'):\n"
    "                    peak = int(line.split()[1])\n"
    "    except OSError:\n"
    "        pass\n"
    "    print(f'peak-kib {peak}', file=sys.stderr)\n"
    "    usage = resource.getrusage(resource.RUSAGE_SELF)\n"
    "    print(f'cpu-s {usage.ru_utime + usage.ru_stime:.2f}', file=sys.stderr)\n"
)
"""`python -m workbench ...` that reports its own peak resident memory on exit (VmHWM
where there is /proc: `ru_maxrss` of a forked child counts the bench's own memory), and
its CPU seconds: a wall time well above them is a busy machine or waiting on the disk."""


_WITHOUT = {
    "": "default",
    "stored": "without stored frames",
    "collector": "with the collector running (matching and the command pause it)",
}
"""The CLI variants the bench times (`BENCH_MATCHING_WITHOUT`, read by `_MEASURED`)."""


def _cli_once(command: list[str], environment: dict[str, str]) -> tuple[float, ...]:
    """One measured `workbench conflicts`: wall, cpu, peak MiB (1,048,576 bytes) and candidates."""
    import subprocess

    started = time.perf_counter()
    done = subprocess.run(command, env=environment, capture_output=True, text=True, check=False)
    wall = time.perf_counter() - started
    lines = done.stderr.splitlines()

    def last(prefix: str, scale: float = 1.0) -> float:
        found = [line for line in lines if line.startswith(prefix)]
        return float(found[-1].split()[1]) / scale if found else float("nan")

    found = len(json.loads(done.stdout)) if done.stdout.strip() else 0
    return (
        wall,
        last("cpu-s "),
        last("peak-kib ", 1024),
        float(found),
    )


def cli_runs(sizes: Sequence[int], repeat: int, spread_sources: bool, first_runs: int = 0) -> None:
    """`workbench conflicts` as a user runs it: a fresh process, a warm claim cache; at
    the largest size also without each of the engine's mechanisms, in alternating runs
    (medians of `repeat`)."""
    import subprocess
    import tempfile

    print("workbench conflicts --format json --lexical-only, fresh process, warm claim cache")
    print(f"(medians of {repeat} runs, variants alternating):")
    print(
        f"{'claims':>9} {'wall s':>8} {'cpu s':>8} {'peak MiB':>8} "
        f"{'per claim':>9} {'candidates':>10}  variant"
    )
    with tempfile.TemporaryDirectory() as cache:
        for count in sizes:
            root = make_corpus(count, spread_sources=spread_sources)
            command = [sys.executable, "-c", _MEASURED, "conflicts", "--root", str(root)]
            command += ["--format", "json", "--lexical-only"]  # bench_semantic has the other
            variants = list(_WITHOUT) if count == sizes[-1] else [""]
            runs: dict[str, list[tuple[float, ...]]] = {variant: [] for variant in variants}
            for variant in variants:  # warm: the load index and its frame rows written
                environment = {
                    **os.environ,
                    "WORKBENCH_CACHE_DIR": cache,
                    "BENCH_MATCHING_WITHOUT": variant,
                }
                subprocess.run(command, env=environment, capture_output=True, check=False)
            references: list[float] = []
            for _ in range(repeat):
                for variant in variants:
                    environment = {
                        **os.environ,
                        "WORKBENCH_CACHE_DIR": cache,
                        "BENCH_MATCHING_WITHOUT": variant,
                    }
                    runs[variant].append(_cli_once(command, environment))
                if count == sizes[-1]:
                    references.append(seconds_in_fresh_process())
            default_wall = statistics.median(run[0] for run in runs[""])
            default_cpu = statistics.median(run[1] for run in runs[""])
            for variant in variants:
                wall, cpu, peak, found = (
                    statistics.median(run[column] for run in runs[variant]) for column in range(4)
                )
                ratio = (
                    f": the default is x{wall / default_wall:.2f} faster "
                    f"(x{cpu / default_cpu:.2f} cpu)"
                    if variant
                    else ""
                )
                print(_cli_row(count, wall, cpu, peak, found, _WITHOUT[variant] + ratio))
            if references:
                reference = statistics.median(references)
                print(
                    f"  reference: {reference:.2f} s for the fixed pure-Python workload of "
                    f"`bench/reference.py` (a fresh process, alternating with the runs above); "
                    f"the default took {default_wall / reference:.2f} times as long"
                )
            if first_runs and count == sizes[-1]:
                _first_runs(command, count, first_runs)


def _first_runs(command: list[str], count: int, repeat: int) -> None:
    """The command's first run on the project, with an empty claim cache (every file
    read, and its rows and frame rows written), against the claim cache off (every file
    read, nothing written), in alternating runs: what filling the cache costs once."""
    import tempfile

    runs: dict[str, list[tuple[float, ...]]] = {"first": [], "off": []}
    for _ in range(repeat):
        with tempfile.TemporaryDirectory() as empty:
            first = {**os.environ, "WORKBENCH_CACHE_DIR": empty, "BENCH_MATCHING_WITHOUT": ""}
            runs["first"].append(_cli_once(command, first))
        off = {**os.environ, "WORKBENCH_CACHE_DIR": "off", "BENCH_MATCHING_WITHOUT": ""}
        runs["off"].append(_cli_once(command, off))
    medians = {
        name: [statistics.median(run[column] for run in found) for column in range(4)]
        for name, found in runs.items()
    }
    labels = {
        "first": "first run: an empty claim cache (every file read, its rows written)",
        "off": "the claim cache off (every file read, nothing written)",
    }
    print(f"first runs (medians of {repeat}, alternating):")
    for name, (wall, cpu, peak, found) in medians.items():
        ratio = (
            f": the first run takes x{medians['first'][0] / wall:.2f} as long"
            if name == "off"
            else ""
        )
        print(_cli_row(count, wall, cpu, peak, found, labels[name] + ratio))


def _cli_row(count: int, wall: float, cpu: float, peak: float, found: float, label: str) -> str:
    """One row of the CLI table: claims, wall and CPU seconds, peak MiB, candidates a
    claim and in all, and what the row is."""
    return (
        f"{count:>9,} {wall:>8.2f} {cpu:>8.2f} {peak:>8.0f} "
        f"{found / count:>9.3f} {int(found):>10,}  {label}"
    )


def cdist_baseline(count: int, spread_sources: bool) -> float:
    from rapidfuzz import fuzz, process

    project = load_project(make_corpus(count, spread_sources=spread_sources))
    statements = [claim.statement for claim in project.iter_claims()]
    seconds = median_seconds(lambda: process.cdist(statements, statements, scorer=fuzz.ratio), 1)
    print(
        f"baseline: rapidfuzz.process.cdist(fuzz.ratio) over all {count:,} x {count:,} "
        f"statements: {seconds:.2f} s (scores only; nothing compared but the text)"
    )
    return seconds


def overlap(sample_size: int, corpus_size: int, spread_sources: bool) -> None:
    project = load_project(make_corpus(corpus_size, spread_sources=spread_sources))
    claims: list[Claim] = list(project.iter_claims())
    sample = random.Random(20250224).sample(claims, min(sample_size, len(claims)))
    published = {key: record.source.published for key, record in project.sources.items()}
    blocked: list[Candidate] = []
    exhaustive: list[Candidate] = []

    def run_blocked() -> None:
        blocked[:] = match_claims(sample, published)

    def run_exhaustive() -> None:
        exhaustive[:] = match_claims(sample, published, exhaustive=True)

    blocked_wall, _ = timed(run_blocked, 3)
    exhaustive_wall, _ = timed(run_exhaustive, 1)
    pairs = len(sample) * (len(sample) - 1) // 2

    def keyed(found: Sequence[Candidate]) -> set[tuple[str, str, str, str]]:
        return {(c.first, c.second, c.kind, c.suggested_relation) for c in found}

    every, kept = keyed(exhaustive), keyed(blocked)
    common = every & kept
    share = len(common) / len(every) if every else 1.0
    print(
        f"overlap on a random sample of {len(sample):,} claims from the {corpus_size:,} corpus "
        f"({pairs:,} pairs):"
    )
    print(f"  all pairs scored (exhaustive=True): {exhaustive_wall:.2f} s, {len(every):,} findings")
    print(f"  blocked (the default):              {blocked_wall:.2f} s, {len(kept):,} findings")
    print(
        f"  overlap: {len(common):,}/{len(every):,} = {share:.1%} of the all-pairs findings "
        f"(same pair, kind and relation); blocking found {len(kept - every)} that all-pairs did not"
    )
    bands = []
    for floor in (0.4, 0.5, 0.6):
        top = {
            (c.first, c.second, c.kind, c.suggested_relation)
            for c in exhaustive
            if c.score >= floor
        }
        if top:
            bands.append(f"score >= {floor}: {len(top & kept) / len(top):.1%} of {len(top):,}")
    print("  overlap among the stronger findings: " + "; ".join(bands))
    missed = sorted(every - kept)
    if missed:
        print("  missed by blocking, e.g.: " + "; ".join(" ".join(m) for m in missed[:3]))
    scores = {(c.first, c.second, c.kind): c.score for c in exhaustive}
    if missed:
        lost = sorted(scores[(m[0], m[1], m[2])] for m in missed)
        middle = statistics.median(lost)
        print(f"  scores of the missed findings: median {middle:.3f}, max {lost[-1]:.3f}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("sizes", nargs="*", type=int, default=list(DEFAULT_SIZES))
    parser.add_argument("--repeat", type=int, default=3, help="runs per size (median)")
    parser.add_argument(
        "--sample",
        type=int,
        nargs="*",
        default=[400, 800],
        help="claims in each all-pairs overlap sample",
    )
    parser.add_argument("--no-baseline", action="store_true", help="skip the cdist baseline")
    parser.add_argument("--cli", action="store_true", help="also time `workbench conflicts`")
    parser.add_argument(
        "--cli-repeat", type=int, default=3, help="runs of each `workbench conflicts` (median)"
    )
    parser.add_argument(
        "--first-runs",
        type=int,
        default=0,
        metavar="N",
        help="with --cli, also time N first runs at the largest size (an empty claim "
        "cache) against N with the cache off",
    )
    parser.add_argument(
        "--spread-sources",
        action="store_true",
        help="each clone group cites its own copies of the sources (thousands of articles "
        "at 100,000 claims) instead of all clones sharing the five bundled ones",
    )
    arguments = parser.parse_args(argv)
    sizes = sorted(arguments.sizes)
    spread = arguments.spread_sources
    load_average = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"{os.cpu_count()} CPUs, load average {load_average:.2f} at start")
    shape = "each clone group its own sources" if spread else "the five bundled sources"
    print(f"corpus: the bundled claims cloned, {shape}")
    engine_runs(sizes, arguments.repeat, spread)
    if arguments.cli:
        cli_runs(sizes, arguments.cli_repeat, spread, arguments.first_runs)
    if not arguments.no_baseline:
        baseline = cdist_baseline(sizes[0], spread)
        project = load_project(make_corpus(sizes[0], spread_sources=spread))
        engine = median_seconds(lambda: find_candidates(project), arguments.repeat)
        print(
            f"engine on the same {sizes[0]:,} claims: {engine:.2f} s, "
            f"{baseline / engine:.1f}x faster than the cdist baseline"
        )
    for sample in arguments.sample:
        overlap(sample, sizes[0], spread)
    if hasattr(os, "getloadavg"):
        print(f"load average {os.getloadavg()[0]:.2f} at the end")
    return 0


if __name__ == "__main__":
    sys.exit(main())
