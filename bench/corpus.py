"""Synthetic corpora for the benchmarks: the bundled claims cloned to any size.

Clone `g` of claim `x` gets the id `x-g<g>` and a statement varied with the
group number; its relations point at clones in the same group, so references,
mirrors and quotes stay valid and `workbench check` on the corpus is as clean
as on the bundled data.  Corpora are cached under `bench/out/` by size, shape and
a hash of the bundled claims, since writing 100,000 files takes a while.

Two shapes.  By default every clone keeps its original's source, so a corpus of
100,000 claims has the five bundled articles of some 20,000 claims each: the
shape the earlier figures were measured on.  With `spread_sources=True` each
clone group gets its own copies of the five articles (source `<id>-g<group>`,
files `<stem>-g<group>.toml` and `.txt`, the same text so quotes still anchor),
and its claims point at them: some 2,600 articles of about 40 claims at 100,000,
as a real corpus of that size has thousands of articles.  The first shape
flatters whatever leaves out pairs within one source: there a clone's nearest
neighbours, its siblings in other groups, share its source.
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


def grouped_id(identifier: str, group: int) -> str:
    """`identifier` with the group's suffix, cut to stay within the 80 characters of an id."""
    suffix = f"-g{group}"
    return f"{identifier[: 80 - len(suffix)]}{suffix}"


def clone(claim: dict[str, Any], group: int, *, spread_sources: bool = False) -> dict[str, Any]:
    """Claim `claim` as group `group` has it; with `spread_sources`, citing the group's
    own copy of its source (written by `_write_spread_seeds`)."""
    copy = dict(claim)
    copy["id"] = grouped_id(claim["id"], group)
    if spread_sources:
        copy["source"] = {**claim["source"], "id": grouped_id(claim["source"]["id"], group)}
    word = _WORDS[group % len(_WORDS)]
    copy["statement"] = f"{claim['statement'].rstrip('.')} ({word}, set {group})."
    copy["relations"] = [
        {**relation, "claim": grouped_id(relation["claim"], group)}
        for relation in claim.get("relations", [])
    ]
    if not copy["relations"]:
        del copy["relations"]
    copy.pop("dismissed", None)
    return copy


def _write_spread_seeds(seeds: Path, groups: int) -> None:
    """Each group's copies of the bundled sources: metadata and text under new names,
    the metadata's `id` and `file` pointing at the group's copies, the rest unchanged."""
    seeds.mkdir(parents=True)
    for metadata_path in sorted((REPO / "seeds").glob("*.toml")):
        metadata = parse_toml(metadata_path.read_text(encoding="utf-8"))
        text = (REPO / "seeds" / metadata["file"]).read_bytes()
        for group in range(groups):
            stem = f"{metadata_path.stem}-g{group}"
            copy = {**metadata, "id": grouped_id(metadata["id"], group), "file": f"{stem}.txt"}
            (seeds / f"{stem}.txt").write_bytes(text)
            (seeds / f"{stem}.toml").write_text(dumps_canonical(copy), "utf-8")


def make_corpus(count: int, *, spread_sources: bool = False) -> Path:
    """A project folder with `count` claims (built once, then reused); with
    `spread_sources`, each clone group citing its own copies of the sources."""
    shape = "corpus-spread" if spread_sources else "corpus"
    root = OUT / f"{shape}-{count}-{_digest()}"
    if (root / "workbench.toml").exists() and (root / ".complete").exists():
        _copy_lexicon(root)
        return root
    if root.exists():
        shutil.rmtree(root)
    claims = _bundled_claims()
    (root / "claims").mkdir(parents=True)
    shutil.copy(REPO / "workbench.toml", root / "workbench.toml")
    shutil.copy(REPO / "lexicon.toml", root / "lexicon.toml")
    full_groups, remainder = divmod(count, len(claims))
    if spread_sources:
        _write_spread_seeds(root / "seeds", full_groups + (1 if remainder else 0))
    else:
        shutil.copytree(REPO / "seeds", root / "seeds")
    # The last group is partial: relations to claims it does not clone are left
    # out, so that the corpus checks as clean as the bundled data.
    in_last_group = {claim["id"] for claim in claims[:remainder]}
    for index in range(count):
        group, position = divmod(index, len(claims))
        data = clone(claims[position], group, spread_sources=spread_sources)
        if group == full_groups:
            kept = [
                relation
                for relation in claims[position].get("relations", [])
                if relation["claim"] in in_last_group
            ]
            data = clone(
                {**claims[position], "relations": kept}, group, spread_sources=spread_sources
            )
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
