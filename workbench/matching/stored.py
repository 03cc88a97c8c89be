"""Frames kept in the load index: what the engine read of a claim, read once per file.

Reading 100,000 claims into frames (tokens, the lexicon's names, stems, the
quantity in comparable form) took 3 s of a 15 s `workbench conflicts`, and
reading their facts (the quantity and dismissals, from each claim's JSON in the
index) 1.7 s more, on every run, for files that had not changed.  So each
claim's frame is kept in the load index (`LoadIndex.frame_rows`) as one row of
text, by the digest of its file's bytes, under a key (`frame_key`) that names the
code that reads frames and the project's lexicon: a changed file has another
digest, and changed code or a changed lexicon another key, so a row can never
give a frame other than the one reading the file would give now.

What a row does not hold comes from the claim's summary, which the load already
has (id, statement, quote, source, topic, stance, related ids), and from its
source (publication date, view), which can change without the claim's file.
A row is written only if it reads back as the frame it was made from (no text in
it holds one of its separators); a row that fails its check or does not read back
(a corrupt page) is a miss, and its claim is read again.  `bench.bench_matching`
has the row that keeps this mechanism.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass, fields
from operator import attrgetter
from pathlib import Path
from sys import intern

from workbench.files.index import code_key
from workbench.matching.facts import ClaimFacts, collector_paused, facts_of, records_facts
from workbench.matching.frames import EMPTY, Amount, Frame, FrameReader, LexiconIndex, Period
from workbench.matching.standing import Standing
from workbench.models import Claim, Lexicon
from workbench.project import Project
from workbench.storage import StaleFileError, read_document, validate_document

__all__ = [
    "Prepared",
    "frame_key",
    "pack_frame",
    "project_frames",
    "read_frames",
    "same_frame",
    "unpack_frame",
]

_FIELD, _ITEM, _PART, _WORD = "\x1f", "\x1e", "\x1d", "\x1c"
"""Separators of a row: its fields, the items of a list, the parts of a quantity and
the words of its subject.  A row whose text holds one of them is not written (it
would not read back), so its claim is read each time, never misread."""

ROWS_PER_WRITE = 10_000
"""Rows written to the index in one transaction while frames are read."""

FEW_MISSES = 2000
"""Up to this many claims without a row are read from their models (a query each);
more, and their facts come in one pass over the index's JSON (`records_facts`)."""


@dataclass(slots=True)
class Prepared:
    """Every claim's frame, in the project's order, and what the engine needs beside.

    Matched once: matching lets go of what only pairing needs (each frame's
    `text_key`), so a second match needs frames prepared again."""

    frames: list[Frame]
    reader: FrameReader
    """The reader frames were read with (the lexicon; dates are read through it)."""
    recorded: set[tuple[str, str]]
    """Pairs (smaller id, larger id) already related or dismissed in either file."""
    stored: int = 0
    """Frames that came from the index's rows."""
    written: int = 0
    """Rows written to the index this time."""


@functools.cache
def _code_part() -> str:
    """The load index's code key and the matching package's code: what reads a frame."""
    hasher = hashlib.blake2b(code_key().encode(), digest_size=12)
    package = Path(__file__).resolve().parent
    for path in sorted(package.glob("*.py")):
        hasher.update(path.name.encode())
        hasher.update(path.read_bytes())
    return hasher.hexdigest()


def frame_key(lexicon: Lexicon) -> str:
    """The key rows are kept under: the code that reads frames and the lexicon."""
    lexicon_part = hashlib.blake2b(lexicon.model_dump_json().encode(), digest_size=12)
    return f"{_code_part()}-{lexicon_part.hexdigest()}"


def _recorded_pairs(claim_id: str, others: Collection[str]) -> Iterator[tuple[str, str]]:
    """The pairs (smaller id, larger id) of a claim and the ids it relates to or dismissed."""
    for other in others:
        yield (claim_id, other) if claim_id < other else (other, claim_id)


def _recorded(claims: Sequence[ClaimFacts]) -> set[tuple[str, str]]:
    pairs: set[tuple[str, str]] = set()
    for claim in claims:
        pairs.update(_recorded_pairs(claim.id, claim.recorded))
    return pairs


def read_frames(
    claims: Sequence[ClaimFacts],
    published: Mapping[str, dt.date],
    views: Mapping[str, str],
    lexicon: Lexicon,
    *,
    pause: bool = True,
) -> Prepared:
    """Every claim's frame read from its facts (nothing stored); `pause`: with the
    cyclic collector paused (`MatchSettings.pause_collector`)."""
    reader = FrameReader(LexiconIndex(lexicon))
    with collector_paused(pause):
        frames = [
            reader.read_facts(
                position, claim, published.get(claim.source_id), views.get(claim.source_id, "")
            )
            for position, claim in enumerate(claims)
        ]
    reader.done_reading()
    return Prepared(frames, reader, _recorded(claims))


# --------------------------------------------------------------------------- rows


def _joined(items: frozenset[str] | tuple[str, ...]) -> str:
    return _ITEM.join(items)  # in any order: a set is read back from it


def _pack_amount(amount: Amount | None) -> str:
    if amount is None:
        return ""
    period = amount.period
    parts = (
        _WORD.join(amount.subject),
        amount.subject_text,
        _WORD.join(amount.subject_entities),
        amount.family,
        repr(amount.low),
        repr(amount.high),
        amount.bound,
        "1" if amount.approximate else "0",
        str(period.start.toordinal()) if period is not None else "",
        str(period.end.toordinal()) if period is not None else "",
        amount.scope,
        amount.unit,
    )
    return _PART.join(parts)


def pack_frame(frame: Frame, recorded: tuple[str, ...]) -> bytes:
    """What a row holds of a frame (and the ids the claim relates to or dismissed): the
    frame's own reading, not what comes from the summary or the source; its dates if
    they were read, with the publication date they were read against."""
    return _pack_text(frame, recorded).encode()


def _pack_text(frame: Frame, recorded: tuple[str, ...]) -> str:
    flags = "".join(
        "1" if flag else "0"
        for flag in (frame.negated, frame.quote_negated, frame.event, frame.compares)
    )
    return _FIELD.join(
        (
            _joined(frame.entities),
            _joined(frame.groups),
            _joined(frame.words),
            frame.text_key,
            flags,
            _ITEM.join(map(repr, frame.figures)),
            _joined(frame.event_entities),
            _joined(frame.conceded),
            _pack_standing(frame.standing),
            _ITEM.join(recorded),
            _pack_amount(frame.amount),
            _pack_dates(frame.dates, frame.published),
        )
    )


def _pack_standing(standing: Standing | None) -> str:
    if standing is None:
        return ""
    return _PART.join((standing.first, standing.second, standing.positions, standing.trend))


_standings: dict[str, Standing] = {}
"""Standings by their row text (a project places few pairs of parties few ways)."""


def _unpack_standing(text: str) -> Standing | None:
    if not text:
        return None
    found = _standings.get(text)
    if found is None:
        first, second, positions, trend = text.split(_PART)
        found = Standing(intern(first), intern(second), intern(positions), intern(trend))
        if len(_standings) < 10_000:
            _standings[text] = found
    return found


def _pack_dates(dates: tuple[Period, ...] | None, published: dt.date | None) -> str:
    if dates is None:
        return ""
    against = str(published.toordinal()) if published is not None else "-"
    spans = _ITEM.join(f"{d.start.toordinal()}:{d.end.toordinal()}" for d in dates)
    return f"{against}{_PART}{spans}"


_dates: dict[str, tuple[Period, ...]] = {}
"""Dates by their row text (periods are immutable; claims give the same few dates)."""


def _unpack_dates(text: str, published: dt.date | None) -> tuple[Period, ...] | None:
    """A row's dates, or None (read when needed) if it has none or they were read
    against another publication date than the source has now."""
    if not text:
        return None
    against, spans = text.split(_PART)
    if against != (str(published.toordinal()) if published is not None else "-"):
        return None
    found = _dates.get(spans)
    if found is None:
        found = (
            tuple(
                Period(dt.date.fromordinal(int(start)), dt.date.fromordinal(int(end)))
                for start, end in (span.split(":") for span in spans.split(_ITEM))
            )
            if spans
            else ()
        )
        if len(_dates) < 100_000:
            _dates[spans] = found
    return found


def _names(text: str, separator: str = _ITEM) -> frozenset[str]:
    return frozenset(map(intern, text.split(separator))) if text else EMPTY


_amounts: dict[str, Amount] = {}
"""Amounts by their row text: a frame's amount is never changed once read, so claims
stating the same quantity share one (a project repeats few of them)."""


def _unpack_amount(text: str) -> Amount | None:
    if not text:
        return None
    found = _amounts.get(text)
    if found is not None:
        return found
    (subject, subject_text, entities, family, low, high, bound, approximate, start, end) = (
        text.split(_PART)[:10]
    )
    scope, unit = text.split(_PART)[10:]
    period = (
        Period(dt.date.fromordinal(int(start)), dt.date.fromordinal(int(end))) if start else None
    )
    found = Amount(
        subject=_names(subject, _WORD),
        subject_text=subject_text,
        subject_entities=_names(entities, _WORD),
        family=intern(family),
        low=float(low),
        high=float(high),
        bound=intern(bound),
        approximate=approximate == "1",
        period=period,
        scope=scope,
        unit=intern(unit),
    )
    if len(_amounts) < 100_000:
        _amounts[text] = found
    return found


def unpack_frame(
    data: bytes,
    position: int,
    claim: tuple[str, str, str, str, str, str],
    published: dt.date | None,
    view: str,
) -> tuple[Frame, tuple[str, ...]]:
    """A row read back: the frame (with `claim`'s id, statement, quote, source id,
    topic and stance, and the source's `published` and `view`) and the ids the claim
    relates to or dismissed; raises on a row it did not write."""
    (
        entities,
        groups,
        words,
        text_key,
        flags,
        figures,
        near,
        conceded,
        standing,
        recorded,
        amount,
        dates,
    ) = data.decode().split(_FIELD)
    if len(flags) != 4:
        raise ValueError("a frame row has four flags")
    claim_id, statement, quote, source_id, topic, stance = claim
    # `_names` inlined for the sets most frames have (this runs once per claim).  The
    # words are copied once: a set built item by item has room for four times its
    # items, a copy of a set for about twice (at 100,000 claims, 135 MB against 95).
    frame = Frame(
        position,
        claim_id,
        source_id,
        quote,
        published,
        view,
        stance,
        topic,
        frozenset(map(intern, entities.split(_ITEM))) if entities else EMPTY,
        _names(groups),
        frozenset(set(map(intern, words.split(_ITEM)))) if words else EMPTY,
        text_key,
        flags[0] == "1",
        flags[1] == "1",
        _unpack_amount(amount) if amount else None,
        frozenset(map(float, figures.split(_ITEM))) if figures else EMPTY,
        flags[2] == "1",
        _names(near),
        flags[3] == "1",
        _names(conceded),
        _unpack_standing(standing),
        statement,
        _unpack_dates(dates, published) if dates else None,
    )
    return frame, tuple(recorded.split(_ITEM)) if recorded else ()


_frame_fields = attrgetter(*(field.name for field in fields(Frame) if field.name != "amount"))
_amount_fields = attrgetter(*(field.name for field in fields(Amount)))


def same_frame(first: Frame, second: Frame) -> bool:
    """Whether two frames hold the same reading, field by field (their amounts too)."""
    if _frame_fields(first) != _frame_fields(second):
        return False
    mine, theirs = first.amount, second.amount
    if mine is None or theirs is None:
        return mine is theirs
    return bool(_amount_fields(mine) == _amount_fields(theirs))


def _row_of(frame: Frame, recorded: tuple[str, ...], reader: FrameReader) -> bytes | None:
    """The row of a frame just read, or None if it would not read back as that frame.
    A frame of an event has its dates read now: only such frames are ever asked for
    them, and a row keeps them for every later run."""
    if frame.event:
        reader.dates_of(frame)
    text = _pack_text(frame, recorded)
    if _separators(text) != _separators_written(frame, recorded):
        return None  # a text holds a separator: it would be read back cut in two
    lists = (
        frame.entities,
        frame.groups,
        frame.words,
        frame.event_entities,
        frame.conceded,
        recorded,
    )
    amount = frame.amount
    if any("" in found for found in lists) or (
        amount is not None and ("" in amount.subject or "" in amount.subject_entities)
    ):
        return None  # an empty name would be read back as no name
    return text.encode()


def _separators(text: str) -> tuple[int, int, int, int]:
    return (text.count(_FIELD), text.count(_ITEM), text.count(_PART), text.count(_WORD))


def _separators_written(frame: Frame, recorded: tuple[str, ...]) -> tuple[int, int, int, int]:
    """How many of each separator `_pack_text` writes between the parts of a frame: a
    row with more holds one in a text, which reading it back would cut (numbers,
    flags and days are written without any, so every other row reads back whole)."""

    def gaps(items: Collection[object]) -> int:
        return len(items) - 1 if items else 0

    items = sum(
        map(
            gaps,
            (
                frame.entities,
                frame.groups,
                frame.words,
                frame.figures,
                frame.event_entities,
                frame.conceded,
                recorded,
            ),
        )
    )
    parts = words = 0
    if frame.amount is not None:
        parts += 11
        words += gaps(frame.amount.subject) + gaps(frame.amount.subject_entities)
    if frame.dates is not None:
        parts += 1
        items += gaps(frame.dates)
    if frame.standing is not None:
        parts += 3
    return (11, items, parts, words)


def project_frames(
    project: Project,
    *,
    stored: bool = True,
    release: bool = False,
    progress: Callable[[int, int], None] | None = None,
) -> Prepared:
    """Every claim's frame, in the project's order: from the load index's rows where it
    has them for this code and lexicon (`stored`), otherwise read (and their rows
    written for next time).  Builds no model unless the index cannot vouch for a claim.
    `progress` is told now and then how many frames are made, of how many.

    `release` empties `project.claims` once what the frames need is taken from the
    records, before any frame is built, and the sources' texts (no frame reads them): a
    caller that needs nothing more of them (`workbench conflicts`) then builds the frames
    in their memory (at 100,000 claims of 2,600 articles, the texts are 13 MB)."""
    with collector_paused():
        return _project_frames(project, stored, release, progress)


_Claim = tuple[str, str, str, str, str, str]
"""What a frame takes from a claim's summary: id, statement, quote, source id, topic and
stance."""


def _project_frames(
    project: Project,
    stored: bool,
    release: bool,
    progress: Callable[[int, int], None] | None,
) -> Prepared:
    records = list(project.claims.values())
    if release:
        project.claims.clear()
        for source in project.sources.values():
            source.text = ""
    published = {key: record.source.published for key, record in project.sources.items()}
    views = {key: record.source.view for key, record in project.sources.items()}
    lexicon = project.settings.lexicon
    index = project.load_index if stored else None
    key = frame_key(lexicon) if index is not None else ""
    digests = [
        record.fingerprint.digest if record.fingerprint is not None else "" for record in records
    ]
    rows, unwanted = index.frame_rows(key, set(digests)) if index is not None else ({}, [])
    # What each claim's frame needs, taken from its record: its row, summary and file
    # (read again only if the row does not read back), or its facts if it has no row.
    needed: list[tuple[bytes, _Claim, str] | ClaimFacts | None] = []
    missed: list[int] = []
    get_row = rows.get
    for position, record in enumerate(records):
        data = get_row(digests[position])
        if data is None:
            missed.append(position)
            needed.append(None)
            continue
        summary = record.summary
        claim = (
            summary.id,
            summary.statement,
            summary.quote,
            intern(summary.source_id),
            intern(summary.topic),
            intern(summary.stance),
        )
        needed.append((data, claim, record.file))
    del rows
    if missed:
        chosen = [records[position] for position in missed]
        if len(missed) <= FEW_MISSES:
            missed_facts = [facts_of(record.claim) for record in chosen]
        else:
            missed_facts = records_facts(chosen, project.load_index)
        for position, facts in zip(missed, missed_facts, strict=True):
            needed[position] = facts
        del chosen, missed_facts
    del records
    reader = FrameReader(LexiconIndex(lexicon))
    frames: list[Frame] = []
    recorded: set[tuple[str, str]] = set()
    written: list[tuple[str, bytes]] = []
    append = frames.append
    read_again = stored_rows = 0
    to_drop: Sequence[str] = unwanted

    def flush() -> None:
        """Write the rows made so far (in batches: 100,000 of them held until the end
        took 40 MB at the peak of a first run)."""
        nonlocal stored_rows, to_drop
        if index is not None and (written or to_drop):
            if index.store_frame_rows(key, written, to_drop):
                stored_rows += len(written)
            to_drop = ()
        written.clear()

    total = len(needed)
    for position, item in enumerate(needed):
        needed[position] = None  # each row let go once read
        assert item is not None
        if progress is not None and not position & 1023:
            progress(position, total)
        if not isinstance(item, ClaimFacts):
            data, claim, file = item
            source_id = claim[3]
            try:
                frame, others = unpack_frame(
                    data, position, claim, published.get(source_id), views.get(source_id, "")
                )
            except (ValueError, TypeError, OverflowError, UnicodeDecodeError):
                item = _file_facts(file)  # not a row this code wrote: read the file
            else:
                append(frame)
                recorded.update(_recorded_pairs(claim[0], others))
                continue
        read_again += 1
        frame = reader.read_facts(
            position, item, published.get(item.source_id), views.get(item.source_id, "")
        )
        append(frame)
        recorded.update(_recorded_pairs(item.id, item.recorded))
        if index is not None and digests[position]:
            row = _row_of(frame, item.recorded, reader)
            if row is not None:
                written.append((digests[position], row))
                if len(written) >= ROWS_PER_WRITE:
                    flush()
    reader.done_reading()
    flush()
    return Prepared(frames, reader, recorded, len(frames) - read_again, stored_rows)


def _file_facts(file: str) -> ClaimFacts:
    """A claim's facts read from its file, for a frame whose row did not read back."""
    document = read_document(file)
    claim, _problems = validate_document(document, Claim)
    if claim is None:
        raise StaleFileError(Path(file), "the file changed on disk since it was loaded")
    return facts_of(claim)
