"""The semantic search beside the engine: a large project's neighbours found in a second
process while the caller reads frames and compares the blocking's pairs.

`workbench conflicts` starts a `SemanticSearch` before it reads the frames and gives
the engine the search as its `similarities` (`workbench.matching.engine.Pending`): the
engine compares the blocking's pairs until the search is done, then the rest of them and
the proposer's pairs.  The search itself is `workbench.matching.semantic.find_pairs`, the
same in either process.  Nothing here imports Textual or numpy.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Mapping
from typing import Any

from workbench.matching.semantic import (
    DEFAULT_TOP_K,
    MIN_SIMILARITY,
    Encoder,
    NeighbourPairs,
    SemanticResult,
    failure_notice,
    find_pairs,
    semantic_available,
    semantic_similarities,
    statements_of,
)
from workbench.project import Project

__all__ = ["ALONGSIDE_FROM", "SEARCH_ALONGSIDE", "SemanticSearch"]

SEARCH_ALONGSIDE = True
"""`SemanticSearch(..., alongside=True)` (what `workbench conflicts` asks) reads the
vectors and searches the neighbours of a large project (`ALONGSIDE_FROM` claims) in a
second process while the caller goes on (the engine reads frames and compares the
blocking's pairs meanwhile).  A thread would not do: the search holds Python's lock
between its many numpy calls, and at 100,000 claims a search alongside the engine in a
thread took 9-11 s instead of 4.  `bench.bench_semantic` has the row without it
(`SEARCH_ALONGSIDE = False`: the search first, as before)."""

ALONGSIDE_FROM = 20_000
"""Claims from which the search runs in a second process: starting one (an interpreter,
its imports) costs about half a second of the machine's time, more than the whole
search of a project of a few thousand claims."""


class SemanticSearch:
    """The project's semantic pairs, found alongside the caller's own work.

    The statements are read when it starts, so the caller may let the claim records go
    (`project_frames(..., release=True)`).  With `alongside`, the vectors of a large
    project are read and its neighbours searched in a second process
    (`SEARCH_ALONGSIDE`), started the portable way, by spawning: it imports the
    caller's main module again, which must keep its work under
    `if __name__ == "__main__":`, as `workbench`'s own entry points do.  Otherwise they
    are found at once.  `result` waits for them; the engine takes the search itself as
    its `similarities` (`workbench.matching.engine.Pending`: called, it waits)."""

    def __init__(
        self,
        project: Project,
        *,
        top_k: int = DEFAULT_TOP_K,
        min_similarity: float = MIN_SIMILARITY,
        progress: bool | None = None,
        encoder: Encoder | None = None,
        alongside: bool = False,
    ) -> None:
        self._result: SemanticResult | None = None
        self._pending: Any = None
        self.alongside = False
        """Whether the search runs in a second process."""
        alongside = alongside and SEARCH_ALONGSIDE and len(project.claims) >= ALONGSIDE_FROM
        if encoder is not None or not alongside or not semantic_available():
            self._result = semantic_similarities(
                project,
                top_k=top_k,
                min_similarity=min_similarity,
                progress=progress,
                encoder=encoder,
            )
            return
        self._ids, texts = statements_of(project)
        if progress is None:
            progress = sys.stderr.isatty()
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        self.alongside = True
        self._started = time.perf_counter()
        pool = ProcessPoolExecutor(
            1, mp_context=multiprocessing.get_context("spawn"), initializer=_leave_a_core
        )
        work = (project.root, self._ids, texts, top_k, min_similarity, progress)
        self._pending = pool.submit(find_pairs, *work, as_positions=True)
        pool.shutdown(wait=False)  # the process ends with its one task

    def result(self) -> SemanticResult:
        """The pairs (or the notices why none), once found."""
        if self._result is None:
            try:
                result, positions = self._pending.result()
            except Exception as error:  # the process died (killed, out of memory)
                self._result = SemanticResult(notices=[failure_notice(error)])
            else:
                if positions is not None:  # positions in these ids (`NeighbourPairs`)
                    result.similarities = NeighbourPairs(positions=(self._ids, *positions))
                result.seconds = time.perf_counter() - self._started
                self._result = result
            self._pending = None
        return self._result

    def similarities(self) -> Mapping[tuple[str, str], float] | None:
        """The pairs once found, or None when there are none to use (see `result`)."""
        found = self.result()
        return found.similarities if found.available else None

    __call__ = similarities
    """The engine's `Pending`: called, it waits for the pairs."""

    def done(self) -> bool:
        """Whether the search is over (found, failed or never started), without waiting:
        the engine asks between batches of the blocking's pairs."""
        return self._pending is None or bool(self._pending.done())


def _leave_a_core() -> None:
    """In the search's own process, before numpy loads: its matrix products use every
    core but one, which the caller's Python needs (on two cores, two threads of products
    and the engine took turns); a thread count the user set is kept."""
    threads = str(max(1, (os.cpu_count() or 2) - 1))
    for name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ.setdefault(name, threads)
