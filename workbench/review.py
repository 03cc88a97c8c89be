"""Reviewing claims: marking status, notes, relations and dismissals.

The app, `workbench mark` and scripts all call these functions, so every
decision takes the same path: reload-safe, appended to the claim's history,
written through the canonical atomic writer.  A write never goes over a file
that changed since the project was loaded; `StaleFileError` tells the caller
to reload (the app then shows the reviewer what changed).
"""

from __future__ import annotations

import datetime as dt
import getpass
import os
import subprocess
from dataclasses import dataclass

from workbench.models import (
    SYMMETRIC_RELATIONS,
    CandidateKind,
    Claim,
    Dismissal,
    Relation,
    RelationKind,
    ReviewEntry,
)
from workbench.project import Project
from workbench.storage import (
    ClaimRecord,
    StaleFileError,
    ensure_unchanged,
    load_claim_file,
    save_claim,
)


class ReviewError(ValueError):
    """A review action that cannot be done as asked (unknown status, unknown claim...)."""


def reviewer_name(explicit: str | None = None) -> str:
    """Who is reviewing: `--reviewer`, else `WORKBENCH_REVIEWER`, else git's user.name."""
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
    try:
        return getpass.getuser()
    except (OSError, KeyError):
        return "unknown"


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
    return ReviewEntry.model_validate(
        {
            "at": at or utc_now(),
            "reviewer": reviewer,
            "from": claim.status,
            "to": to_status,
            "note": note,
        }
    )


def mark_status(
    project: Project,
    claim_id: str,
    status: str,
    *,
    reviewer: str,
    note: str = "",
    at: dt.datetime | None = None,
) -> Change:
    """Set a claim's status, appending a history entry; written at once."""
    if status not in project.settings.statuses:
        allowed = ", ".join(project.settings.statuses)
        raise ReviewError(f"unknown status `{status}` (workbench.toml allows: {allowed})")
    record = _record(project, claim_id)
    before = record.claim
    entry = _history_entry(before, status, reviewer, note, at)
    after = before.model_copy(update={"status": status, "history": [*before.history, entry]})
    project.replace_record(save_claim(record, after))
    return Change(claim_id, before, project.claim(claim_id))


def add_note(
    project: Project, claim_id: str, note: str, *, reviewer: str, at: dt.datetime | None = None
) -> Change:
    """A note is a history entry that leaves the status as it is."""
    if not note.strip():
        raise ReviewError("a note needs some text")
    record = _record(project, claim_id)
    before = record.claim
    entry = _history_entry(before, before.status, reviewer, note, at)
    after = before.model_copy(update={"history": [*before.history, entry]})
    project.replace_record(save_claim(record, after))
    return Change(claim_id, before, project.claim(claim_id))


def undo(
    project: Project, change: Change, *, reviewer: str, at: dt.datetime | None = None
) -> Change:
    """Undo a change with a further history entry: history is never rewritten.

    The status goes back to what it was before the change, and the claim's other
    fields (relations, dismissals) go back too; the history keeps both entries.
    """
    record = _record(project, change.claim_id)
    current = record.claim
    note = f"undo: {_describe(change)}"
    entry = _history_entry(current, change.before.status, reviewer, note, at)
    restored = change.before.model_copy(update={"history": [*current.history, entry]})
    project.replace_record(save_claim(record, restored))
    return Change(change.claim_id, current, project.claim(change.claim_id))


def _describe(change: Change) -> str:
    if change.before.status != change.after.status:
        return f"status {change.before.status} -> {change.after.status}"
    if len(change.after.relations) != len(change.before.relations):
        return "relation"
    if len(change.after.dismissed) != len(change.before.dismissed):
        return "dismissal"
    return "note"


def _check_pair(project: Project, first_id: str, second_id: str) -> tuple[ClaimRecord, ClaimRecord]:
    if first_id == second_id:
        raise ReviewError("a claim cannot relate to itself")
    first, second = _record(project, first_id), _record(project, second_id)
    # Check both before writing either, so a stale second file does not leave
    # the first half of a mirrored relation behind.
    ensure_unchanged(first.path, first.fingerprint)
    ensure_unchanged(second.path, second.fingerprint)
    return first, second


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
    Like a dismissal, it keeps who decided it and when.
    """
    when = at or utc_now()
    first, second = _check_pair(project, first_id, second_id)
    changes: list[Change] = []
    targets = [(first, second_id)]
    if kind in SYMMETRIC_RELATIONS:
        targets.append((second, first_id))
    for record, other_id in targets:
        before = record.claim
        if any(r.kind == kind and r.claim == other_id for r in before.relations):
            continue
        relation = Relation(kind=kind, claim=other_id, note=note, reviewer=reviewer, at=when)
        after = before.model_copy(update={"relations": [*before.relations, relation]})
        project.replace_record(save_claim(record, after))
        changes.append(Change(before.id, before, project.claim(before.id)))
    return changes


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
    first, second = _check_pair(project, first_id, second_id)
    changes: list[Change] = []
    for record, other_id in ((first, second_id), (second, first_id)):
        before = record.claim
        if any(d.claim == other_id and d.kind == kind for d in before.dismissed):
            continue
        dismissal = Dismissal(
            claim=other_id, kind=kind, note=note, reviewer=reviewer, at=at or utc_now()
        )
        after = before.model_copy(update={"dismissed": [*before.dismissed, dismissal]})
        project.replace_record(save_claim(record, after))
        changes.append(Change(before.id, before, project.claim(before.id)))
    return changes


__all__ = [
    "Change",
    "ReviewError",
    "StaleFileError",
    "add_note",
    "dismiss",
    "mark_status",
    "relate",
    "reload_claim",
    "reviewer_name",
    "undo",
]
