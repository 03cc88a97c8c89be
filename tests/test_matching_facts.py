"""The engine reads a warm project's claims as plain facts, and they are the models' facts.

`project_facts` takes summaries and the load index's JSON instead of building
100,000 models; these tests pin down that what it reads is what the models
say (quantities, ranges, dismissals), that a row it cannot trust falls back to
the model, and that `conflicts --format json`, now written in chunks, is byte
for byte what `json.dumps(..., indent=2)` wrote.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from tests.conftest import REPO, run_cli
from workbench.commands.conflicts import _CHUNK, _json_chunks
from workbench.files.index import index_file
from workbench.matching import Candidate, find_candidates
from workbench.matching.facts import facts_of, project_facts
from workbench.project import load_project
from workbench.terminal import json_visible


def _with_dismissal(root: Path) -> None:
    """One claim dismisses another, so that dismissals are read too."""
    first, second = sorted((root / "claims").glob("*.toml"))[:2]
    other = load_project(root, use_cache=False).claims
    second_id = next(key for key, record in other.items() if record.path.name == second.name)
    with first.open("a", encoding="utf-8") as stream:
        stream.write(f'\n[[dismissed]]\nclaim = "{second_id}"\nkind = "numeric"\n')


def test_a_warm_load_gives_the_facts_of_the_models_without_building_them(
    repo_copy: Path,
) -> None:
    _with_dismissal(repo_copy)
    expected = [facts_of(claim) for claim in load_project(repo_copy, use_cache=False).iter_claims()]
    assert any(facts.quantity is not None for facts in expected)
    assert any(f.quantity and f.quantity.low != f.quantity.high for f in expected)
    assert {f.quantity.bound for f in expected if f.quantity} == {None, "upper", "lower"}
    assert any(len(facts.recorded) for facts in expected)
    load_project(repo_copy)  # fills the load index
    warm = load_project(repo_copy)
    assert all(record.deferred_model for record in warm.claims.values())
    assert project_facts(warm) == expected
    assert all(record.deferred_model for record in warm.claims.values()), "a model was built"


def test_a_row_whose_json_fails_its_check_falls_back_to_the_model(repo_copy: Path) -> None:
    expected = [facts_of(claim) for claim in load_project(repo_copy, use_cache=False).iter_claims()]
    load_project(repo_copy)
    location = index_file(repo_copy)
    assert location is not None
    with sqlite3.connect(location) as connection:
        connection.execute("UPDATE claim_json SET json = CAST('{}' AS BLOB)")
    warm = load_project(repo_copy)
    assert project_facts(warm) == expected


def test_conflicts_json_is_what_json_dumps_with_indent_writes(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, _ = run_cli(
        ["conflicts", "--root", str(REPO), "--lexical-only", "--format", "json"], capsys
    )
    assert code == 0
    rows = [
        {
            "first": c.first,
            "second": c.second,
            "kind": c.kind,
            "score": c.score,
            "suggested_relation": c.suggested_relation,
            "reason": c.reason,
        }
        for c in find_candidates(load_project(REPO))
    ]
    assert rows
    assert out == json_visible(json.dumps(rows, ensure_ascii=False, indent=2)) + "\n"


def test_the_json_chunks_escape_like_json_dumps_across_chunks() -> None:
    reasons = ['a "quote" \\ back', "tab\there\nline", "\x00\x1b\x7f\x85 é 한국어 \u2028 \u202e"]
    candidates = [
        Candidate(f"c{i}", f"d{i}", "numeric", i / 7, reasons[i % 3], "contradicts")
        for i in range(_CHUNK * 2 + 3)
    ]
    rows = [
        {
            "first": c.first,
            "second": c.second,
            "kind": c.kind,
            "score": c.score,
            "suggested_relation": c.suggested_relation,
            "reason": c.reason,
        }
        for c in candidates
    ]
    expected = json.dumps(rows, ensure_ascii=False, indent=2)
    assert "".join(_json_chunks(candidates)) == expected
    assert "".join(_json_chunks([])) == json.dumps([], indent=2)
