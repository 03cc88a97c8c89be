"""Counts for `workbench stats`: by status, topic, stance and source, and review progress.

Counts follow the order of `workbench.toml` (statuses, topics, stances) or of
source ids, and list every value the vocabulary allows, with zeros, so two
runs are easy to compare; a value outside the vocabulary (a `workbench check`
error) is counted after them rather than dropped.  "Reviewed" means any status
but `unreviewed`; "verified" means the statuses `workbench.toml` marks
`verified = true`.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from workbench.agreement import Agreement, agreement_of
from workbench.models import Claim
from workbench.project import Project
from workbench.storage import ClaimSummary

INITIAL_STATUS = "unreviewed"


@dataclass(slots=True)
class Stats:
    total: int
    reviewed: int
    verified: int
    with_evidence: int
    due_for_recheck: int
    by_status: dict[str, int] = field(default_factory=dict)
    by_topic: dict[str, int] = field(default_factory=dict)
    by_stance: dict[str, int] = field(default_factory=dict)
    by_source: dict[str, int] = field(default_factory=dict)
    problems: int = 0
    by_reviewer: dict[str, int] = field(default_factory=dict)
    """Reviewer -> claims on which they have a verdict, most first."""
    agreement: Agreement | None = None
    """How far reviewers agree, once a claim has verdicts from two or more."""

    @property
    def progress(self) -> float:
        """The share of claims reviewed, from 0 to 1."""
        return self.reviewed / self.total if self.total else 0.0

    def as_dict(self) -> dict[str, object]:
        return {
            "total": self.total,
            "reviewed": self.reviewed,
            "unreviewed": self.total - self.reviewed,
            "progress": round(self.progress, 4),
            "verified": self.verified,
            "with_evidence": self.with_evidence,
            "due_for_recheck": self.due_for_recheck,
            "problems": self.problems,
            "by_status": self.by_status,
            "by_topic": self.by_topic,
            "by_stance": self.by_stance,
            "by_source": self.by_source,
            "by_reviewer": self.by_reviewer,
            "agreement": None if self.agreement is None else self.agreement.as_dict(),
        }


def _ordered(counts: Counter[str], vocabulary: Iterable[str]) -> dict[str, int]:
    ordered = {name: counts.get(name, 0) for name in vocabulary}
    for name in sorted(counts):
        if name not in ordered:
            ordered[name] = counts[name]
    return ordered


def compute_stats(
    project: Project, claims: Iterable[Claim] | None = None, *, today: dt.date | None = None
) -> Stats:
    """Counts over `claims` (default: every claim of the project, from the summaries,
    so that a warm start builds no model)."""
    chosen = list(
        project.iter_summaries() if claims is None else (ClaimSummary.of(claim) for claim in claims)
    )
    settings = project.settings
    verified_statuses = settings.verified_statuses
    today = today or dt.datetime.now(dt.UTC).date()
    today_text = today.isoformat()  # ISO dates compare as their text does
    statuses: Counter[str] = Counter()
    topics: Counter[str] = Counter()
    stances: Counter[str] = Counter()
    sources: Counter[str] = Counter()
    reviewed = verified = with_evidence = due = 0
    reviewers: Counter[str] = Counter()
    for claim in chosen:
        if claim.verdicts:
            reviewers.update(reviewer for reviewer, _ in claim.verdicts)
        statuses[claim.status] += 1
        topics[claim.topic] += 1
        stances[claim.stance] += 1
        sources[claim.source_id] += 1
        reviewed += claim.status != INITIAL_STATUS
        verified += claim.status in verified_statuses
        with_evidence += claim.evidence > 0
        due += bool(claim.recheck) and claim.recheck <= today_text
    source_names = sorted(project.sources) if claims is None else []
    agreement = agreement_of(chosen, list(settings.statuses))
    return Stats(
        total=len(chosen),
        reviewed=reviewed,
        verified=verified,
        with_evidence=with_evidence,
        due_for_recheck=due,
        by_status=_ordered(statuses, settings.statuses),
        by_topic=_ordered(topics, settings.topics),
        by_stance=_ordered(stances, settings.stances),
        by_source=_ordered(sources, source_names),
        problems=len(project.problems),
        by_reviewer=dict(sorted(reviewers.items(), key=lambda item: (-item[1], item[0]))),
        agreement=agreement if agreement.claims else None,
    )


def _bar(share: float, width: int = 20) -> str:
    filled = round(share * width)
    return "[" + "#" * filled + "." * (width - filled) + "]"


def _percent(part: int, whole: int) -> str:
    return f"{100 * part / whole:5.1f}%" if whole else "    -"


def _figure(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.2f}"


def render_text(stats: Stats, project: Project) -> str:
    """The report `workbench stats` prints."""
    total = stats.total
    lines = [
        f"{project.settings.name}: {total} claim(s) from {len(stats.by_source)} source(s)",
        "",
        f"review progress  {_bar(stats.progress)} {stats.reviewed}/{total} reviewed"
        f" ({_percent(stats.reviewed, total).strip()})",
        f"verified         {stats.verified}",
        f"with evidence    {stats.with_evidence}",
    ]
    if stats.due_for_recheck:
        lines.append(f"due for recheck  {stats.due_for_recheck}")
    if stats.by_reviewer:
        shown = ", ".join(f"{name} {count}" for name, count in stats.by_reviewer.items())
        lines.append(f"by reviewer      {shown}")
    if (agreement := stats.agreement) is not None:
        figures = f"Krippendorff's alpha {_figure(agreement.alpha)}"
        if agreement.kappa is not None:
            figures = f"Cohen's kappa {_figure(agreement.kappa)}, {figures}"
        lines.append(
            f"second opinion   {agreement.claims} claim(s) by two or more reviewers, "
            f"{agreement.agreed} agree; {figures}; "
            f"{len(agreement.disagreements)} disagreement(s): `workbench stats --agreement`"
        )
    outlets = {name: record.source.outlet for name, record in project.sources.items()}
    none: dict[str, str] = {}
    sections: tuple[tuple[str, dict[str, int], dict[str, str]], ...] = (
        ("status", stats.by_status, none),
        ("topic", stats.by_topic, none),
        ("stance", stats.by_stance, none),
        ("source", stats.by_source, outlets),
    )
    for title, counts, notes in sections:
        lines.append("")
        lines.append(f"by {title}")
        width = max((len(name) for name in counts), default=0)
        for name, count in counts.items():
            note = f"  {notes[name]}" if name in notes else ""
            lines.append(f"  {name:<{width}}  {count:>6}  {_percent(count, total)}{note}")
    if stats.problems:
        lines.append("")
        lines.append(
            f"{stats.problems} problem(s) loading files (not counted): run `workbench check`"
        )
    return "\n".join(lines) + "\n"


def render_json(stats: Stats) -> str:
    return json.dumps(stats.as_dict(), ensure_ascii=False, indent=2) + "\n"


__all__ = ["Stats", "compute_stats", "render_json", "render_text"]
