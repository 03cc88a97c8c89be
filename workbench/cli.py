"""The `workbench` command line.

Each subcommand lives in its own module under `workbench.commands` and exposes
`register(subparsers, common)`; this module only wires them together, so that
adding a command never touches another's code.  Commands import what they need
inside their handlers: `workbench check` must not pay for loading Textual.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence
from pathlib import Path

from workbench.config import ProjectNotFound

COMMAND_MODULES = (
    "workbench.commands.review",
    "workbench.commands.check",
    "workbench.commands.fmt",
    "workbench.commands.conflicts",
    "workbench.commands.export",
    "workbench.commands.mark",
    "workbench.commands.add",
    "workbench.commands.stats",
)
"""Modules that each register one subcommand, in the order `--help` lists them."""


class UsageError(Exception):
    """Bad arguments: the CLI prints one line and exits 2."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(2, f"{self.prog}: error: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--root",
        type=Path,
        default=None,
        metavar="DIR",
        help="the project folder (default: the nearest folder above with workbench.toml)",
    )
    parser = _Parser(
        prog="workbench",
        description="Track and fact-check claims stored as TOML files.",
        parents=[common],
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(subparsers, common)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    arguments = parser.parse_args(argv)
    if arguments.command is None:
        arguments = parser.parse_args(["review", *(argv if argv is not None else sys.argv[1:])])
    try:
        result: int = arguments.handler(arguments)
    except ProjectNotFound as error:
        print(f"workbench: {error}", file=sys.stderr)
        return 2
    except UsageError as error:
        print(f"workbench {arguments.command}: {error}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        sys.stderr.close()
        return 0
    except KeyboardInterrupt:
        return 130
    return result


def run() -> None:
    """The `workbench` console script: `main` for a process of its own."""
    sys.exit(main())


if __name__ == "__main__":
    run()
