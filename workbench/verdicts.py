"""What a verdict must carry: its reasons, as `workbench.toml` asks per status.

A status in `workbench.toml` may say `requires_note = true` (the reviewer writes
why) and `requires_evidence = ["refutes", ...]` (at least one evidence entry
whose stance is one of these).  The rules are data, so a project decides what
its verdicts need; the functions here only read them.  The app's verdict form,
`workbench mark` and `workbench check` (WB507) all ask `verdict_problems`, so a
reviewer hears the same words wherever they are.

The note of a verdict is the note on the history entry that set the current
status, together with the notes of later entries that left the status as it was
(a reviewer who adds the reason a minute later has given it), but not the notes
that only record an evidence entry being added.  Evidence belongs
to the claim, not to one entry: every evidence entry of the claim counts.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from workbench.locate import line_of
from workbench.models import Claim, Evidence, ProjectSettings, ReviewEntry
from workbench.problems import Problem, Severity

VERDICT_PROBLEM_CODE = "WB507"
"""A verdict that lacks the note or evidence its status requires (a warning)."""

INITIAL_STATUS = "unreviewed"

EVIDENCE_NOTE_PREFIX = "evidence added: "
"""How `workbench.evidence` begins the history note that records who added evidence;
such a note records an action, not the reason of a verdict."""


def verdict_problems(
    settings: ProjectSettings, status: str, note: str, evidence: Sequence[Evidence]
) -> list[str]:
    """What a verdict of `status` with this note and evidence still lacks, in words a
    reviewer acts on; empty when it has what its status requires (or the status is
    unknown: that is WB501's business)."""
    info = settings.statuses.get(status)
    if info is None:
        return []
    missing: list[str] = []
    if info.requires_note and not note.strip():
        missing.append(f"a `{status}` verdict needs a note saying why")
    wanted = info.requires_evidence
    if wanted and not any(entry.stance in wanted for entry in evidence):
        missing.append(
            f"a `{status}` verdict needs evidence that {_stances_in_words(wanted)} "
            f"(an evidence entry with stance {_alternatives(wanted)})"
        )
    return missing


def evidence_fits(settings: ProjectSettings, status: str, stance: str) -> bool:
    """Whether evidence with `stance` can back a `status` verdict: a status that asks
    for evidence names the stances that fit; one that asks for none takes any."""
    info = settings.statuses.get(status)
    if info is None or not info.requires_evidence:
        return True
    return stance in info.requires_evidence


def status_from_history(history: Sequence[ReviewEntry]) -> str | None:
    """The status the history sets: the `to` of its last entry that changes the status.

    A note entry (`from` = `to`) records the status its writer saw and sets none: a
    note written on one git branch while another branch set a verdict comes after the
    verdict once the merge driver puts both in time order, and still says the status
    it saw.  Only when no entry changes the status does the last entry tell."""
    for entry in reversed(history):
        if entry.from_status != entry.to_status:
            return entry.to_status
    return history[-1].to_status if history else None


def verdict_note(claim: Claim) -> str:
    """The notes that give the reason for the claim's current verdict (see the module
    docstring), joined by newlines; empty when there is none or no verdict.  A later
    note entry that saw another status (from a merged branch) is not a reason for
    this verdict and is passed over."""
    notes: list[str] = []
    for entry in reversed(claim.history):
        if (
            entry.to_status == claim.status
            and entry.note.strip()
            and not entry.note.startswith(EVIDENCE_NOTE_PREFIX)
        ):
            notes.append(entry.note)
        if entry.from_status != entry.to_status:
            break
    return "\n".join(reversed(notes))


def claim_verdict_problems(settings: ProjectSettings, claim: Claim) -> list[str]:
    """What the claim's current verdict lacks; nothing for an unreviewed claim."""
    if claim.status == INITIAL_STATUS:
        return []
    return verdict_problems(settings, claim.status, verdict_note(claim), claim.evidence)


def check_verdict(settings: ProjectSettings, claim: Claim, path: Path) -> list[Problem]:
    """WB507 warnings at the claim's `status` line: warnings, not errors, because a
    project may have verdicts from before its statuses asked for reasons."""
    missing = claim_verdict_problems(settings, claim)
    if not missing:
        return []
    fixes = []
    if any("note" in text for text in missing):
        fixes.append("write the reason as a note on the claim (the app's note key)")
    if any("evidence" in text for text in missing):
        fixes.append(f"add evidence with `workbench evidence add {claim.id} ...`")
    message = "; ".join(missing) + ": " + " and ".join(fixes)
    line = line_of(path, ("status",))
    return [Problem(path, line, 1, VERDICT_PROBLEM_CODE, message, Severity.WARNING)]


_STANCE_WORDS = {
    "supports": "supports the claim",
    "refutes": "refutes the claim",
    "not-enough-info": "shows there is not enough information",
}


def _stances_in_words(stances: Sequence[str]) -> str:
    return _alternatives([_STANCE_WORDS.get(stance, stance) for stance in stances], quote=False)


def _alternatives(values: Sequence[str], *, quote: bool = True) -> str:
    shown = [f"`{value}`" if quote else value for value in values]
    if len(shown) == 1:
        return shown[0]
    return ", ".join(shown[:-1]) + " or " + shown[-1]
