"""Adding a claim from a quote: the logic behind `workbench add`.

Given a source and a quote, this anchors the quote in the source text (whitespace
and Unicode folded, as `workbench check` does), proposes an id and a quantity,
and builds a claim that passes `workbench check`:

- an exact quote is stored with its whitespace folded to single spaces;
- a quote that occurs several times gets a `prefix` (or, at the start of the
  text, a `suffix`) chosen automatically: the shortest run of whole words just
  before (after) the chosen occurrence that no other occurrence shares; the
  first occurrence unless `occurrence` says otherwise;
- a quote that does not occur raises `QuoteNotFound` with the closest passage
  and its similarity, unless `accept_closest`: then that passage is used
  verbatim;
- the id is `<prefix>-<key words of the statement>`, where the prefix is the
  one most claims from the same source already use (`chosun24`), else the
  source id's first word and the year of publication; `-2`, `-3`... keep it
  unique;
- the quantity comes from the first money, count or percent number the shared
  parser (`workbench.numbers`) finds in the quote, so `workbench check`'s
  quantity check (WB401) agrees with it by construction.  Its `subject` is the
  noun phrase the statement's number measures (`propose_subject`), and its
  `period` the year the quote names, or that a relative word in it names
  ("지난해", "last year": the year before the source's publication), or the
  one year the statement names.  When no subject can be found, no quantity is
  proposed and a note says so (`--subject` gives one); the caller prints it all
  so the maintainer can correct it;
- before anything is written, claims whose quote or statement is the same or
  nearly the same are found (`find_duplicates`); `build_claim` refuses with
  `DuplicateClaims` unless `allow_duplicate`, so a duplicate is a decision.

The statement is required: a claim's statement must stand on its own (it is
what the ClaimReview export publishes as `claimReviewed`), so no placeholder
is ever written for one.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field

from workbench.anchoring import AnchorKind, FoldedText, anchor_quote, find_all, fold_plain
from workbench.models import ID_PATTERN, Claim, Quantity, ReviewEntry, SourceRef
from workbench.numbers import NumberMention, parse_numbers
from workbench.project import Project
from workbench.storage import ClaimRecord, create_claim
from workbench.validation import suggest

QUANTITY_KINDS = ("money", "count", "percent")
"""Number kinds a proposed quantity may come from (not years, dates, ranks or ratios)."""

MAX_ID_WORDS = 6
MAX_SLUG = 56

_ID_RE = re.compile(ID_PATTERN)
_WORD_RE = re.compile(r"[a-z0-9]+")
_STOPWORD_TEXT = """
    a an the of in on at to for from by with as and or but nor than that this these those
    it its it's is are was were be been being has have had do does did will would can could
    should may might must shall said says say according via per about around some any all
    also just only very more most such into over under up down out new s t
"""
_VERB_TEXT = """
    is are was were be been has have had will would can could should may might must
    said says say reached rose fell grew dropped declined increased decreased totalled
    totaled raised invested spent trained owns owned holds held plans planned aims aimed
    ranks ranked founded launched released announced employs employed accounts
    accounted stood stands exceeds exceeded tops topped
"""
_STOPWORDS = frozenset(_STOPWORD_TEXT.split())
_VERBS = frozenset(_VERB_TEXT.split())


class AddError(ValueError):
    """An `add` that cannot be done as asked (unknown source, topic, bad id...)."""


DUPLICATE_MIN_RATIO = 90.0
"""Two quotes or two statements at least this similar (rapidfuzz `ratio`, 0-100, after
NFC, case folding and folding whitespace) are the same claim until a reviewer says
otherwise.  90 lets through a changed number or name in a sentence of some length
("$5.6 million" against "$6 million" in a 60-character statement scores about 95 and
is listed: the reviewer decides), and keeps apart statements that share a topic but
not their words (typically below 70)."""


@dataclass(frozen=True, slots=True)
class Duplicate:
    """An existing claim that a new one would repeat."""

    claim_id: str
    field: str
    """`quote` or `statement`: what is the same or nearly so."""
    similarity: float
    statement: str


class DuplicateClaims(Exception):
    """The new claim's quote or statement is already in the project."""

    def __init__(self, duplicates: list[Duplicate]) -> None:
        self.duplicates = duplicates
        super().__init__(f"{len(duplicates)} claim(s) already say this")


class QuoteNotFound(Exception):
    """The quote does not occur in the source; the closest passage, for a copy and paste."""

    def __init__(self, source_id: str, closest: str, similarity: float) -> None:
        self.source_id = source_id
        self.closest = closest
        self.similarity = similarity
        super().__init__(self.describe())

    def describe(self) -> str:
        if not self.closest:
            return f"the quote does not occur in source `{self.source_id}`"
        return (
            f"the quote does not occur in source `{self.source_id}`; the closest passage "
            f"({self.similarity:.0f}% similar) is \u201c{self.closest}\u201d"
        )


@dataclass(frozen=True, slots=True)
class QuoteMatch:
    """Where a new claim's quote sits, and the selector that picks it out."""

    quote: str
    prefix: str = ""
    suffix: str = ""
    occurrences: int = 1
    occurrence: int = 1
    closest: bool = False
    similarity: float = 100.0


@dataclass(slots=True)
class Proposal:
    """A claim ready to be written, with what was proposed for the maintainer to check."""

    claim: Claim
    match: QuoteMatch
    mention: NumberMention | None = None
    notes: list[str] = field(default_factory=list)
    duplicates: list[Duplicate] = field(default_factory=list)
    """Near-same claims, when the caller allowed a duplicate."""


# --------------------------------------------------------------------------- quote


def locate_quote(
    project: Project,
    source_id: str,
    quote: str,
    *,
    occurrence: int | None = None,
    accept_closest: bool = False,
) -> QuoteMatch:
    """Anchor `quote` in the source; raise `QuoteNotFound` or `AddError` when it cannot."""
    check_source(project, source_id)
    folded = project.folded_source(source_id)
    assert folded is not None
    needle = fold_plain(quote)
    if not needle:
        raise AddError("the quote is empty: copy the words of the source that state the claim")
    starts = find_all(folded.text, needle)
    if starts:
        return _select(folded, needle, starts, occurrence)
    closest, similarity, near = closest_passage(folded, needle)
    if not accept_closest or not closest:
        raise QuoteNotFound(source_id, closest, similarity)
    starts = find_all(folded.text, closest)
    if occurrence is None and len(starts) > 1:
        nearest = min(starts, key=lambda start: abs(start - near))
        occurrence = starts.index(nearest) + 1
    match = _select(folded, closest, starts, occurrence)
    return QuoteMatch(
        match.quote,
        match.prefix,
        match.suffix,
        match.occurrences,
        match.occurrence,
        closest=True,
        similarity=similarity,
    )


def closest_passage(folded: FoldedText, needle: str) -> tuple[str, float, int]:
    """The passage most like `needle`, widened to whole words: (text, similarity, start).

    The fuzzy alignment (the one `workbench check` reports) can cut a word in
    two; a quote is copied in whole words, so the passage is widened to the
    word boundaries around it and its similarity measured again.
    """
    from rapidfuzz import fuzz

    text = folded.text
    alignment = fuzz.partial_ratio_alignment(needle, text)
    if alignment is None or alignment.score <= 0:
        return "", 0.0, 0
    start = text.rfind(" ", 0, alignment.dest_start) + 1
    end = text.find(" ", max(alignment.dest_end - 1, start))
    end = len(text) if end < 0 else end
    passage = fold_plain(text[start:end])
    return passage, float(fuzz.ratio(needle, passage)), start


def _select(
    folded: FoldedText, needle: str, starts: list[int], occurrence: int | None
) -> QuoteMatch:
    count = len(starts)
    chosen = occurrence or 1
    if not 1 <= chosen <= count:
        times = "once" if count == 1 else f"{count} times"
        raise AddError(f"--occurrence {chosen}: the quote occurs {times} in the source")
    if count == 1:
        return QuoteMatch(needle)
    start = starts[chosen - 1]
    prefix, suffix = _disambiguate(folded, needle, start)
    return QuoteMatch(needle, prefix, suffix, count, chosen)


_CONTEXT_WORDS = 40
"""How many words before or after an occurrence to try as its prefix or suffix."""


def _prefixes(text: str, start: int) -> list[str]:
    """Whole-word runs ending just before `start`, shortest first."""
    found: list[str] = []
    index = start - 1
    while len(found) < _CONTEXT_WORDS and index > 0:
        index = text.rfind(" ", 0, index)
        begin = index + 1 if index >= 0 else 0
        candidate = fold_plain(text[begin:start])
        if candidate and (not found or candidate != found[-1]):
            found.append(candidate)
        if index <= 0:
            break
    return found


def _suffixes(text: str, end: int) -> list[str]:
    """Whole-word runs starting just after `end`, shortest first."""
    found: list[str] = []
    index = end
    while len(found) < _CONTEXT_WORDS and index < len(text):
        index = text.find(" ", index + 1)
        stop = index if index >= 0 else len(text)
        candidate = fold_plain(text[end:stop])
        if candidate and (not found or candidate != found[-1]):
            found.append(candidate)
        if index < 0:
            break
    return found


def _disambiguate(folded: FoldedText, needle: str, start: int) -> tuple[str, str]:
    """The shortest whole-word prefix (else suffix, else both) that picks this occurrence."""
    span = folded.original_span(start, start + len(needle))

    def picks(prefix: str, suffix: str) -> bool:
        anchor = anchor_quote(folded, needle, prefix, suffix)
        return anchor.kind is AnchorKind.EXACT and anchor.spans[0] == span

    prefixes = _prefixes(folded.text, start)
    suffixes = _suffixes(folded.text, start + len(needle))
    for prefix in prefixes:
        if picks(prefix, ""):
            return prefix, ""
    for suffix in suffixes:
        if picks("", suffix):
            return "", suffix
    for prefix in prefixes[:5]:
        for suffix in suffixes[:5]:
            if picks(prefix, suffix):
                return prefix, suffix
    raise AddError(
        "the quote occurs several times with the same text around it; quote a longer passage"
    )


# --------------------------------------------------------------------------- vocabularies


def check_source(project: Project, source_id: str) -> None:
    if source_id in project.sources:
        return
    known = sorted(project.sources)
    hint = suggest(source_id, known)
    message = f"unknown source `{source_id}`"
    if hint:
        message += f"; did you mean `{hint}`?"
    raise AddError(f"{message} (the project has: {', '.join(known) or 'none'})")


def choose(value: str | None, allowed: list[str], what: str) -> str:
    """`value` if `workbench.toml` allows it; the only choice when there is one; else an error."""
    if value is None:
        if len(allowed) == 1:
            return allowed[0]
        raise AddError(f"--{what} is required (workbench.toml allows: {', '.join(allowed)})")
    if value in allowed:
        return value
    hint = suggest(value, allowed)
    message = f"unknown {what} `{value}`"
    if hint:
        message += f"; did you mean `{hint}`?"
    raise AddError(f"{message} (workbench.toml allows: {', '.join(allowed)})")


# --------------------------------------------------------------------------- id


def _ascii_words(text: str) -> list[str]:
    plain = unicodedata.normalize("NFKD", text.lower()).encode("ascii", "ignore").decode()
    return _WORD_RE.findall(plain.replace("'", ""))


def claim_prefix(project: Project, source_id: str) -> str:
    """The id prefix claims from this source use, or one made from the source id and year."""
    used = Counter(
        summary.id.split("-", 1)[0]
        for summary in project.iter_summaries()
        if summary.source_id == source_id and "-" in summary.id
    )
    if used:
        best = max(used.values())
        return min(prefix for prefix, count in used.items() if count == best)
    word = re.sub(r"[^a-z0-9]", "", source_id.split("-", 1)[0])[:6] or "claim"
    source = project.sources.get(source_id)
    year = f"{source.source.published.year % 100:02d}" if source else ""
    return f"{word}{year}"


def propose_id(project: Project, source_id: str, statement: str) -> str:
    """A new, unused id: the source's prefix and the statement's key words."""
    words = [word for word in _ascii_words(statement) if word not in _STOPWORDS]
    slug = ""
    for word in words[:MAX_ID_WORDS]:
        if len(slug) + len(word) + 1 > MAX_SLUG:
            break
        slug = f"{slug}-{word}" if slug else word
    base = f"{claim_prefix(project, source_id)}-{slug or 'claim'}"[:76].rstrip("-")
    return unique_id(project, base)


def unique_id(project: Project, base: str) -> str:
    candidate, number = base, 1
    while candidate in project.claims or (project.claims_dir / f"{candidate}.toml").exists():
        number += 1
        candidate = f"{base}-{number}"
    return candidate


def check_new_id(project: Project, claim_id: str) -> None:
    if not _ID_RE.match(claim_id):
        raise AddError(
            f"`{claim_id}` is not a valid id: use 1-80 lowercase letters, digits and hyphens"
        )
    if claim_id in project.claims or (project.claims_dir / f"{claim_id}.toml").exists():
        raise AddError(f"claim `{claim_id}` already exists: choose another --id")


# --------------------------------------------------------------------------- quantity


_SCALE_TEXT = """
    hundred thousand million billion trillion percent cent per dollar dollars won yuan
    euro euros usd krw cny eur
"""
_SCALE_WORDS = frozenset(_SCALE_TEXT.split())
"""Words of a number ("billion", "percent"): never part of what the number measures."""
_BE = frozenset(["is", "are", "was", "were", "be", "been", "being"])
_CLAUSE_BREAK = re.compile(r"[,;:()\[\]—–]|\s-\s")
MAX_SUBJECT_WORDS = 8


def _clause_words(text: str, *, last: bool) -> list[str]:
    """The words of the first (or last) clause of `text` (a clause ends at , ; : or a
    bracket), ASCII-folded and lowercased."""
    parts = _CLAUSE_BREAK.split(text)
    return _ascii_words(parts[-1] if last else parts[0])


def _is_number_word(word: str) -> bool:
    return word.isdigit() or word in _SCALE_WORDS


def _trim(words: list[str]) -> list[str]:
    while words and words[-1] in _STOPWORDS:
        words = words[:-1]
    while words and words[0] in _STOPWORDS:
        words = words[1:]
    return words


def _head_before(words: list[str]) -> list[str]:
    """The noun phrase a clause opens with: its words up to the first verb or number.
    A word ending in -ed counts as a verb when it ends the clause or a stop word follows
    it (received, peaked at): a verb the list does not know still ends the phrase."""
    head: list[str] = []
    for index, word in enumerate(words):
        following = words[index + 1] if index + 1 < len(words) else ""
        is_verb = word in _VERBS or (
            index > 0
            and word.endswith("ed")
            and len(word) > 4
            and (not following or following in _STOPWORDS)
        )
        if (head and is_verb) or _is_number_word(word):
            break
        head.append(word)
    return _trim(head)


def _phrase_after(words: list[str]) -> list[str]:
    """Words up to the next number, verb or `according`, without stop words at the ends."""
    phrase: list[str] = []
    for word in words:
        if _is_number_word(word) or word in _VERBS or word == "according":
            break
        phrase.append(word)
    return phrase


def propose_subject(statement: str) -> str:
    """What the statement's number measures, or "" when that cannot be told.

    Never a cut phrase around the number ("global ai companies received billion of
    investment in" was one): the number's own words are left out and the phrase
    ends at a verb or a number.  In order:

    - "N of X" (`$42.5 billion of investment`): X, after the clause's opening noun
      phrase when it has one ("global ai companies investment");
    - a clause that opens with a noun phrase before its verb (`Foreign direct
      investment into China in 2023 was $33 billion`): that phrase;
    - a number that opens the sentence (`$42.5 billion was invested in AI companies
      worldwide`): what follows the verb "be" ("invested in ai companies worldwide");
    - without a number in the statement: the noun phrase before the verb.
    """
    for pattern, _offset in _RELATIVE_YEARS:  # "last year" is the period, not the subject
        statement = pattern.sub(" ", statement)
    mentions = parse_numbers(statement)
    mention = next((item for item in mentions if item.kind in QUANTITY_KINDS), None)
    if mention is None:
        words = _head_before(_clause_words(statement, last=False))
        return " ".join(words[:MAX_SUBJECT_WORDS])
    before = _clause_words(statement[: mention.start], last=True)
    after = _clause_words(statement[mention.end :], last=False)
    head = _head_before(before)
    if after[:1] == ["of"]:
        measured = _trim(_phrase_after(after[1:]))
        if measured:
            return " ".join([*head, *measured][:MAX_SUBJECT_WORDS])
    if head:
        return " ".join(head[:MAX_SUBJECT_WORDS])
    if not _trim(before):
        rest = after
        while rest and rest[0] in _BE:
            rest = rest[1:]
        if rest and not _is_number_word(rest[0]):
            # the participle after "be" belongs to what is measured ("invested in ...")
            return " ".join(_trim([rest[0], *_phrase_after(rest[1:])])[:MAX_SUBJECT_WORDS])
    return ""


_RELATIVE_YEARS: tuple[tuple[re.Pattern[str], int], ...] = (
    (re.compile("재작년"), -2),
    (re.compile("지난해|작년"), -1),
    (re.compile("올해|금년"), 0),
    (re.compile("내년|이듬해"), 1),
    (re.compile(r"\blast year\b", re.I), -1),
    (re.compile(r"\bthis year\b", re.I), 0),
    (re.compile(r"\bnext year\b", re.I), 1),
)
"""Words that name a year relative to the article's date: the language's words, not the
subject's (like the number words in `workbench.numbers`)."""


def propose_period(quote: str, statement: str, published: dt.date | None = None) -> str:
    """The year a quantity is for: the one year the quote names; else the year a relative
    word in the quote names, counted from the source's publication ("지난해" in an
    article of 2025-02-24 is 2024); else the one year the statement names; else ""."""
    quote_years = _years(quote)
    if len(quote_years) == 1:
        return str(quote_years.pop())
    if not quote_years and published is not None:
        offsets: set[int] = set()
        rest = quote
        for pattern, offset in _RELATIVE_YEARS:  # 재작년 before the 작년 inside it
            if pattern.search(rest):
                offsets.add(offset)
                rest = pattern.sub(" ", rest)
        if len(offsets) == 1:
            return str(published.year + offsets.pop())
    statement_years = _years(statement)
    if not quote_years and len(statement_years) == 1:
        return str(statement_years.pop())
    return ""


def _years(text: str) -> set[int]:
    return {
        int(item.low)
        for item in parse_numbers(text)
        if item.kind == "year" and item.low == item.high
    }


def propose_quantity(
    quote: str,
    statement: str,
    subject: str | None = None,
    published: dt.date | None = None,
) -> tuple[Quantity, NumberMention] | None:
    """A quantity from the first money/count/percent number in the quote, or None (no
    such number, or no subject given and none can be proposed)."""
    mentions = parse_numbers(quote)
    mention = next((item for item in mentions if item.kind in QUANTITY_KINDS), None)
    if mention is None:
        return None
    chosen_subject = (subject or "").strip() or propose_subject(statement)
    if not chosen_subject:
        return None
    data: dict[str, object] = {
        "subject": chosen_subject,
        "unit": mention.unit,
        "period": propose_period(quote, statement, published),
        "approximate": mention.approximate,
    }
    if mention.low == mention.high:
        data["value"] = mention.low
        data["bound"] = propose_bound(quote, mention)
    else:
        data["low"], data["high"] = mention.low, mention.high
    return Quantity.model_validate(data), mention


def propose_bound(quote: str, mention: NumberMention) -> str | None:
    """`upper` when the quote gives this figure as a ceiling ("less than 10%",
    "10%도 채 안 되는"), `lower` as a floor ("more than 300", "300개 이상"), else None;
    the words must touch the figure, not another number of the sentence."""
    from workbench.matching.language import LOWER_BOUND_RE, UPPER_BOUND_RE

    for pattern, bound in ((UPPER_BOUND_RE, "upper"), (LOWER_BOUND_RE, "lower")):
        for found in pattern.finditer(quote):
            if found.start() < mention.end and found.end() > mention.start:
                return bound
    return None


def quantity_in(quote: str) -> NumberMention | None:
    """The number a quantity would be proposed from."""
    return next((item for item in parse_numbers(quote) if item.kind in QUANTITY_KINDS), None)


# --------------------------------------------------------------------------- duplicates


def _comparable(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).casefold().split())


def find_duplicates(
    project: Project, quote: str, statement: str, *, min_ratio: float = DUPLICATE_MIN_RATIO
) -> list[Duplicate]:
    """Claims whose quote or statement is the same as these, or nearly (see
    `DUPLICATE_MIN_RATIO`); most similar first, one entry per claim."""
    from rapidfuzz import fuzz, process

    summaries = list(project.iter_summaries())
    found: dict[str, Duplicate] = {}
    for what, text in (("quote", quote), ("statement", statement)):
        wanted = _comparable(text)
        if not wanted:
            continue
        choices = [
            _comparable(summary.quote if what == "quote" else summary.statement)
            for summary in summaries
        ]
        for _choice, score, index in process.extract(
            wanted, choices, scorer=fuzz.ratio, score_cutoff=min_ratio, limit=None
        ):
            summary = summaries[index]
            known = found.get(summary.id)
            if known is None or score > known.similarity:
                found[summary.id] = Duplicate(summary.id, what, float(score), summary.statement)
    return sorted(found.values(), key=lambda item: (-item.similarity, item.claim_id))


# --------------------------------------------------------------------------- the claim


def build_claim(
    project: Project,
    *,
    source_id: str,
    quote: str,
    statement: str,
    topic: str | None = None,
    stance: str | None = None,
    claim_id: str | None = None,
    attributed_to: str = "",
    subject: str | None = None,
    with_quantity: bool = True,
    occurrence: int | None = None,
    accept_closest: bool = False,
    history: list[ReviewEntry] | None = None,
    allow_duplicate: bool = False,
) -> Proposal:
    """Everything `workbench add` writes, without writing it.  Raises `DuplicateClaims`
    when a claim with the same or a near-same quote or statement exists, unless
    `allow_duplicate` (then they are in `Proposal.duplicates`)."""
    if not statement.strip():
        raise AddError("the statement is empty: write the claim so that it stands on its own")
    check_source(project, source_id)
    settings = project.settings
    chosen_topic = choose(topic, list(settings.topics), "topic")
    chosen_stance = choose(stance, list(settings.stances), "stance")
    match = locate_quote(
        project, source_id, quote, occurrence=occurrence, accept_closest=accept_closest
    )
    if claim_id is None:
        claim_id = propose_id(project, source_id, statement)
    else:
        check_new_id(project, claim_id)
    duplicates = find_duplicates(project, match.quote, statement)
    if duplicates and not allow_duplicate:
        raise DuplicateClaims(duplicates)
    quantity: Quantity | None = None
    mention: NumberMention | None = None
    notes: list[str] = []
    if with_quantity:
        source = project.sources[source_id].source
        found = propose_quantity(match.quote, statement, subject, source.published)
        if found is not None:
            quantity, mention = found
        elif (number := quantity_in(match.quote)) is not None:
            notes.append(
                f"no quantity: the quote states \u201c{number.raw}\u201d but the statement "
                "does not say what it measures; give --subject to record it"
            )
    claim = Claim(
        id=claim_id,
        statement=statement.strip(),
        topic=chosen_topic,
        stance=chosen_stance,
        attributed_to=attributed_to.strip(),
        status="unreviewed",
        source=SourceRef(id=source_id, quote=match.quote, prefix=match.prefix, suffix=match.suffix),
        quantity=quantity,
        history=list(history or []),
    )
    return Proposal(claim, match, mention, notes, duplicates)


def write_claim(project: Project, proposal: Proposal) -> ClaimRecord:
    """Create the claim's file (atomic; refuses an existing id) and add it to the project."""
    record = create_claim(project.claims_dir, proposal.claim)
    project.replace_record(record)
    return record


__all__ = [
    "AddError",
    "Duplicate",
    "DuplicateClaims",
    "Proposal",
    "QuoteMatch",
    "QuoteNotFound",
    "build_claim",
    "choose",
    "claim_prefix",
    "find_duplicates",
    "locate_quote",
    "propose_id",
    "propose_period",
    "propose_quantity",
    "propose_subject",
    "write_claim",
]
