"""The benchmarks' cloned corpora (`bench.corpus`): both shapes check as clean as the
bundled data, and the spread shape gives each clone group its own sources."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench import corpus
from workbench.anchoring import AnchorKind
from workbench.checks import check_project
from workbench.project import load_project

from .conftest import REPO, run_cli

GROUPS = 3
"""Two full clone groups and a partial one, whose relations are cut."""


@pytest.fixture
def out(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setattr(corpus, "OUT", tmp_path)
    return tmp_path


def _count() -> int:
    bundled = len(list((REPO / "claims").rglob("*.toml")))
    return (GROUPS - 1) * bundled + 7


@pytest.mark.parametrize("spread", [False, True])
def test_the_corpus_checks_as_clean_as_the_bundled_data(
    out: Path, spread: bool, capsys: pytest.CaptureFixture[str]
) -> None:
    root = corpus.make_corpus(_count(), spread_sources=spread)
    assert root.parent == out
    project = load_project(root, use_cache=False)
    assert len(project.claims) == _count()
    assert project.problems == []
    assert check_project(project) == []
    code, _, err = run_cli(["check", "--root", str(root)], capsys)
    assert code == 0, err


def test_spread_sources_gives_each_group_its_own_copies_of_the_sources(out: Path) -> None:
    bundled = load_project(REPO, use_cache=False)
    root = corpus.make_corpus(_count(), spread_sources=True)
    project = load_project(root, use_cache=False)
    assert len(project.sources) == GROUPS * len(bundled.sources)
    for name, record in project.sources.items():
        original, group = name.rsplit("-g", 1)
        assert int(group) < GROUPS
        assert record.text == bundled.sources[original].text
        assert record.source.published == bundled.sources[original].source.published
    for claim in project.iter_claims():
        group = claim.id.rsplit("-g", 1)[1]
        assert claim.source.id.endswith(f"-g{group}")
        anchor = project.anchor(claim)
        assert anchor is not None and anchor.kind is not AnchorKind.MISSING, claim.id


def test_the_shapes_are_cached_apart(out: Path) -> None:
    shared = corpus.make_corpus(_count())
    spread = corpus.make_corpus(_count(), spread_sources=True)
    assert shared != spread
    assert len(load_project(shared, use_cache=False).sources) == len(
        load_project(REPO, use_cache=False).sources
    )
    assert corpus.make_corpus(_count(), spread_sources=True) == spread
