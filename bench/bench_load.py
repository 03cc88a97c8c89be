"""Load-and-validate and `workbench check` speed, against the naive baseline.

    python -m bench.bench_load            # 10,000 and 100,000 claims
    python -m bench.bench_load 10000      # one size

Cold means no claim cache (a fresh checkout); warm means nothing changed since
the last load.  The baseline is the obvious loop of `tomllib.load` and
`Claim.model_validate` in the same run, so the ratio holds on any machine.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import tomllib
from pathlib import Path

import rtoml

from bench.corpus import make_corpus, median_seconds
from workbench.models import Claim
from workbench.project import load_project


def naive_load(root: Path) -> int:
    count = 0
    for path in sorted((root / "claims").glob("*.toml")):
        with path.open("rb") as handle:
            Claim.model_validate(tomllib.load(handle))
        count += 1
    return count


def parse_only(root: Path, parse: object) -> None:
    loads = parse  # type: ignore[assignment]
    for path in sorted((root / "claims").glob("*.toml")):
        loads(path.read_text(encoding="utf-8"))  # type: ignore[operator]


def check_command(root: Path) -> None:
    subprocess.run(
        [sys.executable, "-m", "workbench", "check", "--root", str(root)],
        check=False,
        capture_output=True,
    )


def run(count: int) -> None:
    root = make_corpus(count)
    repeat = 5 if count <= 10_000 else 3
    cache_dir = tempfile.mkdtemp(prefix="wb-bench-cache-")
    os.environ["WORKBENCH_CACHE_DIR"] = cache_dir
    print(f"\n== {count:,} claims ({root.name})")
    baseline = median_seconds(lambda: naive_load(root), repeat)
    print(f"  baseline tomllib + model_validate loop   {baseline:7.3f} s   1.00x")
    tomllib_parse = median_seconds(lambda: parse_only(root, tomllib.loads), repeat)
    rtoml_parse = median_seconds(lambda: parse_only(root, rtoml.loads), repeat)
    print(
        f"  parse only: tomllib {tomllib_parse:.3f} s, rtoml {rtoml_parse:.3f} s "
        f"({tomllib_parse / rtoml_parse:.1f}x faster)"
    )
    cold = median_seconds(lambda: load_project(root, use_cache=False), repeat)
    print(
        f"  load_project cold (no cache)             {cold:7.3f} s   {baseline / cold:.2f}x faster"
    )
    load_project(root)  # fill the cache
    warm = median_seconds(lambda: load_project(root), repeat)
    print(
        f"  load_project warm (cache, nothing new)   {warm:7.3f} s   {baseline / warm:.2f}x faster"
    )
    if count <= 10_000:
        os.environ["WORKBENCH_CACHE_DIR"] = "off"
        check_cold = median_seconds(lambda: check_command(root), 3)
        print(f"  `workbench check` cold, whole process     {check_cold:7.3f} s")
        os.environ["WORKBENCH_CACHE_DIR"] = cache_dir
        check_warm = median_seconds(lambda: check_command(root), 3)
        print(f"  `workbench check` warm, whole process     {check_warm:7.3f} s")


def main() -> None:
    sizes = [int(arg) for arg in sys.argv[1:]] or [10_000, 100_000]
    print(f"Python {sys.version.split()[0]}, {os.cpu_count()} CPUs; medians")
    for size in sizes:
        run(size)


if __name__ == "__main__":
    main()
