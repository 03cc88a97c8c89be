"""`workbench merge-driver %O %A %B %P`: git's merge driver for claim files.

git runs it (once `workbench git-setup` has registered it) whenever both
branches changed a claim file: it merges the reviews instead of the lines.
The logic is `workbench.files.merge`; this module only reads the arguments
and reports.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any


def register(subparsers: Any, common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser(
        "merge-driver",
        parents=[common],
        help="merge two versions of a claim file (run by git; see `workbench git-setup`)",
        description="Merge a claim file the way git's merge drivers do: BASE is the common "
        "ancestor, OURS is overwritten with the result, THEIRS is the other branch's version "
        "and PATH the file's path in the repository. Histories, evidence, relations and "
        "dismissals are merged as sets; when both sides changed the status, the later verdict "
        "stands. Anything else both sides changed falls back to git's conflict markers. "
        "Exit 0 when merged, 1 on a conflict.",
    )
    parser.add_argument("base", type=Path, help="the common ancestor's version (git's %%O)")
    parser.add_argument("ours", type=Path, help="our version, replaced by the merge (git's %%A)")
    parser.add_argument("theirs", type=Path, help="their version (git's %%B)")
    parser.add_argument("path", help="the file's path in the repository (git's %%P)")
    parser.set_defaults(handler=run)


def run(arguments: argparse.Namespace) -> int:
    from workbench.files.merge import run_driver
    from workbench.terminal import visible

    outcome = run_driver(arguments.base, arguments.ours, arguments.theirs, arguments.path)
    for message in outcome.messages:
        print(visible(f"workbench merge-driver: {message}"), file=sys.stderr)
    return outcome.exit_code
