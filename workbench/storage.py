"""Claim and source files on disk: reading them safely, writing them canonically.

Review actions write through `workbench.files.writing.update_claim`, which
locks the file, reads it again and applies the change to what is there now;
`save_claim` (a whole new claim over a record loaded earlier) refuses a file
that changed on disk since it was read, because a decision must never silently
erase someone else's.  Both write only the lines that change, so comments stay.
"""

from __future__ import annotations

import functools
import hashlib
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from stat import S_ISREG
from typing import Any, NamedTuple, TypeVar

from pydantic import BaseModel, ValidationError

from workbench.agreement import reviewer_verdicts
from workbench.files.conflict_markers import conflict_marker_message
from workbench.files.listing import describe_os_error, not_regular_problem
from workbench.models import Claim, Source, nfc
from workbench.problems import Problem
from workbench.tomlio import (
    KeyIndex,
    TomlSyntaxError,
    canonical_value,
    dump_entry,
    format_key,
    format_value,
    join_table,
    parse_toml,
    table_header,
    write_atomic,
)
from workbench.validation import problems_from_validation_error

MAX_FILE_BYTES = 1_000_000
"""Claims are a few hundred bytes; a megabyte is a mistake (a pasted article, a binary)."""

ALWAYS_WRITTEN = frozenset({"status"})
"""Keys written even when they hold their default, because a reader looks for them."""

ModelT = TypeVar("ModelT", bound=BaseModel)


class Fingerprint(NamedTuple):
    """What a file looked like when it was read: enough to notice any later change.

    A named tuple rather than a frozen dataclass: a warm start makes one per
    claim, and a tuple is made without running Python code.
    """

    size: int
    mtime_ns: int
    digest: str

    @classmethod
    def of(cls, data: bytes, stat: os.stat_result) -> Fingerprint:
        return cls(stat.st_size, stat.st_mtime_ns, cls.digest_of(data))

    @staticmethod
    def digest_of(data: bytes) -> str:
        return hashlib.blake2b(data, digest_size=16).hexdigest()


class ClaimSummary(NamedTuple):
    """The few fields the claims list, `stats` and relation lookups need from every claim.

    The load index keeps them in columns, so a warm start builds no model.
    """

    id: str
    statement: str
    quote: str
    source_id: str
    status: str
    topic: str
    stance: str
    related: tuple[str, ...]
    """Ids of the claims this claim's relations point at."""
    evidence: int
    """How many pieces of evidence the claim has."""
    recheck: str
    """The claim's recheck date (ISO), or "" for none."""
    verdicts: tuple[tuple[str, str], ...] = ()
    """Each reviewer's latest verdict, (reviewer, status) in order of the latest
    (`workbench.agreement.reviewer_verdicts`): `stats` shows agreement from these."""

    @classmethod
    def of(cls, claim: Claim) -> ClaimSummary:
        return cls(
            claim.id,
            claim.statement,
            claim.source.quote,
            claim.source.id,
            claim.status,
            claim.topic,
            claim.stance,
            tuple(relation.claim for relation in claim.relations),
            len(claim.evidence),
            claim.recheck.isoformat() if claim.recheck is not None else "",
            tuple(reviewer_verdicts(claim).items()),
        )


class ClaimRecord:
    """A claim as loaded from its file, with the fingerprint a save is checked against.

    A record from the load index holds only the claim's `summary` and a way to
    get its model (`loader`, which reads the validated JSON from the index and
    falls back to the file), and builds the model on first use of `claim`: a
    warm start of the review app at 100,000 claims then needs only the
    summaries, and a claim a screen opens costs one `model_validate_json`.
    The path is likewise kept as a string and made a `Path` on first use.
    Reading only: every write starts again from the file on disk.
    """

    __slots__ = ("_claim", "_file", "_json", "_loader", "_path", "_summary", "fingerprint")

    def __init__(
        self,
        claim: Claim | None,
        path: Path | str,
        fingerprint: Fingerprint | None,
        *,
        json: bytes | None = None,
        summary: ClaimSummary | None = None,
        loader: Callable[[], Claim] | None = None,
    ) -> None:
        if claim is None and (summary is None or (json is None and loader is None)):
            raise ValueError("a claim record needs the claim, or its summary and JSON or loader")
        self._claim = claim
        self._json = json
        self._loader = loader
        self._summary = summary
        self.fingerprint = fingerprint
        self._file = os.fspath(path)
        self._path = path if isinstance(path, Path) else None

    @classmethod
    def deferred(
        cls,
        json: bytes,
        summary: ClaimSummary,
        path: Path | str,
        fingerprint: Fingerprint | None,
    ) -> ClaimRecord:
        """A record whose model is validated from `json` when first asked for."""
        return cls(None, path, fingerprint, json=json, summary=summary)

    @property
    def claim(self) -> Claim:
        claim = self._claim
        if claim is None:
            if self._json is not None:
                claim = Claim.model_validate_json(self._json)
            else:
                assert self._loader is not None
                claim = self._loader()
            self._claim = claim
            self._json = None
            self._loader = None
        return claim

    @property
    def deferred_model(self) -> bool:
        """Whether the model is still to be built (a warm start's record, unused)."""
        return self._claim is None

    @property
    def summary(self) -> ClaimSummary:
        if self._summary is None:
            self._summary = ClaimSummary.of(self.claim)
        return self._summary

    @property
    def id(self) -> str:
        """The claim's id, from whichever of model and summary the record has."""
        claim = self._claim
        if claim is not None:
            return claim.id
        assert self._summary is not None
        return self._summary.id

    @property
    def path(self) -> Path:
        if self._path is None:
            self._path = Path(self._file)
        return self._path

    @property
    def file(self) -> str:
        """The path as a string, without building a `Path`."""
        return self._file

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, ClaimRecord):
            return NotImplemented
        return (self.claim, self._file, self.fingerprint) == (
            other.claim,
            other._file,
            other.fingerprint,
        )

    __hash__ = None  # type: ignore[assignment]  # mutable, like the dataclass it replaces

    def __repr__(self) -> str:
        return f"ClaimRecord(id={self.id!r}, path={self._file!r})"


@dataclass(slots=True)
class SourceRecord:
    """A source's metadata and its article text (NFC), as loaded from `seeds/`."""

    source: Source
    path: Path
    text: str
    fingerprint: Fingerprint | None


class StaleFileError(Exception):
    """The file changed on disk since it was loaded; the caller must reload first."""

    def __init__(self, path: Path, reason: str) -> None:
        super().__init__(f"{path}: {reason}; reload it and apply the change again")
        self.path = path
        self.reason = reason


class ClaimExistsError(Exception):
    """A new claim's id is already taken by a file on disk."""


# --------------------------------------------------------------------------- reading


@dataclass(slots=True)
class RawDocument:
    """A TOML file read and parsed, or the problems that stopped it."""

    path: Path | str
    text: str | None
    data: dict[str, Any] | None
    fingerprint: Fingerprint | None
    problems: list[Problem]
    inode: int = -1


def read_document(path: Path | str) -> RawDocument:
    """Read and parse one TOML file, turning every way it can be bad into a problem.

    Only a regular file is read: a FIFO, device or socket is a WB002 at its
    path (it is opened without blocking and never read), as is a symlink loop.
    """
    try:
        stat, data = _read_limited(path)
    except NotRegularFileError as error:
        return RawDocument(path, None, None, None, [not_regular_problem(Path(path), error.mode)])
    except OSError as error:
        reason = describe_os_error(error)
        problem = Problem(Path(path), 1, 1, "WB002", f"cannot read the file: {reason}")
        return RawDocument(path, None, None, None, [problem])
    if stat.st_size > MAX_FILE_BYTES or len(data) > MAX_FILE_BYTES:
        size = f"{max(stat.st_size, len(data)) / 1_000_000:.1f} MB"
        message = (
            f"file is {size}; claim and source files are limited to "
            f"{MAX_FILE_BYTES // 1_000_000} MB: is it the right file?"
        )
        return RawDocument(path, None, None, None, [Problem(Path(path), 1, 1, "WB001", message)])
    fingerprint = Fingerprint.of(data, stat)
    if b"\x00" in data:
        line = data[: data.index(b"\x00")].count(b"\n") + 1
        message = "binary file (contains NUL bytes): claims and sources are UTF-8 TOML text"
        return RawDocument(
            path,
            None,
            None,
            fingerprint,
            [Problem(Path(path), line, 1, "WB002", message)],
            stat.st_ino,
        )
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        column = error.start - (data.rfind(b"\n", 0, error.start) + 1) + 1
        message = f"not UTF-8 (byte 0x{data[error.start]:02x}): save the file as UTF-8"
        return RawDocument(
            path,
            None,
            None,
            fingerprint,
            [Problem(Path(path), line, column, "WB002", message)],
            stat.st_ino,
        )
    if text.startswith("\ufeff"):
        text = text[1:]
    text = nfc(text)
    try:
        parsed = parse_toml(text)
    except TomlSyntaxError as error:
        problem = Problem(
            Path(path), error.line, error.column, "WB003", f"TOML syntax error: {error.message}"
        )
        marker = conflict_marker_message(text)
        if marker is not None:
            problem = Problem(Path(path), marker[0], 1, "WB006", marker[1])
        return RawDocument(path, text, None, fingerprint, [problem], stat.st_ino)
    return RawDocument(path, text, parsed, fingerprint, [], stat.st_ino)


class NotRegularFileError(OSError):
    """The path is a FIFO, device, socket or folder: nothing a claim can be read from."""

    def __init__(self, path: Path | str, mode: int) -> None:
        super().__init__(f"{path}: not a regular file")
        self.mode = mode


_READ_FLAGS = os.O_RDONLY | getattr(os, "O_BINARY", 0) | getattr(os, "O_NONBLOCK", 0)
"""`O_NONBLOCK`: opening a FIFO for reading otherwise waits for a writer, forever.
On a regular file the flag changes nothing."""


def _read_limited(path: Path | str) -> tuple[os.stat_result, bytes]:
    """The file's stat and bytes, read in one call sized by `fstat`.

    Raw `os.open`/`os.read` with the exact size: asking a buffered file for
    `MAX_FILE_BYTES` allocated a megabyte per file, and `open()`'s wrapper
    objects were a third of the cold load time of 10,000 claims.  A file over
    the limit is not read at all; one that grows while being read is read on
    to the limit, so the size check above still sees it.  Anything but a
    regular file raises `NotRegularFileError` before a byte is read.
    """
    descriptor = os.open(path, _READ_FLAGS)
    try:
        stat = os.fstat(descriptor)
        if not S_ISREG(stat.st_mode):
            raise NotRegularFileError(path, stat.st_mode)
        if stat.st_size > MAX_FILE_BYTES:
            return stat, b""
        data = os.read(descriptor, stat.st_size + 1)
        if len(data) > stat.st_size:
            chunks = [data]
            total = len(data)
            while total <= MAX_FILE_BYTES:
                chunk = os.read(descriptor, MAX_FILE_BYTES + 1 - total)
                if not chunk:
                    break
                chunks.append(chunk)
                total += len(chunk)
            data = b"".join(chunks)
        return stat, data
    finally:
        os.close(descriptor)


def file_digest(path: Path | str) -> str | None:
    """The digest of the file's bytes as they are now (None if it cannot be read)."""
    try:
        _stat, data = _read_limited(path)
    except OSError:
        return None
    return Fingerprint.digest_of(data)


def validate_document(
    document: RawDocument, model: type[ModelT]
) -> tuple[ModelT | None, list[Problem]]:
    """Validate parsed data against a model, mapping errors to lines of the file."""
    if document.data is None:
        return None, document.problems
    try:
        return model.model_validate(document.data), []
    except ValidationError as error:
        index = KeyIndex(document.text or "")
        return None, problems_from_validation_error(error, Path(document.path), index, model)


def load_claim_file(path: Path) -> tuple[ClaimRecord | None, list[Problem]]:
    document = read_document(path)
    claim, problems = validate_document(document, Claim)
    if claim is None:
        return None, problems
    return ClaimRecord(claim, path, document.fingerprint), problems


# --------------------------------------------------------------------------- writing


def to_document(model: BaseModel) -> dict[str, Any]:
    """A model as an ordered dict in the canonical key order, defaults left out.

    Leaving out defaults keeps files small; `ALWAYS_WRITTEN` keys stay so that a
    reviewer reading the file sees a claim's status even when it is the default.
    """
    document: dict[str, Any] = {}
    for name, key, required, default in _field_plan(type(model)):
        value = getattr(model, name)
        if value is None:
            continue
        if not required and value == default:
            continue
        document[key] = _plain(value)
    return document


@functools.cache
def _field_plan(model: type[BaseModel]) -> tuple[tuple[str, str, bool, Any], ...]:
    """Per model class: (attribute, TOML key, always written, default), computed once.

    pydantic's `get_default` inspects signatures on every call, which made
    writing 10,000 claims take seconds.
    """
    plan = []
    for name, field in model.model_fields.items():
        required = field.is_required() or name in ALWAYS_WRITTEN
        default = None if required else field.get_default(call_default_factory=True)
        plan.append((name, field.alias or name, required, default))
    return tuple(plan)


def _plain(value: Any) -> Any:
    """A field's value as canonical TOML data (see `tomlio.canonical_value`)."""
    if type(value) is str:
        return nfc(value)
    if isinstance(value, BaseModel):
        return to_document(value)
    if isinstance(value, list):
        return [_plain(item) for item in value]
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    return canonical_value(value)


def model_text(model: BaseModel) -> str:
    """The canonical TOML text of a claim or source.

    Written straight from the model, not from `to_document`'s dict: `workbench
    check` renders every claim to compare it with its file, and the dict in
    between was a quarter of that.  It writes what `dumps_canonical(to_document(
    model))` writes (a property test holds the two to it).
    """
    return _model_table(model, ())


def _model_table(model: BaseModel, path: tuple[str, ...]) -> str:
    lines: list[str] = []
    nested: list[str] = []
    for name, key, key_text, required, default in _render_plan(type(model)):
        value = getattr(model, name)
        if value is None or (not required and value == default):
            continue
        kind = type(value)
        if kind is str:
            lines.append(f"{key_text} = {format_value(nfc(value))}\n")
        elif isinstance(value, BaseModel):
            inner = (*path, key)
            nested.append(f"\n[{table_header(inner)}]\n" + _model_table(value, inner))
        elif kind is list and value and all(isinstance(item, BaseModel) for item in value):
            inner = (*path, key)
            header = f"\n[[{table_header(inner)}]]\n"
            for item in value:
                nested.append(header + _model_table(item, inner))
        else:
            dump_entry(lines, nested, key, _plain(value), path)
    return join_table(lines, nested, path)


@functools.cache
def _render_plan(model: type[BaseModel]) -> tuple[tuple[str, str, str, bool, Any], ...]:
    """`_field_plan` with each key as TOML writes it."""
    return tuple(
        (name, key, format_key(key), required, default)
        for name, key, required, default in _field_plan(model)
    )


def field_entries(model: BaseModel) -> list[tuple[str, Any, bool]]:
    """(TOML key, value, whether canonical text writes it) for each field, in order.

    What an in-place edit compares between a claim before and after a change.
    """
    entries = []
    for name, key, required, default in _field_plan(type(model)):
        value = getattr(model, name)
        written = value is not None and (required or value != default)
        entries.append((key, value, written))
    return entries


def value_text(value: Any) -> str:
    """One value as canonical text writes it after `key = `."""
    return format_value(_plain(value))


def item_block(key: str, item: BaseModel) -> str:
    """One `[[key]]` entry as canonical text writes it, from the blank line before it
    to its last line (no final newline)."""
    return (f"\n[[{table_header((key,))}]]\n" + _model_table(item, (key,))).rstrip("\n")


def current_fingerprint(path: Path) -> Fingerprint | None:
    try:
        stat = path.stat()
        return Fingerprint.of(path.read_bytes(), stat)
    except FileNotFoundError:
        return None


def ensure_unchanged(path: Path, expected: Fingerprint | None) -> None:
    """Raise `StaleFileError` if the file is no longer what was loaded."""
    now = current_fingerprint(path)
    if now is None:
        raise StaleFileError(path, "the file was deleted since it was loaded")
    if expected is None or now.digest != expected.digest or now.size != expected.size:
        raise StaleFileError(path, "the file changed on disk since it was loaded")


def save_claim(record: ClaimRecord, claim: Claim) -> ClaimRecord:
    """Write a changed claim over its file, unless the file changed since `record` was read.

    For callers that hold a record and a whole new claim (scripts, tests); the
    review actions apply their change to the file as it is now instead
    (`workbench.files.writing.update_claim`).  Runs under the file's lock, writes
    only the lines that differ (comments stay) and re-validates the model first
    (a model built with `model_copy(update=...)` skips validation), so that
    nothing invalid is ever written.
    """
    from workbench.files.locks import locked
    from workbench.files.writing import read_on_disk, write_change

    with locked([record.path]):
        current = read_on_disk(record.path)
        expected = record.fingerprint
        found = current.fingerprint
        if expected is None or found is None or found.digest != expected.digest:
            raise StaleFileError(record.path, "the file changed on disk since it was loaded")
        return write_change(current, claim)


def create_claim(claims_dir: Path, claim: Claim) -> ClaimRecord:
    """Write a new claim file; refuse if the id is taken, even by a writer racing us."""
    from workbench.files.writing import create_new_claim

    return create_new_claim(claims_dir / f"{claim.id}.toml", claim)


def format_file(
    path: Path, model: type[BaseModel], *, write: bool = True
) -> tuple[bool, list[Problem]]:
    """Rewrite a file in canonical form (if `write`); return whether it differs.

    Comments stay beside the keys and tables they annotate (`keep_comments`).
    A file with problems is left alone: formatting must never turn a file that
    a maintainer is still fixing into something else.
    """
    from workbench.files.layout import keep_comments
    from workbench.files.locks import locked

    document = read_document(path)
    parsed, problems = validate_document(document, model)
    if parsed is None or document.text is None:
        return False, problems
    text = keep_comments(model_text(parsed), document.text)
    if text == document.text:
        return False, []
    if write:
        with locked([path]):
            ensure_unchanged(path, document.fingerprint)
            write_atomic(path, text)
    return True, []


def source_text_path(record_path: Path, source: Source) -> Path:
    return record_path.parent / source.file
