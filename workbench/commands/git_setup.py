"""`workbench git-setup`: register the claim merge driver with git, idempotently."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any


def register(subparsers: Any, common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser(
        "git-setup",
        parents=[common],
        help="make git merge claim files with `workbench merge-driver`",
        description="Write `claims/*.toml merge=workbench` into the project's .gitattributes "
        "(other lines are kept) and the driver into the repository's git config "
        "(merge.workbench.name and merge.workbench.driver). Running it again changes nothing. "
        "Commit .gitattributes; every clone runs `workbench git-setup` once, since git "
        "does not share its config.",
    )
    parser.set_defaults(handler=run)


def run(arguments: argparse.Namespace) -> int:
    from workbench.cli import UsageError
    from workbench.config import find_root
    from workbench.files.gitsetup import GitSetupError, set_up_git
    from workbench.terminal import visible

    root = find_root(override=arguments.root)
    try:
        changes = set_up_git(Path(root))
    except GitSetupError as error:
        raise UsageError(str(error)) from None
    for change in changes:
        print(visible(change))
    if not changes:
        print("git already merges claim files with `workbench merge-driver`: nothing to do.")
    return 0
