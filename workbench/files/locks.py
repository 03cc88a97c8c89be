"""Locks on claim files, so that two writers never both start from the same old text.

Every write (the app, `workbench mark`, `add`, relations, dismissals, notes, undo,
`fmt`) holds the lock of each file it changes while it reads the file, applies
its change and renames the new text into place.  Locks are `filelock` locks
(`flock` on POSIX, `LockFileEx` on Windows): the operating system releases them
when a process dies, even by `kill -9`, so a crash never leaves a claim locked.

The lock files live in `.workbench/locks/` at the project root, not beside the
claims: `claims/` holds only claims, and `.workbench/.gitignore` (`*`) keeps
`git add -A` from committing them.  A lock file is named after the real path
of the claim (symlinks resolved), so a link and its target share one lock.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import os
from collections.abc import Iterable, Iterator
from pathlib import Path

from filelock import FileLock, Timeout

from workbench.config import CONFIG_NAME
from workbench.tomlio import WriteError

LOCK_FOLDER = Path(".workbench") / "locks"
"""Where lock files go, under the project root."""

LOCK_TIMEOUT_SECONDS = float(os.environ.get("WORKBENCH_LOCK_TIMEOUT", "30"))
"""How long a writer waits for another before it gives up (a write takes milliseconds)."""


class LockTimeoutError(TimeoutError):
    """Another writer held a claim's lock for longer than `LOCK_TIMEOUT_SECONDS`."""


def real_path(path: Path) -> Path:
    """The file a write must change: a symlinked claim is written through to its target."""
    return Path(os.path.realpath(path))


@functools.lru_cache(maxsize=256)
def _lock_folder(folder: str) -> Path:
    """The lock folder of the project holding `folder`: the nearest one with a
    `workbench.toml`, else `folder` itself (a claim written outside any project)."""
    start = Path(folder)
    for candidate in (start, *start.parents):
        if (candidate / CONFIG_NAME).is_file():
            root = candidate
            break
    else:
        root = start
    locks = root / LOCK_FOLDER
    locks.mkdir(parents=True, exist_ok=True)
    ignore = locks.parent / ".gitignore"
    if not ignore.exists():
        with contextlib.suppress(FileExistsError):
            descriptor = os.open(ignore, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
            try:
                os.write(descriptor, b"# workbench's own files (locks): never commit them\n*\n")
            finally:
                os.close(descriptor)
    return locks


def lock_path(path: Path) -> Path:
    """The lock file of the claim at `path`."""
    absolute = Path(os.path.abspath(path))
    target = real_path(absolute)
    digest = hashlib.blake2b(os.fsencode(target), digest_size=8).hexdigest()
    return _lock_folder(os.fspath(absolute.parent)) / f"{target.name}.{digest}.lock"


@contextlib.contextmanager
def locked(paths: Iterable[Path]) -> Iterator[None]:
    """Hold the locks of all `paths`, taken in sorted order so that two writers
    locking the same two files cannot each wait for the other."""
    paths = list(paths)
    try:
        locks = sorted({lock_path(path): path for path in paths}.items())
    except OSError as error:  # no room or no right to make the lock folder
        raise WriteError(paths[0], error) from None
    with contextlib.ExitStack() as stack:
        for lock_file, path in locks:
            lock = FileLock(lock_file, timeout=LOCK_TIMEOUT_SECONDS)
            try:
                stack.enter_context(lock)
            except Timeout:
                raise LockTimeoutError(
                    f"{path}: another writer has held its lock for {LOCK_TIMEOUT_SECONDS:.0f} s "
                    f"({lock_file}); try again, or end the process that holds it"
                ) from None
            except OSError as error:
                raise WriteError(path, error) from None
        yield
