"""`workbench stats [filters] [--format text|json]`: counts and review progress."""

from __future__ import annotations

import argparse
from typing import Any

from workbench.commands.export import SELECTION_HELP, add_selection_arguments, selection_from


def register(subparsers: Any, common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser(
        "stats",
        parents=[common],
        help="count claims by status, topic, stance and source; show review progress",
        description="Count the claims (default: all) by status, topic, stance and source, "
        "and show how many are reviewed and verified. Nothing is written.",
        epilog=SELECTION_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--format", choices=("text", "json"), default="text", help="text (default) or json"
    )
    add_selection_arguments(parser)
    parser.set_defaults(handler=run)


def run(arguments: argparse.Namespace) -> int:
    from workbench.cli import UsageError
    from workbench.export import ExportError, Selection, select_claims
    from workbench.project import load_project
    from workbench.stats import compute_stats, render_json, render_text

    project = load_project(arguments.root)
    selection = selection_from(arguments)
    filtered = None
    if selection != Selection():  # every claim: counted from summaries, no model built
        try:
            filtered = select_claims(project, selection)
        except ExportError as error:
            raise UsageError(str(error)) from None
    stats = compute_stats(project, filtered)
    text = render_json(stats) if arguments.format == "json" else render_text(stats, project)
    print(text, end="")
    return 0
