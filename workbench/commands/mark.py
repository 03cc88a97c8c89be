"""`workbench mark ID STATUS [--note TEXT] [--reviewer NAME]`: record a verdict."""

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
        "--reviewer",
        default=None,
        metavar="NAME",
        help="who reviewed (default: $WORKBENCH_REVIEWER, else git's user.name)",
    )
    parser.set_defaults(handler=run)


def run(arguments: argparse.Namespace) -> int:
    from workbench.cli import UsageError, check_flag_text
    from workbench.project import load_project
    from workbench.review import ReviewError, StaleFileError, mark_status, reviewer_name
    from workbench.terminal import visible
    from workbench.validation import suggest

    check_flag_text("--note", arguments.note)
    check_flag_text("--reviewer", arguments.reviewer or "")
    project = load_project(arguments.root)
    statuses = list(project.settings.statuses)
    status, claim_id = arguments.status, arguments.id
    if status not in statuses:
        hint = suggest(status, statuses)
        message = f"unknown status `{status}`" + (f"; did you mean `{hint}`?" if hint else "")
        raise UsageError(f"{message} (workbench.toml allows: {', '.join(statuses)})")
    record = project.claims.get(claim_id)
    if record is None:
        broken = project.claims_dir / f"{claim_id}.toml"
        if broken.exists():
            raise UsageError(
                f"claims/{claim_id}.toml does not load: fix it first (run `workbench check`)"
            )
        hint = suggest(claim_id, list(project.claims))
        raise UsageError(
            f"no claim with id `{claim_id}`" + (f"; did you mean `{hint}`?" if hint else "")
        )
    try:
        change = mark_status(
            project,
            claim_id,
            status,
            reviewer=reviewer_name(arguments.reviewer),
            note=arguments.note,
            as_seen=False,
        )
    except ReviewError as error:
        raise UsageError(str(error)) from None
    except StaleFileError as error:
        print(visible(f"workbench mark: {error}"), file=sys.stderr)
        return 1
    print(visible(f"marked {claim_id}: {change.before.status} -> {status}"))
    return 0
