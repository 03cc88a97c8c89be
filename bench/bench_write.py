"""What a locked `mark` costs, against the old whole-file writer and a tomlkit edit.

    python -m bench.bench_write            # 60 marks per row
    python -m bench.bench_write 200        # another count

Rows, each the median of the same number of marks in one run, alternating so
that a busy machine weighs on every row alike; before every mark the claim file
is put back as it was, so each mark changes the same text:

- `old writer`: what `save_claim` did before locked writes: check the file's
  fingerprint, render the whole claim canonically and write it atomically (no
  lock; comments lost).
- `tomlkit edit`: lock, re-read, parse with tomlkit, set the status, append the
  history entry, dump, write atomically.
- `new mark`: `review.mark_status` as `workbench mark` runs it: lock, re-read,
  validate, apply, write only the changed lines, atomically (fsync of the file
  and its folder).

Each row is run on a canonical claim and on one with comments and hand
formatting.  The target is a `mark` under 50 ms of work beyond start-up; the
last line gives the wall time of a whole `workbench mark` process for context.
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import tomlkit

from workbench.files.locks import locked
from workbench.models import Claim, ReviewEntry
from workbench.project import Project, load_project
from workbench.review import mark_status, utc_now
from workbench.storage import (
    ensure_unchanged,
    item_block,
    load_claim_file,
    model_text,
    read_document,
    validate_document,
)
from workbench.tomlio import write_atomic

REPO = Path(__file__).resolve().parent.parent
CLAIM_ID = "apple25-deepseek-adopted-btx"
TARGET_MS = 50.0

HAND_EDITS = (
    ("status = ", "# Verdict agreed in the Monday meeting.\nstatus   =   "),
    ("[[evidence]]", "# The two papers that settle it\n[[evidence]]"),
)


def _entry(claim: Claim, status: str) -> ReviewEntry:
    return ReviewEntry.model_validate(
        {"at": utc_now(), "reviewer": "bench", "from": claim.status, "to": status, "note": "b"}
    )


def old_writer(path: Path, status: str) -> None:
    record, _ = load_claim_file(path)
    assert record is not None
    claim = record.claim
    after = claim.model_copy(
        update={"status": status, "history": [*claim.history, _entry(claim, status)]}
    )
    after = Claim.model_validate(after.model_dump(by_alias=True))
    ensure_unchanged(path, record.fingerprint)
    write_atomic(path, model_text(after))


def tomlkit_edit(path: Path, status: str) -> None:
    with locked([path]):
        document = read_document(path)
        claim, _ = validate_document(document, Claim)
        assert claim is not None and document.text is not None
        parsed = tomlkit.parse(document.text)
        parsed["status"] = status
        block = tomlkit.parse(item_block("history", _entry(claim, status)))
        history = parsed.get("history")
        if history is None:
            parsed["history"] = block["history"]
        else:
            history.append(block["history"][0])
        write_atomic(path, tomlkit.dumps(parsed))


def new_mark(project: Project) -> Callable[[Path, str], None]:
    def mark(path: Path, status: str) -> None:
        mark_status(project, CLAIM_ID, status, reviewer="bench", note="b", as_seen=False)

    return mark


def _project(root: Path, *, hand: bool) -> Path:
    (root / "claims").mkdir(parents=True)
    for name in ("workbench.toml", "lexicon.toml"):
        shutil.copy(REPO / name, root / name)
    shutil.copytree(REPO / "seeds", root / "seeds")
    text = (REPO / "claims" / f"{CLAIM_ID}.toml").read_text(encoding="utf-8")
    if hand:
        for old, new in HAND_EDITS:
            text = text.replace(old, new, 1)
    path = root / "claims" / f"{CLAIM_ID}.toml"
    path.write_text(text, encoding="utf-8")
    return path


def run(count: int) -> None:
    print(f"== one mark ({CLAIM_ID}), median of {count}, file restored before each")
    print(f"  {'file':<16} {'old writer':>11} {'tomlkit edit':>13} {'new mark':>10}")
    real_fsync = os.fsync
    with tempfile.TemporaryDirectory(prefix="bench-write-") as folder:
        for hand, durable in ((False, True), (True, True), (False, False), (True, False)):
            if not durable and os.fsync is real_fsync:
                print("  -- the same with fsync skipped: the work of each writer alone")
                os.fsync = lambda descriptor: None  # type: ignore[assignment]
            root = Path(folder) / f"{'hand' if hand else 'canonical'}-{durable}"
            path = _project(root, hand=hand)
            original = path.read_bytes()
            project = load_project(root, use_cache=False)
            writers = {
                "old": old_writer,
                "tomlkit": tomlkit_edit,
                "new": new_mark(project),
            }
            times: dict[str, list[float]] = {name: [] for name in writers}
            for number in range(count):
                for name, write in writers.items():
                    path.write_bytes(original)
                    project.replace_record(load_claim_file(path)[0])  # type: ignore[arg-type]
                    status = ("verified", "false")[number % 2]
                    start = time.perf_counter()
                    write(path, status)
                    times[name].append(time.perf_counter() - start)
            medians = {name: statistics.median(values) * 1000 for name, values in times.items()}
            label = "hand-formatted" if hand else "canonical"
            print(
                f"  {label:<16} {medians['old']:>8.2f} ms {medians['tomlkit']:>10.2f} ms "
                f"{medians['new']:>7.2f} ms"
            )
            if durable:
                verdict = "meets" if medians["new"] < TARGET_MS else "MISSES"
                print(f"    new mark with its lock: {verdict} the {TARGET_MS:.0f} ms target")
        os.fsync = real_fsync
        root = Path(folder) / "canonical-True"
        walls = []
        for number in range(5):
            start = time.perf_counter()
            subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "workbench",
                    "mark",
                    CLAIM_ID,
                    ("verified", "false")[number % 2],
                    "--root",
                    str(root),
                ],
                check=True,
                capture_output=True,
                env={**os.environ, "WORKBENCH_CACHE_DIR": "off"},
            )
            walls.append(time.perf_counter() - start)
        print(
            f"  a whole `workbench mark` process (start-up, load, mark): "
            f"{statistics.median(walls) * 1000:.0f} ms median of 5"
        )


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 60
    run(count)


if __name__ == "__main__":
    main()
