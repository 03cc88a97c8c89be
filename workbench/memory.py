"""Pausing Python's cyclic garbage collector around bulk allocation.

Loading 10,000 claims creates hundreds of thousands of small objects and frees
none of them; every few hundred allocations the collector walks all of them
again.  None of these objects form cycles, so nothing is lost by collecting once
at the end instead.  It stays while its bench row pays: `bench.bench_load`'s
"gc:" rows measured, at 10,000 claims in one run, a cold load at 0.67x the CPU
time with the collector paused and building every model at 0.72x.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

PAUSE = True
"""False runs every block with the collector as it is (the benchmark's baseline)."""


@contextmanager
def gc_paused() -> Iterator[None]:
    """Disable the cyclic collector for the block; restore its previous state after.

    What the block allocated is then moved to the oldest generation (with
    `gc.freeze` and `gc.unfreeze`, which move lists, not objects), where objects
    that survive two collections end up anyway: left in the youngest, all of it
    was walked by the first young collection after the block.  Where objects are
    already frozen (the review app freezes after start-up), unfreezing would undo
    that, so the block's objects are frozen with them instead.
    """
    if not PAUSE:
        yield
        return
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        frozen = gc.get_freeze_count()
        gc.freeze()
        if not frozen:
            gc.unfreeze()
        if collecting:
            gc.enable()
