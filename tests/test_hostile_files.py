"""Hostile entries in the claims and seeds folders: FIFOs, symlink loops, links out of
the project, temporary files of a killed writer.  Each is a problem at its path,
nothing hangs, nothing ends in a traceback, and the rest of the project loads."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from workbench import load_project
from workbench.checks import check_project
from workbench.files.listing import LEFTOVER_PATTERN

from .conftest import REPO, ProjectFactory, claim_toml

needs_fifo = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this platform")


def _run(root: Path, *arguments: str) -> subprocess.CompletedProcess[str]:
    """A real `workbench` process; a hang fails the test instead of the run."""
    return subprocess.run(
        [sys.executable, "-m", "workbench", *arguments, "--root", str(root)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        cwd=REPO,
    )


def _project(make_project: ProjectFactory) -> Path:
    return make_project({"a.toml": claim_toml("a"), "b.toml": claim_toml("b")})


def _codes(root: Path) -> list[tuple[str, str]]:
    project = load_project(root)
    return [(problem.path.name, problem.code) for problem in check_project(project)]


@needs_fifo
@pytest.mark.parametrize(
    "command",
    [
        ["check"],
        ["check", "--format", "json"],
        ["fmt"],
        ["fmt", "--check"],
        ["stats"],
        ["export", "--format", "json"],
        ["conflicts"],
    ],
    ids=" ".join,
)
def test_a_fifo_named_like_a_claim_never_blocks(
    make_project: ProjectFactory, command: list[str]
) -> None:
    root = _project(make_project)
    os.mkfifo(root / "claims" / "x.toml")
    os.mkfifo(root / "seeds" / "y.toml")
    result = _run(root, *command)
    assert "Traceback" not in result.stderr, result.stderr
    if command[0] == "fmt" or command == ["check"]:
        assert "claims/x.toml:1:1: WB002 not a regular file (a FIFO" in result.stdout
        assert "seeds/y.toml:1:1: WB002 not a regular file (a FIFO" in result.stdout
        assert result.returncode == 1
    if command[-1] == "json" and command[0] == "check":
        assert result.stdout.count('"code": "WB002"') == 2
    if command == ["check"]:
        assert "Found 2 error(s) and 0 warning(s) in 2 claims" in result.stderr
    if command[0] == "export":
        assert '"id": "a"' in result.stdout and '"id": "b"' in result.stdout


@needs_fifo
def test_a_fifo_given_by_path_is_reported_not_read(make_project: ProjectFactory) -> None:
    root = _project(make_project)
    fifo = root / "claims" / "x.toml"
    os.mkfifo(fifo)
    result = _run(root, "fmt", str(fifo))
    assert "x.toml:1:1: WB002 not a regular file (a FIFO (named pipe))" in result.stdout
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("loop", [["loop.toml"], ["one.toml", "two.toml"]], ids=["self", "pair"])
def test_a_symlink_loop_is_an_error_at_its_path(
    make_project: ProjectFactory, loop: list[str]
) -> None:
    root = _project(make_project)
    folder = root / "claims"
    for name, target in zip(loop, [*loop[1:], loop[0]], strict=True):
        (folder / name).symlink_to(target)
    result = _run(root, "check")
    assert "Traceback" not in result.stderr, result.stderr
    for name in loop:
        assert f"claims/{name}:1:1: WB002 cannot read the file: symlink loop" in result.stdout
    assert f"Found {len(loop)} error(s) and 0 warning(s) in 2 claims" in result.stderr
    named = _run(root, "check", str(folder / loop[0]))  # asked for by path
    assert "Traceback" not in named.stderr, named.stderr
    assert named.stdout.splitlines() == [
        f"claims/{loop[0]}:1:1: WB002 cannot read the file: symlink loop (the link points "
        "back at itself): remove or fix the link"
    ]


def test_a_dangling_symlink_is_an_error_at_its_path(make_project: ProjectFactory) -> None:
    root = _project(make_project)
    (root / "claims" / "gone.toml").symlink_to("nowhere.toml")
    assert ("gone.toml", "WB002") in _codes(root)
    assert sorted(load_project(root).claims) == ["a", "b"]


def test_a_symlink_out_of_the_project_is_an_error_and_not_loaded(
    make_project: ProjectFactory, tmp_path: Path
) -> None:
    root = _project(make_project)
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (outside / "c.toml").write_text(claim_toml("c"), encoding="utf-8")
    (root / "claims" / "c.toml").symlink_to(outside / "c.toml")
    project = load_project(root)
    assert sorted(project.claims) == ["a", "b"]
    [problem] = [problem for problem in project.problems if problem.code == "WB004"]
    assert problem.path.name == "c.toml" and "outside the project" in problem.message
    assert problem.severity == "error"


def test_a_symlink_inside_the_project_loads(make_project: ProjectFactory) -> None:
    root = _project(make_project)
    shared = root / "shared"
    shared.mkdir()
    (shared / "c.toml").write_text(claim_toml("c"), encoding="utf-8")
    (root / "claims" / "c.toml").symlink_to(Path("..") / "shared" / "c.toml")
    project = load_project(root)
    assert sorted(project.claims) == ["a", "b", "c"]
    assert project.problems == []


_CRASH_IN_WRITE = """
import os, sys
from pathlib import Path
from workbench import tomlio
def crash(source, target):
    os._exit(9)  # killed between writing the temporary file and renaming it
tomlio.os.replace = crash
tomlio.write_atomic(Path(sys.argv[1]), "id = 'changed'\\n")
"""


def _crash_a_write(path: Path) -> Path:
    """Kill a real writer process after its temporary file is written; return that file."""
    before = set(path.parent.iterdir())
    result = subprocess.run(
        [sys.executable, "-c", _CRASH_IN_WRITE, str(path)], cwd=REPO, check=False
    )
    assert result.returncode == 9
    [leftover] = set(path.parent.iterdir()) - before
    return leftover


def test_a_temporary_file_of_a_killed_write_is_reported_and_removed_by_fmt(
    make_project: ProjectFactory,
) -> None:
    root = _project(make_project)
    leftover = _crash_a_write(root / "claims" / "a.toml")
    assert LEFTOVER_PATTERN.match(leftover.name)
    result = _run(root, "check")
    assert result.returncode == 0, result.stdout  # a warning: the claim file is intact
    assert f"claims/{leftover.name}:1:1: WB005 temporary file left by an interrupted" in (
        result.stdout
    )
    assert "`workbench fmt`" in result.stdout

    result = _run(root, "fmt")
    assert f"kept claims/{leftover.name}: under 30 seconds old" in result.stdout
    assert leftover.exists()  # young: it may be a write in progress

    old = time.time() - 120
    os.utime(leftover, (old, old))
    result = _run(root, "fmt", "--check")
    assert result.returncode == 1
    assert f"would remove claims/{leftover.name}" in result.stdout
    assert leftover.exists()
    result = _run(root, "fmt")
    assert f"removed claims/{leftover.name}" in result.stdout
    assert not leftover.exists()
    assert (root / "claims" / "a.toml").read_text(encoding="utf-8") == claim_toml("a")
    assert "WB005" not in _run(root, "check").stdout


def test_only_the_writers_temporary_files_are_removed(make_project: ProjectFactory) -> None:
    root = _project(make_project)
    folder = root / "claims"
    kept = [folder / ".a.toml.swp", folder / ".notes.tmp", folder / "a.toml.tmp"]
    for path in kept:
        path.write_text("x", encoding="utf-8")
    seeds_leftover = root / "seeds" / ".000_test.toml.k3j_x9ab.tmp"
    seeds_leftover.write_text("x", encoding="utf-8")
    old = time.time() - 120
    for path in [*kept, seeds_leftover]:
        os.utime(path, (old, old))
    assert ("seeds/.000_test.toml.k3j_x9ab.tmp", "WB005") in [
        (f"{p.path.parent.name}/{p.path.name}", p.code) for p in load_project(root).problems
    ]
    _run(root, "fmt")
    assert all(path.exists() for path in kept)
    assert not seeds_leftover.exists()
