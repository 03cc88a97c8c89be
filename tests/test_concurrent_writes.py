"""Writers never lose an update: real processes marking, adding and dying at once.

Every test here runs separate Python processes against one small project (a
copy of a few of the repository's claims), because the promise is about
processes: locks, re-reading under the lock and atomic renames.  A test fails
if any entry a process reported as written is missing, if a file stops
loading, or if two creators of one id both succeed.
"""

from __future__ import annotations

import json
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest

from workbench.models import Claim
from workbench.storage import load_claim_file
from workbench.tomlio import parse_toml

from .conftest import REPO, ProjectFactory
from .test_app_list import CLAIMS as APP_CLAIMS
from .test_app_list import on_disk, running, sync

CLAIM_IDS = (
    "apple25-ai-innovation-centres-national-rd",
    "apple25-deepseek-few-resources",
    "apple25-deepseek-reshapes-us-china-race",
    "apple25-policy-support-fast-adoption",
    "apple25-reuters-ai-chip-conflict-economy",
    "check25-baichuan-founded-2023",
    "check25-data-centers-korea-43",
    "check25-gpt4-cost-over-100m",
)
"""Claims of the repository, copied without their review (see `project`)."""
STATUSES = ("verified", "false", "unreviewed")


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A small project: the repository's settings and sources, and a few claims."""
    root = tmp_path / "project"
    (root / "claims").mkdir(parents=True)
    # Verdicts here need no note or evidence: these tests are about locks and processes
    # (what a verdict requires is tested in test_verdicts.py and test_app_desk.py).
    settings = (REPO / "workbench.toml").read_text(encoding="utf-8")
    (root / "workbench.toml").write_text(
        "\n".join(line for line in settings.splitlines() if not line.startswith("requires_"))
        + "\n",
        encoding="utf-8",
    )
    shutil.copy(REPO / "lexicon.toml", root / "lexicon.toml")
    shutil.copytree(REPO / "seeds", root / "seeds")
    for claim_id in CLAIM_IDS:
        # Unreviewed, without evidence, relations or history: the writes under test are
        # then the only entries, and no relation points at a claim left out.
        text = (REPO / "claims" / f"{claim_id}.toml").read_text(encoding="utf-8")
        text = re.sub(r'(?m)^status = ".*"$', 'status = "unreviewed"', text.split("\n[[")[0])
        (root / "claims" / f"{claim_id}.toml").write_text(text.rstrip("\n") + "\n", "utf-8")
    return root


def _environment() -> dict[str, str]:
    return {
        **os.environ,
        "PYTHONPATH": str(REPO),
        "WORKBENCH_CACHE_DIR": "off",
        "PYTHONDONTWRITEBYTECODE": "1",
    }


def _workbench(root: Path, *arguments: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "workbench", *arguments, "--root", str(root)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=_environment(),
    )


def _claim(root: Path, claim_id: str) -> Claim:
    record, problems = load_claim_file(root / "claims" / f"{claim_id}.toml")
    assert problems == [] and record is not None, problems
    return record.claim


def _assert_history_is_a_chain(claim: Claim) -> None:
    """Each entry's `from` is the status the previous one left: every writer started
    from the file as it was, not from an older copy."""
    for previous, entry in zip(claim.history, claim.history[1:], strict=False):
        assert entry.from_status == previous.to_status, (previous, entry)
    if claim.history:
        assert claim.status == claim.history[-1].to_status


# A worker marking claims through the Python API, printing each entry once written.
WORKER = textwrap.dedent(
    """
    import sys
    from workbench.project import load_project
    from workbench.review import mark_status

    root, name, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
    claim_ids = sys.argv[4].split(",")
    statuses = sys.argv[5].split(",")
    project = load_project(root, use_cache=False)
    print("ready", flush=True)
    for number in range(count):
        claim_id = claim_ids[number % len(claim_ids)]
        note = f"{name}-{number}"
        mark_status(
            project, claim_id, statuses[number % len(statuses)],
            reviewer=name, note=note, as_seen=False,
        )
        print(f"{claim_id} {note}", flush=True)
    """
)


def _worker(root: Path, name: str, count: int, claim_ids: tuple[str, ...]) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [
            sys.executable,
            "-c",
            WORKER,
            str(root),
            name,
            str(count),
            ",".join(claim_ids),
            ",".join(STATUSES),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=_environment(),
    )


def _written(output: str) -> list[tuple[str, str]]:
    """(claim id, note) of every entry a worker reported as written."""
    return [
        (line.split(" ")[0], line.split(" ")[1])
        for line in output.splitlines()
        if line and line != "ready"
    ]


def test_two_mark_processes_on_one_claim_lose_nothing(project: Path) -> None:
    claim_id = CLAIM_IDS[0]
    rounds = int(os.environ.get("WORKBENCH_TEST_MARK_ROUNDS", "4"))
    reported: list[str] = []
    for number in range(rounds):
        # each process changes its status every round: `mark` refuses a reviewer's
        # verdict that the claim already has, and these two race on purpose
        first_status = ("verified", "misleading")[number % 2]
        second_status = ("false", "disputed")[number % 2]
        first = _workbench(project, "mark", claim_id, first_status, "--note", f"a{number}")
        second = _workbench(project, "mark", claim_id, second_status, "--note", f"b{number}")
        for process, note in ((first, f"a{number}"), (second, f"b{number}")):
            out, err = process.communicate(timeout=60)
            assert process.returncode == 0, err
            assert err == "" and out.startswith(f"marked {claim_id}: ")
            reported.append(note)
    claim = _claim(project, claim_id)
    notes = [entry.note for entry in claim.history]
    assert sorted(notes) == sorted(reported)
    _assert_history_is_a_chain(claim)


def test_a_thousand_marks_from_four_processes_lose_nothing(project: Path) -> None:
    total = int(os.environ.get("WORKBENCH_TEST_CONCURRENT_MARKS", "1000"))
    workers = [_worker(project, f"w{n}", total // 4, CLAIM_IDS) for n in range(4)]
    reported: list[tuple[str, str]] = []
    for worker in workers:
        out, err = worker.communicate(timeout=120)
        assert worker.returncode == 0, err
        reported.extend(_written(out))
    assert len(reported) == total
    found: list[tuple[str, str]] = []
    for claim_id in CLAIM_IDS:
        claim = _claim(project, claim_id)
        _assert_history_is_a_chain(claim)
        found.extend((claim_id, entry.note) for entry in claim.history)
    assert sorted(found) == sorted(reported)


def test_two_adds_of_one_id_at_once_create_it_once(project: Path) -> None:
    for number in range(int(os.environ.get("WORKBENCH_TEST_ADD_ROUNDS", "1"))):
        claim_id = f"race-{number}"
        arguments = (
            "add",
            "--source",
            "appleconomy-2025-deepseek",
            "--quote",
            "AI 혁신 센터 설립과 국가 차원의 R&D 프로젝트를 통해",
            "--statement",
            f"Statement {number}.",
            "--topic",
            "policy",
            "--stance",
            "catching-up",
            "--id",
            claim_id,
        )
        processes = [_workbench(project, *arguments) for _ in range(2)]
        results = [(*process.communicate(timeout=60), process.returncode) for process in processes]
        created = [result for result in results if result[0].startswith("created ")]
        refused = [result for result in results if not result[0].startswith("created ")]
        assert len(created) == 1 and len(refused) == 1, results
        out, err, code = refused[0]
        assert code == 2 and out == ""
        assert len(err.splitlines()) == 1 and "already" in err, err
        assert _claim(project, claim_id).statement == f"Statement {number}."


def test_kill_9_during_writes_keeps_every_reported_entry(project: Path) -> None:
    rounds = int(os.environ.get("WORKBENCH_TEST_KILL_ROUNDS", "8"))
    randomness = random.Random(13)
    reported: list[tuple[str, str]] = []
    for number in range(rounds):
        worker = _worker(project, f"k{number}", 10_000, CLAIM_IDS)
        assert worker.stdout is not None
        lines: list[str] = []
        first = worker.stdout.readline()
        assert first == "ready\n", worker.stderr.read() if worker.stderr else ""

        def collect(stream: object = worker.stdout, into: list[str] = lines) -> None:
            for line in stream:  # type: ignore[attr-defined]
                into.append(line)

        reader = threading.Thread(target=collect)
        reader.start()
        time.sleep(randomness.uniform(0.0, 0.25))
        worker.send_signal(signal.SIGKILL)
        worker.wait(timeout=30)
        reader.join(timeout=30)
        if worker.stderr is not None:
            worker.stderr.close()
        reported.extend(_written("".join(lines)))
        # after every kill, every file loads and holds everything reported so far
        found: set[tuple[str, str]] = set()
        for claim_id in CLAIM_IDS:
            claim = _claim(project, claim_id)
            _assert_history_is_a_chain(claim)
            found.update((claim_id, entry.note) for entry in claim.history)
        missing = [entry for entry in reported if entry not in found]
        assert missing == [], missing
    assert reported, "the worker never got to write: the test proved nothing"
    leftovers = [p.name for p in (project / "claims").iterdir() if p.name.startswith(".")]
    assert all(
        name.endswith(".tmp") and name[1:].split(".toml.")[0] in CLAIM_IDS for name in leftovers
    ), leftovers


def test_locks_stay_out_of_the_claims_folder_and_out_of_git(project: Path) -> None:
    process = _workbench(project, "mark", CLAIM_IDS[0], "verified")
    _out, err = process.communicate(timeout=60)
    assert process.returncode == 0, err
    assert sorted(p.name for p in (project / "claims").iterdir()) == sorted(
        f"{claim_id}.toml" for claim_id in CLAIM_IDS
    )
    assert list((project / ".workbench" / "locks").iterdir())
    if shutil.which("git") is None:  # pragma: no cover
        return
    subprocess.run(["git", "init", "-q"], cwd=project, check=True)
    subprocess.run(["git", "add", "-A"], cwd=project, check=True)
    staged = subprocess.run(
        ["git", "diff", "--cached", "--name-only"],
        cwd=project,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.split()
    assert staged and not any(name.startswith(".workbench") for name in staged), staged


def test_a_symlinked_claim_is_written_through_to_its_target(project: Path) -> None:
    claim_id = CLAIM_IDS[1]
    link = project / "claims" / f"{claim_id}.toml"
    elsewhere = project / "shared"
    elsewhere.mkdir()
    target = elsewhere / f"{claim_id}.toml"
    shutil.move(link, target)
    link.symlink_to(Path("..") / "shared" / f"{claim_id}.toml")
    process = _workbench(project, "mark", claim_id, "verified", "--note", "through the link")
    _out, err = process.communicate(timeout=60)
    assert process.returncode == 0, err
    assert link.is_symlink()
    data = parse_toml(target.read_text(encoding="utf-8"))
    assert data["status"] == "verified"
    assert [entry["note"] for entry in data["history"]] == ["through the link"]  # type: ignore[index]


def test_a_file_size_limit_is_a_one_line_error_and_changes_nothing(project: Path) -> None:
    """A real write failure (EFBIG under RLIMIT_FSIZE, as a full disk would give):
    one line, the claim as it was, no temporary file left."""
    resource = pytest.importorskip("resource")
    claim_id = CLAIM_IDS[0]
    path = project / "claims" / f"{claim_id}.toml"
    before = path.read_bytes()
    limit = len(before) + 20  # the new text, with its history entry, is longer

    def limit_file_size() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    result = subprocess.run(
        [sys.executable, "-m", "workbench", "mark", claim_id, "verified", "--root", str(project)],
        capture_output=True,
        text=True,
        env=_environment(),
        preexec_fn=limit_file_size,
        timeout=60,
    )
    assert result.returncode == 1 and result.stdout == ""
    assert len(result.stderr.splitlines()) == 1, result.stderr
    assert "cannot write" in result.stderr and f"{claim_id}.toml" in result.stderr
    assert "Traceback" not in result.stderr
    assert path.read_bytes() == before
    assert sorted(p.name for p in (project / "claims").iterdir()) == sorted(
        f"{claim_id}.toml" for claim_id in CLAIM_IDS
    )


def test_workers_report_json_free_output(project: Path) -> None:
    """The worker's output format is what `_written` parses (a guard for the tests above)."""
    worker = _worker(project, "probe", 3, CLAIM_IDS[:1])
    out, err = worker.communicate(timeout=60)
    assert worker.returncode == 0, err
    assert _written(out) == [(CLAIM_IDS[0], f"probe-{n}") for n in range(3)]
    assert json.dumps(_written(out))


# --------------------------------------------------------------------------- the app


def _note_from_another_process(root: Path, claim_id: str, reviewer: str, note: str) -> None:
    """A note written by another process (`workbench mark` refuses a status the claim
    already has, so the note goes through `workbench.review.add_note`, as the app's)."""
    script = (
        "import sys\n"
        "from workbench.project import load_project\n"
        "from workbench.review import add_note\n"
        "add_note(load_project(sys.argv[1]), sys.argv[2], sys.argv[4], reviewer=sys.argv[3])\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script, str(root), claim_id, reviewer, note],
        capture_output=True,
        text=True,
        env=_environment(),
        timeout=60,
    )
    assert result.returncode == 0, result.stderr


def _mark_from_another_process(root: Path, *arguments: str) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "workbench", "mark", *arguments, "--root", str(root)],
        capture_output=True,
        text=True,
        env=_environment(),
        timeout=60,
    )
    assert result.returncode == 0, result.stderr


@sync
async def test_the_app_does_not_erase_a_verdict_another_process_wrote(
    make_project: ProjectFactory,
) -> None:
    """The reviewer saw `unreviewed`; another reviewer marks `false` meanwhile; the
    reviewer's key press is refused, naming the new status and who set it."""
    root = make_project(APP_CLAIMS)
    async with running(root) as run:
        await run.go_to("a-deepseek-cost")
        _mark_from_another_process(
            root, "a-deepseek-cost", "false", "--reviewer", "alice", "--note", "elsewhere"
        )
        await run.press("1")
        data = on_disk(root, "a-deepseek-cost")
        assert data["status"] == "false"
        assert [entry["reviewer"] for entry in data["history"]] == ["alice"]  # type: ignore[attr-defined]
        assert any(
            "`false`" in text and "alice" in text and "NOT applied" in text
            for text in run.notifications
        ), run.notifications
        assert run.app.project.claim("a-deepseek-cost").status == "false"
        await run.press("1")  # now the reviewer has seen it: the verdict goes on top
        data = on_disk(root, "a-deepseek-cost")
        assert data["status"] == "verified"
        assert [(e["reviewer"], e["from"], e["to"]) for e in data["history"]] == [  # type: ignore[attr-defined]
            ("alice", "unreviewed", "false"),
            ("tester", "false", "verified"),
        ]


@sync
async def test_the_app_writes_on_top_of_a_note_another_process_added(
    make_project: ProjectFactory,
) -> None:
    """A note someone else added does not change what the reviewer judged: the
    key press goes through, and both entries are in the file."""
    root = make_project(APP_CLAIMS)
    async with running(root) as run:
        await run.go_to("a-deepseek-cost")
        _note_from_another_process(root, "a-deepseek-cost", "bob", "a source?")
        await run.press("1")
        data = on_disk(root, "a-deepseek-cost")
        assert data["status"] == "verified"
        assert [(e["reviewer"], e.get("note", "")) for e in data["history"]] == [  # type: ignore[attr-defined]
            ("bob", "a source?"),
            ("tester", ""),
        ]
        assert len(run.app.project.claim("a-deepseek-cost").history) == 2
