"""Git merges of claim files: `workbench git-setup`, the merge driver run by a real
`git merge`, WB506 for verdicts to settle and WB006 for conflict markers."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from workbench.files.gitsetup import ATTRIBUTE_LINE
from workbench.project import load_project
from workbench.review import add_note, mark_status
from workbench.tomlio import parse_toml
from workbench.verdicts import verdict_note

from .conftest import REPO, ProjectFactory, claim_toml

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="needs git")


def _environment() -> dict[str, str]:
    """The environment for git and the driver it runs: this checkout's code first, and
    the `workbench` script of this interpreter on the PATH (as the editable install
    provides in CI)."""
    environment = dict(os.environ)
    environment["PYTHONPATH"] = os.pathsep.join(
        [str(REPO), *filter(None, [environment.get("PYTHONPATH")])]
    )
    environment["PATH"] = os.pathsep.join(
        [str(Path(sys.executable).parent), environment.get("PATH", "")]
    )
    for name in ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE"):
        environment.pop(name, None)
    environment["GIT_CONFIG_NOSYSTEM"] = "1"
    environment["HOME"] = environment.get("HOME", "/nonexistent")
    return environment


def git(root: Path, *arguments: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["git", *arguments],
        cwd=root,
        capture_output=True,
        text=True,
        env=_environment(),
        check=check,
    )


def workbench(root: Path, *arguments: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "workbench", *arguments],
        cwd=root,
        capture_output=True,
        text=True,
        env=_environment(),
        check=False,
    )


def at(hour: int) -> dt.datetime:
    return dt.datetime(2025, 3, 1, hour, tzinfo=dt.UTC)


def mark(root: Path, claim_id: str, status: str, reviewer: str, hour: int) -> None:
    mark_status(
        load_project(root, use_cache=False),
        claim_id,
        status,
        reviewer=reviewer,
        note=f"{reviewer} says {status}",
        at=at(hour),
    )


def commit(root: Path, message: str) -> None:
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", message)


def branch(root: Path, name: str, start: str = "main") -> None:
    git(root, "checkout", "-q", "-b", name, start)


@pytest.fixture
def repository(make_project: ProjectFactory) -> Path:
    """A git repository holding a clean project with two claims, the driver set up."""
    root = make_project({"c1.toml": claim_toml("c1"), "c2.toml": claim_toml("c2")})
    git(root, "init", "-q", "-b", "main")
    git(root, "config", "user.name", "Test")
    git(root, "config", "user.email", "test@example.org")
    setup = workbench(root, "git-setup")
    assert setup.returncode == 0, setup.stderr
    commit(root, "start")
    assert workbench(root, "check").returncode == 0
    return root


def read_claim(root: Path, claim_id: str) -> dict[str, object]:
    return parse_toml((root / "claims" / f"{claim_id}.toml").read_text(encoding="utf-8"))


# --------------------------------------------------------------------------- git-setup


def test_git_setup_writes_attributes_and_config_once(make_project: ProjectFactory) -> None:
    root = make_project()
    git(root, "init", "-q")
    (root / ".gitattributes").write_text("*.txt text eol=lf", encoding="utf-8")
    first = workbench(root, "git-setup")
    assert first.returncode == 0, first.stderr
    assert "added `claims/*.toml merge=workbench`" in first.stdout
    attributes = (root / ".gitattributes").read_text(encoding="utf-8")
    assert attributes == f"*.txt text eol=lf\n{ATTRIBUTE_LINE}\n"
    driver = git(root, "config", "--get", "merge.workbench.driver").stdout.strip()
    assert driver == "workbench merge-driver %O %A %B %P"
    assert git(root, "config", "--get", "merge.workbench.name").stdout.strip()
    assert git(root, "check-attr", "merge", "claims/x.toml").stdout.strip().endswith("workbench")
    config_before = (root / ".git" / "config").read_bytes()
    second = workbench(root, "git-setup")
    assert second.returncode == 0
    assert "nothing to do" in second.stdout
    assert (root / ".gitattributes").read_text(encoding="utf-8") == attributes
    assert (root / ".git" / "config").read_bytes() == config_before


def test_git_setup_outside_a_repository_is_one_line(make_project: ProjectFactory) -> None:
    root = make_project()
    result = subprocess.run(
        [sys.executable, "-m", "workbench", "git-setup"],
        cwd=root,
        capture_output=True,
        text=True,
        env={**_environment(), "GIT_CEILING_DIRECTORIES": str(root.parent)},
        check=False,
    )
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1
    assert "is not in a git repository" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (root / ".gitattributes").exists()


# --------------------------------------------------------------------------- merges


def test_two_branches_marking_one_claim_merge_and_the_later_verdict_stands(
    repository: Path,
) -> None:
    root = repository
    branch(root, "alice")
    mark(root, "c1", "verified", "alice", hour=9)
    commit(root, "alice verifies c1")
    branch(root, "bob")
    mark(root, "c1", "false", "bob", hour=10)
    commit(root, "bob rejects c1")

    git(root, "checkout", "-q", "alice")
    merged = git(root, "merge", "-q", "--no-edit", "bob", check=False)
    assert merged.returncode == 0, merged.stdout + merged.stderr
    assert "both sides changed the status" in merged.stderr
    text = (root / "claims" / "c1.toml").read_text(encoding="utf-8")
    assert "<<<<<<<" not in text
    data = read_claim(root, "c1")
    history = data["history"]
    assert isinstance(history, list)
    assert [(entry["reviewer"], entry["to"]) for entry in history] == [
        ("alice", "verified"),
        ("bob", "false"),
    ]
    assert data["status"] == "false"  # bob's verdict is the later one

    check = workbench(root, "check")
    assert check.returncode == 0, check.stdout  # a warning, not an error
    (warning,) = check.stdout.splitlines()
    line = text.splitlines().index('to = "false"') + 1
    assert warning.startswith(f"claims/c1.toml:{line}:1: WB506 conflicting verdicts to settle")
    assert "`verified` by alice" in warning and "`false` by bob" in warning

    # The same merge the other way round gives the same file.
    git(root, "checkout", "-q", "-b", "other-way", "bob")
    assert git(root, "merge", "-q", "--no-edit", "alice", check=False).returncode == 0
    assert (root / "claims" / "c1.toml").read_text(encoding="utf-8") == text

    # A further verdict settles it.
    settle = workbench(root, "mark", "c1", "false", "--reviewer", "carol", "--note", "settled")
    assert settle.returncode == 0, settle.stderr
    assert workbench(root, "check").stdout == ""


def test_evidence_added_on_both_branches_is_kept_from_both(repository: Path) -> None:
    root = repository
    path = root / "claims" / "c1.toml"
    evidence = (
        '\n[[evidence]]\ncitation = "{citation}"\nshows = "It says so."\nstance = "{stance}"\n'
    )
    branch(root, "one")
    with path.open("a", encoding="utf-8") as handle:
        handle.write(evidence.format(citation="Report A", stance="supports"))
    commit(root, "evidence A")
    branch(root, "two")
    with path.open("a", encoding="utf-8") as handle:
        handle.write(evidence.format(citation="Report B", stance="refutes"))
    mark(root, "c2", "verified", "bob", hour=9)
    commit(root, "evidence B")
    git(root, "checkout", "-q", "one")
    merged = git(root, "merge", "-q", "--no-edit", "two", check=False)
    assert merged.returncode == 0, merged.stdout + merged.stderr
    data = read_claim(root, "c1")
    evidence_list = data["evidence"]
    assert isinstance(evidence_list, list)
    assert [item["citation"] for item in evidence_list] == ["Report A", "Report B"]
    check = workbench(root, "check")
    assert check.returncode == 0 and check.stdout == "", check.stdout


def test_a_statement_edit_and_a_verdict_merge_cleanly(repository: Path) -> None:
    root = repository
    path = root / "claims" / "c1.toml"
    branch(root, "edit")
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("$5.6 million.", "$5.6 million in 2024."), encoding="utf-8")
    commit(root, "sharper statement")
    branch(root, "verdict")
    mark(root, "c1", "verified", "bob", hour=9)
    mark(root, "c1", "false", "bob", hour=10)
    commit(root, "verdict")
    git(root, "checkout", "-q", "edit")
    merged = git(root, "merge", "-q", "--no-edit", "verdict", check=False)
    assert merged.returncode == 0, merged.stdout + merged.stderr
    data = read_claim(root, "c1")
    assert data["statement"] == "DeepSeek said it trained its model for $5.6 million in 2024."
    assert data["status"] == "false"
    assert isinstance(data["history"], list) and len(data["history"]) == 2
    check = workbench(root, "check")
    assert check.returncode == 0 and check.stdout == "", check.stdout


def test_two_statement_edits_leave_conflict_markers_that_check_names(repository: Path) -> None:
    root = repository
    path = root / "claims" / "c1.toml"
    original = path.read_text(encoding="utf-8")
    branch(root, "one")
    path.write_text(original.replace("$5.6 million.", "$5.6M."), encoding="utf-8")
    commit(root, "one")
    branch(root, "two")
    path.write_text(original.replace("$5.6 million.", "$6 million."), encoding="utf-8")
    commit(root, "two")
    git(root, "checkout", "-q", "one")
    merged = git(root, "merge", "--no-edit", "two", check=False)
    assert merged.returncode != 0
    assert "CONFLICT" in merged.stdout
    assert "both sides changed `statement` differently" in merged.stderr
    assert git(root, "diff", "--name-only", "--diff-filter=U").stdout.split() == ["claims/c1.toml"]
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines()
    first_marker = next(number for number, line in enumerate(lines, 1) if line.startswith("<<<"))
    assert 'statement = "DeepSeek said it trained its model for $5.6M."' in lines
    assert 'statement = "DeepSeek said it trained its model for $6 million."' in lines
    check = workbench(root, "check")
    assert check.returncode == 1
    (problem,) = check.stdout.splitlines()
    assert problem.startswith(
        f"claims/c1.toml:{first_marker}:1: WB006 unresolved git conflict marker"
    )
    assert "resolve the conflict (keep one side, or run `workbench git-setup`" in problem
    assert "WB003" not in check.stdout


def test_a_source_file_falls_back_to_git_line_merge(tmp_path: Path) -> None:
    base = tmp_path / "base"
    ours = tmp_path / "ours"
    theirs = tmp_path / "theirs"
    base.write_text('id = "s"\ntitle = "A"\n', encoding="utf-8")
    ours.write_text('id = "s"\ntitle = "B"\n', encoding="utf-8")
    theirs.write_text('id = "s"\ntitle = "C"\n', encoding="utf-8")
    arguments = [str(base), str(ours), str(theirs), "seeds/s.toml"]
    result = workbench(tmp_path, "merge-driver", *arguments)
    assert result.returncode == 1
    assert ours.read_text(encoding="utf-8").splitlines() == [
        'id = "s"',
        "<<<<<<< ours",
        'title = "B"',
        "=======",
        'title = "C"',
        ">>>>>>> theirs",
    ]
    base.write_text('id = "s"\ntitle = "A"\nlanguage = "ko"\nview = "x"\n', encoding="utf-8")
    ours.write_text('id = "s"\ntitle = "B"\nlanguage = "ko"\nview = "x"\n', encoding="utf-8")
    theirs.write_text('id = "s"\ntitle = "A"\nlanguage = "ko"\nview = "y"\n', encoding="utf-8")
    assert workbench(tmp_path, "merge-driver", *arguments).returncode == 0
    merged = 'id = "s"\ntitle = "B"\nlanguage = "ko"\nview = "y"\n'
    assert ours.read_text(encoding="utf-8") == merged


def test_a_claim_side_that_does_not_load_falls_back_to_line_merge(tmp_path: Path) -> None:
    base = tmp_path / "base"
    ours = tmp_path / "ours"
    theirs = tmp_path / "theirs"
    good = claim_toml("c1")
    base.write_text(good, encoding="utf-8")
    ours.write_text(good.replace('topic = "cost"', "topic = cost"), encoding="utf-8")
    theirs.write_text(good.replace('topic = "cost"', 'topic = "race"'), encoding="utf-8")
    result = workbench(
        tmp_path, "merge-driver", str(base), str(ours), str(theirs), "claims/c1.toml"
    )
    assert result.returncode == 1
    assert "ours is not valid TOML" in result.stderr
    assert "<<<<<<< ours" in ours.read_text(encoding="utf-8")


def test_unreadable_versions_are_one_line_never_a_traceback(tmp_path: Path) -> None:
    base = tmp_path / "base"
    ours = tmp_path / "ours"
    theirs = tmp_path / "theirs"
    good = claim_toml("c1")
    base.write_text(good, encoding="utf-8")
    ours.write_text(good, encoding="utf-8")
    missing = workbench(
        tmp_path, "merge-driver", str(base), str(ours), str(tmp_path / "gone"), "claims/c1.toml"
    )
    assert missing.returncode == 2
    assert missing.stderr.count("\n") == 1 and "cannot read a version" in missing.stderr
    assert ours.read_text(encoding="utf-8") == good  # left alone
    theirs.write_bytes(good.encode("utf-8").replace(b"cost", b"c\xf8st"))
    latin = workbench(tmp_path, "merge-driver", str(base), str(ours), str(theirs), "claims/c1.toml")
    assert latin.returncode == 0  # only theirs changed: git's line merge takes it
    assert "Traceback" not in latin.stderr
    assert ours.read_bytes() == theirs.read_bytes()


def test_a_note_from_another_branch_after_a_verdict_leaves_the_verdict_standing(
    repository: Path,
) -> None:
    """One branch sets a verdict; another, later, leaves a note on the claim it still saw
    unreviewed (a relation taken back, say). Merged in time order, the note comes last
    and says `unreviewed -> unreviewed`: it records what its writer saw and sets no
    status, so the verdict stands, `check` is clean and the verdict keeps its reason."""
    root = repository
    branch(root, "verdict")
    mark(root, "c1", "verified", "alice", hour=9)
    commit(root, "verdict")
    branch(root, "notes", "main")
    add_note(
        load_project(root, use_cache=False),
        "c1",
        "bob: relation taken back",
        reviewer="bob",
        at=at(10),
    )
    commit(root, "note")
    git(root, "checkout", "-q", "verdict")
    merged = git(root, "merge", "-q", "--no-edit", "notes", check=False)
    assert merged.returncode == 0, merged.stdout + merged.stderr
    data = read_claim(root, "c1")
    history = data["history"]
    assert isinstance(history, list)
    assert [(entry["from"], entry["to"]) for entry in history] == [
        ("unreviewed", "verified"),
        ("unreviewed", "unreviewed"),
    ]
    assert data["status"] == "verified"
    check = workbench(root, "check")
    assert check.returncode == 0 and check.stdout == "", check.stdout
    claim = load_project(root, use_cache=False).claims["c1"].claim
    assert verdict_note(claim) == "alice says verified"
