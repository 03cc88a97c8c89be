"""The re-check queue: claims whose `recheck` date has come.

A claim's `recheck` date says when its verdict should be looked at again
(ClaimReview publishes it as `expires`).  It is due on that date and after,
as of a day in UTC, so that every reviewer, whatever their time zone, and every
CI run sees the same queue on the same day.
"""

from __future__ import annotations

import datetime as dt

from workbench.models import Claim


def today_utc() -> dt.date:
    return dt.datetime.now(dt.UTC).date()


def recheck_is_due(claim: Claim, as_of: dt.date) -> bool:
    """Whether the claim has a `recheck` date on or before `as_of`."""
    return claim.recheck is not None and claim.recheck <= as_of


def due_claims(claims: list[Claim], as_of: dt.date | None = None) -> list[Claim]:
    """The due claims, most overdue first (then by id): the order a queue works in."""
    day = as_of or today_utc()
    due = [claim for claim in claims if recheck_is_due(claim, day)]
    return sorted(due, key=lambda claim: (claim.recheck or day, claim.id))
