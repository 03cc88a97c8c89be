"""The quality benchmark's leave-one-article-out fit (`bench.bench_quality`)."""

from __future__ import annotations

import pytest

from bench import bench_quality
from bench.bench_quality import (
    labels_of,
    leave_one_article_out,
    run,
    stripped,
    without_article,
)
from workbench.matching.scoring import DEFAULT_RELATEDNESS
from workbench.project import load_project

from .conftest import REPO


@pytest.fixture(scope="module")
def bundled() -> tuple[object, ...]:
    project = load_project(REPO, use_cache=False)
    original = sorted(project.iter_claims(), key=lambda claim: claim.id)
    labels = labels_of(original)
    if len(labels.kinds) < 20:
        pytest.skip("too few relations recorded in claims/ to fit anything")
    published = {key: record.source.published for key, record in project.sources.items()}
    views = {key: record.source.view for key, record in project.sources.items()}
    return project, stripped(original), labels, published, views


def test_a_fold_keeps_no_label_that_touches_its_article(bundled: tuple[object, ...]) -> None:
    _, _, labels, _, _ = bundled
    assert isinstance(labels, bench_quality.Labels)
    for article in set(labels.article.values()):
        kept = without_article(labels, article)
        assert kept.kinds and len(kept.kinds) < len(labels.kinds)
        assert all(kept.article[claim] != article for pair in kept.kinds for claim in pair)
        assert kept.cross <= labels.cross


def test_with_one_choice_of_weights_the_held_out_ranking_is_the_engine_s(
    bundled: tuple[object, ...], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Merging per-article rankings (means, threshold, per-claim cut) must give back the
    engine's own ranking when every fold can only choose the engine's weights."""
    project, claims, labels, published, views = bundled
    monkeypatch.setattr(
        bench_quality,
        "GRID",
        {name: (getattr(DEFAULT_RELATEDNESS, name),) for name in bench_quality.GRID},
    )
    fitted = leave_one_article_out(claims, published, views, project, labels)  # type: ignore[arg-type]
    engine, _ = run(claims, published, views, project, None)  # type: ignore[arg-type]
    assert set(fitted.chosen.values()) == {DEFAULT_RELATEDNESS}
    assert [(c.first, c.second, c.kind, c.score) for c in fitted.ranked] == [
        (c.first, c.second, c.kind, c.score) for c in engine
    ]
