"""Agreement between reviewers: the statistics, what counts as a verdict, the CLI."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from workbench.agreement import (
    cohens_kappa,
    compute_agreement,
    krippendorff_alpha_nominal,
    reviewer_verdicts,
    verdicts_agree,
)
from workbench.cli import main
from workbench.export import Selection, select_claims
from workbench.project import load_project

from .conftest import ProjectFactory, claim_toml


def _pairs(table: dict[tuple[str, str], int]) -> list[tuple[str, str]]:
    return [pair for pair, count in table.items() for _ in range(count)]


def test_cohens_kappa_of_the_textbook_two_by_two_table() -> None:
    """50 items: both yes 20, first yes second no 5, first no second yes 10, both no 15.

    p_o = (20 + 15) / 50 = 0.7; the first says yes 25/50 = 0.5, the second 30/50 = 0.6,
    so p_e = 0.5 * 0.6 + 0.5 * 0.4 = 0.5 and kappa = (0.7 - 0.5) / (1 - 0.5) = 0.4.
    """
    table = {("yes", "yes"): 20, ("yes", "no"): 5, ("no", "yes"): 10, ("no", "no"): 15}
    kappa = cohens_kappa(_pairs(table))
    assert kappa == pytest.approx(0.4)


def test_cohens_kappa_limits() -> None:
    assert cohens_kappa([("a", "a"), ("b", "b")]) == pytest.approx(1.0)
    # always opposite, with balanced marginals: p_o = 0, p_e = 0.5, kappa = -1
    assert cohens_kappa([("a", "b"), ("b", "a")]) == pytest.approx(-1.0)
    assert cohens_kappa([]) is None
    assert cohens_kappa([("a", "a"), ("a", "a")]) is None  # one label: chance agreement is 1


def test_krippendorffs_alpha_by_hand_with_missing_values() -> None:
    """Three reviewers, four claims (- = no verdict):

        claim 1: a a a      claim 2: a b -      claim 3: b b -      claim 4: a - -

    Claim 4 has one value and cannot be paired.  Coincidences (each ordered pair of
    values in a unit weighs 1 / (m - 1)): claim 1 gives six (a, a) pairs of 1/2, so
    o_aa = 3; claim 2 gives o_ab = o_ba = 1; claim 3 gives o_bb = 2.  Then
    n_a = 3 + 1 = 4, n_b = 1 + 2 = 3, n = 7; observed disagreement o_ab + o_ba = 2;
    expected n_a n_b + n_b n_a = 24; alpha = 1 - (n - 1) * 2 / 24 = 1 - 0.5 = 0.5.
    """
    units = [["a", "a", "a"], ["a", "b"], ["b", "b"], ["a"]]
    assert krippendorff_alpha_nominal(units) == pytest.approx(0.5)


def test_krippendorffs_alpha_of_krippendorffs_own_example() -> None:
    """Krippendorff (2011), "Computing Krippendorff's alpha-reliability", the 4 observer,
    12 unit example with missing values: nominal alpha = 0.743."""
    a = ["1", "2", "3", "3", "2", "1", "4", "1", "2", None, None, None]
    b = ["1", "2", "3", "3", "2", "2", "4", "1", "2", "5", None, "3"]
    c = [None, "3", "3", "3", "2", "3", "4", "2", "2", "5", "1", None]
    d = ["1", "2", "3", "3", "2", "4", "4", "1", "2", "5", "1", None]
    units = [[v for v in column if v is not None] for column in zip(a, b, c, d, strict=True)]
    assert krippendorff_alpha_nominal(units) == pytest.approx(0.743, abs=0.0005)


def test_krippendorffs_alpha_undefined_and_perfect() -> None:
    assert krippendorff_alpha_nominal([["a", "a"], ["a", "a"]]) is None
    assert krippendorff_alpha_nominal([["a"], ["b"]]) is None
    assert krippendorff_alpha_nominal([["a", "a"], ["b", "b"]]) == pytest.approx(1.0)


# --------------------------------------------------------------------------- verdicts

HISTORY = """
[[history]]
at = {at}
reviewer = "{reviewer}"
from = "{before}"
to = "{after}"
note = "{note}"
"""


def _claim(claim_id: str, *steps: tuple[str, str, str] | tuple[str, str, str, str]) -> str:
    """A claim file whose history is `steps` of (reviewer, from, to[, note])."""
    status = steps[-1][2] if steps else "unreviewed"
    text = claim_toml(claim_id).replace('status = "unreviewed"', f'status = "{status}"')
    for number, step in enumerate(steps):
        reviewer, before, after = step[:3]
        note = step[3] if len(step) == 4 else ""
        at = f"2025-03-0{number + 1}T09:00:00Z"
        text += HISTORY.format(at=at, reviewer=reviewer, before=before, after=after, note=note)
    return text


CLAIMS = {
    # Kim and Lee agree
    "c1.toml": _claim(
        "c1",
        ("Kim", "unreviewed", "verified"),
        ("Lee", "verified", "false"),
        ("Lee", "false", "verified"),
    ),
    # they disagree; Park only added evidence, which is not a verdict
    "c2.toml": _claim(
        "c2",
        ("Kim", "unreviewed", "false"),
        ("Lee", "false", "verified"),
        ("Park", "verified", "verified", "evidence added: refutes: Report"),
    ),
    # Kim's verdict was undone: only Lee's stands
    "c3.toml": _claim(
        "c3",
        ("Lee", "unreviewed", "false"),
        ("Kim", "false", "verified"),
        ("Kim", "verified", "false", "undo: status false -> verified"),
    ),
    # both say false, Lee by changing it back
    "c4.toml": _claim(
        "c4",
        ("Kim", "unreviewed", "false"),
        ("Lee", "false", "verified"),
        ("Lee", "verified", "false"),
    ),
    # Lee looked and let Kim's verdict stand: a second opinion that agrees
    "c5.toml": _claim(
        "c5", ("Kim", "unreviewed", "false"), ("Lee", "false", "false", "Agreed: the report")
    ),
    "c6.toml": _claim("c6"),
}


@pytest.fixture
def reviewed(make_project: ProjectFactory) -> Path:
    return make_project({name: text for name, text in CLAIMS.items()})


def test_each_reviewers_latest_verdict_counts(reviewed: Path) -> None:
    project = load_project(reviewed, use_cache=False)
    assert reviewer_verdicts(project.claim("c1")) == {"Kim": "verified", "Lee": "verified"}
    assert reviewer_verdicts(project.claim("c2")) == {"Kim": "false", "Lee": "verified"}
    assert reviewer_verdicts(project.claim("c3")) == {"Lee": "false"}
    assert reviewer_verdicts(project.claim("c5")) == {"Kim": "false", "Lee": "false"}
    assert reviewer_verdicts(project.claim("c6")) == {}
    assert [verdicts_agree(project.claim(f"c{n}")) for n in range(1, 7)] == [
        True,
        False,
        False,
        True,
        True,
        False,
    ]


def test_agreement_figures_over_a_project(reviewed: Path) -> None:
    """Claims c1, c2, c4, c5 have two verdicts (Kim, Lee): (verified, verified),
    (false, verified), (false, false), (false, false).  p_o = 3/4; Kim says verified
    1/4, false 3/4; Lee verified 2/4, false 2/4; p_e = 1/4 * 2/4 + 3/4 * 2/4 = 1/2;
    kappa = (3/4 - 1/2) / (1/2) = 0.5.  Alpha: coincidences o_vv = 2, o_ff = 4,
    o_vf = o_fv = 1; n_v = 3, n_f = 5, n = 8; alpha = 1 - 7 * 2 / (2 * 3 * 5) = 8/15."""
    project = load_project(reviewed, use_cache=False)
    agreement = compute_agreement(project.iter_claims(), list(project.settings.statuses))
    assert (agreement.claims, agreement.reviewers, agreement.agreed) == (4, ["Kim", "Lee"], 3)
    assert agreement.kappa == pytest.approx(0.5)
    assert agreement.alpha == pytest.approx(8 / 15)
    # two statuses in use: "verified or not" is the same question as "false or not"
    assert agreement.per_status["verified"]["kappa"] == pytest.approx(0.5)
    assert agreement.per_status["false"]["alpha"] == pytest.approx(8 / 15)
    assert [(d.claim_id, d.verdicts) for d in agreement.disagreements] == [
        ("c2", {"Kim": "false", "Lee": "verified"})
    ]


def test_per_status_figures_differ_when_three_statuses_are_used() -> None:
    """Two reviewers, three claims: (verified, verified), (false, misleading),
    (misleading, misleading).  "verified or not": (y, y), (n, n), (n, n): perfect, but
    p_e = 1/3 * 1/3 + 2/3 * 2/3 = 5/9, kappa = (1 - 5/9) / (4/9) = 1.  "false or not":
    (n, n), (y, n), (n, n): p_o = 2/3, p_e = 1/3 * 0 + 2/3 * 1 = 2/3, kappa = 0."""
    from workbench.models import Claim

    def claim(claim_id: str, first: str, second: str) -> Claim:
        history = [
            {"at": "2025-03-01T09:00:00Z", "reviewer": "A", "from": "unreviewed", "to": first},
            {"at": "2025-03-02T09:00:00Z", "reviewer": "B", "from": first, "to": second},
        ]
        return Claim.model_validate(
            {
                "id": claim_id,
                "statement": "s",
                "topic": "t",
                "stance": "s",
                "status": second,
                "source": {"id": "src", "quote": "q"},
                "history": history,
            }
        )

    claims = [
        claim("a", "verified", "verified"),
        claim("b", "false", "misleading"),
        claim("c", "misleading", "misleading"),
    ]
    agreement = compute_agreement(claims, ["unreviewed", "verified", "misleading", "false"])
    assert list(agreement.per_status) == ["verified", "misleading", "false"]
    assert agreement.per_status["verified"]["kappa"] == pytest.approx(1.0)
    assert agreement.per_status["false"]["kappa"] == pytest.approx(0.0)


def _run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    try:
        code = main(argv)
    except SystemExit as exit_:
        code = int(exit_.code or 0)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_stats_agreement_text_and_json(reviewed: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = _run(["stats", "--agreement", "--root", str(reviewed)], capsys)
    assert (code, err) == (0, "")
    assert "Claims reviewed by two or more: 4 (reviewers: Kim, Lee)" in out
    assert "Cohen's kappa: 0.500" in out
    assert "Krippendorff's alpha (nominal): 0.533" in out
    assert "  c2  Kim: false, Lee: verified" in out
    code, out, _ = _run(
        ["stats", "--agreement", "--format", "json", "--root", str(reviewed)], capsys
    )
    data = json.loads(out)
    assert (data["claims"], data["agreed"], data["kappa"], data["alpha"]) == (4, 3, 0.5, 0.5333)
    assert data["disagreements"] == [
        {"claim": "c2", "status": "verified", "verdicts": {"Kim": "false", "Lee": "verified"}}
    ]
    # the selection filters apply: only the false claims
    code, out, _ = _run(
        ["stats", "--agreement", "--status", "false", "--format", "json", "--root", str(reviewed)],
        capsys,
    )
    assert json.loads(out)["claims"] == 2  # c4 and c5


def test_export_agreed_keeps_claims_whose_verdicts_agree(
    reviewed: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = load_project(reviewed, use_cache=False)
    agreed = select_claims(project, Selection(agreed=True))
    assert [claim.id for claim in agreed] == ["c1", "c4", "c5"]
    code, out, err = _run(
        ["export", "--format", "json", "--agreed", "--root", str(reviewed)], capsys
    )
    assert (code, err) == (0, "")
    document = json.loads(out)
    assert [claim["id"] for claim in document["claims"]] == ["c1", "c4", "c5"]
    assert document["selection"]["agreed"] is True


def test_a_note_merged_in_from_a_branch_that_saw_the_claim_unreviewed_withdraws_nothing(
    make_project: ProjectFactory,
) -> None:
    """Kim's verdict came from one branch; Kim's own note, written on another branch
    while the claim was still unreviewed there, comes after it once merged in time
    order (`unreviewed -> unreviewed`). It is no verdict and withdraws none; a verdict
    set back to `unreviewed` still does."""
    root = make_project(
        {
            "m1.toml": _claim(
                "m1",
                ("Kim", "unreviewed", "verified"),
                ("Lee", "verified", "verified", "holds"),
                ("Kim", "unreviewed", "unreviewed", "removed relation: supports m2"),
            ).replace('status = "unreviewed"', 'status = "verified"'),
            "m2.toml": _claim(
                "m2", ("Kim", "unreviewed", "verified"), ("Kim", "verified", "unreviewed")
            ),
        }
    )
    project = load_project(root, use_cache=False)
    assert reviewer_verdicts(project.claim("m1")) == {"Lee": "verified", "Kim": "verified"}
    assert verdicts_agree(project.claim("m1"))
    assert reviewer_verdicts(project.claim("m2")) == {}
