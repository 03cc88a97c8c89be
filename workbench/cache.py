"""A cache of validated claims, so a warm start reads one file instead of thousands.

Each claim is cached as the JSON of its validated model and a summary; records
built from it make the model only when asked (see `storage.ClaimRecord`).

A file's result is reused when its size, mtime and inode are what they were and
the file is older than the cache by more than `RACY_SECONDS`; a file modified
within that window (where mtime granularity could hide a second edit) is hashed
and reused only if its content hash matches.  This is git's "racy clean" rule.
The cache is keyed by the model code and library versions, so a change to the
schema invalidates it.  It lives in the user's cache folder, never in the
project (`workbench check` writes nothing there); `WORKBENCH_CACHE_DIR` moves
it and `WORKBENCH_CACHE_DIR=off` disables it.  Any failure to read or write it
just means a cold load.

A warm start maps the claims' JSON from the cache file instead of reading it
(see `_JSON_SPANS`).  The file is only ever replaced, never written in place,
so a process keeps a consistent view of the one it mapped; where the platform
refuses to replace a mapped file (Windows), the new cache is not written.
"""

from __future__ import annotations

import hashlib
import itertools
import mmap
import os
import pickle
import sys
import time
from array import array
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import pydantic

from workbench.bulk_read import (
    FileStat,
    FolderStamp,
    PendingStats,
    claim_files,
    folders_unchanged,
    list_claim_files,
    load_claims_split,
)
from workbench.models import Claim
from workbench.problems import Problem
from workbench.storage import (
    ClaimRecord,
    ClaimSummary,
    Fingerprint,
    PlainFingerprint,
    PlainSummary,
)

RACY_SECONDS = 2.0
RACY_NS = int(RACY_SECONDS * 1e9)


_JSON_SPANS = """How the cache file holds each claim's JSON: the columns pickle
`ends`, n + 1 offsets from 0, and claim i's JSON is bytes ends[i]:ends[i + 1]
of what follows the columns (empty for a file that did not validate).  A warm
start maps the file and keeps views of it: the JSON was two thirds of what it
unpickled at 100,000 claims (111 MB), and a record reads its claim's only to
build the model."""


@dataclass(slots=True)
class _Cache:
    """Every claim file's cached result, as columns in the order of `paths`.

    Columns rather than an entry object per file: a warm start of 100,000
    claims unpickled the per-file entries in 0.47 s and these lists in 0.29 s,
    and when no file was added or removed, "has any file changed" is one
    comparison of two lists of stat tuples, done in C.  A claim is kept as the
    JSON of its validated model plus its summary, not as the pickled model:
    unpickling 100,000 models took 2.2 s, and a record builds its model only
    when something asks for it.

    On disk it is two pickles of plain tuples: a small header (the key, the
    folders and the file list) and the columns; then every claim's JSON, one
    after another, which a warm start maps rather than reads (`_JSON_SPANS`).
    A warm start reads the header, knows the file list without listing the
    folder when no folder changed, and starts stat-ing the files in a second
    process before it reads the columns.
    """

    key: str
    written_ns: int
    folders: list[FolderStamp]
    paths: list[str]
    newest_mtime_ns: int
    """The newest mtime among `stats`: when it is older than the racy window,
    no file needs hashing."""
    stats: list[FileStat]
    fingerprints: list[PlainFingerprint | None]
    jsons: list[bytes | memoryview | None]
    """None where the file did not validate (its problems say why); a view of
    the mapped cache file where read from it."""
    summaries: list[PlainSummary | None]
    problems: dict[str, list[Problem]]
    """Only the files that have any."""

    def header(self) -> tuple[str, int, list[FolderStamp], list[str], int]:
        return (self.key, self.written_ns, self.folders, self.paths, self.newest_mtime_ns)

    def columns(
        self,
    ) -> tuple[
        list[FileStat],
        list[PlainFingerprint | None],
        array[int],
        list[PlainSummary | None],
        dict[str, list[Problem]],
    ]:
        """The columns as pickled: the JSON as the spans `_JSON_SPANS` describes."""
        ends = array("q", [0])
        total = 0
        for json in self.jsons:
            total += len(json) if json is not None else 0
            ends.append(total)
        return (self.stats, self.fingerprints, ends, self.summaries, self.problems)


@dataclass(slots=True)
class CacheStats:
    """How the last load used the cache (for the benchmark and for tests)."""

    reused: int = 0
    parsed: int = 0


last_stats = CacheStats()


def _cache_key() -> str:
    """Changes with the models, the record and summary shapes, the rules for which
    files are claims (`bulk_read`) and the library versions."""
    hasher = hashlib.blake2b(digest_size=8)
    for name in ("models.py", "storage.py", "bulk_read.py", "cache.py"):
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


@dataclass(slots=True)
class _Listing:
    """The claim files now, their stats (if a cache was read) and the cache."""

    paths: list[str]
    folders: list[FolderStamp]
    stats: list[FileStat] | None = None
    cache: _Cache | None = None
    listed: bool = True
    """Whether the folders were listed (rather than the list taken from the cache)."""


def _read_cache(path: Path, key: str, folder: Path) -> _Listing:
    """List the claim files and read the cache, overlapping the two where it can.

    The file list comes from the cache's header when no folder changed since
    it was written, and is listed afresh otherwise; the files are then stat'ed
    in a child process (`PendingStats`) while the columns are unpickled.
    """
    try:
        handle = path.open("rb")
    except OSError:
        return _Listing(*list_claim_files(folder))
    with handle:
        try:
            key_found, written_ns, folders, paths, newest = pickle.load(handle)
        except Exception:
            return _Listing(*list_claim_files(folder))
        if key_found != key:
            return _Listing(*list_claim_files(folder))
        cached_paths, cached_folders = paths, folders
        listed = not folders_unchanged(folders, written_ns - RACY_NS)
        if listed:
            paths, folders = list_claim_files(folder)
        pending = PendingStats(paths)
        try:
            try:
                stats, fingerprints, ends, summaries, problems = pickle.load(handle)
                jsons = _mapped_jsons(handle, ends)
            except Exception:
                return _Listing(paths, folders)
            columns = (stats, fingerprints, jsons, summaries)
            if any(len(column) != len(cached_paths) for column in columns):
                return _Listing(paths, folders)
            cache = _Cache(
                key,
                written_ns,
                cached_folders,
                cached_paths,
                newest,
                stats,
                fingerprints,
                jsons,
                summaries,
                problems,
            )
            return _Listing(paths, folders, pending.result(), cache, listed)
        finally:
            pending.close()


def _mapped_jsons(handle: BinaryIO, ends: array[int]) -> list[bytes | memoryview | None]:
    """Views of each claim's JSON in the cache file, mapped (see `_JSON_SPANS`).

    Raises if the spans do not fit the file, as after a truncated write.
    """
    start = handle.tell()
    mapped = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)
    if not isinstance(ends, array) or ends[0] != 0 or start + ends[-1] != len(mapped):
        raise ValueError("the claims' JSON does not fit the cache file")
    view = memoryview(mapped)[start:]
    return [view[begin:end] if end > begin else None for begin, end in itertools.pairwise(ends)]


def load_claims_cached(root: Path, folder: Path) -> tuple[list[ClaimRecord], list[Problem]]:
    """Load the claims below `folder`, reusing cached results for unchanged files."""
    global last_stats
    cache_path = cache_file(root)
    if cache_path is None:
        from workbench.project import load_claims

        paths = claim_files(folder)
        last_stats = CacheStats(parsed=len(paths))
        return load_claims(paths)
    key = _cache_key()
    listing = _read_cache(cache_path, key, folder)
    paths = listing.paths
    cache, stats_now = listing.cache, listing.stats
    if cache is None or stats_now is None:
        cache, stats_now = _empty(key), [None] * len(paths)
    reused, hashed = _reusable(cache, paths, stats_now)
    stale = [path for path, old in zip(paths, reused, strict=True) if old is None]
    fresh: dict[str, Claim] = {}
    # Rewritten when anything was read or removed, and also when the folders had
    # to be listed or files hashed, if a newer cache would let the next start
    # skip that (it would not for a file dated in the future).
    if (
        stale
        or paths != cache.paths
        or ((hashed or listing.listed) and _settled(listing.folders, stats_now))
    ):
        cache = _updated(cache, listing, stats_now, reused, stale, fresh)
        _write_cache(cache_path, cache)
    last_stats = CacheStats(reused=len(paths) - len(stale), parsed=len(stale))
    records: list[ClaimRecord] = []
    append = records.append
    for path, fingerprint, json, summary in zip(
        cache.paths, cache.fingerprints, cache.jsons, cache.summaries, strict=True
    ):
        if json is not None and summary is not None:
            stamp = Fingerprint.from_plain(fingerprint) if fingerprint is not None else None
            claim = fresh.get(path) if fresh else None
            if claim is not None:
                append(ClaimRecord(claim, path, stamp))
            else:
                named = ClaimSummary.from_plain(summary)
                append(ClaimRecord(None, path, stamp, json=json, summary=named))
    problems = [problem for path in sorted(cache.problems) for problem in cache.problems[path]]
    return records, problems


def _empty(key: str) -> _Cache:
    return _Cache(key, 0, [], [], 0, [], [], [], [], {})


def _reusable(
    cache: _Cache, paths: list[str], stats_now: list[FileStat]
) -> tuple[list[int | None], bool]:
    """Per path, the position of its still-valid cached result, or None to read it
    again; and whether any file had to be hashed to tell.

    Valid means size, mtime and inode as cached, and either older than the
    cache by `RACY_SECONDS` or with the same content hash.
    """
    racy_limit = cache.written_ns - RACY_NS
    if cache.paths == paths:
        old_positions: list[int | None] = list(range(len(paths)))
        if cache.stats == stats_now:  # the usual warm start: nothing touched
            if cache.newest_mtime_ns < racy_limit and None not in stats_now:
                return old_positions, False
            same = old_positions
        else:
            same = [
                at if old == now and now is not None else None
                for at, (old, now) in enumerate(zip(cache.stats, stats_now, strict=True))
            ]
    else:
        where = {path: at for at, path in enumerate(cache.paths)}
        old_positions = [where.get(path) for path in paths]
        same = [
            at if at is not None and now is not None and cache.stats[at] == now else None
            for at, now in zip(old_positions, stats_now, strict=True)
        ]
    hashed = False
    for position, now in enumerate(stats_now):
        at = same[position]
        if at is None:
            continue
        if now is None:  # gone since the folder was listed, or cannot be stat'ed: read it
            same[position] = None
        elif now[1] >= racy_limit:
            hashed = True
            fingerprint = cache.fingerprints[at]
            if fingerprint is None or not _same_content(paths[position], fingerprint[2]):
                same[position] = None
    return same, hashed


def _settled(folders: list[FolderStamp], stats: list[FileStat]) -> bool:
    """Whether every folder and file is older than the racy window from now."""
    limit = time.time_ns() - RACY_NS
    newest_file = max((stat[1] for stat in stats if stat is not None), default=0)
    return newest_file < limit and all(mtime_ns < limit for _, mtime_ns in folders)


def _same_content(path: str, digest: str) -> bool:
    try:
        with open(path, "rb") as handle:
            data = handle.read()
    except OSError:
        return False
    return Fingerprint.digest_of(data) == digest


def _updated(
    cache: _Cache,
    listing: _Listing,
    stats_now: list[FileStat],
    reused: list[int | None],
    stale: list[str],
    fresh: dict[str, Claim],
) -> _Cache:
    """A new cache for `paths`: reused columns where valid, the stale files read and
    validated (their models are put in `fresh`, since they are built anyway)."""
    read: dict[str, tuple[FileStat, PlainFingerprint | None, bytes | None, PlainSummary | None]]
    read = {}
    problems: dict[str, list[Problem]] = {}
    for loaded in load_claims_split(stale):
        file = loaded.path
        if loaded.problems:
            problems[file] = loaded.problems
        stamp = loaded.fingerprint
        stat: FileStat = None
        plain: PlainFingerprint | None = None
        if stamp is not None:
            stat = (stamp.size, stamp.mtime_ns, loaded.inode)
            plain = stamp.plain()
        claim, dumped, named = loaded.claim, loaded.json, loaded.summary
        if claim is not None:
            fresh[file] = claim
            dumped = claim.model_dump_json(by_alias=True).encode()
            named = ClaimSummary.of(claim)
        if dumped is None or named is None:
            read[file] = (stat, plain, None, None)
        else:
            read[file] = (stat, plain, dumped, named.plain())
    paths = listing.paths
    new = _Cache(cache.key, time.time_ns(), listing.folders, paths, 0, [], [], [], [], problems)
    json: bytes | memoryview | None
    for path, at, now in zip(paths, reused, stats_now, strict=True):
        if at is None:
            stat, fingerprint, json, summary = read[path]
        else:
            stat, fingerprint = now, cache.fingerprints[at]
            json, summary = cache.jsons[at], cache.summaries[at]
            if path in cache.problems:
                problems[path] = cache.problems[path]
        new.stats.append(stat)
        new.fingerprints.append(fingerprint)
        new.jsons.append(json)
        new.summaries.append(summary)
    new.newest_mtime_ns = max((stat[1] for stat in new.stats if stat is not None), default=0)
    return new


def _write_cache(path: Path, cache: _Cache) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_suffix(f".{os.getpid()}.tmp")
        with temporary.open("wb") as handle:
            pickle.dump(cache.header(), handle, protocol=pickle.HIGHEST_PROTOCOL)
            pickle.dump(cache.columns(), handle, protocol=pickle.HIGHEST_PROTOCOL)
            handle.writelines(json for json in cache.jsons if json is not None)
        os.replace(temporary, path)
    except (OSError, pickle.PicklingError, TypeError, AttributeError):
        # A cache that cannot be written costs a cold load next time, nothing more.
        return
