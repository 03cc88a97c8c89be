"""Precision and recall of the matching engine against the relations recorded in `claims/`.

    python -m bench.bench_quality [--root DIR] [--top K ...] [--quiet]

The relations the data editors recorded (contradicts, supports, same-fact,
updates) are the labelled set: an unordered pair of claims counts once,
whichever file records it.  The engine is run with `respect_recorded=False`,
since it otherwise leaves recorded pairs out by design, and every candidate
counts whatever its kind.  Printed: recall over all candidates, precision and
recall at several depths of the ranking (K = the number of labelled pairs, and
the depth at which recall first reaches 90%), whether the suggested relation
matches the recorded one, and the rank of each labelled pair.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from workbench.matching import Candidate, match_claims
from workbench.project import Project, load_project

REPO = Path(__file__).resolve().parent.parent


@dataclass(frozen=True, slots=True)
class Quality:
    labelled: dict[frozenset[str], str]
    """Each labelled pair and its recorded relation kind."""
    ranked: list[Candidate]
    rank: dict[frozenset[str], int]
    """1-based rank of each labelled pair the engine proposes."""

    @property
    def recall(self) -> float:
        return len(self.rank) / len(self.labelled) if self.labelled else 1.0

    def at(self, k: int) -> tuple[float, float]:
        """Precision and recall among the top k candidates."""
        hits = sum(1 for position in self.rank.values() if position <= k)
        shown = min(k, len(self.ranked))
        precision = hits / shown if shown else 1.0
        recall = hits / len(self.labelled) if self.labelled else 1.0
        return precision, recall

    def depth_for(self, recall: float) -> int | None:
        """The smallest k whose top k reaches `recall`, or None if no depth does."""
        needed = recall * len(self.labelled)
        positions = sorted(self.rank.values())
        for count, position in enumerate(positions, start=1):
            if count >= needed - 1e-9:
                return position
        return None


def labelled_pairs(project: Project) -> dict[frozenset[str], str]:
    pairs: dict[frozenset[str], str] = {}
    for claim in project.iter_claims():
        for relation in claim.relations:
            if relation.claim in project.claims and relation.claim != claim.id:
                pairs.setdefault(frozenset((claim.id, relation.claim)), relation.kind)
    return pairs


def measure(project: Project) -> Quality:
    published = {key: record.source.published for key, record in project.sources.items()}
    ranked = match_claims(list(project.iter_claims()), published, respect_recorded=False)
    labelled = labelled_pairs(project)
    rank: dict[frozenset[str], int] = {}
    for position, candidate in enumerate(ranked, start=1):
        pair = frozenset((candidate.first, candidate.second))
        if pair in labelled and pair not in rank:
            rank[pair] = position
    return Quality(labelled, ranked, rank)


def report(quality: Quality, tops: list[int], *, quiet: bool = False) -> None:
    labelled = quality.labelled
    kinds = Counter(labelled.values())
    print(
        f"labelled pairs: {len(labelled)} ("
        + ", ".join(f"{kind} {count}" for kind, count in sorted(kinds.items()))
        + f"); candidates: {len(quality.ranked)}"
    )
    print(f"recall over all candidates: {quality.recall:.1%} ({len(quality.rank)}/{len(labelled)})")
    depth90 = quality.depth_for(0.9)
    depths = sorted({*tops, len(labelled), 2 * len(labelled), *([depth90] if depth90 else [])})
    print(f"{'top K':>8} {'precision':>10} {'recall':>8}")
    for k in depths:
        precision, recall = quality.at(k)
        note = ""
        if k == len(labelled):
            note = "  (K = labelled pairs)"
        if k == depth90:
            note += "  (recall reaches 90%)"
        print(f"{k:>8} {precision:>10.1%} {recall:>8.1%}{note}")
    if depth90 is None:
        print("recall never reaches 90%")
    by_pair = {
        frozenset((c.first, c.second)): c for c in quality.ranked if frozenset((c.first, c.second))
    }
    agree = sum(
        1
        for pair, kind in labelled.items()
        if pair in by_pair and by_pair[pair].suggested_relation == kind
    )
    if quality.rank:
        print(f"suggested relation = recorded relation: {agree}/{len(quality.rank)} found pairs")
    print(f"\n{'recorded':<12} {'pairs':>6} {'found':>6} {'median rank':>12}")
    for kind in sorted(kinds):
        ranks = sorted(
            quality.rank[pair] for pair, k in labelled.items() if k == kind and pair in quality.rank
        )
        middle = f"{ranks[len(ranks) // 2]}" if ranks else "-"
        print(f"{kind:<12} {kinds[kind]:>6} {len(ranks):>6} {middle:>12}")
    if quiet:
        return
    print("\nrank of each labelled pair (- = not proposed):")
    rows = sorted(
        labelled.items(), key=lambda item: (quality.rank.get(item[0], 10**9), sorted(item[0]))
    )
    for pair, kind in rows:
        first, second = sorted(pair)
        position = quality.rank.get(pair)
        candidate = by_pair.get(pair)
        found = (
            f"{position:>5} {candidate.score:.3f} {candidate.kind}/{candidate.suggested_relation}"
            if position is not None and candidate is not None
            else "    -"
        )
        print(f"{found:<34} {kind:<12} {first}  {second}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--root", type=Path, default=REPO)
    parser.add_argument("--top", type=int, nargs="*", default=[10, 25, 50, 100])
    parser.add_argument("--quiet", action="store_true", help="no per-pair ranks")
    arguments = parser.parse_args(argv)
    project = load_project(arguments.root, use_cache=False)
    quality = measure(project)
    report(quality, arguments.top, quiet=arguments.quiet)
    return 0


if __name__ == "__main__":
    sys.exit(main())
