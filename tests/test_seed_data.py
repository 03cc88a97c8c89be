"""The bundled data is what every newcomer sees first: it must be complete and clean."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest

from workbench import Project, load_project
from workbench.anchoring import AnchorKind
from workbench.checks import check_project
from workbench.numbers import parse_numbers
from workbench.verdicts import status_from_history

from .conftest import REPO

NOT_QUANTITIES = {
    "check25-advanced-tech-rivals-us": "1위 다툼 is 'contending for first place', not a rank",
    "check25-china-ai-rivals-us-for-first": "1위 다툼 is 'contending for first place'",
    "check25-deepseek-announced-day-before-stargate": "하루 dates an event relative to another",
    "check25-kimi-k15-beats-claude-35-sonnet": "3.5 is the model's version (Claude 3.5 Sonnet)",
    "check25-korea-ai-committee-2025-02-20": "제3차 is an ordinal; the date is no quantity",
    "check25-lg-exaone-35-deepseek-level": "3.5 is the model's version (EXAONE 3.5)",
    "check25-nature-index-2024-published-june": "2024 is the edition's year",
}
"""Claims whose quote holds a number that is not the claim's quantity, and why."""


@pytest.fixture(scope="module")
def project() -> Project:
    return load_project(REPO, use_cache=False)


def test_the_bundled_data_checks_clean(project: Project) -> None:
    assert [problem.render(project.root) for problem in check_project(project)] == []


def test_five_sources_with_complete_metadata(project: Project) -> None:
    assert len(project.sources) == 5
    for record in project.sources.values():
        source = record.source
        assert source.outlet and source.title and source.language == "ko"
        assert source.view in {"lagging", "catching-up", "mixed"}
        assert dt.date(2024, 1, 1) <= source.published <= dt.date(2025, 12, 31)
        assert record.text, f"{source.id} has no text"
    stated = {
        "chosun-2024-lagging": dt.date(2024, 4, 2),
        "ai-check-2025-startups": dt.date(2025, 2, 24),
    }
    for source_id, published in stated.items():
        assert project.sources[source_id].source.published == published
        assert project.sources[source_id].source.date_inferred == ""
    for source_id in set(project.sources) - set(stated):
        assert project.sources[source_id].source.date_inferred, f"{source_id}: say how"
    relays = {s.source.id: " ".join(s.source.relays) for s in project.sources.values()}
    assert "CNBC" in relays["chosun-2024-lagging"] and "SCMP" in relays["ge-2025-confidence"]
    assert "Reuters" in relays["appleconomy-2025-deepseek"]


def test_every_article_is_covered_claim_by_claim(project: Project) -> None:
    per_source = Counter(claim.source.id for claim in project.iter_claims())
    assert len(project.claims) > 60
    assert set(per_source) == set(project.sources)
    assert min(per_source.values()) >= 15


def test_every_quote_anchors_exactly(project: Project) -> None:
    for claim in project.iter_claims():
        anchor = project.anchor(claim)
        assert anchor is not None and anchor.kind is AnchorKind.EXACT, claim.id


def test_every_number_in_a_quote_that_is_a_claim_has_a_quantity(project: Project) -> None:
    missing = [
        claim.id
        for claim in project.iter_claims()
        if claim.quantity is None
        and any(m.kind not in {"date", "year"} for m in parse_numbers(claim.source.quote))
    ]
    assert sorted(missing) == sorted(NOT_QUANTITIES)


def test_the_key_figures_are_recorded(project: Project) -> None:
    values = {
        (claim.quantity.unit, claim.quantity.value)
        for claim in project.iter_claims()
        if claim.quantity is not None
    }
    for expected in [
        ("USD", 5_600_000),
        ("USD", 33_000_000_000),
        ("CNY", 1e12),
        ("USD", 174_600_000_000),
        ("USD", 500_000_000_000),
    ]:
        assert expected in values, expected


def test_the_lagging_and_catching_up_views_are_linked(project: Project) -> None:
    stance = {claim.id: claim.stance for claim in project.iter_claims()}
    source = {claim.id: claim.source.id for claim in project.iter_claims()}
    opposed = [
        (claim.id, relation.claim)
        for claim in project.iter_claims()
        for relation in claim.relations
        if relation.kind in {"contradicts", "updates"}
        and {stance[claim.id], stance[relation.claim]} == {"lagging", "catching-up"}
        and source[claim.id] != source[relation.claim]
    ]
    assert len(opposed) >= 10
    assert all(relation.note for claim in project.iter_claims() for relation in claim.relations)


def test_deepseek_release_dates_are_in_conflict(project: Project) -> None:
    relations = project.claim("ge25c-deepseek-release-february").relations
    assert any(
        r.kind == "contradicts" and r.claim == "check25-deepseek-announced-day-before-stargate"
        for r in relations
    )


def test_reviewed_claims_carry_evidence_and_history(project: Project) -> None:
    reviewed = [claim for claim in project.iter_claims() if claim.status != "unreviewed"]
    assert len(reviewed) >= 10
    for claim in reviewed:
        assert claim.evidence, claim.id
        assert status_from_history(claim.history) == claim.status, claim.id
