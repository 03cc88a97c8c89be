"""A fixed pure-Python workload: the machine's speed, timed beside the code's.

    python bench/reference.py

The same shared machine ran the same `workbench conflicts` in 10 s one hour and
in 20 s another.  A C baseline (`rapidfuzz.process.cdist`) slowed less than the
engine did, since it works in a small space and the engine walks a heap of
hundreds of megabytes.  So `bench.bench_matching --cli` and `bench.bench_semantic`
also time this script in a fresh process, alternating with the command.  The
workload does what the engine does most: it builds 100,000 small objects holding
sets of interned words, then intersects 400,000 pairs of them, sums the shared
words' weights and formats a line for each.  It imports nothing of the
workbench, so no change to the engine moves it.  The ratio of the command to it
is what compares across hours and machines.
"""

from __future__ import annotations

import random
import sys
from sys import intern

ITEMS = 100_000
PAIRS = 400_000
WORDS = 20_000
WORDS_PER_ITEM = 14


class _Item:
    __slots__ = ("index", "label", "words")

    def __init__(self, index: int, label: str, words: frozenset[str]) -> None:
        self.index = index
        self.label = label
        self.words = words


def run() -> int:
    """The workload; returns how many lines it made (so that none of it is skipped)."""
    chosen = random.Random(20261207)
    vocabulary = [intern(f"word{number}") for number in range(WORDS)]
    weight = {word: 1.0 + (number % 97) / 97 for number, word in enumerate(vocabulary)}
    items = [
        _Item(number, f"item-{number:06d}", frozenset(chosen.choices(vocabulary, k=WORDS_PER_ITEM)))
        for number in range(ITEMS)
    ]
    total = 0.0
    lines: list[str] = []
    for _ in range(PAIRS):
        first = items[chosen.randrange(ITEMS)]
        second = items[chosen.randrange(ITEMS)]
        shared = first.words & second.words
        if shared:
            total += sum(map(weight.__getitem__, shared))
        lines.append(f"{first.label} {second.label} {total:.3f}")
    return len(lines)


def seconds_in_fresh_process() -> float:
    """Wall seconds of one run of this script in a fresh interpreter, as the benches
    time `workbench conflicts`."""
    import subprocess
    import time

    started = time.perf_counter()
    subprocess.run([sys.executable, __file__], capture_output=True, check=True)
    return time.perf_counter() - started


if __name__ == "__main__":
    print(run(), file=sys.stderr)
