"""`workbench evidence add ID --citation ... --shows ... --stance ... [--url ...]`."""

from __future__ import annotations

import argparse
import sys
from typing import Any

STANCE_CHOICES = ("supports", "refutes", "not-enough-info")
"""`workbench.evidence.EVIDENCE_STANCES`, spelled out so that `--help` imports nothing."""


def register(subparsers: Any, common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser(
        "evidence",
        parents=[common],
        help="add evidence to a claim",
        description="Work with a claim's evidence.",
    )
    actions = parser.add_subparsers(dest="evidence_action", metavar="ACTION", required=True)
    add = actions.add_parser(
        "add",
        parents=[common],
        help="add a piece of evidence to a claim",
        description="Append an evidence entry to a claim and a history note recording who "
        "added it; the file is rewritten atomically, never over a change made since it was "
        "read. The evidence counts toward what the claim's verdict requires "
        "(requires_evidence in workbench.toml).",
    )
    add.add_argument("id", help="the claim id (its file name without .toml)")
    add.add_argument("--citation", required=True, help="what the evidence is: author, title, date")
    add.add_argument("--url", default="", help="where to read it (an http or https address)")
    add.add_argument("--shows", required=True, help="what it shows about the claim")
    add.add_argument(
        "--stance",
        required=True,
        choices=STANCE_CHOICES,
        help="what it says about the claim: supports, refutes or not-enough-info",
    )
    add.add_argument(
        "--reviewer",
        default=None,
        metavar="NAME",
        help="who added it (default: $WORKBENCH_REVIEWER, else git's user.name)",
    )
    add.set_defaults(handler=run_add)


def run_add(arguments: argparse.Namespace) -> int:
    from pydantic import ValidationError

    from workbench.cli import UsageError, known_claim
    from workbench.evidence import add_evidence
    from workbench.models import Evidence
    from workbench.project import load_project
    from workbench.review import ReviewError, StaleFileError, reviewer_name
    from workbench.terminal import visible
    from workbench.urls import http_url_problem
    from workbench.verdicts import claim_verdict_problems, evidence_fits

    if arguments.url and (problem := http_url_problem(arguments.url)) is not None:
        raise UsageError(f"--url: {problem}")
    try:
        evidence = Evidence(
            citation=arguments.citation,
            url=arguments.url,
            shows=arguments.shows,
            stance=arguments.stance,
        )
    except ValidationError as error:
        detail = error.errors()[0]
        field = str(detail["loc"][0]) if detail["loc"] else "evidence"
        raise UsageError(f"--{field}: must be text without control characters, not blank") from None
    project = load_project(arguments.root)
    claim_id = known_claim(project, arguments.id).id
    try:
        change = add_evidence(
            project, claim_id, evidence, reviewer=reviewer_name(arguments.reviewer)
        )
    except ReviewError as error:
        raise UsageError(str(error)) from None
    except StaleFileError as error:
        print(visible(f"workbench evidence: {error}"), file=sys.stderr)
        return 1
    print(
        visible(
            f"added {evidence.stance} evidence to {claim_id} ({len(change.after.evidence)} in all)"
        )
    )
    status = change.after.status
    if status != "unreviewed" and not evidence_fits(project.settings, status, evidence.stance):
        print(
            visible(
                f"note: this evidence ({evidence.stance}) does not back the `{status}` verdict: "
                "the claim may need another look"
            )
        )
    for missing in claim_verdict_problems(project.settings, change.after):
        print(visible(f"note: {missing}"))
    return 0
