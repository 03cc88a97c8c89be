"""`workbench relate` and `workbench note`: a reviewer corrects relations and leaves
reasons from the command line, with the same locked path as the app."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from tests.conftest import run_cli

A = "check25-summary-300-ai-startups"
B = "check25-startups-mushrooming"
C = "check25-cac-300-genai-services"


def _claim(root: Path, claim_id: str) -> dict[str, object]:
    with (root / "claims" / f"{claim_id}.toml").open("rb") as handle:
        return tomllib.load(handle)


def _relations(root: Path, claim_id: str) -> list[tuple[str, str]]:
    relations = _claim(root, claim_id).get("relations", [])
    assert isinstance(relations, list)
    return [(r["kind"], r["claim"]) for r in relations]


def test_remove_a_wrong_relation_and_record_the_right_one(
    repo_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = str(repo_copy)
    for claim_id, other in ((A, B), (B, A)):  # the wrong relation, as the seed data had it
        assert ("supports", other) not in _relations(repo_copy, claim_id)
    assert run_cli(["relate", A, "supports", B, "--reviewer", "Bo", "--root", root], capsys)[0] == 0
    assert ("supports", B) in _relations(repo_copy, A)
    assert ("supports", A) in _relations(repo_copy, B)
    for claim_id in (A, C):  # the right one is recorded below, so take it back first
        other = C if claim_id == A else A
        assert ("same-fact", other) in _relations(repo_copy, claim_id)
    assert (
        run_cli(
            ["relate", A, "same-fact", C, "--remove", "--reviewer", "Bo", "--root", root], capsys
        )[0]
        == 0
    )
    assert ("same-fact", C) not in _relations(repo_copy, A)
    code, out, err = run_cli(
        [
            "relate",
            A,
            "supports",
            B,
            "--remove",
            "--note",
            "300 are services, not start-ups",
            "--reviewer",
            "Ana",
            "--root",
            root,
        ],
        capsys,
    )
    assert (code, err) == (0, ""), err
    assert "removed" in out
    assert ("supports", B) not in _relations(repo_copy, A)
    assert ("supports", A) not in _relations(repo_copy, B)
    for claim_id, other in ((A, B), (B, A)):
        last = _claim(repo_copy, claim_id)["history"][-1]  # type: ignore[index]
        assert last["reviewer"] == "Ana"
        assert (
            last["note"] == f"removed relation: supports {other}: 300 are services, not start-ups"
        )
        assert last["from"] == last["to"]

    code, out, err = run_cli(
        [
            "relate",
            A,
            "same-fact",
            C,
            "--note",
            "both count registered services",
            "--reviewer",
            "Ana",
            "--root",
            root,
        ],
        capsys,
    )
    assert (code, err) == (0, ""), err
    forward = [r for r in _claim(repo_copy, A)["relations"] if r["claim"] == C]  # type: ignore[union-attr]
    assert forward and forward[0]["kind"] == "same-fact" and forward[0]["reviewer"] == "Ana"
    assert forward[0]["note"] == "both count registered services"
    assert ("same-fact", A) in _relations(repo_copy, C)
    code, _out, _err = run_cli(["check", "--root", root], capsys)
    assert code == 0


def test_removing_a_relation_that_is_not_there_writes_nothing(
    repo_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = (repo_copy / "claims" / f"{A}.toml").read_bytes()
    code, _out, err = run_cli(
        ["relate", A, "contradicts", C, "--remove", "--reviewer", "Ana", "--root", str(repo_copy)],
        capsys,
    )
    assert code == 2
    assert f"{A} has no `contradicts` relation to {C}" in err
    assert (repo_copy / "claims" / f"{A}.toml").read_bytes() == before


def test_relate_names_an_unknown_claim_with_the_closest(
    repo_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _out, err = run_cli(
        ["relate", A, "supports", B + "x", "--reviewer", "Ana", "--root", str(repo_copy)], capsys
    )
    assert code == 2
    assert f"no claim with id `{B}x`; did you mean `{B}`?" in err


def test_updates_is_removed_from_the_newer_claim_with_a_hint_when_reversed(
    repo_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = str(repo_copy)
    assert run_cli(["relate", A, "updates", C, "--reviewer", "Ana", "--root", root], capsys)[0] == 0
    assert ("updates", C) in _relations(repo_copy, A)
    assert ("updates", A) not in _relations(repo_copy, C)
    code, _out, err = run_cli(
        ["relate", C, "updates", A, "--remove", "--reviewer", "Ana", "--root", root], capsys
    )
    assert code == 2 and f"try {A} first" in err
    assert (
        run_cli(
            ["relate", A, "updates", C, "--remove", "--reviewer", "Ana", "--root", root], capsys
        )[0]
        == 0
    )
    assert ("updates", C) not in _relations(repo_copy, A)


def test_note_keeps_the_status_and_the_comments(
    repo_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = repo_copy / "claims" / f"{A}.toml"
    path.write_text("# kept by hand\n" + path.read_text(encoding="utf-8"), encoding="utf-8")
    status = _claim(repo_copy, A)["status"]
    code, out, err = run_cli(
        [
            "note",
            A,
            "statement corrected: the quote says services",
            "--reviewer",
            "Ana",
            "--root",
            str(repo_copy),
        ],
        capsys,
    )
    assert (code, err) == (0, ""), err
    assert out.startswith(f"noted on {A}")
    claim = _claim(repo_copy, A)
    assert claim["status"] == status
    last = claim["history"][-1]  # type: ignore[index]
    assert (last["from"], last["to"], last["note"]) == (
        status,
        status,
        "statement corrected: the quote says services",
    )
    assert path.read_text(encoding="utf-8").startswith("# kept by hand\n")


def test_note_refuses_control_characters_and_a_missing_reviewer(
    repo_copy: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    before = (repo_copy / "claims" / f"{A}.toml").read_bytes()
    code, _out, err = run_cli(
        ["note", A, "bad \x1b[31m", "--reviewer", "Ana", "--root", str(repo_copy)], capsys
    )
    assert code == 2 and "the note" in err
    monkeypatch.delenv("WORKBENCH_REVIEWER", raising=False)
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", "/dev/null")
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    monkeypatch.chdir(repo_copy)
    code, _out, err = run_cli(["note", A, "fine", "--root", str(repo_copy)], capsys)
    assert code == 2 and "who is reviewing?" in err
    assert (repo_copy / "claims" / f"{A}.toml").read_bytes() == before


def test_reviewer_before_the_command_reaches_it(
    repo_copy: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """`workbench --reviewer NAME note ...` records NAME, as `--root` before a command works."""
    monkeypatch.delenv("WORKBENCH_REVIEWER", raising=False)
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", "/dev/null")
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    root = str(repo_copy)
    code, _out, err = run_cli(["--reviewer", "Ana", "--root", root, "note", A, "seen"], capsys)
    assert code == 0, err
    evidence_add = ["evidence", "add", A, "--citation", "Filing", "--shows", "the sum"]
    code, _out, err = run_cli(
        ["--reviewer=Bo", *evidence_add, "--stance", "supports", "--root", root], capsys
    )
    assert code == 0, err
    history = _claim(repo_copy, A)["history"]
    assert isinstance(history, list)
    assert [entry["reviewer"] for entry in history[-2:]] == ["Ana", "Bo"]
    evidence = _claim(repo_copy, A)["evidence"]
    assert isinstance(evidence, list) and evidence[-1]["citation"] == "Filing"


def test_reviewer_before_a_command_without_one_says_so(
    repo_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for argv in (
        ["--reviewer", "Ana", "--root", str(repo_copy), "stats"],
        ["--root", str(repo_copy), "check", "--reviewer=Ana"],
    ):
        code, out, err = run_cli(argv, capsys)
        command = argv[-1] if argv[-1] == "stats" else "check"
        assert code == 2 and out == ""
        assert err == (
            f"workbench {command}: --reviewer is not an option of `{command}` "
            "(it records who marks, adds or relates); leave it out\n"
        )
    code, out, _err = run_cli(["--reviewer", "Ana", "--help"], capsys)
    assert code == 0 and out.startswith("usage: workbench review ")
