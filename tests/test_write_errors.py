"""Bad input on the write side: a failing disk and control characters in flags.

Each ends in one line naming the file or the flag, with the claim as it was and
no temporary file left behind; never a traceback.  (A real failing write, under
a file-size limit in a subprocess, is in `test_concurrent_writes.py`; here the
operating system's refusals that a test cannot cause for real, a full disk, an
I/O error, a read-only file system, are raised where the OS would raise them.)
"""

from __future__ import annotations

import errno
import os
import tempfile
from pathlib import Path

import pytest

from workbench.project import load_project
from workbench.review import ReviewError, add_note, mark_status

from .conftest import ProjectFactory, claim_toml, run_cli


@pytest.fixture(autouse=True)
def _reviewer(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WORKBENCH_REVIEWER", "Test Reviewer")


@pytest.fixture
def root(make_project: ProjectFactory) -> Path:
    return make_project({"test24-cost.toml": claim_toml("test24-cost")})


_run = run_cli


def _fail(code: int, where: str, monkeypatch: pytest.MonkeyPatch) -> None:
    error = OSError(code, os.strerror(code))

    def refuse(*args: object, **kwargs: object) -> None:
        raise error

    if where == "fsync":
        monkeypatch.setattr(os, "fsync", refuse)
    elif where == "replace":
        monkeypatch.setattr(os, "replace", refuse)
    else:
        monkeypatch.setattr(tempfile, "mkstemp", refuse)


@pytest.mark.parametrize(
    ("code", "where", "advice"),
    [
        (errno.ENOSPC, "fsync", "free some disk space"),
        (errno.EIO, "replace", "input/output error"),
        (errno.EROFS, "mkstemp", "read-only"),
    ],
)
def test_a_failing_disk_is_one_line_and_changes_nothing(
    root: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    code: int,
    where: str,
    advice: str,
) -> None:
    path = root / "claims" / "test24-cost.toml"
    before = path.read_bytes()
    _fail(code, where, monkeypatch)
    exit_code, out, err = _run(["mark", "test24-cost", "verified", "--root", str(root)], capsys)
    assert exit_code == 1 and out == ""
    assert len(err.splitlines()) == 1, err
    assert "test24-cost.toml" in err and os.strerror(code) in err and advice in err
    assert path.read_bytes() == before
    assert sorted(p.name for p in (root / "claims").iterdir()) == ["test24-cost.toml"]


def test_a_full_disk_during_add_creates_nothing(
    root: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    _fail(errno.ENOSPC, "fsync", monkeypatch)
    exit_code, out, err = _run(
        [
            "add",
            "--root",
            str(root),
            "--source",
            "test-source",
            "--quote",
            "딥시크는 560만달러로",
            "--statement",
            "DeepSeek spent $5.6 million.",
            "--topic",
            "cost",
            "--stance",
            "catching-up",
            "--id",
            "new-claim",
        ],
        capsys,
    )
    assert exit_code == 1 and out == ""
    assert len(err.splitlines()) == 1 and "free some disk space" in err, err
    assert sorted(p.name for p in (root / "claims").iterdir()) == ["test24-cost.toml"]


@pytest.mark.parametrize(
    ("argv", "flag"),
    [
        (["mark", "test24-cost", "verified", "--note", "bad \x1b[31m red"], "--note"),
        (["mark", "test24-cost", "verified", "--reviewer", "\x1b]0;owned\x07"], "--reviewer"),
        (
            [
                "add",
                "--source",
                "test-source",
                "--quote",
                "딥시크는 560만달러로",
                "--statement",
                "DeepSeek \x1b[2J spent $5.6 million.",
                "--topic",
                "cost",
                "--stance",
                "catching-up",
            ],
            "--statement",
        ),
    ],
)
def test_a_control_character_in_a_flag_is_one_line_naming_the_flag(
    root: Path, capsys: pytest.CaptureFixture[str], argv: list[str], flag: str
) -> None:
    before = {p.name: p.read_bytes() for p in (root / "claims").iterdir()}
    exit_code, out, err = _run([*argv, "--root", str(root)], capsys)
    assert exit_code == 2 and out == ""
    assert len(err.splitlines()) == 1, err
    assert err.startswith(f"workbench {argv[0]}: {flag} contains the control character U+00")
    assert "\x1b" not in err
    assert {p.name: p.read_bytes() for p in (root / "claims").iterdir()} == before


def test_a_control_character_in_a_note_from_the_app_is_a_review_error(root: Path) -> None:
    project = load_project(root)
    path = root / "claims" / "test24-cost.toml"
    before = path.read_bytes()
    with pytest.raises(ReviewError, match=r"^the note contains the control character U\+001B"):
        add_note(project, "test24-cost", "bad \x1b[31m", reviewer="tester")
    with pytest.raises(ReviewError, match=r"^the note contains"):
        mark_status(project, "test24-cost", "verified", reviewer="tester", note="\x1b[0m")
    assert path.read_bytes() == before
