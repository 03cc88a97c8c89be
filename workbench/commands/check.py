"""`workbench check [PATHS]`: report every problem, ruff style; exit 1 on any error."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from workbench.problems import Severity, problems_to_json
from workbench.terminal import json_visible, visible


def register(subparsers: Any, common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser(
        "check",
        parents=[common],
        help="check claims and sources; report problems as path:line:col: CODE message",
        description="Check every claim and source file. Nothing is written.",
    )
    parser.add_argument("paths", nargs="*", type=Path, help="limit the report to these files")
    parser.add_argument(
        "--format",
        choices=("text", "json", "github"),
        default="text",
        help="text (default), json, or github workflow annotations",
    )
    parser.set_defaults(handler=run)


def git_root(folder: Path) -> Path | None:
    """The top of the git work tree holding `folder`, if any.

    GitHub matches an annotation's file against the repository's paths, so a
    project kept in `data/` must annotate `data/claims/x.toml`, not
    `claims/x.toml`.
    """
    import subprocess

    try:
        result = subprocess.run(
            ["git", "rev-parse", "--show-toplevel"],
            cwd=folder,
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    top = result.stdout.strip()
    return Path(top) if result.returncode == 0 and top else None


def run(arguments: argparse.Namespace) -> int:
    from workbench.checks import check_project
    from workbench.project import load_project
    from workbench.terminal import Progress

    progress = Progress()  # on standard error if a terminal, emptied before the report
    try:
        progress.phase("reading the claims")
        project = load_project(arguments.root, progress=progress)
        progress.phase(f"checking {len(project.claims):,} claims")
        problems = check_project(project, arguments.paths or None)
    finally:
        progress.stop()
    root = project.root
    if arguments.format == "json":
        print(json_visible(problems_to_json(problems, root)))
    elif arguments.format == "github":
        annotation_root = git_root(root) or root
        for problem in problems:
            print(visible(problem.render_github(annotation_root)))
    else:
        for problem in problems:
            print(visible(problem.render(root)))
    errors = sum(problem.severity is Severity.ERROR for problem in problems)
    warnings = len(problems) - errors
    if arguments.format == "text":
        checked = f"{len(project.claims)} claims and {len(project.sources)} sources"
        if problems:
            print(
                f"Found {errors} error(s) and {warnings} warning(s) in {checked}.", file=sys.stderr
            )
        else:
            print(f"All clear: {checked} checked.", file=sys.stderr)
    return 1 if errors else 0
