"""Shared fixtures: small throwaway projects built in a temporary folder."""

from __future__ import annotations

import contextlib
import os
import shutil
import sqlite3
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent

ARTICLE = (
    "중국 AI 기사\n\n"
    "딥시크는 560만달러로 모델을 훈련했다고 밝혔다. 이는 미국 대비 10분의 1 수준이다.\n"
    "지난해 중국에 대한 외국인 직접투자(FDI)는 330억달러(약 45조원) 규모로 줄었다.\n"
    "중국은 미국에 뒤처져 있다. 반복되는 문장. 중국은 미국에 뒤처져 있다.\n"
)

SOURCE_TOML = """\
id = "test-source"
file = "000_test.txt"
title = "중국 AI 기사"
outlet = "Test Daily"
published = 2025-02-24
language = "ko"
view = "mixed"
"""

CONFIG = """\
name = "test project"

[statuses.unreviewed]
meaning = "Not yet reviewed."
key = "0"

[statuses.verified]
meaning = "Checked and accurate."
verified = true
key = "1"

[statuses.false]
meaning = "Wrong."
key = "4"

[stances]
lagging = "Behind."
catching-up = "Closing the gap."
mixed = "Both."
neutral = "No side."

[topics]
cost = "Costs."
funding = "Money."
race = "Position."

[lexicon]
opposing_stances = [["lagging", "catching-up"]]
"""


def claim_toml(
    claim_id: str,
    quote: str = "딥시크는 560만달러로 모델을 훈련했다고",
    *,
    extra: str = "",
    quantity: str | None = None,
) -> str:
    """A canonical claim file; `extra` is inserted before the tables."""
    text = (
        f'id = "{claim_id}"\n'
        'statement = "DeepSeek said it trained its model for $5.6 million."\n'
        'topic = "cost"\n'
        'stance = "catching-up"\n'
        f"{extra}"
        'status = "unreviewed"\n'
        "\n[source]\n"
        'id = "test-source"\n'
        f'quote = "{quote}"\n'
    )
    if quantity is not None:
        text += "\n[quantity]\n" + quantity
    return text


ProjectFactory = Callable[..., Path]


@pytest.fixture
def make_project(tmp_path: Path) -> ProjectFactory:
    """Build a project folder with one source and the given claim files."""

    def build(claims: dict[str, str] | None = None, *, article: str = ARTICLE) -> Path:
        root = tmp_path / "project"
        (root / "seeds").mkdir(parents=True)
        (root / "claims").mkdir()
        (root / "workbench.toml").write_text(CONFIG, encoding="utf-8")
        (root / "seeds" / "000_test.txt").write_text(article, encoding="utf-8")
        (root / "seeds" / "000_test.toml").write_text(SOURCE_TOML, encoding="utf-8")
        for name, text in (claims or {}).items():
            (root / "claims" / name).write_text(text, encoding="utf-8")
        return root

    return build


@pytest.fixture
def repo_copy(tmp_path: Path) -> Path:
    """A copy of the repository's own data (workbench.toml, lexicon, seeds, claims) to modify."""
    root = tmp_path / "repo"
    root.mkdir()
    shutil.copy(REPO / "workbench.toml", root / "workbench.toml")
    shutil.copy(REPO / "lexicon.toml", root / "lexicon.toml")
    shutil.copytree(REPO / "seeds", root / "seeds")
    shutil.copytree(REPO / "claims", root / "claims")
    return root


@pytest.fixture(autouse=True)
def _private_cache(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Keep each test's load index out of the user's home folder."""
    monkeypatch.setenv("WORKBENCH_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))


def run_cli(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    """`workbench ARGV` in this process: its exit code, standard output and error."""
    from workbench.cli import main

    try:
        code = main(argv)
    except SystemExit as exit_:
        code = int(exit_.code or 0)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def age_claim_files(root: Path) -> None:
    """Make the claim files older than the load index's racy window, as after any real
    pause (a file changed within it is hashed, not trusted by its stat)."""
    old = time.time() - 60
    for path in (root / "claims").iterdir():
        os.utime(path, (old, old))


@contextlib.contextmanager
def index_db(root: Path) -> Iterator[sqlite3.Connection]:
    """The project's load index, opened as a tool would: committed and closed after use."""
    from workbench.files.index import index_file

    location = index_file(root)
    assert location is not None and location.exists()
    connection = sqlite3.connect(location)
    try:
        with connection:
            yield connection
    finally:
        connection.close()
