"""The git merge driver for claim files: `workbench merge-driver %O %A %B %P`.

Two branches that each review the same claim touch the same lines: both set
`status` and both append a `[[history]]` entry at the end of the file, so git's
line merge reports a conflict although nothing contradicts.  A claim file is
not lines but a record, and this module merges it as one, field by field,
against the common ancestor:

- `history`, `evidence`, `relations` and `dismissed` are merged as sets: an
  entry either side added is kept, an entry either side deleted is deleted, an
  entry both have is kept once.  Entries with times (`at`) end up in time
  order; others keep ours' order, then theirs' new ones.
- `status`, when both sides changed it differently, takes the `to` of the
  latest history entry: the later verdict stands and the other stays in the
  history, and `workbench check` reports the pair (WB506) until someone
  settles it with a further verdict (see `unsettled_verdicts`).
- Any other field changed on one side only takes that side's value; changed on
  both sides to different values (two edits of the statement) is a conflict.
  Tables (`source`, `quantity`) are merged key by key the same way.

A conflict, or a side that does not load as a claim, falls back to git's own
line merge (`git merge-file`), so the reviewer sees the usual conflict markers,
and `workbench check` then names those markers (WB006).  The merged text keeps
ours' comments and hand formatting where it can: a canonical file is written
canonically (`model_text`), a hand-formatted one is edited with `tomlkit`,
changing only what the merge changed, and the result is re-read and compared
with the merged claim, so formatting never changes what the file means.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from pydantic import ValidationError

from workbench.models import Claim, ReviewEntry, nfc
from workbench.storage import model_text, to_document
from workbench.tomlio import TomlSyntaxError, parse_toml

LIST_KEYS = ("evidence", "relations", "dismissed", "history")
"""The lists of a claim that are merged as sets of entries."""

CLAIM_FOLDER = "claims"
"""Files in a folder of this name ending in `.toml` are merged as claims."""

MERGE_LABELS = ("ours", "ancestor", "theirs")
"""Labels of git's conflict markers when the driver falls back to a line merge."""


class MergeConflict(Exception):
    """The two sides cannot be merged as claims; the message says why."""


@dataclass(frozen=True, slots=True)
class ClaimMerge:
    """A clean merge of one claim file."""

    text: str
    claim: Claim
    notes: list[str] = field(default_factory=list)
    """What a person should know about the merge (two verdicts, one of which stands)."""


@dataclass(frozen=True, slots=True)
class DriverOutcome:
    """What the driver did: git's exit code and the lines to tell the person merging."""

    exit_code: int
    messages: list[str]


# --------------------------------------------------------------------------- merging


def merge_claim_texts(base: str | None, ours: str, theirs: str) -> ClaimMerge:
    """Merge two versions of a claim file against their ancestor (None: there is none).

    Raises `MergeConflict` when the sides changed the same field differently
    (other than the status) or a side does not load as a claim.
    """
    base_claim = None if base is None else _load(base, "the common ancestor")
    ours_claim = _load(ours, "ours")
    theirs_claim = _load(theirs, "theirs")
    base_data = {} if base_claim is None else to_document(base_claim)
    ours_data = to_document(ours_claim)
    theirs_data = to_document(theirs_claim)
    merged: dict[str, Any] = {}
    status_clash: tuple[Any, Any] | None = None
    for key in _keys(ours_data, theirs_data, base_data):
        if key in LIST_KEYS:
            entries = merge_entries(
                base_data.get(key, []), ours_data.get(key, []), theirs_data.get(key, [])
            )
            if entries:
                merged[key] = entries
            continue
        mine, yours, former = ours_data.get(key), theirs_data.get(key), base_data.get(key)
        if key == "status" and not (
            _same(mine, yours) or _same(former, yours) or _same(former, mine)
        ):
            status_clash, value = (mine, yours), mine
        else:
            value = _merge_value(key, former, mine, yours)
        if value is not None:
            merged[key] = value
    notes: list[str] = []
    if status_clash is not None:
        history = merged.get("history", [])
        inherited = {_key(entry) for entry in base_data.get("history", [])}
        if not history or _key(history[-1]) in inherited:
            raise MergeConflict(
                "both sides changed `status` differently, and neither recorded it in the history"
            )
        latest = history[-1]
        merged["status"] = latest["to"]
        notes.append(
            f"both sides changed the status (ours `{status_clash[0]}`, theirs "
            f"`{status_clash[1]}`): the later verdict `{latest['to']}` by {latest['reviewer']} "
            f"at {_time_text(latest['at'])} stands; `workbench check` reports WB506 until "
            "someone settles it with `workbench mark`"
        )
    try:
        claim = Claim.model_validate(merged)
    except ValidationError as error:
        raise MergeConflict(
            f"the merged claim does not validate: {error.error_count()} error(s)"
        ) from None
    return ClaimMerge(_render(ours, ours_claim, ours_data, claim), claim, notes)


def _merge_value(name: str, former: Any, mine: Any, yours: Any) -> Any:
    """Three-way merge of one value; tables (`source`, `quantity`) key by key."""
    if _same(mine, yours) or _same(former, yours):
        return mine
    if _same(former, mine):
        return yours
    if isinstance(mine, dict) and isinstance(yours, dict) and isinstance(former, dict):
        merged = {}
        for key in [*mine, *(key for key in yours if key not in mine)]:
            value = _merge_value(f"{name}.{key}", former.get(key), mine.get(key), yours.get(key))
            if value is not None:
                merged[key] = value
        return merged
    raise MergeConflict(f"both sides changed `{name}` differently")


def merge_entries(
    base: Sequence[dict[str, Any]],
    ours: Sequence[dict[str, Any]],
    theirs: Sequence[dict[str, Any]],
) -> list[dict[str, Any]]:
    """Three-way merge of a list of entries as a set.

    An entry in the ancestor that a side no longer has was deleted on that side
    and stays deleted; every other entry of either side is kept once.  When
    every entry has a time (`at`), ours' entries and theirs' new ones are merged
    in time order (see `_interleave`); otherwise ours' entries come first, in
    their order, then theirs' new ones.
    """
    ours_keys = {_key(entry) for entry in ours}
    theirs_keys = {_key(entry) for entry in theirs}
    deleted = {key for key in map(_key, base) if key not in ours_keys or key not in theirs_keys}
    kept: list[dict[str, Any]] = []
    seen: set[str] = set()
    for entry in ours:
        key = _key(entry)
        if key not in seen and key not in deleted:
            seen.add(key)
            kept.append(entry)
    added: list[dict[str, Any]] = []
    for entry in theirs:
        key = _key(entry)
        if key not in seen and key not in deleted:
            seen.add(key)
            added.append(entry)
    if all(isinstance(entry.get("at"), dt.datetime) for entry in (*kept, *added)):
        return _interleave(kept, added)
    return kept + added


def _interleave(first: list[dict[str, Any]], second: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Two lists of timed entries merged by time, each keeping its own order.

    Entries of the two lists with the same time are ordered by their content,
    not by side, so that merging either branch into the other gives the same
    file; entries of one list are never reordered (a `workbench add` and a
    `mark` in the same second stay in the order they were made).
    """
    result: list[dict[str, Any]] = []
    index, other = 0, 0
    while index < len(first) and other < len(second):
        mine, yours = first[index], second[other]
        if (mine["at"], _key(mine)) <= (yours["at"], _key(yours)):
            result.append(mine)
            index += 1
        else:
            result.append(yours)
            other += 1
    return result + first[index:] + second[other:]


def _load(text: str, side: str) -> Claim:
    try:
        return Claim.model_validate(parse_toml(text))
    except TomlSyntaxError as error:
        raise MergeConflict(
            f"{side} is not valid TOML (line {error.line}: {error.message})"
        ) from None
    except ValidationError as error:
        raise MergeConflict(
            f"{side} is not a valid claim ({error.error_count()} error(s))"
        ) from None


def _keys(*documents: dict[str, Any]) -> list[str]:
    """Every key of the documents, in the model's order."""
    present = {key for document in documents for key in document}
    order = [info.alias or name for name, info in Claim.model_fields.items()]
    return [key for key in order if key in present]


def _key(value: Any) -> str:
    """A value as comparable, hashable text (datetimes as ISO text)."""
    return json.dumps(value, sort_keys=True, ensure_ascii=False, default=_time_text)


def _same(first: Any, second: Any) -> bool:
    return _key(first) == _key(second)


def _time_text(value: Any) -> str:
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat().replace("+00:00", "Z")
    return str(value)


# --------------------------------------------------------------------------- writing


def _render(ours_text: str, ours_claim: Claim, ours_data: dict[str, Any], merged: Claim) -> str:
    """The merged file's text: canonical if ours was, else ours' text with only the
    merge's changes edited in (comments kept), provided it means the merged claim."""
    canonical = model_text(merged)
    if ours_text == model_text(ours_claim):
        return canonical
    try:
        edited = _edit(ours_text, ours_data, to_document(merged), canonical)
        if Claim.model_validate(parse_toml(edited)) == merged:
            return edited
    except Exception:  # any trouble editing ours falls back to the canonical text
        pass
    return canonical


def _edit(
    ours_text: str, ours_data: dict[str, Any], merged_data: dict[str, Any], canonical: str
) -> str:
    """Ours' text, edited with `tomlkit` where the merged claim differs from ours."""
    import tomlkit
    from tomlkit.items import AoT, Table

    document = tomlkit.parse(ours_text)
    fresh = tomlkit.parse(canonical)
    inserts: list[tuple[list[str], str]] = []
    table_order = [
        key
        for key in _keys(merged_data, ours_data)
        if key in LIST_KEYS or key in ("source", "quantity")
    ]
    for key in _keys(ours_data, merged_data):
        old, new = ours_data.get(key), merged_data.get(key)
        if _same(old, new):
            continue
        if new is None:
            del document[key]
            continue
        current = document.get(key)
        if key in LIST_KEYS and isinstance(current, AoT) and old and _same(new[: len(old)], old):
            for index in range(len(old), len(new)):
                last = current[-1]
                if isinstance(last, Table) and not last.as_string().endswith("\n\n"):
                    last.add(tomlkit.nl())
                current.append(fresh[key][index])
        elif key in document or key not in table_order:
            document[key] = fresh[key]
        else:
            later = [name for name in table_order[table_order.index(key) + 1 :] if name in document]
            if not later:
                document[key] = fresh[key]
                continue
            table = tomlkit.document()
            table[key] = fresh[key]
            inserts.append((later, table.as_string().strip("\n")))
    text = document.as_string().rstrip() + "\n"
    for later, block in inserts:
        text = _insert_before_tables(text, later, block)
    return text


def _insert_before_tables(text: str, names: list[str], block: str) -> str:
    """`block` (a table in TOML) inserted before the first table of `names` in `text`,
    above the comments that lead into that table, so that they stay with it."""
    header = re.compile(
        r"^[ \t]*\[\[?[ \t]*(?:" + "|".join(map(re.escape, names)) + r")[ \t]*[\].]", re.M
    )
    found = header.search(text)
    if found is None:
        raise ValueError("no table to insert before")
    lines = text[: found.start()].split("\n")[:-1]
    lead_in: list[str] = []
    while lines and lines[-1].lstrip().startswith("#"):
        lead_in.insert(0, lines.pop())
    while lines and not lines[-1].strip():
        lines.pop()
    head = "".join(f"{line}\n" for line in lines)
    rest = "".join(f"{line}\n" for line in lead_in) + text[found.start() :]
    return f"{head}\n{block}\n\n{rest}"


# --------------------------------------------------------------------------- the driver


def is_claim_path(path: str) -> bool:
    """Whether git's `%P` names a claim file (`claims/<id>.toml`, at any depth)."""
    pure = PurePosixPath(path.replace("\\", "/"))
    return pure.suffix == ".toml" and pure.parent.name == CLAIM_FOLDER


def run_driver(base: Path, ours: Path, theirs: Path, path: str) -> DriverOutcome:
    """Merge `ours` and `theirs` against `base`, writing the result over `ours`.

    Exit code 0: merged cleanly; 1: conflict markers written (git reports the
    conflict); 2: the files could not be read or written (ours is left alone).
    """
    try:
        texts = [_read_text(file) for file in (base, ours, theirs)]
    except OSError as error:
        return DriverOutcome(2, [f"{path}: cannot read a version to merge: {error}"])
    if is_claim_path(path) and all(text is not None for text in texts[1:]):
        base_text, ours_text, theirs_text = texts
        ancestor = None if base_text is None or not base_text.strip() else base_text
        assert ours_text is not None and theirs_text is not None
        try:
            merged = merge_claim_texts(ancestor, ours_text, theirs_text)
        except MergeConflict as conflict:
            reason = str(conflict)
        else:
            text = _clean_line_merge(base, ours, theirs, merged.claim) or merged.text
            try:
                _write_text(ours, text)
            except OSError as error:
                return DriverOutcome(2, [f"{path}: cannot write the merge: {error}"])
            return DriverOutcome(0, [f"{path}: {note}" for note in merged.notes])
    elif is_claim_path(path):
        reason = "a version is not UTF-8 text"
    else:
        reason = ""
    return _line_merge(base, ours, theirs, path, reason)


def _clean_line_merge(base: Path, ours: Path, theirs: Path, claim: Claim) -> str | None:
    """git's line merge, when it is clean and means exactly the merged claim.

    It keeps both sides' comments and formatting (a comment added on theirs
    survives), which editing ours' text cannot; when the lines clash, or
    merged lines would mean something else, the record merge's text is used.
    """
    labels = [argument for label in MERGE_LABELS for argument in ("-L", label)]
    command = ["git", "merge-file", "-p", *labels, str(ours), str(base), str(theirs)]
    try:
        result = subprocess.run(command, capture_output=True, check=False)
        if result.returncode != 0:
            return None
        text = result.stdout.decode("utf-8")
        return text if Claim.model_validate(parse_toml(text)) == claim else None
    except (OSError, UnicodeDecodeError, TomlSyntaxError, ValidationError):
        return None


def _line_merge(base: Path, ours: Path, theirs: Path, path: str, reason: str) -> DriverOutcome:
    """git's own three-way line merge, with conflict markers, written over `ours`."""
    labels = [argument for label in MERGE_LABELS for argument in ("-L", label)]
    command = ["git", "merge-file", "-p", *labels, str(ours), str(base), str(theirs)]
    try:
        result = subprocess.run(command, capture_output=True, check=False)
    except OSError as error:
        return DriverOutcome(2, [f"{path}: cannot run git merge-file: {error}"])
    if not 0 <= result.returncode <= 127:
        detail = result.stderr.decode("utf-8", "replace").strip()
        return DriverOutcome(2, [f"{path}: git merge-file failed: {detail}"])
    try:
        ours.write_bytes(result.stdout)
    except OSError as error:
        return DriverOutcome(2, [f"{path}: cannot write the merge: {error}"])
    if result.returncode == 0:
        return DriverOutcome(0, [])
    why = f" ({reason})" if reason else ""
    return DriverOutcome(
        1,
        [
            f"{path}: merged line by line, with conflict markers{why}: edit the file to "
            "resolve them, then `workbench check` it"
        ],
    )


def _read_text(path: Path) -> str | None:
    """A version's text (NFC, without a BOM), or None if it is not UTF-8."""
    try:
        text = path.read_bytes().decode("utf-8")
    except UnicodeDecodeError:
        return None
    return nfc(text.removeprefix("\ufeff"))


def _write_text(path: Path, text: str) -> None:
    with path.open("w", encoding="utf-8", newline="\n") as handle:
        handle.write(text)


# --------------------------------------------------------------------------- checking


def unsettled_verdicts(history: Sequence[ReviewEntry]) -> tuple[int, int] | None:
    """Two history entries whose verdicts conflict and that nobody has settled.

    A linear history chains: each entry's `from` is the `to` of the entry
    before it.  A merge of two branches that each changed the status breaks
    the chain: their entries both start from the status the branches shared.
    So a pair (i, j), i < j, is a conflict when entry j does not follow on from
    entry j - 1, entries i and j change the status from the same status to
    different ones (entries that keep the status are notes, not verdicts), and
    it is unsettled while no later entry follows on from the entry before it
    (a `workbench mark` after the merge does).  Returns the indexes of the last
    unsettled pair, or None.
    """
    for later in range(len(history) - 1, 0, -1):
        entry = history[later]
        if entry.from_status == entry.to_status:
            continue
        if entry.from_status == history[later - 1].to_status:
            continue
        for earlier in range(later - 1, -1, -1):
            other = history[earlier]
            if (
                other.from_status == entry.from_status
                and other.to_status != entry.to_status
                and other.from_status != other.to_status
            ):
                settled = any(
                    history[index].from_status == history[index - 1].to_status
                    for index in range(later + 1, len(history))
                )
                return None if settled else (earlier, later)
    return None


__all__ = [
    "ClaimMerge",
    "DriverOutcome",
    "MergeConflict",
    "is_claim_path",
    "merge_claim_texts",
    "merge_entries",
    "run_driver",
    "unsettled_verdicts",
]
