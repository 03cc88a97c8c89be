"""The keys the review app keeps for itself, as `workbench.toml` would write them.

A status's `key` (`[statuses.false] key = "4"`) becomes a key of the review app; one
the app already uses (`c` is Compare everywhere) is left unbound there, so that a key
keeps one meaning on every screen.  `workbench check` warns about it (WB508) from this
list, which the core can read without Textual; `tests/test_keymap.py` checks that it
is exactly the single-character keys of the app's keymap (`workbench.app.keymap`).
"""

from __future__ import annotations

RESERVED_KEYS: frozenset[str] = frozenset(
    " +/?[]"  # space (mark), + (capture), / (search), ? (help), [ ] (queue: move)
    "ABCDFGJKORSTU"  # cycle back, relations (B C F U), queues (D R), last, extend
    "abcdfgjklnopqrstuvxy"
)


def status_key_problems(keys: dict[str, str]) -> dict[str, str]:
    """Status name -> why its key cannot be a key of the review app, for `keys`
    (status name -> its key).  Two statuses with one key are already refused when
    `workbench.toml` loads."""
    return {
        status: (
            f"status key `{key}` is a key the review app already uses, so it is left "
            "unbound there: choose another (a digit, say)"
        )
        for status, key in keys.items()
        if key in RESERVED_KEYS
    }
