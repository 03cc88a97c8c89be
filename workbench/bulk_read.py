"""Reading thousands of claim files on two cores instead of one.

A cold load is reading, parsing and validating; only the first two can move to
another process, because a validated pydantic model costs as much to unpickle
as to validate again.  So a forked child reads and parses the tail of the file
list and hands back plain parsed data, while this process reads and parses the
head itself and validates everything: `iter_documents` yields the head's
documents as they are read (the caller validates them while the child works),
then the child's.

Forking is skipped where it is unsafe or pointless: below `PARALLEL_MIN_FILES`
files, on one CPU, without `os.fork`, or when other threads run (a forked child
of a threaded process can deadlock on a lock another thread held).
`WORKBENCH_WORKERS=1` turns it off.  If the child fails in any way, its share is
read here; the result is the same documents in the same order either way.
"""

from __future__ import annotations

import os
import pickle
import tempfile
import threading
from collections.abc import Iterator, Sequence
from typing import IO, Any

from workbench.problems import Problem
from workbench.storage import Fingerprint, RawDocument, read_document

PARALLEL_MIN_FILES = 3000
"""Below this, forking costs more than it saves (measured on the benchmark corpus)."""

HEAD_SHARE = 0.5
"""The share of files this process reads itself.  It also validates all of them,
which argues for less, but the child pays for copy-on-write page faults on every
object it touches; half was fastest on the 10,000-claim corpus (0.42 s against
0.57 s in one process, each in a fresh interpreter)."""

_Packed = tuple[
    str, str | None, dict[str, Any] | None, tuple[int, int, str] | None, list[Problem], int
]


def parallel_enabled(count: int) -> bool:
    """Whether `iter_documents` would fork for `count` files here and now."""
    setting = os.environ.get("WORKBENCH_WORKERS", "").strip()
    if setting == "1" or setting.lower() in {"off", "0", "no"}:
        return False
    return (
        count >= PARALLEL_MIN_FILES
        and hasattr(os, "fork")
        and (os.cpu_count() or 1) >= 2
        and threading.active_count() == 1
    )


def iter_documents(paths: Sequence[str]) -> Iterator[RawDocument]:
    """`read_document` for every path, in order, using a second process when it pays."""
    if not parallel_enabled(len(paths)):
        for path in paths:
            yield read_document(path)
        return
    split = max(1, int(len(paths) * HEAD_SHARE))
    try:
        child = _Child(paths[split:])
    except OSError:  # no temporary file or no process to be had: read it all here
        for path in paths:
            yield read_document(path)
        return
    try:
        for path in paths[:split]:
            yield read_document(path)
        documents = child.collect()
    finally:
        child.reap()
    if documents is None:  # the child failed: read its share here
        for path in paths[split:]:
            yield read_document(path)
        return
    yield from documents


class _Child:
    """A forked process that reads and parses `paths` into a temporary file."""

    def __init__(self, paths: Sequence[str]) -> None:
        self.paths = paths
        self.output: IO[bytes] = tempfile.TemporaryFile()  # noqa: SIM115 - closed in reap()
        try:
            self.pid: int | None = os.fork()
        except OSError:
            self.output.close()
            raise
        if self.pid == 0:  # pragma: no cover - runs in the child, which never returns
            self._run()

    def _run(self) -> None:  # pragma: no cover - runs in the child
        status = 1
        try:
            packed = [_pack(read_document(path)) for path in self.paths]
            with os.fdopen(os.dup(self.output.fileno()), "wb") as handle:
                pickle.dump(packed, handle, protocol=pickle.HIGHEST_PROTOCOL)
            status = 0
        finally:
            os._exit(status)

    def collect(self) -> list[RawDocument] | None:
        """The child's documents, or None if it did not finish cleanly."""
        if self.pid is None:
            return None
        _, status = os.waitpid(self.pid, 0)
        self.pid = None
        if not (os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0):
            return None
        try:
            self.output.seek(0)
            packed: list[_Packed] = pickle.load(self.output)
        except Exception:
            return None
        if len(packed) != len(self.paths):
            return None
        return [_unpack(item) for item in packed]

    def reap(self) -> None:
        """Stop and wait for the child if it is still running; close the file."""
        if self.pid is not None:
            try:
                os.kill(self.pid, 9)
                os.waitpid(self.pid, 0)
            except OSError:
                pass
            self.pid = None
        self.output.close()


def _pack(document: RawDocument) -> _Packed:
    """A document as plain data: pickling dataclasses goes through Python code.

    The text of a parsed document is left out, halving what is sent: it is only
    needed to put a validation error on its line, and `validate_document`
    reads it again for that (checking the file is still the one parsed).
    """
    fingerprint = document.fingerprint
    return (
        os.fspath(document.path),
        document.text if document.data is None else None,
        document.data,
        (fingerprint.size, fingerprint.mtime_ns, fingerprint.digest) if fingerprint else None,
        document.problems,
        document.inode,
    )


def _unpack(item: _Packed) -> RawDocument:
    path, text, data, fingerprint, problems, inode = item
    return RawDocument(
        path,
        text,
        data,
        Fingerprint(*fingerprint) if fingerprint is not None else None,
        problems,
        inode,
    )
