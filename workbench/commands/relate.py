"""`workbench relate ID KIND OTHER [--note TEXT] [--remove] [--reviewer NAME]`."""

from __future__ import annotations

import argparse
import sys
from typing import Any

KIND_CHOICES = ("contradicts", "supports", "same-fact", "updates")
"""`workbench.models.RelationKind`, spelled out so that `--help` imports nothing."""


def register(subparsers: Any, common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser(
        "relate",
        parents=[common],
        help="record (or with --remove, take back) a relation between two claims",
        description="Record that one claim bears on another, as Compare's keys do: "
        "contradicts, supports and same-fact are written in both files, updates only in the "
        "newer claim (ID), pointing at the older (OTHER). The relation keeps the reviewer and "
        "the time. With --remove, the relation is taken out of both files and the removal is "
        "kept as a history note in each (with --note as the reason). Both files are locked and "
        "read again before either is written.",
    )
    parser.add_argument("id", help="the claim id (for updates: the newer claim)")
    parser.add_argument("kind", choices=KIND_CHOICES, help="how ID bears on OTHER")
    parser.add_argument("other", help="the other claim's id")
    parser.add_argument("--note", default="", help="why: kept with the relation")
    parser.add_argument(
        "--remove", action="store_true", help="take the relation back instead of recording it"
    )
    parser.add_argument(
        "--reviewer",
        default=None,
        metavar="NAME",
        help="who decides (default: $WORKBENCH_REVIEWER, else git's user.name)",
    )
    parser.set_defaults(handler=run)


def run(arguments: argparse.Namespace) -> int:
    from workbench.cli import UsageError, check_flag_text, known_claim, known_reviewer
    from workbench.project import load_project
    from workbench.review import ReviewError, StaleFileError, relate, unrelate
    from workbench.terminal import visible

    check_flag_text("--note", arguments.note)
    reviewer = known_reviewer(arguments.reviewer)
    project = load_project(arguments.root)
    first = known_claim(project, arguments.id).id
    second = known_claim(project, arguments.other).id
    action = unrelate if arguments.remove else relate
    try:
        changes = action(
            project, first, second, arguments.kind, note=arguments.note, reviewer=reviewer
        )
    except ReviewError as error:
        raise UsageError(str(error)) from None
    except StaleFileError as error:
        print(visible(f"workbench relate: {error}"), file=sys.stderr)
        return 1
    files = ", ".join(change.claim_id for change in changes) or "nothing (already recorded)"
    verb = "removed" if arguments.remove else "recorded"
    print(visible(f"{verb} {first} {arguments.kind} {second}: wrote {files}"))
    return 0
