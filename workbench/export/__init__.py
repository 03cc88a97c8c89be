"""Exporting claims: which claims (a `Selection`) and in which format.

    from workbench import load_project
    from workbench.export import Selection, export_claims

    project = load_project()
    export_claims(project, Selection(verified=True), "csv", "verified.csv")

Formats, one module each: `json` and `jsonl` (every field, with a schema
version; the JSON Schema is `schema/export-v1.json`), `csv` (one flat row per
claim, for spreadsheets), `claimreview` (schema.org ClaimReview JSON-LD, one
per reviewed claim) and `sqlite` (tables with keys and indexes, for Datasette
or any SQL tool).

Every export is deterministic: claims are sorted by id, sources by id, and
nothing records when the export ran, so the same data gives the same bytes.
A file is always written atomically (built beside the target, then renamed),
so a reader never sees half an export and a failed export leaves the old file.

What a selection means:

- values given for one field are alternatives (`--status verified --status
  false`: either), different fields must all hold (`--topic cost --stance
  opposes`: both);
- `verified=True` adds the statuses `workbench.toml` marks `verified = true`;
- `since` keeps the claims whose current verdict was reached on or after that
  date (UTC): the date of the review history entry that set the current status.
  Unreviewed claims have no verdict, so `since` leaves them out.  This is what
  a publisher needs to push only the new verdicts since the last publication;
- `agreed` keeps the claims that two or more reviewers gave the same verdict,
  the claim's current status (see `workbench.agreement` for what counts);
- `recheck_due` keeps the claims whose `recheck` date is on or before that day.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import os
import sys
import tempfile
from collections.abc import Callable, Collection, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO, Literal, Protocol, TextIO, cast, get_args

from workbench.agreement import verdicts_agree
from workbench.export.progress import Progress
from workbench.models import Claim, ReviewEntry, Source
from workbench.project import Project
from workbench.recheck import recheck_is_due
from workbench.tomlio import fsync_folder

ExportFormat = Literal["json", "jsonl", "csv", "claimreview", "sqlite"]
FORMATS: tuple[str, ...] = get_args(ExportFormat)
"""The formats `export_claims` writes, in the order `--help` lists them."""

SCHEMA_VERSION = 1
"""Version of the json/jsonl/sqlite layout; bumped on any incompatible change."""

INITIAL_STATUS = "unreviewed"
"""The status of a claim nobody has reviewed (`workbench.toml` must define it)."""


class ExportError(ValueError):
    """An export that cannot be done as asked: bad selection, settings or output."""


# --------------------------------------------------------------------------- selection


def _names(values: Collection[str] | str | None) -> tuple[str, ...]:
    if values is None:
        return ()
    if isinstance(values, str):
        values = (values,)
    return tuple(sorted(set(values)))


@dataclass(frozen=True, slots=True)
class Selection:
    """Which claims to export; the default selects every claim."""

    statuses: Collection[str] = ()
    verified: bool = False
    topics: Collection[str] = ()
    stances: Collection[str] = ()
    sources: Collection[str] = ()
    since: dt.date | None = None
    agreed: bool = False
    """Only claims whose reviewers' latest verdicts agree (`workbench.agreement`)."""
    recheck_due: dt.date | None = None
    """Only claims whose `recheck` date is on or before this day (`workbench.recheck`)."""

    def __post_init__(self) -> None:
        for name in ("statuses", "topics", "stances", "sources"):
            object.__setattr__(self, name, _names(getattr(self, name)))

    def check(self, project: Project) -> None:
        """Raise `ExportError` for a value the project does not know (with a suggestion)."""
        settings = project.settings
        _check_known("status", self.statuses, list(settings.statuses))
        _check_known("topic", self.topics, list(settings.topics))
        _check_known("stance", self.stances, list(settings.stances))
        _check_known("source", self.sources, sorted(project.sources))
        if self.verified and not settings.verified_statuses:
            raise ExportError(
                "--verified selects nothing: no status in workbench.toml has `verified = true`"
            )

    def status_set(self, project: Project) -> frozenset[str] | None:
        """The statuses to keep, or None for every status."""
        if not self.statuses and not self.verified:
            return None
        chosen = set(self.statuses)
        if self.verified:
            chosen |= project.settings.verified_statuses
        return frozenset(chosen)

    def describe(self, project: Project) -> dict[str, object]:
        """The selection as recorded in json/jsonl/sqlite exports (None: no filter)."""
        statuses = self.status_set(project)
        return {
            "statuses": sorted(statuses) if statuses is not None else None,
            "topics": list(self.topics) or None,
            "stances": list(self.stances) or None,
            "sources": list(self.sources) or None,
            "since": self.since.isoformat() if self.since else None,
            "agreed": True if self.agreed else None,
            "recheck_due": self.recheck_due.isoformat() if self.recheck_due else None,
        }


def _check_known(what: str, values: Collection[str], allowed: list[str]) -> None:
    from workbench.validation import suggest

    for value in values:
        if value in allowed:
            continue
        hint = suggest(value, allowed)
        message = f"unknown {what} `{value}`"
        if hint:
            message += f"; did you mean `{hint}`?"
        where = "the project has" if what == "source" else "workbench.toml allows"
        shown = ", ".join(allowed) if allowed else "none"
        raise ExportError(f"{message} ({where}: {shown})")


def verdict_entry(claim: Claim) -> ReviewEntry | None:
    """The review history entry that set the claim's current status, if any.

    That is the entry where the status last changed to what it is now; notes
    added afterwards (entries from the status to itself) do not move it.  A
    claim whose status was never set through the history (or that is
    unreviewed) has no verdict.
    """
    if claim.status == INITIAL_STATUS:
        return None
    found: ReviewEntry | None = None
    for entry in reversed(claim.history):
        if entry.to_status != claim.status:
            break
        found = entry
        if entry.from_status != claim.status:
            break
    return found


def utc_text(moment: dt.datetime) -> str:
    """A time as UTC ISO 8601 with `Z` (a time without a zone is taken as UTC)."""
    if moment.tzinfo is not None:
        moment = moment.astimezone(dt.UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def verdict_date(claim: Claim) -> dt.date | None:
    entry = verdict_entry(claim)
    return entry.at.astimezone(dt.UTC).date() if entry is not None else None


def select_claims(project: Project, selection: Selection | None = None) -> list[Claim]:
    """The selected claims, sorted by id.  Raises `ExportError` for unknown values."""
    selection = selection or Selection()
    selection.check(project)
    statuses = selection.status_set(project)
    topics = frozenset(selection.topics) or None
    stances = frozenset(selection.stances) or None
    sources = frozenset(selection.sources) or None
    since = selection.since
    chosen: list[Claim] = []
    if statuses is topics is stances is sources is None:
        project.materialise()  # every claim is chosen: build their models in one pass
    for claim_id in sorted(project.claims):
        record = project.claims[claim_id]
        summary = record.summary
        if statuses is not None and summary.status not in statuses:
            continue
        if topics is not None and summary.topic not in topics:
            continue
        if stances is not None and summary.stance not in stances:
            continue
        if sources is not None and summary.source_id not in sources:
            continue
        claim = record.claim
        if since is not None:
            date = verdict_date(claim)
            if date is None or date < since:
                continue
        if selection.agreed and not verdicts_agree(claim):
            continue
        if selection.recheck_due is not None and not recheck_is_due(claim, selection.recheck_due):
            continue
        chosen.append(claim)
    return chosen


# --------------------------------------------------------------------------- exporting


@dataclass(slots=True)
class ExportContext:
    """What a format writer needs: the selected claims and what they refer to."""

    project: Project
    selection: Selection
    claims: list[Claim]
    progress: Progress
    sources: list[Source] = field(default_factory=list)
    """Known sources the selected claims name, sorted by id."""
    exported_ids: frozenset[str] = frozenset()

    @classmethod
    def build(
        cls, project: Project, selection: Selection, progress: Progress | None = None
    ) -> ExportContext:
        progress = progress or Progress(0, "", enabled=False)
        claims = select_claims(project, selection)
        named = sorted({claim.source.id for claim in claims})
        sources = [project.sources[name].source for name in named if name in project.sources]
        ids = frozenset(claim.id for claim in claims)
        return cls(project, selection, claims, progress, sources, ids)


@dataclass(frozen=True, slots=True)
class ExportResult:
    format: str
    written: int
    """Claims written (for claimreview: reviews written)."""
    selected: int
    """Claims the selection kept."""
    path: Path | None
    """The file written, or None for a stream."""


class ByteSink(Protocol):
    """Where the text formats write: encoded UTF-8, in whole chunks."""

    def write(self, data: bytes, /) -> object: ...


BOM = b"\xef\xbb\xbf"
"""Written before a CSV file or standard-output export so that Excel reads UTF-8."""


class _TextSink:
    """A caller's text stream seen as a byte sink (chunks always end on a character)."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream

    def write(self, data: bytes, /) -> int:
        return self.stream.write(data.decode("utf-8"))


def export_claims(
    project: Project,
    selection: Selection | None = None,
    format: ExportFormat | str = "json",
    out: Path | str | TextIO | BinaryIO | None = None,
    *,
    progress: bool | None = None,
    draft: bool = False,
) -> ExportResult:
    """Export the selected claims of `project` in `format` to `out`.

    `out` is a file path (written atomically), a binary or text stream, or None
    for standard output; `sqlite` needs a path.  Files, binary streams and
    standard output get the same bytes (a CSV starts with a UTF-8 BOM); a text
    stream gets the same text without the BOM, its encoding being the caller's.
    `progress=None` shows a bar on stderr only when it is a terminal and the
    export is long; True or False forces it.  Raises `ExportError` for an
    unknown format, status, topic, stance or source, an unusable output path,
    or ClaimReview settings that are missing or, unless `draft`, still point at a
    placeholder domain.
    """
    if format not in FORMATS:
        raise ExportError(f"unknown format `{format}` (choose from: {', '.join(FORMATS)})")
    selection = selection or Selection()
    path = Path(out) if isinstance(out, str | os.PathLike) else None
    if path is not None:
        check_output_path(path)
    elif format == "sqlite":
        raise ExportError("sqlite cannot be written to a stream: give a file path (-o FILE)")
    if format == "claimreview":
        from workbench.export.claimreview import check_settings

        check_settings(project.settings, draft=draft)
    context = ExportContext.build(project, selection)
    bar = Progress(len(context.claims), f"export {format}", enabled=progress)
    context.progress = bar
    with bar:
        if format == "sqlite":
            from workbench.export.sqlite_format import write_sqlite

            assert path is not None
            written = write_sqlite(context, path)
        else:
            writer = _text_writer(format)
            bom = BOM if format == "csv" else b""
            if path is not None:
                with atomic_path(path) as temporary, temporary.open("wb") as handle:
                    handle.write(bom)
                    written = writer(context, handle)
                    handle.flush()
                    os.fsync(handle.fileno())
            else:
                with _open_stream(out) as (sink, binary):
                    if binary:
                        sink.write(bom)
                    written = writer(context, sink)
    return ExportResult(format, written, len(context.claims), path)


def _text_writer(format: str) -> Callable[[ExportContext, ByteSink], int]:
    if format == "json":
        from workbench.export.json_format import write_json

        return write_json
    if format == "jsonl":
        from workbench.export.json_format import write_jsonl

        return write_jsonl
    if format == "csv":
        from workbench.export.csv_format import write_csv

        return write_csv
    from workbench.export.claimreview import write_claimreview

    return write_claimreview


@contextlib.contextmanager
def _open_stream(out: object) -> Iterator[tuple[ByteSink, bool]]:
    """A byte sink for a caller's stream or standard output, and whether it takes bytes."""
    if out is None:
        buffer: BinaryIO | None = getattr(sys.stdout, "buffer", None)
        if buffer is None:
            yield _TextSink(sys.stdout), False
            return
        sys.stdout.flush()
        yield buffer, True
        buffer.flush()
        return
    if isinstance(out, io.RawIOBase | io.BufferedIOBase):
        yield cast(BinaryIO, out), True
        return
    yield _TextSink(cast(TextIO, out)), False


def check_output_path(path: Path) -> None:
    """Raise `ExportError` unless `path` can be written (its folder exists and is writable)."""
    folder = path.parent if str(path.parent) else Path(".")
    if path.is_dir():
        raise ExportError(f"cannot write {path}: it is a folder; name a file inside it")
    if not folder.is_dir():
        raise ExportError(f"cannot write {path}: the folder {folder} does not exist")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise ExportError(f"cannot write {path}: the folder {folder} is not writable")
    if path.exists() and not os.access(path, os.W_OK):
        raise ExportError(f"cannot write {path}: the file is read-only")


@contextlib.contextmanager
def atomic_path(path: Path) -> Iterator[Path]:
    """A temporary path beside `path`, renamed over it when the block succeeds."""
    folder = path.parent if str(path.parent) else Path(".")
    try:
        descriptor, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    except OSError as error:
        raise ExportError(f"cannot write {path}: {error.strerror or error}") from None
    os.close(descriptor)
    temporary = Path(name)
    try:
        yield temporary
        mode = path.stat().st_mode & 0o777 if path.exists() else 0o644
        os.chmod(temporary, mode)
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    fsync_folder(folder)


__all__ = [
    "FORMATS",
    "SCHEMA_VERSION",
    "ByteSink",
    "ExportContext",
    "ExportError",
    "ExportFormat",
    "ExportResult",
    "Selection",
    "check_output_path",
    "export_claims",
    "select_claims",
    "utc_text",
    "verdict_date",
    "verdict_entry",
]
