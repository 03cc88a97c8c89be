"""`workbench export`: every format validated, deterministic, atomic; bad arguments exit 2."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from workbench.checks import check_project
from workbench.cli import main
from workbench.commands.export import FORMAT_CHOICES
from workbench.export import (
    FORMATS,
    ExportError,
    Selection,
    export_claims,
    select_claims,
    verdict_entry,
)
from workbench.export.csv_format import COLUMNS, safe_cell
from workbench.export.json_format import SCHEMA_PATH, schema_text
from workbench.export.progress import Progress
from workbench.models import Claim
from workbench.project import Project, load_project
from workbench.storage import create_claim

from .conftest import REPO, ProjectFactory

FDI_QUOTE = "외국인 직접투자(FDI)는 330억달러(약 45조원) 규모로"
COST_QUOTE = "딥시크는 560만달러로 모델을 훈련했다고"
LAG_QUOTE = "중국은 미국에 뒤처져 있다"


def _entry(at: str, before: str, after: str, note: str = "") -> dict[str, str]:
    return {"at": at, "reviewer": "Kim", "from": before, "to": after, "note": note}


def _claims() -> list[dict[str, Any]]:
    return [
        {
            "id": "cost",
            "statement": "DeepSeek said it trained its model for $5.6 million.",
            "topic": "cost",
            "stance": "catching-up",
            "attributed_to": "DeepSeek",
            "status": "verified",
            "source": {"id": "test-source", "quote": COST_QUOTE},
            "quantity": {"subject": "deepseek v3 training cost", "value": 5_600_000, "unit": "USD"},
            "evidence": [
                {
                    "citation": "DeepSeek-V3 Technical Report",
                    "url": "https://arxiv.org/abs/2412.19437",
                    "shows": "The final run cost $5.576M.",
                    "stance": "supports",
                }
            ],
            "relations": [
                {"kind": "supports", "claim": "fdi", "note": "both about money"},
                {"kind": "updates", "claim": "lag"},
            ],
            "history": [
                _entry("2025-03-01T09:00:00Z", "unreviewed", "verified", "matches the report"),
                _entry("2025-03-05T10:00:00Z", "verified", "verified", "a later note"),
            ],
        },
        {
            "id": "fdi",
            "statement": "Foreign direct investment into China in 2023 was $33 billion.",
            "topic": "funding",
            "stance": "lagging",
            "status": "false",
            "recheck": "2026-01-01",
            "source": {"id": "test-source", "quote": FDI_QUOTE},
            "quantity": {
                "subject": "foreign direct investment into china",
                "value": 33_000_000_000,
                "unit": "USD",
                "period": "2023",
            },
            "relations": [{"kind": "supports", "claim": "cost"}],
            "history": [_entry("2025-02-10T23:30:00Z", "unreviewed", "false")],
        },
        {
            "id": "lag",
            "statement": '=HYPERLINK("http://evil.example", "China lags")',
            "topic": "race",
            "stance": "lagging",
            "attributed_to": "@SUM(1+1)",
            "status": "unreviewed",
            "source": {"id": "test-source", "quote": LAG_QUOTE, "prefix": "줄었다."},
        },
        {
            "id": "range",
            "statement": "-2 or +3: an unverifiable forecast of 5,000-6,000 GPUs.",
            "topic": "race",
            "stance": "neutral",
            "status": "unverifiable",
            "source": {"id": "test-source", "quote": LAG_QUOTE, "suffix": "반복되는 문장."},
            "quantity": {"subject": "gpus", "low": 5000, "high": 6000, "unit": "items"},
            "history": [_entry("2025-04-01T00:00:00Z", "unreviewed", "unverifiable")],
        },
    ]


CONFIG_EXTRA = """
[statuses.unverifiable]
meaning = "Cannot be checked."
key = "5"
rating_name = "Unverifiable"

[claimreview]
organization = "Test Fact Desk"
organization_url = "https://factdesk.news"
review_url = "https://factdesk.news/claims/{id}"
best_rating = 5
worst_rating = 1
"""


@pytest.fixture
def project_root(make_project: ProjectFactory) -> Path:
    root = make_project()
    config = (root / "workbench.toml").read_text(encoding="utf-8")
    config = config.replace('key = "1"\n', 'key = "1"\nrating = 5\nrating_name = "True"\n').replace(
        'key = "4"\n', 'key = "4"\nrating = 1\nrating_name = "False"\n'
    )
    (root / "workbench.toml").write_text(config + CONFIG_EXTRA, encoding="utf-8")
    for data in _claims():
        create_claim(root / "claims", Claim.model_validate(data))
    return root


@pytest.fixture
def project(project_root: Path) -> Project:
    loaded = load_project(project_root)
    assert loaded.problems == []
    return loaded


def _text(
    project: Project, format: str, selection: Selection | None = None, *, draft: bool = False
) -> str:
    buffer = io.StringIO()
    export_claims(project, selection, format, buffer, draft=draft)
    return buffer.getvalue()


def _schema() -> dict[str, Any]:
    schema: dict[str, Any] = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    return schema


# --------------------------------------------------------------------------- json / jsonl


def test_committed_export_schema_matches_the_generator() -> None:
    assert SCHEMA_PATH.read_text(encoding="utf-8") == schema_text(), (
        "workbench/schemas/export-v1.json is out of date: "
        "run `python -m workbench.export.json_format`"
    )


def test_json_export_validates_against_its_schema_and_keeps_every_field(project: Project) -> None:
    document = json.loads(_text(project, "json"))
    jsonschema.validate(document, _schema())
    assert document["schema_version"] == 1
    assert [claim["id"] for claim in document["claims"]] == ["cost", "fdi", "lag", "range"]
    assert [source["id"] for source in document["sources"]] == ["test-source"]
    cost = document["claims"][0]
    assert set(cost) == set(Claim.model_fields)  # every field, defaults included
    assert cost["history"][0] == {
        "at": "2025-03-01T09:00:00Z",
        "reviewer": "Kim",
        "from": "unreviewed",
        "to": "verified",
        "note": "matches the report",
    }
    assert cost["quantity"]["value"] == 5_600_000
    assert document["claims"][1]["recheck"] == "2026-01-01"
    assert document["project"]["statuses"]["verified"]["verified"] is True
    assert document["selection"]["statuses"] is None


def test_json_schema_rejects_a_wrong_document(project: Project) -> None:
    document = json.loads(_text(project, "json"))
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({**document, "schema_version": 2}, _schema())
    document["claims"][0]["colour"] = "red"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(document, _schema())


def test_jsonl_lines_validate_and_match_the_json_export(project: Project) -> None:
    schema = _schema()
    line_schema = {"$defs": schema["$defs"], "$ref": "#/$defs/ExportLine"}
    lines = [json.loads(line) for line in _text(project, "jsonl").splitlines()]
    for line in lines:
        jsonschema.validate(line, line_schema)
    assert lines[0]["type"] == "header" and lines[0]["schema_version"] == 1
    assert [line["type"] for line in lines[1:]] == ["source", "claim", "claim", "claim", "claim"]
    document = json.loads(_text(project, "json"))
    assert [line["claim"] for line in lines[2:]] == document["claims"]
    assert lines[1]["source"] == document["sources"][0]


def test_the_repository_data_exports_valid_json_and_claimreview() -> None:
    project = load_project(REPO)
    if not project.claims:
        pytest.skip("no bundled claims yet")
    jsonschema.validate(json.loads(_text(project, "json")), _schema())
    buffer = io.StringIO()
    export_claims(project, None, "claimreview", buffer, draft=True)  # a placeholder site
    for review in json.loads(buffer.getvalue()):
        _check_claim_review(review)
    with pytest.raises(ExportError, match="placeholder domain"):
        _text(project, "claimreview")


# --------------------------------------------------------------------------- csv


def _csv_rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text, newline="")))


def test_csv_reads_back_with_a_bom_and_one_flat_row_per_claim(
    project: Project, tmp_path: Path
) -> None:
    path = tmp_path / "claims.csv"
    export_claims(project, None, "csv", path)
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf"), "Excel needs the UTF-8 BOM to read Korean"
    assert b"\r\n" in data
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        assert tuple(reader.fieldnames or ()) == COLUMNS
        rows = {row["id"]: row for row in reader}
    assert list(rows) == ["cost", "fdi", "lag", "range"]
    cost, fdi, ranged = rows["cost"], rows["fdi"], rows["range"]
    assert cost["quote"] == COST_QUOTE
    assert cost["quantity_value"] == "5600000"
    assert fdi["quantity_value"] == "33000000000"
    assert fdi["quantity_period"] == "2023"
    assert (ranged["quantity_low"], ranged["quantity_high"]) == ("5000", "6000")
    assert cost["verified"] == "true" and fdi["verified"] == "false"
    assert cost["evidence_count"] == "1" and cost["evidence_supports"] == "1"
    assert cost["relations"] == "supports:fdi;updates:lag"
    # The verdict is the entry that set the status, not the later note.
    assert cost["reviewed_at"] == "2025-03-01T09:00:00Z"
    assert cost["review_note"] == "matches the report"
    assert fdi["source_published"] == "2025-02-24"
    assert fdi["recheck"] == "2026-01-01"


def test_csv_neutralises_formulas_the_owasp_way(project: Project) -> None:
    rows = {row["id"]: row for row in _csv_rows(_text(project, "csv"))}
    assert rows["lag"]["statement"] == '\'=HYPERLINK("http://evil.example", "China lags")'
    assert rows["lag"]["attributed_to"] == "'@SUM(1+1)"
    assert rows["range"]["statement"].startswith("'-2 or +3")
    for cell in ("=1+1", "+1", "-1", "@x", "\tx", "\rx", "\uff1dx"):
        assert safe_cell(cell) == "'" + cell
    assert safe_cell("plain text") == "plain text"
    assert safe_cell("딥시크") == "딥시크"


def test_csv_quotes_every_field_so_separators_stay_in_their_cell(project: Project) -> None:
    text = _text(project, "csv")
    assert text.startswith('"id","statement","status",')
    assert '"lag","\'=HYPERLINK(""http://evil.example"", ""China lags"")","unreviewed",' in text
    assert all(line.startswith('"') for line in text.splitlines())


# --------------------------------------------------------------------------- claimreview

# Google's fact-check markup documentation lists these properties:
# https://developers.google.com/search/docs/appearance/structured-data/factcheck
# ("Structured data type definitions": ClaimReview, Claim, Rating).
GOOGLE_CLAIMREVIEW_REQUIRED = ("claimReviewed", "reviewRating", "url")
GOOGLE_CLAIMREVIEW_RECOMMENDED = ("author", "datePublished", "itemReviewed")
GOOGLE_CLAIM_RECOMMENDED = ("appearance", "author", "datePublished")  # or firstAppearance
GOOGLE_RATING_REQUIRED = ("alternateName",)
GOOGLE_RATING_RECOMMENDED_WHEN_NUMERIC = ("bestRating", "ratingValue", "worstRating")
GOOGLE_AUTHOR_PROPERTIES = ("name",)  # Organization or Person; `url` recommended


def _iso_date(value: str) -> dt.date:
    return dt.date.fromisoformat(value)  # raises for anything but YYYY-MM-DD


def _check_claim_review(review: dict[str, Any]) -> None:
    assert review["@context"] == "https://schema.org"
    assert review["@type"] == "ClaimReview"
    for key in (*GOOGLE_CLAIMREVIEW_REQUIRED, *GOOGLE_CLAIMREVIEW_RECOMMENDED):
        assert review.get(key), f"ClaimReview lacks {key}"
    assert review["url"].startswith("https://")
    _iso_date(review["datePublished"])
    author = review["author"]
    assert author["@type"] in {"Organization", "Person"}
    for key in GOOGLE_AUTHOR_PROPERTIES:
        assert author[key]
    rating = review["reviewRating"]
    assert rating["@type"] == "Rating"
    for key in GOOGLE_RATING_REQUIRED:
        assert rating[key]
    if "ratingValue" in rating:
        for key in GOOGLE_RATING_RECOMMENDED_WHEN_NUMERIC:
            assert isinstance(rating[key], int)
        assert rating["worstRating"] <= rating["ratingValue"] <= rating["bestRating"]
    item = review["itemReviewed"]
    assert item["@type"] == "Claim"
    for key in GOOGLE_CLAIM_RECOMMENDED:
        assert item.get(key), f"Claim lacks {key}"
    assert item["author"]["@type"] in {"Organization", "Person"} and item["author"]["name"]
    _iso_date(item["datePublished"])
    appearance = item["appearance"]
    assert appearance["@type"] == "CreativeWork"
    assert appearance.get("url") or (appearance["headline"] and appearance["publisher"]["name"])


def test_claimreview_has_every_required_and_recommended_field(project: Project) -> None:
    reviews = json.loads(_text(project, "claimreview"))
    for review in reviews:
        _check_claim_review(review)
    # The unreviewed claim is not a review.
    assert [review["url"].rsplit("/", 1)[1] for review in reviews] == ["cost", "fdi", "range"]
    cost, fdi, ranged = reviews
    assert cost["claimReviewed"] == "DeepSeek said it trained its model for $5.6 million."
    assert cost["datePublished"] == "2025-03-01"  # the verdict, not the later note
    assert cost["reviewRating"] == {
        "@type": "Rating",
        "ratingValue": 5,
        "bestRating": 5,
        "worstRating": 1,
        "alternateName": "True",
        "name": "True",
        "ratingExplanation": "matches the report",
    }
    assert cost["author"] == {
        "@type": "Organization",
        "name": "Test Fact Desk",
        "url": "https://factdesk.news",
    }
    assert cost["itemReviewed"]["author"]["name"] == "DeepSeek"
    assert cost["itemReviewed"]["datePublished"] == "2025-02-24"
    assert fdi["itemReviewed"]["author"]["name"] == "Test Daily"  # no attributed_to: the outlet
    assert fdi["datePublished"] == "2025-02-10"  # UTC date of 23:30Z
    assert fdi["reviewRating"]["ratingValue"] == 1
    # A status without a numeric rating still has its name, and no number.
    assert ranged["reviewRating"] == {
        "@type": "Rating",
        "alternateName": "Unverifiable",
        "name": "Unverifiable",
    }


def test_claimreview_appearance_uses_the_source_url_when_there_is_one(
    project_root: Path,
) -> None:
    source = project_root / "seeds" / "000_test.toml"
    source.write_text(
        source.read_text(encoding="utf-8") + 'url = "https://news.example.kr/1"\n', "utf-8"
    )
    reviews = json.loads(_text(load_project(project_root), "claimreview"))
    assert reviews[0]["itemReviewed"]["appearance"]["url"] == "https://news.example.kr/1"


def test_claimreview_needs_a_publisher_and_a_url_pattern(project_root: Path) -> None:
    config = project_root / "workbench.toml"
    text = config.read_text(encoding="utf-8")
    config.write_text(text.replace("/claims/{id}", "/claims/"), encoding="utf-8")
    with pytest.raises(ExportError, match=r"\{id\}"):
        _text(load_project(project_root), "claimreview")
    config.write_text(text.replace('"Test Fact Desk"', '""'), encoding="utf-8")
    with pytest.raises(ExportError, match="organization"):
        _text(load_project(project_root), "claimreview")


@pytest.mark.parametrize(
    "review_url",
    ["not a url {id}", "factdesk.news/claims/{id}", "ftp://factdesk.news/{id}", "https:///{id}"],
)
def test_a_review_url_readers_cannot_follow_is_a_check_error_and_refused(
    project_root: Path, review_url: str
) -> None:
    config = project_root / "workbench.toml"
    text = config.read_text(encoding="utf-8")
    config.write_text(
        text.replace('"https://factdesk.news/claims/{id}"', json.dumps(review_url)), "utf-8"
    )
    project = load_project(project_root)
    (problem,) = [p for p in check_project(project) if p.code == "WB505"]
    assert problem.path == config
    assert (
        config.read_text(encoding="utf-8").splitlines()[problem.line - 1].startswith("review_url")
    )
    assert "absolute http(s) URL" in problem.message
    with pytest.raises(ExportError, match="absolute http"):
        _text(project, "claimreview", draft=True)


@pytest.mark.parametrize(
    "host",
    ["example.org", "facts.example.com", "desk.example.net", "my.site.example", "x.invalid",
     "localhost", "desk.test"],
)  # fmt: skip
def test_publishing_refuses_a_placeholder_domain_that_a_draft_allows(
    project_root: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], host: str
) -> None:
    config = project_root / "workbench.toml"
    text = config.read_text(encoding="utf-8")
    config.write_text(text.replace("factdesk.news/claims", f"{host}/claims"), "utf-8")
    project = load_project(project_root)
    assert [p for p in check_project(project) if p.code == "WB505"] == []
    with pytest.raises(ExportError, match="placeholder domain"):
        _text(project, "claimreview")
    assert json.loads(_text(project, "claimreview", draft=True))
    out = tmp_path / "reviews.jsonld"
    argv = ["export", "--root", str(project_root), "--format", "claimreview", "-o", str(out)]
    assert main(argv) == 2
    assert "placeholder domain" in capsys.readouterr().err
    assert not out.exists()
    assert main([*argv, "--draft"]) == 0


def test_claimreview_expires_on_the_recheck_date(project_root: Path) -> None:
    project = load_project(project_root)
    reviewed = [
        review["url"].rsplit("/", 1)[1] for review in json.loads(_text(project, "claimreview"))
    ]
    path = project.claims[reviewed[0]].path
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace('status = "', 'recheck = 2026-06-30\nstatus = "', 1), "utf-8")
    reviews = {
        review["url"].rsplit("/", 1)[1]: review
        for review in json.loads(_text(load_project(project_root), "claimreview"))
    }
    assert reviews[reviewed[0]]["expires"] == "2026-06-30"
    for other in reviewed[1:]:
        recheck = project.claim(other).recheck
        assert reviews[other].get("expires") == (recheck.isoformat() if recheck else None)


# --------------------------------------------------------------------------- sqlite


def _connect(path: Path) -> sqlite3.Connection:
    connection = sqlite3.connect(path)
    connection.execute("PRAGMA foreign_keys = ON")
    return connection


def test_sqlite_tables_keys_and_indexes(project: Project, tmp_path: Path) -> None:
    path = tmp_path / "claims.sqlite"
    export_claims(project, None, "sqlite", path)
    db = _connect(path)
    assert db.execute("PRAGMA foreign_key_check").fetchall() == []
    assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    assert db.execute("PRAGMA user_version").fetchone() == (1,)
    tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert {
        "sources",
        "claims",
        "quantities",
        "evidence",
        "relations",
        "review_history",
        "statuses",
        "meta",
    } <= tables
    indexes = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type='index'")}
    assert {"claims_status", "claims_topic", "claims_source_id"} <= indexes
    plan = db.execute("EXPLAIN QUERY PLAN SELECT id FROM claims WHERE status = 'false'").fetchall()
    assert "claims_status" in str(plan)
    assert db.execute("SELECT id FROM claims ORDER BY id").fetchall() == [
        ("cost",),
        ("fdi",),
        ("lag",),
        ("range",),
    ]
    # Joins across the keys.
    row = db.execute(
        "SELECT c.id, s.outlet, q.value, q.unit FROM claims c "
        "JOIN sources s ON s.id = c.source_id JOIN quantities q ON q.claim_id = c.id "
        "WHERE c.status = 'false'"
    ).fetchone()
    assert row == ("fdi", "Test Daily", 33_000_000_000, "USD")
    assert db.execute(
        "SELECT at, from_status, to_status FROM review_history WHERE claim_id = 'cost' "
        "ORDER BY position"
    ).fetchall() == [
        ("2025-03-01T09:00:00Z", "unreviewed", "verified"),
        ("2025-03-05T10:00:00Z", "verified", "verified"),
    ]
    assert db.execute("SELECT verified, reviewed_at FROM claims WHERE id = 'cost'").fetchone() == (
        1,
        "2025-03-01T09:00:00Z",
    )
    assert db.execute("SELECT count(*) FROM evidence").fetchone() == (1,)
    # The foreign keys are enforced: a claim with an unknown source is refused.
    with pytest.raises(sqlite3.IntegrityError):
        db.execute(
            "INSERT INTO claims (id, statement, topic, stance, attributed_to, status, verified, "
            "source_id, quote, prefix, suffix) VALUES ('x', 's', 't', 's', '', 'unreviewed', 0, "
            "'nowhere', 'q', '', '')"
        )


def test_sqlite_relations_outside_the_selection_keep_their_target_as_text(
    project: Project, tmp_path: Path
) -> None:
    path = tmp_path / "reviewed.sqlite"
    export_claims(project, Selection(statuses=["verified"]), "sqlite", path)
    db = _connect(path)
    assert db.execute("PRAGMA foreign_key_check").fetchall() == []
    assert db.execute(
        "SELECT kind, other_id, other_ref FROM relations WHERE claim_id = 'cost' ORDER BY position"
    ).fetchall() == [("supports", None, "fdi"), ("updates", None, "lag")]
    path_all = tmp_path / "all.sqlite"
    export_claims(project, None, "sqlite", path_all)
    assert _connect(path_all).execute(
        "SELECT other_id FROM relations WHERE claim_id = 'cost' ORDER BY position"
    ).fetchall() == [("fdi",), ("lag",)]


def test_sqlite_export_replaces_the_file_atomically(
    project: Project, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "out"
    folder.mkdir()
    path = folder / "claims.sqlite"
    path.write_bytes(b"an older export")

    def crash(*_: object) -> None:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr("workbench.export.sqlite_format._claims", crash)
    with pytest.raises(RuntimeError):
        export_claims(project, None, "sqlite", path)
    assert path.read_bytes() == b"an older export"  # a failed export leaves the old file
    assert [p.name for p in folder.iterdir()] == ["claims.sqlite"]
    monkeypatch.undo()
    export_claims(project, None, "sqlite", path)
    assert _connect(path).execute("SELECT count(*) FROM claims").fetchone() == (4,)
    assert [p.name for p in folder.iterdir()] == ["claims.sqlite"]


# --------------------------------------------------------------------------- determinism


@pytest.mark.parametrize("format", FORMATS)
def test_exports_are_deterministic(project_root: Path, tmp_path: Path, format: str) -> None:
    first, second = tmp_path / f"a.{format}", tmp_path / f"b.{format}"
    export_claims(load_project(project_root), None, format, first)
    # Touch every claim file: a different load, the same data.
    for path in (project_root / "claims").iterdir():
        os.utime(path, (1_000_000, 1_000_000))
    export_claims(load_project(project_root, use_cache=False), None, format, second)
    assert first.read_bytes() == second.read_bytes()


def test_stdout_gets_the_same_bytes_as_a_file(
    project_root: Path, tmp_path: Path, capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    path = tmp_path / "claims.csv"
    assert main(["export", "--root", str(project_root), "--format", "csv", "-o", str(path)]) == 0
    capsysbinary.readouterr()
    assert main(["export", "--root", str(project_root), "--format", "csv"]) == 0
    assert capsysbinary.readouterr().out == path.read_bytes()


# --------------------------------------------------------------------------- selection


def _ids(project: Project, **filters: Any) -> list[str]:
    return [claim.id for claim in select_claims(project, Selection(**filters))]


def test_selection_filters(project: Project) -> None:
    assert _ids(project) == ["cost", "fdi", "lag", "range"]
    assert _ids(project, verified=True) == ["cost"]
    assert _ids(project, statuses=["false"], verified=True) == ["cost", "fdi"]
    assert _ids(project, topics=["race"]) == ["lag", "range"]
    assert _ids(project, topics=["race"], stances=["lagging"]) == ["lag"]
    assert _ids(project, sources=["test-source"], statuses="false") == ["fdi"]
    # --since: the date of the verdict; the later note on `cost` does not count.
    assert _ids(project, since=dt.date(2025, 3, 1)) == ["cost", "range"]
    assert _ids(project, since=dt.date(2025, 3, 2)) == ["range"]
    assert _ids(project, since=dt.date(2025, 2, 10)) == ["cost", "fdi", "range"]


def test_verdict_entry_is_the_entry_that_set_the_status(project: Project) -> None:
    cost = project.claim("cost")
    entry = verdict_entry(cost)
    assert entry is not None and entry.note == "matches the report"
    assert verdict_entry(project.claim("lag")) is None
    reopened = cost.model_copy(update={"status": "unreviewed"})
    assert verdict_entry(reopened) is None
    # A status set outside the history has no verdict date.
    assert verdict_entry(cost.model_copy(update={"status": "false"})) is None


def test_selection_rejects_unknown_values_with_a_suggestion(project: Project) -> None:
    with pytest.raises(ExportError, match="did you mean `verified`"):
        select_claims(project, Selection(statuses=["verifed"]))
    with pytest.raises(ExportError, match="unknown topic `costs`; did you mean `cost`"):
        select_claims(project, Selection(topics=["costs"]))
    with pytest.raises(ExportError, match="unknown source"):
        select_claims(project, Selection(sources=["nowhere"]))


# --------------------------------------------------------------------------- CLI errors


def _one_line_exit_2(argv: list[str], capsys: pytest.CaptureFixture[str]) -> str:
    with_exit: int
    try:
        with_exit = main(argv)
    except SystemExit as exit_:  # argparse errors
        with_exit = int(exit_.code or 0)
    captured = capsys.readouterr()
    assert with_exit == 2, captured
    lines = captured.err.splitlines()
    assert len(lines) == 1, captured.err
    assert captured.out == ""
    return lines[0]


@pytest.mark.parametrize(
    ("extra", "expected"),
    [
        (["--format", "json", "--status", "verifed"], "did you mean `verified`?"),
        (["--format", "json", "--topic", "fundng"], "did you mean `funding`?"),
        (["--format", "json", "--stance", "lagin"], "did you mean `lagging`?"),
        (["--format", "json", "--source", "test-sorce"], "did you mean `test-source`?"),
        (["--format", "xml"], "invalid choice: 'xml'"),
        (["--format", "json", "--since", "yesterday"], "is not a date"),
        (["--format", "json", "-o", "/nonexistent/x.json"], "does not exist"),
        (["--format", "sqlite"], "sqlite cannot be written to standard output"),
        (["--format", "sqlite", "-o", "-"], "sqlite cannot be written to standard output"),
    ],
)
def test_bad_arguments_give_one_line_and_exit_2(
    project_root: Path, capsys: pytest.CaptureFixture[str], extra: list[str], expected: str
) -> None:
    line = _one_line_exit_2(["export", "--root", str(project_root), *extra], capsys)
    assert expected in line


def test_an_output_folder_or_read_only_file_is_refused(
    project_root: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    line = _one_line_exit_2(
        ["export", "--root", str(project_root), "--format", "csv", "-o", str(tmp_path)], capsys
    )
    assert "is a folder" in line
    if os.geteuid() != 0:  # root may write anywhere
        locked = tmp_path / "locked"
        locked.mkdir()
        locked.chmod(0o500)
        target = str(locked / "x.csv")
        line = _one_line_exit_2(
            ["export", "--root", str(project_root), "--format", "csv", "-o", target], capsys
        )
        assert "not writable" in line


def test_format_choices_are_the_exporters_formats() -> None:
    assert FORMAT_CHOICES == FORMATS


def test_export_to_a_file_reports_what_it_wrote(
    project_root: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "reviews.jsonld"
    argv = ["export", "--root", str(project_root), "--format", "claimreview", "-o", str(path)]
    assert main(argv) == 0
    err = capsys.readouterr().err
    assert "exported 3 review(s)" in err and "1 selected claim(s) have no verdict" in err
    assert len(json.loads(path.read_text(encoding="utf-8"))) == 3


# --------------------------------------------------------------------------- progress


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_draws_on_a_terminal_for_long_jobs_only() -> None:
    terminal = _Terminal()
    with Progress(5000, "export csv", stream=terminal) as bar:
        for _ in range(5000):
            bar.advance()
    drawn = terminal.getvalue()
    assert "\r" in drawn and "100% 5,000/5,000" in drawn and drawn.endswith("\n")
    assert drawn.count("\r") == 101  # redrawn once a percent, not once an item
    short = _Terminal()
    with Progress(100, "export csv", stream=short) as bar:
        bar.advance(100)
    assert short.getvalue() == ""
    pipe = io.StringIO()
    with Progress(5000, "export csv", stream=pipe) as bar:
        bar.advance(5000)
    assert pipe.getvalue() == ""


def test_export_shows_progress_on_a_terminal_and_none_in_a_pipe(
    project: Project, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("workbench.export.progress.THRESHOLD", 2)
    terminal = _Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    export_claims(project, None, "jsonl", tmp_path / "a.jsonl")
    assert "export jsonl [" in terminal.getvalue()
    pipe = io.StringIO()
    monkeypatch.setattr(sys, "stderr", pipe)
    export_claims(project, None, "jsonl", tmp_path / "b.jsonl")
    assert pipe.getvalue() == ""


def test_a_piped_export_writes_nothing_but_data(project_root: Path) -> None:
    argv = ["export", "--root", str(project_root), "--format", "jsonl"]
    result = subprocess.run(
        [sys.executable, "-m", "workbench", *argv],
        capture_output=True,
        check=False,
    )
    assert result.returncode == 0
    assert result.stderr == b""
    assert len(result.stdout.splitlines()) == 6


# --------------------------------------------------------------------------- API and example


EXAMPLE = REPO / "examples" / "export_verified.py"


def test_the_documented_example_runs(project_root: Path, tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, str(EXAMPLE), str(project_root), str(tmp_path)],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )
    assert result.returncode == 0, result.stderr
    rows = _csv_rows((tmp_path / "verified.csv").read_text(encoding="utf-8-sig"))
    assert [row["id"] for row in rows] == ["cost"]
    reviews = json.loads((tmp_path / "verified.jsonld").read_text(encoding="utf-8"))
    assert [review["itemReviewed"]["author"]["name"] for review in reviews] == ["DeepSeek"]


def test_the_documentation_shows_the_example_that_runs() -> None:
    docs = [REPO / "README.md", REPO / "docs" / "api.md"]
    example = EXAMPLE.read_text(encoding="utf-8").strip()
    assert any(path.exists() and example in path.read_text(encoding="utf-8") for path in docs), (
        "README.md (or docs/api.md) must show examples/export_verified.py as it is"
    )


@pytest.mark.parametrize(
    "argv",
    [
        ["export", "--format", "sqlite", "-o", "{tmp}/x.sqlite"],
        ["export", "--format", "claimreview", "-o", "{tmp}/x.jsonld"],
        ["stats"],
    ],
)
def test_headless_commands_never_import_textual(
    project_root: Path, tmp_path: Path, argv: list[str]
) -> None:
    args = [arg.replace("{tmp}", str(tmp_path)) for arg in argv]
    script = (
        "import sys\nfrom workbench.cli import main\n"
        f"code = main({[*args, '--root', str(project_root)]!r})\n"
        "assert 'textual' not in sys.modules, 'textual was imported'\n"
        "assert 'rich' not in sys.modules, 'rich was imported'\n"
        "sys.exit(code)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr


def test_a_claim_naming_an_unknown_source_still_exports_with_keys_intact(
    project_root: Path, tmp_path: Path
) -> None:
    """A WB203 error in the data must not break the database's foreign keys."""
    orphan = {**_claims()[2], "id": "orphan", "source": {"id": "gone", "quote": LAG_QUOTE}}
    create_claim(project_root / "claims", Claim.model_validate(orphan))
    project = load_project(project_root)
    path = tmp_path / "claims.sqlite"
    export_claims(project, None, "sqlite", path)
    db = _connect(path)
    assert db.execute("PRAGMA foreign_key_check").fetchall() == []
    assert db.execute("SELECT id, title FROM sources ORDER BY id").fetchall() == [
        ("gone", None),
        ("test-source", "중국 AI 기사"),
    ]
    rows = {row["id"]: row for row in _csv_rows(_text(project, "csv"))}
    assert rows["orphan"]["source_id"] == "gone" and rows["orphan"]["source_title"] == ""
    jsonschema.validate(json.loads(_text(project, "json")), _schema())
