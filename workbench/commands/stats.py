"""`workbench stats [filters] [--format text|json]`: counts and review progress."""

from __future__ import annotations

import argparse
import json
from typing import Any

from workbench.commands.export import SELECTION_HELP, add_selection_arguments, selection_from


def register(subparsers: Any, common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser(
        "stats",
        parents=[common],
        help="count claims by status, topic, stance and source; show review progress",
        description="Count the claims (default: all) by status, topic, stance and source, "
        "and show how many are reviewed and verified; with --agreement, how far reviewers "
        "agree. Nothing is written.",
        epilog=SELECTION_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--format", choices=("text", "json"), default="text", help="text (default) or json"
    )
    parser.add_argument(
        "--agreement",
        action="store_true",
        help="show how far reviewers agree (Cohen's kappa for two reviewers, Krippendorff's "
        "alpha for any number, per status and overall) and list the disagreements",
    )
    add_selection_arguments(parser)
    parser.set_defaults(handler=run)


def run(arguments: argparse.Namespace) -> int:
    from workbench.cli import UsageError
    from workbench.export import ExportError, Selection, select_claims
    from workbench.project import load_project
    from workbench.stats import compute_stats, render_json, render_text
    from workbench.terminal import json_visible, visible

    project = load_project(arguments.root)
    selection = selection_from(arguments)
    filtered = None
    if selection != Selection() or arguments.agreement:
        # Every claim with no filter: counted from summaries, no model built.
        try:
            filtered = select_claims(project, selection)
        except ExportError as error:
            raise UsageError(str(error)) from None
    if arguments.agreement:
        from workbench.agreement import compute_agreement, render_agreement_text

        assert filtered is not None
        agreement = compute_agreement(filtered, list(project.settings.statuses))
        if arguments.format == "json":
            print(json_visible(json.dumps(agreement.as_dict(), ensure_ascii=False, indent=2)))
        else:
            text = render_agreement_text(agreement)
            print("".join(visible(line) + "\n" for line in text.splitlines()), end="")
        return 0
    stats = compute_stats(project, filtered)
    if arguments.format == "json":
        text = json_visible(render_json(stats))
    else:
        text = "".join(visible(line) + "\n" for line in render_text(stats, project).splitlines())
    print(text, end="")
    return 0
