"""The semantic proposer at scale: `workbench conflicts` with warm vectors, and the store.

    python -m bench.bench_semantic                   # 10,000 claims, 3 runs of each
    python -m bench.bench_semantic 100000 --repeat 1 # the issue's size
    python -m bench.bench_semantic 100000 --repeat 1 --spread-sources

Needs the `[semantic]` extra.  For each size the bundled claims are cloned
(`bench.corpus.make_corpus`) and the claim cache is filled, as after any earlier
run.  Figures, medians, each `conflicts` run in a fresh process as a user
starts it (imports, load, matching, printing to /dev/null), with its peak
memory:

* `conflicts` with the semantic proposer and warm vectors, against
  `conflicts --lexical-only` and against the proposer adding its pairs within one
  source that cannot disagree too (`MatchSettings.semantic_within_source`, as
  before) and with 10 neighbours per claim (as before `DEFAULT_TOP_K` became 5), runs
  alternated, with the candidates each gives per claim (the target
  at 100,000 claims: under 15 s with warm vectors); and as shipped with one BLAS
  thread (`OPENBLAS_NUM_THREADS=1`: on a shared machine two threads of the neighbour
  search wait on each other, see `--search-threads`), and with the search in the
  command's own process before the engine (`SEARCH_ALONGSIDE` off, as before: as
  shipped it runs in a second process alongside), the peak of that process shown
  beside the command's own; and `bench/reference.py`, a fixed pure-Python workload,
  alternated with them, with each row's time as a multiple of it (the machine's
  speed changes by the hour; the multiple compares);
* `semantic_similarities` alone in this process, warm (read the store, top-k);
* the engine reading the proposed pairs (numbering, sifting and merging them with
  the blocking's, and their closeness) from their positions against reading them
  by id, as it did (the pairs of ids made from the positions counted in);
* the grouped neighbour search (used above 20,000 claims) at the corpus's size, on
  its vectors and on blended ones (each a blend of two statements' vectors and
  noise, whose neighbourhoods are flatter), as shipped and without each of its
  mechanisms in turn, with the share of the exact neighbours it finds on a sample
  of 2,000 claims, in a child process with one BLAS thread (`--search-threads`;
  `--no-searches` leaves these rows out);
* the store's gain against its absence: encoding every statement, estimated
  from the model's measured rate on a sample of the corpus's statements (all
  of them would take about n / 70 seconds, 24 minutes at 100,000).

Filling the store for a corpus of clones: the bundled statements are encoded
with the real model and each clone gets its original's vector plus a little
seeded noise (renormalised), stored under its own statement's hash, since
encoding 100,000 statements for a benchmark would take the better part of half
an hour.  The warm path reads the store and never calls the model, so what it
costs does not depend on how the vectors were made; the neighbour search sees
groups of near-identical vectors, as a corpus of clones has.

`--spread-sources` runs the same rows on the corpus whose clone groups each cite
their own copies of the sources (`bench.corpus`): by default a clone's nearest
neighbours, its siblings in other groups, share its source, and the pairs within
one source that cannot disagree are left out, which leaves the proposer little
to add; with the sources spread they are in other sources and are all kept, as
in a real corpus of thousands of articles.  The default stays as it was, so that
earlier figures compare.
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from bench.corpus import REPO, make_corpus
from bench.reference import seconds_in_fresh_process
from workbench.matching.engine import DEFAULT_SETTINGS, _pairs, _semantic_pairs
from workbench.matching.scoring import Comparer
from workbench.matching.semantic import (
    BATCH,
    DEFAULT_TOP_K,
    MIN_SIMILARITY,
    SemanticResult,
    _grouped_neighbours,
    claim_vectors,
    semantic_available,
    semantic_similarities,
    shared_encoder,
    store_path,
    text_key,
    write_store,
)
from workbench.matching.stored import project_frames
from workbench.project import load_project

_CLONE_SUFFIX = re.compile(r" \([^()]*, set \d+\)\.$")


def fill_store(root: Path) -> int:
    """Write warm vectors for every statement of the corpus; returns how many."""
    encoder = shared_encoder()
    project = load_project(root)
    statements = [record.summary.statement for record in project.claims.values()]
    originals = sorted({_CLONE_SUFFIX.sub(".", statement) for statement in statements})
    encoded = encoder.encode(originals)
    vector_of = dict(zip(originals, encoded, strict=True))
    generator = np.random.default_rng(0)
    keys: list[bytes] = []
    rows = np.empty((len(statements), encoder.dimension), dtype=np.float32)
    for row, statement in enumerate(statements):
        base = vector_of[_CLONE_SUFFIX.sub(".", statement)]
        noisy = base + 0.03 * generator.standard_normal(encoder.dimension).astype(np.float32)
        rows[row] = noisy / np.linalg.norm(noisy)
        keys.append(text_key(statement))
    path = store_path(root, encoder.identity)
    assert path is not None, "the store needs a cache folder (WORKBENCH_CACHE_DIR is off)"
    write_store(path, encoder.identity, keys, rows)
    return len(keys)


def blended_vectors(base: Any, count: int) -> Any:
    """`count` unit vectors, each a blend of two of `base` (weights 0.5-1 and 0-0.6) and
    noise: neighbourhoods flatter and less grouped than the clones' (a claim's tenth
    nearest is nearly as close as its first), where a grouped search misses most."""
    generator = np.random.default_rng(7)
    first = base[generator.integers(0, len(base), count)]
    second = base[generator.integers(0, len(base), count)]
    rows = (
        generator.uniform(0.5, 1.0, (count, 1)) * first
        + generator.uniform(0.0, 0.6, (count, 1)) * second
        + generator.standard_normal((count, base.shape[1])) * (0.9 / np.sqrt(base.shape[1]))
    )
    rows /= np.linalg.norm(rows, axis=1, keepdims=True)
    return rows.astype(np.float16).astype(np.float32)  # as the store keeps them


SEARCHES: dict[str, dict[str, Any]] = {
    "grouped, as shipped": {},
    "without both-ways products": {"both_ways": False},
    "without skipping rows": {"skip_rows": False},
    "k-means in all 512 dimensions": {"coarse_dimensions": None},
    "none of the three (the search before)": {
        "both_ways": False,
        "skip_rows": False,
        "coarse_dimensions": None,
    },
}
"""The grouped search's speed mechanisms, each against its absence."""


def exact_neighbours(vectors: Any, rows: Any, keep: int) -> tuple[Any, Any]:
    """The exact `keep` nearest of each of `rows` (cosines, positions), by brute force."""
    scores = vectors[rows] @ vectors.T
    scores[np.arange(rows.size), rows] = -np.inf
    nearest = np.argpartition(scores, -keep, axis=1)[:, -keep:]
    return np.take_along_axis(scores, nearest, axis=1), nearest


def found_share(vectors: Any, rows: Any, exact: tuple[Any, Any], found: Any) -> float:
    """Share of the sampled rows' exact neighbours (at least MIN_SIMILARITY) that the
    grouped search's pairs hold."""
    scores, nearest = exact
    count = vectors.shape[0]
    wanted = scores >= MIN_SIMILARITY
    sampled = np.repeat(rows[:, None], nearest.shape[1], axis=1)
    codes = np.minimum(sampled, nearest) * count + np.maximum(sampled, nearest)
    return float(np.isin(codes[wanted], found).mean())


def time_searches(label: str, vectors: Any, repeat: int, sample: int = 2000) -> None:
    """Rows of the grouped search with and without each mechanism: medians of wall and
    CPU seconds, and the share of the exact neighbours found on a sample of claims."""
    count = vectors.shape[0]
    rows = np.sort(np.random.default_rng(2).choice(count, min(sample, count), replace=False))
    exact = exact_neighbours(vectors, rows, min(DEFAULT_TOP_K, count - 1))
    print(f"  neighbour search, {label}, {count:,} claims (in this process):")
    for name, options in SEARCHES.items():
        walls, cpus = [], []
        for _ in range(repeat):
            started, cpu_started = time.perf_counter(), time.process_time()
            scores, columns = _grouped_neighbours(vectors, DEFAULT_TOP_K, **options)
            walls.append(time.perf_counter() - started)
            cpus.append(time.process_time() - cpu_started)
        keep = (scores >= MIN_SIMILARITY) & (columns >= 0)
        firsts = np.repeat(np.arange(count), columns.shape[1])[keep.ravel()]
        seconds = columns.ravel()[keep.ravel()]
        found = np.unique(np.minimum(firsts, seconds) * count + np.maximum(firsts, seconds))
        share = found_share(vectors, rows, exact, found)
        print(
            f"    {name:<40} {statistics.median(walls):6.2f} s  "
            f"CPU {statistics.median(cpus):6.2f} s  found {100 * share:5.1f}% of the exact "
            f"neighbours of {rows.size:,} claims"
        )


WITHIN_SOURCE = (
    "import dataclasses\n"
    "import workbench.matching.engine as engine\n"
    "engine.iter_match_frames.__kwdefaults__['settings'] = dataclasses.replace(\n"
    "    engine.DEFAULT_SETTINGS, semantic_within_source=True)\n"
)
"""Run before `conflicts` in the child: the engine's settings with the proposer's pairs
within one source that cannot disagree added, as before."""

SEARCH_FIRST = (
    "import workbench.matching.alongside as alongside\nalongside.SEARCH_ALONGSIDE = False\n"
)
"""Run before `conflicts` in the child: the semantic search in the command's own process,
before the engine, as before `SEARCH_ALONGSIDE`."""


Run = tuple[float, float, float, float, float]
"""Seconds, peak MiB, CPU seconds, candidates per claim, the search process's peak MiB."""


def run_conflicts(
    root: Path, *extra: str, prefix: str = "", blas_threads: int | None = None
) -> Run:
    """Seconds, peak MiB, CPU seconds, candidates per claim and the peak MiB of the
    search's own process (0 without one: `SEARCH_ALONGSIDE`) of one `workbench
    conflicts` in a fresh process, after `prefix` (CPU as well as wall, its search's
    process counted in: on a shared machine the wall clock also measures the
    others)."""
    code = (
        prefix + "import resource, sys\n"
        "from workbench.cli import main\n"
        "code = main(sys.argv[1:])\n"
        "peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
        "try:\n"  # a forked child's ru_maxrss starts at this bench's own memory
        "    with open('/proc/self/status') as status:\n"
        "        peak = [int(l.split()[1]) for l in status if l.startswith('VmHWM:')][0]\n"
        "except (OSError, IndexError):\n"
        "    pass\n"
        "search = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss\n"
        "print(search, file=sys.stderr)\n"
        "print(peak, file=sys.stderr)\n"
        "sys.exit(code)\n"
    )
    environment = dict(os.environ)
    if blas_threads is not None:
        environment["OPENBLAS_NUM_THREADS"] = str(blas_threads)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-c", code, "conflicts", "--root", str(root), *extra],
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        check=True,
        cwd=REPO,
    )
    elapsed = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime + after.ru_stime - children.ru_utime - children.ru_stime
    lines = result.stderr.strip().splitlines()
    if "set aside" in result.stderr:  # the store was not used: the figure would be wrong
        raise SystemExit(result.stderr)
    summary = re.search(r"^(\d+) candidates? among (\d+) claims", result.stderr, re.MULTILINE)
    assert summary is not None, result.stderr
    per_claim = int(summary[1]) / int(summary[2])
    return elapsed, int(lines[-1]) / 1024, cpu, per_claim, int(lines[-2]) / 1024


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("claims", nargs="?", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--sample", type=int, default=512, help="statements to time encoding")
    parser.add_argument(
        "--no-searches",
        dest="searches",
        action="store_false",
        help="leave out the rows of the neighbour search's mechanisms",
    )
    parser.add_argument(
        "--search-threads",
        type=int,
        default=1,
        metavar="N",
        help="BLAS threads for the search rows (default 1: on a shared machine two threads "
        "wait on each other by turns, and a row took 3 s or 14 s by chance)",
    )
    parser.add_argument(
        "--spread-sources",
        action="store_true",
        help="each clone group cites its own copies of the sources (thousands of articles "
        "at 100,000 claims) instead of all clones sharing the five bundled ones",
    )
    parser.add_argument("--searches-only", action="store_true", help=argparse.SUPPRESS)
    arguments = parser.parse_args(argv)
    spread = arguments.spread_sources
    if not semantic_available():
        raise SystemExit("bench_semantic needs the [semantic] extra: pip install -e '.[semantic]'")
    os.environ.setdefault("WORKBENCH_CACHE_DIR", tempfile.mkdtemp(prefix="bench-semantic-"))
    if arguments.searches_only:  # the child below: the store is filled, BLAS threads set
        project = load_project(make_corpus(arguments.claims, spread_sources=spread))
        statements = [record.summary.statement for record in project.claims.values()]
        encoder = shared_encoder()
        vectors = claim_vectors(
            project.root, statements, encoder, progress=False, result=SemanticResult()
        )
        threads = os.environ.get("OPENBLAS_NUM_THREADS", "default")
        time_searches(f"the clones' vectors, BLAS threads {threads}", vectors, arguments.repeat)
        base = encoder.encode(sorted({_CLONE_SUFFIX.sub(".", text) for text in statements}))
        blended = blended_vectors(base, len(statements))
        time_searches(f"blended vectors, BLAS threads {threads}", blended, arguments.repeat)
        return
    print(f"Python {sys.version.split()[0]}, {os.cpu_count()} CPUs; medians")
    shape = "each clone group its own sources" if spread else "the five bundled sources"
    print(f"corpus: the bundled claims cloned, {shape}")
    root = make_corpus(arguments.claims, spread_sources=spread)
    load_project(root)  # the claim cache: every run below is warm
    count = fill_store(root)
    print(f"{count:,} claims; warm vectors stored")

    project = load_project(root)
    statements = [record.summary.statement for record in project.claims.values()]
    sample = statements[:: max(1, len(statements) // arguments.sample)][: arguments.sample]
    encoder = shared_encoder()
    started = time.perf_counter()
    for start in range(0, len(sample), BATCH):  # as `semantic_similarities` encodes
        encoder.encode(sample[start : start + BATCH])
    rate = len(sample) / (time.perf_counter() - started)

    probe = np.ones((20_000, 512), dtype=np.float32)
    started = time.perf_counter()
    for _ in range(3):
        probe[:512] @ probe.T
    gflops = 3 * 2 * 512 * 512 * 20_000 / (time.perf_counter() - started) / 1e9
    print(f"  BLAS in this run: {gflops:.0f} GFLOPS (float32 products; a busy machine shows)")

    warm = []
    pairs = 0
    positions: list[float] = []
    by_ids: list[float] = []
    prepared = project_frames(project)
    comparer = Comparer(
        prepared.frames,
        prepared.reader,
        tolerance=DEFAULT_SETTINGS.tolerance,
        approximate_tolerance=DEFAULT_SETTINGS.approximate_tolerance,
    )
    blocked = sorted(_pairs(prepared.frames, comparer, DEFAULT_SETTINGS, exhaustive=False))
    for _ in range(arguments.repeat):
        result = semantic_similarities(project, progress=False)
        assert result.encoded == 0, "the store should hold every statement"
        warm.append(result.seconds)
        pairs = len(result.similarities)
        started = time.process_time()
        from_positions = _semantic_pairs(
            blocked, result.similarities, prepared.frames, prepared.reader, DEFAULT_SETTINGS
        )
        positions.append(time.process_time() - started)
        started = time.process_time()
        plain = dict(result.similarities)  # the pairs of ids, as the proposer made them
        from_ids = _semantic_pairs(
            blocked, plain, prepared.frames, prepared.reader, DEFAULT_SETTINGS
        )
        by_ids.append(time.process_time() - started)
        assert from_positions == from_ids
        del from_positions, from_ids, plain
    del prepared, comparer, blocked
    runs: dict[str, list[Run]] = {
        "lexical": [],
        "semantic": [],
        "within": [],
        "ten": [],
        "one thread": [],
        "first": [],
    }
    references: list[float] = []
    for _ in range(arguments.repeat):  # alternated: the machine's load falls on all three
        references.append(seconds_in_fresh_process())
        runs["lexical"].append(run_conflicts(root, "--lexical-only"))
        runs["semantic"].append(run_conflicts(root))
        runs["within"].append(run_conflicts(root, prefix=WITHIN_SOURCE))
        runs["ten"].append(run_conflicts(root, "--neighbours", "10"))
        runs["one thread"].append(run_conflicts(root, blas_threads=1))
        runs["first"].append(run_conflicts(root, prefix=SEARCH_FIRST))

    def row(label: str, found: list[Run]) -> float:
        seconds = statistics.median(run[0] for run in found)
        peak = max(run[1] for run in found)
        cpu = statistics.median(run[2] for run in found)
        per_claim = found[0][3]
        search = max(run[4] for run in found)
        beside = f" + {search:4.0f} MiB search process" if search else ""
        print(
            f"    {label:<54} {seconds:6.2f} s   CPU {cpu:6.2f} s   peak {peak:6.0f} MiB"
            f"{beside}   {per_claim:5.2f} candidates a claim"
        )
        return seconds

    print("  workbench conflicts, fresh process:")
    lexical_seconds = row("--lexical-only (baseline)", runs["lexical"])
    semantic_seconds = row("with the semantic proposer, warm vectors", runs["semantic"])
    within_seconds = row("  with its pairs within a source that cannot disagree", runs["within"])
    ten_seconds = row("  with 10 neighbours per claim (before; 5 now)", runs["ten"])
    row("  as shipped, one BLAS thread (OPENBLAS_NUM_THREADS=1)", runs["one thread"])
    first_seconds = row("  the search first, not alongside (before)", runs["first"])
    print(
        f"    semantic adds {semantic_seconds - lexical_seconds:+.2f} s; leaving out its pairs "
        f"within a source that cannot disagree saves {within_seconds - semantic_seconds:+.2f} s; "
        f"5 neighbours per claim instead of 10 saves {ten_seconds - semantic_seconds:+.2f} s; "
        f"the search alongside saves {first_seconds - semantic_seconds:+.2f} s "
        f"({first_seconds / semantic_seconds:.2f}x)"
    )
    reference = statistics.median(references)
    print(
        f"  reference: {reference:.2f} s for the fixed pure-Python workload of "
        f"`bench/reference.py` (alternating with the runs above); --lexical-only took "
        f"{lexical_seconds / reference:.2f} times as long, the semantic proposer "
        f"{semantic_seconds / reference:.2f} times"
    )
    warm_seconds = statistics.median(warm)
    print(f"  semantic_similarities, warm: {warm_seconds:.2f} s for {pairs:,} pairs")
    print(
        f"  the engine reading the proposed pairs (CPU): from their positions "
        f"{statistics.median(positions):.2f} s, by id (baseline, the pairs of ids made) "
        f"{statistics.median(by_ids):.2f} s"
    )
    cold = len(statements) / rate
    print(
        f"  the store: encoding all {len(statements):,} statements at {rate:.0f}/s "
        f"(measured on {len(sample)}) would take {cold:,.0f} s; warm it took "
        f"{warm_seconds:.2f} s ({cold / warm_seconds:,.0f}x)"
    )
    if arguments.searches:  # in a child process: BLAS threads are set before numpy loads
        child = [sys.executable, "-m", "bench.bench_semantic", str(arguments.claims)]
        environment = dict(os.environ, OPENBLAS_NUM_THREADS=str(arguments.search_threads))
        options = ["--repeat", str(arguments.repeat), "--searches-only"]
        options += ["--spread-sources"] if spread else []
        sys.stdout.flush()
        subprocess.run([*child, *options], env=environment, check=True, cwd=REPO)
    if len(statements) >= 100_000:
        verdict = "meets" if semantic_seconds < 15 else "MISSES"
        print(f"  {verdict} the target of under 15 s at 100,000 claims with warm vectors")


if __name__ == "__main__":
    main()
