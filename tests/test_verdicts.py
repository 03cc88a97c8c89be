"""Verdicts carry their reasons: requirements per status, WB507, `workbench evidence add`."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from workbench.checks import check_project
from workbench.cli import main
from workbench.config import load_settings
from workbench.evidence import add_evidence
from workbench.models import Evidence, ProjectSettings
from workbench.project import load_project
from workbench.review import ReviewError, add_note, mark_status
from workbench.verdicts import (
    claim_verdict_problems,
    evidence_fits,
    verdict_note,
    verdict_problems,
)

from .conftest import CONFIG, REPO, ProjectFactory, claim_toml

STRICT_CONFIG = CONFIG.replace(
    'meaning = "Wrong."\nkey = "4"\n',
    'meaning = "Wrong."\nkey = "4"\nrequires_note = true\nrequires_evidence = ["refutes"]\n',
)

REFUTING = Evidence(
    citation="Report, 2025", url="https://example.org/r", shows="It says $6M.", stance="refutes"
)
SUPPORTING = Evidence(citation="Other, 2025", shows="It agrees.", stance="supports")


@pytest.fixture(autouse=True)
def _reviewer(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WORKBENCH_REVIEWER", "Test Reviewer")


@pytest.fixture
def strict(make_project: ProjectFactory) -> Path:
    root = make_project({"test24-cost.toml": claim_toml("test24-cost")})
    (root / "workbench.toml").write_text(STRICT_CONFIG, encoding="utf-8")
    return root


def _settings(root: Path) -> ProjectSettings:
    settings, problems = load_settings(root)
    assert problems == []
    return settings


def _run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    try:
        code = main(argv)
    except SystemExit as exit_:
        code = int(exit_.code or 0)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_requirements_are_read_from_workbench_toml(strict: Path) -> None:
    settings = _settings(strict)
    assert verdict_problems(settings, "false", "", []) == [
        "a `false` verdict needs a note saying why",
        "a `false` verdict needs evidence that refutes the claim "
        "(an evidence entry with stance `refutes`)",
    ]
    assert verdict_problems(settings, "false", "The report says $6M.", [REFUTING]) == []
    # supporting evidence does not back a `false` verdict
    assert len(verdict_problems(settings, "false", "why", [SUPPORTING])) == 1
    assert verdict_problems(settings, "false", "   ", [REFUTING]) == [
        "a `false` verdict needs a note saying why"
    ]
    # a status without requirements, and an unknown status, ask for nothing
    assert verdict_problems(settings, "verified", "", []) == []
    assert verdict_problems(settings, "nonsense", "", []) == []
    assert evidence_fits(settings, "false", "refutes")
    assert not evidence_fits(settings, "false", "supports")
    assert evidence_fits(settings, "verified", "refutes")


def test_the_bundled_statuses_require_a_note_and_fitting_evidence() -> None:
    settings = _settings(REPO)
    wants = {
        name: (info.requires_note, tuple(info.requires_evidence))
        for name, info in settings.statuses.items()
    }
    assert wants["unverifiable"] == (False, ())
    assert wants["unreviewed"] == (False, ())
    assert wants["verified"] == (True, ("supports",))
    assert wants["false"] == (True, ("refutes",))
    for name in ("misleading", "disputed", "outdated"):
        assert wants[name][0] is True and wants[name][1]
    several = verdict_problems(settings, "misleading", "x", [])
    assert several == [
        "a `misleading` verdict needs evidence that supports the claim or refutes the claim "
        "(an evidence entry with stance `supports` or `refutes`)"
    ]


def test_a_verdict_without_its_reasons_is_a_warning_at_the_status_line(strict: Path) -> None:
    project = load_project(strict, use_cache=False)
    mark_status(project, "test24-cost", "false", reviewer="Kim")
    project = load_project(strict, use_cache=False)
    problems = check_project(project)
    assert [(p.code, p.severity.value) for p in problems] == [("WB507", "warning")]
    path = strict / "claims" / "test24-cost.toml"
    status_line = path.read_text("utf-8").splitlines().index('status = "false"') + 1
    assert problems[0].line == status_line
    assert "needs a note" in problems[0].message
    assert "workbench evidence add test24-cost" in problems[0].message
    # `check` exits 0 on warnings only
    assert main(["check", "--root", str(strict)]) == 0


def test_a_later_note_gives_the_reason_but_an_evidence_note_does_not(strict: Path) -> None:
    project = load_project(strict, use_cache=False)
    mark_status(project, "test24-cost", "false", reviewer="Kim")
    add_evidence(project, "test24-cost", REFUTING, reviewer="Lee")
    claim = project.claim("test24-cost")
    assert verdict_note(claim) == ""
    assert claim_verdict_problems(project.settings, claim) == [
        "a `false` verdict needs a note saying why"
    ]
    add_note(project, "test24-cost", "The report says $6M, not $5.6M.", reviewer="Kim")
    claim = project.claim("test24-cost")
    assert verdict_note(claim) == "The report says $6M, not $5.6M."
    assert claim_verdict_problems(project.settings, claim) == []
    assert check_project(load_project(strict, use_cache=False)) == []
    # a new verdict needs its own reason: the old note does not carry over
    mark_status(project, "test24-cost", "verified", reviewer="Kim")
    mark_status(project, "test24-cost", "false", reviewer="Kim")
    assert verdict_note(project.claim("test24-cost")) == ""


def test_add_evidence_appends_evidence_and_a_history_note(strict: Path) -> None:
    project = load_project(strict, use_cache=False)
    at = dt.datetime(2025, 3, 1, 9, 30, tzinfo=dt.UTC)
    change = add_evidence(project, "test24-cost", REFUTING, reviewer="Lee", at=at)
    assert change.after.evidence == [REFUTING]
    claim = load_project(strict, use_cache=False).claim("test24-cost")
    assert claim.evidence == [REFUTING]
    entry = claim.history[-1]
    assert (entry.reviewer, entry.from_status, entry.to_status, entry.at) == (
        "Lee",
        "unreviewed",
        "unreviewed",
        at,
    )
    assert entry.note == "evidence added: refutes: Report, 2025"
    with pytest.raises(ReviewError, match="already has this evidence"):
        add_evidence(project, "test24-cost", REFUTING, reviewer="Lee")
    with pytest.raises(ReviewError, match="http"):
        add_evidence(
            project, "test24-cost", REFUTING.model_copy(update={"url": "ftp://x"}), reviewer="Lee"
        )


def test_evidence_add_command_writes_and_says_what_the_verdict_still_lacks(
    strict: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = load_project(strict, use_cache=False)
    mark_status(project, "test24-cost", "false", reviewer="Kim")
    argv = [
        "evidence",
        "add",
        "test24-cost",
        "--root",
        str(strict),
        "--citation",
        "Report, 2025",
        "--url",
        "https://example.org/r",
        "--shows",
        "It says $6M.",
        "--stance",
        "refutes",
        "--reviewer",
        "Lee",
    ]
    code, out, err = _run(argv, capsys)
    assert (code, err) == (0, "")
    assert out.splitlines() == [
        "added refutes evidence to test24-cost (1 in all)",
        "note: a `false` verdict needs a note saying why",
    ]
    claim = load_project(strict, use_cache=False).claim("test24-cost")
    assert claim.evidence == [REFUTING]
    assert claim.history[-1].reviewer == "Lee"
    assert check_project(load_project(strict, use_cache=False))[0].code == "WB507"


def test_evidence_that_does_not_back_the_verdict_is_added_with_a_note(
    strict: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = load_project(strict, use_cache=False)
    mark_status(project, "test24-cost", "false", reviewer="Kim", note="The report says $6M.")
    add_evidence(project, "test24-cost", REFUTING, reviewer="Kim")
    argv = ["evidence", "add", "test24-cost", "--root", str(strict), "--citation", "Other"]
    argv += ["--shows", "It agrees.", "--stance", "supports"]
    code, out, err = _run(argv, capsys)
    assert (code, err) == (0, "")
    assert out.splitlines() == [
        "added supports evidence to test24-cost (2 in all)",
        "note: this evidence (supports) does not back the `false` verdict: "
        "the claim may need another look",
    ]


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"--url": "javascript:alert(1)"}, "--url: 'javascript:alert(1)' is not an http(s)"),
        ({"--url": "example.org/r"}, "--url: 'example.org/r' is not an http(s)"),
        ({"--url": "https://"}, "--url: 'https://' names no host"),
        ({"--stance": "refute"}, "argument --stance: invalid choice: 'refute'"),
        ({"--shows": "  "}, "--shows: must be text"),
        ({"id": "test24-cots"}, "no claim with id `test24-cots`; did you mean `test24-cost`?"),
    ],
)
def test_evidence_add_refuses_bad_input_with_one_line_and_writes_nothing(
    strict: Path, capsys: pytest.CaptureFixture[str], changes: dict[str, str], expected: str
) -> None:
    options = {
        "--citation": "Report",
        "--url": "https://example.org/r",
        "--shows": "It says $6M.",
        "--stance": "refutes",
    }
    options.update({key: value for key, value in changes.items() if key.startswith("--")})
    argv = ["evidence", "add", changes.get("id", "test24-cost"), "--root", str(strict)]
    for key, value in options.items():
        argv += [key, value]
    path = strict / "claims" / "test24-cost.toml"
    before = path.read_bytes()
    code, out, err = _run(argv, capsys)
    assert code == 2 and out == ""
    assert len(err.splitlines()) == 1 and expected in err, err
    assert path.read_bytes() == before
