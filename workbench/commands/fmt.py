"""`workbench fmt [PATHS] [--check]`: rewrite claims and sources in canonical form."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any


def register(subparsers: Any, common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser(
        "fmt",
        parents=[common],
        help="rewrite claim and source files in canonical form",
        description="Rewrite files in the one canonical form (idempotent). Files with "
        "problems are left alone and reported. Temporary files left by an interrupted "
        "write (WB005) in the folders given are removed once they are 30 seconds old.",
    )
    parser.add_argument("paths", nargs="*", type=Path, help="files or folders (default: all)")
    parser.add_argument(
        "--check", action="store_true", help="write nothing; exit 1 if any file would change"
    )
    parser.set_defaults(handler=run)


LEFTOVER = "temporary file left by an interrupted write"


def run(arguments: argparse.Namespace) -> int:
    from workbench.config import CLAIMS_DIR, SOURCES_DIR, find_root
    from workbench.files.listing import find_leftovers, remove_leftovers
    from workbench.formatting import format_paths
    from workbench.terminal import visible

    root = find_root(override=arguments.root)
    paths = arguments.paths or [root / CLAIMS_DIR, root / SOURCES_DIR]
    result = format_paths(root, paths, write=not arguments.check)
    for problem in result.problems:
        print(visible(problem.render(root)))

    def shown(path: Path) -> str:
        return str(path.relative_to(root) if path.is_relative_to(root) else path)

    verb = "would reformat" if arguments.check else "reformatted"
    for path in result.changed:
        print(visible(f"{verb} {shown(path)}"))
    folders = [path for path in paths if path.is_dir()]
    if arguments.check:
        leftovers = find_leftovers(folders)
        for path in leftovers:
            print(
                visible(f"would remove {shown(path)} (temporary file left by an interrupted write)")
            )
    else:
        leftovers, kept = remove_leftovers(folders)
        for path in leftovers:
            print(visible(f"removed {shown(path)} ({LEFTOVER})"))
        for path in kept:
            print(
                visible(f"kept {shown(path)}: under 30 seconds old, it may be a write in progress")
            )
    print(f"{len(result.changed)} file(s) {verb}, {result.unchanged} already canonical.")
    if result.problems or (arguments.check and (result.changed or leftovers)):
        return 1
    return 0
