"""Agreement between reviewers: who gave which verdict, and how far they agree.

What counts (the definitions `workbench stats --agreement` and
`workbench export --agreed` use):

- A **verdict** is a review history entry that sets a status other than
  `unreviewed`: one that changes the status (`from` is not `to`), or one that
  leaves it as it is (`from` = `to`: a second reviewer who looked and let the
  status stand, with or without a note, confirms it; this is how a second
  opinion that agrees is recorded).  Not verdicts: entries that record evidence
  being added (their note starts with `evidence added: `, see
  `workbench.evidence`), and notes left on a claim their writer saw unreviewed
  (`unreviewed` -> `unreviewed`; after a git merge such a note may follow another
  branch's verdict, and withdraws nothing).  An `undo` entry (its note starts with
  `undo:`) and an entry that sets a status back to `unreviewed` withdraw their
  reviewer's verdict on that claim.
- A reviewer's **verdict on a claim** is their latest verdict in its history.
- A claim is **reviewed by several** when two or more reviewers have a verdict on it;
  only such claims enter the figures.
- A claim's verdicts **agree** when there are two or more and all are the same
  status, which is also the claim's current status.

The figures: Cohen's kappa when exactly two reviewers gave the verdicts,
Krippendorff's alpha (nominal, any number of reviewers, missing verdicts
allowed) always; "per status" is the same statistic on the two-valued question
"is it this status or not?", which shows where reviewers part ways.  A
statistic whose expected disagreement is zero (everyone used one status) is
undefined and reported as None.

The math is plain functions on plain values, tested against textbook examples.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from itertools import permutations
from typing import Protocol

from workbench.models import Claim
from workbench.verdicts import EVIDENCE_NOTE_PREFIX

INITIAL_STATUS = "unreviewed"
UNDO_NOTE_PREFIX = "undo:"
"""How `workbench.review.undo` begins its note: the entry reverts, it judges nothing."""


# --------------------------------------------------------------------------- the math


def cohens_kappa(pairs: Sequence[tuple[str, str]]) -> float | None:
    """Cohen's kappa for two raters; `pairs` holds (first rater's label, second's)
    for each item both rated.  None when undefined (no items, or chance agreement 1)."""
    count = len(pairs)
    if count == 0:
        return None
    observed = sum(first == second for first, second in pairs) / count
    first_counts = Counter(first for first, _ in pairs)
    second_counts = Counter(second for _, second in pairs)
    expected = sum(first_counts[label] * second_counts[label] for label in first_counts) / (
        count * count
    )
    if expected >= 1.0:
        return None
    return (observed - expected) / (1.0 - expected)


def krippendorff_alpha_nominal(units: Iterable[Sequence[str]]) -> float | None:
    """Krippendorff's alpha for nominal labels.  Each unit is the labels it received
    (missing ones left out); units with fewer than two labels are not pairable and
    are ignored.  None when undefined (fewer than two pairable values, or a single
    label in use)."""
    coincidences: defaultdict[tuple[str, str], float] = defaultdict(float)
    for labels in units:
        if len(labels) < 2:
            continue
        weight = 1.0 / (len(labels) - 1)
        for first, second in permutations(labels, 2):
            coincidences[(first, second)] += weight
    totals: defaultdict[str, float] = defaultdict(float)
    for (first, _second), weight in coincidences.items():
        totals[first] += weight
    pairable = sum(totals.values())
    if pairable < 2:
        return None
    observed = sum(weight for (first, second), weight in coincidences.items() if first != second)
    expected = sum(
        totals[first] * totals[second] for first in totals for second in totals if first != second
    )
    if expected == 0:
        return None
    return 1.0 - (pairable - 1.0) * observed / expected


# --------------------------------------------------------------------------- verdicts


def reviewer_verdicts(claim: Claim) -> dict[str, str]:
    """Each reviewer's latest verdict on the claim (see the module docstring)."""
    verdicts: dict[str, str] = {}
    for entry in claim.history:
        if entry.note.startswith(UNDO_NOTE_PREFIX) or (
            entry.to_status == INITIAL_STATUS and entry.from_status != INITIAL_STATUS
        ):
            verdicts.pop(entry.reviewer, None)  # withdrawn
        elif entry.to_status == INITIAL_STATUS:
            pass  # a note on a claim its writer saw unreviewed: no verdict, none withdrawn
        elif not entry.note.startswith(EVIDENCE_NOTE_PREFIX):
            verdicts.pop(entry.reviewer, None)  # keep the dict in order of latest verdict
            verdicts[entry.reviewer] = entry.to_status
    return verdicts


def verdicts_agree(claim: Claim) -> bool:
    """Two or more reviewers' latest verdicts, all the claim's current status."""
    return _agree(claim.status, reviewer_verdicts(claim))


def _agree(status: str, verdicts: dict[str, str]) -> bool:
    return len(verdicts) >= 2 and all(verdict == status for verdict in verdicts.values())


@dataclass(frozen=True, slots=True)
class Disagreement:
    claim_id: str
    status: str
    """The claim's current status."""
    verdicts: dict[str, str]
    """Reviewer -> their latest verdict, sorted by reviewer."""


@dataclass(slots=True)
class Agreement:
    """The figures `workbench stats --agreement` shows."""

    claims: int
    """Claims with verdicts from two or more reviewers."""
    reviewers: list[str]
    agreed: int
    kappa: float | None
    """Cohen's kappa, only when exactly two reviewers gave the verdicts."""
    alpha: float | None
    per_status: dict[str, dict[str, float | None]] = field(default_factory=dict)
    """status -> {"kappa": ..., "alpha": ...} for "this status or not"."""
    disagreements: list[Disagreement] = field(default_factory=list)

    def as_dict(self) -> dict[str, object]:
        return {
            "claims": self.claims,
            "reviewers": self.reviewers,
            "agreed": self.agreed,
            "kappa": _rounded(self.kappa),
            "alpha": _rounded(self.alpha),
            "per_status": {
                status: {name: _rounded(value) for name, value in figures.items()}
                for status, figures in self.per_status.items()
            },
            "disagreements": [
                {"claim": item.claim_id, "status": item.status, "verdicts": item.verdicts}
                for item in self.disagreements
            ],
        }


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


class Rated(Protocol):
    """What agreement needs of a claim: its id, its status and each reviewer's latest
    verdict as (reviewer, status) pairs.  A `workbench.storage.ClaimSummary` is one, so
    `workbench stats` and the disagreement queue pass summaries and build no model."""

    @property
    def id(self) -> str: ...

    @property
    def status(self) -> str: ...

    @property
    def verdicts(self) -> tuple[tuple[str, str], ...]: ...


@dataclass(frozen=True, slots=True)
class _Verdicts:
    id: str
    status: str
    verdicts: tuple[tuple[str, str], ...]


def compute_agreement(claims: Iterable[Claim], statuses: Sequence[str]) -> Agreement:
    """Agreement over the claims reviewed by several; `statuses` orders the per-status
    figures (the vocabulary of `workbench.toml`, without `unreviewed`)."""
    return agreement_of(
        (
            _Verdicts(claim.id, claim.status, tuple(reviewer_verdicts(claim).items()))
            for claim in claims
        ),
        statuses,
    )


def agreement_of(claims: Iterable[Rated], statuses: Sequence[str]) -> Agreement:
    """`compute_agreement` on what it needs only (see `Rated`)."""
    rated = sorted(
        ((claim, dict(claim.verdicts)) for claim in claims if len(claim.verdicts) >= 2),
        key=lambda item: item[0].id,
    )
    reviewers = sorted({name for _, verdicts in rated for name in verdicts})
    units = [list(verdicts.values()) for _, verdicts in rated]
    pairs: list[tuple[str, str]] = []
    if len(reviewers) == 2:
        first, second = reviewers
        pairs = [(verdicts[first], verdicts[second]) for _, verdicts in rated]
    used = {status for unit in units for status in unit}
    ordered = [s for s in statuses if s != INITIAL_STATUS]
    ordered += sorted(used - set(ordered))
    per_status: dict[str, dict[str, float | None]] = {}
    for status in ordered:
        figures: dict[str, float | None] = {}
        if len(reviewers) == 2:
            figures["kappa"] = cohens_kappa(
                [(str(first == status), str(second == status)) for first, second in pairs]
            )
        figures["alpha"] = krippendorff_alpha_nominal(
            [[str(label == status) for label in unit] for unit in units]
        )
        per_status[status] = figures
    disagreements = [
        Disagreement(claim.id, claim.status, dict(sorted(verdicts.items())))
        for claim, verdicts in rated
        if len(set(verdicts.values())) > 1
    ]
    return Agreement(
        claims=len(rated),
        reviewers=reviewers,
        agreed=sum(_agree(claim.status, verdicts) for claim, verdicts in rated),
        kappa=cohens_kappa(pairs) if len(reviewers) == 2 else None,
        alpha=krippendorff_alpha_nominal(units),
        per_status=per_status,
        disagreements=disagreements,
    )


def render_agreement_text(agreement: Agreement) -> str:
    """The figures for a terminal; reviewer names and ids shown as data, one per line."""
    if agreement.claims == 0:
        return "No claim has verdicts from two or more reviewers yet.\n"
    lines = [
        f"Claims reviewed by two or more: {agreement.claims} "
        f"(reviewers: {', '.join(agreement.reviewers)})",
        f"Verdicts agree on: {agreement.agreed}",
    ]
    if len(agreement.reviewers) == 2:
        lines.append(f"Cohen's kappa: {_shown(agreement.kappa)}")
    lines.append(f"Krippendorff's alpha (nominal): {_shown(agreement.alpha)}")
    lines.append("")
    lines.append("Per status (this status or not):")
    width = max(len(status) for status in agreement.per_status) if agreement.per_status else 0
    for status, figures in agreement.per_status.items():
        shown = "  ".join(f"{name} {_shown(value)}" for name, value in figures.items())
        lines.append(f"  {status:<{width}}  {shown}")
    lines.append("")
    if agreement.disagreements:
        lines.append(f"Disagreements ({len(agreement.disagreements)}):")
        for item in agreement.disagreements:
            verdicts = ", ".join(f"{name}: {status}" for name, status in item.verdicts.items())
            lines.append(f"  {item.claim_id}  {verdicts}")
    else:
        lines.append("No disagreements.")
    return "\n".join(_visible(line) for line in lines) + "\n"


def _shown(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.3f}"


def _visible(line: str) -> str:
    """Control characters in names (reviewer names are free text) shown, not obeyed."""
    return "".join(
        f"\\x{ord(char):02x}" if (ord(char) < 32 or 0x7F <= ord(char) < 0xA0) else char
        for char in line
    )
