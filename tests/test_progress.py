"""A long command says what it is doing, on one line of the terminal, and only there.

`workbench.terminal.Progress` writes to standard error when it is a terminal, once
the command has run half a second, at most ten times a second, and empties its
line before anything else is printed.  `workbench conflicts` and `workbench check`
use it; piped or captured, their standard error gets no carriage return, and their
standard output is the same either way.
"""

from __future__ import annotations

import io
import json
import os
import select
import subprocess
import sys
import time
from pathlib import Path

import pytest

from bench import corpus
from tests.conftest import REPO, run_cli
from workbench import terminal
from workbench.matching import alongside as alongside_module
from workbench.matching import iter_match_frames
from workbench.matching.semantic import semantic_available
from workbench.matching.stored import project_frames
from workbench.project import load_project
from workbench.terminal import Progress


class _Terminal(io.StringIO):
    """A stream that says it is a terminal."""

    def isatty(self) -> bool:
        return True


def test_nothing_is_written_where_standard_error_is_not_a_terminal() -> None:
    stream = io.StringIO()
    progress = Progress(stream, delay=0, every=0)
    progress.phase("reading the claims")
    progress(5, 10)
    progress.stop()
    assert stream.getvalue() == ""


def test_the_line_is_written_over_in_place_and_emptied() -> None:
    stream = _Terminal()
    progress = Progress(stream, delay=0, every=0)
    progress.phase("comparing 388,214 pairs")
    progress(41, 100)
    progress.phase("ranking 9 pairs")
    progress.clear()
    written = stream.getvalue()
    assert written.split("\r") == [
        "",
        "comparing 388,214 pairs",
        "comparing 388,214 pairs: 41%",
        # a shorter text is padded over what the line held before
        "ranking 9 pairs".ljust(len("comparing 388,214 pairs: 41%")),
        " " * len("ranking 9 pairs"),
        "",
    ]


def test_stop_empties_the_line_and_writes_no_more() -> None:
    stream = _Terminal()
    progress = Progress(stream, delay=0, every=0)
    progress.phase("reading the claims")
    progress.stop()
    after = stream.getvalue()
    assert after.endswith("\r" + " " * len("reading the claims") + "\r")
    progress.phase("pairing 10 claims")
    progress(1, 2)
    progress.stop()
    assert stream.getvalue() == after


def test_a_short_run_shows_nothing() -> None:
    stream = _Terminal()
    progress = Progress(stream, delay=60, every=0)
    progress.phase("reading the claims")
    progress(9, 10)
    progress.stop()
    assert stream.getvalue() == ""


def test_at_most_one_write_per_interval_but_each_step_at_once() -> None:
    stream = _Terminal()
    progress = Progress(stream, delay=0, every=60)
    progress.phase("reading the claims")
    for done in range(100):
        progress(done, 100)
    progress.phase("pairing 100 claims")
    assert stream.getvalue().split("\r") == [
        "",
        "reading the claims",
        "pairing 100 claims",
    ]


def test_a_total_not_known_yet_shows_the_step_alone() -> None:
    """The listing counts files before it knows how many there are (a total of 0)."""
    stream = _Terminal()
    progress = Progress(stream, delay=0, every=0)
    progress.phase("reading the claims")
    progress(4096, 0)
    assert stream.getvalue() == "\rreading the claims"  # the same text is not written again
    progress(5000, 10_000)
    assert stream.getvalue().endswith("\rreading the claims: 50%")


def test_control_characters_in_a_label_are_shown_not_acted_on() -> None:
    stream = _Terminal()
    progress = Progress(stream, delay=0, every=0)
    progress.phase("reading \x1b]0;owned\x07 claims")
    assert "\x1b" not in stream.getvalue()
    assert "\\x1b]0;owned\\x07" in stream.getvalue()


def test_a_closed_stream_is_no_terminal() -> None:
    stream = io.StringIO()
    stream.close()
    progress = Progress(stream, delay=0, every=0)
    progress.phase("reading the claims")
    progress.stop()
    assert not progress.active


def _steps(written: str) -> list[str]:
    return [part.strip() for part in written.split("\r") if part.strip()]


def test_conflicts_names_each_step_and_leaves_its_output_alone(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    arguments = ["conflicts", "--root", str(REPO), "--lexical-only", "--format", "json"]
    code, plain, plain_error = run_cli(arguments, capsys)
    assert code == 0 and "\r" not in plain_error
    monkeypatch.setattr(terminal, "PROGRESS_DELAY", 0.0)
    monkeypatch.setattr(terminal, "PROGRESS_EVERY", 0.0)
    screen = _Terminal()
    monkeypatch.setattr(sys, "stderr", screen)
    code, shown, _ = run_cli(arguments, capsys)
    assert code == 0
    assert shown == plain  # the JSON is the same, byte for byte
    steps = _steps(screen.getvalue())
    assert steps[0] == "reading the claims"
    assert "reading the frames of 193 claims" in steps
    assert steps.index("pairing 193 claims") < len(steps) - 1
    comparing = [step for step in steps if step.startswith("comparing ")]
    assert comparing[0].endswith(" pairs") and comparing[-1].endswith(": 100%")
    assert steps[-1].startswith("ranking ")
    # emptied before the candidates: the last write is spaces, back to the line's start
    assert screen.getvalue().endswith(" \r")
    assert len(json.loads(shown)) > 100


def test_check_names_its_steps_and_reports_on_a_clean_line(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(terminal, "PROGRESS_DELAY", 0.0)
    monkeypatch.setattr(terminal, "PROGRESS_EVERY", 0.0)
    screen = _Terminal()
    monkeypatch.setattr(sys, "stderr", screen)
    code, _, _ = run_cli(["check", "--root", str(REPO)], capsys)
    assert code == 0
    written = screen.getvalue()
    steps = _steps(written)
    assert steps[0] == "reading the claims" and steps[-2] == "checking 193 claims"
    progress, report = written.rsplit("\r", 1)
    assert progress.endswith(" ") and report.startswith("All clear: 193 claims")


@pytest.mark.skipif(not semantic_available(), reason="needs the [semantic] extra")
def test_the_line_is_left_to_a_search_in_a_process_of_its_own(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The semantic search of a large project runs in a second process, which shows its
    own bar while it encodes: the line stops once that process starts.  A search in this
    process is over before the frames are read, and the steps go on after it."""
    monkeypatch.setattr(terminal, "PROGRESS_DELAY", 0.0)
    monkeypatch.setattr(terminal, "PROGRESS_EVERY", 0.0)
    arguments = ["conflicts", "--root", str(REPO), "--format", "json"]
    screen = _Terminal()
    monkeypatch.setattr(sys, "stderr", screen)
    code, here, _ = run_cli(arguments, capsys)
    assert code == 0
    assert "pairing 193 claims" in _steps(screen.getvalue())
    monkeypatch.setattr(alongside_module, "ALONGSIDE_FROM", 0)  # this project counts
    screen = _Terminal()
    monkeypatch.setattr(sys, "stderr", screen)
    code, beside, _ = run_cli(arguments, capsys)
    assert code == 0 and beside == here
    steps = _steps(screen.getvalue())
    assert steps[0] == "reading the claims"
    assert not [step for step in steps if step.startswith(("pairing", "comparing"))], steps


class _Recorder:
    """A `Steps` that keeps what it is told."""

    def __init__(self) -> None:
        self.told: list[tuple[str, int, int]] = []
        self.label = ""

    def phase(self, label: str) -> None:
        self.label = label
        self.told.append((label, -1, -1))

    def __call__(self, done: int, total: int) -> None:
        self.told.append((self.label, done, total))


class _NeverDone:
    """A semantic search still under way until it is asked for its pairs (none)."""

    def __call__(self) -> dict[tuple[str, str], float]:
        return {}

    def done(self) -> bool:
        return False


@pytest.mark.parametrize("search", [None, _NeverDone()], ids=["lexical", "search under way"])
def test_the_engine_tells_its_steps_in_order_and_never_past_the_whole(
    search: _NeverDone | None,
) -> None:
    """193 claims make 18,528 pairs, compared in two batches of up to 16,384."""
    prepared = project_frames(load_project(REPO, use_cache=False))
    steps = _Recorder()
    found = list(iter_match_frames(prepared, similarities=search, progress=steps))
    labels = list(dict.fromkeys(label for label, _, _ in steps.told))
    assert labels[:2] == ["pairing 193 claims", "comparing 18,528 pairs"] and len(labels) == 3
    ranked = int(labels[2].removeprefix("ranking ").removesuffix(" pairs"))
    assert ranked >= len(found) > 0  # each claim keeps its best: fewer are proposed
    shares = [(done, total) for label, done, total in steps.told if done >= 0]
    assert shares == [(16_384, 18_528), (18_528, 18_528)]


@pytest.mark.skipif(not hasattr(os, "openpty"), reason="needs a pseudo-terminal")
def test_a_real_terminal_sees_the_first_run_read_its_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`workbench conflicts` in its own process, standard error on a pseudo-terminal and
    standard output to a file: a first run over 1,930 files (a few seconds) shows its
    steps in order and how far each is, empties the line at the end, and the JSON in the
    file has no carriage return."""
    monkeypatch.setattr(corpus, "OUT", tmp_path)
    root = corpus.make_corpus(1930)  # the bundled claims cloned ten times
    environment = {**os.environ, "WORKBENCH_CACHE_DIR": str(tmp_path / "cache")}
    master, slave = os.openpty()
    command = [sys.executable, "-m", "workbench", "conflicts", "--root", str(root)]
    command += ["--lexical-only", "--format", "json"]
    written = tmp_path / "candidates.json"  # a file: a pipe read only at the end would fill
    with (
        written.open("wb") as stdout,
        subprocess.Popen(
            command, stdout=stdout, stderr=slave, stdin=subprocess.DEVNULL, env=environment
        ) as process,
    ):
        os.close(slave)
        screen = b""
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline:
            ready, _, _ = select.select([master], [], [], 0.5)
            if ready:
                try:
                    data = os.read(master, 65536)
                except OSError:  # the other end closed (Linux)
                    break
                if not data:
                    break
                screen += data
            elif process.poll() is not None:
                break
        assert process.wait() == 0
    os.close(master)
    output = written.read_bytes()
    steps = _steps(screen.decode())
    order = ("reading the claims", "reading the frames of 1,930 claims", "pairing 1,930 claims")
    order += ("comparing ", "ranking ")
    places = [next(n for n, start in enumerate(order) if step.startswith(start)) for step in steps]
    # Steps come in the command's order (the first may end before the half second);
    # each step's share only grows.
    assert places == sorted(places) and len(set(places)) >= 3 and places[-1] == 4, steps
    for place in set(places):
        shares = [
            int(step.rsplit(" ", 1)[1].rstrip("%"))
            for step, at in zip(steps, places, strict=True)
            if at == place and step.endswith("%")
        ]
        assert shares == sorted(shares) and all(0 <= share <= 100 for share in shares)
    assert any(step.endswith("%") for step in steps)
    assert screen.endswith(b" \r")  # emptied at the end
    assert b"\r" not in output and len(json.loads(output)) > 1930
