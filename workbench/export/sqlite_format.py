"""The `sqlite` export: the claims as tables, for Datasette or any SQL tool.

Tables (`PRAGMA user_version` is the export schema version):

- `meta(key, value)`: `schema_version`, `project` (the project name) and
  `selection` (the filters, as JSON);
- `statuses(name, position, meaning, verified, rating, rating_name)`: the
  status vocabulary of `workbench.toml`;
- `sources(id, ...)`: every source a selected claim names.  A claim that names
  a source the project lacks (a `workbench check` error) still gets a row here
  with only its id, so `claims.source_id` always references a row;
- `claims(id, ..., status -> statuses.name, source_id -> sources.id)`, with
  the verdict columns `verified`, `reviewed_at` and `reviewer` (from the
  history entry that set the current status), the source selector (`quote`,
  `prefix`, `suffix`) and, for searching, `notes` (the review notes) and
  `evidence_text` (each evidence entry's citation and what it shows);
- `claims_fts`: full-text search (FTS5, trigrams) over statement, quote,
  attribution, notes and evidence; Datasette's search box uses it;
- views `verified_claims` (with their source) and `confirmed_contradictions`
  (recorded `contradicts` relations, once per pair, with both statements);
- `quantities(claim_id -> claims.id, ...)`: at most one per claim;
- `evidence`, `relations`, `review_history` and `dismissals`: one row per
  entry, keyed by `(claim_id, position)`, `position` counting from 0 in file
  order.

Relations and dismissals that point at a claim outside the export (not
selected, or unknown) keep the target's id in `other_ref` and have
`other_id = NULL`; `other_id` is a foreign key to `claims.id` set only when the
target was exported.  So every foreign key holds (`PRAGMA foreign_key_check`
is empty) and no relation is lost: join on `other_id` to stay inside the
export, read `other_ref` to see everything.

Booleans are 0/1, dates ISO 8601 text, times UTC ISO 8601 text with `Z`.
Indexes cover `claims.status`, `topic`, `stance` and `source_id`,
`relations.other_id`, `dismissals.other_id` and `review_history.to_status`.

The database is built in a temporary file beside the target and renamed over
it, so a re-export replaces the file atomically.  It is deterministic: rows go
in sorted, and nothing records when the export ran, so the same data (and the
same SQLite library) gives the same bytes.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from workbench.export import SCHEMA_VERSION, ExportContext, atomic_path, utc_text, verdict_entry

if TYPE_CHECKING:
    from workbench.project import Project

TABLES = """
CREATE TABLE meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
CREATE TABLE statuses (
    name TEXT PRIMARY KEY,
    position INTEGER NOT NULL,
    meaning TEXT NOT NULL,
    verified INTEGER NOT NULL,
    rating INTEGER,
    rating_name TEXT NOT NULL
);
CREATE TABLE sources (
    id TEXT PRIMARY KEY,
    title TEXT,
    outlet TEXT,
    author TEXT,
    published TEXT,
    date_inferred TEXT,
    language TEXT,
    view TEXT,
    relays TEXT,
    url TEXT,
    summary TEXT,
    file TEXT
);
CREATE TABLE claims (
    id TEXT PRIMARY KEY,
    statement TEXT NOT NULL,
    topic TEXT NOT NULL,
    stance TEXT NOT NULL,
    attributed_to TEXT NOT NULL,
    status TEXT NOT NULL REFERENCES statuses (name),
    verified INTEGER NOT NULL,
    recheck TEXT,
    source_id TEXT NOT NULL REFERENCES sources (id),
    quote TEXT NOT NULL,
    prefix TEXT NOT NULL,
    suffix TEXT NOT NULL,
    reviewed_at TEXT,
    reviewer TEXT,
    notes TEXT NOT NULL,
    evidence_text TEXT NOT NULL
);
CREATE TABLE quantities (
    claim_id TEXT PRIMARY KEY REFERENCES claims (id),
    subject TEXT NOT NULL,
    value REAL,
    low REAL,
    high REAL,
    unit TEXT NOT NULL,
    period TEXT NOT NULL,
    scope TEXT NOT NULL,
    approximate INTEGER NOT NULL,
    bound TEXT CHECK (bound IN ('upper', 'lower'))
) WITHOUT ROWID;
CREATE TABLE evidence (
    claim_id TEXT NOT NULL REFERENCES claims (id),
    position INTEGER NOT NULL,
    citation TEXT NOT NULL,
    url TEXT NOT NULL,
    shows TEXT NOT NULL,
    stance TEXT NOT NULL,
    PRIMARY KEY (claim_id, position)
) WITHOUT ROWID;
CREATE TABLE relations (
    claim_id TEXT NOT NULL REFERENCES claims (id),
    position INTEGER NOT NULL,
    kind TEXT NOT NULL,
    other_id TEXT REFERENCES claims (id),
    other_ref TEXT NOT NULL,
    note TEXT NOT NULL,
    reviewer TEXT NOT NULL,
    at TEXT,
    PRIMARY KEY (claim_id, position)
) WITHOUT ROWID;
CREATE TABLE review_history (
    claim_id TEXT NOT NULL REFERENCES claims (id),
    position INTEGER NOT NULL,
    at TEXT NOT NULL,
    reviewer TEXT NOT NULL,
    from_status TEXT NOT NULL REFERENCES statuses (name),
    to_status TEXT NOT NULL REFERENCES statuses (name),
    note TEXT NOT NULL,
    PRIMARY KEY (claim_id, position)
) WITHOUT ROWID;
CREATE TABLE dismissals (
    claim_id TEXT NOT NULL REFERENCES claims (id),
    position INTEGER NOT NULL,
    other_id TEXT REFERENCES claims (id),
    other_ref TEXT NOT NULL,
    kind TEXT NOT NULL,
    note TEXT NOT NULL,
    reviewer TEXT NOT NULL,
    at TEXT,
    PRIMARY KEY (claim_id, position)
) WITHOUT ROWID;
"""

INDEXES = """
CREATE INDEX claims_status ON claims (status);
CREATE INDEX claims_topic ON claims (topic);
CREATE INDEX claims_stance ON claims (stance);
CREATE INDEX claims_source_id ON claims (source_id);
CREATE INDEX relations_other_id ON relations (other_id);
CREATE INDEX dismissals_other_id ON dismissals (other_id);
CREATE INDEX review_history_to_status ON review_history (to_status);
"""

SEARCH = """
CREATE VIRTUAL TABLE claims_fts USING fts5 (
    statement, quote, attributed_to, notes, evidence_text,
    content="claims", tokenize="trigram"
);
INSERT INTO claims_fts (claims_fts) VALUES ('rebuild');
"""
"""Full-text search over statements, quotes, attributions, review notes and
evidence.  Trigrams, because Korean attaches particles to words (딥시크는,
딥시크가): a search finds any run of three or more characters, in any language.
`content="claims"` is how Datasette finds the index for `?_search=`."""

VIEWS = """
CREATE VIEW verified_claims AS
SELECT claims.id, claims.statement, claims.topic, claims.stance, claims.status,
       claims.reviewed_at, claims.reviewer, claims.quote, claims.attributed_to,
       sources.id AS source_id, sources.title AS source_title, sources.outlet,
       sources.published, sources.url AS source_url
FROM claims JOIN sources ON sources.id = claims.source_id
WHERE claims.verified = 1;
CREATE VIEW confirmed_contradictions AS
SELECT relations.claim_id, first.statement AS claim_statement,
       first.source_id AS claim_source, relations.other_id,
       second.statement AS other_statement, second.source_id AS other_source,
       relations.note
FROM relations
JOIN claims AS first ON first.id = relations.claim_id
JOIN claims AS second ON second.id = relations.other_id
WHERE relations.kind = 'contradicts' AND relations.claim_id < relations.other_id;
"""
"""`confirmed_contradictions`: the contradictions a reviewer recorded (not the
engine's suggestions), once per pair, with both statements and sources."""

_BATCH = 5_000
CACHE_KIB = 256 * 1024
"""Page cache while building (KiB): enough to keep a 100,000-claim database in memory,
so each page is written once; SQLite allocates it only as the database grows."""


def _insert(connection: sqlite3.Connection, table: str, rows: Iterable[tuple[Any, ...]]) -> None:
    batch = list(rows)
    if not batch:
        return
    marks = ", ".join("?" * len(batch[0]))
    connection.executemany(f"INSERT INTO {table} VALUES ({marks})", batch)


def write_sqlite(context: ExportContext, path: Path) -> int:
    """Build the database beside `path` and rename it over `path`; returns the claim count."""
    with atomic_path(path) as temporary:
        connection = sqlite3.connect(temporary, isolation_level=None)
        try:
            _build(connection, context)
        finally:
            connection.close()
    return len(context.claims)


def _build(connection: sqlite3.Connection, context: ExportContext) -> None:
    project = context.project
    settings = project.settings
    connection.execute("PRAGMA journal_mode = OFF")
    connection.execute("PRAGMA synchronous = OFF")
    connection.execute("PRAGMA locking_mode = EXCLUSIVE")
    connection.execute("PRAGMA temp_store = MEMORY")
    connection.execute(f"PRAGMA cache_size = -{CACHE_KIB}")
    connection.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
    connection.execute("BEGIN")
    _script(connection, TABLES)
    selection = json.dumps(context.selection.describe(project), ensure_ascii=False, sort_keys=True)
    _insert(
        connection,
        "meta",
        [
            ("project", settings.name),
            ("schema_version", str(SCHEMA_VERSION)),
            ("selection", selection),
        ],
    )
    _insert(connection, "statuses", _status_rows(context))
    known = {source.id: source for source in context.sources}
    source_rows: list[tuple[Any, ...]] = []
    for source_id in sorted({claim.source.id for claim in context.claims}):
        source = known.get(source_id)
        if source is None:
            source_rows.append((source_id, *([None] * 11)))
            continue
        source_rows.append(
            (
                source.id,
                source.title,
                source.outlet,
                source.author,
                source.published.isoformat(),
                source.date_inferred,
                source.language,
                source.view,
                json.dumps(source.relays, ensure_ascii=False),
                source.url,
                source.summary,
                source.file,
            )
        )
    _insert(connection, "sources", source_rows)
    _claims(connection, context)
    _script(connection, INDEXES)
    _script(connection, SEARCH)
    _script(connection, VIEWS)
    connection.execute("COMMIT")


def _status_rows(context: ExportContext) -> list[tuple[Any, ...]]:
    """The vocabulary's statuses, then any a claim uses that `workbench.toml` lacks
    (a `workbench check` error), so that every status foreign key holds."""
    settings = context.project.settings
    rows: list[tuple[Any, ...]] = [
        (name, position, info.meaning, int(info.verified), info.rating, info.rating_name)
        for position, (name, info) in enumerate(settings.statuses.items())
    ]
    used = {claim.status for claim in context.claims}
    for claim in context.claims:
        for step in claim.history:
            used.update((step.from_status, step.to_status))
    unknown = sorted(used - set(settings.statuses))
    rows.extend(
        (name, len(rows) + offset, "not in workbench.toml", 0, None, "")
        for offset, name in enumerate(unknown)
    )
    return rows


def _script(connection: sqlite3.Connection, script: str) -> None:
    for statement in script.split(";"):
        if statement.strip():
            connection.execute(statement)


def _claims(connection: sqlite3.Connection, context: ExportContext) -> None:
    verified = context.project.settings.verified_statuses
    exported = context.exported_ids
    progress = context.progress
    claims: list[tuple[Any, ...]] = []
    quantities: list[tuple[Any, ...]] = []
    evidence: list[tuple[Any, ...]] = []
    relations: list[tuple[Any, ...]] = []
    history: list[tuple[Any, ...]] = []
    dismissals: list[tuple[Any, ...]] = []

    def flush() -> None:
        for table, rows in (
            ("claims", claims),
            ("quantities", quantities),
            ("evidence", evidence),
            ("relations", relations),
            ("review_history", history),
            ("dismissals", dismissals),
        ):
            _insert(connection, table, rows)
            rows.clear()

    for claim in context.claims:
        entry = verdict_entry(claim) if claim.history else None
        claim_id = claim.id
        ref = claim.source
        claims.append(
            (
                claim_id,
                claim.statement,
                claim.topic,
                claim.stance,
                claim.attributed_to,
                claim.status,
                int(claim.status in verified),
                claim.recheck.isoformat() if claim.recheck else None,
                ref.id,
                ref.quote,
                ref.prefix,
                ref.suffix,
                utc_text(entry.at) if entry else None,
                entry.reviewer if entry else None,
                "\n".join(step.note for step in claim.history if step.note),
                "\n".join(f"{item.citation}: {item.shows}" for item in claim.evidence),
            )
        )
        quantity = claim.quantity
        if quantity is not None:
            quantities.append(
                (
                    claim_id,
                    quantity.subject,
                    quantity.value,
                    quantity.low,
                    quantity.high,
                    quantity.unit,
                    quantity.period,
                    quantity.scope,
                    int(quantity.approximate),
                    quantity.bound,
                )
            )
        for position, item in enumerate(claim.evidence):
            evidence.append((claim_id, position, item.citation, item.url, item.shows, item.stance))
        for position, relation in enumerate(claim.relations):
            target = relation.claim
            relations.append(
                (
                    claim_id,
                    position,
                    relation.kind,
                    target if target in exported else None,
                    target,
                    relation.note,
                    relation.reviewer,
                    utc_text(relation.at) if relation.at else None,
                )
            )
        for position, step in enumerate(claim.history):
            history.append(
                (
                    claim_id,
                    position,
                    utc_text(step.at),
                    step.reviewer,
                    step.from_status,
                    step.to_status,
                    step.note,
                )
            )
        for position, dismissal in enumerate(claim.dismissed):
            target = dismissal.claim
            dismissals.append(
                (
                    claim_id,
                    position,
                    target if target in exported else None,
                    target,
                    dismissal.kind,
                    dismissal.note,
                    dismissal.reviewer,
                    utc_text(dismissal.at) if dismissal.at else None,
                )
            )
        progress.advance()
        if len(claims) >= _BATCH:
            flush()
    flush()


# --------------------------------------------------------------------------- Datasette


def datasette_metadata(project: Project, database: str) -> dict[str, Any]:
    """Datasette metadata for an exported database named `database` (its file stem):
    titles, descriptions, facets, labels and the full-text search of `claims`."""
    settings = project.settings
    statuses = ", ".join(settings.statuses)
    tables: dict[str, Any] = {
        "claims": {
            "description": (
                f"One row per claim. Statuses: {statuses}. Search covers statements, "
                "quotes, attributions, review notes and evidence (three characters or more)."
            ),
            "label_column": "statement",
            "sort": "id",
            "facets": ["status", "topic", "stance", "source_id", "verified"],
            "fts_table": "claims_fts",
            "columns": {
                "statement": "The claim, in English.",
                "quote": "The exact words of the source the claim rests on.",
                "verified": "1 when the status counts as verified in workbench.toml.",
                "reviewed_at": "When the current status was set (UTC).",
                "notes": "Every review note, one a line (for search).",
                "evidence_text": "Each evidence entry as 'citation: what it shows'.",
            },
        },
        "sources": {
            "description": "The articles the claims come from.",
            "label_column": "title",
            "facets": ["outlet", "view", "language"],
        },
        "statuses": {
            "description": "The review vocabulary of workbench.toml.",
            "label_column": "name",
            "sort": "position",
        },
        "evidence": {
            "description": "Evidence a reviewer found, and what it says.",
            "facets": ["stance"],
        },
        "relations": {
            "description": "Recorded links between claims (other_ref when outside the export).",
            "facets": ["kind"],
        },
        "review_history": {
            "description": "The append-only review history: every status change and note.",
            "facets": ["reviewer", "to_status"],
        },
        "dismissals": {
            "description": "Candidate pairs a reviewer rejected.",
            "facets": ["kind"],
        },
        "quantities": {"description": "The figure a claim states, where it states one."},
        "verified_claims": {"description": "Verified claims with their source."},
        "confirmed_contradictions": {
            "description": "Contradictions a reviewer recorded, once per pair."
        },
    }
    return {
        "title": settings.name,
        "description": "Claims, their sources and their review, exported by workbench.",
        "databases": {database: {"tables": tables}},
    }


def write_datasette_metadata(project: Project, database_path: Path, path: Path) -> None:
    """Write `datasette_metadata` as JSON to `path`, atomically."""
    document = datasette_metadata(project, database_path.stem)
    text = json.dumps(document, indent=2, ensure_ascii=False) + "\n"
    with atomic_path(path) as temporary:
        temporary.write_text(text, encoding="utf-8")
