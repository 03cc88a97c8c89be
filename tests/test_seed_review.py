"""The five articles, fact-checked (#16): the bundled claims are a finished review.

These are the dataset's invariants, the ones a newcomer relies on when they open the
demo and a test relies on when it stands on the corpus: every claim has a verdict;
every verdict says why and carries evidence whose stance fits it (the rules of
`workbench.toml`, read through `workbench.verdicts`, the same code `check` runs); an
unverifiable verdict says which kind of claim cannot be checked; the relations the
review corrected keep the kind their notes argue for.
"""

from __future__ import annotations

import pytest

from workbench import Project, load_project
from workbench.checks import check_project
from workbench.stats import compute_stats
from workbench.verdicts import claim_verdict_problems, evidence_fits, verdict_note

from .conftest import REPO

UNVERIFIABLE_REASONS = ("Forecast:", "Opinion:", "Unnamed source:", "Not checkable:")
"""How an `unverifiable` verdict's note begins: what kind of claim it is, so a forecast
or an opinion is marked as such and a reader of the export sees why it has no rating."""


@pytest.fixture(scope="module")
def project() -> Project:
    return load_project(REPO, use_cache=False)


def test_every_claim_is_reviewed(project: Project) -> None:
    unreviewed = sorted(c.id for c in project.iter_claims() if c.status == "unreviewed")
    assert unreviewed == []
    stats = compute_stats(project)
    assert stats.reviewed == stats.total == 193


def test_every_verdict_carries_its_reasons(project: Project) -> None:
    lacking = {
        claim.id: problems
        for claim in project.iter_claims()
        if (problems := claim_verdict_problems(project.settings, claim))
    }
    assert lacking == {}
    for claim in project.iter_claims():
        assert verdict_note(claim).strip(), f"{claim.id}: a verdict without a note"
        if claim.status != "unverifiable":
            fitting = [
                e for e in claim.evidence if evidence_fits(project.settings, claim.status, e.stance)
            ]
            assert fitting, f"{claim.id}: no evidence whose stance fits `{claim.status}`"


def test_evidence_is_cited_not_invented(project: Project) -> None:
    for claim in project.iter_claims():
        for evidence in claim.evidence:
            assert len(evidence.citation) >= 12, (
                f"{claim.id}: {evidence.citation!r} names no source"
            )
            assert len(evidence.shows) >= 20, f"{claim.id}: say what {evidence.citation!r} shows"
            assert not evidence.url or evidence.url.startswith(("https://", "http://"))


def test_unverifiable_verdicts_say_what_kind_of_claim(project: Project) -> None:
    for claim in project.iter_claims():
        if claim.status == "unverifiable":
            note = verdict_note(claim)
            assert note.startswith(UNVERIFIABLE_REASONS), f"{claim.id}: {note[:60]!r}"


def test_the_review_checks_clean(project: Project) -> None:
    assert [problem.render(project.root) for problem in check_project(project)] == []


def _kinds(project: Project, first: str, second: str) -> set[str]:
    """The relation kinds recorded between two claims, in either file."""
    kinds = {r.kind for r in project.claims[first].claim.relations if r.claim == second}
    kinds |= {r.kind for r in project.claims[second].claim.relations if r.claim == first}
    return kinds


@pytest.mark.parametrize(
    ("first", "second", "wrong", "right"),
    [
        # The 300 are registered generative AI services, not start-ups: the summary
        # restates the CAC count, it does not back the "mushrooming" claim.
        (
            "check25-summary-300-ai-startups",
            "check25-startups-mushrooming",
            {"supports", "same-fact"},
            set(),
        ),
        (
            "check25-summary-300-ai-startups",
            "check25-cac-300-genai-services",
            {"contradicts"},
            {"same-fact"},
        ),
        # The order's real date (August 2023) undermines both claims.
        ("chosun24-biden-order-2022", "chosun24-curb-took-effect-at-once", {"supports"}, set()),
        # "China is a rising tech power" and "catching up is hard" can both be true.
        (
            "apple25-consensus-china-rising-tech-power",
            "apple25-silicon-valley-innovating-catch-up-hard",
            {"contradicts"},
            set(),
        ),
        # Another yardstick (o1, not GPT-4), and two Chinese models.
        ("check25-deepseek-claims-beats-gpt4", "ge25o-deepseek-r1-rivals-o1", {"supports"}, set()),
        (
            "check25-deepseek-claims-beats-gpt4",
            "check25-qwen25-max-beats-deepseek-v3",
            {"supports"},
            set(),
        ),
        # "Released in February" against "a day before the Stargate announcement".
        (
            "ge25c-deepseek-release-february",
            "check25-deepseek-announced-day-before-stargate",
            {"supports", "same-fact"},
            {"contradicts"},
        ),
    ],
)
def test_the_relations_the_review_corrected_keep_the_kind_their_notes_argue(
    project: Project, first: str, second: str, wrong: set[str], right: set[str]
) -> None:
    kinds = _kinds(project, first, second)
    assert not kinds & wrong, kinds
    assert right <= kinds, kinds
    for claim_id in (first, second):
        for relation in project.claims[claim_id].claim.relations:
            assert len(relation.note) >= 20, f"{claim_id} -> {relation.claim}: say why"


@pytest.mark.parametrize(
    ("claim_id", "status"),
    [
        ("ge25c-trillion-yuan-vc-fund", "misleading"),  # capital to attract, not the fund
        ("chosun24-cannot-develop-llm", "false"),  # Qwen and DeepSeek LLM existed
        ("chosun24-cannot-catch-up", "unverifiable"),  # a forecast
        ("apple25-deepseek-adopted-btx", "false"),  # BTX is Meta's Branch-Train-MiX
    ],
)
def test_the_verdicts_the_review_corrected(project: Project, claim_id: str, status: str) -> None:
    assert project.claims[claim_id].claim.status == status
    if status == "unverifiable":
        assert verdict_note(project.claims[claim_id].claim).startswith("Forecast:")


def test_statements_say_what_their_quotes_say(project: Project) -> None:
    def statement(claim_id: str) -> str:
        return project.claims[claim_id].claim.statement

    assert "industry insiders" not in statement("ge25o-some-models-beat-us-rivals")
    assert "at least as well as" in statement("check25-deepseek-claims-beats-gpt4")
    assert "better than" not in statement("check25-deepseek-claims-beats-gpt4")
    r1 = statement("ge25o-deepseek-r1-rivals-o1").lower()
    assert "in fact" not in r1 and "however" not in r1 and "but " not in r1
    cost = project.claims["check25-deepseek-cost-5-6m"].claim.quantity
    assert cost is not None and "v3" not in cost.subject.lower()
    assert "training" not in cost.subject.lower()


def test_no_date_is_stored_as_a_month_day_integer(project: Project) -> None:
    for claim in project.iter_claims():
        quantity = claim.quantity
        if quantity is not None:
            assert quantity.unit not in {"month-day", "date"}, claim.id
    assert project.claims["check25-korea-ai-committee-2025-02-20"].claim.quantity is None


def test_stats_show_the_review_and_the_second_opinion(project: Project) -> None:
    stats = compute_stats(project)
    assert stats.progress == 1.0
    assert stats.agreement is not None and stats.agreement.claims >= 30
    assert set(stats.agreement.reviewers) == {"desk-review", "seed-review"}
