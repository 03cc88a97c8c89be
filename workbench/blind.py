"""Blind review: a second reviewer does not see the first one's verdict until they give theirs.

`workbench review --blind` shows each claim through `blind_view`: while the
reviewer has given no verdict of their own on a claim that others have
reviewed, its status is shown as `hidden` and only the reviewer's own history
entries are shown (other reviewers' verdicts and notes are not).  Once they
have given a verdict (`workbench.agreement.reviewer_verdicts` says what counts),
the claim is shown as it is.  Files are never changed by this: it is a view.
"""

from __future__ import annotations

from workbench.agreement import reviewer_verdicts
from workbench.models import Claim

HIDDEN_STATUS = "hidden"
"""What a blind reviewer sees instead of a status others set."""


def has_own_verdict(claim: Claim, reviewer: str) -> bool:
    """Whether `reviewer`'s latest entries on the claim include a verdict."""
    return reviewer in reviewer_verdicts(claim)


def is_hidden(claim: Claim, reviewer: str) -> bool:
    """Whether others reviewed the claim and `reviewer` has not yet."""
    if has_own_verdict(claim, reviewer):
        return False
    return any(entry.reviewer != reviewer for entry in claim.history)


def blind_view(claim: Claim, reviewer: str) -> Claim:
    """The claim as a blind reviewer sees it (see the module docstring)."""
    if not is_hidden(claim, reviewer):
        return claim
    own = [entry for entry in claim.history if entry.reviewer == reviewer]
    return claim.model_copy(update={"status": HIDDEN_STATUS, "history": own})
