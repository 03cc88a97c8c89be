"""The load index: a cache that is never trusted as data, row by row, in any state."""

from __future__ import annotations

import contextlib
import logging
import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from workbench import load_project
from workbench.files import index
from workbench.files.index import index_file
from workbench.project import Project
from workbench.storage import Fingerprint

from .conftest import REPO, ProjectFactory, age_claim_files, claim_toml, index_db

QUANTITY = 'subject = "FDI"\nvalue = 33000000000\nunit = "USD"\n'
QUOTE = "외국인 직접투자(FDI)는 330억달러(약 45조원) 규모로 줄었다"


def _rows(root: Path) -> dict[str, tuple[int, int]]:
    """Each file's row id and the time its row was written, by file name."""
    with index_db(root) as connection:
        found = connection.execute("SELECT path, id, indexed_ns FROM files").fetchall()
    return {Path(path).name: (rowid, indexed) for path, rowid, indexed in found}


def _claims(project: Project) -> dict[str, object]:
    return {claim_id: record.claim for claim_id, record in project.claims.items()}


def _problems(project: Project) -> list[str]:
    return [f"{p.path.name}:{p.line}:{p.code}:{p.message}" for p in project.problems]


# --------------------------------------------------------------------------- reuse


def test_warm_load_reuses_rows_and_sees_every_change(make_project: ProjectFactory) -> None:
    root = make_project({"a.toml": claim_toml("a"), "b.toml": claim_toml("b")})
    load_project(root)
    assert index.last_load.parsed == 2
    age_claim_files(root)
    load_project(root)
    load_project(root)
    assert (index.last_load.reused, index.last_load.parsed) == (2, 0)
    path = root / "claims" / "a.toml"
    path.write_text(claim_toml("a").replace('"cost"', '"race"'), encoding="utf-8")
    project = load_project(root)
    assert project.claim("a").topic == "race"
    assert index.last_load.parsed == 1


def test_one_changed_file_rewrites_one_row_and_a_removed_file_deletes_its_row(
    make_project: ProjectFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(index, "RACY_NS", 0)  # no file is hashed, no row re-dated
    root = make_project({f"c{n}.toml": claim_toml(f"c{n}") for n in range(6)})
    load_project(root)
    before = _rows(root)
    path = root / "claims" / "c3.toml"
    path.write_text(claim_toml("c3").replace('"cost"', '"race"'), encoding="utf-8")
    assert load_project(root).claim("c3").topic == "race"
    assert (index.last_load.parsed, index.last_load.written, index.last_load.deleted) == (1, 1, 0)
    after = _rows(root)
    assert {name for name in after if after[name] != before[name]} == {"c3.toml"}
    (root / "claims" / "c5.toml").unlink()
    assert sorted(load_project(root).claims) == ["c0", "c1", "c2", "c3", "c4"]
    assert (index.last_load.written, index.last_load.deleted) == (0, 1)
    assert sorted(_rows(root)) == [f"c{n}.toml" for n in range(5)]


def test_an_edit_keeping_size_inode_and_mtime_is_seen_through_ctime(
    make_project: ProjectFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No racy window here: only the ctime in the row can tell the file changed."""
    monkeypatch.setattr(index, "RACY_NS", 0)
    root = make_project({"a.toml": claim_toml("a")})
    path = root / "claims" / "a.toml"
    load_project(root)
    before = path.stat()
    time.sleep(0.02)
    with path.open("r+b") as handle:  # in place: same inode
        handle.write(path.read_bytes().replace(b'"cost"', b'"race"'))
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    after = path.stat()
    assert (after.st_size, after.st_ino, after.st_mtime_ns) == (
        before.st_size,
        before.st_ino,
        before.st_mtime_ns,
    )
    assert load_project(root).claim("a").topic == "race"
    assert index.last_load.parsed == 1


def test_a_same_size_edit_within_the_racy_window_is_seen(make_project: ProjectFactory) -> None:
    """A file as new as its row is hashed, not trusted (git's racy-clean rule)."""
    root = make_project({"a.toml": claim_toml("a")})
    path = root / "claims" / "a.toml"
    load_project(root)
    stat = path.stat()
    path.write_text(claim_toml("a").replace('"cost"', '"race"'), encoding="utf-8")
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert load_project(root).claim("a").topic == "race"


def test_problems_are_kept_in_rows_and_shown_by_a_warm_load(make_project: ProjectFactory) -> None:
    root = make_project(
        {
            "a.toml": claim_toml("a"),
            "b.toml": claim_toml("b").replace('topic = "cost"', "topic = 3"),
            "c.toml": "id = [broken\n",
        }
    )
    age_claim_files(root)
    cold = load_project(root, use_cache=False)
    load_project(root)
    warm = load_project(root)
    assert index.last_load.reused == 3
    assert _problems(warm) == _problems(cold) and len(_problems(cold)) == 2
    assert _claims(warm) == _claims(cold)


@pytest.mark.parametrize("age_folder", [False, True], ids=["new-folder", "old-folder"])
def test_warm_loads_equal_cold_ones_through_every_kind_of_change(
    make_project: ProjectFactory, age_folder: bool
) -> None:
    root = make_project(
        {
            "a.toml": claim_toml("a"),
            "b.toml": claim_toml("b").replace('topic = "cost"', "topic = 3"),
            "c.toml": claim_toml("c"),
        }
    )
    folder = root / "claims"
    steps = [
        lambda: None,
        lambda: (folder / "d.toml").write_text(claim_toml("d"), encoding="utf-8"),
        lambda: (folder / "a.toml").unlink(),
        lambda: (folder / "b.toml").write_text(claim_toml("b"), encoding="utf-8"),
        lambda: (folder / "c.toml").write_text("id = [broken\n", encoding="utf-8"),
        lambda: (folder / "d.toml").rename(folder / "e.toml"),
    ]
    load_project(root)
    for step in steps:
        step()
        age_claim_files(root)
        if age_folder:
            old = time.time() - 60
            os.utime(folder, (old, old))
        warm = load_project(root)
        again = load_project(root)
        cold = load_project(root, use_cache=False)
        assert (list(warm.claims), _claims(warm), _problems(warm)) == (
            list(cold.claims),
            _claims(cold),
            _problems(cold),
        )
        assert (_claims(again), _problems(again)) == (_claims(cold), _problems(cold))
    assert list(load_project(root).claims) == ["b", "d"]  # e.toml holds claim d
    assert index.last_load.parsed == 0


def test_the_index_can_be_switched_off(
    make_project: ProjectFactory, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("WORKBENCH_CACHE_DIR", "off")
    root = make_project({"a.toml": claim_toml("a")})
    assert index_file(root) is None
    assert list(load_project(root).claims) == ["a"]
    assert load_project(root).load_index is None


def test_a_warm_stats_builds_no_model(repo_copy: Path) -> None:
    from workbench.stats import compute_stats

    age_claim_files(repo_copy)
    load_project(repo_copy)
    warm = load_project(repo_copy)
    counted = compute_stats(warm)
    assert all(record.deferred_model for record in warm.claims.values())
    cold = load_project(repo_copy, use_cache=False)
    assert counted == compute_stats(cold, list(cold.iter_claims()))
    assert counted.with_evidence > 0


def test_a_first_load_without_models_keeps_none_once_their_rows_are_written(
    repo_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`models=False` (what `workbench conflicts` loads with): each batch of files read
    is written to the index as it fills, and its records let their models go; the
    claims are those of a load that keeps them, and the next load reads no file."""
    monkeypatch.setattr(index, "FILES_PER_WRITE", 7)
    # a file that makes no claim, in a batch of files that do: its row is written,
    # and no record stands for it (each record of a batch is let go, then made again)
    (repo_copy / "claims" / "broken.toml").write_text('id = "broken"\n', encoding="utf-8")
    age_claim_files(repo_copy)
    first = load_project(repo_copy, models=False)
    assert index.last_load.parsed == len(first.claims) + 1 > 7 * 3
    assert any(problem.path.name == "broken.toml" for problem in first.problems)
    assert (len(first.claims) + 1) % 7  # the last batch, written with the rest, is not full
    assert all(record.deferred_model for record in first.claims.values())
    cold = load_project(repo_copy, use_cache=False)
    assert [record.summary for record in first.claims.values()] == [
        record.summary for record in cold.claims.values()
    ]
    # the models let go are built from their rows, not read from their files again
    moved = repo_copy / "claims-moved"
    (repo_copy / "claims").rename(moved)
    assert (_claims(first), _problems(first)) == (_claims(cold), _problems(cold))
    moved.rename(repo_copy / "claims")
    assert _claims(load_project(repo_copy)) == _claims(cold)
    assert index.last_load.parsed == 0


def test_a_first_load_with_models_keeps_them_and_writes_in_batches(
    repo_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(index, "FILES_PER_WRITE", 7)
    written: list[int] = []
    update = index.LoadIndex.update

    def counted(self: index.LoadIndex, upserts: list[object], *rest: object) -> int | None:
        written.append(len(upserts))
        return update(self, upserts, *rest)  # type: ignore[arg-type]

    monkeypatch.setattr(index.LoadIndex, "update", counted)
    project = load_project(repo_copy)
    assert not any(record.deferred_model for record in project.claims.values())
    assert sum(written) == index.last_load.written == index.last_load.parsed
    assert max(written) == 7 and len(written) >= 3


# --------------------------------------------------------------------------- bad rows


def _quantity_project(make_project: ProjectFactory) -> Path:
    root = make_project({"a.toml": claim_toml("a", QUOTE, quantity=QUANTITY)})
    age_claim_files(root)
    load_project(root)
    return root


def _tamper_json(root: Path, old: bytes, new: bytes) -> None:
    with index_db(root) as connection:
        (data,) = connection.execute("SELECT json FROM claim_json").fetchone()
        assert old in data
        connection.execute("UPDATE claim_json SET json = ?", (data.replace(old, new, 1),))


def test_a_changed_digit_in_a_rows_json_never_reaches_a_claim(
    make_project: ProjectFactory,
) -> None:
    root = _quantity_project(make_project)
    _tamper_json(root, b"33000000000", b"99000000000")
    project = load_project(root)
    assert project.claims["a"].deferred_model
    assert project.claim("a").quantity is not None
    assert project.claim("a").quantity.value == 33_000_000_000  # the file wins


def test_a_flipped_byte_in_a_rows_json_is_a_miss_not_a_crash(
    make_project: ProjectFactory,
) -> None:
    root = _quantity_project(make_project)
    _tamper_json(root, b'"id":"a"', b'"id"\xff"a"')
    project = load_project(root)
    assert project.claim("a").quantity.value == 33_000_000_000  # type: ignore[union-attr]
    assert [claim.id for claim in project.iter_claims()] == ["a"]


@pytest.mark.parametrize(
    "change",
    [
        "UPDATE files SET summary = replace(summary, 'unreviewed', 'verified')",
        "UPDATE files SET digest = 'x' || digest",
        'UPDATE files SET problems = \'[[1, 1, "WB999", "old", "error"]]\'',
        "UPDATE files SET summary = replace(summary, 'cost', 'race')",
        "UPDATE files SET row_check = row_check + 1",
    ],
)
def test_a_tampered_row_is_not_used(make_project: ProjectFactory, change: str) -> None:
    root = _quantity_project(make_project)
    with index_db(root) as connection:
        connection.execute(change)
    project = load_project(root)
    assert index.last_load.parsed == 1
    assert project.claims["a"].summary.status == "unreviewed"
    assert project.claims["a"].summary.topic == "cost"
    assert project.problems == []


def test_a_row_whose_stat_does_not_match_is_not_used(make_project: ProjectFactory) -> None:
    root = _quantity_project(make_project)
    path = root / "claims" / "a.toml"
    path.write_text(claim_toml("a", QUOTE, quantity=QUANTITY.replace("33", "34")), "utf-8")
    age_claim_files(root)
    assert load_project(root).claim("a").quantity.value == 34_000_000_000  # type: ignore[union-attr]


def test_rows_from_another_code_key_are_never_shown(
    make_project: ProjectFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A row holding an old release's problem for a file that is now fine: with the
    key of this code it would be believed (its stat and check match), with another
    key it is dropped."""
    root = make_project({"a.toml": claim_toml("a")})
    age_claim_files(root)
    load_project(root)
    path = str(root / "claims" / "a.toml")
    found = os.stat(path)
    digest = Fingerprint.digest_of(Path(path).read_bytes())
    file_stat = (found.st_size, found.st_mtime_ns, found.st_ctime_ns, found.st_ino)
    stale = index._row_values(
        path, file_stat, time.time_ns(), digest, None, None, '[[1, 1, "WB999", "old", "error"]]'
    )
    with index_db(root) as connection:
        connection.execute("DELETE FROM files")
        connection.execute(index._INSERT_ROW, (None, *stale))
    assert [p.code for p in load_project(root).problems] == ["WB999"]  # same key: believed
    with index_db(root) as connection:
        connection.execute("DELETE FROM files")
        connection.execute(index._INSERT_ROW, (None, *stale))
        connection.execute("UPDATE meta SET value = '0.0.1-old' WHERE name = 'key'")
    project = load_project(root)
    assert project.problems == [] and list(project.claims) == ["a"]
    assert index.last_load.parsed == 1
    with index_db(root) as connection:
        assert connection.execute("SELECT value FROM meta").fetchone()[0] == index.code_key()


def test_the_code_key_covers_the_models_and_the_version() -> None:
    key = index.code_key()
    assert key.startswith("0.") and str(index.SCHEMA_VERSION) in key
    source = (REPO / "workbench" / "files" / "index.py").read_text(encoding="utf-8")
    assert '"app", "commands", "export", "matching"' in source  # models.py is not skipped


# --------------------------------------------------------------------------- bad databases


def _warm_equals_cold(root: Path) -> None:
    cold = load_project(root, use_cache=False)
    warm = load_project(root)
    assert (_claims(warm), _problems(warm)) == (_claims(cold), _problems(cold))


@pytest.mark.parametrize(
    "damage",
    [
        lambda data: b"garbage" * 100,
        lambda data: data[: len(data) // 2],
        lambda data: data[:100] + bytes(b ^ 0xFF for b in data[100:4000]) + data[4000:],
        lambda data: b"",
    ],
    ids=["garbage", "truncated", "flipped-header-page", "empty"],
)
def test_a_corrupt_database_is_rebuilt_with_one_notice(
    make_project: ProjectFactory, caplog: pytest.LogCaptureFixture, damage: object
) -> None:
    root = make_project({"a.toml": claim_toml("a"), "b.toml": "broken ="})
    load_project(root)
    location = index_file(root)
    assert location is not None
    with index_db(root) as connection:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    location.write_bytes(damage(location.read_bytes()))  # type: ignore[operator]
    for suffix in ("-wal", "-shm"):
        Path(f"{location}{suffix}").unlink(missing_ok=True)
    with caplog.at_level(logging.WARNING, logger="workbench.index"):
        _warm_equals_cold(root)
    assert len(caplog.records) <= 1
    assert all("\n" not in record.getMessage() for record in caplog.records)
    caplog.clear()
    load_project(root)
    _warm_equals_cold(root)
    assert index.last_load.reused == 2  # rebuilt: the next start is warm again
    assert caplog.records == []


def test_a_database_of_another_schema_is_rebuilt(make_project: ProjectFactory) -> None:
    root = make_project({"a.toml": claim_toml("a")})
    location = index_file(root)
    assert location is not None
    location.parent.mkdir(parents=True, exist_ok=True)
    with contextlib.closing(sqlite3.connect(location)) as connection, connection:
        connection.execute("CREATE TABLE meta (name TEXT PRIMARY KEY, value TEXT)")
        connection.execute("INSERT INTO meta VALUES ('key', ?)", (index.code_key(),))
        connection.execute("CREATE TABLE files (something TEXT)")
    _warm_equals_cold(root)
    load_project(root)
    _warm_equals_cold(root)
    assert index.last_load.reused == 1


def test_a_database_that_is_a_folder_is_left_alone(
    make_project: ProjectFactory, caplog: pytest.LogCaptureFixture
) -> None:
    root = make_project({"a.toml": claim_toml("a")})
    location = index_file(root)
    assert location is not None
    location.mkdir(parents=True)
    with caplog.at_level(logging.WARNING, logger="workbench.index"):
        _warm_equals_cold(root)
    assert location.is_dir()
    assert caplog.records and "not a regular file" in caplog.records[0].getMessage()


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this platform")
def test_a_database_that_is_a_fifo_does_not_block(
    make_project: ProjectFactory, tmp_path: Path
) -> None:
    root = make_project({"a.toml": claim_toml("a")})
    location = index_file(root)
    assert location is not None
    location.parent.mkdir(parents=True, exist_ok=True)
    os.mkfifo(location)
    result = subprocess.run(
        [sys.executable, "-m", "workbench", "check", "--root", str(root)],
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
        cwd=REPO,
    )
    assert result.returncode == 0, result.stderr
    assert "All clear: 1 claims" in result.stderr
    assert "Traceback" not in result.stderr
    assert len([line for line in result.stderr.splitlines() if "not a regular file" in line]) == 1


_HOLD_LOCK = """
import sqlite3, sys, time
connection = sqlite3.connect(sys.argv[1], isolation_level=None)
connection.execute("PRAGMA locking_mode = EXCLUSIVE")
connection.execute("BEGIN EXCLUSIVE")
connection.execute("UPDATE meta SET value = value")
print("locked", flush=True)
time.sleep(30)
"""


def test_a_database_locked_by_another_process_still_loads(
    make_project: ProjectFactory,
) -> None:
    root = make_project({"a.toml": claim_toml("a"), "b.toml": claim_toml("b")})
    load_project(root)
    location = index_file(root)
    holder = subprocess.Popen(
        [sys.executable, "-c", _HOLD_LOCK, str(location)], stdout=subprocess.PIPE, text=True
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
        (root / "claims" / "c.toml").write_text(claim_toml("c"), encoding="utf-8")
        started = time.perf_counter()
        result = subprocess.run(
            [sys.executable, "-m", "workbench", "check", "--root", str(root)],
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
            cwd=REPO,
        )
        assert time.perf_counter() - started < 20
        assert result.returncode == 0, result.stderr
        assert "All clear: 3 claims" in result.stderr
        assert "Traceback" not in result.stderr
        assert len(result.stderr.strip().splitlines()) <= 2  # a notice at most, then the result
    finally:
        holder.kill()
        holder.wait()
    _warm_equals_cold(root)


_LOAD_REPEATEDLY = """
import sys
from workbench import load_project
for _ in range(int(sys.argv[2])):
    project = load_project(sys.argv[1])
    assert len(project.claims) == int(sys.argv[3]), len(project.claims)
    assert len(project.problems) == int(sys.argv[4]), project.problems[:3]
    sum(len(claim.statement) for claim in project.iter_claims())
print("ok")
"""


def test_processes_loading_at_once_do_not_disturb_each_other(repo_copy: Path) -> None:
    """Four processes load the same project at once while its files change under them."""
    cold = load_project(repo_copy, use_cache=False)
    expected = (len(cold.claims), len(cold.problems))
    arguments = [_LOAD_REPEATEDLY, str(repo_copy), "6", *map(str, expected)]
    for out in _outputs_while_files_are_touched(repo_copy, arguments, 4):
        assert out.strip() == "ok"
    _warm_equals_cold(repo_copy)


def _outputs_while_files_are_touched(root: Path, arguments: list[str], count: int) -> list[str]:
    """What `count` processes running `python -c *arguments` at once print, while the
    project's claim files are touched meanwhile (so that their rows are rewritten);
    each must end well."""
    processes = [
        subprocess.Popen(
            [sys.executable, "-c", *arguments],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            cwd=REPO,
        )
        for _ in range(count)
    ]
    files = sorted((root / "claims").rglob("*.toml"))
    for round_number in range(20):
        for path in files[round_number::20]:
            os.utime(path)
        time.sleep(0.05)
    outputs = []
    for process in processes:
        out, err = process.communicate(timeout=300)
        assert process.returncode == 0, err
        assert "Traceback" not in err
        outputs.append(out)
    return outputs


_LOAD_WITHOUT_MODELS = """
import hashlib, sys
from workbench import load_project
from workbench.files import index
index.FILES_PER_WRITE = 5
for _ in range(int(sys.argv[2])):
    project = load_project(sys.argv[1], models=False)
    digest = hashlib.sha256()
    for record in project.claims.values():
        digest.update(record.claim.model_dump_json().encode())
    print(digest.hexdigest())
"""


def test_processes_loading_without_models_at_once_build_the_models_of_the_files(
    repo_copy: Path,
) -> None:
    """Processes load the same project at once without models (as `workbench conflicts`
    does: each model let go once its row is written, and built from the row when asked
    for) while its files are touched, so that each rewrites rows another's records
    point at: every model they build is the one its file holds."""
    import hashlib

    cold = load_project(repo_copy, use_cache=False)
    digest = hashlib.sha256()
    for record in cold.claims.values():
        digest.update(record.claim.model_dump_json().encode())
    arguments = [_LOAD_WITHOUT_MODELS, str(repo_copy), "4"]
    for out in _outputs_while_files_are_touched(repo_copy, arguments, 3):
        assert out.split() == [digest.hexdigest()] * 4
    _warm_equals_cold(repo_copy)


def test_a_fresh_process_reuses_the_rows_another_wrote(repo_copy: Path) -> None:
    """Each row's check depends on its values only, not on the objects of the process
    that wrote it (which strings were shared or interned)."""
    age_claim_files(repo_copy)
    script = (
        "import sys\n"
        "from workbench import load_project\n"
        "from workbench.files import index\n"
        "load_project(sys.argv[1])\n"
        "print(index.last_load.reused, index.last_load.parsed)\n"
    )

    def run() -> list[int]:
        result = subprocess.run(
            [sys.executable, "-c", script, str(repo_copy)],
            capture_output=True,
            text=True,
            check=True,
            cwd=REPO,
        )
        return [int(number) for number in result.stdout.split()]

    count = len(load_project(repo_copy, use_cache=False).claims)
    assert run() == [0, count]
    time.sleep(2.1)  # past the racy window, so that rows are trusted without hashing
    assert run() == [count, 0]
