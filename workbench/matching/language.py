"""What the engine knows of English and Korean in general, whatever the subject.

Stopwords, negation, Korean particles, month names, words for relative time and
for bounds ("less than", "이상"): grammar, not the corpus.  Names, places, sides
and stances are the project's words and live in its lexicon (`lexicon.toml`).
"""

from __future__ import annotations

import re
import unicodedata


def _wordlist(text: str) -> frozenset[str]:
    """A set of words written as one string, to keep long vocabularies readable."""
    return frozenset(text.split())


def _words(text: str) -> list[str]:
    """Words written as one string, in order."""
    return text.split()


STOPWORDS = _wordlist(
    """a about above after again against all also an and any are as at be because been before
    being below between both but by can could did do does doing down during each few for from
    further had has have having he her here hers him his how i if in into is it its itself just
    me more most my now of off on once only or other our out over own same she should so some
    such than that the their them then there these they this those through to too under until
    up very was we were what when where which while who whom why will with would you your
    said say says according reportedly per via whose within among amid like well even still yet
    ever already s t one two three four five six seven eight nine ten first second third
    thousand million billion trillion percent year years month months day days week weeks
    january february march april may june july august september october november december
    mid early late end begin beginning headline subheading summary article report reported
    as-of least"""
)
"""English words that say nothing about what a claim is about."""

NEGATION_WORDS = _wordlist(
    "not no never neither nor none nobody nothing cannot unable fail fails failed failing without"
)
"""English negation, as whole words (with "n't" read apart)."""

SPEECH_WORDS = _wordlist(
    """said says say told tells reported reports assessed assesses analysed analyzed analyses
    analyzes warned warns noted notes argued argues estimated estimates predicted predicts
    wrote writes stated states added adds analysis assessment estimate forecast headline
    subheading lede 따르면"""
)
"""Words that follow who says a claim: "X said", "X warned", "X's analysis", "X에 따르면"
(according to X)."""

SELF_REFERENCES = _wordlist("its their his her our")
"""After "X said", words that make X what the claim is about too: "Nvidia said its chips"."""

ATTRIBUTION_LINKS = _wordlist("of s")
"""Words inside a speaker's name and title: "Zhou Qi of GSR United Capital", "X's"."""

KOREAN_NEGATION_MARKS = ("없", "않", "못", "아니", "불가능")
"""Korean negation inside a word: 없다, 않다, 못하다, 아니다, 불가능."""


KOREAN_PARTICLES = tuple(
    sorted(
        _words(
            """은 는 이 가 을 를 의 에 에서 에게 으로 로 과 와 도 만 까지 부터 보다 처럼
            이나 나 으로서 로서 이다 였다 이었다 에는 에도 에서도 으로는 로는 과의 와의
            들 들이 들은 들의"""
        ),
        key=len,
        reverse=True,
    )
)
"""Particles and endings that follow a Korean noun: 딥시크가, 딥시크의 -> 딥시크."""

MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}
"""English month names and abbreviations."""

RELATIVE_YEARS = {
    "last year": -1,
    "previous year": -1,
    "the year before": -1,
    "this year": 0,
    "next year": 1,
    "지난해": -1,
    "작년": -1,
    "전년": -1,
    "올해": 0,
    "금년": 0,
    "내년": 1,
}
"""Years spoken of relative to the source's publication date."""

RELATIVE_MONTHS = {
    "last month": -1,
    "this month": 0,
    "next month": 1,
    "지난달": -1,
    "이번 달": 0,
    "이달": 0,
    "다음 달": 1,
}
"""Months spoken of relative to the source's publication date."""

NUMBER_WORDS = {
    "a": 1,
    "an": 1,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
}
"""Small counts written as words ("a day before", "two weeks after")."""

DAY_UNITS = {"day": 1, "week": 7, "month": 30, "year": 365}
"""Days in the units of "N days before the event"."""

KOREAN_DAY_COUNTS = {"하루": 1, "이틀": 2, "사흘": 3, "나흘": 4, "일주일": 7}
"""Korean words for a number of days ("하루 전": a day before)."""

UPPER_BOUND_RE = re.compile(
    r"\b(?:less than|fewer than|under|below|at most|up to|no more than|not even)\s+[$€£¥]?\d"
    r"|\d[\d,.]*\s*%?\s*(?:도\s*)?(?:채\s*)?(?:안\s*되|미만|이하|에 못)",
    re.IGNORECASE,
)
"""A figure given as a ceiling: "less than 10%", "10%도 채 안 되는"."""

LOWER_BOUND_RE = re.compile(
    r"\b(?:more than|over|above|at least|in excess of|exceeding)\s+[$€£¥]?\d"
    r"|\d[\d,.]*\s*\S{0,3}\s*(?:이상|넘|초과)",
    re.IGNORECASE,
)
"""A figure given as a floor: "more than $100 million", "300개 이상"."""


def fold(text: str) -> str:
    """NFKC with curly quotes made straight: how every text is read before tokens."""
    if not unicodedata.is_normalized("NFKC", text):
        text = unicodedata.normalize("NFKC", text)
    if "’" in text or "‘" in text:
        text = text.replace("’", "'").replace("‘", "'")
    return text


_SYNONYMS = {
    "centr": "center",
    "programm": "program",
    "organisation": "organization",
    "licenc": "licens",
    "fund": "invest",
    "investment": "invest",
    "financ": "invest",
    "firm": "company",
    "surpass": "outperform",
    "beat": "outperform",
    "overtak": "outperform",
    "exceed": "outperform",
}
"""English spellings and near-synonyms read as one word (after the stemmer)."""

_stem_cache: dict[str, str] = {}


def stem(word: str) -> str:
    """A light, deterministic English stemmer: plurals, -ing, -ed and a final -e."""
    cached = _stem_cache.get(word)
    if cached is not None:
        return cached
    found = word
    if len(found) > 4 and found.endswith("ies"):
        found = found[:-3] + "y"
    elif len(found) > 3 and found.endswith("s") and not found.endswith(("ss", "us", "is")):
        found = found[:-1]
    if len(found) > 5 and found.endswith("ing"):
        found = found[:-3]
    elif len(found) > 4 and found.endswith("ed"):
        found = found[:-2]
    if len(found) > 4 and found.endswith("e"):
        found = found[:-1]
    found = _SYNONYMS.get(found, found)
    if len(_stem_cache) < 500_000:
        _stem_cache[word] = found
    return found


def strip_particle(token: str) -> str:
    """A Korean token without the particle that follows its noun (two syllables at least)."""
    for particle in KOREAN_PARTICLES:
        if token.endswith(particle) and len(token) - len(particle) >= 2:
            return token[: -len(particle)]
    return token


KOREAN_STOPWORDS = _wordlist(
    """것 것이 것은 것을 것으 것으로 것이다 것이란 것이라는 것도 수 등 및 또 또한 더 이 그 저
    이는 이를 이에 이들 이런 이러한 그런 그러나 하지만 그리고 따라 따라서 때문 위해 위한 통해
    대한 대해 관련 경우 가운데 중 등의 하는 한 할 하고 하며 하면 해 했다 한다 된다 되는 된 될
    되어 돼 됐다 되고 되며"""
)
"""Korean function words: bound nouns, pronouns, conjunctions and bare forms of 하다/되다."""

_KOREAN_AUXILIARY_START = "있"
"""있다 in any form (있다, 있는, 있으며, 있다고): "is" and the progressive "-고 있다"."""


def _verb_syllable(syllable: str) -> bool:
    """하/한/할/함/합/했/해 (하다) and 되/된/될/됐/돼 (되다): where a verb begins after a noun."""
    code = ord(syllable) - 0xAC00
    if not 0 <= code < 11172:
        return False
    initial, vowel = code // 588, code % 588 // 28
    return (initial == 18 and vowel in (0, 1)) or (initial == 3 and vowel in (10, 11))


def korean_content(token: str) -> str:
    """A Korean token as a content word: no particle, no verb ending after a noun
    (개발하지, 개발한 -> 개발; 지속될 -> 지속), '' for a function word (있다, 것이다)."""
    word = strip_particle(token)
    if word in KOREAN_STOPWORDS or word.startswith(_KOREAN_AUXILIARY_START):
        return ""
    for position in range(2, len(word)):
        if _verb_syllable(word[position]):
            return word[:position]
        if word.startswith("시키", position) or word.startswith("시켜", position):
            return word[:position]
    return word


COMPARISON_WORDS = frozenset(
    stem(word)
    for word in _words(
        """behind lag lags lagging trail trails trailing catch catching caught gap gaps
        rival rivals rivalling par match matches beat beats outperform outperforms surpass lead
        leads leading ahead compete competes competing competitive contend narrow narrowing
        chase chasing superior inferior dominate dominates dominant unrivalled advantage edge
        overtake overtakes threaten threatens"""
    )
)
"""English words that put one side against another: "trails", "on a par", "catch up"."""

KOREAN_COMPARISON_STEMS = (
    "뒤처",
    "뒤지",
    "추격",
    "따라잡",
    "격차",
    "앞서",
    "능가",
    "필적",
    "버금",
    "어깨",
    "선두",
    "우위",
    "경쟁",
    "압도",
    "다툴",
    "위협",
)
"""Korean stems of the same: 뒤처지다 (lag), 따라잡다 (catch up), 격차 (gap), 능가 (surpass)."""

CONCESSION_WORDS = _wordlist("despite notwithstanding spite regardless without")
"""English words that deny what follows them its effect: "despite X", "in spite of X",
"without X".  The usual way news contradicts a claim that X holds something back."""

CONCESSION_VERBS = _wordlist(
    """overcome overcomes overcame overcoming overcomable circumvent circumvents
    circumvented circumventing bypass bypasses bypassed bypassing"""
)
"""English verbs that do the same to their object, before them in the passive ("X can be
overcome") and after them in the active ("overcame X")."""

KOREAN_CONCESSION_STEMS = ("불구", "극복", "우회")
"""Korean stems of the same, after what they concede: 에도 불구하고 (despite), 극복
(overcome), 우회 (bypass)."""

KOREAN_CONCESSION_PREFIXES = ("없이",)
"""Korean words that concede what precedes them when they stand alone ("엔비디아 칩
없이도": even without Nvidia chips), not inside another word (끊임없이: constantly)."""


# --------------------------------------------------------------------------- standing

BEHIND, LEVEL, AHEAD = "b", "l", "a"
"""Where a claim places one party against another: behind, level with, ahead of.  A
claim's standing is a set of these, written as a string in that order ("b", "la")."""

STANDING_ORDER = BEHIND + LEVEL + AHEAD


def _standing_stems(text: str) -> frozenset[str]:
    return frozenset(stem(word) for word in _words(text))


STANDING_BEHIND = _standing_stems("behind lag lags lagging lagged trail trails trailing inferior")
"""English words that place their subject behind the other party; negated, they place it
level or ahead ("no longer lags")."""

STANDING_CHASING = _standing_stems("chase chases chasing chased pursue pursues pursuing")
"""English words that place their subject behind whatever their polarity: "chasing",
"cannot catch up" and "hard to catch up" all say it is behind (with "catch" before "up",
`CATCHING_UP`)."""

CATCHING_UP = (frozenset({"catch", "catches", "catching"}), frozenset({"caught"}))
""""catch up" (behind, whatever the polarity) and "caught up" (level; not caught up:
behind), read when "up" follows."""

STANDING_LEVEL = _standing_stems(
    """rival rivals rivalled rivaling rivalling par match matches matched matching compete
    competes competing contend contends equal equals comparable shoulder"""
)
"""English words that place their subject level with the other party ("rivals", "on a
par with", "shoulder to shoulder"); negated, behind it ("no model matches", "none able
to compete with")."""

STANDING_AHEAD = _standing_stems(
    """ahead beat beats outperform outperforms outperformed surpass surpasses surpassed
    exceed exceeds overtake overtakes overtook outpace outpaces outstrip outstrips superior
    lead leads dominate dominates dominant unrivalled unrivaled unmatched unparalleled"""
)
"""English words that place their subject ahead of the other party; negated, level or
behind.  "leading" and "led" are left out: "leading companies", "led by"."""

STANDING_NOT_WORDS = frozenset({"leading", "led"})
"""Spellings of those words that place nothing ("a leading firm", "a fund led by X")."""

STANDING_ALONE = STANDING_BEHIND | STANDING_CHASING | _standing_stems("ahead superior lead leads")
"""Words that place their subject without naming the other party ("China lags", "X
leads"): the other is then the subject's rival, if the project names one.  A word that
needs its object ("beats", "matches") places nothing without it, nor does a word of
supremacy over a whole field ("dominates", "unrivalled"): a company dominant in a market
is not thereby ahead of its country's rival."""

KOREAN_STANDING = (
    ("뒤처", "behind"),
    ("뒤지", "behind"),
    ("뒤떨어", "behind"),
    ("열세", "behind"),
    ("따라잡", "chasing"),
    ("좁히", "closing"),
    ("좁혀", "closing"),
    ("줄이", "closing"),
    ("줄여", "closing"),
    ("줄어", "closing"),
    ("벌어", "widening"),
    ("벌리", "widening"),
    ("확대", "widening"),
    ("추격", "chasing"),
    ("따라오", "chasing"),
    ("쫓", "chasing"),
    ("필적", "level"),
    ("대등", "level"),
    ("버금", "level"),
    ("맞먹", "level"),
    ("어깨", "level"),
    ("비견", "level"),
    ("견줄", "level"),
    ("견주", "level"),
    ("다투", "level"),
    ("다툴", "level"),
    ("경쟁하", "level"),
    ("경쟁할", "level"),
    ("경쟁한", "level"),
    ("앞서", "ahead"),
    ("앞섰", "ahead"),
    ("앞지", "ahead"),
    ("능가", "ahead"),
    ("추월", "ahead"),
    ("압도", "dominant"),
    ("우위", "ahead"),
    ("선두", "ahead"),
)
"""Korean stems that place a party, and how (as the English classes above): 뒤처지다
(lag), 따라잡다 (catch up), 어깨를 나란히 (shoulder to shoulder), 능가하다 (surpass).
경쟁 only as a verb (경쟁할 만한): 경쟁사 is a competitor."""

KOREAN_STANDING_ALONE = frozenset({"behind", "chasing", "closing", "widening", "ahead"})
"""Korean classes that may place their subject alone (the other party its rival);
"dominant" (압도) places only against a party named (미국을 압도: 압도적으로 많다 places
nothing)."""

KOREAN_OTHER_PARTY_ENDINGS = ("과", "와", "보다", "에", "을", "를")
"""Endings that mark the other party of a Korean comparison: 미국과 (with the US), 미국보다
(than the US), 오픈AI를 능가 (surpass OpenAI)."""

KOREAN_SUBJECT_ENDINGS = ("이", "가", "은", "는")
"""Endings that mark the subject of a Korean sentence: 미국이 압도적 (the US dominates)."""

KOREAN_OTHER_PARTY_WORDS = frozenset({"대비", "보다", "비해", "비하면"})
"""Words after the other party of a Korean comparison: 오픈AI 대비 (against OpenAI)."""

GAP_CLOSING = _wordlist(
    "narrow narrows narrowing narrowed close closes closing closed shrink shrinking"
)
GAP_WIDENING = _wordlist("widen widens widening widened grow grows growing")
GAP_WORDS = frozenset({"gap", "gaps", "lead"})
"""English words that move a party behind towards the other or away from it, when a word
of `GAP_WORDS` follows within `GAP_REACH` ("narrowing the AI gap with the US")."""

GAP_REACH = 3

KOREAN_GAP = "격차"
"""The Korean gap: its closing and widening words (`KOREAN_STANDING`) place a party only
after it (격차를 좁히다, 격차가 벌어지다; 비용을 줄이다 places nothing)."""

CLOSING, HOLDING = "c", "h"
"""Whether a claim has the party behind closing on the other ("is catching up",
"narrowing the gap") or not ("cannot catch up", "the gap is not narrowing")."""

DIFFICULTY_WORDS = _wordlist(
    "hard difficult difficulty limits limit unlikely impossible struggle struggles"
)
"""English words that deny a party behind its closing, as a negation does: "hard to
catch up", "limits to catching up"."""

KOREAN_DIFFICULTY_MARKS = ("어렵", "힘들", "힘든", "한계", "쉽지")
"""Korean marks of the same: 따라잡기 힘들 (hard to catch up), 추격이 쉽지 않을 것."""

HOLDING_WORDS = frozenset({"hold", "holds", "holding", "held"})
"""The verb of "holds its own against X": level with X."""

IDIOM_WORDS = frozenset({"least", "own"})
"""Stopwords that place a party inside an idiom: "at least as good as" (level or ahead),
"holds its own against" (level)."""

STANDING_NEGATION_REACH = 12
"""Tokens before an English standing word in which a negation turns it ("none had yet
produced a model able to compete"); Korean negation follows the word, within half of it,
as does the English difficulty of closing ("catching up will not be easy")."""


def trend_after_negation(kind: str, negated: bool) -> str:
    """Whether a standing word of `kind` has its subject closing on the other party
    (`CLOSING`), holding back (`HOLDING`), or says nothing of it ('')."""
    if kind in ("chasing", "closing"):
        return HOLDING if negated else CLOSING
    if kind == "widening":
        return CLOSING if negated else HOLDING
    return ""


def standing_after_negation(kind: str, negated: bool) -> str:
    """The positions a standing word of `kind` gives its subject, as a string of
    `STANDING_ORDER` letters: "behind" b (negated: la), "chasing", "closing" and
    "widening" b, "level" l (negated: b), "caught" l (negated: b), "ahead" a (negated:
    bl)."""
    if kind in ("chasing", "closing", "widening"):
        return BEHIND
    if kind == "behind":
        return LEVEL + AHEAD if negated else BEHIND
    if kind in ("level", "caught"):
        return BEHIND if negated else LEVEL
    if kind == "dominant":
        return BEHIND + LEVEL if negated else AHEAD
    if kind == "not-behind":
        return BEHIND if negated else LEVEL + AHEAD
    return BEHIND + LEVEL if negated else AHEAD


def flipped_standing(positions: str) -> str:
    """The same standing seen from the other party: behind becomes ahead."""
    swap = {BEHIND: AHEAD, AHEAD: BEHIND, LEVEL: LEVEL}
    found = {swap[letter] for letter in positions}
    return "".join(letter for letter in STANDING_ORDER if letter in found)


def is_hangul(token: str) -> bool:
    """Whether a token (as `frames.tokens` reads them) is a run of Hangul syllables."""
    return "가" <= token[0] <= "힣"
