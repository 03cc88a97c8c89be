"""Loading (and stat-ing) thousands of claim files on two cores instead of one.

A cold load is reading, parsing and validating.  A forked child loads the tail
of the file list and hands back each claim as the JSON of its validated model
and its summary, which cost next to nothing to send: parsed TOML cost as much
to pickle and unpickle as to parse (at 100,000 claims, taking in the child's
half took 1.7 s after the child was done), and a model as much to unpickle as
to validate.  This process loads the head itself meanwhile, building the
models.  `load_claims_split` gives the head's claims, then the child's, whose
records build their models on first use (as a warm start's do).

It goes through `map_split`, which runs any per-item work in two halves
(`workbench check` checks half of the claims in a child with it).  A warm
start uses a child for its stats: `PendingStats` takes them while this process
reads the claim cache.  Listing the claim folders is here too
(`list_claim_files`): each folder is stamped with its mtime, so that a warm
start can take the file list from the cache when no folder changed.

Forking is skipped where it is unsafe or pointless: below `PARALLEL_MIN_FILES`
files, on one CPU, without `os.fork`, or when other threads run (a forked child
of a threaded process can deadlock on a lock another thread held).
`WORKBENCH_WORKERS=1` turns it off.  If the child fails in any way, its share is
done here; the result is the same either way.
"""

from __future__ import annotations

import os
import pickle
import tempfile
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import IO, Any, NamedTuple, TypeVar

from workbench.models import Claim
from workbench.problems import Problem
from workbench.storage import (
    ClaimRecord,
    ClaimSummary,
    Fingerprint,
    PlainFingerprint,
    PlainSummary,
    read_document,
    validate_document,
)

_Item = TypeVar("_Item")
_Result = TypeVar("_Result")

PARALLEL_MIN_FILES = 3000
"""Below this, forking costs more than it saves (measured on the benchmark corpus)."""

HEAD_SHARE = 0.6
"""The share of files this process loads itself: the child also renders each
model as JSON and pays copy-on-write faults, and this process takes in the
child's results at the end."""


class LoadedClaim(NamedTuple):
    """One claim file loaded: its model (loaded here), or its validated JSON and
    summary (loaded by the child); neither when the file has problems."""

    path: str
    fingerprint: Fingerprint | None
    inode: int
    claim: Claim | None
    json: bytes | None
    summary: ClaimSummary | None
    problems: list[Problem]

    def record(self) -> ClaimRecord | None:
        if self.claim is not None:
            return ClaimRecord(self.claim, self.path, self.fingerprint)
        if self.json is not None and self.summary is not None:
            return ClaimRecord(
                None, self.path, self.fingerprint, json=self.json, summary=self.summary
            )
        return None


def load_claim(path: str) -> LoadedClaim:
    """Read, parse and validate one claim file; every way it can be bad is a problem."""
    document = read_document(path)
    claim, problems = validate_document(document, Claim)
    return LoadedClaim(path, document.fingerprint, document.inode, claim, None, None, problems)


_Packed = tuple[str, PlainFingerprint | None, int, bytes | None, PlainSummary | None, list[Problem]]


def _pack(loaded: LoadedClaim) -> _Packed:
    """A loaded claim as plain tuples, bytes and strings, which pickle handles in C."""
    claim = loaded.claim
    fingerprint = loaded.fingerprint
    return (
        loaded.path,
        fingerprint.plain() if fingerprint is not None else None,
        loaded.inode,
        claim.model_dump_json(by_alias=True).encode() if claim is not None else None,
        ClaimSummary.of(claim).plain() if claim is not None else None,
        loaded.problems,
    )


def _unpack(item: _Packed) -> LoadedClaim:
    path, fingerprint, inode, json, summary, problems = item
    return LoadedClaim(
        path,
        Fingerprint.from_plain(fingerprint) if fingerprint is not None else None,
        inode,
        None,
        json,
        ClaimSummary.from_plain(summary) if summary is not None else None,
        problems,
    )


def load_claims_split(paths: Sequence[str]) -> list[LoadedClaim]:
    """`load_claim` for every path, in order, the tail in a forked child when it pays."""
    return map_split(paths, load_claim, head_share=HEAD_SHARE, send=_pack, receive=_unpack)


FolderStamp = tuple[str, int]
"""A folder and its mtime (ns) when it was listed: it changes when an entry is
added, removed or renamed in it, which is how a warm start knows that the file
list it cached is still the list (git's untracked cache does the same)."""


def claim_files(folder: Path | str) -> list[str]:
    """Every claim file below `folder`, sorted; hidden files and folders are skipped."""
    return list_claim_files(folder)[0]


def list_claim_files(folder: Path | str) -> tuple[list[str], list[FolderStamp]]:
    """`claim_files`, plus a stamp of each folder listed, taken before listing it.

    `os.scandir` and plain strings rather than `Path.rglob`: with 100,000 claims
    pathlib's per-path overhead was a visible share of the load time.  A stamp
    taken before the listing can only be older than what was listed, so a
    change made during the listing shows up as a changed stamp next time.
    """
    found: list[str] = []
    stamps: list[FolderStamp] = []
    pending = [os.fspath(folder)]
    while pending:
        current = pending.pop()
        try:
            stamps.append((current, os.stat(current).st_mtime_ns))
            entries = os.scandir(current)
        except OSError:
            continue
        with entries:
            for entry in entries:
                if entry.name.startswith("."):
                    continue
                if entry.is_dir(follow_symlinks=False):
                    pending.append(entry.path)
                elif entry.name.endswith(".toml"):
                    found.append(entry.path)
    found.sort()
    stamps.sort()
    return found, stamps


def folders_unchanged(stamps: Sequence[FolderStamp], older_than_ns: int) -> bool:
    """Whether every folder still has its stamp, and each stamp is older than
    `older_than_ns` (a folder changed within the clock's granularity of the stamp
    could have changed again unseen: git's "racy clean" rule)."""
    for folder, mtime_ns in stamps:
        if mtime_ns >= older_than_ns:
            return False
        try:
            if os.stat(folder).st_mtime_ns != mtime_ns:
                return False
        except OSError:
            return False
    return bool(stamps)


def parallel_enabled(count: int) -> bool:
    """Whether `map_split` or `PendingStats` would fork for `count` files here and now."""
    setting = os.environ.get("WORKBENCH_WORKERS", "").strip()
    if setting == "1" or setting.lower() in {"off", "0", "no"}:
        return False
    return (
        count >= PARALLEL_MIN_FILES
        and hasattr(os, "fork")
        and (os.cpu_count() or 1) >= 2
        and threading.active_count() == 1
    )


def map_split(
    items: Sequence[_Item],
    function: Callable[[_Item], _Result],
    *,
    head_share: float = 0.5,
    send: Callable[[_Result], Any] | None = None,
    receive: Callable[[Any], _Result] | None = None,
) -> list[_Result]:
    """`[function(item) for item in items]`, the items after `head_share` computed
    in a forked child when that pays (see `parallel_enabled`).

    The child's results come back pickled, through `send` and `receive` if given
    (plain tuples pickle in C, objects through Python code).  `workbench check`
    checks half of the claims in a child, whose copy of the project is the
    parent's, and gets back only their problems.  If the child cannot be
    started or fails, its items are computed here.
    """
    if not parallel_enabled(len(items)):
        return [function(item) for item in items]
    split = max(1, int(len(items) * head_share))
    tail = items[split:]

    def task() -> list[Any]:
        if send is None:
            return [function(item) for item in tail]
        return [send(function(item)) for item in tail]

    try:
        child = _Child(task, len(tail))
    except OSError:  # no temporary file or no process to be had
        return [function(item) for item in items]
    try:
        head = [function(item) for item in items[:split]]
        sent = child.collect()
    finally:
        child.reap()
    if sent is None:  # the child failed: compute its share here
        return head + [function(item) for item in tail]
    return head + (sent if receive is None else [receive(item) for item in sent])


FileStat = tuple[int, int, int] | None
"""A file's size, mtime (ns) and inode, or None where it cannot be stat'ed."""


def stat_files(paths: Sequence[str]) -> list[FileStat]:
    result: list[FileStat] = []
    stat = os.stat
    for path in paths:
        try:
            found = stat(path)
        except OSError:
            result.append(None)
        else:
            result.append((found.st_size, found.st_mtime_ns, found.st_ino))
    return result


class PendingStats:
    """`stat_files` running in a forked child while this process does something else.

    A warm start stats every claim file and reads the claim cache.  The child
    takes the first `CHILD_SHARE` of the files and this process stats the rest
    once it has read the cache, which it does sooner than the child could stat
    them all (at 100,000 claims, about 0.3 s against 0.45 s), so neither waits
    long for the other.  Where forking is not enabled (see `parallel_enabled`),
    `result` stats the files here instead.
    """

    CHILD_SHARE = 0.8

    def __init__(self, paths: Sequence[str]) -> None:
        self.paths = paths
        self._child: _Child | None = None
        self._split = 0
        if parallel_enabled(len(paths)):
            split = int(len(paths) * self.CHILD_SHARE)
            head = paths[:split]
            try:
                self._child = _Child(lambda: stat_files(head), len(head))
            except OSError:
                self._child = None
            else:
                self._split = split

    def result(self) -> list[FileStat]:
        child, self._child = self._child, None
        if child is not None:
            try:
                tail = stat_files(self.paths[self._split :])
                found: list[FileStat] | None = child.collect()
            finally:
                child.reap()
            if found is not None:
                return found + tail
        return stat_files(self.paths)

    def close(self) -> None:
        """Stop the child if `result` was never asked for."""
        if self._child is not None:
            self._child.reap()
            self._child = None


class _Child:
    """A forked process that runs `task` and leaves its list result in a temporary file."""

    def __init__(self, task: Callable[[], list[Any]], expected: int) -> None:
        self.task = task
        self.expected = expected
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
            result = self.task()
            with os.fdopen(os.dup(self.output.fileno()), "wb") as handle:
                pickle.dump(result, handle, protocol=pickle.HIGHEST_PROTOCOL)
            status = 0
        finally:
            os._exit(status)

    def collect(self) -> list[Any] | None:
        """The task's result, or None if the child did not finish cleanly."""
        if self.pid is None:
            return None
        _, status = os.waitpid(self.pid, 0)
        self.pid = None
        if not (os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0):
            return None
        try:
            self.output.seek(0)
            result = pickle.load(self.output)
        except Exception:
            return None
        if not isinstance(result, list) or len(result) != self.expected:
            return None
        return result

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
