"""`workbench conflicts`: candidate contradictions, duplicates and updates, best first."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

KIND_CHOICES = ("numeric", "stance", "date", "duplicate")
"""The kinds `--kind` accepts (the same as `workbench.matching.KINDS`, kept here so that
building the parser does not import the engine)."""


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, not {value}")
    return value


def register(subparsers: Any, common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser(
        "conflicts",
        parents=[common],
        help="list pairs of claims that may contradict, duplicate or update each other",
        description="Rank candidate relations between claims: numeric and date conflicts, "
        "opposing stances, duplicates and updates. Pairs already related or dismissed in "
        "either claim's file are left out. Nothing is written.",
    )
    parser.add_argument(
        "--kind",
        action="append",
        choices=KIND_CHOICES,
        default=None,
        help="only this kind of candidate (repeat for several; default: all)",
    )
    parser.add_argument("--topic", default=None, metavar="T", help="only pairs touching topic T")
    parser.add_argument(
        "--format", choices=("text", "json"), default="text", help="text (default) or json"
    )
    parser.add_argument(
        "--limit", type=_positive, default=None, metavar="N", help="at most N candidates"
    )
    parser.set_defaults(handler=run)


def run(arguments: argparse.Namespace) -> int:
    from workbench.matching import find_candidates
    from workbench.project import load_project
    from workbench.terminal import json_visible, visible

    project = load_project(arguments.root)
    candidates = find_candidates(
        project, kinds=arguments.kind, topic=arguments.topic, limit=arguments.limit
    )
    if arguments.format == "json":
        rows = [
            {
                "first": candidate.first,
                "second": candidate.second,
                "kind": candidate.kind,
                "score": candidate.score,
                "suggested_relation": candidate.suggested_relation,
                "reason": candidate.reason,
            }
            for candidate in candidates
        ]
        print(json_visible(json.dumps(rows, ensure_ascii=False, indent=2)))
        return 0
    for candidate in candidates:
        print(
            visible(
                f"{candidate.score:.3f}  {candidate.kind:<9}  {candidate.first}  "
                f"{candidate.suggested_relation}  {candidate.second}"
            )
        )
        print(visible(f"       {candidate.reason}"))
    noun = "candidate" if len(candidates) == 1 else "candidates"
    print(f"{len(candidates)} {noun} among {len(project.claims)} claims.", file=sys.stderr)
    return 0
