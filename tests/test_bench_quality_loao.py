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
from workbench.matching import Candidate, MatchSettings
from workbench.matching.scoring import DEFAULT_RELATEDNESS, DEFAULT_SEMANTIC, SemanticWeights
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
    assert {choice[0].relatedness for choice in fitted.chosen.values()} == {DEFAULT_RELATEDNESS}
    assert [(c.first, c.second, c.kind, c.score) for c in fitted.ranked] == [
        (c.first, c.second, c.kind, c.score) for c in engine
    ]


def hand_proposer(ids: list[str], asked: list[frozenset[str]]) -> bench_quality.Proposer:
    """Cosines fixed by hand for pairs of nearby ids (no model): each claim's `top_k` next
    ids in sorted order, at a cosine that falls with the distance; records whom it was
    asked about."""
    order = sorted(ids)
    cosines = {
        (order[x], order[y]): round(0.8 - 0.1 * (y - x), 2)
        for x in range(len(order))
        for y in range(x + 1, min(x + 6, len(order)))
    }
    place = {claim_id: position for position, claim_id in enumerate(order)}

    def proposer(among: object, top_k: int) -> dict[tuple[str, str], float]:
        chosen = frozenset(among)  # type: ignore[call-overload]
        asked.append(chosen)
        return {
            key: value
            for key, value in cosines.items()
            if set(key) <= chosen and place[key[1]] - place[key[0]] <= top_k
        }

    return proposer


def semantic_fit(
    bundled: tuple[object, ...],
    monkeypatch: pytest.MonkeyPatch,
    proposer: bench_quality.Proposer,
    *,
    top_k: tuple[int, ...],
) -> bench_quality.Fitted:
    """The ranking leave-one-article-out with the engine's relatedness weights, one
    choice of semantic weights (a place in each claim's list, 0.5) and these choices of
    neighbours per claim."""
    project, claims, labels, published, views = bundled
    assert isinstance(labels, bench_quality.Labels)
    monkeypatch.setattr(
        bench_quality,
        "GRID",
        {name: (getattr(DEFAULT_RELATEDNESS, name),) for name in bench_quality.GRID},
    )
    monkeypatch.setattr(bench_quality, "SEMANTIC_GRID", (SemanticWeights(weight=0.5, mode="rank"),))
    monkeypatch.setattr(bench_quality, "TOP_K_GRID", top_k)
    return leave_one_article_out(
        claims,  # type: ignore[arg-type]
        published,  # type: ignore[arg-type]
        views,  # type: ignore[arg-type]
        project,  # type: ignore[arg-type]
        labels,
        proposer,
    )


def test_the_semantic_fit_sees_no_claim_of_the_held_out_article(
    bundled: tuple[object, ...], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each fold's neighbour lists are made among the other four articles' claims; with
    one choice of weights the merged ranking is the engine's with the proposer's pairs."""
    project, claims, labels, published, views = bundled
    assert isinstance(labels, bench_quality.Labels)
    ids = [claim.id for claim in claims]  # type: ignore[attr-defined]
    asked: list[frozenset[str]] = []
    proposer = hand_proposer(ids, asked)
    fitted = semantic_fit(bundled, monkeypatch, proposer, top_k=(3,))
    articles = sorted(set(labels.article.values()))
    assert len(asked) == len(articles) + 1  # one per fold, then all claims for the ranking
    for article, among in zip(articles, asked, strict=False):
        assert among and all(labels.article[claim_id] != article for claim_id in among)
    assert asked[-1] == frozenset(ids)
    chosen = MatchSettings(semantic=SemanticWeights(weight=0.5, mode="rank"))
    assert set(fitted.chosen.values()) == {(chosen, 3)}
    engine, _ = run(claims, published, views, project, proposer(ids, 3), chosen)  # type: ignore[arg-type]
    assert [(c.first, c.second, c.kind, c.score) for c in fitted.ranked] == [
        (c.first, c.second, c.kind, c.score) for c in engine
    ]
    assert chosen.semantic != DEFAULT_SEMANTIC


def test_the_semantic_fit_chooses_the_neighbours_per_claim_without_the_article(
    bundled: tuple[object, ...], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each fold asks the proposer once per choice of neighbours, among the other four
    articles' claims, and keeps one of them; the ranking asks once per choice kept."""
    _, claims, labels, _, _ = bundled
    assert isinstance(labels, bench_quality.Labels)
    ids = [claim.id for claim in claims]  # type: ignore[attr-defined]
    asked: list[frozenset[str]] = []
    fitted = semantic_fit(bundled, monkeypatch, hand_proposer(ids, asked), top_k=(1, 3))
    articles = sorted(set(labels.article.values()))
    kept = {top_k for _, top_k in fitted.chosen.values()}
    assert kept <= {1, 3}
    assert len(asked) == 2 * len(articles) + len(kept)
    for position, article in enumerate(articles):
        for among in asked[2 * position : 2 * position + 2]:
            assert all(labels.article[claim_id] != article for claim_id in among)
    assert all(among == frozenset(ids) for among in asked[2 * len(articles) :])


def test_a_fit_scores_a_ranking_by_where_its_cross_article_conflicts_rank() -> None:
    """`discounted_gain`: 1 / log2(rank + 1) for each labelled contradicts/updates pair
    across two articles; pairs within one article and other kinds count nothing."""
    article = {"a1": "A", "a2": "A", "b1": "B", "b2": "B"}
    kinds = {
        frozenset(("a1", "b1")): "contradicts",
        frozenset(("a2", "b2")): "updates",
        frozenset(("a1", "a2")): "contradicts",  # within one article
        frozenset(("a2", "b1")): "supports",
    }
    cross = frozenset(pair for pair in kinds if len({article[c] for c in pair}) == 2)
    labels = bench_quality.Labels(kinds, cross, article)

    def ranking(*pairs: tuple[str, str]) -> list[Candidate]:
        return [
            Candidate(first, second, "stance", 0.5, "", "contradicts") for first, second in pairs
        ]

    gain = bench_quality.discounted_gain
    assert gain(ranking(("a1", "b1"), ("a1", "a2"), ("a2", "b2")), labels) == 1.5  # 1 + 1/2
    assert gain(ranking(("a1", "a2"), ("a2", "b1"), ("b1", "a1")), labels) == 0.5
    assert gain(ranking(("a1", "a2"), ("a2", "b1")), labels) == 0.0
    # Raising a pair by one place raises the gain, wherever it ranks: no cut-off.
    lower = ranking(*[("x", str(n)) for n in range(150)], ("a1", "b1"))
    higher = ranking(*[("x", str(n)) for n in range(149)], ("a1", "b1"))
    assert gain(higher, labels) > gain(lower, labels) > 0
