"""The load index: one SQLite row per claim file, so a warm start reads one database.

A row holds what loading the file produced: its stat (size, mtime, ctime,
inode), the digest of its bytes, the summary columns the claims list and
`stats` need, and either the claim's validated JSON (in a table of its own,
read only when a model is built) or the file's problems, so a warm `check`
shows them too.  A row is reused while the file's stat is what the row says;
a file changed within `RACY_NS` of when its row was written is hashed and
compared with the digest, since a second edit in the same clock tick keeps the
stat (git's "racy clean" rule).  ctime is in the stat because an edit can keep
size, inode and mtime (`touch -m -d`), but not ctime.  A changed file costs
its own row; a removed file deletes its row.

It is a cache, never data.  Nothing is unpickled and no row is trusted:
each carries a check over its columns and the JSON a check of its own, so a row
that fails to decode, check or validate is a miss and its file is read again.
The key (package version, a hash of the code that decides what a row holds,
pydantic and Python versions) sits in a meta row; a different key empties the
index, so a new release never shows an old release's problems.  A database
that is unreadable, corrupt, of another schema, not a regular file or locked
by another process costs at most a one-line notice and a load from the files.
Several processes may load at once: SQLite's WAL lets readers run beside a
writer, a busy writer waits `BUSY_SECONDS` and then skips its update.

Every write in the project starts from the file on disk, never from here.

The database lives in the user's cache folder, one per project root, never in
the project (`workbench check` writes nothing there); `WORKBENCH_CACHE_DIR`
moves it and `WORKBENCH_CACHE_DIR=off` turns it off.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import heapq
import itertools
import json
import logging
import marshal
import os
import sqlite3
import stat
import sys
import threading
import time
import zlib
from collections.abc import Callable, Collection, Iterator, Sequence
from dataclasses import dataclass
from operator import itemgetter
from pathlib import Path
from typing import Any

import pydantic

from workbench.files.listing import FileStat
from workbench.models import Claim
from workbench.problems import Problem, Severity
from workbench.storage import (
    ClaimRecord,
    ClaimSummary,
    Fingerprint,
    StaleFileError,
    file_digest,
    read_document,
    validate_document,
)

logger = logging.getLogger("workbench.index")

SCHEMA_VERSION = 3
RACY_NS = 2_000_000_000
BUSY_SECONDS = 1.0
"""How long a write waits for another process's write; then this load skips its update."""


_SCHEMA = """
CREATE TABLE meta (name TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE files (
    id INTEGER PRIMARY KEY,
    path TEXT NOT NULL UNIQUE,
    size INTEGER NOT NULL,
    mtime_ns INTEGER NOT NULL,
    ctime_ns INTEGER NOT NULL,
    inode INTEGER NOT NULL,
    digest TEXT NOT NULL,
    summary TEXT,
    json_digest TEXT,
    problems TEXT,
    indexed_ns INTEGER NOT NULL,
    row_check INTEGER NOT NULL,
    claim_id TEXT,
    source_id TEXT,
    status TEXT
);
CREATE INDEX files_by_source ON files (source_id, claim_id);
CREATE INDEX files_by_status ON files (status);
CREATE INDEX files_with_problems ON files (path) WHERE problems IS NOT NULL;
CREATE TABLE claim_json (id INTEGER PRIMARY KEY, json BLOB NOT NULL);
CREATE TABLE frame_rows (digest TEXT PRIMARY KEY, data BLOB NOT NULL, row_check INTEGER NOT NULL);
"""
"""`files` has a row per claim file: its `summary` (the `ClaimSummary` fields in one
text, see `_pack_summary`) and `json_digest` when the file validated, `problems`
(JSON) when it did not.  The JSON sits in a table of its own so that a warm
start's scan of `files` reads none of it.  `claim_id`, `source_id` and `status`
repeat three of the summary's fields, indexed, so that the review app's first page
and its counts are a few index lookups (`load_first_page`) rather than a read of
every row; outside the row's check, they are only read for that first page, which
the rows' summaries replace right after.  `frame_rows` holds what the matching engine
read of a claim file (`workbench.matching.stored`), by the file's digest, for the code
and lexicon named by the meta row `frame_key`."""

_COLUMNS = (
    "id, path, size, mtime_ns, ctime_ns, inode, digest, summary, json_digest, problems,"
    " indexed_ns, row_check"
)
"""In the order rows are written and read: the checked columns (`row[1:10]`) in one run."""

_QUICK_COLUMNS = "id, path, size, mtime_ns, digest, summary, json_digest, problems"
"""What `load_unchecked` reads: a record's summary, fingerprint and model, and nothing
that only checking a row against its file needs."""

_LISTED_COLUMNS = "claim_id, source_id, status"
"""Written with every row (after `_COLUMNS`), read only by `load_first_page`."""

_PLACEHOLDERS = ", ".join("?" * (f"{_COLUMNS}, {_LISTED_COLUMNS}".count(",") + 1))
_INSERT_ROW = (
    f"INSERT OR REPLACE INTO files ({_COLUMNS}, {_LISTED_COLUMNS}) VALUES ({_PLACEHOLDERS})"
)

_PageRows = tuple[
    list[tuple[Any, ...]], list[tuple[Any, ...]], dict[str, int], list[str], list[str]
]
"""What `LoadIndex.first_page_rows` reads (see there)."""

_CORRUPT_CODES = frozenset({11, 26})  # SQLITE_CORRUPT, SQLITE_NOTADB
_SCHEMA_CODES = frozenset({1})  # SQLITE_ERROR: no such table or column


@dataclass(slots=True)
class IndexStats:
    """How the last load used the index (for tests and the benchmarks)."""

    reused: int = 0
    parsed: int = 0
    written: int = 0
    deleted: int = 0


last_load = IndexStats()


def cache_folder() -> Path | None:
    """The user's cache folder for the workbench, or None when caching is off.

    `WORKBENCH_CACHE_DIR` wins (`off` turns caching off); otherwise the
    platform's own cache folder (`~/.cache/workbench` or `$XDG_CACHE_HOME` on
    Linux, `~/Library/Caches/workbench` on macOS, `%LOCALAPPDATA%\\workbench\\Cache`
    on Windows), as `platformdirs` knows it.
    """
    setting = os.environ.get("WORKBENCH_CACHE_DIR", "")
    if setting.lower() in {"off", "0", "none"}:
        return None
    if setting:
        return Path(setting)
    from platformdirs import user_cache_path

    return user_cache_path("workbench", appauthor=False)


def project_key(root: Path) -> str:
    """A short name for the project at `root`, for its files in the cache folder."""
    return hashlib.blake2b(str(root.resolve()).encode(), digest_size=8).hexdigest()


def index_file(root: Path) -> Path | None:
    """Where the index of the project at `root` lives, or None when it is off."""
    folder = cache_folder()
    if folder is None:
        return None
    return folder / f"index-{project_key(root)}.sqlite3"


_UNKEYED_PACKAGES = frozenset({"app", "commands", "export", "matching"})
"""Sub-packages that do not decide what a row holds; every other module of the
package is in the key (models, reading, validation, problems, the listing)."""


@functools.cache
def code_key() -> str:
    """The package version, a hash of the code that decides what a row holds, and
    the versions of pydantic and Python: rows from any other code are never used."""
    from workbench import __version__

    package = Path(__file__).resolve().parent.parent
    hasher = hashlib.blake2b(digest_size=12)
    for path in sorted(package.rglob("*.py")):
        relative = path.relative_to(package)
        if relative.parts[0] in _UNKEYED_PACKAGES:
            continue
        hasher.update(relative.as_posix().encode())
        hasher.update(path.read_bytes())
    python = ".".join(map(str, sys.version_info[:3]))
    return f"{__version__}-{hasher.hexdigest()}-{pydantic.VERSION}-{python}-{SCHEMA_VERSION}"


_MARSHAL_VERSION = 2
"""The last `marshal` format without back-references and interned-string marks: its
bytes depend only on the values, not on which objects are shared or interned."""


def _row_check(values: tuple[Any, ...]) -> int:
    """A check over a row's columns (all but its id, indexed_ns and the check itself).

    A CRC of their `marshal` form (version 2: the same values always give the
    same bytes), which is made in C and tells `3` from `"3"`:
    a column changed in value or type fails it (a corrupt page, an edit), at a
    few microseconds a row.  It stops accidents, not a forger, who could
    recompute it; what a forged row can do is limited to reading (every write
    starts from the file) and no row is ever executed.
    """
    return zlib.crc32(marshal.dumps(values, _MARSHAL_VERSION))


def _json_check(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def _notice(path: Path, what: str) -> None:
    """One line on stderr (through `logging`, so a script can silence it)."""
    logger.warning("workbench: %s %s; loading from the files", path, what)


def _is_corrupt(error: sqlite3.Error) -> bool:
    return getattr(error, "sqlite_errorcode", None) in _CORRUPT_CODES or (
        type(error) is sqlite3.DatabaseError
    )


class LoadIndex:
    """An open index of one project: read its rows, update them, build deferred models.

    The connection is opened on demand and reopened in a forked child (a
    SQLite connection must not cross a fork); a lock serialises the threads of
    the review app that build models.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self._connection: sqlite3.Connection | None = None
        self._pid = 0
        self._lock = threading.Lock()
        self._prefetched: dict[int, bytes] = {}
        self.usable = True

    # ------------------------------------------------------------------ opening

    @classmethod
    def open(cls, path: Path) -> LoadIndex | None:
        """The index at `path`, ready and keyed for this code; None to load without it."""
        index = cls(path)
        for attempt in range(2):
            problem = index._unusable_file()
            if problem is not None:
                _notice(path, problem)
                return None
            try:
                with index._lock:
                    index._prepare()
                return index
            except sqlite3.Error as error:
                index.close()
                if attempt == 0 and _is_corrupt(error) and index._remove():
                    _notice(path, f"was not a readable index ({error}): rebuilding it")
                    continue
                _notice(path, f"cannot be used ({error})")
                return None
            except OSError as error:
                index.close()
                _notice(path, f"cannot be used ({error.strerror or error})")
                return None
        return None

    def _unusable_file(self) -> str | None:
        """Why the database (or its WAL files) must not be opened: SQLite would block
        on a FIFO, fail on a folder and read whatever a device gives."""
        for suffix in ("", "-wal", "-shm"):
            candidate = f"{self.path}{suffix}"
            try:
                found = os.stat(candidate)
            except FileNotFoundError:
                continue
            except OSError as error:
                return f"cannot be used ({error.strerror or error})"
            if not stat.S_ISREG(found.st_mode):
                return f"is not a regular file ({candidate})"
        return None

    def _remove(self) -> bool:
        try:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{self.path}{suffix}").unlink(missing_ok=True)
        except OSError:
            return False
        return True

    def _connect(self) -> sqlite3.Connection:
        if self._connection is None or self._pid != os.getpid():
            self.path.parent.mkdir(parents=True, exist_ok=True)
            # isolation_level=None: transactions are begun explicitly below
            connection = sqlite3.connect(
                self.path, timeout=BUSY_SECONDS, isolation_level=None, check_same_thread=False
            )
            self._connection, self._pid = connection, os.getpid()
        return self._connection

    def _prepare(self) -> None:
        """WAL mode, the schema, and the key: rows from other code are dropped."""
        connection = self._connect()
        mode = connection.execute("PRAGMA journal_mode = WAL").fetchone()
        if mode is None or str(mode[0]).lower() != "wal":
            raise sqlite3.OperationalError(f"journal mode is {mode}, not WAL")
        connection.execute("PRAGMA synchronous = NORMAL")
        if self._key_found(connection) == code_key():
            return
        with _immediate(connection):
            if self._key_found(connection) != code_key():  # another process may have reset it
                self._reset(connection)

    @staticmethod
    def _key_found(connection: sqlite3.Connection) -> str | None:
        try:
            row = connection.execute("SELECT value FROM meta WHERE name = 'key'").fetchone()
        except sqlite3.OperationalError as error:
            if getattr(error, "sqlite_errorcode", None) in _SCHEMA_CODES:
                return None  # no meta table: empty, or another program's database
            raise
        return str(row[0]) if row is not None else None

    @staticmethod
    def _reset(connection: sqlite3.Connection) -> None:
        """Drop every table and create the schema for this code (inside a transaction)."""
        tables = connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        ).fetchall()
        for (name,) in tables:
            connection.execute(f'DROP TABLE "{name.replace(chr(34), chr(34) * 2)}"')
        for statement in _SCHEMA.split(";"):
            if statement.strip():
                connection.execute(statement)
        connection.execute("INSERT INTO meta VALUES ('key', ?)", (code_key(),))

    def close(self) -> None:
        connection, self._connection = self._connection, None
        if connection is not None and self._pid == os.getpid():
            with contextlib.suppress(sqlite3.Error):
                connection.close()

    # ------------------------------------------------------------------ rows

    def rows(self) -> dict[str, tuple[Any, ...]]:
        """Every row by path; empty (and the index reset) if the rows cannot be read."""
        try:
            with self._lock:
                found = self._connect().execute(f"SELECT {_COLUMNS} FROM files").fetchall()
            return dict(zip(map(itemgetter(1), found), found, strict=True))
        except sqlite3.Error as error:
            self._recover(error)
            return {}

    def quick_rows(self) -> list[tuple[Any, ...]]:
        """The `_QUICK_COLUMNS` of every row, in path order; empty if they cannot be read."""
        try:
            with self._lock:
                return (
                    self._connect()
                    .execute(f"SELECT {_QUICK_COLUMNS} FROM files ORDER BY path")
                    .fetchall()
                )
        except sqlite3.Error as error:
            self._recover(error)
            return []

    def first_page_rows(
        self, groups: Sequence[Sequence[str | None]], limit: int, sample: int
    ) -> _PageRows | None:
        """`load_first_page`'s queries: the page's rows and every problem row (both
        `_QUICK_COLUMNS`), the counts by status, the sample of ids, the source ids;
        None (and the index reset or dropped) if they cannot be read."""
        try:
            with self._lock:
                return _first_page_rows(self._connect(), groups, limit, sample)
        except sqlite3.Error as error:
            self._recover(error)
            return None

    def _recover(self, error: sqlite3.Error) -> None:
        """After a failed read or write: reset a wrong schema, drop a corrupt file."""
        code = getattr(error, "sqlite_errorcode", None)
        if code in _SCHEMA_CODES:
            try:
                with self._lock:
                    connection = self._connect()
                    with _immediate(connection):
                        self._reset(connection)
                _notice(self.path, f"had another schema ({error}): rebuilding it")
                return
            except sqlite3.Error:
                pass
        elif _is_corrupt(error):
            self.close()
            if self._remove():
                _notice(self.path, f"was corrupt ({error}): rebuilding it")
                self.usable = False
                return
        _notice(self.path, f"cannot be used ({error})")
        self.usable = False

    def update(
        self,
        upserts: list[tuple[tuple[Any, ...], bytes | None]],
        stale_ids: list[int],
        settled: list[tuple[int, int]],
    ) -> int | None:
        """Delete the rows `stale_ids` (changed and removed files), write the new rows
        (each with its JSON), and re-date rows whose racy files were hashed and
        found settled (`settled`: indexed_ns and row id).  One transaction.

        The id of the first new row (the others follow it in order), or None if
        nothing was written: nothing to write, or another process held the
        database past `BUSY_SECONDS`, or it failed otherwise."""
        if not (upserts or stale_ids or settled) or not self.usable:
            return None
        first = 0

        def write(connection: sqlite3.Connection) -> None:
            nonlocal first
            gone = [(rowid,) for rowid in stale_ids]
            connection.executemany("DELETE FROM files WHERE id = ?", gone)
            connection.executemany("DELETE FROM claim_json WHERE id = ?", gone)
            # ids given here so that rows and JSON go in with one call each; a
            # row another process wrote for the same path meanwhile is replaced
            (last,) = connection.execute("SELECT max(id) FROM files").fetchone()
            first = (last or 0) + 1
            connection.executemany(
                _INSERT_ROW,
                ((first + at, *values) for at, (values, _) in enumerate(upserts)),
            )
            connection.executemany(
                "INSERT OR REPLACE INTO claim_json VALUES (?, ?)",
                ((first + at, data) for at, (_, data) in enumerate(upserts) if data is not None),
            )
            connection.executemany("UPDATE files SET indexed_ns = ? WHERE id = ?", settled)

        return first if self._write(write) else None

    def _write(self, write: Callable[[sqlite3.Connection], None]) -> bool:
        """`write` in one immediate transaction; False (and nothing written) if another
        process held the database past `BUSY_SECONDS` or it failed otherwise (then
        the index recovers: `_recover`)."""
        try:
            with self._lock:
                connection = self._connect()
                with _immediate(connection):
                    write(connection)
        except sqlite3.Error as error:
            if getattr(error, "sqlite_errorcode", None) not in (5, 6):  # BUSY, LOCKED
                self._recover(error)
            return False
        return True

    # ------------------------------------------------------------------ models

    def claim(self, rowid: int, json_digest: str, path: str) -> Claim:
        """A deferred record's model: its JSON from the index if that checks out,
        otherwise read and validated from the file (the file always wins)."""
        data = self._prefetched.pop(rowid, None)
        if data is None and self.usable:
            try:
                with self._lock:
                    row = (
                        self._connect()
                        .execute("SELECT json FROM claim_json WHERE id = ?", (rowid,))
                        .fetchone()
                    )
                data = row[0] if row is not None else None
            except sqlite3.Error:
                data = None
        if isinstance(data, bytes) and _json_check(data) == json_digest:
            try:
                return Claim.model_validate_json(data)
            except (pydantic.ValidationError, ValueError):
                pass
        document = read_document(path)
        claim, _problems = validate_document(document, Claim)
        if claim is None:
            raise StaleFileError(Path(path), "the file changed on disk since it was loaded")
        return claim

    def prefetch(self) -> None:
        """Read every claim's JSON in one query, before building all deferred models."""
        if not self.usable:
            return
        try:
            with self._lock:
                cursor = self._connect().execute("SELECT id, json FROM claim_json")
                self._prefetched = dict(cursor)
        except sqlite3.Error:
            self._prefetched = {}

    def forget_prefetched(self) -> None:
        self._prefetched = {}
        with self._lock:
            self.close()

    def iter_claim_json(self, digests: Collection[str]) -> Iterator[tuple[str, bytes]]:
        """(file digest, validated JSON) of each row whose file digest is in `digests`
        and whose JSON checks out, read in batches and never all held at once.

        For readers that want a few fields of every claim as plain data (the
        matching engine) rather than 100,000 models; a file digest names the very
        bytes a record was loaded from, so a row rewritten meanwhile is left out
        (its reader then builds that record's model, from the file if need be).
        Yields nothing if the index cannot be read.
        """
        if not self.usable:
            return
        query = (
            "SELECT files.digest, files.json_digest, claim_json.json FROM files"
            " JOIN claim_json ON claim_json.id = files.id WHERE files.json_digest IS NOT NULL"
        )
        try:
            with self._lock:
                cursor = self._connect().execute(query)
            while True:
                with self._lock:
                    batch = cursor.fetchmany(2048)
                if not batch:
                    break
                for digest, json_digest, data in batch:
                    if (
                        digest in digests
                        and isinstance(data, bytes)
                        and _json_check(data) == json_digest
                    ):
                        yield digest, data
        except sqlite3.Error:
            return
        finally:
            with self._lock:
                self.close()

    # ------------------------------------------------------------------ frame rows

    def frame_rows(self, key: str, digests: Collection[str]) -> tuple[dict[str, bytes], list[str]]:
        """The matching engine's rows (`workbench.matching.stored`) of the file digests
        `digests`, each checked, if they were written for `key`; and the digests of rows
        no longer wanted (files changed or removed since), for `store_frame_rows` to
        drop.  Nothing (and every claim read again) if the index cannot be read."""
        found: dict[str, bytes] = {}
        unwanted: list[str] = []
        if not self.usable:
            return found, unwanted
        try:
            with self._lock:
                connection = self._connect()
                row = connection.execute(
                    "SELECT value FROM meta WHERE name = 'frame_key'"
                ).fetchone()
                if row is None or row[0] != key:
                    return found, unwanted
                rows = connection.execute(
                    "SELECT digest, data, row_check FROM frame_rows"
                ).fetchall()
        except sqlite3.Error:
            return found, unwanted
        finally:
            with self._lock:
                self.close()
        crc32 = zlib.crc32
        for digest, data, check in rows:
            if digest not in digests:
                unwanted.append(digest)
            elif isinstance(data, bytes) and crc32(data, crc32(digest.encode())) == check:
                found[digest] = data
        return found, unwanted

    def store_frame_rows(
        self, key: str, rows: Sequence[tuple[str, bytes]], unwanted: Sequence[str] = ()
    ) -> bool:
        """Write the engine's rows (file digest, data) for `key`, dropping the rows of
        another key and those `unwanted`; one transaction, False (nothing written) if
        another process held the database past `BUSY_SECONDS` or it failed."""
        if not (rows or unwanted) or not self.usable:
            return True
        crc32 = zlib.crc32

        def write(connection: sqlite3.Connection) -> None:
            found = connection.execute("SELECT value FROM meta WHERE name = 'frame_key'").fetchone()
            if found is None or found[0] != key:
                connection.execute("DELETE FROM frame_rows")
                connection.execute("INSERT OR REPLACE INTO meta VALUES ('frame_key', ?)", (key,))
            else:
                connection.executemany(
                    "DELETE FROM frame_rows WHERE digest = ?", ((digest,) for digest in unwanted)
                )
            connection.executemany(
                "INSERT OR REPLACE INTO frame_rows VALUES (?, ?, ?)",
                ((digest, data, crc32(data, crc32(digest.encode()))) for digest, data in rows),
            )

        try:
            return self._write(write)
        finally:
            with self._lock:
                self.close()


@contextlib.contextmanager
def _immediate(connection: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """One immediate transaction: committed when the block ends, rolled back when it
    raises (whatever it raises: an interrupt leaves nothing half-written)."""
    connection.execute("BEGIN IMMEDIATE")
    try:
        yield connection
        connection.execute("COMMIT")
    except BaseException:
        if connection.in_transaction:
            connection.execute("ROLLBACK")
        raise


def _problems_json(problems: list[Problem]) -> str | None:
    if not problems:
        return None
    return json.dumps(
        [
            [problem.line, problem.column, problem.code, problem.message, problem.severity.value]
            for problem in problems
        ],
        ensure_ascii=False,
    )


def _problems_of(path: str, text: str) -> list[Problem]:
    """A row's problems; raises on anything that is not what `_problems_json` wrote."""
    found = json.loads(text)
    problems = []
    for line, column, code, message, severity in found:
        if not (isinstance(line, int) and isinstance(column, int)):
            raise ValueError("a problem's line and column are numbers")
        problems.append(
            Problem(Path(path), line, column, str(code), str(message), Severity(severity))
        )
    return problems


_FIELD = "\x1f"
_ITEM = "\x1e"
_PAIR = "\x1d"
_FIELDS = 11


def _pack_summary(summary: ClaimSummary) -> str | None:
    """The summary as one text, its fields split by U+001F, related ids and verdicts
    by U+001E, a verdict's reviewer and status by U+001D: a warm start reads one
    column instead of eleven, splitting it in C.  None if a field holds one of these
    characters (the file is then read each time, never misread)."""
    verdicts = [f"{reviewer}{_PAIR}{status}" for reviewer, status in summary.verdicts]
    fields = (
        *summary[:7],
        _ITEM.join(summary.related),
        str(summary.evidence),
        summary.recheck,
        _ITEM.join(verdicts),
    )
    packed = _FIELD.join(fields)
    if (
        packed.count(_FIELD) != _FIELDS - 1
        or any(_ITEM in field for field in summary[:7])
        or any(item.count(_PAIR) != 1 or _ITEM in item for item in verdicts)
    ):
        return None
    return packed


def _unpack_summary(packed: str) -> ClaimSummary:
    """`_pack_summary` undone; raises on anything it did not write."""
    fields: list[Any] = packed.split(_FIELD)
    if len(fields) != _FIELDS:
        raise ValueError(f"a summary has {_FIELDS} fields")
    related, verdicts = fields[7], fields[10]
    fields[7] = tuple(related.split(_ITEM)) if related else ()
    fields[8] = int(fields[8])
    if not verdicts:
        fields[10] = ()
    elif _ITEM not in verdicts:  # one reviewer: most claims, and this runs 100,000 times
        fields[10] = (tuple(verdicts.split(_PAIR)),)
    else:
        fields[10] = tuple(tuple(item.split(_PAIR)) for item in verdicts.split(_ITEM))
    return tuple.__new__(ClaimSummary, fields)


_SUMMARY_AT, _JSON_DIGEST_AT = 6, 7
"""Where `_row_values` puts the packed summary and the JSON's digest."""


def _row_values(
    path: str,
    file_stat: FileStat,
    indexed_ns: int,
    digest: str,
    summary: str | None,
    json_digest: str | None,
    problems: str | None,
    listed: ClaimSummary | None = None,
) -> tuple[Any, ...]:
    """A `files` row without its id: the check after the checked columns (see
    `_row_check`), then `_LISTED_COLUMNS` from `listed`, the claim's summary."""
    checked = (path, *file_stat, digest, summary, json_digest, problems)
    shown = (listed.id, listed.source_id, listed.status) if listed else (None, None, None)
    return (*checked, indexed_ns, _row_check(checked), *shown)


def _same_content(path: str, digest: str) -> bool:
    """Whether the file's bytes still have `digest` (for a racy row)."""
    return file_digest(path) == digest


FILES_PER_WRITE = 2000
"""Rows of files read that `load_indexed` writes at a time: all 100,000 of a first
run held until the end (each with its JSON) took 400 MB at the peak."""


def load_indexed(
    root: Path,
    paths: list[str],
    stats: list[FileStat],
    unchecked: UncheckedLoad | None = None,
    *,
    models: bool = True,
    progress: Callable[[int, int], None] | None = None,
) -> tuple[list[ClaimRecord], list[Problem], LoadIndex | None]:
    """Load the claim files `paths` (with their `stats`, from the listing) through the
    index of the project at `root`: unchanged files from their rows, the rest read.
    `progress` is told now and then how many of the files are done, of how many.

    `unchecked` is what `load_unchecked` gave earlier: a record of it whose
    row is unchanged and passes every check now is returned as it is (the same
    object), so the caller sees what changed by identity.

    Without `models`, a file read is kept as its row is: its summary, and its model
    built from the index when first asked for, as on a warm start.  For a caller
    that needs few models (`workbench conflicts`): at 100,000 claims, a first run
    holding every model peaked at 1.6 GB.

    Never raises for the index: without one (off, unusable), every file is read.
    """
    global last_load
    made = unchecked.by_path() if unchecked is not None else {}
    location = index_file(root)
    index = LoadIndex.open(location) if location is not None else None
    rows = index.rows() if index is not None else {}
    now_ns = time.time_ns()
    records: list[ClaimRecord] = []
    problems: list[Problem] = []
    upserts: list[tuple[tuple[Any, ...], bytes | None]] = []
    owners: list[int | None] = []  # the position in `records` of each upsert's record
    settled: list[tuple[int, int]] = []
    stale_ids: list[int] = []
    reused = rows_written = 0
    append = records.append
    crc32, dumps, partial = zlib.crc32, marshal.dumps, functools.partial
    pop = rows.pop
    racy_after = now_ns - RACY_NS
    total = len(paths)
    for looked, (path, file_stat) in enumerate(zip(paths, stats, strict=True)):
        row = pop(path, None)
        if row is not None and index is not None:
            if row[2:6] == file_stat:
                changed_ns = max(file_stat[1], file_stat[2])
                racy = changed_ns >= row[10] - RACY_NS
                try:
                    if racy and not _same_content(path, row[6]):
                        raise ValueError("changed within the racy window")
                    # `_row_check`, inlined: this loop runs once per claim on every start
                    if crc32(dumps(row[1:10], _MARSHAL_VERSION)) != row[11]:
                        raise ValueError("the row does not match its check")
                    if row[9] is None:
                        known = made.get(path)
                        if known is not None and _made_from(row, known[1]):
                            append(known[0])
                        else:
                            append(
                                ClaimRecord(
                                    None,
                                    path,
                                    tuple.__new__(Fingerprint, (row[2], row[3], row[6])),
                                    summary=_unpack_summary(row[7]),
                                    loader=partial(index.claim, row[0], row[8], path),
                                )
                            )
                    else:
                        problems.extend(_problems_of(path, row[9]))
                except Exception:  # a bad row is a miss: read the file
                    pass
                else:
                    if racy and changed_ns < racy_after:
                        settled.append((now_ns, row[0]))
                    reused += 1
                    if progress is not None and not looked & 4095:
                        progress(looked, total)
                    continue
            stale_ids.append(row[0])
        if progress is not None:  # a file read takes a millisecond: told every time
            progress(looked, total)
        record, found, upsert = _read_file(path, now_ns, index is not None)
        if record is not None:
            append(record)
        problems.extend(found)
        if upsert is not None and index is not None:
            upserts.append(upsert)
            owners.append(len(records) - 1 if record is not None else None)
            if len(upserts) >= FILES_PER_WRITE:
                _write_read(index, upserts, [], [], records, None if models else owners)
                rows_written += len(upserts)
                upserts.clear()
                owners.clear()
    removed = [row[0] for row in rows.values()]
    if index is not None:
        _write_read(
            index, upserts, stale_ids + removed, settled, records, None if models else owners
        )
        index.close()  # reopened if a deferred model is built: no lock held meanwhile
    last_load = IndexStats(reused, len(paths) - reused, rows_written + len(upserts), len(removed))
    return records, problems, index


def _write_read(
    index: LoadIndex,
    upserts: list[tuple[tuple[Any, ...], bytes | None]],
    stale_ids: list[int],
    settled: list[tuple[int, int]],
    records: list[ClaimRecord],
    owners: list[int | None] | None,
) -> None:
    """`LoadIndex.update`, then (given `owners`, each upsert's position in `records`)
    each record whose row was written replaced by one that builds its model from
    that row, as a warm start's record does: its model is let go.

    In two passes: every such record of the batch is let go first, then each is
    made again with its summary read back from its row.  The summaries' strings
    then take the place of the freed models' objects rather than lie among them: at
    100,000 claims (measured while the engine still held its pair codes through the
    sort; see `_match`) a first run of `workbench conflicts` peaked 32 MiB higher with the
    summaries made from the models, 16 MiB higher with each record made again while
    its model was held (498 against 482 MiB; the review app's first open 413 against
    407), and 12 MiB higher with each let go just before it was made again."""
    first = index.update(upserts, stale_ids, settled)
    if first is None or owners is None:
        return
    let_go: list[tuple[int, str, Fingerprint | None, str, int, str]] = []
    for at, ((values, _), position) in enumerate(zip(upserts, owners, strict=True)):
        if position is not None:
            record = records[position]
            let_go.append(
                (
                    position,
                    record.file,
                    record.fingerprint,
                    values[_SUMMARY_AT],
                    first + at,
                    values[_JSON_DIGEST_AT],
                )
            )
            records[position] = _LET_GO
            del record  # its model with it
    partial = functools.partial
    for position, file, fingerprint, packed, row_id, json_digest in let_go:
        records[position] = ClaimRecord(
            None,
            file,
            fingerprint,
            summary=_unpack_summary(packed),
            loader=partial(index.claim, row_id, json_digest, file),
        )


_LET_GO: ClaimRecord = ClaimRecord.__new__(ClaimRecord)
"""Where `_write_read` let a record go, until it makes it again: it has no attribute
set, so any use of it fails at once."""


def _made_from(row: tuple[Any, ...], quick: tuple[Any, ...]) -> bool:
    """Whether a `_QUICK_COLUMNS` row holds what this `_COLUMNS` row holds."""
    return (row[0], row[2], row[3], row[6], row[7], row[8]) == (
        quick[0],
        quick[2],
        quick[3],
        quick[4],
        quick[5],
        quick[6],
    )


@dataclass(slots=True)
class UncheckedLoad:
    """Claims as the index last saw them (`load_unchecked`), not yet checked."""

    records: list[ClaimRecord]
    rows: list[tuple[Any, ...]]
    """The row (`_QUICK_COLUMNS`) each record was made from, in the same order."""
    problems: list[Problem]
    index: LoadIndex

    def by_path(self) -> dict[str, tuple[ClaimRecord, tuple[Any, ...]]]:
        return {row[1]: (record, row) for record, row in zip(self.records, self.rows, strict=True)}


def load_unchecked(root: Path) -> UncheckedLoad | None:
    """Every claim file as the index last saw it, without listing or stat'ing a file.

    What the review app draws first at 100,000 claims: one query and a record
    per row, no `stat` per file and no row check.  The rows are not trusted
    for long: the caller must load through `load_indexed` next, with this
    result (the app does it in a worker right after the first paint), which
    checks every row against its file and reads what changed.  Records come
    in path order, as from a listing; a row that does not decode is left out
    (that check reads its file).  Models still come through `LoadIndex.claim`,
    which checks the JSON against its digest and falls back to the file, and
    every write starts from the file on disk.

    None when there is no index, or no row in it: the caller loads normally.
    """
    location = index_file(root)
    index = LoadIndex.open(location) if location is not None else None
    if index is None:
        return None
    rows = index.quick_rows()
    if not rows:
        index.close()
        return None
    load = _unchecked_records(rows, index)
    index.close()  # reopened if a deferred model is built: no lock held meanwhile
    return load


def _unchecked_records(rows: list[tuple[Any, ...]], index: LoadIndex) -> UncheckedLoad:
    """Records (or problems) of `_QUICK_COLUMNS` rows, unchecked (`load_unchecked`)."""
    records: list[ClaimRecord] = []
    used: list[tuple[Any, ...]] = []
    problems: list[Problem] = []
    append, keep = records.append, used.append
    partial = functools.partial
    for row in rows:
        rowid, path, size, mtime_ns, digest, summary, json_digest, problems_text = row
        try:
            if problems_text is None:
                append(
                    ClaimRecord(
                        None,
                        path,
                        tuple.__new__(Fingerprint, (size, mtime_ns, digest)),
                        summary=_unpack_summary(summary),
                        loader=partial(index.claim, rowid, json_digest, path),
                    )
                )
                keep(row)
            else:
                problems.extend(_problems_of(path, problems_text))
        except Exception:  # a bad row: the check that follows reads its file
            continue
    return UncheckedLoad(records, used, problems, index)


@dataclass(slots=True)
class FirstPage:
    """The top of the claims list as the index last saw it (`load_first_page`)."""

    load: UncheckedLoad
    """The first page's records, and the problems of every row that has some."""
    counts: dict[str, int]
    """Rows by their claim's status (every row with a summary)."""
    sample_ids: list[str]
    """The ids of the first rows by path: what the list measures its id column on."""
    source_ids: list[str]
    """Every source id a row names."""

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def load_first_page(
    root: Path, groups: Sequence[Sequence[str | None]], limit: int, sample: int = 5000
) -> FirstPage | None:
    """The first `limit` claims of the list's default order, from the index alone.

    `groups` is that order's sources (`workbench.search.date_groups`): groups
    in turn, newest first, and within a group by claim id; None in a group
    stands for every source not named in any group.  Each source is one lookup
    in the (source_id, claim_id) index, so this costs the same at 100 claims
    and at 100,000, where loading every row (`load_unchecked`) takes most of a
    second.  Nothing here is checked: the caller must load the rest next
    (`load_unchecked`) and check it, as after `load_unchecked`.

    None when there is no index or no row in it, or it cannot be read.
    """
    location = index_file(root)
    index = LoadIndex.open(location) if location is not None else None
    if index is None:
        return None
    page = index.first_page_rows(groups, limit, sample)
    if page is None or not (page[1] or page[2]):  # unreadable, or no row at all
        index.close()
        return None
    rows, problem_rows, counts, sample_ids, source_ids = page
    load = _unchecked_records(rows + problem_rows, index)
    index.close()  # reopened if a deferred model is built: no lock held meanwhile
    return FirstPage(load, counts, sample_ids, source_ids)


def _first_page_rows(
    connection: sqlite3.Connection,
    groups: Sequence[Sequence[str | None]],
    limit: int,
    sample: int,
) -> _PageRows:
    """`LoadIndex.first_page_rows` on an open connection."""
    named = [source for group in groups for source in group if source is not None]
    columns = f"{_LISTED_COLUMNS}, {_QUICK_COLUMNS}"
    by_source = f"SELECT {columns} FROM files WHERE source_id = ? ORDER BY claim_id LIMIT ?"
    by_others = (
        f"SELECT {columns} FROM files WHERE claim_id IS NOT NULL"
        f" AND source_id NOT IN ({', '.join('?' * len(named))}) ORDER BY claim_id LIMIT ?"
    )
    rows: list[tuple[Any, ...]] = []
    for group in groups:
        found = [
            connection.execute(by_others, (*named, limit)).fetchall()
            if source is None
            else connection.execute(by_source, (source, limit)).fetchall()
            for source in group
        ]
        merged = heapq.merge(*found, key=itemgetter(0)) if len(found) > 1 else found[0]
        rows.extend(itertools.islice(filter(_listed_as_summary, merged), limit - len(rows)))
        if len(rows) >= limit:
            break
    problem_rows = connection.execute(
        f"SELECT {_QUICK_COLUMNS} FROM files WHERE problems IS NOT NULL"
    ).fetchall()
    counts = dict(
        connection.execute(
            "SELECT status, count(*) FROM files WHERE status IS NOT NULL GROUP BY status"
        ).fetchall()
    )
    ids = connection.execute(
        "SELECT claim_id FROM files WHERE claim_id IS NOT NULL ORDER BY path LIMIT ?", (sample,)
    )
    sources = connection.execute("SELECT DISTINCT source_id FROM files WHERE source_id IS NOT NULL")
    return (
        [row[3:] for row in rows],
        problem_rows,
        counts,
        [claim_id for (claim_id,) in ids],
        [source_id for (source_id,) in sources],
    )


def _listed_as_summary(row: tuple[Any, ...]) -> bool:
    """Whether a first-page row's `_LISTED_COLUMNS` (outside the row check) say what
    its summary says; a row that does not is left off the page."""
    fields = str(row[8]).split(_FIELD, 5)
    return len(fields) > 5 and (fields[0], fields[3], fields[4]) == row[:3]


def _read_file(
    path: str, now_ns: int, with_row: bool
) -> tuple[ClaimRecord | None, list[Problem], tuple[tuple[Any, ...], bytes | None] | None]:
    """Read and validate one claim file: its record or problems, and (if `with_row`)
    its new row (None for a file that could not be read at all: nothing to remember)."""
    document = read_document(path)
    claim, problems = validate_document(document, Claim)
    fingerprint = document.fingerprint
    record = ClaimRecord(claim, path, fingerprint) if claim is not None else None
    if fingerprint is None or not with_row:
        return record, problems, None
    try:
        found = os.stat(path)
    except OSError:
        return record, problems, None
    file_stat = (found.st_size, found.st_mtime_ns, found.st_ctime_ns, found.st_ino)
    if (found.st_size, found.st_mtime_ns) != (fingerprint.size, fingerprint.mtime_ns):
        return record, problems, None  # changed while being read: index it next time
    if claim is not None:
        summary = ClaimSummary.of(claim)
        packed = _pack_summary(summary)
        if packed is None:
            return record, problems, None
        data = claim.model_dump_json(by_alias=True, exclude_defaults=True).encode()
        values = _row_values(
            path, file_stat, now_ns, fingerprint.digest, packed, _json_check(data), None, summary
        )
        return record, problems, (values, data)
    values = _row_values(
        path, file_stat, now_ns, fingerprint.digest, None, None, _problems_json(problems)
    )
    return record, problems, (values, None)
