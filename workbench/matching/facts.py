"""What the engine reads of a claim, as plain data: its facts.

The engine needs eight things of each claim (id, statement, quote, source,
topic, stance, quantity, and the ids it already relates to or dismissed), not
its model.  A warm project keeps the models unbuilt (`ClaimRecord`): building
100,000 of them for one `workbench conflicts` took 2.4 s and 380 MB, more than
everything else the engine holds.  So `project_facts` reads the summary a warm
load already has, and only the quantity and dismissals from each claim's
validated JSON in the load index, parsed with `json` and dropped at once (and
only for the claims that have either); a claim the index cannot vouch for
(another file digest, a JSON that fails its check, no index) falls back to its
model, so the facts are always those of the file as loaded.
"""

from __future__ import annotations

import gc
import json
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from sys import intern
from typing import Any, NamedTuple

from workbench.files.index import LoadIndex
from workbench.models import Claim
from workbench.project import Project
from workbench.storage import ClaimRecord

__all__ = [
    "ClaimFacts",
    "QuantityFacts",
    "collector_paused",
    "facts_of",
    "project_facts",
    "records_facts",
]


@contextmanager
def collector_paused(pause: bool = True) -> Iterator[None]:
    """The cyclic garbage collector off for the block (reference counting still frees):
    reading facts and frames allocates an object or more per claim and frees little until
    the block ends, so the collector would walk the growing heap again and again."""
    if not pause or not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


class QuantityFacts(NamedTuple):
    """A claim's quantity as the engine reads it (the fields of `models.Quantity`)."""

    subject: str
    low: float
    high: float
    unit: str
    period: str
    scope: str
    approximate: bool
    bound: str | None = None
    """`upper` ("less than 10%"), `lower` ("more than 300") or None: `models.Quantity.bound`."""

    @property
    def bounds(self) -> tuple[float, float]:
        return (self.low, self.high)


class ClaimFacts(NamedTuple):
    """What the engine reads of one claim."""

    id: str
    statement: str
    quote: str
    source_id: str
    topic: str
    stance: str
    quantity: QuantityFacts | None
    recorded: tuple[str, ...]
    """Ids of the claims it relates to or dismissed: never proposed with it."""


def _quantity(claim: Claim) -> QuantityFacts | None:
    quantity = claim.quantity
    if quantity is None:
        return None
    low, high = quantity.bounds
    return QuantityFacts(
        quantity.subject,
        low,
        high,
        quantity.unit,
        quantity.period,
        quantity.scope,
        quantity.approximate,
        quantity.bound,
    )


def facts_of(claim: Claim) -> ClaimFacts:
    """A model's facts."""
    return ClaimFacts(
        claim.id,
        claim.statement,
        claim.source.quote,
        claim.source.id,
        claim.topic,
        claim.stance,
        _quantity(claim),
        tuple(relation.claim for relation in claim.relations)
        + tuple(dismissal.claim for dismissal in claim.dismissed),
    )


_QUANTITY, _DISMISSED = b'"quantity"', b'"dismissed"'
"""Keys whose presence in a claim's JSON means it must be parsed.  The JSON is written
without defaults, so a claim with neither key has no quantity and no dismissals (an
unescaped `"` cannot occur inside a JSON string, so neither can the keys as written)."""


def _stored_quantity(data: dict[str, Any]) -> QuantityFacts | None:
    """A quantity from the JSON `Claim.model_dump_json(exclude_defaults=True)` wrote."""
    found = data.get("quantity")
    if found is None:
        return None
    value = found.get("value")
    low = float(value if value is not None else found["low"])
    high = float(value if value is not None else found["high"])
    return QuantityFacts(
        found["subject"],
        low,
        high,
        found["unit"],
        found.get("period", ""),
        found.get("scope", ""),
        bool(found.get("approximate", False)),
        found.get("bound"),
    )


_NONE: tuple[str, ...] = ()

_scan = json.JSONDecoder().raw_decode


def _top_level(text: str) -> dict[str, Any]:
    """The `quantity` and `dismissed` values of a claim's JSON, parsing only those two:
    the rest (evidence with long citations, review history) is most of each document
    and most of the time `json.loads` took.  Each key is found as written (`"key":`,
    which cannot occur inside a JSON string, where every quote is escaped, nor in a
    nested object, since no model below `Claim` has a field of either name); a value
    that is not valid JSON raises `ValueError`, as `json.loads` would."""
    found: dict[str, Any] = {}
    for key, marker in (("quantity", '"quantity":'), ("dismissed", '"dismissed":')):
        start = text.find(marker)
        if start >= 0:
            found[key] = _scan(text, start + len(marker))[0]
    return found


def project_facts(project: Project) -> list[ClaimFacts]:
    """Every claim's facts, in the project's order, building no model a warm load
    deferred unless the load index cannot vouch for that claim's JSON."""
    with collector_paused():
        return _project_facts(project)


def _project_facts(project: Project) -> list[ClaimFacts]:
    return records_facts(list(project.claims.values()), project.load_index)


def records_facts(records: list[ClaimRecord], index: LoadIndex | None) -> list[ClaimFacts]:
    """`project_facts` for some of a project's records (the load index is the project's):
    each claim's JSON is read in one pass over the index."""
    parsed: dict[str, tuple[QuantityFacts | None, tuple[str, ...]] | None] = {}
    deferred = {
        record.fingerprint.digest
        for record in records
        if record.deferred_model and record.fingerprint is not None
    }
    if index is not None and deferred:
        for digest, data in index.iter_claim_json(deferred):
            if _QUANTITY not in data and _DISMISSED not in data:
                parsed[digest] = None
                continue
            try:
                document = _top_level(data.decode("utf-8"))
                dismissals: Iterable[dict[str, Any]] = document.get("dismissed", ())
                parsed[digest] = (
                    _stored_quantity(document),
                    tuple(str(dismissal["claim"]) for dismissal in dismissals),
                )
            except (ValueError, KeyError, TypeError, AttributeError):
                continue  # not what the index writes: the model decides
    found: list[ClaimFacts] = []
    append = found.append
    new = tuple.__new__  # a named tuple without its Python `__new__`: 100,000 of them
    for record in records:
        fingerprint = record.fingerprint
        if record.deferred_model and fingerprint is not None and fingerprint.digest in parsed:
            extra = parsed[fingerprint.digest]
            summary = record.summary
            quantity, dismissed = extra if extra is not None else (None, _NONE)
            values = (
                summary.id,
                summary.statement,
                summary.quote,
                intern(summary.source_id),  # a few values, each a new string per row
                intern(summary.topic),
                intern(summary.stance),
                quantity,
                summary.related + dismissed,
            )
            append(new(ClaimFacts, values))
        else:
            append(facts_of(record.claim))
    return found
