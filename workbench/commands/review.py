"""`workbench review` (and `workbench` alone): open the review app.

Textual is imported inside the handler only, so that `workbench check` and the
other headless commands never load it.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections import Counter
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from workbench.project import Project


def register(subparsers: Any, common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser(
        "review", parents=[common], help="open the review app (the default command)"
    )
    parser.add_argument(
        "--reviewer",
        default=None,
        metavar="NAME",
        help="who is reviewing (default: $WORKBENCH_REVIEWER, else `git config user.name`)",
    )
    parser.add_argument(
        "--blind",
        action="store_true",
        help="a second opinion: hide other reviewers' verdicts and notes on a claim until "
        "you have given your own",
    )
    parser.set_defaults(handler=run)


def run(arguments: argparse.Namespace) -> int:
    from workbench.project import load_project, load_project_for_review
    from workbench.review import find_reviewer

    reviewer = find_reviewer(getattr(arguments, "reviewer", None))
    in_browser = "TEXTUAL_DRIVER" in os.environ  # `workbench serve` runs us with its driver
    if not in_browser and (not sys.stdin.isatty() or not sys.stdout.isatty()):
        print_summary(load_project(arguments.root))
        print("(the review app needs a terminal: this is the summary instead)", file=sys.stderr)
        return 0

    # The list's first page as the load index saw it: the app loads the rest and
    # checks the files after its first paint.  Not in blind review, whose list hides
    # statuses that the index's counts would show.
    blind = bool(getattr(arguments, "blind", False))
    project, pending, rest = load_project_for_review(arguments.root, first_page=not blind)

    from workbench.app.app import ReviewApp

    # no name found: the app asks for one (never the OS user `root`)
    ReviewApp(project, reviewer, blind=blind, pending_check=pending, pending_rest=rest).run()
    return 0


def print_summary(project: Project) -> None:
    """Claims by status, for a pipe or a script where the app cannot run."""
    from workbench.terminal import visible

    statuses = Counter(summary.status for summary in project.iter_summaries())
    name = visible(project.settings.name)
    print(f"{name}: {len(project.claims)} claims from {len(project.sources)} sources")
    for status in project.settings.statuses:
        print(f"  {visible(status):<14} {statuses.get(status, 0)}")
    if project.problems:
        print(f"{len(project.problems)} problem(s) loading files: run `workbench check`")
