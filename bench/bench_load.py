"""Load-and-validate and `workbench check` speed, against the naive baseline.

    python -m bench.bench_load            # 10,000 and 100,000 claims
    python -m bench.bench_load 10000      # one size

Cold means no claim cache (a fresh checkout); warm means nothing changed since
the last load.  Either way the files are in the page cache, as after any recent
use (a first start after a reboot also waits for the disk).  A warm load
defers building each claim's model until it is used (the claims list needs
only summaries); "+ every model" times building them all too, as `workbench
check` does.  Loads are timed in a fresh interpreter each, as a command or the
app starts.  The baseline is the obvious loop of `tomllib.load` and
`Claim.model_validate` in the same run, so the ratio holds on any machine.
The floor is what no cold load can beat on the machine at hand: parsing and
validating texts already in memory, in one process and split over two.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
import tomllib
from collections.abc import Callable
from pathlib import Path

import toml_rs

from bench.corpus import make_corpus, median_seconds
from workbench.memory import gc_paused
from workbench.models import Claim


def naive_load(root: Path) -> int:
    count = 0
    for path in sorted((root / "claims").glob("*.toml")):
        with path.open("rb") as handle:
            Claim.model_validate(tomllib.load(handle))
        count += 1
    return count


def claim_texts(root: Path) -> list[str]:
    return [path.read_text(encoding="utf-8") for path in sorted((root / "claims").glob("*.toml"))]


def parse_only(texts: list[str], loads: Callable[[str], object]) -> None:
    """Parsing alone, texts already in memory, collector paused as the loader does."""
    with gc_paused():
        for text in texts:
            loads(text)


def _toml_rs_1_0(text: str) -> object:
    return toml_rs.loads(text, toml_version="1.0.0")


def check_command(root: Path) -> float:
    """Seconds `workbench check` takes as a whole process, files paged in first."""
    page_in(root)
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "workbench", "check", "--root", str(root)],
        check=False,
        capture_output=True,
    )
    return time.perf_counter() - started


_TIMED_LOAD = """
import sys, time
from pathlib import Path
root, how = Path(sys.argv[1]), sys.argv[2]
if how == "baseline":
    from bench.bench_load import naive_load
    start = time.perf_counter()
    naive_load(root)
else:
    from workbench.project import load_project
    start = time.perf_counter()
    project = load_project(root, use_cache=how != "cold")
    if how == "warm-all":
        project.materialise()
print(time.perf_counter() - start)
"""

_TIMED_FLOOR = """
import gc, os, sys, time
from pathlib import Path
import toml_rs
from workbench.models import Claim
root, processes = Path(sys.argv[1]), int(sys.argv[2])
texts = [path.read_text(encoding="utf-8") for path in sorted((root / "claims").glob("*.toml"))]
gc.freeze()
gc.disable()
def work(share):
    return [Claim.model_validate(toml_rs.loads(text, toml_version="1.0.0")) for text in share]
start = time.perf_counter()
if processes == 1:
    work(texts)
else:
    half = len(texts) // 2
    child = os.fork()
    if child == 0:
        work(texts[half:])
        os._exit(0)
    work(texts[:half])
    os.waitpid(child, 0)
print(time.perf_counter() - start)
"""


def page_in(root: Path) -> None:
    """Read every claim file and the claim cache, so that they are in the page cache.

    As after any recent use of the project.  This machine's memory reclaim
    (kdamond) drops idle file pages within minutes, and a load that then waits
    for the disk measured the disk: the same cold load took 4.3-7.1 s.
    """
    files = [*(root / "claims").rglob("*.toml")]
    cache_dir = os.environ.get("WORKBENCH_CACHE_DIR", "")
    if cache_dir and Path(cache_dir).is_dir():
        files.extend(Path(cache_dir).iterdir())
    for path in files:
        with path.open("rb") as handle:
            while handle.read(1 << 20):
                pass


def load_in_fresh_process(root: Path, how: str) -> float:
    """Seconds one load takes in a new interpreter, as each command and app start is.

    Timing repeated loads in one process measured the previous result being
    freed and a grown heap being forked, not what a user waits for.  The files
    are paged in first (see `page_in`).
    """
    page_in(root)
    result = subprocess.run(
        [sys.executable, "-c", _TIMED_LOAD, str(root), how],
        check=True,
        capture_output=True,
        text=True,
        cwd=Path(__file__).resolve().parent.parent,
    )
    return float(result.stdout.strip().splitlines()[-1])


def floor_in_fresh_process(root: Path, processes: int) -> float:
    """Seconds the least work a cold load must do takes: parse and validate.

    The texts are read before the clock starts, and with two processes each
    validates half and sends nothing back: no file reads, hashing, Unicode
    checks or results to hand over.  A cold load cannot beat this, so it says
    what a cold-load target asks of the machine.
    """
    result = subprocess.run(
        [sys.executable, "-c", _TIMED_FLOOR, str(root), str(processes)],
        check=True,
        capture_output=True,
        text=True,
        cwd=Path(__file__).resolve().parent.parent,
    )
    return float(result.stdout.strip().splitlines()[-1])


def median_of(function: Callable[[], float], repeat: int) -> float:
    return statistics.median(function() for _ in range(repeat))


def run(count: int) -> None:
    root = make_corpus(count)
    repeat = 5 if count <= 10_000 else 3
    cache_dir = tempfile.mkdtemp(prefix="wb-bench-cache-")
    os.environ["WORKBENCH_CACHE_DIR"] = cache_dir
    print(f"\n== {count:,} claims ({root.name}); each load timed in a fresh interpreter")
    baseline = median_of(lambda: load_in_fresh_process(root, "baseline"), repeat)
    print(f"  baseline tomllib + model_validate loop   {baseline:7.3f} s   1.00x")
    texts = claim_texts(root)
    tomllib_parse = median_seconds(lambda: parse_only(texts, tomllib.loads), repeat)
    toml_rs_parse = median_seconds(lambda: parse_only(texts, _toml_rs_1_0), repeat)
    print(
        f"  parse only: tomllib {tomllib_parse:.3f} s, toml_rs {toml_rs_parse:.3f} s "
        f"({tomllib_parse / toml_rs_parse:.1f}x faster)"
    )
    try:
        import rtoml  # type: ignore[import-not-found]  # the reader used before toml_rs
    except ImportError:
        pass
    else:
        rtoml_parse = median_seconds(lambda: parse_only(texts, rtoml.loads), repeat)
        print(
            f"  parse only: rtoml {rtoml_parse:.3f} s "
            f"(toml_rs {rtoml_parse / toml_rs_parse:.1f}x faster)"
        )
    texts.clear()  # free the memory before the timed loads
    floor_one = median_of(lambda: floor_in_fresh_process(root, 1), repeat)
    floor_two = median_of(lambda: floor_in_fresh_process(root, 2), repeat)
    print(
        f"  floor: parse + validate, texts in memory: one process {floor_one:.3f} s, "
        f"two {floor_two:.3f} s ({floor_one / floor_two:.2f}x)"
    )
    cold = median_of(lambda: load_in_fresh_process(root, "cold"), repeat)
    print(
        f"  load_project cold (no cache)             {cold:7.3f} s   {baseline / cold:.2f}x faster"
    )
    load_in_fresh_process(root, "warm")  # fill the cache
    warm = median_of(lambda: load_in_fresh_process(root, "warm"), repeat)
    print(
        f"  load_project warm (cache, nothing new)   {warm:7.3f} s   {baseline / warm:.2f}x faster"
    )
    warm_all = median_of(lambda: load_in_fresh_process(root, "warm-all"), repeat)
    print(
        f"    + every claim's model built            {warm_all:7.3f} s   "
        f"{baseline / warm_all:.2f}x faster"
    )
    if count <= 10_000:
        os.environ["WORKBENCH_CACHE_DIR"] = "off"
        check_cold = median_of(lambda: check_command(root), 3)
        print(f"  `workbench check` cold, whole process     {check_cold:7.3f} s")
        os.environ["WORKBENCH_CACHE_DIR"] = cache_dir
        check_warm = median_of(lambda: check_command(root), 3)
        print(f"  `workbench check` warm, whole process     {check_warm:7.3f} s")


def main() -> None:
    sizes = [int(arg) for arg in sys.argv[1:]] or [10_000, 100_000]
    print(f"Python {sys.version.split()[0]}, {os.cpu_count()} CPUs; medians")
    for size in sizes:
        run(size)


if __name__ == "__main__":
    main()
