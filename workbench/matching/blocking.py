"""Which pairs of claims the engine compares: all of them in a small project, and
beyond `MatchSettings.pair_budget` those that blocking finds (`pairs_to_compare`
says how)."""

from __future__ import annotations

import zlib
from itertools import chain
from typing import TYPE_CHECKING

from workbench.matching.frames import Frame
from workbench.matching.scoring import Comparer

if TYPE_CHECKING:
    from workbench.matching.engine import MatchSettings

__all__ = ["pairs_to_compare", "ranks"]


def pairs_to_compare(
    frames: list[Frame], comparer: Comparer, settings: MatchSettings, *, exhaustive: bool
) -> list[int]:
    """Codes `i * n + j` (i < j) of the pairs to compare, sorted, each once.

    All pairs while they fit in the budget.  Beyond it, blocking: each claim is
    indexed under its entities, its quantity's subject and its rarest words; a
    key held by more than `stop_share` of the claims says nothing and is not used;
    a small block pairs all its claims, a crowded one pairs each claim with its
    next `window` claims in a fixed scattering (by a checksum of the claim id), so
    that claims that merely share the key meet.  And every claim meets the next
    claim in the order of their statements, where a near-duplicate would be.
    """
    n = len(frames)
    if exhaustive or n * (n - 1) // 2 <= settings.pair_budget:
        return [i * n + j for i in range(n) for j in range(i + 1, n)]
    crowded = max(settings.block_size, int(settings.stop_share * n))
    # Three indexes (entities, quantity subjects, words), each key as it is (a subject by
    # its set of words), so that no key string is built per claim.  A word's rank in
    # (document frequency, word) order sorts a claim's words rarest first in C.
    entity_postings: dict[str, list[int]] = {
        name: [] for name, count in comparer.weights.entity_df.items() if count <= crowded
    }
    subject_postings: dict[frozenset[str], list[int]] = {}
    usable = sorted(
        (count, word)
        for word, count in comparer.weights.word_df.items()
        if count <= crowded and word[0] != "~"
    )
    word_rank = {word: rank for rank, (_, word) in enumerate(usable)}
    word_postings: list[list[int]] = [[] for _ in usable]
    is_usable, rank_of = word_rank.__contains__, word_rank.__getitem__
    keys_per_claim = settings.keys_per_claim
    for frame in frames:
        position = frame.index
        for name in frame.entities:
            found = entity_postings.get(name)
            if found is not None:
                found.append(position)
        if frame.amount is not None and frame.amount.subject:
            subject_postings.setdefault(frame.amount.subject, []).append(position)
        for rank in sorted(map(rank_of, filter(is_usable, frame.words)))[:keys_per_claim]:
            word_postings[rank].append(position)
    postings = chain(entity_postings.values(), subject_postings.values(), word_postings)
    forward = ranks([frame.text_key for frame in frames])
    scattered = ranks([f"{zlib.crc32(frame.claim_id.encode()):08x}" for frame in frames])
    # Each pair under its first claim: a claim's partners are positions the postings
    # hold already (no code made per sighting, and a pair is seen three times on
    # average), deduplicated and sorted claim by claim.  At 100,000 claims a set of
    # codes took 15 MB more at the peak of `conflicts`, and longer.
    partners: list[list[int]] = [[] for _ in range(n)]
    window = settings.window
    by_text = sorted(range(n), key=forward.__getitem__)
    for x in range(n - 1):
        i, j = by_text[x], by_text[x + 1]
        if i < j:
            partners[i].append(j)
        else:
            partners[j].append(i)
    for members in postings:
        size = len(members)
        if size < 2:
            continue
        if size <= settings.block_size:
            # A posting lists its claims in frame order: each meets all those after it.
            for x in range(size - 1):
                partners[members[x]].extend(members[x + 1 :])
            continue
        members.sort(key=scattered.__getitem__)
        for x in range(size - 1):
            i = members[x]
            for j in members[x + 1 : x + 1 + window]:
                if i < j:
                    partners[i].append(j)
                else:
                    partners[j].append(i)
    codes: list[int] = []
    extend = codes.extend
    while partners:  # the last claim's first, each list let go once read
        met = partners.pop()
        if met:
            base = len(partners) * n
            extend([base + j for j in sorted(set(met), reverse=True)])
    codes.reverse()
    return codes


def ranks(texts: list[str]) -> list[int]:
    """Each text's position in sorted order."""
    rank = [0] * len(texts)
    for position, i in enumerate(sorted(range(len(texts)), key=texts.__getitem__)):
        rank[i] = position
    return rank
