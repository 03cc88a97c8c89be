"""Giving a verdict with its reasons: what the app's verdict form and `workbench mark` share.

A reviewer gives a status, a note and, when the status asks for it, a piece of
evidence.  `check_verdict_draft` says what is wrong with that in the words the
reviewer sees (nothing is written while anything is), and `record_verdict`
writes it: the evidence first (`workbench.evidence.add_evidence`), then the
status with the note (`workbench.review.mark_status`), each under the claim's
file lock.  The app and the CLI both call these, so `mark` refuses what the app
refuses (a status the claim already has, a verdict without its reasons, a
stance that does not fit, a URL that is not http(s)).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from pydantic import ValidationError

from workbench.agreement import reviewer_verdicts
from workbench.evidence import add_evidence
from workbench.models import Claim, Evidence, ProjectSettings
from workbench.project import Project
from workbench.review import Change, mark_status
from workbench.urls import http_url_problem
from workbench.verdicts import INITIAL_STATUS, evidence_fits, verdict_problems

STANCE_ORDER: tuple[str, ...] = ("supports", "refutes", "not-enough-info")


@dataclass(frozen=True, slots=True)
class VerdictDraft:
    """What the reviewer typed: the note and one (optional) piece of evidence."""

    note: str = ""
    citation: str = ""
    url: str = ""
    shows: str = ""
    stance: str = ""

    @property
    def has_evidence(self) -> bool:
        """Whether any evidence field was filled (then citation, shows and stance are needed)."""
        return bool(self.citation.strip() or self.url.strip() or self.shows.strip())


@dataclass(frozen=True, slots=True)
class CheckedVerdict:
    """A draft that passed: the note and the evidence to add (None: none new)."""

    note: str
    evidence: Evidence | None


def needs_form(settings: ProjectSettings, status: str) -> bool:
    """Whether a `status` verdict asks for anything (a note or evidence): then the app
    opens the verdict form; otherwise the key sets the status at once."""
    info = settings.statuses.get(status)
    return info is not None and (info.requires_note or bool(info.requires_evidence))


def fitting_stance(settings: ProjectSettings, status: str) -> str:
    """The stance to preselect for a `status` verdict's evidence: the first it accepts."""
    info = settings.statuses.get(status)
    if info is not None and info.requires_evidence:
        return info.requires_evidence[0]
    return STANCE_ORDER[0]


def status_change_problem(claim: Claim, status: str, reviewer: str) -> str | None:
    """Why `reviewer` setting `status` on `claim` is refused before anything else: the
    claim has that status and it is already this reviewer's verdict.  Another reviewer
    giving the status the claim has is a second opinion that agrees (recorded, as
    `workbench.agreement` counts it), not a repeat."""
    if claim.status == status and reviewer_verdicts(claim).get(reviewer) == status:
        return f"{claim.id} is already {status} (your verdict)"
    if claim.status == status and status == INITIAL_STATUS:
        return f"{claim.id} is already {status}"
    return None


def check_verdict_draft(
    settings: ProjectSettings,
    claim: Claim,
    status: str,
    draft: VerdictDraft,
    *,
    reviewer: str,
    allow_same: bool = False,
) -> tuple[CheckedVerdict | None, list[str]]:
    """The verdict to write, or the problems that stop it (one line each, what to do).
    `allow_same`: a blind reviewer, who cannot see the status, may give the one it has."""
    problems: list[str] = []
    refused = status_change_problem(claim, status, reviewer)
    if refused is not None and not allow_same:
        return None, [refused]
    evidence: Evidence | None = None
    if draft.has_evidence:
        if draft.url.strip() and (problem := http_url_problem(draft.url.strip())) is not None:
            problems.append(f"URL: {problem}")
        if not draft.citation.strip():
            problems.append("evidence needs a citation (who said it, where, when)")
        if not draft.shows.strip():
            problems.append("evidence needs a line on what it shows")
        if draft.stance not in STANCE_ORDER:
            problems.append(f"evidence stance must be one of {', '.join(STANCE_ORDER)}")
        elif not evidence_fits(settings, status, draft.stance):
            wanted = settings.statuses[status].requires_evidence
            problems.append(
                f"evidence that {draft.stance} the claim cannot back a `{status}` verdict "
                f"(it needs {' or '.join(wanted)})"
            )
        if not problems:
            try:
                evidence = Evidence(
                    citation=draft.citation.strip(),
                    url=draft.url.strip(),
                    shows=draft.shows.strip(),
                    stance=draft.stance,
                )
            except ValidationError as error:
                field = str(error.errors()[0]["loc"][0]) if error.errors()[0]["loc"] else ""
                problems.append(f"evidence {field}: text without control characters, please")
    if problems:
        return None, problems
    known = list(claim.evidence) + ([evidence] if evidence is not None else [])
    if evidence is not None and any(_same(evidence, item) for item in claim.evidence):
        evidence = None  # already on the claim: counts, nothing to add
    missing = verdict_problems(settings, status, draft.note, known)
    if missing:
        return None, missing
    return CheckedVerdict(draft.note.strip(), evidence), []


def record_verdict(
    project: Project,
    claim_id: str,
    status: str,
    verdict: CheckedVerdict,
    *,
    reviewer: str,
    as_seen: bool = True,
) -> list[Change]:
    """Write the evidence (if new), then the status with its note; both are kept
    together on the app's undo stack (undone newest first)."""
    changes: list[Change] = []
    if verdict.evidence is not None:
        changes.append(add_evidence(project, claim_id, verdict.evidence, reviewer=reviewer))
    changes.append(
        mark_status(
            project, claim_id, status, reviewer=reviewer, note=verdict.note, as_seen=as_seen
        )
    )
    return changes


@dataclass(frozen=True, slots=True)
class ReusableEvidence:
    """Evidence recorded on a related claim, offered for reuse in the verdict form."""

    claim_id: str
    relation: str
    evidence: Evidence


def related_evidence(project: Project, claim: Claim) -> list[ReusableEvidence]:
    """Evidence of the claims related to `claim`, relations in either direction,
    without evidence the claim already has."""
    related: dict[str, str] = {}
    for relation in claim.relations:
        related.setdefault(relation.claim, relation.kind)
    for other_id, relation in project.relations_to(claim.id):
        related.setdefault(other_id, relation.kind)
    offered: list[ReusableEvidence] = []
    for other_id, kind in related.items():
        record = project.claims.get(other_id)
        if record is None:
            continue
        for item in record.claim.evidence:
            if any(_same(item, own) for own in claim.evidence):
                continue
            if any(_same(item, seen.evidence) for seen in offered):
                continue
            offered.append(ReusableEvidence(other_id, kind, item))
    return offered


def _same(first: Evidence, second: Evidence) -> bool:
    return (first.citation.strip(), first.url.strip(), first.stance) == (
        second.citation.strip(),
        second.url.strip(),
        second.stance,
    )


def stance_choices(settings: ProjectSettings, status: str) -> Sequence[str]:
    """Stances the form offers, the fitting ones first."""
    info = settings.statuses.get(status)
    fitting = list(info.requires_evidence) if info is not None else []
    return [*fitting, *(stance for stance in STANCE_ORDER if stance not in fitting)]
