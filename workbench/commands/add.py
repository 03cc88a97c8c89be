"""`workbench add --source ID --quote TEXT --statement TEXT`: a new claim from a quote."""

from __future__ import annotations

import argparse
import sys
from typing import Any

EPILOG = """\
The quote must occur in the source (whitespace and Unicode normalisation do not
matter). When it does not, the closest passage is printed with its similarity and
nothing is written (exit 1); --accept-closest uses that passage verbatim. When the
quote occurs several times, a prefix (or suffix) that picks the first occurrence, or
the one --occurrence names, is added for you.

The statement is required: it must stand on its own, because it is what reviewers
rate and what the ClaimReview export publishes. The id (source prefix and key words
of the statement) and a quantity (the first money, count or percent number in the
quote, with the subject the statement's number measures and the period the quote
names, where "지난해"/"last year" count from the source's date) are proposed and
printed: check them. A claim whose quote or statement is the same as an existing
claim's, or nearly (rapidfuzz ratio 90 or more, after NFC and case folding), is
listed and not written (exit 1) unless --allow-duplicate. --topic and --stance are
required unless workbench.toml allows only one value. The new file is written
atomically and created exclusively: never over an existing claim, even when two
`add` commands race for the same id (one of them fails). It passes `workbench check`.
"""


def register(subparsers: Any, common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser(
        "add",
        parents=[common],
        help="create a claim file from a quote, anchored in its source",
        description="Create a claim file from a quote of a source article.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--source", required=True, metavar="ID", help="the source's id")
    parser.add_argument("--quote", required=True, metavar="TEXT", help="the words of the source")
    parser.add_argument(
        "--statement",
        required=True,
        metavar="TEXT",
        help="the claim, in a sentence that stands on its own",
    )
    parser.add_argument("--topic", default=None, help="one of workbench.toml's topics")
    parser.add_argument("--stance", default=None, help="one of workbench.toml's stances")
    parser.add_argument("--id", default=None, help="the claim's id (default: proposed)")
    parser.add_argument(
        "--attributed-to", default="", metavar="WHO", help="who makes the claim in the article"
    )
    parser.add_argument(
        "--subject", default=None, help="what the proposed quantity measures (default: guessed)"
    )
    parser.add_argument("--no-quantity", action="store_true", help="do not propose a quantity")
    parser.add_argument(
        "--occurrence",
        type=int,
        default=None,
        metavar="N",
        help="when the quote occurs several times, use the Nth (default: the first)",
    )
    parser.add_argument(
        "--accept-closest",
        action="store_true",
        help="when the quote does not occur, use the closest passage verbatim",
    )
    parser.add_argument(
        "--reviewer",
        default=None,
        metavar="NAME",
        help="who adds the claim, recorded in its history "
        "(default: $WORKBENCH_REVIEWER, else git's user.name)",
    )
    parser.add_argument(
        "--allow-duplicate",
        action="store_true",
        help="add the claim even though a claim with the same or a near-same quote or "
        "statement exists (they are listed)",
    )
    parser.add_argument(
        "--dry-run", action="store_true", help="print the file instead of writing it"
    )
    parser.set_defaults(handler=run)


def run(arguments: argparse.Namespace) -> int:
    from workbench.adding import (
        AddError,
        DuplicateClaims,
        QuoteNotFound,
        build_claim,
        write_claim,
    )
    from workbench.checks import check_claim
    from workbench.cli import UsageError, check_flag_text
    from workbench.models import ReviewEntry
    from workbench.numbers import format_value
    from workbench.problems import Severity
    from workbench.project import load_project
    from workbench.review import ReviewError, reviewer_name, utc_now
    from workbench.storage import ClaimExistsError, model_text
    from workbench.terminal import visible

    check_flag_text("--statement", arguments.statement)
    check_flag_text("--quote", arguments.quote)
    check_flag_text("--attributed-to", arguments.attributed_to)
    check_flag_text("--subject", arguments.subject or "")
    check_flag_text("--reviewer", arguments.reviewer or "")
    project = load_project(arguments.root)
    try:
        reviewer = reviewer_name(arguments.reviewer)
    except ReviewError as error:
        raise UsageError(str(error)) from None
    entry = ReviewEntry.model_validate(
        {
            "at": utc_now(),
            "reviewer": reviewer,
            "from": "unreviewed",
            "to": "unreviewed",
            "note": f"added from source `{arguments.source}` with `workbench add`",
        }
    )
    try:
        proposal = build_claim(
            project,
            source_id=arguments.source,
            quote=arguments.quote,
            statement=arguments.statement,
            topic=arguments.topic,
            stance=arguments.stance,
            claim_id=arguments.id,
            attributed_to=arguments.attributed_to,
            subject=arguments.subject,
            with_quantity=not arguments.no_quantity,
            occurrence=arguments.occurrence,
            accept_closest=arguments.accept_closest,
            history=[entry],
            allow_duplicate=arguments.allow_duplicate,
        )
    except DuplicateClaims as error:
        print(
            f"workbench add: {len(error.duplicates)} claim(s) already have the same or a "
            "near-same quote or statement; nothing written (pass --allow-duplicate to add "
            "it anyway):",
            file=sys.stderr,
        )
        for line in _duplicate_lines(error.duplicates):
            print(visible(line), file=sys.stderr)
        return 1
    except AddError as error:
        raise UsageError(str(error)) from None
    except QuoteNotFound as error:
        hint = ": pass --accept-closest to use it, or correct --quote" if error.closest else ""
        print(visible(f"workbench add: {error.describe()}{hint}"), file=sys.stderr)
        return 1
    claim, match = proposal.claim, proposal.match
    if arguments.dry_run:
        print(visible(model_text(claim), keep_newlines=True), end="")
        stream = sys.stderr
    else:
        try:
            record = write_claim(project, proposal)
        except ClaimExistsError as error:
            raise UsageError(str(error)) from None
        print(visible(f"created {record.path.relative_to(project.root)}"))
        stream = sys.stdout
    if arguments.id is None:
        print(visible(f"  id        {claim.id} (proposed)"), file=stream)
    if match.closest:
        print(
            visible(
                f"  quote     the closest passage ({match.similarity:.0f}% similar): "
                f"\u201c{match.quote}\u201d"
            ),
            file=stream,
        )
    if match.occurrences > 1:
        selector = (
            f"prefix \u201c{claim.source.prefix}\u201d" if claim.source.prefix else ""
        ) or f"suffix \u201c{claim.source.suffix}\u201d"
        if claim.source.prefix and claim.source.suffix:
            selector += f", suffix \u201c{claim.source.suffix}\u201d"
        where = f"occurrence {match.occurrence} of {match.occurrences}"
        print(visible(f"  quote     {where}, picked by {selector}"), file=stream)
    if proposal.duplicates:
        print("  duplicate added anyway (--allow-duplicate); near-same claims:", file=stream)
        for line in _duplicate_lines(proposal.duplicates):
            print(visible(line), file=stream)
    for note in proposal.notes:
        print(visible(f"  note      {note}"), file=stream)
    quantity, mention = claim.quantity, proposal.mention
    if quantity is not None and mention is not None:
        low, high = quantity.bounds
        shown = (
            format_value(low, quantity.unit)
            if low == high
            else f"{format_value(low, quantity.unit)} to {format_value(high, quantity.unit)}"
        )
        period = f", period {quantity.period}" if quantity.period else ""
        about = ", approximate" if quantity.approximate else ""
        if quantity.bound is not None:
            about += ", a ceiling" if quantity.bound == "upper" else ", a floor"
        print(
            visible(
                f"  quantity  {shown} from \u201c{mention.raw}\u201d{period}{about}; "
                f"subject \u201c{quantity.subject}\u201d (proposed: check it)"
            ),
            file=stream,
        )
    if arguments.dry_run:
        return 0
    problems = check_claim(project, project.claim(claim.id), record.path)
    for problem in problems:
        print(visible(problem.render(project.root)), file=sys.stderr)
    return 1 if any(problem.severity is Severity.ERROR for problem in problems) else 0


def _duplicate_lines(duplicates: list[Any]) -> list[str]:
    """One line per near-same claim: id, what is alike and how much, its statement (the
    model refuses control characters in a statement, so it prints as it is)."""
    return [
        f"  claims/{item.claim_id}.toml  same {item.field} ({item.similarity:.0f}%)  "
        f"\u201c{item.statement}\u201d"
        for item in duplicates
    ]
