"""The matching engine: which pairs of claims a reviewer should look at together.

The engine itself lives in `workbench.matching.engine`; this package re-exports
its public names so that `from workbench.matching import find_candidates` works.
"""

from workbench.matching.engine import (
    DEFAULT_SETTINGS,
    KINDS,
    Candidate,
    MatchSettings,
    Steps,
    find_candidates,
    iter_match_facts,
    iter_match_frames,
    match_claims,
    match_facts,
)

__all__ = [
    "DEFAULT_SETTINGS",
    "KINDS",
    "Candidate",
    "MatchSettings",
    "Steps",
    "find_candidates",
    "iter_match_facts",
    "iter_match_frames",
    "match_claims",
    "match_facts",
]
