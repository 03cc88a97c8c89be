"""Reviewing claims: marking status, notes, relations and dismissals.

The app, `workbench mark` and scripts all call these functions, so every
decision takes the same path: the claim's file is locked and read again, the
change is applied to what is on disk now (so a concurrent reviewer's entry is
kept), and only the lines that change are written, atomically.  A change that
no longer applies (the reviewer saw `unreviewed`, another reviewer has since
set `verified`) is refused with `StaleFileError`, whose reason says what
changed; the project's copy of the claim is reloaded so the caller can show it.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from pydantic import ValidationError

from workbench.files.writing import ClaimChange, update_claim, update_claims
from workbench.models import (
    SYMMETRIC_RELATIONS,
    CandidateKind,
    Claim,
    Dismissal,
    Relation,
    RelationKind,
    ReviewEntry,
    explain_pattern_error,
)
from workbench.project import Project
from workbench.storage import ClaimRecord, StaleFileError, load_claim_file


class ReviewError(ValueError):
    """A review action that cannot be done as asked (unknown status, unknown claim...)."""


def find_reviewer(explicit: str | None = None) -> str | None:
    """Who is reviewing: `--reviewer`, else `WORKBENCH_REVIEWER`, else git's user.name;
    None when none of them names anyone (then ask: never the OS user `root`)."""
    if explicit and explicit.strip():
        return explicit.strip()
    from_env = os.environ.get("WORKBENCH_REVIEWER", "").strip()
    if from_env:
        return from_env
    try:
        result = subprocess.run(
            ["git", "config", "user.name"], capture_output=True, text=True, timeout=5, check=False
        )
        if result.returncode == 0 and result.stdout.strip():
            return result.stdout.strip()
    except (OSError, subprocess.SubprocessError):
        pass
    return None


NO_REVIEWER = (
    "no reviewer name: pass --reviewer NAME, set WORKBENCH_REVIEWER, or set git config user.name"
)


def reviewer_name(explicit: str | None = None) -> str:
    """`find_reviewer`, or `ReviewError` when nobody is named: a decision is never
    recorded under the OS user's name (`root` in a container) without a word."""
    name = find_reviewer(explicit)
    if name is None:
        raise ReviewError(NO_REVIEWER)
    return name


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


@dataclass(frozen=True, slots=True)
class Change:
    """One reviewer action, enough to undo it with a further action."""

    claim_id: str
    before: Claim
    after: Claim


def _record(project: Project, claim_id: str) -> ClaimRecord:
    record = project.claims.get(claim_id)
    if record is None:
        raise ReviewError(f"no claim with id `{claim_id}`")
    return record


def reload_claim(project: Project, claim_id: str) -> ClaimRecord | None:
    """Read a claim's file again (after a `StaleFileError`); None if it is gone or broken."""
    record = _record(project, claim_id)
    fresh, _problems = load_claim_file(record.path)
    if fresh is None:
        return None
    project.replace_record(fresh)
    return fresh


def _history_entry(
    claim: Claim, to_status: str, reviewer: str, note: str, at: dt.datetime | None
) -> ReviewEntry:
    try:
        return ReviewEntry.model_validate(
            {
                "at": at or utc_now(),
                "reviewer": reviewer,
                "from": claim.status,
                "to": to_status,
                "note": note,
            }
        )
    except ValidationError as error:
        raise ReviewError(
            _text_error(error, {"note": "the note", "reviewer": "the reviewer"})
        ) from None


def _text_error(error: ValidationError, names: dict[str, str]) -> str:
    """One line for a value a reviewer typed that cannot be stored (a control character)."""
    first = error.errors()[0]
    field = str(first["loc"][0]) if first["loc"] else ""
    what = names.get(field, field or "a value")
    value = first.get("input")
    pattern = (first.get("ctx") or {}).get("pattern")
    if isinstance(value, str) and isinstance(pattern, str):
        return f"{what} {explain_pattern_error(value, pattern)}"
    return f"{what}: {first['msg']}"


_BOOKKEEPING = frozenset({"status", "history", "relations", "dismissed"})
"""Fields that record reviews rather than say what the claim is."""


def _ensure_as_seen(path: Path, seen: Claim, now: Claim, *, status_matters: bool) -> None:
    """Refuse a reviewer's change when the claim on disk is no longer what they saw.

    What they saw is the project's copy.  A verdict given on status `unreviewed`
    does not apply over another reviewer's `verified`, nor to a statement or quote
    edited since; a note, relation or history entry someone else added does not
    matter and the change goes through on top of it.
    """
    if status_matters and now.status != seen.status:
        by = ""
        last = now.history[-1] if now.history else None
        if last is not None and last.to_status == now.status:
            by = f" by {last.reviewer} at {last.at:%Y-%m-%d %H:%M} UTC"
        raise StaleFileError(
            path,
            f"{now.id} is now `{now.status}` (set{by}), not `{seen.status}` as you saw it",
        )
    changed = [
        name
        for name in type(now).model_fields
        if name not in _BOOKKEEPING and getattr(now, name) != getattr(seen, name)
    ]
    if changed:
        raise StaleFileError(
            path, f"{now.id}'s {', '.join(changed)} changed on disk since you saw it"
        )


def apply_change(project: Project, record: ClaimRecord, change: ClaimChange) -> Change:
    """Apply `change` to the claim's file as it is now, under its lock; keep the
    project's copy in step with what was written."""
    try:
        before, written = update_claim(record.path, change)
    except StaleFileError:
        if not record.path.exists():
            raise
        reload_claim(project, record.id)
        raise
    project.replace_record(written)
    return Change(written.id, before, written.claim)


def mark_status(
    project: Project,
    claim_id: str,
    status: str,
    *,
    reviewer: str,
    note: str = "",
    at: dt.datetime | None = None,
    as_seen: bool = True,
) -> Change:
    """Set a claim's status, appending a history entry; written at once.

    The change is made to the file as it is on disk now, under its lock.  With
    `as_seen` (the app, scripts) it is refused with `StaleFileError` when the
    status or content on disk differs from the project's copy, which is what the
    reviewer saw; without it (`workbench mark`) it applies to whatever is there,
    and the entry's `from` is the status found on disk.
    """
    if status not in project.settings.statuses:
        allowed = ", ".join(project.settings.statuses)
        raise ReviewError(f"unknown status `{status}` (workbench.toml allows: {allowed})")
    record = _record(project, claim_id)
    seen = record.claim
    _history_entry(seen, status, reviewer, note, at)  # a bad note is refused before any lock

    def change(now: Claim) -> Claim:
        if as_seen:
            _ensure_as_seen(record.path, seen, now, status_matters=True)
        entry = _history_entry(now, status, reviewer, note, at)
        return now.model_copy(update={"status": status, "history": [*now.history, entry]})

    return apply_change(project, record, change)


def add_note(
    project: Project,
    claim_id: str,
    note: str,
    *,
    reviewer: str,
    at: dt.datetime | None = None,
    as_seen: bool = True,
) -> Change:
    """A note is a history entry that leaves the status as it is.

    A note is about the claim's content, so with `as_seen` it is refused when
    the statement or quote changed on disk; a new status does not matter.
    """
    if not note.strip():
        raise ReviewError("a note needs some text")
    record = _record(project, claim_id)
    seen = record.claim
    _history_entry(seen, seen.status, reviewer, note, at)

    def change(now: Claim) -> Claim:
        if as_seen:
            _ensure_as_seen(record.path, seen, now, status_matters=False)
        entry = _history_entry(now, now.status, reviewer, note, at)
        return now.model_copy(update={"history": [*now.history, entry]})

    return apply_change(project, record, change)


def undo(
    project: Project, change: Change, *, reviewer: str, at: dt.datetime | None = None
) -> Change:
    """Undo a change with a further history entry: history is never rewritten.

    The status goes back to what it was before the change, and the claim's other
    fields (relations, dismissals) go back too; the history keeps both entries,
    and entries others added since.  Refused when the claim on disk changed
    since, other than in its history.
    """
    record = _record(project, change.claim_id)
    note = f"undo: {_describe(change)}"

    def restore(now: Claim) -> Claim:
        if now.model_copy(update={"history": []}) != change.after.model_copy(
            update={"history": []}
        ):
            raise StaleFileError(record.path, f"{now.id} changed on disk since the change to undo")
        entry = _history_entry(now, change.before.status, reviewer, note, at)
        return change.before.model_copy(update={"history": [*now.history, entry]})

    return apply_change(project, record, restore)


def _describe(change: Change) -> str:
    if change.before.status != change.after.status:
        return f"status {change.before.status} -> {change.after.status}"
    if len(change.after.relations) != len(change.before.relations):
        return "relation"
    if len(change.after.dismissed) != len(change.before.dismissed):
        return "dismissal"
    return "note"


def _pair(project: Project, first_id: str, second_id: str) -> tuple[ClaimRecord, ClaimRecord]:
    if first_id == second_id:
        raise ReviewError("a claim cannot relate to itself")
    return _record(project, first_id), _record(project, second_id)


def _apply_pair(
    project: Project,
    records: tuple[ClaimRecord, ClaimRecord],
    change: Callable[[list[Claim]], list[Claim]],
) -> list[Change]:
    """Apply a change to two files at once: both locked, both read, then both written."""
    try:
        results = update_claims([record.path for record in records], change)
    except StaleFileError:
        for record in records:
            if record.path.exists():
                reload_claim(project, record.id)
        raise
    changes = []
    for before, written in results:
        project.replace_record(written)
        if written.claim != before:
            changes.append(Change(written.id, before, written.claim))
    return changes


def _with_relation(claim: Claim, relation: Relation) -> Claim:
    if any(r.kind == relation.kind and r.claim == relation.claim for r in claim.relations):
        return claim
    return claim.model_copy(update={"relations": [*claim.relations, relation]})


def relate(
    project: Project,
    first_id: str,
    second_id: str,
    kind: RelationKind,
    *,
    note: str = "",
    reviewer: str,
    at: dt.datetime | None = None,
) -> list[Change]:
    """Record a relation; mutual kinds are written in both files.

    `updates` points from the newer claim (first) to the older (second) and is
    written in the first file only.  A relation already recorded is not repeated.
    Both files are locked and read as they are now before either is written.
    Like a dismissal, it keeps who decided it and when.
    """
    when = at or utc_now()
    records = _pair(project, first_id, second_id)
    try:
        forward = Relation(kind=kind, claim=second_id, note=note, reviewer=reviewer, at=when)
        backward = Relation(kind=kind, claim=first_id, note=note, reviewer=reviewer, at=when)
    except ValidationError as error:
        raise ReviewError(_text_error(error, {"note": "the note"})) from None
    mutual = kind in SYMMETRIC_RELATIONS

    def change(now: list[Claim]) -> list[Claim]:
        first, second = now
        return [
            _with_relation(first, forward),
            _with_relation(second, backward) if mutual else second,
        ]

    return _apply_pair(project, records, change)


def unrelate(
    project: Project,
    first_id: str,
    second_id: str,
    kind: RelationKind,
    *,
    note: str = "",
    reviewer: str,
    at: dt.datetime | None = None,
) -> list[Change]:
    """Remove a relation a reviewer found wrong, from both files for mutual kinds.

    A relation carries no history of its own, so the removal is kept as a history
    note in each file it leaves ("removed relation: contradicts X", and the
    reviewer's reason), where the next reviewer and `git log -p` see it.  Refused
    when neither file holds the relation.
    """
    when = at or utc_now()
    records = _pair(project, first_id, second_id)
    mutual = kind in SYMMETRIC_RELATIONS
    found = [
        any(r.kind == kind and r.claim == other for r in record.claim.relations)
        for record, other in ((records[0], second_id), (records[1], first_id))
    ]
    if not found[0] and not (mutual and found[1]):
        hint = ""
        if kind == "updates" and found[1]:
            hint = f" (`updates` is recorded in the newer claim: try {second_id} first)"
        raise ReviewError(f"{first_id} has no `{kind}` relation to {second_id}{hint}")

    def without(claim: Claim, other: str) -> Claim:
        kept = [r for r in claim.relations if not (r.kind == kind and r.claim == other)]
        if len(kept) == len(claim.relations):
            return claim
        text = f"removed relation: {kind} {other}" + (f": {note}" if note.strip() else "")
        entry = _history_entry(claim, claim.status, reviewer, text, when)
        return claim.model_copy(update={"relations": kept, "history": [*claim.history, entry]})

    _history_entry(records[0].claim, records[0].claim.status, reviewer, note, when)

    def change(now: list[Claim]) -> list[Claim]:
        first, second = now
        return [without(first, second_id), without(second, first_id) if mutual else second]

    return _apply_pair(project, records, change)


def dismiss(
    project: Project,
    first_id: str,
    second_id: str,
    kind: CandidateKind,
    *,
    note: str = "",
    reviewer: str,
    at: dt.datetime | None = None,
) -> list[Change]:
    """Record that a proposed pair is not a conflict, in both files, so it never returns."""
    records = _pair(project, first_id, second_id)
    when = at or utc_now()
    try:
        dismissals = [
            Dismissal(claim=other_id, kind=kind, note=note, reviewer=reviewer, at=when)
            for other_id in (second_id, first_id)
        ]
    except ValidationError as error:
        raise ReviewError(_text_error(error, {"note": "the note"})) from None

    def change(now: list[Claim]) -> list[Claim]:
        return [
            claim
            if any(d.claim == dismissal.claim and d.kind == kind for d in claim.dismissed)
            else claim.model_copy(update={"dismissed": [*claim.dismissed, dismissal]})
            for claim, dismissal in zip(now, dismissals, strict=True)
        ]

    return _apply_pair(project, records, change)


__all__ = [
    "Change",
    "ReviewError",
    "StaleFileError",
    "add_note",
    "apply_change",
    "dismiss",
    "mark_status",
    "relate",
    "reload_claim",
    "reviewer_name",
    "undo",
    "unrelate",
]
