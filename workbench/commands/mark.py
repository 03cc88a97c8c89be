"""`workbench mark ID STATUS [--note TEXT] [--evidence-citation ... --evidence-url ...
--shows ... --stance ...] [--reviewer NAME]`: record a verdict with its reasons.

The checks are the app's verdict form's (`workbench.verdict_entry`): a status
that asks for a note or evidence (workbench.toml) is refused without them, a
stance that does not fit the status is refused, and so is the status the claim
already has.  Nothing is written when anything is refused.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any


def register(subparsers: Any, common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser(
        "mark",
        parents=[common],
        help="set a claim's status, recording it in the claim's review history",
        description="Set a claim's status the way the review app does: a history entry "
        "(time, reviewer, from, to, note) is appended. The claim's file is locked and read "
        "again, so the change applies to the file as it is now (`from` is the status found "
        "there) and a concurrent writer's entries are kept; only the status line and the new "
        "entry are written, atomically, so comments stay.",
    )
    parser.add_argument("id", help="the claim id (its file name without .toml)")
    parser.add_argument("status", help="the new status (one of workbench.toml's statuses)")
    parser.add_argument("--note", default="", help="why: recorded with the history entry")
    parser.add_argument(
        "--evidence-citation",
        default="",
        metavar="TEXT",
        help="evidence backing the verdict: who said it, where, when",
    )
    parser.add_argument(
        "--evidence-url", default="", metavar="URL", help="where to read it (http or https)"
    )
    parser.add_argument("--shows", default="", metavar="TEXT", help="what the evidence shows")
    parser.add_argument(
        "--stance",
        default="",
        choices=("supports", "refutes", "not-enough-info"),
        help="what the evidence says about the claim (default: the first the status accepts)",
    )
    parser.add_argument(
        "--reviewer",
        default=None,
        metavar="NAME",
        help="who reviewed (default: $WORKBENCH_REVIEWER, else git's user.name)",
    )
    parser.set_defaults(handler=run)


def run(arguments: argparse.Namespace) -> int:
    from workbench.cli import UsageError, check_flag_text, known_claim, known_reviewer
    from workbench.project import load_project
    from workbench.review import ReviewError, StaleFileError
    from workbench.terminal import visible
    from workbench.validation import suggest
    from workbench.verdict_entry import (
        VerdictDraft,
        check_verdict_draft,
        fitting_stance,
        record_verdict,
    )

    for flag, value in (
        ("--note", arguments.note),
        ("--evidence-citation", arguments.evidence_citation),
        ("--evidence-url", arguments.evidence_url),
        ("--shows", arguments.shows),
    ):
        check_flag_text(flag, value)
    reviewer = known_reviewer(arguments.reviewer)
    project = load_project(arguments.root)
    statuses = list(project.settings.statuses)
    status, claim_id = arguments.status, arguments.id
    if status not in statuses:
        hint = suggest(status, statuses)
        message = f"unknown status `{status}`" + (f"; did you mean `{hint}`?" if hint else "")
        raise UsageError(f"{message} (workbench.toml allows: {', '.join(statuses)})")
    record = known_claim(project, claim_id)
    draft = VerdictDraft(
        note=arguments.note,
        citation=arguments.evidence_citation,
        url=arguments.evidence_url,
        shows=arguments.shows,
        stance=arguments.stance or fitting_stance(project.settings, status),
    )
    verdict, problems = check_verdict_draft(
        project.settings, record.claim, status, draft, reviewer=reviewer
    )
    if verdict is None:
        hint = ""
        if any("needs evidence" in problem for problem in problems):
            hint = " (give --evidence-citation, --shows and --stance, or add evidence first)"
        elif any("note" in problem for problem in problems):
            hint = " (give --note)"
        raise UsageError("; ".join(problems) + hint)
    try:
        changes = record_verdict(
            project, claim_id, status, verdict, reviewer=reviewer, as_seen=False
        )
    except ReviewError as error:
        raise UsageError(str(error)) from None
    except StaleFileError as error:
        print(visible(f"workbench mark: {error}"), file=sys.stderr)
        return 1
    before = changes[-1].before.status
    added = " with new evidence" if verdict.evidence is not None else ""
    print(visible(f"marked {claim_id}: {before} -> {status}{added}"))
    return 0
