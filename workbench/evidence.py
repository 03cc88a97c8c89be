"""Adding evidence to a claim: `workbench evidence add`, the app and scripts.

Evidence belongs to the claim (every entry counts toward what a verdict
requires, see `workbench.verdicts`); who added it and when is recorded as a
history note entry, because the `Evidence` model has no author field and the
history is where a reviewer looks for who did what.  That note starts with
`EVIDENCE_NOTE_PREFIX`, so it is never mistaken for the reason of a verdict.
"""

from __future__ import annotations

import datetime as dt
from typing import get_args

from workbench.models import Claim, Evidence, EvidenceStance, ReviewEntry
from workbench.project import Project
from workbench.review import Change, ReviewError, apply_change, utc_now
from workbench.urls import http_url_problem
from workbench.verdicts import EVIDENCE_NOTE_PREFIX

EVIDENCE_STANCES: tuple[str, ...] = get_args(EvidenceStance)
"""supports, refutes, not-enough-info: FEVER's labels, the model's own vocabulary."""


def evidence_problem(evidence: Evidence) -> str | None:
    """What is wrong with evidence a reviewer typed, beyond what the model checks."""
    if evidence.url:
        return http_url_problem(evidence.url)
    return None


def evidence_note(evidence: Evidence) -> str:
    """The history note that records an evidence entry: prefix, stance, citation."""
    return f"{EVIDENCE_NOTE_PREFIX}{evidence.stance}: {evidence.citation}"


def add_evidence(
    project: Project,
    claim_id: str,
    evidence: Evidence,
    *,
    reviewer: str,
    at: dt.datetime | None = None,
) -> Change:
    """Append `evidence` to the claim and a history note saying who added it; written
    at once.  Refuses (ReviewError) an unknown claim, a URL that is not http(s), and
    evidence the claim already has (same citation, URL and stance)."""
    problem = evidence_problem(evidence)
    if problem is not None:
        raise ReviewError(f"--url: {problem}")
    record = project.claims.get(claim_id)
    if record is None:
        raise ReviewError(f"no claim with id `{claim_id}`")
    when = at or utc_now()

    def change(now: Claim) -> Claim:
        """Evidence goes onto the claim as it is on disk now, under its lock: a verdict
        or evidence someone else wrote meanwhile stays."""
        if any(_same(evidence, known) for known in now.evidence):
            raise ReviewError(
                f"`{claim_id}` already has this evidence ({evidence.citation}, {evidence.stance})"
            )
        entry = ReviewEntry.model_validate(
            {
                "at": when,
                "reviewer": reviewer,
                "from": now.status,
                "to": now.status,
                "note": evidence_note(evidence),
            }
        )
        return now.model_copy(
            update={"evidence": [*now.evidence, evidence], "history": [*now.history, entry]}
        )

    return apply_change(project, record, change)


def _same(first: Evidence, second: Evidence) -> bool:
    return (first.citation.strip(), first.url.strip(), first.stance) == (
        second.citation.strip(),
        second.url.strip(),
        second.stance,
    )
