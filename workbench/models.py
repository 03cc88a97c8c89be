"""The data model: sources, claims and everything a claim carries.

These models are the contract between the files in `seeds/` and `claims/`, the
review app, the matching engine and the exports.  They reject unknown keys and
say, in each message, what a maintainer should write instead, because the
messages end up in `workbench check` output next to a file and line.

Vocabulary values (status, stance, topic) are plain strings here: which values
are allowed is project data (`workbench.toml`), checked in `workbench.checks`.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from typing import Annotated, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    field_validator,
    model_validator,
)

ID_PATTERN = r"^[a-z0-9][a-z0-9-]{0,79}$"
"""Claim and source ids: lowercase slugs, so they are safe as file names and URLs."""

_PERIOD_RE = re.compile(r"\d{4}(-\d{2}(-\d{2})?)?(/\d{4}(-\d{2}(-\d{2})?)?)?")
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")

RelationKind = Literal["contradicts", "supports", "same-fact", "updates"]
"""How one claim bears on another.  `updates` points from the newer claim to the older."""

SYMMETRIC_RELATIONS: frozenset[str] = frozenset({"contradicts", "supports", "same-fact"})
"""Relation kinds that must be recorded in both claims' files."""

EvidenceStance = Literal["supports", "refutes", "not-enough-info"]
"""FEVER's three labels: what a piece of evidence says about the claim."""

CandidateKind = Literal["numeric", "stance", "date", "duplicate"]
"""Kinds of candidate the matching engine proposes (see `workbench.matching`)."""


_TEXT_CHAR = r"[^\x00-\x08\x0b-\x1f\x7f-\x9f]"
TEXT_PATTERN = rf"^{_TEXT_CHAR}*$"
"""Text may hold tabs and newlines but no other control character (no escape codes)."""
REQUIRED_TEXT_PATTERN = rf"^{_TEXT_CHAR}*[^\s\x00-\x1f\x7f-\x9f]{_TEXT_CHAR}*$"
"""As `TEXT_PATTERN`, and not blank."""

# The constraints are patterns rather than Python validators so that pydantic-core
# checks them in Rust: loading 100,000 claims calls them millions of times.  The
# messages a maintainer reads come from `explain_pattern_error`.
Id = Annotated[str, Field(pattern=ID_PATTERN)]
Text = Annotated[str, Field(pattern=TEXT_PATTERN)]
RequiredText = Annotated[str, Field(pattern=REQUIRED_TEXT_PATTERN)]


def explain_pattern_error(value: str, pattern: str) -> str:
    """What is wrong with a string that failed one of the patterns above, and the fix."""
    if pattern == ID_PATTERN:
        return (
            f"{value!r} is not a valid id: use 1-80 lowercase letters, digits and hyphens, "
            "starting with a letter or digit (no slashes, dots or spaces)"
        )
    match = _CONTROL_RE.search(value)
    if match:
        return (
            f"contains the control character U+{ord(match.group()):04X} at position "
            f"{match.start()}: delete it (tabs and newlines are the only ones allowed)"
        )
    if not value.strip():
        return "must not be empty: write the text or remove the key"
    return f"{value!r} does not match the pattern {pattern}"


def nfc(value: str) -> str:
    """Text is stored in Unicode NFC: NFD Korean (macOS) and NFC must compare equal."""
    if unicodedata.is_normalized("NFC", value):
        return value
    return unicodedata.normalize("NFC", value)


Vocab = Annotated[str, Field(min_length=1, max_length=80)]

Number = Annotated[float, Field(allow_inf_nan=False)]
"""A measured value: TOML's `nan` and `inf` are floats, but no claim states them."""


def _utc_time(cls: object, value: dt.datetime | None) -> dt.datetime | None:
    """Times are UTC, with the standard library's own `UTC` (the TOML parser's zone
    object cannot be pickled, and the claim cache pickles claims)."""
    if value is None:
        return None
    if value.tzinfo is None or value.utcoffset() != dt.timedelta(0):
        raise ValueError("times are UTC: end the time with 'Z' (2025-03-01T09:30:00Z)")
    return value.replace(tzinfo=dt.UTC)


class StrictModel(BaseModel):
    """Base for every file-backed model: unknown keys are errors, not silently dropped."""

    model_config = ConfigDict(
        extra="forbid",
        frozen=False,
        validate_assignment=True,
        populate_by_name=True,
        str_strip_whitespace=False,
    )


class SourceRef(StrictModel):
    """Where a claim comes from: a source id and a W3C-style TextQuoteSelector.

    `prefix` and `suffix` only matter when the quote occurs more than once in the
    source: they are the text just before and after the intended occurrence.
    """

    id: Id
    quote: RequiredText
    prefix: Text = ""
    suffix: Text = ""


class Quantity(StrictModel):
    """A number a claim states, in the manner of a Wikidata quantity.

    Either `value`, or `low` and `high` for a range ("50,000-60,000").
    `subject` names what is measured, so that two claims about the same thing can
    be compared (the matching engine normalises it); `scope` records a
    qualification that makes two values incomparable ("final training run only").
    """

    subject: RequiredText
    value: Number | None = None
    low: Number | None = None
    high: Number | None = None
    unit: Vocab
    period: Text = ""
    scope: Text = ""
    approximate: bool = False
    bound: Literal["upper", "lower"] | None = None
    """`upper`: the value is a ceiling ("less than 10%", "up to", "미만"); `lower`: a
    floor ("more than 300", "at least five", "이상").  Absent: the value itself.  Like
    Wikidata's upper and lower bounds, so that an export and the matching engine read
    "less than 10%" as a bound, not as exactly 10."""

    @model_validator(mode="after")
    def _value_or_range(self) -> Quantity:
        has_range = self.low is not None or self.high is not None
        if self.value is None and not has_range:
            raise ValueError("give either `value` or both `low` and `high`")
        if self.value is not None and has_range:
            raise ValueError("give either `value` or `low`/`high`, not both")
        if has_range and self.bound is not None:
            raise ValueError(
                '`bound` goes with a single `value` ("less than 10%": value = 10, '
                'bound = "upper"), not with a `low`/`high` range'
            )
        if has_range:
            if self.low is None or self.high is None:
                raise ValueError("a range needs both `low` and `high`")
            if self.low > self.high:
                raise ValueError(f"`low` ({self.low:g}) is greater than `high` ({self.high:g})")
        return self

    @property
    def bounds(self) -> tuple[float, float]:
        """The quantity as a closed interval; a single value is a point."""
        if self.value is not None:
            return (self.value, self.value)
        assert self.low is not None and self.high is not None
        return (self.low, self.high)

    @field_validator("period")
    @classmethod
    def _period_shape(cls, value: str) -> str:
        if value and not _PERIOD_RE.fullmatch(value):
            raise ValueError(
                f"{value!r} is not a period: write a year, month or day (2024, 2024-03, "
                "2024-03-15) or a span of them joined by '/' (2021/2023)"
            )
        return value


class Evidence(StrictModel):
    """A piece of evidence a reviewer found, and what it says about the claim."""

    citation: RequiredText
    url: Text = ""
    shows: RequiredText
    stance: EvidenceStance


class Relation(StrictModel):
    """A link from this claim to another, with a note for the next reviewer."""

    kind: RelationKind
    claim: Id
    note: Text = ""
    reviewer: Text = ""
    """Who recorded the relation (empty in files written before it was kept)."""
    at: dt.datetime | None = None
    """When, in UTC."""

    _utc = field_validator("at")(_utc_time)


class Dismissal(StrictModel):
    """A conflict candidate a reviewer looked at and rejected, so it is not proposed again."""

    claim: Id
    kind: CandidateKind
    note: Text = ""
    reviewer: Text = ""
    at: dt.datetime | None = None

    _utc = field_validator("at")(_utc_time)


class ReviewEntry(StrictModel):
    """One entry of the append-only review history."""

    at: dt.datetime
    reviewer: RequiredText
    from_status: Vocab = Field(alias="from")
    to_status: Vocab = Field(alias="to")
    note: Text = ""

    _utc = field_validator("at")(_utc_time)


class Claim(StrictModel):
    """One checkable claim, stored as `claims/<id>.toml`."""

    id: Id
    statement: RequiredText
    topic: Vocab
    stance: Vocab
    attributed_to: Text = ""
    status: Vocab = "unreviewed"
    recheck: dt.date | None = None
    source: SourceRef
    quantity: Quantity | None = None
    evidence: list[Evidence] = Field(default_factory=list)
    relations: list[Relation] = Field(default_factory=list)
    dismissed: list[Dismissal] = Field(default_factory=list)
    history: list[ReviewEntry] = Field(default_factory=list)


class Source(StrictModel):
    """Metadata of one source article, stored beside its text in `seeds/`."""

    id: Id
    file: str
    title: RequiredText
    outlet: RequiredText
    author: Text = ""
    published: dt.date
    date_inferred: Text = ""
    """Empty when the article states its date; otherwise how the date was worked out."""
    language: Annotated[str, Field(pattern=r"^[a-z]{2,3}(-[A-Za-z0-9]+)*$")]
    view: Vocab
    relays: list[RequiredText] = Field(default_factory=list)
    url: Text = ""
    summary: Text = ""

    @field_validator("file")
    @classmethod
    def _inside_seeds(cls, value: str) -> str:
        if (
            not value
            or "/" in value
            or "\\" in value
            or value.startswith(".")
            or _CONTROL_RE.search(value)
        ):
            raise ValueError(
                f"{value!r} is not a file name in seeds/: name a file beside this one "
                "(no folders, no '..')"
            )
        return value


class StatusInfo(StrictModel):
    """One status of the review vocabulary (from `workbench.toml`)."""

    meaning: RequiredText
    verified: bool = False
    key: Annotated[str, Field(min_length=1, max_length=1)] | None = None
    rating: int | None = None
    rating_name: Text = ""
    requires_note: bool = False
    """A verdict with this status must say why: a note on the history entry that set it
    (or on a later note entry while the status stands)."""
    requires_evidence: list[EvidenceStance] = Field(default_factory=list)
    """A verdict with this status needs at least one evidence entry whose stance is one
    of these; empty: no evidence required (see `workbench.verdicts`)."""


class AppSettings(StrictModel):
    """How the review app behaves for this project (`[app]` in `workbench.toml`)."""

    auto_advance: bool = False
    """After a verdict, move to the next claim (the list's cursor, the detail's next claim)."""


class ClaimReviewSettings(StrictModel):
    """Who publishes ClaimReview markup and where the review pages live."""

    organization: Text = ""
    organization_url: Text = ""
    review_url: Text = ""
    best_rating: int = 5
    worst_rating: int = 1


class Entity(StrictModel):
    """A thing claims talk about (a company, a country, a product, a person), with every
    name it goes by in the languages of the sources (엔비디아 = Nvidia)."""

    name: RequiredText
    aliases: list[RequiredText] = Field(default_factory=list)
    kind: Text = ""
    """Free text for people: organization, country, product, person, event..."""
    group: Text = ""
    """Entities of one group are one side of a comparison the project follows
    (e.g. every Chinese company in `china`); empty for none."""
    part_of: Text = ""
    """The entity this one belongs to (a model to its maker, GPT-4 to GPT, a region to
    its country): a claim that names this one names that one too; empty for none."""


class NamedEvent(StrictModel):
    """An event with a known date, so that "a day before the X announcement" resolves."""

    name: RequiredText
    date: dt.date
    aliases: list[RequiredText] = Field(default_factory=list)


class Lexicon(StrictModel):
    """The subject's words, as data: which stances oppose, who and what the claims
    are about, and which words mark an event.  The matching engine holds no word
    of any corpus; it reads them from here (`lexicon.toml`, or `[lexicon]` in
    `workbench.toml`)."""

    opposing_stances: list[tuple[Vocab, Vocab]] = Field(default_factory=list)
    """Pairs of stances (from `[stances]`) that contradict each other."""
    rivals: list[tuple[RequiredText, RequiredText]] = Field(default_factory=list)
    """Pairs of entity groups whose comparison the project follows (china / us)."""
    event_words: list[RequiredText] = Field(default_factory=list)
    """Words that mark an event with a date: released, launched, 출시, 발표..."""
    entities: list[Entity] = Field(default_factory=list)
    events: list[NamedEvent] = Field(default_factory=list)


class ProjectSettings(StrictModel):
    """The project's vocabularies and settings: the contents of `workbench.toml`."""

    name: Text = "claims"
    statuses: dict[str, StatusInfo]
    stances: dict[str, RequiredText]
    topics: dict[str, RequiredText]
    claimreview: ClaimReviewSettings = Field(default_factory=ClaimReviewSettings)
    app: AppSettings = Field(default_factory=AppSettings)
    lexicon: Lexicon = Field(default_factory=Lexicon)
    """Inline in `workbench.toml`, or read from the file that `lexicon = "FILE"` names."""

    @property
    def verified_statuses(self) -> frozenset[str]:
        return frozenset(name for name, info in self.statuses.items() if info.verified)

    @model_validator(mode="after")
    def _vocab_not_empty(self) -> ProjectSettings:
        if "unreviewed" not in self.statuses:
            raise ValueError("`statuses` must include `unreviewed`, the status of a new claim")
        keys = [info.key for info in self.statuses.values() if info.key]
        duplicates = sorted({key for key in keys if keys.count(key) > 1})
        if duplicates:
            raise ValueError(f"status keys must differ; used twice: {', '.join(duplicates)}")
        return self
