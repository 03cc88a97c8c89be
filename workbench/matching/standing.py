"""Where a claim places one party against another (`Standing`), read as grammar.

"China lags the US", "cannot catch up", "on a par with US models", "narrowing the
gap", 뒤처, 따라잡기 힘들, 어깨를 나란히: the words are general language
(`workbench.matching.language`), the parties the sides the lexicon's entities stand
for. `FrameReader` (frames.py) calls `read_standing` on a text's tokens; two claims
placing the same parties apart argue one point (`scoring.Comparer.placed_apart`).
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from typing import TYPE_CHECKING

from workbench.matching.language import (
    CATCHING_UP,
    DIFFICULTY_WORDS,
    GAP_CLOSING,
    GAP_REACH,
    GAP_WIDENING,
    GAP_WORDS,
    HOLDING_WORDS,
    KOREAN_DIFFICULTY_MARKS,
    KOREAN_GAP,
    KOREAN_OTHER_PARTY_ENDINGS,
    KOREAN_OTHER_PARTY_WORDS,
    KOREAN_STANDING_ALONE,
    KOREAN_SUBJECT_ENDINGS,
    SELF_REFERENCES,
    STANDING_AHEAD,
    STANDING_ALONE,
    STANDING_BEHIND,
    STANDING_CHASING,
    STANDING_LEVEL,
    STANDING_NEGATION_REACH,
    STANDING_NOT_WORDS,
    flipped_standing,
    is_hangul,
    standing_after_negation,
    trend_after_negation,
)

if TYPE_CHECKING:
    from workbench.matching.frames import LexiconIndex, TokenInfo


@dataclass(frozen=True, slots=True)
class Standing:
    """Where a claim places one party against another: `first` behind, level with or
    ahead of `second` (`positions`, letters of `STANDING_ORDER`: "b", "l", "a", or two of
    them for a negated word: "not behind" is "la").  The parties are the sides the
    lexicon's entities stand for (`LexiconIndex.side_of`), in sorted order, so that two
    claims about the same two parties compare letter by letter."""

    first: str
    second: str
    positions: str
    trend: str = ""
    """The party behind closing on the other ("c": "is catching up", "narrowing the
    gap"), holding back ("h": "cannot catch up", "failing to narrow the gap"), or ''."""

    def disagrees(self, other: Standing) -> bool:
        """Whether the other places the same two parties elsewhere ("cannot catch up"
        against "on a par", "one to two years behind" against "outperforms") or has the
        gap between them closing where this one has it held ("narrowing the gap" against
        "cannot catch up")."""
        if self.first != other.first or self.second != other.second:
            return False
        if not set(self.positions) & set(other.positions):
            return True
        return bool(self.trend) and bool(other.trend) and self.trend != other.trend

    def __str__(self) -> str:
        words = {"b": "behind", "l": "level with", "a": "ahead of"}
        where = " or ".join(words[letter] for letter in self.positions)
        moving = {"c": ", closing", "h": ", not closing"}.get(self.trend, "")
        return f"{self.first} {where} {self.second}{moving}"


def english_standing(word: str, stemmed: str) -> str:
    """The standing class of an English word (see `TokenInfo.standing`)."""
    if word in STANDING_NOT_WORDS:
        return ""
    if word in GAP_CLOSING:
        return "closing"
    if word in GAP_WIDENING:
        return "widening"
    if word in CATCHING_UP[0]:
        return "catch"
    if word in CATCHING_UP[1]:
        return "caught"
    if stemmed in STANDING_CHASING:
        return "chasing"
    if stemmed in STANDING_BEHIND:
        return "behind"
    if stemmed in STANDING_LEVEL:
        return "level"
    if stemmed in STANDING_AHEAD:
        return "ahead"
    return ""


STANDING_REACH = 8
"""Tokens after an English standing word within which its other party is named ("catch
up with the US", "one to two years behind OpenAI's"), and before a Korean one within
which both are ("미국과 1위를 다툴")."""


def _negated_at(
    at: int,
    negation_at: list[int],
    infos: list[TokenInfo],
    korean: bool,
    moving: bool,
    contracted: bool,
) -> bool:
    """Whether a standing word at `at` is negated: an English negation (or "n't") or
    difficulty ("hard to catch up", "hard to make chips comparable to") in the words
    before it, a Korean one in the words after it (따라오는 모델은 없다, 추격이 쉽지 않을
    것); for a word of closing the gap (`moving`), an English negation or difficulty just
    after it too ("catching up will not be easy")."""
    reach = STANDING_NEGATION_REACH // 2
    if korean:
        following = infos[at : at + reach + 1]
        return any(at <= other <= at + reach for other in negation_at) or any(
            mark in info.word for info in following for mark in KOREAN_DIFFICULTY_MARKS
        )
    start = at - STANDING_NEGATION_REACH
    if any(start <= other < at for other in negation_at):
        return True
    if any(info.word in DIFFICULTY_WORDS for info in infos[max(at - reach, 0) : at]):
        return True
    if moving:
        if any(at < other <= at + reach for other in negation_at):
            return True
        if any(info.word in DIFFICULTY_WORDS for info in infos[at + 1 : at + reach + 1]):
            return True
    return contracted and any(
        infos[position].word == "t" and infos[position - 1].word.endswith("n")
        for position in range(max(start, 1), at)
    )


def read_standing(
    standing_at: list[int],
    positions: list[tuple[int, str]],
    ends: dict[int, int],
    negation_at: list[int],
    infos: list[TokenInfo],
    index: LexiconIndex,
    contracted: bool,
) -> Standing | None:
    """Where a text places one party against another, read from its first standing word
    that names (or implies) two parties on different sides.

    English puts the party placed before the word and the other after it ("China cannot
    catch up with the US"); the one placed is the nearest name before the word that
    stands for another side than the other party (for "these Chinese LLMs, built on
    Meta's Llama, are behind OpenAI's", Chinese, not Llama).  Korean puts both before it
    and marks the other with a particle (미국과, 미국보다) or a word after it (오픈AI
    대비).  A word that may stand alone ("China lags", "X leads") places its subject
    against its rival, when the lexicon's `rivals` give it one.  `contracted`: the text
    has an "n't" (read as a negation)."""
    side_of, rival_of, grouped = index.side_of, index.rival_of, index.grouped
    sided: list[tuple[int, str]] | None = None
    for at in standing_at:
        kind = infos[at].standing
        if kind in _PENDING_KINDS:
            kind = _pending_kind(kind, at, infos)
            if not kind:
                continue
        if sided is None:
            sided = [(position, side_of.get(name, name)) for position, name in positions]
        placed = other = ""
        korean = is_hangul(infos[at].word)
        if korean:
            before = [(p, side) for p, side in sided if at - STANDING_REACH <= p < at]
            if any(side in grouped for _, side in before):
                before = [(p, side) for p, side in before if side in grouped]
            marked = [(p, side) for p, side in before if _other_party_mark(p, ends, infos)]
            if marked:
                other = marked[-1][1]
                placed = next((side for _, side in reversed(before) if side != other), "")
            elif len({side for _, side in before}) > 1:
                other = before[-1][1]
                placed = next(side for _, side in reversed(before) if side != other)
            elif before and _subject_mark(before[-1][0], ends, infos):
                placed = before[-1][1]
            alone = kind in KOREAN_STANDING_ALONE
        else:
            # Names are in text order: the other party is the first after the word.
            cut = 0
            while cut < len(sided) and sided[cut][0] < at:
                cut += 1
            if cut < len(sided) and sided[cut][0] <= at + STANDING_REACH:
                other = sided[cut][1]
            placeable = [side for _, side in sided[:cut] if side != other]
            if other in grouped or not grouped.isdisjoint(placeable):
                # The project compares sides: a name of none is no party to it, but what
                # the comparison is about ("leads in humanoid robots") or who says it.
                if other not in grouped:
                    other = ""
                wanted: Collection[str] | None = grouped if other else rival_of.keys()
            else:
                wanted = None if other else rival_of.keys()
            placed = next(
                (side for side in reversed(placeable) if wanted is None or side in wanted), ""
            )
            alone = kind in _ALONE_KINDS or (kind == "ahead" and _ahead_alone(at, infos))
        if placed and not other and alone:
            other = rival_of.get(placed, "")
        if not placed or not other or placed == other:
            continue
        negated = _negated_at(at, negation_at, infos, korean, kind in _MOVING_KINDS, contracted)
        letters = standing_after_negation(kind, negated)
        if placed > other:
            placed, other, letters = other, placed, flipped_standing(letters)
        return Standing(placed, other, letters, trend_after_negation(kind, negated))
    return None


_PENDING_KINDS = frozenset({"catch", "caught", "closing", "widening", "least", "own"})
"""Standing classes that hold only with the words around them (`_pending_kind`)."""

_MOVING_KINDS = frozenset({"chasing", "closing", "widening"})
"""Classes that speak of the gap closing or not."""

_ALONE_KINDS = frozenset({"behind", "chasing", "caught", "closing", "widening"})
"""English classes that may place their subject alone ("China lags", "is catching up")."""


def _pending_kind(kind: str, at: int, infos: list[TokenInfo]) -> str:
    """The class a word has where it stands, or '': "catch" and "caught" before "up",
    a closing or widening word about a gap, and the idioms (`_idiom`)."""
    if kind in ("catch", "caught"):
        if at + 1 >= len(infos) or infos[at + 1].word != "up":
            return ""
        return "chasing" if kind == "catch" else "caught"
    if kind in ("closing", "widening"):
        return kind if _about_a_gap(at, infos) else ""
    return _idiom(kind, at, infos)


def _idiom(word: str, at: int, infos: list[TokenInfo]) -> str:
    """The standing class of two English idioms, or '': "at least as good as" (level or
    ahead: "not-behind") and "holds its own against" (level)."""
    before = [info.word for info in infos[max(at - 2, 0) : at]]
    after = infos[at + 1].word if at + 1 < len(infos) else ""
    if word == "least":
        return "not-behind" if before[-1:] == ["at"] and after == "as" else ""
    if len(before) == 2 and before[1] in SELF_REFERENCES and before[0] in HOLDING_WORDS:
        return "level"
    return ""


def _about_a_gap(at: int, infos: list[TokenInfo]) -> bool:
    """Whether a word of closing or widening speaks of a gap: "narrowing the AI gap",
    "격차를 좁히고" (in Korean, 격차 just before it)."""
    if is_hangul(infos[at].word):
        return any(KOREAN_GAP in info.word for info in infos[max(at - 2, 0) : at])
    return any(info.word in GAP_WORDS for info in infos[at + 1 : at + 1 + GAP_REACH])


def _ahead_alone(at: int, infos: list[TokenInfo]) -> bool:
    """Whether an English word of "ahead" places its subject with no other party named:
    "is ahead", "superior"; "lead" only as "the lead" or "leads in" ("will lead the
    plans" places nothing)."""
    info = infos[at]
    if info.content[0] not in STANDING_ALONE:
        return False
    if info.word not in ("lead", "leads"):
        return True
    before = infos[at - 1].word if at > 0 else ""
    after = infos[at + 1].word if at + 1 < len(infos) else ""
    return before == "the" or after == "in"


def _subject_mark(position: int, ends: dict[int, int], infos: list[TokenInfo]) -> bool:
    """Whether the Korean name at `position` is marked as the subject (미국이, 중국은)."""
    return infos[ends.get(position, position + 1) - 1].word.endswith(KOREAN_SUBJECT_ENDINGS)


def _other_party_mark(position: int, ends: dict[int, int], infos: list[TokenInfo]) -> bool:
    """Whether the Korean name at `position` is the other party of a comparison: its
    last word ends in a particle of comparison, or a word of comparison follows it."""
    last = ends.get(position, position + 1) - 1
    if infos[last].word.endswith(KOREAN_OTHER_PARTY_ENDINGS):
        return True
    following = last + 1
    return following < len(infos) and infos[following].word in KOREAN_OTHER_PARTY_WORDS
