"""Export speed for every format, against a naive baseline in the same run.

    python -m bench.bench_export            # 100,000 claims
    python -m bench.bench_export 10000      # another size

The project is loaded once; each format is then exported to a file (median of
3).  The target is under 5 s per format for 100,000 claims.  The baselines are
the obvious code a script would write: `json.dumps` over `model_dump` for the
json formats and ClaimReview, `csv.DictWriter` over flattened `model_dump` rows for csv, and
one `INSERT` per row into an indexed table for sqlite, so the ratio holds on
any machine.
"""

from __future__ import annotations

import csv
import json
import os
import sqlite3
import sys
import tempfile
from pathlib import Path
from typing import Any

from bench.corpus import make_corpus, median_seconds
from workbench.export import FORMATS, Selection, export_claims
from workbench.models import Claim
from workbench.project import Project, load_project

TARGET_SECONDS = 5.0


def _claims(project: Project) -> list[Claim]:
    return [project.claims[claim_id].claim for claim_id in sorted(project.claims)]


def naive_json(project: Project, path: Path) -> None:
    data = [claim.model_dump(mode="json", by_alias=True) for claim in _claims(project)]
    path.write_text(json.dumps({"claims": data}, ensure_ascii=False, indent=2), "utf-8")


def naive_jsonl(project: Project, path: Path) -> None:
    with path.open("w", encoding="utf-8") as handle:
        for claim in _claims(project):
            handle.write(json.dumps(claim.model_dump(mode="json"), ensure_ascii=False) + "\n")


def _flat(claim: Claim) -> dict[str, Any]:
    data = claim.model_dump(mode="json")
    row: dict[str, Any] = {}
    for key, value in data.items():
        if isinstance(value, dict):
            row.update({f"{key}_{inner}": item for inner, item in value.items()})
        elif isinstance(value, list):
            row[key] = len(value)
        else:
            row[key] = value
    return row


def naive_csv(project: Project, path: Path) -> None:
    rows = [_flat(claim) for claim in _claims(project)]
    names = sorted({name for row in rows for name in row})
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=names)
        writer.writeheader()
        writer.writerows(rows)


def naive_sqlite(project: Project, path: Path) -> None:
    path.unlink(missing_ok=True)
    db = sqlite3.connect(path)
    db.execute("CREATE TABLE claims (id TEXT PRIMARY KEY, status TEXT, data TEXT)")
    db.execute("CREATE INDEX claims_status ON claims (status)")
    for claim in _claims(project):
        db.execute(
            "INSERT INTO claims VALUES (?, ?, ?)",
            (claim.id, claim.status, json.dumps(claim.model_dump(mode="json"))),
        )
    db.commit()
    db.close()


def naive_claimreview(project: Project, path: Path) -> None:
    settings = project.settings
    reviews = []
    for claim in _claims(project):
        data = claim.model_dump(mode="json", by_alias=True)
        if data["status"] == "unreviewed" or not data["history"]:
            continue
        source = project.sources[claim.source.id].source.model_dump(mode="json")
        status = settings.statuses[data["status"]]
        reviews.append(
            {
                "@context": "https://schema.org",
                "@type": "ClaimReview",
                "url": settings.claimreview.review_url.format(id=data["id"]),
                "claimReviewed": data["statement"],
                "datePublished": data["history"][-1]["at"][:10],
                "author": {"@type": "Organization", "name": settings.claimreview.organization},
                "reviewRating": {"@type": "Rating", "alternateName": status.rating_name},
                "itemReviewed": {
                    "@type": "Claim",
                    "datePublished": source["published"],
                    "appearance": {"@type": "CreativeWork", "headline": source["title"]},
                },
            }
        )
    path.write_text(json.dumps(reviews, ensure_ascii=False, indent=2), "utf-8")


BASELINES = {
    "json": naive_json,
    "jsonl": naive_jsonl,
    "csv": naive_csv,
    "claimreview": naive_claimreview,
    "sqlite": naive_sqlite,
}


def run(count: int) -> bool:
    root = make_corpus(count)
    project = load_project(root)
    with tempfile.TemporaryDirectory(prefix="wb-bench-export-") as folder:
        return _run_in(project, root, Path(folder))


def _run_in(project: Project, root: Path, out: Path) -> bool:
    print(f"\n== {len(project.claims):,} claims ({root.name}); median of 3, export to a file")
    print(f"  {'format':<12} {'export':>9} {'baseline':>10} {'ratio':>8}  {'size':>9}")
    ok = True
    for format in FORMATS:
        target = out / f"claims.{format}"
        seconds = median_seconds(
            lambda format=format, target=target: export_claims(
                project, Selection(), format, target, progress=False, draft=True
            ),
            3,
        )
        size = target.stat().st_size
        baseline_target = out / f"naive.{format}"
        baseline = median_seconds(
            lambda format=format, path=baseline_target: BASELINES[format](project, path), 3
        )
        verdict = "" if seconds < TARGET_SECONDS else f"  SLOWER THAN {TARGET_SECONDS:g} s"
        ok = ok and seconds < TARGET_SECONDS
        print(
            f"  {format:<12} {seconds:8.3f}s {baseline:9.3f}s {baseline / seconds:7.2f}x"
            f"  {size / 1e6:7.1f}MB{verdict}"
        )
    return ok


def main() -> None:
    sizes = [int(arg) for arg in sys.argv[1:]] or [100_000]
    print(
        f"Python {sys.version.split()[0]}, sqlite {sqlite3.sqlite_version}, {os.cpu_count()} CPUs"
    )
    print("baselines: json.dumps / csv.DictWriter over model_dump; one INSERT a row (sqlite)")
    ok = all([run(size) for size in sizes])
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
