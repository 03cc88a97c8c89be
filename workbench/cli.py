"""The `workbench` command line.

Each subcommand lives in its own module under `workbench.commands` and exposes
`register(subparsers, common)`; this module only wires them together, so that
adding a command never touches another's code.  Commands import what they need
inside their handlers: `workbench check` must not pay for loading Textual.
"""

from __future__ import annotations

import argparse
import importlib
import re
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from workbench import __version__
from workbench.config import ProjectNotFound
from workbench.terminal import visible

if TYPE_CHECKING:
    from workbench.project import Project
    from workbench.storage import ClaimRecord

COMMAND_MODULES = (
    "workbench.commands.review",
    "workbench.commands.check",
    "workbench.commands.fmt",
    "workbench.commands.conflicts",
    "workbench.commands.export",
    "workbench.commands.mark",
    "workbench.commands.evidence",
    "workbench.commands.note",
    "workbench.commands.relate",
    "workbench.commands.add",
    "workbench.commands.source",
    "workbench.commands.stats",
    "workbench.commands.schema",
    "workbench.commands.serve",
    "workbench.commands.git_setup",
    "workbench.commands.merge_driver",
)
"""Modules that each register one subcommand, in the order `--help` lists them."""


class UsageError(Exception):
    """Bad arguments: the CLI prints one line and exits 2."""


def check_flag_text(flag: str, value: str) -> None:
    """Refuse text for a claim file that holds a control character (an escape code
    pasted from a terminal): it could not be stored, and would reach the next
    reviewer's terminal raw."""
    from workbench.models import TEXT_PATTERN, explain_pattern_error

    if value and not re.fullmatch(TEXT_PATTERN, value):
        raise UsageError(f"{flag} {explain_pattern_error(value, TEXT_PATTERN)}")


def known_claim(project: Project, claim_id: str) -> ClaimRecord:
    """The claim a command names, or a `UsageError` that says why there is none: a
    file that does not load (run `check`), or no such id (with the closest one)."""
    from workbench.validation import suggest

    record = project.claims.get(claim_id)
    if record is not None:
        return record
    if (project.claims_dir / f"{claim_id}.toml").exists():
        raise UsageError(
            f"claims/{claim_id}.toml does not load: fix it first (run `workbench check`)"
        )
    hint = suggest(claim_id, list(project.claims))
    raise UsageError(
        f"no claim with id `{claim_id}`" + (f"; did you mean `{hint}`?" if hint else "")
    )


def known_reviewer(explicit: str | None) -> str:
    """`--reviewer`, `WORKBENCH_REVIEWER` or git's user.name; a `UsageError` when
    none names anyone (never the OS user)."""
    from workbench.review import find_reviewer

    check_flag_text("--reviewer", explicit or "")
    reviewer = find_reviewer(explicit)
    if reviewer is None:
        raise UsageError(
            "who is reviewing? give --reviewer NAME (or set WORKBENCH_REVIEWER or git's user.name)"
        )
    return reviewer


class _Parser(argparse.ArgumentParser):
    command_names: frozenset[str] = frozenset()
    """The subcommands, so that `workbench --reviewer NAME` can mean `workbench review`."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(2, f"{self.prog}: error: {message}\n")


def build_parser() -> _Parser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--root",
        type=Path,
        # Suppressed, so that a subcommand's parser does not overwrite a `--root`
        # given before the subcommand (`workbench --root DIR check`).
        default=argparse.SUPPRESS,
        metavar="DIR",
        help="the project folder (default: the nearest folder above with workbench.toml)",
    )
    parser = _Parser(
        prog="workbench",
        description="Track and fact-check claims stored as TOML files.",
        parents=[common],
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(subparsers, common)
    parser.command_names = frozenset(subparsers.choices)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    arguments, unknown = parser.parse_known_args(_with_default_command(parser, argv))
    if unknown:
        if any(word == "--reviewer" or word.startswith("--reviewer=") for word in unknown):
            parser.exit(
                2,
                f"workbench {arguments.command}: --reviewer is not an option of "
                f"`{arguments.command}` (it records who marks, adds or relates); leave it out\n",
            )
        parser.error(f"unrecognized arguments: {' '.join(unknown)}")
    if not hasattr(arguments, "root"):
        arguments.root = None
    try:
        result: int = arguments.handler(arguments)
    except ProjectNotFound as error:
        print(visible(f"workbench: {error}"), file=sys.stderr)
        return 2
    except UsageError as error:
        print(visible(f"workbench {arguments.command}: {error}"), file=sys.stderr)
        return 2
    except BrokenPipeError:
        sys.stderr.close()
        return 0
    except OSError as error:
        # a write that failed (disk full, read-only, a lock held too long): one line
        from workbench.files.locks import LockTimeoutError
        from workbench.tomlio import WriteError

        if not isinstance(error, WriteError | LockTimeoutError):
            raise
        print(f"workbench {arguments.command}: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    return result


def _with_default_command(parser: _Parser, argv: Sequence[str] | None) -> list[str]:
    """`workbench [--root DIR] [--reviewer NAME]` means `workbench review ...`.

    The review app is the default command, so its options work without naming
    it (`workbench --reviewer NAME --help` is the review app's help).  Options
    given before a named command are moved to the end of its words, so that
    `workbench --reviewer NAME mark ...` and `workbench --reviewer NAME evidence
    add ...` reach the command as `--root` does; a command without such an option
    says so (`main`).  `--version` and a bare `--help` are left as they are.
    """
    words = list(argv if argv is not None else sys.argv[1:])
    position = 0
    while position < len(words):
        word = words[position]
        if word == "--version" or (word in ("-h", "--help") and position == 0):
            return words
        if word in parser.command_names:
            return [*words[position:], *words[:position]]
        if not word.startswith("-"):
            break
        takes_value = word in _OPTIONS_WITH_VALUES
        position += 2 if takes_value else 1
    return ["review", *words]


_OPTIONS_WITH_VALUES = frozenset({"--root", "--reviewer"})
"""Options of the default command whose next word is their value, not a command."""


def run() -> None:
    """The `workbench` console script: `main` for a process of its own."""
    sys.exit(main())


if __name__ == "__main__":
    run()
