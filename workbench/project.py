"""A loaded project: settings, sources and claims, plus the problems found loading them.

`load_project` is the entry point for the app, the CLI and scripts.  It never
raises for bad data: a file that fails to load becomes a problem and the rest
of the project loads.  It does not import Textual.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from workbench.anchoring import Anchor, FoldedText, anchor_quote, fold, nfc
from workbench.config import CLAIMS_DIR, SOURCES_DIR, find_root, load_settings
from workbench.files.index import (
    LoadIndex,
    UncheckedLoad,
    load_first_page,
    load_indexed,
    load_unchecked,
)
from workbench.files.listing import find_leftovers, leftover_problems, list_claim_files
from workbench.locate import line_of
from workbench.memory import gc_paused
from workbench.models import Claim, ProjectSettings, Relation, Source
from workbench.problems import Problem
from workbench.storage import (
    ClaimRecord,
    ClaimSummary,
    SourceRecord,
    read_document,
    source_text_path,
    validate_document,
)


@dataclass(slots=True)
class Project:
    """Everything `workbench` knows about one project folder."""

    root: Path
    settings: ProjectSettings
    sources: dict[str, SourceRecord]
    claims: dict[str, ClaimRecord]
    problems: list[Problem] = field(default_factory=list)
    _folded_sources: dict[str, FoldedText] = field(default_factory=dict)
    load_index: LoadIndex | None = None
    """The index the claims were loaded through, which deferred models come from."""
    _inbound: dict[str, list[str]] | None = field(default=None, repr=False, compare=False)
    """Which claims' summaries relate to each id, in `claims` order (`relations_to`):
    built on first use, forgotten when a claim's related ids change."""

    @property
    def claims_dir(self) -> Path:
        return self.root / CLAIMS_DIR

    @property
    def sources_dir(self) -> Path:
        return self.root / SOURCES_DIR

    def claim(self, claim_id: str) -> Claim:
        return self.claims[claim_id].claim

    def source_of(self, claim: Claim) -> Source | None:
        record = self.sources.get(claim.source.id)
        return record.source if record else None

    def iter_claims(self) -> Iterator[Claim]:
        """Every claim's model; builds the deferred ones first, all at once."""
        self.materialise()
        for record in self.claims.values():
            yield record.claim

    def materialise(self) -> None:
        """Build every model a warm start deferred, their JSON read in one query."""
        deferred = [record for record in self.claims.values() if record.deferred_model]
        if not deferred:
            return
        index = self.load_index
        if index is not None and len(deferred) > 100:
            index.prefetch()
        try:
            with gc_paused():
                for record in deferred:
                    record.claim  # noqa: B018 - building the model is the point
        finally:
            if index is not None:
                index.forget_prefetched()

    def iter_summaries(self) -> Iterator[ClaimSummary]:
        """Each claim's id, text, status, topic, stance and links, without building
        models that a warm start deferred (see `ClaimRecord`)."""
        for record in self.claims.values():
            yield record.summary

    def folded_source(self, source_id: str) -> FoldedText | None:
        """The source text folded for quote matching, computed once per source."""
        if source_id not in self.sources:
            return None
        folded = self._folded_sources.get(source_id)
        if folded is None:
            folded = fold(self.sources[source_id].text)
            self._folded_sources[source_id] = folded
        return folded

    def anchor(self, claim: Claim) -> Anchor | None:
        """Where the claim's quote sits in its source text, or None for an unknown source."""
        folded = self.folded_source(claim.source.id)
        if folded is None:
            return None
        return anchor_quote(folded, claim.source.quote, claim.source.prefix, claim.source.suffix)

    def relations_to(self, claim_id: str) -> list[tuple[str, Relation]]:
        """Relations recorded in other claims' files that point at `claim_id`.

        Found through the claims' summaries, so that only the claims that do
        point here are built (see `ClaimRecord`); which claims those are is
        worked out once for all claims (a scan of every summary, 50 ms at
        100,000 claims, was in every claim detail's opening), and checked
        against each claim's summary on every call.
        """
        inbound = self._inbound
        if inbound is None:
            inbound = {}
            for each in self.claims.values():
                for target in each.summary.related:
                    inbound.setdefault(target, []).append(each.id)
            self._inbound = inbound
        found: list[tuple[str, Relation]] = []
        for source_id in dict.fromkeys(inbound.get(claim_id, ())):
            record = self.claims.get(source_id)
            if record is None or claim_id not in record.summary.related:
                continue  # removed since, or no longer related
            claim = record.claim
            found.extend(
                (claim.id, relation) for relation in claim.relations if relation.claim == claim_id
            )
        return found

    def replace_record(self, record: ClaimRecord) -> None:
        """Put a freshly saved or reloaded claim in place of the old one."""
        claim_id = record.claim.id
        old = self.claims.get(claim_id)
        if record.summary.related != (old.summary.related if old is not None else ()):
            self._inbound = None
        self.claims[claim_id] = record

    def forget_relations(self) -> None:
        """After claims were put in place other than by `replace_record`."""
        self._inbound = None


def load_project(
    root: Path | str | None = None,
    *,
    use_cache: bool = True,
    start: Path | None = None,
    source_texts: bool = True,
    models: bool = True,
    progress: Callable[[int, int], None] | None = None,
) -> Project:
    """Load the project at `root` (or the one found above `start` / the working folder).

    `progress` is told now and then how many claim files are loaded, of how many
    (`workbench.terminal.Progress`).

    Claims come through the load index (`files.index`) unless `use_cache` is
    False or `WORKBENCH_CACHE_DIR=off`; the result is the same either way.

    Without `source_texts`, each source's `text` is left empty and never read (nor
    checked): for a caller that reads no article (`workbench conflicts`; at 100,000
    claims of 2,600 articles, reading them took 0.4 s of its 10).

    Without `models`, a claim file read afresh (not from the index) keeps no model
    once the index has its row: the model is built from the row when first asked
    for, as on a warm start (`files.index.load_indexed`).  For a caller that needs
    few models: `workbench conflicts`, whose first run at 100,000 claims held 1 GB
    of models otherwise.

    Raises `ProjectNotFound` only when there is no project at all; every problem
    with the files inside it is reported in `Project.problems`.
    """
    resolved = find_root(start=start, override=Path(root) if root is not None else None)
    settings, sources, problems = _load_settings_and_sources(resolved, source_texts)
    claims, claim_problems, index = _load_claim_files(
        resolved, use_cache, models=models, progress=progress
    )
    problems.extend(claim_problems)
    return Project(resolved, settings, sources, claims, problems, load_index=index)


def _load_settings_and_sources(
    root: Path, texts: bool = True
) -> tuple[ProjectSettings, dict[str, SourceRecord], list[Problem]]:
    settings, problems = load_settings(root)
    sources, source_problems = load_sources(root / SOURCES_DIR, texts=texts)
    problems.extend(source_problems)
    problems.extend(leftover_problems(find_leftovers([root / SOURCES_DIR])))
    return settings, sources, problems


def _load_claim_files(
    root: Path,
    use_cache: bool,
    unchecked: UncheckedLoad | None = None,
    *,
    models: bool = True,
    progress: Callable[[int, int], None] | None = None,
) -> tuple[dict[str, ClaimRecord], list[Problem], LoadIndex | None]:
    """The claims folder listed, each file loaded (through the index), ids checked."""
    listing = list_claim_files(root / CLAIMS_DIR, root, progress)
    problems = list(listing.problems)
    index: LoadIndex | None = None
    with gc_paused():
        if use_cache:
            records, claim_problems, index = load_indexed(
                root, listing.paths, listing.stats, unchecked, models=models, progress=progress
            )
        else:
            records, claim_problems = load_claims(listing.paths, progress)
        claims, index_problems = index_claims(records)
    problems.extend(claim_problems)
    problems.extend(index_problems)
    return claims, problems, index


@dataclass(frozen=True, slots=True)
class PendingCheck:
    """What `load_project_unchecked` took from the index, for `check_unchecked`."""

    unchecked: UncheckedLoad
    claims: dict[str, ClaimRecord]
    """The claims as loaded unchecked (a copy: the project's own dict changes)."""
    settings_problems: list[Problem]
    """The problems of the settings and sources, which were loaded as usual."""


@dataclass(frozen=True, slots=True)
class CheckedClaims:
    """`check_unchecked`'s result: the claims and problems a full load gives now."""

    claims: dict[str, ClaimRecord]
    problems: list[Problem]
    index: LoadIndex | None


def load_project_unchecked(
    root: Path | str | None = None, *, start: Path | None = None
) -> tuple[Project, PendingCheck | None]:
    """The project with its claims as the load index last saw them, no claim file looked at.

    For the review app's first paint at 100,000 claims: listing the claims
    folder and comparing every file with its row is about half of a warm
    load, and the list can be drawn without it.  The claims must be checked
    right after: `check_unchecked` (safe in a worker thread: it changes
    nothing) gives what `load_project` would give now, `apply_checked` puts it
    in place.  Until then a file changed since the index saw it shows as it
    was; every write still starts from the file on disk, under its lock.

    Without an index (off, empty, unusable) this is `load_project` without
    models (a claim's model built from its row when first asked for, as on a
    warm start: the app's first open of 100,000 claims otherwise held 1.2 GB of
    them), and the pending check is None.
    """
    resolved = find_root(start=start, override=Path(root) if root is not None else None)
    settings, sources, problems = _load_settings_and_sources(resolved)
    with gc_paused():
        unchecked = load_unchecked(resolved)
        if unchecked is None:
            claims, claim_problems, index = _load_claim_files(resolved, True, models=False)
            problems.extend(claim_problems)
            return Project(resolved, settings, sources, claims, problems, load_index=index), None
        claims, index_problems = index_claims(unchecked.records)
    pending = PendingCheck(unchecked, dict(claims), list(problems))
    problems.extend(unchecked.problems)
    problems.extend(index_problems)
    project = Project(resolved, settings, sources, claims, problems, load_index=unchecked.index)
    return project, pending


FIRST_PAGE = 250
"""Claims `load_project_first_page` loads: more than any terminal shows at once."""


@dataclass(frozen=True, slots=True)
class PendingRest:
    """What `load_project_first_page` left for `load_rest`: the list's figures meanwhile."""

    page: dict[str, ClaimRecord]
    """The first page's claims as loaded (a copy: the project's own dict changes)."""
    counts: dict[str, int]
    """Claims by status over every claim: each configured status, then any others."""
    sample_ids: list[str]
    """Ids of the first claims by path, which the list measures its id column on."""
    outlets: list[str]
    """The outlet of every source a claim names."""
    settings_problems: list[Problem]

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def load_project_first_page(
    root: Path | str | None = None, *, limit: int = FIRST_PAGE, start: Path | None = None
) -> tuple[Project, PendingRest] | None:
    """The project with only the first `limit` claims of the claims list, by its
    default order (newest source first, then id), from the load index alone.

    For the review app's first paint at 100,000 claims: a few index lookups
    instead of a read of every row.  The app loads the rest right after
    (`load_rest`), then checks them (`check_unchecked`); until then only the
    first page is there, and the list's counts come from the index.

    None without an index (off, empty, unusable): the caller loads as usual.
    """
    from workbench.search import date_groups

    resolved = find_root(start=start, override=Path(root) if root is not None else None)
    settings, sources, problems = _load_settings_and_sources(resolved)
    published = {key: record.source.published for key, record in sources.items()}
    page = load_first_page(resolved, date_groups(published), limit)
    if page is None:
        return None
    claims, index_problems = index_claims(page.load.records)
    # as `ClaimIndex.count_by_status` gives them: each configured status, then others
    counts = {status: page.counts.get(status, 0) for status in settings.statuses}
    counts.update(sorted(item for item in page.counts.items() if item[0] not in counts))
    outlets = {key: record.source.outlet for key, record in sources.items()}
    rest = PendingRest(
        dict(claims),
        counts,
        page.sample_ids,
        sorted({outlets.get(source_id, source_id) for source_id in page.source_ids}),
        list(problems),
    )
    problems.extend(page.load.problems)
    problems.extend(index_problems)
    project = Project(resolved, settings, sources, claims, problems, load_index=page.load.index)
    return project, rest


def load_project_for_review(
    root: Path | str | None = None, *, first_page: bool = True
) -> tuple[Project, PendingCheck | None, PendingRest | None]:
    """What the review app starts from: the list's first page (`load_project_first_page`,
    its rest pending) or, without an index or with `first_page` False, every claim
    as the index saw them (`load_project_unchecked`, their check pending)."""
    first = load_project_first_page(root) if first_page else None
    if first is not None:
        return first[0], None, first[1]
    project, pending = load_project_unchecked(root)
    return project, pending, None


def load_rest(project: Project, rest: PendingRest) -> PendingCheck | None:
    """Every claim in place of `load_project_first_page`'s first page: as the index
    last saw them (the check that follows, `check_unchecked`, is returned pending),
    or read from the files if the index has gone meanwhile (nothing pending).

    A first-page claim the app replaced or removed since keeps the app's version,
    and a claim it added stays: both were read from their files later.
    """
    pending: PendingCheck | None = None
    with gc_paused():
        unchecked = load_unchecked(project.root)
        if unchecked is None:
            claims, claim_problems, index = _load_claim_files(project.root, True, models=False)
            loaded = CheckedClaims(claims, rest.settings_problems + claim_problems, index)
        else:
            claims, index_problems = index_claims(unchecked.records)
            pending = PendingCheck(unchecked, dict(claims), list(rest.settings_problems))
            problems = rest.settings_problems + unchecked.problems + index_problems
            loaded = CheckedClaims(claims, problems, unchecked.index)
        _put_in_place(project, rest.page, loaded)
    return pending


def check_unchecked(project: Project, pending: PendingCheck) -> CheckedClaims:
    """The claims and problems a full load of `project`'s files gives now, reusing every
    record of `pending` whose file is as its row said (the same object).

    Changes neither the project nor `pending`: it runs in a worker thread while the
    app goes on with the unchecked claims.
    """
    claims, problems, index = _load_claim_files(project.root, True, pending.unchecked, models=False)
    return CheckedClaims(claims, pending.settings_problems + problems, index)


def apply_checked(project: Project, pending: PendingCheck, checked: CheckedClaims) -> list[str]:
    """Put the checked claims in place of the unchecked ones; the ids that changed.

    A claim the app replaced since the unchecked load (a write, a reload) keeps
    its newer record: it was read from its file later than the check's.
    """
    return _put_in_place(project, pending.claims, checked)


def _put_in_place(
    project: Project, before: dict[str, ClaimRecord], checked: CheckedClaims
) -> list[str]:
    """`checked` in place of the claims `before` (as the project had them then), with
    its problems and index; the ids that changed.  A claim the app replaced, removed
    or added since `before` keeps the app's version, in the order a load gives."""
    current = project.claims
    changed: list[str] = []
    came_or_went = False
    for claim_id, record in checked.claims.items():
        now = current.get(claim_id)
        if now is not before.get(claim_id):
            continue  # the app replaced, removed or added it meanwhile: its copy is newer
        if now is not record:
            came_or_went = came_or_went or now is None
            current[claim_id] = record
            changed.append(claim_id)
    for claim_id, record in before.items():
        if claim_id not in checked.claims and current.get(claim_id) is record:
            del current[claim_id]
            changed.append(claim_id)
            came_or_went = True
    if came_or_went:  # in the order a load gives (by path), then what the app added
        ordered = {key: current[key] for key in checked.claims if key in current}
        ordered.update(current)
        current.clear()
        current.update(ordered)
    if changed:
        project.forget_relations()
    project.problems[:] = checked.problems
    if checked.index is not None:
        project.load_index = checked.index
    return changed


def load_claims(
    paths: Sequence[str], progress: Callable[[int, int], None] | None = None
) -> tuple[list[ClaimRecord], list[Problem]]:
    """Read and validate each claim file (no index): records, and the files' problems;
    `progress` is told how many are read, of how many, before each."""
    records: list[ClaimRecord] = []
    problems: list[Problem] = []
    for done, path in enumerate(paths):
        if progress is not None:
            progress(done, len(paths))
        document = read_document(path)
        claim, found = validate_document(document, Claim)
        problems.extend(found)
        if claim is not None:
            records.append(ClaimRecord(claim, path, document.fingerprint))
    return records, problems


def index_claims(records: list[ClaimRecord]) -> tuple[dict[str, ClaimRecord], list[Problem]]:
    """Claims by id; the first file (by path) with an id wins, later ones are problems.

    `records` come in path order, as both loaders give them (the file list is
    sorted).  Without a duplicate, which is the rule, the dict is built in one go.
    """
    ids = [record.id for record in records]
    claims: dict[str, ClaimRecord] = dict(zip(ids, records, strict=True))
    problems: list[Problem] = []
    if len(claims) == len(records):
        return claims, problems
    claims.clear()
    for record in records:
        claim_id = record.id
        if claim_id in claims:
            first = claims[claim_id].path
            line = line_of(record.path, ("id",))
            message = (
                f"duplicate id `{claim_id}`: {first.name} already uses it; "
                "give this claim a new id and rename the file to match"
            )
            problems.append(Problem(record.path, line, 1, "WB201", message))
            continue
        claims[claim_id] = record
    return claims, problems


def load_sources(
    folder: Path, *, texts: bool = True
) -> tuple[dict[str, SourceRecord], list[Problem]]:
    """Source metadata files and their texts (empty, unread, without `texts`); a text
    must sit beside its metadata."""
    sources: dict[str, SourceRecord] = {}
    problems: list[Problem] = []
    if not folder.is_dir():
        return sources, problems
    for path in sorted(folder.glob("*.toml")):
        document = read_document(path)
        source, found = validate_document(document, Source)
        problems.extend(found)
        if source is None:
            continue
        if source.id in sources:
            message = (
                f"duplicate source id `{source.id}`: {sources[source.id].path.name} "
                "already uses it; give this source a new id"
            )
            problems.append(Problem(path, line_of(path, ("id",)), 1, "WB201", message))
            continue
        if not texts:
            sources[source.id] = SourceRecord(source, path, "", document.fingerprint)
            continue
        text_path = source_text_path(path, source)
        text = _read_source_text(text_path, folder)
        if text is None:
            message = (
                f"source text `{source.file}` is not a readable UTF-8 text file "
                f"(under {MAX_SOURCE_TEXT_BYTES // 1_000_000} MB) in {folder.name}/: "
                "put the article text beside this file or correct `file`"
            )
            problems.append(Problem(path, line_of(path, ("file",)), 1, "WB701", message))
            text = ""
        sources[source.id] = SourceRecord(source, path, text, document.fingerprint)
    return sources, problems


MAX_SOURCE_TEXT_BYTES = 10_000_000
"""An article is tens of kilobytes; ten megabytes is the wrong file."""


def _read_source_text(path: Path, folder: Path) -> str | None:
    try:
        resolved = path.resolve()
        if not resolved.is_relative_to(folder.resolve()) or not resolved.is_file():
            return None
        if resolved.stat().st_size > MAX_SOURCE_TEXT_BYTES:
            return None
        text = resolved.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    if "\x00" in text:
        return None  # NUL is valid UTF-8, but no article holds it: a binary file
    return nfc(text)
