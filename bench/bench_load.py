"""Loading, `stats` and `check` speed: the load index against its absence and baselines.

    python -m bench.bench_load                    # 10,000 claims
    python -m bench.bench_load 1000 30000         # other sizes
    python -m bench.bench_load 10000 --old-tree /work/main   # also time an older tree
    python -m bench.bench_load 100000 --warm-only --repeat 3 # warm start and `stats` only

Every figure is a median of runs, each in a fresh interpreter (as a command or
the app starts), with the claim files and the index paged in first.  Rows:

* baselines: a bare `tomllib.load` loop over the claim files, and the same loop
  with `Claim.model_validate` (what the simplest loader would do);
* `load_project` cold (no index: `WORKBENCH_CACHE_DIR=off`) and cold filling an
  empty index (the cost of writing every row);
* warm: `load_project` through the index, plus what `workbench stats` needs
  (counts from the summaries), against the same with the index off: the index
  must pay for itself here;
* warm after touching one file (its ctime changes: one row rewritten) against
  untouched: one changed file must cost one row, not the whole index;
* every deferred model built (`materialise`, what `check` and exports need);
* `check_project` cold against the bare `tomllib` loop, and `workbench check`
  as a whole process;
* `memory.gc_paused` (the collector paused around loading, building models
  and checking) against the collector running, measured in this run: it stays
  only while these rows show a clear gain.

`--old-tree DIR` also times `workbench check` cold from another source tree
(an older release): with its fork (default) and `WORKBENCH_WORKERS=1`.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from bench.corpus import make_corpus

BENCH_ROOT = Path(__file__).resolve().parent.parent

_TIMED = """
import sys, time
from pathlib import Path
root, how = Path(sys.argv[1]), sys.argv[2]
import workbench.memory
workbench.memory.PAUSE = not how.endswith("+gc-running")  # `gc_paused`, or its absence
how = how.removesuffix("+gc-running")


if how in ("tomllib", "tomllib+validate"):
    import tomllib
    from workbench.models import Claim
    paths = sorted((root / "claims").glob("*.toml"))
    start, cpu = time.perf_counter(), time.process_time()
    for path in paths:
        with path.open("rb") as handle:
            data = tomllib.load(handle)
        if how == "tomllib+validate":
            Claim.model_validate(data)
else:
    from workbench.project import load_project
    from workbench.stats import compute_stats
    start, cpu = time.perf_counter(), time.process_time()
    project = load_project(root)
    if how == "stats":
        compute_stats(project)
    elif how == "materialise":
        project.materialise()
    elif how == "check":
        from workbench.checks import check_project
        check_project(project)
print(time.perf_counter() - start, time.process_time() - cpu)
"""


def page_in(root: Path) -> None:
    """Read the claim files and the index, so that they are in the page cache, as
    after any recent use of the project (a cold disk would measure the disk)."""
    files = [*(root / "claims").rglob("*.toml")]
    cache_dir = os.environ.get("WORKBENCH_CACHE_DIR", "")
    if cache_dir and Path(cache_dir).is_dir():
        files.extend(path for path in Path(cache_dir).iterdir() if path.is_file())
    for path in files:
        with path.open("rb") as handle:
            while handle.read(1 << 20):
                pass


Timing = tuple[float, float]
"""Seconds of wall time and of CPU time (this machine is shared: CPU time is the
steadier figure when other work runs beside the benchmark)."""


def timed(root: Path, how: str, cache: str, *, tree: Path = BENCH_ROOT) -> Timing:
    """Seconds one run of `how` takes in a new interpreter with `WORKBENCH_CACHE_DIR=cache`."""
    environment = {**os.environ, "WORKBENCH_CACHE_DIR": cache, "PYTHONPATH": str(tree)}
    os.environ["WORKBENCH_CACHE_DIR"] = cache
    page_in(root)
    result = subprocess.run(
        [sys.executable, "-c", _TIMED, str(root), how],
        check=True,
        capture_output=True,
        text=True,
        cwd=tree,
        env=environment,
    )
    wall, cpu = result.stdout.strip().splitlines()[-1].split()
    return float(wall), float(cpu)


def whole_command(
    root: Path, command: str, cache: str, *, tree: Path = BENCH_ROOT, **env: str
) -> Timing:
    """Seconds `workbench <command>` takes as a whole process (start-up included)."""
    environment = {**os.environ, "WORKBENCH_CACHE_DIR": cache, "PYTHONPATH": str(tree), **env}
    os.environ["WORKBENCH_CACHE_DIR"] = cache
    page_in(root)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "workbench", command, "--root", str(root)],
        check=False,
        capture_output=True,
        cwd=tree,
        env=environment,
    )
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    return wall, cpu


def median_of(function: Callable[[], Timing], repeat: int) -> Timing:
    runs = [function() for _ in range(repeat)]
    return statistics.median(wall for wall, _ in runs), statistics.median(cpu for _, cpu in runs)


def alternating(
    first: Callable[[], Timing], second: Callable[[], Timing], repeat: int
) -> tuple[Timing, Timing]:
    """Medians of two timings taken in turns, so that a busy moment hits both."""
    a: list[Timing] = []
    b: list[Timing] = []
    for _ in range(repeat):
        a.append(first())
        b.append(second())
    return median_of(iter(a).__next__, repeat), median_of(iter(b).__next__, repeat)


def row(label: str, timing: Timing, baseline: Timing | None = None, note: str = "") -> None:
    wall, cpu = timing
    ratio = f"  {wall / baseline[0]:5.2f}x {cpu / baseline[1]:5.2f}x" if baseline else " " * 14
    print(f"  {label:<50} {wall:7.3f} s {cpu:7.3f} s{ratio}  {note}".rstrip())


def run(count: int, repeat: int, old_tree: Path | None, *, warm_only: bool = False) -> None:
    root = make_corpus(count)
    cache = tempfile.mkdtemp(prefix="wb-bench-index-")
    try:
        print(f"\n== {count:,} claims ({root.name}); medians of {repeat}, fresh interpreters")
        print(f"  {'':<50} {'wall':>9} {'CPU':>9}  ratios (wall, CPU) against the baseline")
        if warm_only:
            timed(root, "load", cache)  # fill the index
        else:
            bare = median_of(lambda: timed(root, "tomllib", "off"), repeat)
            row("baseline: bare tomllib.load loop", bare)
            naive = median_of(lambda: timed(root, "tomllib+validate", "off"), repeat)
            row("baseline: tomllib.load + Claim.model_validate loop", naive)

            cold = median_of(lambda: timed(root, "load", "off"), repeat)
            row("load_project cold, index off", cold, naive)

            def filling() -> Timing:
                shutil.rmtree(cache, ignore_errors=True)
                return timed(root, "load", cache)

            fill = median_of(filling, repeat)
            row("load_project cold, filling an empty index", fill, cold, "vs index off")

        timed(root, "load", cache)  # settle the racy window's rows
        time.sleep(2.1)
        timed(root, "load", cache)
        off, warm = alternating(
            lambda: timed(root, "stats", "off"), lambda: timed(root, "stats", cache), repeat
        )
        row("load_project + stats counts, index off", off)
        row("load_project + stats counts, warm index", warm, off, "vs index off")

        victim = sorted((root / "claims").glob("*.toml"))[count // 2]

        def touched() -> Timing:
            os.utime(victim)  # ctime changes: one row to rewrite
            return timed(root, "load", cache)

        untouched, one = alternating(lambda: timed(root, "load", cache), touched, repeat)
        row("load_project warm, nothing changed", untouched)
        row("load_project warm, one file touched (one row)", one, untouched, "vs untouched")
        timed(root, "load", cache)
        if warm_only:
            stats_off, stats_warm = alternating(
                lambda: whole_command(root, "stats", "off"),
                lambda: whole_command(root, "stats", cache),
                repeat,
            )
            row("`workbench stats`, whole process, index off", stats_off)
            row("`workbench stats`, whole process, warm index", stats_warm, stats_off, "vs off")
            if old_tree is not None:
                old_cache = tempfile.mkdtemp(prefix="wb-bench-old-cache-")
                try:
                    whole_command(root, "stats", old_cache, tree=old_tree)  # fill its cache
                    time.sleep(2.1)
                    whole_command(root, "stats", old_cache, tree=old_tree)
                    old, new = alternating(
                        lambda: whole_command(root, "stats", old_cache, tree=old_tree),
                        lambda: whole_command(root, "stats", cache),
                        repeat,
                    )
                finally:
                    shutil.rmtree(old_cache, ignore_errors=True)
                row(f"{old_tree}: `workbench stats`, warm (its cache)", old)
                row("this tree: `workbench stats`, warm index", new, old, "vs the old tree")
            return

        materialise = median_of(lambda: timed(root, "materialise", cache), repeat)
        row("load_project warm + every model built", materialise, naive)

        check_cold = median_of(lambda: timed(root, "check", "off"), repeat)
        row("check_project cold (load + check), index off", check_cold, bare, "vs bare tomllib")

        def check_filling() -> Timing:
            shutil.rmtree(cache, ignore_errors=True)
            return timed(root, "check", cache)

        check_fill = median_of(check_filling, repeat)
        row("check_project cold, filling an empty index", check_fill, bare, "vs bare tomllib")
        timed(root, "load", cache)
        time.sleep(2.1)  # past the racy window, as after any pause
        check_warm = median_of(lambda: timed(root, "check", cache), repeat)

        row("check_project warm", check_warm, bare, "vs bare tomllib")

        plain, paused = alternating(
            lambda: timed(root, "load+gc-running", "off"),
            lambda: timed(root, "load", "off"),
            repeat,
        )
        row("gc: load_project cold, collector running", plain)
        row("gc: load_project cold, gc_paused (as shipped)", paused, plain, "vs running")
        plain, paused = alternating(
            lambda: timed(root, "materialise+gc-running", cache),
            lambda: timed(root, "materialise", cache),
            repeat,
        )
        row("gc: warm + every model, collector running", plain)
        row("gc: warm + every model, gc_paused (as shipped)", paused, plain, "vs running")
        plain, paused = alternating(
            lambda: timed(root, "check+gc-running", "off"),
            lambda: timed(root, "check", "off"),
            repeat,
        )
        row("gc: check_project cold, collector running", plain)
        row("gc: check_project cold, gc_paused (as shipped)", paused, plain, "vs running")

        process_repeat = max(3, repeat // 2)
        whole = median_of(lambda: whole_command(root, "check", "off"), process_repeat)
        row("`workbench check` cold, whole process", whole, bare, "vs bare tomllib")
        stats_off, stats_warm = alternating(
            lambda: whole_command(root, "stats", "off"),
            lambda: whole_command(root, "stats", cache),
            process_repeat,
        )
        row("`workbench stats`, whole process, index off", stats_off)
        row("`workbench stats`, whole process, warm index", stats_warm, stats_off, "vs off")
        if old_tree is not None:
            forked, single = alternating(
                lambda: whole_command(root, "check", "off", tree=old_tree),
                lambda: whole_command(root, "check", "off", tree=old_tree, WORKBENCH_WORKERS="1"),
                process_repeat,
            )
            row(f"{old_tree}: `workbench check` cold, fork", forked, whole, "vs this tree")
            row(f"{old_tree}: `workbench check` cold, one process", single, whole, "vs this tree")
        size = sum(path.stat().st_size for path in Path(cache).iterdir() if path.is_file())
        claims_size = sum(path.stat().st_size for path in (root / "claims").glob("*.toml"))
        print(
            f"  index {size / 2**20:.1f} MiB for {claims_size / 2**20:.1f} MiB of claim files "
            f"({size / claims_size:.1f}x)"
        )
    finally:
        os.environ["WORKBENCH_CACHE_DIR"] = "off"
        shutil.rmtree(cache, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sizes", nargs="*", type=int, default=[10_000])
    parser.add_argument("--repeat", type=int, default=5, help="runs per figure (median)")
    parser.add_argument("--old-tree", type=Path, help="also time `check` from this tree")
    parser.add_argument(
        "--warm-only", action="store_true", help="only the warm rows (for 100,000 claims)"
    )
    arguments = parser.parse_args()
    print(f"Python {sys.version.split()[0]}, {os.cpu_count()} CPUs")
    for size in arguments.sizes:
        run(size, arguments.repeat, arguments.old_tree, warm_only=arguments.warm_only)


if __name__ == "__main__":
    main()
