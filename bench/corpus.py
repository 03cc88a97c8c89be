"""Synthetic corpora for the benchmarks: the bundled claims cloned to any size.

Clone `g` of claim `x` gets the id `x-g<g>` and a statement varied with the
group number; its relations point at clones in the same group, so references,
mirrors and quotes stay valid and `workbench check` on the corpus is as clean
as on the bundled data.  Corpora are cached under `bench/out/` by size and by a
hash of the bundled claims, since writing 100,000 files takes a while.
"""

from __future__ import annotations

import hashlib
import shutil
import statistics
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from workbench.tomlio import dumps_canonical, parse_toml, write_atomic

REPO = Path(__file__).resolve().parent.parent
OUT = REPO / "bench" / "out"

_WORDS = (
    "reportedly",
    "according to filings",
    "in its annual review",
    "as analysts note",
    "per industry data",
    "in a regional survey",
    "as officials said",
    "in a later update",
)


def _bundled_claims() -> list[dict[str, Any]]:
    paths = sorted((REPO / "claims").rglob("*.toml"))
    if not paths:
        raise SystemExit("no bundled claims in claims/: the corpus is cloned from them")
    return [parse_toml(path.read_text(encoding="utf-8")) for path in paths]


def _digest() -> str:
    hasher = hashlib.blake2b(digest_size=8)
    for path in sorted((REPO / "claims").rglob("*.toml")) + sorted((REPO / "seeds").iterdir()):
        hasher.update(path.name.encode())
        hasher.update(path.read_bytes())
    hasher.update(Path(__file__).read_bytes())
    return hasher.hexdigest()


def clone(claim: dict[str, Any], group: int) -> dict[str, Any]:
    suffix = f"-g{group}"
    copy = dict(claim)
    copy["id"] = f"{claim['id'][: 80 - len(suffix)]}{suffix}"
    word = _WORDS[group % len(_WORDS)]
    copy["statement"] = f"{claim['statement'].rstrip('.')} ({word}, set {group})."
    copy["relations"] = [
        {**relation, "claim": f"{relation['claim'][: 80 - len(suffix)]}{suffix}"}
        for relation in claim.get("relations", [])
    ]
    if not copy["relations"]:
        del copy["relations"]
    copy.pop("dismissed", None)
    return copy


def make_corpus(count: int) -> Path:
    """A project folder with `count` claims (built once, then reused)."""
    root = OUT / f"corpus-{count}-{_digest()}"
    if (root / "workbench.toml").exists() and (root / ".complete").exists():
        _copy_lexicon(root)
        return root
    if root.exists():
        shutil.rmtree(root)
    claims = _bundled_claims()
    (root / "claims").mkdir(parents=True)
    shutil.copy(REPO / "workbench.toml", root / "workbench.toml")
    shutil.copy(REPO / "lexicon.toml", root / "lexicon.toml")
    shutil.copytree(REPO / "seeds", root / "seeds")
    full_groups, remainder = divmod(count, len(claims))
    # The last group is partial: relations to claims it does not clone are left
    # out, so that the corpus checks as clean as the bundled data.
    in_last_group = {claim["id"] for claim in claims[:remainder]}
    for index in range(count):
        group, position = divmod(index, len(claims))
        data = clone(claims[position], group)
        if group == full_groups:
            kept = [
                relation
                for relation in claims[position].get("relations", [])
                if relation["claim"] in in_last_group
            ]
            data = clone({**claims[position], "relations": kept}, group)
        (root / "claims" / f"{data['id']}.toml").write_text(dumps_canonical(data), "utf-8")
    write_atomic(root / ".complete", f"{count}\n")
    return root


def _copy_lexicon(root: Path) -> None:
    """The bundled lexicon, copied afresh each time: it is not part of the cache key,
    and a corpus must match with the subject's words as they are now."""
    if (REPO / "lexicon.toml").exists():
        shutil.copy(REPO / "lexicon.toml", root / "lexicon.toml")


def median_seconds(function: Callable[[], object], repeat: int = 5) -> float:
    """The median wall time of `repeat` calls."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return statistics.median(times)
