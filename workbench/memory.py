"""Pausing Python's cyclic garbage collector around bulk allocation.

Loading 10,000 claims creates hundreds of thousands of small objects and frees
none of them; every few hundred allocations the collector walks all of them
again.  Measured on the benchmark corpus, that walking was more than half of
the time `Claim.model_validate` took.  None of these objects form cycles, so
nothing is lost by collecting once at the end instead.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

_freeze_after = False


def freeze_after_bulk_work() -> None:
    """From now on, move what a paused block allocated out of the collector's sight.

    Re-enabling the collector after loading 10,000 claims makes its next pass
    walk every new object (about 50 ms, and again at each older generation).
    A process that keeps what it loaded until it exits, such as the `workbench`
    command, loses nothing by freezing those objects instead.  A library must
    not do this behind its caller's back, so only the command's entry point
    turns it on.
    """
    global _freeze_after
    _freeze_after = True


@contextmanager
def gc_paused() -> Iterator[None]:
    """Disable the cyclic collector for the block; restore its previous state after.

    What the block allocated is then moved to the oldest generation (with
    `gc.freeze` and `gc.unfreeze`, which move lists, not objects), where
    objects that survive two collections end up anyway: left in the youngest,
    all of it was walked by the first young collection after the block, a
    stall of 0.4 s after a cold load of 100,000 claims.  Where objects are
    already frozen (`freeze_after_bulk_work`, or the review app), unfreezing
    would undo that, so the block's objects are frozen with them instead.
    """
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if _freeze_after or gc.get_freeze_count():
            gc.freeze()
        else:
            gc.freeze()
            gc.unfreeze()
        if collecting:
            gc.enable()
