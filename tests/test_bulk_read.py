"""The two-process loader gives exactly what loading one file at a time gives."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest

import workbench.bulk_read as bulk_read
from tests.conftest import ProjectFactory, claim_toml
from workbench.models import Claim
from workbench.project import claim_files, load_project
from workbench.storage import ClaimSummary


@pytest.fixture
def forking(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fork even for a handful of files (the real threshold is thousands)."""
    if not hasattr(os, "fork"):
        pytest.skip("no os.fork on this platform")
    monkeypatch.setattr(bulk_read, "PARALLEL_MIN_FILES", 2)
    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    monkeypatch.delenv("WORKBENCH_WORKERS", raising=False)


def _mixed_project(make_project: ProjectFactory) -> Path:
    """Good claims, and every kind of bad file, spread over both halves of the list."""
    claims = {f"c{n:02d}.toml": claim_toml(f"c{n:02d}") for n in range(12)}
    claims["c03.toml"] = "id = [broken\n"
    claims["c07.toml"] = claim_toml("c07").replace('topic = "cost"', "topic = 3")
    claims["c08.toml"] = 'id = "c08"\n\x00binary'
    claims["c10.toml"] = claim_toml("c10", extra='colour = "red"\n')
    root = make_project(claims)
    (root / "claims" / "c11.toml").write_bytes(b'id = "\xff"\n')
    return root


def _model(loaded: bulk_read.LoadedClaim) -> Claim | None:
    if loaded.claim is not None:
        return loaded.claim
    return Claim.model_validate_json(loaded.json) if loaded.json is not None else None


def _same_as_loaded_here(found: list[bulk_read.LoadedClaim], paths: list[str]) -> None:
    reference = [bulk_read.load_claim(path) for path in paths]
    assert [loaded.path for loaded in found] == paths
    for ours, theirs in zip(found, reference, strict=True):
        assert _model(ours) == _model(theirs)
        assert ours.fingerprint == theirs.fingerprint
        assert ours.problems == theirs.problems
        assert ours.inode == theirs.inode
        record = ours.record()
        assert (record is None) == (theirs.claim is None)
        if record is not None and theirs.claim is not None:
            assert record.summary == ClaimSummary.of(theirs.claim)
            assert record.claim == theirs.claim


def test_parallel_claims_equal_serial_ones(make_project: ProjectFactory, forking: None) -> None:
    root = _mixed_project(make_project)
    paths = claim_files(root / "claims")
    assert bulk_read.parallel_enabled(len(paths))
    found = bulk_read.load_claims_split(paths)
    _same_as_loaded_here(found, paths)
    # the child's half comes back as validated JSON, built into models on first use
    assert any(loaded.claim is None and loaded.json is not None for loaded in found)


def test_parallel_load_reports_the_same_problems_on_the_same_lines(
    make_project: ProjectFactory, forking: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = _mixed_project(make_project)
    monkeypatch.setattr(bulk_read, "HEAD_SHARE", 0.5)  # c06-c11 go to the child
    parallel = load_project(root, use_cache=False)
    monkeypatch.setenv("WORKBENCH_WORKERS", "1")
    serial = load_project(root, use_cache=False)
    assert (
        sorted(parallel.claims)
        == sorted(serial.claims)
        == [f"c{n:02d}" for n in (0, 1, 2, 4, 5, 6, 9)]
    )
    assert parallel.problems == serial.problems
    # c07's schema error is found in the child, which maps it to its line too
    (topic,) = [p for p in parallel.problems if p.path.name == "c07.toml"]
    assert topic.line == 3


def test_a_failing_child_is_replaced_by_reading_here(
    make_project: ProjectFactory, forking: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = _mixed_project(make_project)
    paths = claim_files(root / "claims")
    monkeypatch.setattr(bulk_read._Child, "_run", lambda self: os._exit(3))
    _same_as_loaded_here(bulk_read.load_claims_split(paths), paths)


def test_a_failure_here_leaves_no_child_behind(
    make_project: ProjectFactory, forking: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = _mixed_project(make_project)
    paths = claim_files(root / "claims")
    real = bulk_read.load_claim

    def failing(path: str) -> bulk_read.LoadedClaim:
        if path == paths[1]:
            raise RuntimeError("stop")
        return real(path)

    monkeypatch.setattr(bulk_read, "load_claim", failing)
    with pytest.raises(RuntimeError):
        bulk_read.load_claims_split(paths)  # fails in this process's half
    with pytest.raises(ChildProcessError):  # and the child was stopped and reaped
        os.waitpid(-1, os.WNOHANG)


def test_no_fork_when_turned_off_or_when_threads_run(
    forking: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert bulk_read.parallel_enabled(10)
    assert not bulk_read.parallel_enabled(1)
    monkeypatch.setenv("WORKBENCH_WORKERS", "1")
    assert not bulk_read.parallel_enabled(10)
    monkeypatch.delenv("WORKBENCH_WORKERS")
    release = threading.Event()
    thread = threading.Thread(target=release.wait)
    thread.start()
    try:
        assert not bulk_read.parallel_enabled(10)
    finally:
        release.set()
        thread.join()


def test_no_temporary_file_means_reading_here(
    make_project: ProjectFactory, forking: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = _mixed_project(make_project)
    paths = claim_files(root / "claims")

    def refuse() -> None:
        raise PermissionError(13, "read-only temporary folder")

    monkeypatch.setattr(bulk_read.tempfile, "TemporaryFile", refuse)
    _same_as_loaded_here(bulk_read.load_claims_split(paths), paths)


def test_pending_stats_equal_stats_taken_here(
    make_project: ProjectFactory, forking: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = _mixed_project(make_project)
    paths = [*claim_files(root / "claims"), str(root / "claims" / "gone.toml")]
    pending = bulk_read.PendingStats(paths)
    assert pending._child is not None  # really forked
    found = pending.result()
    assert found == bulk_read.stat_files(paths)
    assert found[-1] is None
    # a child that dies is replaced by stats taken here
    monkeypatch.setattr(bulk_read._Child, "_run", lambda self: os._exit(3))
    assert bulk_read.PendingStats(paths).result() == bulk_read.stat_files(paths)


def test_pending_stats_closed_unused_leave_no_child(
    make_project: ProjectFactory, forking: None
) -> None:
    root = _mixed_project(make_project)
    pending = bulk_read.PendingStats(claim_files(root / "claims"))
    pending.close()
    with pytest.raises(ChildProcessError):
        os.waitpid(-1, os.WNOHANG)


def test_warm_load_with_forked_stats_sees_every_change(
    make_project: ProjectFactory, forking: None
) -> None:
    from workbench import cache as claim_cache

    root = _mixed_project(make_project)
    old = os.path.getmtime(root / "claims" / "c00.toml") - 60
    for path in (root / "claims").iterdir():
        os.utime(path, (old, old))
    first = load_project(root)
    again = load_project(root)
    assert claim_cache.last_stats.parsed == 0
    assert sorted(again.claims) == sorted(first.claims)
    (root / "claims" / "c01.toml").write_text(
        claim_toml("c01").replace('topic = "cost"', 'topic = "funding"'), encoding="utf-8"
    )
    (root / "claims" / "c02.toml").unlink()
    third = load_project(root)
    assert claim_cache.last_stats.parsed == 1
    assert third.claim("c01").topic == "funding"
    assert "c02" not in third.claims


def test_a_check_in_two_processes_finds_what_one_process_finds(
    make_project: ProjectFactory, forking: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    from workbench.checks import check_project

    root = _mixed_project(make_project)
    claims = root / "claims"
    # problems only the checks find, in both halves of the list
    (claims / "c00.toml").write_text(
        claim_toml("c00").replace("딥시크", "딥씨크"), encoding="utf-8"
    )
    (claims / "c09.toml").write_text(claim_toml("wrong-id"), encoding="utf-8")
    (claims / "c05.toml").write_text(claim_toml("c05") + "\n\n", encoding="utf-8")
    calls: list[int] = []
    real = bulk_read._Child.__init__

    def counting(self: bulk_read._Child, *args: object) -> None:
        calls.append(1)
        real(self, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(bulk_read._Child, "__init__", counting)
    parallel = check_project(load_project(root, use_cache=False))
    assert calls  # really forked
    monkeypatch.setenv("WORKBENCH_WORKERS", "1")
    serial = check_project(load_project(root, use_cache=False))
    assert parallel == serial
    codes = {(problem.path.name, problem.code) for problem in parallel}
    assert {("c00.toml", "WB301"), ("c09.toml", "WB202"), ("c05.toml", "WB601")} <= codes
    # a child that dies is replaced by checking its half here
    monkeypatch.delenv("WORKBENCH_WORKERS")
    monkeypatch.setattr(bulk_read._Child, "_run", lambda self: os._exit(3))
    assert check_project(load_project(root, use_cache=False)) == serial
