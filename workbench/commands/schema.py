"""`workbench schema`: write the project's JSON Schemas into its `schema/` folder."""

from __future__ import annotations

import argparse
from typing import Any


def register(subparsers: Any, common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser(
        "schema",
        parents=[common],
        help="write the project's JSON Schemas (with its vocabularies as enums) into schema/",
        description=(
            "Write claim, source, workbench.toml, lexicon and export schemas into the "
            "project's schema/ folder, with the statuses, stances and topics of "
            "workbench.toml as enums, so that editors complete and flag them "
            "(.taplo.toml points at them)."
        ),
    )
    parser.set_defaults(handler=run)


def run(arguments: argparse.Namespace) -> int:
    from workbench.schema import write_project_schemas

    try:
        written = write_project_schemas(arguments.root)
    except OSError as error:
        from workbench.cli import UsageError

        raise UsageError(f"cannot write the schemas: {error.strerror or error}") from error
    from workbench.terminal import visible

    for path in written:
        print(visible(f"wrote {path}"))
    return 0
