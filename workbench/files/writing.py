"""The one way a claim file changes: lock it, read it, change what is there, write.

A reviewer's change is a function from the claim as it is on disk now to the
claim it should become.  `update_claim` takes the file's lock, reads the file
again (never a copy loaded earlier, nor the index), applies the change, checks
the result against the model, and writes only the lines that differ through
`write_atomic`, all before it lets go of the lock.  Two writers at once
therefore both land, one after the other, and each sees what the other wrote.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from workbench.files.edits import claim_text_after
from workbench.files.locks import locked, real_path
from workbench.models import Claim
from workbench.storage import (
    ClaimExistsError,
    ClaimRecord,
    Fingerprint,
    StaleFileError,
    model_text,
    read_document,
    validate_document,
)
from workbench.tomlio import write_atomic, write_new

ClaimChange = Callable[[Claim], Claim]
"""A change to make: the claim as it is on disk now -> the claim to write."""


@dataclass(frozen=True, slots=True)
class OnDisk:
    """A claim file as read under its lock."""

    path: Path
    text: str
    claim: Claim
    fingerprint: Fingerprint | None


def read_on_disk(path: Path) -> OnDisk:
    """Read and validate a claim file for a write; `StaleFileError` when there is no
    valid claim to change (deleted, or broken by a hand edit)."""
    if not os.path.lexists(path):
        raise StaleFileError(path, "the file was deleted since it was loaded")
    document = read_document(path)
    claim, problems = validate_document(document, Claim)
    if claim is None or document.text is None:
        first = problems[0] if problems else None
        where = f"line {first.line}: {first.message}" if first is not None else "it does not load"
        raise StaleFileError(
            path, f"the file on disk has problems ({where}); fix it first (`workbench check`)"
        )
    return OnDisk(path, document.text, claim, document.fingerprint)


def write_change(current: OnDisk, after: Claim) -> ClaimRecord:
    """Write `after` over the file read as `current`, changing only the lines that differ."""
    after = Claim.model_validate(after.model_dump(by_alias=True))
    if after == current.claim:
        return ClaimRecord(after, current.path, current.fingerprint)
    text = claim_text_after(current.text, current.claim, after)
    write_atomic(current.path, text)
    data = text.encode("utf-8")
    return ClaimRecord(after, current.path, Fingerprint.of(data, real_path(current.path).stat()))


def update_claim(path: Path, change: ClaimChange) -> tuple[Claim, ClaimRecord]:
    """Apply `change` to the claim at `path` as it is now, under its lock.

    Returns the claim as it was on disk just before, and the record written.
    `change` may raise (`StaleFileError`, `ReviewError`) to refuse; nothing is
    written then.
    """
    with locked([path]):
        current = read_on_disk(path)
        return current.claim, write_change(current, change(current.claim))


def update_claims(
    paths: Sequence[Path], change: Callable[[list[Claim]], list[Claim]]
) -> list[tuple[Claim, ClaimRecord]]:
    """`update_claim` for a change that spans files (a mirrored relation, a dismissal).

    All files are locked (in sorted order) and read before any is written, so a
    refusal for one file leaves every file as it was.
    """
    with locked(paths):
        currents = [read_on_disk(path) for path in paths]
        afters = change([current.claim for current in currents])
        return [
            (current.claim, write_change(current, after))
            for current, after in zip(currents, afters, strict=True)
        ]


def create_new_claim(path: Path, claim: Claim) -> ClaimRecord:
    """Write a new claim file, only if no file has its name: of two writers
    creating the same id at once, exactly one succeeds."""
    claim = Claim.model_validate(claim.model_dump(by_alias=True))
    text = model_text(claim)
    with locked([path]):
        try:
            write_new(path, text)
        except FileExistsError:
            raise ClaimExistsError(f"{path} already exists: choose another id") from None
    return ClaimRecord(claim, path, Fingerprint.of(text.encode("utf-8"), path.stat()))
