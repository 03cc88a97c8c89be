"""The collector is paused around bulk loads and restored after (see bench_load's gc rows)."""

from __future__ import annotations

import gc
import subprocess
import sys

from workbench.memory import gc_paused


def test_gc_paused_restores_the_collector_state() -> None:
    assert gc.isenabled()
    with gc_paused():
        assert not gc.isenabled()
    assert gc.isenabled()
    gc.disable()
    try:
        with gc_paused():
            pass
        assert not gc.isenabled()  # a caller that had it off keeps it off
    finally:
        gc.enable()


def _output_of(script: str) -> list[str]:
    """The lines a script prints in a fresh interpreter, whose collector is untouched."""
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    return result.stdout.splitlines()


def test_objects_frozen_before_stay_frozen_with_the_blocks() -> None:
    """The review app freezes what it loaded: a later block must not unfreeze it."""
    script = (
        "import gc\n"
        "from workbench.memory import gc_paused\n"
        "before = [[n] for n in range(1000)]\n"
        "gc.freeze()\n"
        "with gc_paused():\n"
        "    more = [[n] for n in range(1000)]\n"
        "print(gc.get_freeze_count())\n"
    )
    [count] = _output_of(script)
    assert int(count) >= 2000


def test_a_library_call_leaves_what_it_loaded_in_the_oldest_generation() -> None:
    """Not in the youngest, where the first young collection would walk all of it;
    and not frozen, so garbage cycles made in the block are still collected."""
    script = (
        "import gc, weakref\n"
        "from workbench.memory import gc_paused\n"
        "class Node: pass\n"
        "with gc_paused():\n"
        "    kept = [[n] for n in range(1000)]\n"
        "    cycle = Node(); cycle.self = cycle; probe = weakref.ref(cycle); del cycle\n"
        "young = {id(o) for o in gc.get_objects(generation=0)}\n"
        "old = {id(o) for o in gc.get_objects(generation=2)}\n"
        "print(sum(id(item) in old for item in kept), sum(id(item) in young for item in kept))\n"
        "print(gc.get_freeze_count())\n"
        "gc.collect()\n"
        "print(probe() is None)\n"
    )
    placed, frozen, collected = _output_of(script)
    assert placed == "1000 0"
    assert frozen == "0"
    assert collected == "True"
