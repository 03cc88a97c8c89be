"""The Python API: typed results, no Textual, models deferred on a warm start."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from workbench import Claim, load_project
from workbench.files import index

from .conftest import REPO, ProjectFactory, age_claim_files, claim_toml


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


def test_a_warm_start_defers_models_and_builds_them_equal(repo_copy: Path) -> None:
    age_claim_files(repo_copy)
    cold = load_project(repo_copy, use_cache=False)
    load_project(repo_copy)  # fills the index
    warm = load_project(repo_copy)
    assert index.last_load.reused == len(cold.claims) > 190
    records = list(warm.claims.values())
    assert all(record._claim is None for record in records)  # nothing built yet
    # summaries, counts and reverse relations come without building every model
    assert [s.id for s in warm.iter_summaries()] == list(cold.claims)
    target = next(iter(cold.claims))
    assert warm.relations_to(target) == cold.relations_to(target)
    assert sum(record._claim is None for record in records) > len(records) - 10
    # every model built from the index equals the one validated from its file
    for claim_id, record in cold.claims.items():
        assert warm.claims[claim_id].claim == record.claim
        assert warm.claims[claim_id].summary == record.summary
        assert warm.claims[claim_id].fingerprint == record.fingerprint


def test_iter_claims_builds_every_deferred_model(repo_copy: Path) -> None:
    age_claim_files(repo_copy)
    load_project(repo_copy)
    warm = load_project(repo_copy)
    claims = list(warm.iter_claims())
    assert len(claims) == len(warm.claims)
    assert all(record._claim is not None for record in warm.claims.values())


def test_a_warm_app_list_builds_no_models(repo_copy: Path) -> None:
    """The claims list needs only summaries: at 100,000 claims that is seconds saved."""
    from workbench.app.filtering import ClaimIndex

    age_claim_files(repo_copy)
    load_project(repo_copy)
    warm = load_project(repo_copy)
    index = ClaimIndex.from_project(warm)
    assert len(index) == len(warm.claims)
    assert all(record._claim is None for record in warm.claims.values())


def test_marking_a_deferred_claim_writes_it_and_refreshes_its_summary(repo_copy: Path) -> None:
    from workbench.review import mark_status

    age_claim_files(repo_copy)
    load_project(repo_copy)
    warm = load_project(repo_copy)
    claim_id = next(s.id for s in warm.iter_summaries() if s.status != "disputed")
    assert warm.claims[claim_id]._claim is None
    mark_status(warm, claim_id, "disputed", reviewer="kim", note="two figures")
    assert warm.claims[claim_id].summary.status == "disputed"
    again = load_project(repo_copy)
    assert again.claim(claim_id).status == "disputed"
    assert again.claim(claim_id).history[-1].note == "two figures"
