"""A cache of validated claims, so a warm start reads one file instead of thousands.

Each claim is cached as the JSON of its validated model and a summary; records
built from it make the model only when asked (see `storage.ClaimRecord`).

An entry is reused when the file's size, mtime and inode are what they were and
the file is older than the cache by more than `RACY_SECONDS`; a file modified
within that window (where mtime granularity could hide a second edit) is hashed
and reused only if its content hash matches.  This is git's "racy clean" rule.
The cache is keyed by the model code and library versions, so a change to the
schema invalidates it.  It lives in the user's cache folder, never in the
project (`workbench check` writes nothing there); `WORKBENCH_CACHE_DIR` moves
it and `WORKBENCH_CACHE_DIR=off` disables it.  Any failure to read or write it
just means a cold load.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

import pydantic

from workbench.bulk_read import PendingStats, iter_documents
from workbench.models import Claim
from workbench.problems import Problem
from workbench.storage import (
    ClaimRecord,
    ClaimSummary,
    Fingerprint,
    RawDocument,
    validate_document,
)

RACY_SECONDS = 2.0


class _Entry(NamedTuple):
    """One file's cached result: a tuple, since pickle restores those in C.

    The claim is kept as the JSON of its validated model plus its summary, not
    as the pickled model: unpickling 100,000 models took 2.2 s, loading their
    JSON 0.3 s, and a record builds its model only when something asks for it.
    """

    size: int
    mtime_ns: int
    inode: int
    digest: str
    json: bytes | None
    summary: ClaimSummary | None
    problems: list[Problem]


@dataclass(slots=True)
class _Cache:
    key: str
    written_ns: int
    entries: dict[str, _Entry]


@dataclass(slots=True)
class CacheStats:
    """How the last load used the cache (for the benchmark and for tests)."""

    reused: int = 0
    parsed: int = 0


last_stats = CacheStats()


def _cache_key() -> str:
    """Changes with the models, the record and summary shapes and the library versions."""
    hasher = hashlib.blake2b(digest_size=8)
    for name in ("models.py", "storage.py", "cache.py"):
        hasher.update(Path(__file__).with_name(name).read_bytes())
    return f"{hasher.hexdigest()}-{pydantic.VERSION}-{sys.version_info[:2]}"


def cache_file(root: Path) -> Path | None:
    """Where the cache of the project at `root` lives, or None when caching is off."""
    setting = os.environ.get("WORKBENCH_CACHE_DIR", "")
    if setting.lower() in {"off", "0", "none"}:
        return None
    if setting:
        folder = Path(setting)
    else:
        base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
        folder = Path(base) / "workbench"
    name = hashlib.blake2b(str(root.resolve()).encode(), digest_size=8).hexdigest()
    return folder / f"claims-{name}.pickle"


def _read_cache(path: Path, key: str) -> _Cache | None:
    try:
        with path.open("rb") as handle:
            cache = pickle.load(handle)
    except Exception:
        return None
    if not isinstance(cache, _Cache) or cache.key != key:
        return None
    return cache


def load_claims_cached(root: Path, paths: list[str]) -> tuple[list[ClaimRecord], list[Problem]]:
    """Load claims, reusing cached results for files that have not changed."""
    global last_stats
    stats = CacheStats()
    cache_path = cache_file(root)
    if cache_path is None:
        from workbench.project import load_claims

        last_stats = CacheStats(parsed=len(paths))
        return load_claims(paths)
    key = _cache_key()
    if not cache_path.exists():
        cache, stats_now = None, None
    else:
        pending = PendingStats(paths)  # stats the files while the cache is read
        try:
            cache = _read_cache(cache_path, key)
            stats_now = pending.result() if cache else None
        finally:
            pending.close()
    old_entries = cache.entries if cache else {}
    racy_limit = (cache.written_ns if cache else 0) - int(RACY_SECONDS * 1e9)
    entries: dict[str, _Entry] = {}
    stale: list[str] = []
    if stats_now is None:
        stale = list(paths)
    else:
        for path, now in zip(paths, stats_now, strict=True):
            entry = old_entries.get(path)
            if entry is not None and now is not None and _unchanged(entry, now, path, racy_limit):
                entries[path] = entry
            else:
                stale.append(path)
    fresh: dict[str, Claim] = {}
    for document in iter_documents(stale):
        file = os.fspath(document.path)
        entries[file], claim = _entry_of(document)
        if claim is not None:
            fresh[file] = claim
    stats.reused, stats.parsed = len(paths) - len(stale), len(stale)
    changed = bool(stale) or cache is None or len(old_entries) != len(paths)
    records: list[ClaimRecord] = []
    problems: list[Problem] = []
    deferred = ClaimRecord.deferred
    for path in paths:
        size, mtime_ns, _, digest, json, summary, found = entries[path]
        if found:
            problems.extend(found)
        fingerprint = Fingerprint(size, mtime_ns, digest)
        claim = fresh.get(path) if fresh else None
        if claim is not None:
            records.append(ClaimRecord(claim, path, fingerprint))
        elif json is not None and summary is not None:
            records.append(deferred(json, summary, path, fingerprint))
    if changed:
        _write_cache(cache_path, _Cache(key, time.time_ns(), entries))
    last_stats = stats
    return records, problems


def _unchanged(entry: _Entry, now: tuple[int, int, int], path: str, racy_limit: int) -> bool:
    """Size, mtime and inode as cached, and either old enough or with the same content."""
    if entry[:3] != now:
        return False
    if now[1] < racy_limit:
        return True
    try:
        with open(path, "rb") as handle:
            data = handle.read()
    except OSError:
        return False
    return Fingerprint.digest_of(data) == entry.digest


def _entry_of(document: RawDocument) -> tuple[_Entry, Claim | None]:
    claim, problems = validate_document(document, Claim)
    fingerprint = document.fingerprint
    inode = document.inode
    if fingerprint is None:
        return _Entry(-1, -1, inode, "", None, None, problems), claim
    json = claim.model_dump_json(by_alias=True).encode() if claim is not None else None
    summary = ClaimSummary.of(claim) if claim is not None else None
    entry = _Entry(
        fingerprint.size, fingerprint.mtime_ns, inode, fingerprint.digest, json, summary, problems
    )
    return entry, claim


def _write_cache(path: Path, cache: _Cache) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_suffix(f".{os.getpid()}.tmp")
        with temporary.open("wb") as handle:
            pickle.dump(cache, handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(temporary, path)
    except (OSError, pickle.PicklingError, TypeError, AttributeError):
        # A cache that cannot be written costs a cold load next time, nothing more.
        return
