"""The Python API: typed results, no Textual, a cache that is invalidated correctly."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from workbench import Claim, load_project
from workbench import cache as claim_cache

from .conftest import REPO, ProjectFactory, claim_toml


def test_load_project_returns_typed_claims_and_problems(make_project: ProjectFactory) -> None:
    root = make_project({"a.toml": claim_toml("a"), "b.toml": "broken ="})
    project = load_project(root)
    assert isinstance(project.claim("a"), Claim)
    assert project.source_of(project.claim("a")).outlet == "Test Daily"  # type: ignore[union-attr]
    assert [problem.code for problem in project.problems] == ["WB003"]


def test_load_project_finds_the_root_from_a_subfolder(
    make_project: ProjectFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = make_project({"a.toml": claim_toml("a")})
    monkeypatch.chdir(root / "claims")
    assert load_project().root == root.resolve()


@pytest.mark.parametrize(
    "code",
    [
        "import workbench; workbench.load_project(sys.argv[1])",
        "from workbench.cli import main; main(['check', '--root', sys.argv[1]])",
        "from workbench.cli import main; main(['fmt', '--check', '--root', sys.argv[1]])",
    ],
)
def test_headless_paths_never_import_textual(code: str) -> None:
    script = f"import sys\n{code}\nassert 'textual' not in sys.modules, 'textual was imported'\n"
    script += "assert 'rich' not in sys.modules, 'rich was imported'\n"
    result = subprocess.run(
        [sys.executable, "-c", script, str(REPO)], capture_output=True, text=True, check=False
    )
    assert "was imported" not in result.stderr, result.stderr
    assert "Traceback" not in result.stderr, result.stderr


def test_warm_load_reuses_the_cache_and_sees_every_change(make_project: ProjectFactory) -> None:
    root = make_project({"a.toml": claim_toml("a"), "b.toml": claim_toml("b")})
    load_project(root)
    assert claim_cache.last_stats.parsed == 2
    # Age the files past the racy window so the cache trusts size and mtime.
    old = time.time() - 60
    for path in (root / "claims").iterdir():
        os.utime(path, (old, old))
    load_project(root)
    load_project(root)
    assert (claim_cache.last_stats.reused, claim_cache.last_stats.parsed) == (2, 0)
    path = root / "claims" / "a.toml"
    path.write_text(claim_toml("a").replace('"cost"', '"race"'), encoding="utf-8")
    project = load_project(root)
    assert project.claim("a").topic == "race"
    assert claim_cache.last_stats.parsed == 1


def test_a_same_size_edit_within_the_same_second_is_seen(make_project: ProjectFactory) -> None:
    """The racy-clean rule: a file as new as the cache is hashed, not trusted."""
    root = make_project({"a.toml": claim_toml("a")})
    path = root / "claims" / "a.toml"
    load_project(root)
    stat = path.stat()
    path.write_text(claim_toml("a").replace('"cost"', '"race"'), encoding="utf-8")
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # same size, same mtime
    assert load_project(root).claim("a").topic == "race"


def test_a_corrupt_cache_means_a_cold_load(
    make_project: ProjectFactory, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("WORKBENCH_CACHE_DIR", str(tmp_path / "c"))
    root = make_project({"a.toml": claim_toml("a")})
    load_project(root)
    cache_path = claim_cache.cache_file(root)
    assert cache_path is not None and cache_path.exists()
    cache_path.write_bytes(b"garbage")
    assert list(load_project(root).claims) == ["a"]


def test_a_truncated_cache_means_a_cold_load(
    make_project: ProjectFactory, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """The claims' JSON is mapped from the end of the cache file: a file cut short
    (a full disk, a crash while copying) must not hand out shortened claims."""
    monkeypatch.setenv("WORKBENCH_CACHE_DIR", str(tmp_path / "c"))
    root = make_project({"a.toml": claim_toml("a"), "b.toml": claim_toml("b")})
    cold = load_project(root)
    cache_path = claim_cache.cache_file(root)
    assert cache_path is not None
    cache_path.write_bytes(cache_path.read_bytes()[:-10])
    again = load_project(root)
    assert claim_cache.last_stats.parsed == 2
    assert [record.claim for record in again.claims.values()] == [
        record.claim for record in cold.claims.values()
    ]


def test_cache_can_be_switched_off(
    make_project: ProjectFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("WORKBENCH_CACHE_DIR", "off")
    root = make_project({"a.toml": claim_toml("a")})
    assert claim_cache.cache_file(root) is None
    assert list(load_project(root).claims) == ["a"]


def test_claims_with_review_times_are_cached(make_project: ProjectFactory) -> None:
    """Times parsed from TOML carry the parser's zone object; the cache must still work."""
    dismissed = (
        '\n[[dismissed]]\nclaim = "b"\nkind = "numeric"\nat = 2025-01-01T00:00:00Z\n'
        '\n[[history]]\nat = 2025-01-02T00:00:00Z\nreviewer = "kim"\nfrom = "unreviewed"\n'
        'to = "unreviewed"\nnote = "looked"\n'
    )
    root = make_project({"a.toml": claim_toml("a") + dismissed, "b.toml": claim_toml("b")})
    load_project(root)
    old = time.time() - 60
    for path in (root / "claims").iterdir():
        os.utime(path, (old, old))
    load_project(root)
    project = load_project(root)
    assert claim_cache.last_stats.reused == 2
    assert project.claim("a").dismissed[0].at is not None


def _age_files(root: Path) -> None:
    """Make the claim files older than the cache's racy window, as after any real pause."""
    old = time.time() - 60
    for path in (root / "claims").iterdir():
        os.utime(path, (old, old))


def test_a_warm_start_defers_models_and_builds_them_equal(repo_copy: Path) -> None:
    _age_files(repo_copy)
    cold = load_project(repo_copy, use_cache=False)
    load_project(repo_copy)  # fills the cache
    warm = load_project(repo_copy)
    assert claim_cache.last_stats.reused == len(cold.claims) > 190
    records = list(warm.claims.values())
    assert all(record._claim is None for record in records)  # nothing built yet
    # summaries, counts and reverse relations come without building every model
    assert [s.id for s in warm.iter_summaries()] == list(cold.claims)
    target = next(iter(cold.claims))
    assert warm.relations_to(target) == cold.relations_to(target)
    assert sum(record._claim is None for record in records) > len(records) - 10
    # every model built from the cache equals the one validated from its file
    for claim_id, record in cold.claims.items():
        assert warm.claims[claim_id].claim == record.claim
        assert warm.claims[claim_id].summary == record.summary
        assert warm.claims[claim_id].fingerprint == record.fingerprint


def test_iter_claims_builds_every_deferred_model(repo_copy: Path) -> None:
    _age_files(repo_copy)
    load_project(repo_copy)
    warm = load_project(repo_copy)
    claims = list(warm.iter_claims())
    assert len(claims) == len(warm.claims)
    assert all(record._claim is not None for record in warm.claims.values())


def test_a_warm_app_list_builds_no_models(repo_copy: Path) -> None:
    """The claims list needs only summaries: at 100,000 claims that is seconds saved."""
    from workbench.app.filtering import ClaimIndex

    _age_files(repo_copy)
    load_project(repo_copy)
    warm = load_project(repo_copy)
    index = ClaimIndex.from_project(warm)
    assert len(index) == len(warm.claims)
    assert all(record._claim is None for record in warm.claims.values())


def test_marking_a_deferred_claim_writes_it_and_refreshes_its_summary(repo_copy: Path) -> None:
    from workbench.review import mark_status

    _age_files(repo_copy)
    load_project(repo_copy)
    warm = load_project(repo_copy)
    claim_id = next(s.id for s in warm.iter_summaries() if s.status == "unreviewed")
    assert warm.claims[claim_id]._claim is None
    mark_status(warm, claim_id, "disputed", reviewer="kim", note="two figures")
    assert warm.claims[claim_id].summary.status == "disputed"
    again = load_project(repo_copy)
    assert again.claim(claim_id).status == "disputed"
    assert again.claim(claim_id).history[-1].note == "two figures"


def _snapshot(root: Path) -> tuple[list[str], list[tuple[str, object]], list[str]]:
    project = load_project(root)
    problems = [
        f"{problem.path.name}:{problem.line}:{problem.code}" for problem in project.problems
    ]
    claims = [(claim_id, record.claim) for claim_id, record in project.claims.items()]
    return list(project.claims), claims, problems


@pytest.mark.parametrize("age_folder", [False, True], ids=["new-folder", "old-folder"])
def test_warm_loads_equal_cold_ones_through_every_kind_of_change(
    make_project: ProjectFactory, age_folder: bool
) -> None:
    """Files added, removed, broken, fixed and renamed: the cache never shows a stale
    result and reports the problems of files it keeps, as a cold load would.  With
    the folder older than the cache, its file list comes from the cache, so this
    also holds the folder stamps to every change."""
    root = make_project(
        {
            "a.toml": claim_toml("a"),
            "b.toml": claim_toml("b").replace('topic = "cost"', "topic = 3"),
            "c.toml": claim_toml("c"),
        }
    )
    folder = root / "claims"
    steps = [
        lambda: None,  # nothing changed: everything reused, problems still reported
        lambda: (folder / "d.toml").write_text(claim_toml("d"), encoding="utf-8"),
        lambda: (folder / "a.toml").unlink(),
        lambda: (folder / "b.toml").write_text(claim_toml("b"), encoding="utf-8"),
        lambda: (folder / "c.toml").write_text("id = [broken\n", encoding="utf-8"),
        lambda: (folder / "d.toml").rename(folder / "e.toml"),
    ]
    load_project(root)
    for step in steps:
        step()
        old = time.time() - 60
        for path in folder.iterdir():
            os.utime(path, (old, old))
        if age_folder:
            os.utime(folder, (old, old))
        warm = _snapshot(root)
        assert warm == _snapshot(root)  # a second warm load, from the cache just written
        cold_project = load_project(root, use_cache=False)
        cold = (
            list(cold_project.claims),
            [(claim_id, record.claim) for claim_id, record in cold_project.claims.items()],
            [f"{p.path.name}:{p.line}:{p.code}" for p in cold_project.problems],
        )
        assert warm == cold
    assert _snapshot(root)[0] == ["b", "d"]  # e.toml still holds claim d
    assert claim_cache.last_stats.parsed == 0
    assert any(":WB" in problem for problem in _snapshot(root)[2])


def test_a_warm_start_lists_the_folder_only_when_it_changed(
    make_project: ProjectFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = make_project({"a.toml": claim_toml("a"), "b.toml": claim_toml("b")})
    folder = root / "claims"
    listed: list[object] = []
    real = claim_cache.list_claim_files

    def counting(where: Path) -> object:
        listed.append(where)
        return real(where)

    monkeypatch.setattr(claim_cache, "list_claim_files", counting)
    old = time.time() - 60
    for path in [*folder.iterdir(), folder]:
        os.utime(path, (old, old))
    load_project(root)  # cold: lists, and writes a cache that trusts the folder
    load_project(root)
    listed.clear()
    assert list(load_project(root).claims) == ["a", "b"]
    assert listed == []
    (folder / "c.toml").write_text(claim_toml("c"), encoding="utf-8")
    assert list(load_project(root).claims) == ["a", "b", "c"]
    assert listed == [folder]
