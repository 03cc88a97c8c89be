"""`workbench export --format F [-o FILE] [filters]`: write the selected claims out."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from workbench.export import Selection

FORMAT_CHOICES = ("json", "jsonl", "csv", "claimreview", "sqlite")
"""`workbench.export.FORMATS`, spelled out so that `--help` does not import the exporters."""

SELECTION_HELP = """\
selecting claims:
  Several values of one filter are alternatives (--status false --status misleading:
  either); different filters must all hold (--topic cost --stance opposes: both).
  --verified adds the statuses workbench.toml marks `verified = true`.
  --since DATE keeps the claims whose current verdict was reached on or after DATE
  (YYYY-MM-DD, UTC): the date of the review history entry that set the current
  status, so unreviewed claims are left out. Use it to publish the verdicts that
  are new since the last publication.
  --agreed keeps the claims that two or more reviewers gave the same verdict (each
  reviewer's latest), which is the claim's current status.
  --recheck-due keeps the claims whose recheck date is today (UTC) or earlier;
  --as-of DATE sets the day instead of today.
"""

EXPORT_HELP = """\
formats:
  json         one document: schema_version, project settings, sources, claims with
               every field (JSON Schema: schema/export-v1.json)
  jsonl        the same, one record a line: header, then sources, then claims
  csv          one row per claim, flat columns; UTF-8 with a BOM so that Excel reads
               Korean; cells that a spreadsheet would run as formulas start with '
  claimreview  schema.org ClaimReview JSON-LD, one per claim with a verdict; the
               publisher, review URL pattern and ratings come from workbench.toml
  sqlite       tables sources, claims, quantities, evidence, relations,
               review_history, dismissals, statuses, meta (needs -o); relations to
               claims outside the export keep the id in other_ref, other_id is NULL

Exports are deterministic (same data, same bytes) and written atomically. A long
export shows a progress bar on stderr when it is a terminal.
"""


def parse_date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a date: write YYYY-MM-DD (e.g. 2025-03-01)"
        ) from None


def add_selection_arguments(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("selecting claims")
    group.add_argument(
        "--status",
        action="append",
        default=[],
        metavar="STATUS",
        help="keep claims with this status (repeatable)",
    )
    group.add_argument(
        "--verified",
        action="store_true",
        help="keep claims whose status workbench.toml marks verified",
    )
    group.add_argument(
        "--topic", action="append", default=[], metavar="TOPIC", help="keep this topic (repeatable)"
    )
    group.add_argument(
        "--stance",
        action="append",
        default=[],
        metavar="STANCE",
        help="keep this stance (repeatable)",
    )
    group.add_argument(
        "--source",
        action="append",
        default=[],
        metavar="ID",
        help="keep claims quoting this source (repeatable)",
    )
    group.add_argument(
        "--since",
        type=parse_date,
        default=None,
        metavar="DATE",
        help="keep claims whose verdict (the history entry that set the current status) "
        "is dated DATE or later; unreviewed claims are left out",
    )
    group.add_argument(
        "--agreed",
        action="store_true",
        help="keep claims whose reviewers' latest verdicts (two or more) agree",
    )
    group.add_argument(
        "--recheck-due",
        action="store_true",
        help="keep claims whose recheck date has come (today, UTC, or --as-of)",
    )
    group.add_argument(
        "--as-of",
        type=parse_date,
        default=None,
        metavar="DATE",
        help="the day --recheck-due counts from (default: today, UTC)",
    )


def selection_from(arguments: argparse.Namespace) -> Selection:
    from workbench.export import Selection

    return Selection(
        statuses=arguments.status,
        verified=arguments.verified,
        topics=arguments.topic,
        stances=arguments.stance,
        sources=arguments.source,
        since=arguments.since,
        agreed=arguments.agreed,
        recheck_due=_recheck_day(arguments),
    )


def _recheck_day(arguments: argparse.Namespace) -> dt.date | None:
    """The day for `--recheck-due`; `--as-of` alone is a mistake worth one line."""
    if not arguments.recheck_due:
        if arguments.as_of is not None:
            from workbench.cli import UsageError

            raise UsageError("--as-of only applies with --recheck-due: add --recheck-due")
        return None
    if arguments.as_of is not None:
        return arguments.as_of  # type: ignore[no-any-return]
    from workbench.recheck import today_utc

    return today_utc()


def register(subparsers: Any, common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser(
        "export",
        parents=[common],
        help="export claims as json, jsonl, csv, ClaimReview JSON-LD or SQLite",
        description="Export the selected claims (default: all) in one format.",
        epilog=SELECTION_HELP + "\n" + EXPORT_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--format", required=True, choices=FORMAT_CHOICES, help="the output format")
    parser.add_argument(
        "-o",
        "--output",
        default=None,
        metavar="FILE",
        help="write to FILE (replaced atomically); default: standard output ('-' too)",
    )
    parser.add_argument(
        "--datasette-metadata",
        default=None,
        metavar="FILE",
        type=Path,
        help="sqlite: also write Datasette metadata (titles, descriptions, facets, search)",
    )
    parser.add_argument(
        "--draft",
        action="store_true",
        help="claimreview: allow a placeholder review_url domain (for trying, not publishing)",
    )
    add_selection_arguments(parser)
    parser.set_defaults(handler=run)


def run(arguments: argparse.Namespace) -> int:
    from workbench.cli import UsageError
    from workbench.export import ExportError, check_output_path, export_claims
    from workbench.project import load_project
    from workbench.terminal import visible

    output = arguments.output if arguments.output not in (None, "-") else None
    path = Path(output) if output is not None else None
    if arguments.format == "sqlite" and path is None:
        raise UsageError("sqlite cannot be written to standard output: give a file with -o FILE")
    metadata = arguments.datasette_metadata
    if metadata is not None and arguments.format != "sqlite":
        raise UsageError("--datasette-metadata goes with --format sqlite")
    try:
        if path is not None:
            check_output_path(path)
        if metadata is not None:
            check_output_path(metadata)
        project = load_project(arguments.root)
        selection = selection_from(arguments)
        selection.check(project)
    except ExportError as error:
        raise UsageError(str(error)) from None
    if project.problems:
        print(
            f"workbench export: warning: {len(project.problems)} problem(s) loading files; "
            "claims that failed to load are left out: run `workbench check`",
            file=sys.stderr,
        )
    try:
        result = export_claims(project, selection, arguments.format, path, draft=arguments.draft)
    except ExportError as error:
        raise UsageError(str(error)) from None
    except BrokenPipeError:
        raise
    except OSError as error:
        target = path if path is not None else "standard output"
        print(
            visible(f"workbench export: cannot write {target}: {error.strerror or error}"),
            file=sys.stderr,
        )
        return 1
    if metadata is not None:
        from workbench.export.sqlite_format import write_datasette_metadata

        assert path is not None
        try:
            write_datasette_metadata(project, path, metadata)
        except ExportError as error:
            raise UsageError(str(error)) from None
        except OSError as error:
            raise UsageError(f"cannot write {metadata}: {error.strerror or error}") from None
        print(visible(f"wrote Datasette metadata to {metadata}"), file=sys.stderr)
    if path is not None:
        what = "claim(s)"
        if arguments.format == "claimreview":
            what = (
                f"review(s) ({result.selected - result.written} selected claim(s) have no verdict)"
            )
        print(visible(f"exported {result.written} {what} to {path}"), file=sys.stderr)
    return 0
