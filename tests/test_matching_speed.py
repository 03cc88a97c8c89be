"""The engine's shortcuts give what the plain ways gave.

Each speed mechanism of the matching engine is checked against the plain
computation it replaced: tokens read chunk by chunk are the tokens of the whole
text, blocking keys kept as they are (not as strings) pair the same claims, and
the facts read from the load index's JSON by its two keys are those `json.loads`
gave, however a statement spells those keys.
"""

from __future__ import annotations

import zlib
from itertools import chain
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import REPO
from workbench.matching import MatchSettings
from workbench.matching.blocking import pairs_to_compare, ranks
from workbench.matching.facts import facts_of, project_facts
from workbench.matching.frames import _TOKEN_RE, Frame, FrameReader, LexiconIndex, fold
from workbench.matching.scoring import Comparer
from workbench.project import load_project

_PIECES = st.sampled_from(
    [
        "China",
        "china's",
        "US",
        "DeepSeek",
        "딥시크는",
        "엔비디아",
        "中国",
        "5.6",
        "1,000",
        "2025-01",
        "n't",
        "(set",
        "3).",
        "$56M",
        "’",
        "-",
        " ",
        "  ",
        "\t",
        "\n",
        "\u3000",
        "\u00a0",
        "\x1c",
        "ｆｕｌｌ",
    ]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(_PIECES | st.text(max_size=6), max_size=20).map("".join))
def test_tokens_read_chunk_by_chunk_are_the_tokens_of_the_whole_text(text: str) -> None:
    reader = FrameReader(LexiconIndex(load_project(REPO).settings.lexicon))
    folded = fold(text)
    chunked = chain.from_iterable(map(reader._chunks.__getitem__, folded.split()))
    assert [info.original for info in chunked] == _TOKEN_RE.findall(folded)


def _string_keyed_pairs(frames: list[Frame], comparer: Comparer, chosen: MatchSettings) -> set[int]:
    """Blocking as it was written before its keys were kept as they are: one dict of
    `e:`, `s:` and `w:` strings."""
    n = len(frames)
    word_df = comparer.weights.word_df
    entity_df = comparer.weights.entity_df
    crowded = max(chosen.block_size, int(chosen.stop_share * n))
    postings: dict[str, list[int]] = {}
    for frame in frames:
        keys = [f"e:{name}" for name in frame.entities if entity_df[name] <= crowded]
        if frame.amount is not None and frame.amount.subject:
            keys.append("s:" + " ".join(sorted(frame.amount.subject)))
        rare = sorted(
            (word for word in frame.words if word_df[word] <= crowded and word[0] != "~"),
            key=lambda word: (word_df[word], word),
        )
        keys.extend(f"w:{word}" for word in rare[: chosen.keys_per_claim])
        for key in keys:
            postings.setdefault(key, []).append(frame.index)
    forward = ranks([frame.text_key for frame in frames])
    scattered = ranks([f"{zlib.crc32(frame.claim_id.encode()):08x}" for frame in frames])
    codes: set[int] = set()
    by_text = sorted(range(n), key=forward.__getitem__)
    for x in range(n - 1):
        i, j = by_text[x], by_text[x + 1]
        codes.add(i * n + j if i < j else j * n + i)
    for members in postings.values():
        if len(members) < 2:
            continue
        if len(members) <= chosen.block_size:
            for x, i in enumerate(members):
                for j in members[x + 1 :]:
                    codes.add(i * n + j if i < j else j * n + i)
            continue
        members.sort(key=scattered.__getitem__)
        for x in range(len(members) - 1):
            i = members[x]
            for j in members[x + 1 : x + 1 + chosen.window]:
                codes.add(i * n + j if i < j else j * n + i)
    return codes


def test_blocking_pairs_the_claims_that_string_keys_paired() -> None:
    project = load_project(REPO)
    reader = FrameReader(LexiconIndex(project.settings.lexicon))
    published = {key: record.source.published for key, record in project.sources.items()}
    frames = [
        reader.read_facts(position, facts_of(claim), published.get(claim.source.id), "")
        for position, claim in enumerate(project.iter_claims())
    ]
    comparer = Comparer(frames, reader, tolerance=0.05, approximate_tolerance=0.2)
    for chosen in (
        MatchSettings(pair_budget=100),
        MatchSettings(pair_budget=100, block_size=4, stop_share=0.2, keys_per_claim=2),
        MatchSettings(pair_budget=100, block_size=2, window=1, stop_share=0.5),
    ):
        expected = _string_keyed_pairs(frames, comparer, chosen)
        found = pairs_to_compare(frames, comparer, chosen, exhaustive=False)
        assert found == sorted(expected)  # each pair once, in order
        assert len(found) < len(frames) * (len(frames) - 1) // 2, "blocking was not used"


def test_facts_read_by_their_keys_whatever_the_statements_say(repo_copy: Path) -> None:
    """A statement, quote or evidence holding `"quantity":` or `"dismissed":` as text
    (escaped in the JSON) is not read as the claim's quantity or dismissals."""
    claims = sorted((repo_copy / "claims").glob("*.toml"))
    tricky = '"quantity": {"subject": "x", "value": 1, "unit": "count"}, "dismissed": []'
    for path in claims[:3]:
        text = path.read_text(encoding="utf-8")
        text = text.replace(
            'statement = "', f'statement = "{tricky.replace(chr(34), chr(92) + chr(34))} ', 1
        )
        path.write_text(text, encoding="utf-8")
    cold = load_project(repo_copy, use_cache=False)
    assert any(tricky in claim.statement for claim in cold.iter_claims())
    expected = [facts_of(claim) for claim in cold.iter_claims()]
    load_project(repo_copy)  # fills the load index
    warm = load_project(repo_copy)
    assert all(record.deferred_model for record in warm.claims.values())
    assert project_facts(warm) == expected
    assert all(record.deferred_model for record in warm.claims.values()), "a model was built"
