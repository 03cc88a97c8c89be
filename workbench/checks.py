"""`workbench check`: everything that can be wrong with a project, as problems.

Loading already reports what stops a file from being read (syntax, schema,
duplicate ids).  The checks here look across files: references, mirrored
relations, quotes that must anchor in their source, quantities that must match
a number in their quote, vocabularies, and canonical formatting.  Nothing here
writes.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from pathlib import Path

from workbench.anchoring import AnchorKind
from workbench.files.merge import unsettled_verdicts
from workbench.lexicon_checks import check_lexicon
from workbench.locate import indexed_text, line_of
from workbench.memory import gc_paused
from workbench.models import SYMMETRIC_RELATIONS, Claim, Quantity
from workbench.numbers import find_quantity, format_value, parse_numbers
from workbench.problems import Problem, Severity
from workbench.project import Project
from workbench.storage import Fingerprint, model_text
from workbench.tomlio import KeyPath
from workbench.validation import suggest
from workbench.verdicts import check_verdict, status_from_history

CLOSEST_PASSAGE_MIN_SIMILARITY = 60.0
"""Below this, the "closest passage" is noise and would mislead more than help."""


def check_project(project: Project, paths: Iterable[Path] | None = None) -> list[Problem]:
    """Every problem in the project, sorted by file and line; limited to `paths` if given."""
    problems = [*project.problems, *check_lexicon(project)]
    project.materialise()
    with gc_paused():
        for record in project.claims.values():
            problems.extend(check_claim(project, record.claim, record.path, record.fingerprint))
    for source_record in project.sources.values():
        problems.extend(
            _check_vocabulary_value(
                source_record.path,
                ("view",),
                source_record.source.view,
                list(project.settings.stances),
                "WB502",
                "view",
            )
        )
        problems.extend(
            _check_canonical(
                source_record.path, model_text(source_record.source), source_record.fingerprint
            )
        )
    problems.extend(claimreview_setting_problems(project))
    problems.extend(status_key_setting_problems(project))
    chosen = [Path(path) for path in paths or ()]
    if chosen:
        selected = [_resolved(path) for path in chosen]
        problems = [problem for problem in problems if _within(problem.path, selected)]
        problems.extend(_selection_problems(project, chosen))
    return sorted(
        set(problems), key=lambda problem: (str(problem.path), problem.line, problem.code)
    )


def claimreview_setting_problems(project: Project) -> list[Problem]:
    """A review URL pattern that readers cannot follow, at its line of workbench.toml.

    A placeholder domain (the bundled demo's) is not a problem of the project:
    `export --format claimreview` refuses it when publishing, unless `--draft`.
    """
    from workbench.config import CONFIG_NAME
    from workbench.export.claimreview import review_url_problem

    review_url = project.settings.claimreview.review_url
    problem = review_url_problem(review_url) if review_url else None
    if problem is None:
        return []
    path = project.root / CONFIG_NAME
    return [Problem(path, line_of(path, ("claimreview", "review_url")), 1, "WB505", problem)]


def status_key_setting_problems(project: Project) -> list[Problem]:
    """WB508 warnings at the `key` line of a status the review app cannot bind."""
    from workbench.config import CONFIG_NAME
    from workbench.keys import status_key_problems

    keys = {name: info.key for name, info in project.settings.statuses.items() if info.key}
    path = project.root / CONFIG_NAME
    return [
        Problem(
            path, line_of(path, ("statuses", name, "key")), 1, "WB508", message, Severity.WARNING
        )
        for name, message in status_key_problems(keys).items()
    ]


def _selection_problems(project: Project, paths: list[Path]) -> list[Problem]:
    """A path asked for that is not there, or not in the project, is an error:
    "all clear" would say that a file nobody checked is fine."""
    problems = []
    root = project.root.resolve()
    for path in paths:
        if not path.exists() and not path.is_symlink():  # a loop is reported by the listing
            problems.append(
                Problem(path, 1, 1, "WB002", "cannot read the file: no such file or folder")
            )
        elif not _resolved(path).is_relative_to(root):
            message = (
                f"not in the project at {project.root}: pass a file under it, "
                "or give the project this file belongs to with --root"
            )
            problems.append(Problem(path, 1, 1, "WB004", message))
    return problems


def _resolved(path: Path) -> Path:
    """The path resolved; a symlink loop (RuntimeError in Python 3.11) as the link itself."""
    try:
        return path.resolve()
    except (OSError, RuntimeError):
        return path.parent.resolve() / path.name


def _within(path: Path, selected: list[Path]) -> bool:
    resolved = _resolved(path)
    return any(resolved == choice or resolved.is_relative_to(choice) for choice in selected)


def check_claim(
    project: Project, claim: Claim, path: Path, fingerprint: Fingerprint | None = None
) -> list[Problem]:
    problems: list[Problem] = []
    if path.stem != claim.id:
        problems.append(
            Problem(
                path,
                line_of(path, ("id",)),
                1,
                "WB202",
                f"id `{claim.id}` does not match the file name `{path.name}`: rename the file to "
                f"`{claim.id}.toml` or change the id to `{path.stem}`",
            )
        )
    problems.extend(_check_references(project, claim, path))
    problems.extend(_check_anchor(project, claim, path))
    if claim.quantity is not None:
        problems.extend(_check_quantity(claim.source.quote, claim.quantity, path))
    problems.extend(_check_vocabularies(project, claim, path))
    problems.extend(check_verdict(project.settings, claim, path))
    problems.extend(_check_canonical(path, model_text(claim), fingerprint))
    return problems


def _check_references(project: Project, claim: Claim, path: Path) -> list[Problem]:
    problems: list[Problem] = []
    in_sources = claim.source.id in project.sources
    broken_source = None if in_sources else _broken_source(project, claim.source.id)
    if broken_source is not None:
        problems.append(
            Problem(
                path,
                line_of(path, ("source", "id")),
                1,
                "WB203",
                f"source `{claim.source.id}` did not load: fix the errors reported for "
                f"{broken_source.parent.name}/{broken_source.name}",
                Severity.WARNING,
            )
        )
    elif not in_sources:
        known = list(project.sources)
        hint = suggest(claim.source.id, known)
        problems.append(
            Problem(
                path,
                line_of(path, ("source", "id")),
                1,
                "WB203",
                f"unknown source `{claim.source.id}`"
                + (
                    f"; did you mean `{hint}`?" if hint else f" (known: {', '.join(sorted(known))})"
                ),
            )
        )
    seen: set[tuple[str, str]] = set()
    for index, relation in enumerate(claim.relations):
        line = _line_getter(path, ("relations", index, "claim"))
        if (relation.kind, relation.claim) in seen:
            problems.append(
                Problem(
                    path,
                    line(),
                    1,
                    "WB207",
                    f"relation `{relation.kind}` to `{relation.claim}` is recorded twice: "
                    "delete one",
                )
            )
        seen.add((relation.kind, relation.claim))
        if relation.claim == claim.id:
            problems.append(Problem(path, line(), 1, "WB206", "a claim cannot relate to itself"))
            continue
        other = project.claims.get(relation.claim)
        if other is None and _has_broken_file(project, relation.claim):
            problems.append(
                Problem(
                    path,
                    line(),
                    1,
                    "WB204",
                    f"relation to `{relation.claim}`, whose file did not load: "
                    "fix the errors reported for it",
                    Severity.WARNING,
                )
            )
            continue
        if other is None:
            hint = suggest(relation.claim, list(project.claims))
            problems.append(
                Problem(
                    path,
                    line(),
                    1,
                    "WB204",
                    f"relation to unknown claim `{relation.claim}`"
                    + (f"; did you mean `{hint}`?" if hint else ""),
                )
            )
            continue
        if relation.kind in SYMMETRIC_RELATIONS and not any(
            back.kind == relation.kind and back.claim == claim.id for back in other.claim.relations
        ):
            problems.append(
                Problem(
                    path,
                    line(),
                    1,
                    "WB205",
                    f"`{relation.kind}` is mutual but {other.path.name} does not record it back: "
                    f'add [[relations]] kind = "{relation.kind}", claim = "{claim.id}" there',
                )
            )
        if relation.kind == "updates" and any(
            back.kind == "updates" and back.claim == claim.id for back in other.claim.relations
        ):
            problems.append(
                Problem(
                    path,
                    line(),
                    1,
                    "WB208",
                    f"`{claim.id}` and `{relation.claim}` both say they update the other: "
                    "`updates` points from the newer claim to the older; keep one",
                )
            )
    for index, dismissal in enumerate(claim.dismissed):
        # a dismissal of a claim whose file did not load waits for that file's fix
        if dismissal.claim not in project.claims and not _has_broken_file(project, dismissal.claim):
            problems.append(
                Problem(
                    path,
                    line_of(path, ("dismissed", index, "claim")),
                    1,
                    "WB204",
                    f"dismissed candidate names unknown claim `{dismissal.claim}`",
                )
            )
    return problems


def _has_broken_file(project: Project, claim_id: str) -> bool:
    """Whether `claim_id` names a claim file that is there but did not load, so
    that a reference to it is not reported as a reference to nothing."""
    return any(
        problem.path.stem == claim_id and problem.severity is Severity.ERROR
        for problem in project.problems
    )


def _broken_source(project: Project, source_id: str) -> Path | None:
    """The metadata file in `seeds/` that names `source_id` but did not load, if any,
    so that its claims are not each told that the source does not exist."""
    declares = re.compile(rf"""^id\s*=\s*["']{re.escape(source_id)}["']\s*(#.*)?$""", re.M)
    for path in sorted({problem.path for problem in project.problems}):
        if path.suffix != ".toml" or path.parent.name != project.sources_dir.name:
            continue
        found = indexed_text(path)
        if found is not None and declares.search(found[1]):
            return path
    return None


def _check_anchor(project: Project, claim: Claim, path: Path) -> list[Problem]:
    source = project.sources.get(claim.source.id)
    if source is not None and not source.text:
        return []  # the text did not load: one WB701 at the source, not one WB301 a claim
    anchor = project.anchor(claim)
    if anchor is None:
        return []
    line = _line_getter(path, ("source", "quote"))
    if anchor.kind is AnchorKind.MISSING:
        if anchor.closest and anchor.similarity >= CLOSEST_PASSAGE_MIN_SIMILARITY:
            hint = (
                f"; the closest passage ({anchor.similarity:.0f}% similar) is "
                f"\u201c{anchor.closest}\u201d: copy it if that is what you meant"
            )
        else:
            hint = "; nothing in it is close: is the source id right?"
        return [
            Problem(
                path,
                line(),
                1,
                "WB301",
                f"quote does not occur in source `{claim.source.id}`{hint}",
            )
        ]
    if anchor.kind is AnchorKind.SELECTOR_MISMATCH:
        return [
            Problem(
                path,
                line(),
                1,
                "WB303",
                f"quote occurs {len(anchor.spans)} times in `{claim.source.id}`, but none with "
                "this prefix/suffix: copy the text just before (prefix) or after (suffix) the "
                "one you mean",
            )
        ]
    if anchor.kind is AnchorKind.AMBIGUOUS:
        return [
            Problem(
                path,
                line(),
                1,
                "WB302",
                f"quote occurs {len(anchor.spans)} times in `{claim.source.id}`: add `prefix` "
                "(the text just before the one you mean) or `suffix` to pick one",
                Severity.WARNING,
            )
        ]
    return []


def _check_quantity(quote: str, quantity: Quantity, path: Path) -> list[Problem]:
    low, high = quantity.bounds
    if find_quantity(quote, low, high, quantity.unit) is not None:
        return []
    shown = (
        format_value(low, quantity.unit)
        if low == high
        else (f"{format_value(low, quantity.unit)} to {format_value(high, quantity.unit)}")
    )
    mentions = [
        f"{mention.raw} = {format_value(mention.low, mention.unit)}"
        if mention.low == mention.high
        else f"{mention.raw} = {format_value(mention.low, mention.unit)}"
        f" to {format_value(mention.high, mention.unit)}"
        for mention in parse_numbers(quote)
    ]
    found = (
        f"; numbers in the quote: {'; '.join(mentions)}"
        if mentions
        else ("; the quote holds no number")
    )
    key = "value" if quantity.value is not None else "low"
    return [
        Problem(
            path,
            line_of(path, ("quantity", key)),
            1,
            "WB401",
            f"quantity {shown} does not match a number in the quote{found}: "
            "correct the value or unit, or quote the sentence that states it",
        )
    ]


def _check_vocabularies(project: Project, claim: Claim, path: Path) -> list[Problem]:
    settings = project.settings
    problems = [
        *_check_vocabulary_value(
            path, ("status",), claim.status, list(settings.statuses), "WB501", "status"
        ),
        *_check_vocabulary_value(
            path, ("stance",), claim.stance, list(settings.stances), "WB502", "stance"
        ),
        *_check_vocabulary_value(
            path, ("topic",), claim.topic, list(settings.topics), "WB503", "topic"
        ),
    ]
    for index, entry in enumerate(claim.history):
        for key, value in (("from", entry.from_status), ("to", entry.to_status)):
            problems.extend(
                _check_vocabulary_value(
                    path, ("history", index, key), value, list(settings.statuses), "WB501", "status"
                )
            )
    set_by_history = status_from_history(claim.history)
    if set_by_history is not None and set_by_history != claim.status:
        problems.append(
            Problem(
                path,
                line_of(path, ("status",)),
                1,
                "WB504",
                f"status is `{claim.status}` but the last review history entry set "
                f"`{set_by_history}`: change status through `workbench mark` or "
                "the app, which records the change",
                Severity.WARNING,
            )
        )
    problems.extend(_check_verdicts(claim, path))
    return problems


def _check_verdicts(claim: Claim, path: Path) -> list[Problem]:
    """WB506: two verdicts a merge brought together that nobody has settled yet."""
    pair = unsettled_verdicts(claim.history)
    if pair is None:
        return []
    earlier, later = (claim.history[index] for index in pair)
    message = (
        f"conflicting verdicts to settle: history entries {pair[0] + 1} (`{earlier.to_status}` "
        f"by {earlier.reviewer}) and {pair[1] + 1} (`{later.to_status}` by {later.reviewer}) "
        f"both change the status from `{later.from_status}`, as concurrent reviews merged "
        f"from two branches do; the later one stands: settle it with `workbench mark "
        f"{claim.id} STATUS`"
    )
    line = line_of(path, ("history", pair[1], "to"))
    return [Problem(path, line, 1, "WB506", message, Severity.WARNING)]


def _check_vocabulary_value(
    path: Path, key_path: KeyPath, value: str, allowed: list[str], code: str, what: str
) -> list[Problem]:
    if value in allowed:
        return []
    hint = suggest(value, allowed)
    message = f"unknown {what} `{value}`" + (f"; did you mean `{hint}`?" if hint else "")
    message += f" (workbench.toml allows: {', '.join(allowed)})"
    return [Problem(path, line_of(path, key_path), 1, code, message)]


def _check_canonical(path: Path, canonical: str, fingerprint: Fingerprint | None) -> list[Problem]:
    """Compare hashes first: the file is only read again when it is not canonical."""
    digest = Fingerprint.digest_of(canonical.encode("utf-8"))
    if fingerprint is not None and fingerprint.digest == digest:
        return []
    found = indexed_text(path)
    if found is None:
        return []
    from workbench.files.layout import keep_comments

    text = found[1]
    if text == canonical or keep_comments(canonical, text) == text:
        return []  # comments are the maintainer's: canonical around them is canonical
    written, expected = text.splitlines(), canonical.splitlines()
    line = next(
        (number for number, (a, b) in enumerate(zip(written, expected, strict=False), 1) if a != b),
        min(len(written), len(expected)) + 1,
    )
    message = "not in canonical form: run `workbench fmt` to rewrite it"
    return [Problem(path, line, 1, "WB601", message)]


def _line_getter(path: Path, key_path: KeyPath) -> Callable[[], int]:
    """The line of a key, found only if a problem needs it (finding it reads the file)."""
    return lambda: line_of(path, key_path)
