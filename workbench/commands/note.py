"""`workbench note ID TEXT [--reviewer NAME]`: a history note that leaves the status as it is."""

from __future__ import annotations

import argparse
import sys
from typing import Any


def register(subparsers: Any, common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser(
        "note",
        parents=[common],
        help="add a note to a claim's review history, leaving its status as it is",
        description="Append a history entry with a note and the current status on both "
        "sides, as the app's `n` does: the reason a standing verdict holds, a correction made "
        "by hand to the statement or quantity, a question for the next reviewer. The file is "
        "locked and read again; only the new entry is written, so comments stay.",
    )
    parser.add_argument("id", help="the claim id (its file name without .toml)")
    parser.add_argument("text", help="the note")
    parser.add_argument(
        "--reviewer",
        default=None,
        metavar="NAME",
        help="who writes it (default: $WORKBENCH_REVIEWER, else git's user.name)",
    )
    parser.set_defaults(handler=run)


def run(arguments: argparse.Namespace) -> int:
    from workbench.cli import UsageError, check_flag_text, known_claim, known_reviewer
    from workbench.project import load_project
    from workbench.review import ReviewError, StaleFileError, add_note
    from workbench.terminal import visible

    check_flag_text("the note", arguments.text)
    reviewer = known_reviewer(arguments.reviewer)
    project = load_project(arguments.root)
    record = known_claim(project, arguments.id)
    try:
        change = add_note(project, record.id, arguments.text, reviewer=reviewer, as_seen=False)
    except ReviewError as error:
        raise UsageError(str(error)) from None
    except StaleFileError as error:
        print(visible(f"workbench note: {error}"), file=sys.stderr)
        return 1
    print(visible(f"noted on {record.id} ({len(change.after.history)} history entries)"))
    return 0
