"""The sqlite export as Datasette serves it: search, views, facets, metadata."""

from __future__ import annotations

import json
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from workbench.cli import main
from workbench.project import load_project

from .conftest import REPO


@pytest.fixture(scope="module")
def database(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("datasette")
    path = folder / "claims.sqlite"
    argv = ["export", "--root", str(REPO), "--format", "sqlite", "-o", str(path)]
    assert main([*argv, "--datasette-metadata", str(folder / "metadata.json")]) == 0
    return path


def _search(connection: sqlite3.Connection, words: str) -> set[str]:
    rows = connection.execute(
        "SELECT claims.id FROM claims_fts JOIN claims ON claims.rowid = claims_fts.rowid "
        "WHERE claims_fts MATCH ?",
        ('"' + words.replace('"', '""') + '"',),  # one FTS5 phrase
    )
    return {row[0] for row in rows}


def test_full_text_search_covers_statements_quotes_notes_and_evidence(database: Path) -> None:
    connection = sqlite3.connect(database)
    project = load_project(REPO)
    claims = list(project.iter_claims())
    for claim in claims[:40]:
        assert claim.id in _search(connection, claim.statement.split(".")[0][:40])
    # A Korean word inside a longer one: 딥시크 in 딥시크는 / 딥시크가.
    korean = {claim.id for claim in claims if "딥시크" in claim.source.quote}
    assert korean and korean <= _search(connection, "딥시크")
    noted = next(claim for claim in claims if any(step.note for step in claim.history))
    note = next(step.note for step in noted.history if step.note)
    assert noted.id in _search(connection, note[:30])
    with_evidence = [claim for claim in claims if claim.evidence]
    if with_evidence:
        shows = with_evidence[0].evidence[0].shows
        assert with_evidence[0].id in _search(connection, shows[:30])
    assert _search(connection, "no claim says zqxv") == set()


def test_views_and_status_foreign_keys(database: Path) -> None:
    connection = sqlite3.connect(database)
    project = load_project(REPO)
    verified = project.settings.verified_statuses
    expected = {claim.id for claim in project.iter_claims() if claim.status in verified}
    assert {row[0] for row in connection.execute("SELECT id FROM verified_claims")} == expected
    pairs = {
        tuple(sorted((claim.id, relation.claim)))
        for claim in project.iter_claims()
        for relation in claim.relations
        if relation.kind == "contradicts"
    }
    rows = connection.execute("SELECT claim_id, other_id FROM confirmed_contradictions")
    assert {tuple(row) for row in rows} == pairs
    assert connection.execute("PRAGMA foreign_key_check").fetchall() == []
    connection.execute("PRAGMA foreign_keys = ON")
    with pytest.raises(sqlite3.IntegrityError):
        connection.execute("UPDATE claims SET status = 'nonsense' WHERE rowid = 1")


def test_metadata_names_the_database_facets_and_search(database: Path) -> None:
    metadata = json.loads((database.parent / "metadata.json").read_text(encoding="utf-8"))
    assert metadata["title"] == load_project(REPO).settings.name
    claims = metadata["databases"]["claims"]["tables"]["claims"]
    assert claims["fts_table"] == "claims_fts"
    assert {"status", "topic", "stance"} <= set(claims["facets"])


def test_metadata_that_cannot_be_written_is_one_line_and_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ["export", "--root", str(REPO), "--format", "sqlite", "-o", str(tmp_path / "c.sqlite")]
    assert main([*argv, "--datasette-metadata", str(tmp_path / "missing" / "m.json")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "does not exist" in err
    assert not (tmp_path / "c.sqlite").exists()
    assert main(["export", "--root", str(REPO), "--format", "csv", "--datasette-metadata",
                 str(tmp_path / "m.json")]) == 2  # fmt: skip
    assert "goes with --format sqlite" in capsys.readouterr().err


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def test_datasette_searches_the_export(database: Path) -> None:
    pytest.importorskip("datasette")
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "datasette", "serve", str(database), "--host", "127.0.0.1",
         "--port", str(port), "--metadata", str(database.parent / "metadata.json")],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        base = f"http://127.0.0.1:{port}/claims/claims.json"
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(base + "?_size=1", timeout=5):
                    break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)

        def rows(query: str) -> list[dict[str, object]]:
            url = f"{base}?_shape=objects&_size=max&{query}"
            with urllib.request.urlopen(url, timeout=10) as response:
                found: list[dict[str, object]] = json.load(response)["rows"]
            return found

        every = rows("")
        searched = rows("_search=" + urllib.parse.quote("DeepSeek"))
        assert 0 < len(searched) < len(every)
        assert all("deepseek" in json.dumps(row, ensure_ascii=False).lower() for row in searched)
        korean = rows("_search=" + urllib.parse.quote("딥시크"))
        assert korean and all("딥시크" in str(row["quote"]) + str(row["notes"]) for row in korean)
        with urllib.request.urlopen(
            f"http://127.0.0.1:{port}/claims/verified_claims.json?_shape=objects", timeout=10
        ) as response:
            assert json.load(response)["rows"]
    finally:
        server.terminate()
        server.wait(timeout=10)
