"""Messages the review app's screens and workers exchange.

`ClaimsChanged` is the one message every screen cares about: the app posts it
to itself after every write (through `ReviewApp.perform`), every undo and every
reload of a file that changed on disk, and forwards a copy to each screen on
the stack.  A screen refreshes what it shows in `on_claims_changed`.
"""

from __future__ import annotations

from textual.message import Message


class ClaimsChanged(Message, bubble=False):
    """These claims were written, undone or reloaded: show them afresh.

    It does not bubble: the app forwards one copy to each screen itself, so a
    screen's handler never sends the message back up to the app.
    """

    def __init__(self, claim_ids: tuple[str, ...] | list[str]) -> None:
        super().__init__()
        self.claim_ids: tuple[str, ...] = tuple(claim_ids)
