"""Benchmarks: run as `python -m bench.<name>`; each prints medians and ratios.

Every benchmark keeps its caches (the load index, the semantic vectors) out of
the user's cache folder: unless `WORKBENCH_CACHE_DIR` is set, they go to a
temporary folder that is removed when the benchmark ends.  Generated corpora
are kept under `bench/out/` (git-ignored) for the next run.
"""

import atexit
import os
import shutil
import tempfile

if "WORKBENCH_CACHE_DIR" not in os.environ:
    _CACHE = tempfile.mkdtemp(prefix="wb-bench-cache-")
    os.environ["WORKBENCH_CACHE_DIR"] = _CACHE
    atexit.register(shutil.rmtree, _CACHE, True)
