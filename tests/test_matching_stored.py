"""Frames kept in the load index give what reading the claims gives, and never stale.

`workbench.matching.stored` keeps each claim's frame in the load index by its
file's digest, under a key of the matching code and the lexicon.  These tests
pin down that the ranked output is byte for byte the same with the rows and
without them, and that a changed file, a changed lexicon, other code or a
corrupt row each make the engine read the claim again rather than use the row.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from bench.corpus import clone
from tests.conftest import REPO, age_claim_files, repo_copy, run_cli
from workbench.files.index import index_file
from workbench.matching import find_candidates, match_claims
from workbench.matching import stored as stored_module
from workbench.matching.facts import facts_of
from workbench.matching.frames import FrameReader, LexiconIndex
from workbench.matching.stored import project_frames, same_frame
from workbench.project import load_project
from workbench.tomlio import dumps_canonical, parse_toml

__all__ = ["repo_copy"]

CLONED = 2000


@pytest.fixture
def cloned(tmp_path: Path) -> Path:
    """The bundled project with its claims cloned to `CLONED` (as `bench.corpus` does)."""
    root = tmp_path / "cloned"
    (root / "claims").mkdir(parents=True)
    for name in ("workbench.toml", "lexicon.toml"):
        (root / name).write_bytes((REPO / name).read_bytes())
    (root / "seeds").mkdir()
    for path in (REPO / "seeds").iterdir():
        (root / "seeds" / path.name).write_bytes(path.read_bytes())
    claims = [
        parse_toml(path.read_text(encoding="utf-8"))
        for path in sorted((REPO / "claims").rglob("*.toml"))
    ]
    groups = CLONED // len(claims) + 1
    for group in range(groups):
        for claim in claims:
            data = clone(claim, group)
            (root / "claims" / f"{data['id']}.toml").write_text(dumps_canonical(data), "utf-8")
    age_claim_files(root)
    return root


def _conflicts(root: Path, capsys: pytest.CaptureFixture[str]) -> str:
    code, out, _err = run_cli(
        ["conflicts", "--root", str(root), "--format", "json", "--lexical-only"], capsys
    )
    assert code == 0
    return out


def _stored_count(root: Path) -> tuple[int, int]:
    prepared = project_frames(load_project(root))
    return prepared.stored, prepared.written


def test_frames_from_rows_are_the_frames_read() -> None:
    """Every field of every bundled claim's frame (its dates too) reads back from its
    row: a field added to `Frame` and not to the row fails here."""
    project = load_project(REPO)
    published = {key: record.source.published for key, record in project.sources.items()}
    views = {key: record.source.view for key, record in project.sources.items()}
    reader = FrameReader(LexiconIndex(project.settings.lexicon))
    checked = placing = 0
    for position, claim in enumerate(project.iter_claims()):
        facts = facts_of(claim)
        frame = reader.read_facts(
            position, facts, published.get(facts.source_id), views.get(facts.source_id, "")
        )
        if frame.event:
            reader.dates_of(frame)
        row = stored_module.pack_frame(frame, facts.recorded)
        again, recorded = stored_module.unpack_frame(
            row,
            position,
            (facts.id, facts.statement, facts.quote, facts.source_id, facts.topic, facts.stance),
            frame.published,
            frame.view,
        )
        assert recorded == facts.recorded
        assert same_frame(frame, again), facts.id
        checked += 1
        placing += frame.standing is not None
    assert checked == len(project.claims)
    assert placing, (
        "no bundled claim places one party against another: the row's standing is untested"
    )


def test_released_frames_are_the_frames_and_let_the_records_and_texts_go() -> None:
    """`project_frames(..., release=True)` (what `workbench conflicts` asks) gives the
    frames it gives otherwise, and leaves the project without its claim records and
    its sources' texts, which no frame reads: their memory serves the frames."""
    kept = project_frames(load_project(REPO))
    project = load_project(REPO)
    assert all(record.text for record in project.sources.values())
    released = project_frames(project, release=True)
    assert [f.claim_id for f in released.frames] == [f.claim_id for f in kept.frames]
    assert all(same_frame(a, b) for a, b in zip(kept.frames, released.frames, strict=True))
    assert released.recorded == kept.recorded
    assert not project.claims
    assert project.sources and not any(record.text for record in project.sources.values())


def test_a_frame_whose_text_holds_a_separator_gets_no_row() -> None:
    """Every bundled claim's frame gets a row that reads back; one whose quantity's
    subject (or a name) holds a separator of the row's format gets none, and is read
    from its claim on every run instead of being misread."""
    project = load_project(REPO)
    reader = FrameReader(LexiconIndex(project.settings.lexicon))
    with_amount = None
    for position, claim in enumerate(project.iter_claims()):
        facts = facts_of(claim)
        frame = reader.read_facts(position, facts, None, "")
        row = stored_module._row_of(frame, facts.recorded, reader)
        assert row is not None, facts.id
        again, _ = stored_module.unpack_frame(
            row,
            position,
            (facts.id, facts.statement, facts.quote, facts.source_id, facts.topic, facts.stance),
            None,
            "",
        )
        assert same_frame(frame, again)
        if frame.amount is not None and with_amount is None:
            with_amount = (frame, facts)
    assert with_amount is not None
    frame, facts = with_amount
    assert frame.amount is not None
    for separator in "\x1c\x1d\x1e\x1f":
        subject = frame.amount.subject_text
        frame.amount.subject_text = f"a{separator}b"
        assert stored_module._row_of(frame, facts.recorded, reader) is None
        frame.amount.subject_text = subject
        assert stored_module._row_of(frame, (*facts.recorded, f"x{separator}"), reader) is None
    assert stored_module._row_of(frame, (*facts.recorded, ""), reader) is None


def test_ranked_output_is_the_same_with_and_without_stored_frames(
    cloned: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    first = _conflicts(cloned, capsys)  # writes the rows
    assert _stored_count(cloned)[0] >= CLONED
    second = _conflicts(cloned, capsys)  # reads them
    monkeypatch.setenv("WORKBENCH_CACHE_DIR", "off")
    without = _conflicts(cloned, capsys)
    assert first == second == without
    assert len(first) > 100_000, "too few candidates to say anything"
    project = load_project(cloned)
    assert project_frames(project).stored == 0


def test_find_candidates_is_the_same_with_stored_frames(cloned: Path) -> None:
    project_frames(load_project(cloned))  # writes the rows
    project = load_project(cloned)
    assert project_frames(project).stored == len(project.claims)
    expected = match_claims(
        list(project.iter_claims()),
        {key: record.source.published for key, record in project.sources.items()},
        views={key: record.source.view for key, record in project.sources.items()},
        lexicon=project.settings.lexicon,
    )
    assert find_candidates(load_project(cloned)) == expected


def test_a_changed_claim_file_is_read_again(
    cloned: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    _conflicts(cloned, capsys)
    total = len(load_project(cloned).claims)
    path = sorted((cloned / "claims").glob("*.toml"))[5]
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace('statement = "', 'statement = "Not so: ', 1), "utf-8")
    assert _stored_count(cloned) == (total - 1, 1)
    assert _stored_count(cloned) == (total, 0)
    found = _conflicts(cloned, capsys)
    monkeypatch.setenv("WORKBENCH_CACHE_DIR", "off")
    assert found == _conflicts(cloned, capsys)


def test_a_changed_lexicon_reads_every_claim_again(
    repo_copy: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    _conflicts(repo_copy, capsys)
    total = len(load_project(repo_copy).claims)
    assert _stored_count(repo_copy) == (total, 0)
    lexicon = repo_copy / "lexicon.toml"
    lexicon.write_text(
        lexicon.read_text(encoding="utf-8").replace('"DeepSeek"', '"DeepSeekX"', 1), "utf-8"
    )
    assert _stored_count(repo_copy) == (0, total)
    found = _conflicts(repo_copy, capsys)
    monkeypatch.setenv("WORKBENCH_CACHE_DIR", "off")
    assert found == _conflicts(repo_copy, capsys)


def test_rows_of_other_code_are_not_used(repo_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    total = len(load_project(repo_copy).claims)
    assert _stored_count(repo_copy) == (0, total)
    assert _stored_count(repo_copy) == (total, 0)
    monkeypatch.setattr(stored_module, "_code_part", lambda: "other code")
    assert _stored_count(repo_copy) == (0, total)


def test_a_corrupt_row_is_read_again(
    repo_copy: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    expected = _conflicts(repo_copy, capsys)
    total = len(load_project(repo_copy).claims)
    assert _stored_count(repo_copy) == (total, 0)
    location = index_file(repo_copy)
    assert location is not None
    with sqlite3.connect(location) as connection:
        digests = [row[0] for row in connection.execute("SELECT digest FROM frame_rows LIMIT 2")]
        # a changed byte: the row's check fails
        connection.execute(
            "UPDATE frame_rows SET data = CAST(replace(CAST(data AS TEXT), 'a', 'b') AS BLOB)"
            " WHERE digest = ?",
            (digests[0],),
        )
        # a row that checks out but is not one this code wrote (its check made anew)
        connection.execute(
            "UPDATE frame_rows SET data = X'00', row_check = ? WHERE digest = ?",
            (_check(digests[1], b"\x00"), digests[1]),
        )
    assert _stored_count(repo_copy) == (total - 2, 2)
    assert _conflicts(repo_copy, capsys) == expected
    monkeypatch.setenv("WORKBENCH_CACHE_DIR", "off")
    assert _conflicts(repo_copy, capsys) == expected


def _check(digest: str, data: bytes) -> int:
    import zlib

    return zlib.crc32(data, zlib.crc32(digest.encode()))
