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
  quantity check (WB401) agrees with it by construction.  Its `subject` is
  proposed from the statement (the words before the verb), and the caller
  prints it all so the maintainer can correct it.

The statement is required: a claim's statement must stand on its own (it is
what the ClaimReview export publishes as `claimReviewed`), so no placeholder
is ever written for one.
"""

from __future__ import annotations

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


def propose_subject(statement: str) -> str:
    """What the quantity measures, guessed from the statement: its words before the verb."""
    words = [word for word in _ascii_words(statement) if not word.isdigit()]
    head: list[str] = []
    for word in words:
        if word in _VERBS and head:
            break
        head.append(word)
    while head and head[-1] in _STOPWORDS:
        head.pop()
    while head and head[0] in _STOPWORDS:
        head.pop(0)
    subject = " ".join(head[:8])
    return subject or " ".join(words[:8]) or "quantity"


def propose_quantity(
    quote: str, statement: str, subject: str | None = None
) -> tuple[Quantity, NumberMention] | None:
    """A quantity from the first money/count/percent number in the quote, or None."""
    mentions = parse_numbers(quote)
    mention = next((item for item in mentions if item.kind in QUANTITY_KINDS), None)
    if mention is None:
        return None
    years = {int(item.low) for item in mentions if item.kind == "year" and item.low == item.high}
    data: dict[str, object] = {
        "subject": (subject or "").strip() or propose_subject(statement),
        "unit": mention.unit,
        "period": str(years.pop()) if len(years) == 1 else "",
        "approximate": mention.approximate,
    }
    if mention.low == mention.high:
        data["value"] = mention.low
    else:
        data["low"], data["high"] = mention.low, mention.high
    return Quantity.model_validate(data), mention


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
) -> Proposal:
    """Everything `workbench add` writes, without writing it."""
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
    quantity: Quantity | None = None
    mention: NumberMention | None = None
    if with_quantity:
        found = propose_quantity(match.quote, statement, subject)
        if found is not None:
            quantity, mention = found
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
    return Proposal(claim, match, mention)


def write_claim(project: Project, proposal: Proposal) -> ClaimRecord:
    """Create the claim's file (atomic; refuses an existing id) and add it to the project."""
    record = create_claim(project.claims_dir, proposal.claim)
    project.replace_record(record)
    return record


__all__ = [
    "AddError",
    "Proposal",
    "QuoteMatch",
    "QuoteNotFound",
    "build_claim",
    "choose",
    "claim_prefix",
    "locate_quote",
    "propose_id",
    "propose_quantity",
    "propose_subject",
    "write_claim",
]
