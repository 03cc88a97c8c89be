"""`workbench conflicts` filters on the bundled data: --source, --source-pair, --across.

Each run is lexical only (`--lexical-only`): the filters apply to whatever the
engine proposes, and the semantic proposer has tests of its own.  Bad values
are one line on stderr with a did-you-mean, and exit 2.
"""

from __future__ import annotations

import gc
import json
from typing import Any

import pytest

from tests.conftest import REPO
from workbench import project as project_module
from workbench.cli import main
from workbench.commands import conflicts as conflicts_module
from workbench.project import load_project

OLD = "chosun-2024-lagging"
NEW = "ge-2025-open-source"


@pytest.fixture(scope="module")
def source_of() -> dict[str, str]:
    project = load_project(REPO, use_cache=False)
    return {claim_id: record.summary.source_id for claim_id, record in project.claims.items()}


def rows(capsys: pytest.CaptureFixture[str], *arguments: str) -> list[dict[str, object]]:
    assert main(["conflicts", "--root", str(REPO), "--lexical-only", "--format", "json",
                 *arguments]) == 0  # fmt: skip
    found: list[dict[str, object]] = json.loads(capsys.readouterr().out)
    return found


def sources(row: dict[str, object], source_of: dict[str, str]) -> list[str]:
    return sorted((source_of[str(row["first"])], source_of[str(row["second"])]))


def test_across_keeps_only_pairs_from_two_sources(
    capsys: pytest.CaptureFixture[str], source_of: dict[str, str]
) -> None:
    everything = rows(capsys)
    across = rows(capsys, "--across")
    within = [row for row in everything if len(set(sources(row, source_of))) == 1]
    # The engine ranks a pair within one article only when its figures or dates
    # disagree, which none on the bundled data does: `within` may well be empty.
    assert across
    assert all(len(set(sources(row, source_of))) == 2 for row in across)
    assert len(across) == len(everything) - len(within)


def test_a_source_pair_either_way(
    capsys: pytest.CaptureFixture[str], source_of: dict[str, str]
) -> None:
    pair = rows(capsys, "--source", OLD, "--source", NEW)
    assert pair and all(sources(row, source_of) == sorted((OLD, NEW)) for row in pair)
    assert rows(capsys, "--source-pair", f"{NEW},{OLD}") == pair
    one = rows(capsys, "--source", OLD)
    assert all(OLD in sources(row, source_of) for row in one)
    assert len(one) > len(pair)
    inside = rows(capsys, "--source", OLD, "--source", OLD)
    assert all(sources(row, source_of) == [OLD, OLD] for row in inside)  # none on this data
    assert rows(capsys, "--source", OLD, "--source", OLD, "--across") == []
    assert len(rows(capsys, "--source", OLD, "--limit", "3")) == 3


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--source", "chosun-2024-laging"], "did you mean `chosun-2024-lagging`?"),
        (["--source-pair", f"{OLD},ge-2025-opensource"], "did you mean `ge-2025-open-source`?"),
        (["--topic", "chipz"], "did you mean `chips`?"),
        (["--source-pair", OLD], "two source ids joined by a comma"),
        (["--source", OLD, "--source-pair", f"{OLD},{NEW}"], "a pair has two sources"),
    ],
)
def test_bad_filters_are_one_line_with_a_hint_and_exit_2(
    capsys: pytest.CaptureFixture[str], arguments: list[str], message: str
) -> None:
    assert main(["conflicts", "--root", str(REPO), "--lexical-only", *arguments]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err.count("\n") == 1 and message in err
    assert err.startswith("workbench conflicts: ")


def test_an_unknown_kind_gets_a_hint(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["conflicts", "--root", str(REPO), "--kind", "stanse"])
    assert exited.value.code == 2
    assert "did you mean `stance`?" in capsys.readouterr().err


def test_the_neighbours_help_gives_the_proposers_default(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """The parser is built without importing the engine, so its help states the default
    as text: it must say what `semantic_similarities` is given."""
    from workbench.matching.semantic import DEFAULT_TOP_K

    with pytest.raises(SystemExit) as exited:
        main(["conflicts", "--help"])
    assert exited.value.code == 0
    assert f"(default {DEFAULT_TOP_K};" in " ".join(capsys.readouterr().out.split())


def test_conflicts_reads_no_article_text(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """`workbench conflicts` loads the sources' metadata but never their texts (no frame
    reads them; at 100,000 claims of 2,600 articles they took 0.4 s to read)."""
    assert main(["conflicts", "--root", str(REPO), "--lexical-only", "--format", "json"]) == 0
    before = capsys.readouterr().out

    def unread(*arguments: object) -> None:
        raise AssertionError("an article text was read")

    monkeypatch.setattr(project_module, "_read_source_text", unread)
    assert main(["conflicts", "--root", str(REPO), "--lexical-only", "--format", "json"]) == 0
    assert capsys.readouterr().out == before
    project = load_project(REPO, source_texts=False)
    monkeypatch.undo()
    texts = load_project(REPO)
    assert {key: record.text for key, record in project.sources.items()} == dict.fromkeys(
        texts.sources, ""
    )
    assert {key: record.source for key, record in project.sources.items()} == {
        key: record.source for key, record in texts.sources.items()
    }
    assert project.claims.keys() == texts.claims.keys()


def test_conflicts_runs_without_the_cyclic_collector_and_turns_it_on_again(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The collector is off for the whole command: turned on between reading the frames
    and matching, its collections walked every object made meanwhile to free none of
    them (0.45 s of a 9 s run at 100,000 claims).  It is on again afterwards, after a
    refused filter too."""
    seen: list[bool] = []
    original = conflicts_module._run

    def watched(arguments: Any, progress: Any) -> int:
        seen.append(gc.isenabled())
        return original(arguments, progress)

    monkeypatch.setattr(conflicts_module, "_run", watched)
    assert gc.isenabled()
    assert main(["conflicts", "--root", str(REPO), "--lexical-only", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)
    assert seen == [False] and gc.isenabled()
    assert main(["conflicts", "--root", str(REPO), "--source", "no-such-source"]) == 2
    assert seen == [False, False] and gc.isenabled()
