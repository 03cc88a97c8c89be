"""`workbench conflicts`: candidate contradictions, duplicates and updates, best first."""

from __future__ import annotations

import argparse
import sys
from itertools import islice
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator

    from workbench.matching import Candidate
    from workbench.matching.alongside import SemanticSearch
    from workbench.project import Project
    from workbench.terminal import Progress

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


def _kind(text: str) -> str:
    """A candidate kind, or an argparse error (exit 2) with a did-you-mean."""
    if text in KIND_CHOICES:
        return text
    from workbench.validation import suggest

    hint = suggest(text, list(KIND_CHOICES))
    known = f"did you mean `{hint}`?" if hint else f"use {', '.join(KIND_CHOICES)}"
    raise argparse.ArgumentTypeError(f"unknown candidate kind `{text}`; {known}")


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
        type=_kind,
        default=None,
        metavar="KIND",
        help=f"only this kind of candidate: {', '.join(KIND_CHOICES)} (repeat for several)",
    )
    parser.add_argument("--topic", default=None, metavar="T", help="only pairs touching topic T")
    parser.add_argument(
        "--source",
        action="append",
        default=[],
        metavar="ID",
        help="only pairs with a claim from source ID; give it twice (A, then B) for pairs "
        "between A and B",
    )
    parser.add_argument(
        "--source-pair",
        default=None,
        metavar="A,B",
        help="only pairs with one claim from source A and one from source B",
    )
    parser.add_argument(
        "--across",
        action="store_true",
        help="only pairs whose claims come from two different sources",
    )
    parser.add_argument(
        "--lexical-only",
        action="store_true",
        help="do not use the semantic proposer even when the [semantic] extra is installed",
    )
    parser.add_argument(
        "--neighbours",
        type=_positive,
        default=None,
        metavar="K",
        help="semantic proposer: pair each claim with its K nearest by meaning (default 5; "
        "more finds more paraphrases, fewer is faster on a large project)",
    )
    parser.add_argument(
        "--format", choices=("text", "json"), default="text", help="text (default) or json"
    )
    parser.add_argument(
        "--limit", type=_positive, default=None, metavar="N", help="at most N candidates"
    )
    parser.set_defaults(handler=run)


def run(arguments: argparse.Namespace) -> int:
    """The command, with Python's cyclic garbage collector off until all it made is let
    go.  Reading the frames and matching pause it already; turned on between them and
    at the end, its first collection walked every object made meanwhile (the frames and
    their sets, a million objects at 100,000 claims: 0.45 s of a 9 s run), to free none
    of them.  Off for the whole command, it is on again only once `_run` has returned
    and its objects are freed."""
    from workbench.matching.facts import collector_paused
    from workbench.terminal import Progress

    # What it is doing, on standard error if that is a terminal: a first run at 100,000
    # claims reads files for a minute.  Emptied before anything else is printed there.
    progress = Progress()
    try:
        with collector_paused():
            return _run(arguments, progress)
    finally:
        progress.stop()


def _run(arguments: argparse.Namespace, progress: Progress) -> int:
    from workbench.cli import UsageError
    from workbench.matching import iter_match_frames
    from workbench.matching.filters import FilterError, check_filter
    from workbench.matching.stored import project_frames
    from workbench.project import load_project
    from workbench.terminal import json_visible, visible_lines

    progress.phase("reading the claims")
    # no article is read, and a claim's model only if its frame cannot do without
    project = load_project(arguments.root, source_texts=False, models=False, progress=progress)
    progress.clear()
    _lexicon_notice(project)
    try:
        wanted = check_filter(
            project,
            kinds=arguments.kind,
            topic=arguments.topic,
            sources=arguments.source,
            source_pair=arguments.source_pair,
            across=arguments.across,
        )
    except FilterError as error:
        raise UsageError(str(error)) from None
    search: SemanticSearch | None = None
    neighbours = 0
    if not arguments.lexical_only:
        from workbench.matching.alongside import SemanticSearch
        from workbench.matching.semantic import DEFAULT_TOP_K

        neighbours = arguments.neighbours or DEFAULT_TOP_K
        # Started before the frames are read: the search runs alongside them.  It shows
        # its own progress while it encodes statements (the line is empty by now).
        search = SemanticSearch(project, top_k=neighbours, alongside=True)
        if search.alongside:  # its process may write at any time: the line is its own
            progress.stop()
    by_source = wanted.sources or wanted.across
    claim_count = len(project.claims)
    # The claim records are not needed once the frames have what they need of them:
    # released before the frames are built, their memory serves the frames (at 100,000
    # claims they hold 300 MB, most of the peak).
    progress.phase(f"reading the frames of {claim_count:,} claims")
    prepared = project_frames(project, release=True, progress=progress)
    where = {f.claim_id: (f.source_id, f.topic) for f in prepared.frames} if by_source else {}
    found: Iterator[Candidate] = iter_match_frames(
        prepared,
        kinds=wanted.kinds,
        topic=wanted.topic,
        limit=None if by_source else arguments.limit,
        similarities=search,
        progress=progress,
    )
    progress.stop()  # ranked: what is printed now is the candidates
    how = _how(search, neighbours)
    if by_source:
        found = (c for c in found if wanted.accepts(c.kind, where[c.first], where[c.second]))
    candidates = islice(found, arguments.limit)
    if arguments.format == "json":
        for chunk in _json_chunks(candidates):
            sys.stdout.write(json_visible(chunk))
        sys.stdout.write("\n")
        return 0
    shown = 0
    while batch := list(islice(candidates, _CHUNK)):
        shown += len(batch)
        lines = []
        for candidate in batch:
            lines.append(
                f"{candidate.score:.3f}  {candidate.kind:<9}  {candidate.first}  "
                f"{candidate.suggested_relation}  {candidate.second}"
            )
            lines.append(f"       {candidate.reason}")
        sys.stdout.write(visible_lines(lines) + "\n")
    noun = "candidate" if shown == 1 else "candidates"
    print(f"{shown} {noun} among {claim_count} claims ({how}).", file=sys.stderr)
    return 0


def _lexicon_notice(project: Project) -> None:
    """One line on standard error if the file that holds the lexicon did not load
    cleanly: its entries in error are left out of matching (`workbench.config`), and
    the user should know why a candidate may be missing."""
    from workbench.lexicon_checks import lexicon_location
    from workbench.problems import Severity, display_path
    from workbench.terminal import visible_lines

    location = lexicon_location(project.root)
    if location is None:
        return
    errors = sum(
        1
        for problem in project.problems
        if problem.path == location[0] and problem.severity is Severity.ERROR
    )
    if errors:
        where = display_path(location[0], project.root)
        noun = "error" if errors == 1 else "errors"
        print(
            visible_lines(
                [
                    f"workbench conflicts: {where} has {errors} {noun}; matching leaves out "
                    "the lexicon's entries in error (`workbench check` lists them)"
                ]
            ),
            file=sys.stderr,
        )


def _how(search: SemanticSearch | None, neighbours: int) -> str:
    """How the candidates were found, for the summary line; the search's notices said."""
    if search is None:
        return "lexical only (--lexical-only)"
    semantic = search.result()
    for notice in semantic.notices:
        print(f"workbench conflicts: {notice}", file=sys.stderr)
    if not semantic.available:
        return "lexical only"
    return (
        f"lexical + semantic: {len(semantic.similarities):,} pairs of {neighbours} "
        f"nearest per claim; {semantic.encoded} statements encoded, "
        f"{semantic.reused} from the store"
    )


_CHUNK = 2048
"""Candidates written per call: 300,000 of them at 100,000 claims."""


def _json_chunks(candidates: Iterable[Candidate]) -> Iterator[str]:
    """The candidates as `json.dumps(rows, ensure_ascii=False, indent=2)` writes them,
    byte for byte, in chunks: with `indent` the standard library encodes in Python
    (3.4 s for 300,000 candidates), while here each string goes through its C encoder
    (`encode_basestring`, what `dumps` uses for a string with `ensure_ascii=False`) and
    each score through `float.__repr__` (what it uses for a float)."""
    from json.encoder import encode_basestring as quoted

    remaining = iter(candidates)
    first = True
    while chunk := list(islice(remaining, _CHUNK)):
        rows = [
            f'  {{\n    "first": {quoted(c.first)},\n    "second": {quoted(c.second)},'
            f'\n    "kind": {quoted(c.kind)},\n    "score": {float.__repr__(c.score)},'
            f'\n    "suggested_relation": {quoted(c.suggested_relation)},'
            f'\n    "reason": {quoted(c.reason)}\n  }}'
            for c in chunk
        ]
        yield ("[\n" if first else ",\n") + ",\n".join(rows)
        first = False
    yield "[]" if first else "\n]"
