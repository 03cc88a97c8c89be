"""Filtering, searching and sorting the claims list: pure logic, no Textual.

The claims list filters on every keystroke in a worker thread, so a keystroke
must cost well under 100 ms at 100,000 claims.  `ClaimIndex` therefore keeps
the list's fields as columns (one list per field, values as small integer
codes) built once, and a filter is a few list comprehensions over positions:
no per-claim objects, no per-claim function calls.

* Field filters (`status`, `topic`, `stance`, `source`) come from the keys that
  cycle them and from tokens typed in the search box (`status:ver`,
  `topic:chips,cost`, `-stance:neutral`, `source:chosun`).
* Search terms match as substrings of the id, statement and quote, lowercase
  (Korean particles stay attached to words, so `딥시크` finds `딥시크는`).  A
  term with a typo is matched through the vocabulary: rapidfuzz finds words
  that look like it (`deepsek` -> `deepseek`) and those are scanned for.
  Korean look-alikes are compared letter by letter (jamo): a syllable is
  three or so letters, so `엔비디야` is one letter from `엔비디아` (and finds
  `엔비디아의`), and `딥시그` one from `딥시크`; a Korean term is compared with
  the same number of syllables at the start of each word, where Korean puts
  the word and after it the particle.
  Matches in the id rank first, then matches at the start of a word, then the
  rest; typo matches rank below exact ones; every term must match.  Equal
  scores keep the chosen sort order.
* `-term` leaves out the claims whose id, statement or quote holds the term
  (exactly: an exclusion never guesses typos).
* A field token that matches no value (`status:verfied`) still shows nothing,
  but `query_hints` says what the reviewer probably meant ("did you mean
  `verified`?") for the caller to show.

An index never changes once built (`updated` returns a new one), so the worker
thread can read it while the app thread moves on.
"""

from __future__ import annotations

import datetime as dt
import re
import threading
import time
import unicodedata
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Literal

from rapidfuzz import fuzz, process

from workbench.models import Claim, Source

if TYPE_CHECKING:
    from workbench.project import Project
    from workbench.storage import ClaimRecord

SortOrder = Literal["date", "status", "id"]
SORT_ORDERS: tuple[SortOrder, ...] = ("date", "status", "id")
SORT_LABELS: dict[SortOrder, str] = {
    "date": "source date, newest first",
    "status": "status, then newest",
    "id": "id",
}

Field = Literal["status", "topic", "stance", "source"]
FIELDS: tuple[Field, ...] = ("status", "topic", "stance", "source")
_FIELD_ALIASES: dict[str, Field] = {
    "status": "status",
    "topic": "topic",
    "stance": "stance",
    "source": "source",
    "outlet": "source",
}

TYPO_MIN_LENGTH = 4
"""Terms shorter than this match only exactly: short words have too many look-alikes."""

TYPO_CUTOFF = 80.0
"""rapidfuzz `ratio` a vocabulary word needs to count as a typo of a term."""

HANGUL_TYPO_MIN_LENGTH = 3
"""For a term with Korean syllables: three syllables are some seven letters (jamo)."""

TYPO_ALTERNATIVES = 3
"""At most this many look-alike words are scanned for per term (`_typo_matches` takes 3)."""

TYPO_WHEN_FEWER = 500
"""Look-alikes are searched for only when a term matches fewer claims exactly than this:
with many exact matches the reviewer has found what they typed."""

EXACT_SCORE = 100.0
ID_SCORE = 10.0
ID_PREFIX_SCORE = 20.0
WORD_START_SCORE = 5.0
TYPO_WEIGHT = 0.9

_WORD_EDGE_PUNCTUATION = "\"'“”‘’.,:;!?()[]{}<>«»「」『』·…"
_WORD_STARTS = frozenset(" \n\t-_(/\"'“‘[")


# --------------------------------------------------------------------------- rows


@dataclass(frozen=True, slots=True)
class ClaimRow:
    """What the claims list shows and searches for one claim."""

    id: str
    status: str
    statement: str
    quote: str
    topic: str
    stance: str
    source_id: str
    outlet: str
    published: dt.date | None
    search_text: str
    """`id`, statement and quote, lowercase and NFC, one a line (the id first)."""

    @classmethod
    def of(cls, claim: Claim, source: Source | None) -> ClaimRow:
        return cls(
            id=claim.id,
            status=claim.status,
            statement=claim.statement,
            quote=claim.source.quote,
            topic=claim.topic,
            stance=claim.stance,
            source_id=claim.source.id,
            outlet=source.outlet if source is not None else claim.source.id,
            published=source.published if source is not None else None,
            search_text=search_text(claim.id, claim.statement, claim.source.quote),
        )


def search_text(claim_id: str, statement: str, quote: str) -> str:
    return normalize(f"{claim_id}\n{statement}\n{quote}")


def normalize(text: str) -> str:
    """Lowercase NFC: how both search texts and typed terms are compared."""
    return unicodedata.normalize("NFC", text).lower()


def rows_of(project: Project) -> dict[str, ClaimRow]:
    """One row per loaded claim, by id."""
    return dict(_rows_of_records(project, project.claims.values()))


def _rows_of_records(
    project: Project, records: Iterable[ClaimRecord]
) -> Iterable[tuple[str, ClaimRow]]:
    sources = {source_id: record.source for source_id, record in project.sources.items()}
    for record in records:
        claim = record.claim
        yield claim.id, ClaimRow.of(claim, sources.get(claim.source.id))


# --------------------------------------------------------------------------- filters


@dataclass(frozen=True, slots=True)
class Filters:
    """What the list shows: one value per field (None: any), the search box, the order."""

    status: str | None = None
    topic: str | None = None
    stance: str | None = None
    source: str | None = None
    query: str = ""
    sort: SortOrder = "date"

    def value(self, field: Field) -> str | None:
        selected: str | None = getattr(self, field)
        return selected

    def with_value(self, field: Field, value: str | None) -> Filters:
        if field == "status":
            return replace(self, status=value)
        if field == "topic":
            return replace(self, topic=value)
        if field == "stance":
            return replace(self, stance=value)
        return replace(self, source=value)

    def with_query(self, query: str) -> Filters:
        return replace(self, query=query)

    def with_sort(self, sort: SortOrder) -> Filters:
        return replace(self, sort=sort)

    @property
    def any_field(self) -> bool:
        return any(self.value(field) is not None for field in FIELDS)

    def cleared_fields(self) -> Filters:
        return Filters(query=self.query, sort=self.sort)


@dataclass(frozen=True, slots=True)
class Query:
    """The search box parsed: field tokens and free-text terms."""

    include: Mapping[Field, tuple[str, ...]]
    """`status:ver,dis` -> {"status": ("ver", "dis")}: the value starts with one of them."""
    exclude: Mapping[Field, tuple[str, ...]]
    terms: tuple[str, ...]
    """Free text, normalised, longest first (the most selective term is scanned first)."""
    excluded_terms: tuple[str, ...] = ()
    """`-deepseek` -> ("deepseek",): claims holding any of these are left out."""


def parse_query(text: str) -> Query:
    """Split the search box into `field:value` tokens and search terms."""
    include: dict[Field, tuple[str, ...]] = {}
    exclude: dict[Field, tuple[str, ...]] = {}
    terms: list[str] = []
    excluded: list[str] = []
    for token in normalize(text).split():
        negated = token.startswith("-") and len(token) > 1
        name, colon, values = (token[1:] if negated else token).partition(":")
        field = _FIELD_ALIASES.get(name) if colon else None
        if field is None:
            if negated:
                excluded.append(token[1:])
            else:
                terms.append(token)
            continue
        chosen = tuple(value for value in values.split(",") if value)
        if not chosen:
            continue  # `status:` while typing: no constraint yet
        target = exclude if negated else include
        target[field] = target.get(field, ()) + chosen
    terms.sort(key=len, reverse=True)
    return Query(include, exclude, tuple(dict.fromkeys(terms)), tuple(dict.fromkeys(excluded)))


@dataclass(frozen=True, slots=True)
class QueryHint:
    """A field token that matches no value, and the value the reviewer probably meant."""

    field: Field
    value: str
    suggestion: str | None

    @property
    def message(self) -> str:
        text = f"no {self.field} matches `{self.value}`"
        return text + (f"; did you mean `{self.suggestion}`?" if self.suggestion else "")


def query_hints(query: Query, known: Mapping[Field, Sequence[str]]) -> list[QueryHint]:
    """The field tokens of `query` (included or excluded) that match none of the `known`
    values of their field, each with the closest known value (`validation.suggest`),
    so that `status:verfied` can say "did you mean `verified`?" instead of showing
    nothing without a word.  For `source`, outlets and source ids both count."""
    from workbench.validation import suggest

    hints: list[QueryHint] = []
    for tokens in (query.include, query.exclude):
        for field, prefixes in tokens.items():
            values = list(known.get(field, ()))
            lowered = [value.lower() for value in values]
            for prefix in prefixes:
                if field == "source":
                    matched = any(prefix in value for value in lowered)
                else:
                    matched = any(value.startswith(prefix) for value in lowered)
                if not matched:
                    hints.append(QueryHint(field, prefix, suggest(prefix, values)))
    return hints


def has_hangul(text: str) -> bool:
    return any("\uac00" <= char <= "\ud7a3" for char in text)


def jamo(text: str) -> str:
    """Hangul syllables decomposed into their letters (NFD gives the conjoining jamo):
    `딥시크` -> ㄷㅣㅂㅅㅣㅋㅡ, so a one-letter typo costs one letter, not a syllable."""
    return unicodedata.normalize("NFD", text)


def typo_eligible(term: str) -> bool:
    """Whether a term is long enough to look for typos of it (see the two minimums)."""
    if has_hangul(term):
        return len(term) >= HANGUL_TYPO_MIN_LENGTH
    return len(term) >= TYPO_MIN_LENGTH


def token_matches(field: Field, value: str, source_id: str, prefixes: Sequence[str]) -> bool:
    """Whether a field token (`status:ver`) matches a value: by prefix, case-insensitive.

    For `source` the outlet matches anywhere (`source:chosun` finds "The Chosun
    Ilbo") and the source id by prefix.
    """
    lowered = value.lower()
    if field == "source":
        return any(prefix in lowered or source_id.startswith(prefix) for prefix in prefixes)
    return any(lowered.startswith(prefix) for prefix in prefixes)


def row_matches(row: ClaimRow, filters: Filters, query: Query) -> bool:
    """Whether a row passes the field filters and tokens (not the search terms).

    The reference definition: `ClaimIndex.filter` computes the same thing on columns.
    """
    for field in FIELDS:
        selected = filters.value(field)
        if selected is not None and field_value(row, field) != selected:
            return False
    for field, prefixes in query.include.items():
        if not token_matches(field, field_value(row, field), row.source_id, prefixes):
            return False
    return not any(
        token_matches(field, field_value(row, field), row.source_id, prefixes)
        for field, prefixes in query.exclude.items()
    )


def field_value(row: ClaimRow, field: Field) -> str:
    """The value a filter on `field` compares (the outlet for `source`)."""
    if field == "source":
        return row.outlet
    value: str = getattr(row, field)
    return value


# --------------------------------------------------------------------------- vocabulary


class Vocabulary:
    """The distinct words of the search texts, for finding look-alikes of a typo.

    Built on first use (in the filter worker's thread), a chunk at a time with a
    pause between chunks, so that building it for 100,000 claims in the
    background does not stall the app thread.  `extended` adds the words of
    changed texts without rebuilding.
    """

    CHUNK = 2000

    def __init__(self, texts: Iterable[str], base: Vocabulary | None = None) -> None:
        self._texts = texts
        self._base = base
        self._words: list[str] | None = None
        self._starts: dict[int, tuple[list[str], list[str]]] = {}
        self._lock = threading.Lock()

    def extended(self, texts: Iterable[str]) -> Vocabulary:
        return Vocabulary(list(texts), base=self)

    def words(self) -> list[str]:
        with self._lock:
            if self._words is None:
                found: set[str] = set(self._base.words()) if self._base is not None else set()
                chunk: list[str] = []
                for text in self._texts:
                    chunk.append(text)
                    if len(chunk) == self.CHUNK:
                        found.update(" ".join(chunk).split())
                        chunk.clear()
                        time.sleep(0)  # let the app thread run
                found.update(" ".join(chunk).split())
                stripped = {word.strip(_WORD_EDGE_PUNCTUATION) for word in found}
                self._words = sorted(word for word in stripped if len(word) >= 2)
                self._texts = ()
                self._base = None
            return self._words

    def similar(self, term: str, limit: int = TYPO_ALTERNATIVES) -> list[tuple[str, float]]:
        """Words that look like `term` (a typo of it), best first; not `term` itself.

        A Korean term is compared in jamo with the opening syllables of each word,
        as many as the term has (`_word_starts`): the look-alike is that opening
        (`딥시크`), which then finds the word with any particle (`딥시크는`)."""
        if has_hangul(term):
            starts, letters = self._word_starts(len(term))
            found = process.extract(
                jamo(term), letters, scorer=fuzz.ratio, score_cutoff=TYPO_CUTOFF, limit=limit + 4
            )
            return [
                (starts[index], float(score))
                for _letters, score, index in found
                if term not in starts[index]
            ][:limit]
        found = process.extract(
            term, self.words(), scorer=fuzz.ratio, score_cutoff=TYPO_CUTOFF, limit=limit + 4
        )
        return [(word, float(score)) for word, score, _index in found if term not in word][:limit]

    def _word_starts(self, length: int) -> tuple[list[str], list[str]]:
        """The distinct openings of `length` characters of the Korean words, and their jamo;
        made once per length (a dict assignment is atomic, so threads may share it)."""
        cached = self._starts.get(length)
        if cached is None:
            openings = sorted({word[:length] for word in self.words() if has_hangul(word[:1])})
            cached = (openings, [jamo(opening) for opening in openings])
            self._starts[length] = cached
        return cached


def newest_first(published: dt.date | None) -> int:
    """The "date" order's key for a claim's source date: newest first, undated last."""
    return -published.toordinal() if published is not None else 0


def date_groups(published: Mapping[str, dt.date | None]) -> list[list[str | None]]:
    """The sources of the "date" order (`ClaimIndex.order`) in groups: newest first,
    the claims of one group's sources mixed by id.  None joins the undated group:
    the sources no claim's source id names here (a claim may name an unknown one).
    What `workbench.files.index.load_first_page` reads the list's first page by."""
    groups: dict[int, list[str | None]] = {0: [None]}
    for source_id, date in published.items():
        groups.setdefault(newest_first(date), []).append(source_id)
    return [groups[key] for key in sorted(groups)]


# --------------------------------------------------------------------------- the index

_LastSearch = tuple[tuple[object, ...], tuple[str, ...], list[int]]
"""(filters other than the terms, the terms, their exact matches in order)."""


class _Codes:
    """Distinct values of one field and, per claim, the code of its value."""

    __slots__ = ("codes", "index", "values")

    def __init__(self, values: Iterable[str]) -> None:
        index: dict[str, int] = {}
        # setdefault evaluates len(index) first: a new value gets the next code
        self.codes: list[int] = [index.setdefault(value, len(index)) for value in values]
        self.index = index
        self.values: list[str] = list(index)

    def _code(self, value: str) -> int:
        code = self.index.get(value)
        if code is None:
            code = self.index[value] = len(self.values)
            self.values.append(value)
        return code

    def copy(self) -> _Codes:
        twin = _Codes(())
        twin.index = dict(self.index)
        twin.values = list(self.values)
        twin.codes = list(self.codes)
        return twin

    def set(self, position: int, value: str) -> None:
        self.codes[position] = self._code(value)


class _SearchTexts:
    """Each claim's search text (`search_text`), made on first use, once, by whichever
    thread asks first.

    Lowercasing 100,000 statements and quotes took 0.18 s, more than half of
    building the index, and the first drawing of the list needs none of it: the
    app builds the vocabulary (which reads these) in a worker right after, and
    a search waits for it only if it comes sooner.
    """

    __slots__ = ("_columns", "_lock", "_texts")

    def __init__(
        self,
        columns: tuple[list[str], list[str], list[str]] | None,
        texts: list[str] | None = None,
    ) -> None:
        self._columns = columns
        self._texts = texts
        self._lock = threading.Lock()

    def get(self) -> list[str]:
        texts = self._texts
        if texts is None:
            with self._lock:
                texts = self._texts
                if texts is None:
                    assert self._columns is not None
                    ids, statements, quotes = self._columns
                    texts = list(map(search_text, ids, statements, quotes))
                    self._texts, self._columns = texts, None
        return texts

    def at(self, position: int) -> str:
        """One claim's text, without making them all."""
        texts = self._texts
        if texts is not None:
            return texts[position]
        assert self._columns is not None
        ids, statements, quotes = self._columns
        return search_text(ids[position], statements[position], quotes[position])

    def __iter__(self) -> Iterator[str]:
        return iter(self.get())


class ClaimIndex:
    """The claims list's fields as columns, by position; filtered per keystroke.

    Positions are 0..n-1 in the order the claims were given.  `filter` returns
    the positions to show, in order; `ids[position]` and `row(position)` turn
    them into what the table draws (only the visible rows are ever built).
    """

    def __init__(self, rows: Iterable[ClaimRow], statuses: Sequence[str] = ()) -> None:
        items = list(rows)
        self._statuses = tuple(statuses)
        self.ids: list[str] = [row.id for row in items]
        self.statements: list[str] = [row.statement for row in items]
        self.quotes: list[str] = [row.quote for row in items]
        self.source_ids = _Codes(row.source_id for row in items)
        self.published: list[dt.date | None] = [row.published for row in items]
        self._texts = _SearchTexts(None, [row.search_text for row in items])
        self.fields: dict[Field, _Codes] = {
            "status": _Codes(row.status for row in items),
            "topic": _Codes(row.topic for row in items),
            "stance": _Codes(row.stance for row in items),
            "source": _Codes(row.outlet for row in items),
        }
        self._finish()

    def _finish(self) -> None:
        self.positions: dict[str, int] = {claim_id: at for at, claim_id in enumerate(self.ids)}
        self._id_lengths: list[int] = [len(claim_id) for claim_id in self.ids]
        self._orders: dict[SortOrder, list[int]] = {}
        self._last_search: _LastSearch | None = None
        self.vocabulary = Vocabulary(self._texts)

    @classmethod
    def from_project(
        cls, project: Project, records: Iterable[ClaimRecord] | None = None
    ) -> ClaimIndex:
        """The index of a project's claims (or of these records of it).

        Built column by column straight from the claims, without a row object
        per claim: about five times faster at 100,000 claims.
        """
        chosen = project.claims.values() if records is None else records
        claims = [record.summary for record in chosen]
        sources = {source_id: record.source for source_id, record in project.sources.items()}
        outlets = {source_id: source.outlet for source_id, source in sources.items()}
        dates = {source_id: source.published for source_id, source in sources.items()}
        index = object.__new__(cls)
        index._statuses = tuple(project.settings.statuses)
        index.ids = [claim.id for claim in claims]
        index.statements = [claim.statement for claim in claims]
        index.quotes = [claim.quote for claim in claims]
        source_ids = [claim.source_id for claim in claims]
        index.source_ids = _Codes(source_ids)
        index.published = [dates.get(source_id) for source_id in source_ids]
        index._texts = _SearchTexts((index.ids, index.statements, index.quotes))
        index.fields = {
            "status": _Codes([claim.status for claim in claims]),
            "topic": _Codes([claim.topic for claim in claims]),
            "stance": _Codes([claim.stance for claim in claims]),
            "source": _Codes([outlets.get(source_id, source_id) for source_id in source_ids]),
        }
        index._finish()
        return index

    @property
    def texts(self) -> list[str]:
        """Each claim's search text, by position (made on first use: `_SearchTexts`)."""
        return self._texts.get()

    def __len__(self) -> int:
        return len(self.ids)

    def position_of(self, claim_id: str) -> int | None:
        return self.positions.get(claim_id)

    def value(self, field: Field, position: int) -> str:
        codes = self.fields[field]
        return codes.values[codes.codes[position]]

    def row(self, position: int) -> ClaimRow:
        """The row at a position, built on demand (the table asks for visible rows only)."""
        return ClaimRow(
            id=self.ids[position],
            status=self.value("status", position),
            statement=self.statements[position],
            quote=self.quotes[position],
            topic=self.value("topic", position),
            stance=self.value("stance", position),
            source_id=self.source_ids.values[self.source_ids.codes[position]],
            outlet=self.value("source", position),
            published=self.published[position],
            search_text=self._texts.at(position),
        )

    # ------------------------------------------------------------------ updates

    def updated(self, changed: Mapping[str, ClaimRow | None]) -> ClaimIndex | None:
        """A new index with these rows replaced; None if claims came or went (rebuild)."""
        if any(row is None or row.id not in self.positions for row in changed.values()):
            return None
        twin = object.__new__(ClaimIndex)
        twin._statuses = self._statuses
        twin.ids = self.ids  # ids and positions never change here
        twin.positions = self.positions
        twin._id_lengths = self._id_lengths
        twin.statements = list(self.statements)
        twin.quotes = list(self.quotes)
        twin.source_ids = self.source_ids.copy()
        twin.published = list(self.published)
        texts = list(self.texts)
        twin.fields = {field: codes.copy() for field, codes in self.fields.items()}
        new_texts = []
        reorder = False
        for claim_id, row in changed.items():
            assert row is not None
            at = self.positions[claim_id]
            twin.statements[at] = row.statement
            twin.quotes[at] = row.quote
            twin.source_ids.set(at, row.source_id)
            reorder = reorder or twin.published[at] != row.published
            twin.published[at] = row.published
            if texts[at] != row.search_text:
                texts[at] = row.search_text
                new_texts.append(row.search_text)
            for field in FIELDS:
                twin.fields[field].set(at, field_value(row, field))
        twin._orders = (
            {}
            if reorder
            else {
                order: positions for order, positions in self._orders.items() if order != "status"
            }
        )
        twin._texts = _SearchTexts(None, texts)
        twin.vocabulary = self.vocabulary.extended(new_texts) if new_texts else self.vocabulary
        twin._last_search = None
        return twin

    # ------------------------------------------------------------------ sorting

    def order(self, sort: SortOrder) -> list[int]:
        """All positions in the given order; ties go newest first, then by id."""
        cached = self._orders.get(sort)
        if cached is not None:
            return cached
        if sort == "id":
            result = sorted(range(len(self.ids)), key=self.ids.__getitem__)
        elif sort == "date":
            newest = [newest_first(date) for date in self.published]
            result = sorted(self.order("id"), key=newest.__getitem__)
        else:
            status = self.fields["status"]
            ranks = {name: rank for rank, name in enumerate(self._statuses)}
            unknown = len(ranks)
            code_rank = [ranks.get(value, unknown) for value in status.values]
            rank_of = [code_rank[code] for code in status.codes]
            result = sorted(self.order("date"), key=rank_of.__getitem__)
        self._orders[sort] = result
        return result

    # ------------------------------------------------------------------ filtering

    def filter(self, filters: Filters, *, typos: bool = True) -> list[int]:
        """Positions to show: filtered, searched, best matches first, else in order.

        Typing narrows: when every term of the previous search is part of a term
        of this one (`deep` -> `deepseek`), only the previous exact matches can
        match, so only they are scanned.  A search that would look for typos is
        always done in full, so the result never depends on what came before.
        """
        query = parse_query(filters.query)
        base = (
            filters.status,
            filters.topic,
            filters.stance,
            filters.source,
            filters.sort,
            tuple(sorted(query.include.items())),
            tuple(sorted(query.exclude.items())),
            query.excluded_terms,
        )
        last = self._last_search
        if query.terms and last is not None and last[0] == base and _narrows(last[1], query.terms):
            found = self._search(last[2], query.terms, typos=typos, narrowed=True)
            if found is not None:
                ranked, exact = found
                self._last_search = (base, query.terms, exact) if exact is not None else None
                return ranked
        positions = self.order(filters.sort)
        for field in FIELDS:
            selected = filters.value(field)
            if selected is None:
                continue
            codes = self.fields[field]
            code = codes.index.get(selected, -1)
            column = codes.codes
            positions = [at for at in positions if column[at] == code]
        for field, prefixes in query.include.items():
            positions = self._with_token(positions, field, prefixes, keep=True)
        for field, prefixes in query.exclude.items():
            positions = self._with_token(positions, field, prefixes, keep=False)
        if query.excluded_terms:
            texts = self.texts
            left_out = query.excluded_terms
            positions = [at for at in positions if not any(term in texts[at] for term in left_out)]
        if not query.terms:
            return positions
        found = self._search(positions, query.terms, typos=typos)
        assert found is not None
        ranked, exact = found
        self._last_search = (base, query.terms, exact) if exact is not None else None
        return ranked

    def _with_token(
        self, positions: list[int], field: Field, prefixes: Sequence[str], *, keep: bool
    ) -> list[int]:
        """Positions whose value matches a field token (keep=True) or does not."""
        codes = self.fields[field]
        wanted = {
            code
            for code, value in enumerate(codes.values)
            if token_matches(field, value, "", prefixes)
        }
        column = codes.codes
        if field != "source":
            return [at for at in positions if (column[at] in wanted) == keep]
        wanted_ids = {
            code
            for code, source_id in enumerate(self.source_ids.values)
            if any(source_id.startswith(prefix) for prefix in prefixes)
        }
        id_column = self.source_ids.codes
        return [
            at for at in positions if (column[at] in wanted or id_column[at] in wanted_ids) == keep
        ]

    def _search(
        self, positions: list[int], terms: Sequence[str], *, typos: bool, narrowed: bool = False
    ) -> tuple[list[int], list[int] | None] | None:
        """Positions matching every term, best first, and (if no typo matched) the
        matches in their original order, for the next keystroke to narrow from.

        `narrowed`: `positions` are the previous search's matches; give up (None)
        where the full search would look for typos.  Written as comprehensions
        over slots (indexes into `positions`): at 100,000 claims a Python loop
        with per-claim branches costs several times more.
        """
        typo_free = True
        id_lengths = self._id_lengths
        totals: list[float] = [0.0] * len(positions)
        texts = self.texts
        for term in terms:
            candidates = [texts[at] for at in positions]
            finds = [text.find(term) for text in candidates]
            slots = [slot for slot, found in enumerate(finds) if found >= 0]
            found_at = [finds[slot] for slot in slots]
            scores = [
                totals[slot]
                + EXACT_SCORE
                + (
                    ID_PREFIX_SCORE
                    if found == 0
                    else ID_SCORE
                    if found < id_lengths[positions[slot]]
                    else 0.0
                )
                + (
                    WORD_START_SCORE
                    if found == 0 or candidates[slot][found - 1] in _WORD_STARTS
                    else 0.0
                )
                for slot, found in zip(slots, found_at, strict=True)
            ]
            eligible = typos and typo_eligible(term)
            if eligible and narrowed and len(slots) < TYPO_WHEN_FEWER:
                return None  # the full search might look for typos here
            if eligible and len(slots) < min(TYPO_WHEN_FEWER, len(positions)):
                exact = len(slots)
                slots, scores = self._typo_matches(term, candidates, finds, slots, scores, totals)
                typo_free = typo_free and len(slots) == exact
            positions = [positions[slot] for slot in slots]
            totals = scores
            if not positions:
                return [], [] if typo_free else None
        return _best_first(positions, totals), positions if typo_free else None

    def _typo_matches(
        self,
        term: str,
        candidates: list[str],
        finds: list[int],
        slots: list[int],
        scores: list[float],
        totals: list[float],
    ) -> tuple[list[int], list[float]]:
        """Add the candidates that hold a look-alike of `term`; slots stay in order."""
        alternatives = self.vocabulary.similar(term)
        if not alternatives:
            return slots, scores
        # One pass for all look-alikes, then the best look-alike for the few
        # candidates that hold one.  A look-alike that holds another (`deepseek와`
        # holds `deepseek`) finds no text the other does not, so only the others
        # are looked for, often just one word: for `deepsek` at 100,000 claims
        # the pass took 60 ms looking for three.
        words = [word for word, _ in alternatives]
        needed = [word for word in words if not any(o != word and o in word for o in words)]
        if len(needed) == 1:
            (word,) = needed
            found_slots = [
                slot for slot, found in enumerate(finds) if found < 0 and word in candidates[slot]
            ]
        else:
            search = re.compile("|".join(map(re.escape, needed))).search
            found_slots = [
                slot for slot, found in enumerate(finds) if found < 0 and search(candidates[slot])
            ]
        if not found_slots:
            return slots, scores
        extra: dict[int, float] = {}
        scanned: list[str] = []
        for word, similarity in alternatives:  # best look-alike first
            if any(earlier in word for earlier in scanned):
                continue  # every text holding it holds a better look-alike already
            scanned.append(word)
            for slot in [slot for slot in found_slots if word in candidates[slot]]:
                extra.setdefault(slot, totals[slot] + similarity * TYPO_WEIGHT)
        merged = sorted([*zip(slots, scores, strict=True), *extra.items()])
        return [slot for slot, _ in merged], [score for _, score in merged]

    def hints(self, filters: Filters) -> list[QueryHint]:
        """What the search box's field tokens match nothing of, with suggestions: the
        values present in the claims, and for `status` every configured status too."""
        known: dict[Field, list[str]] = {
            field: list(codes.values) for field, codes in self.fields.items()
        }
        known["status"] = list(dict.fromkeys([*self._statuses, *known["status"]]))
        known["source"] = [*known["source"], *self.source_ids.values]
        return query_hints(parse_query(filters.query), known)

    # ------------------------------------------------------------------ summaries

    def count_by_status(self) -> dict[str, int]:
        """Claims per status: every configured status (0 if none), then any others."""
        status = self.fields["status"]
        counted = Counter(status.codes)
        counts = {status.values[code]: count for code, count in counted.items()}
        result = {name: counts.pop(name, 0) for name in self._statuses}
        result.update(sorted(counts.items()))
        return result

    def field_values(self, field: Field, configured: Sequence[str] = ()) -> list[str]:
        """Values a field filter cycles through: present ones, configured order first."""
        codes = self.fields[field]
        present = {codes.values[code] for code in set(codes.codes)}
        ordered = [value for value in configured if value in present]
        ordered.extend(sorted(present - set(ordered)))
        return ordered


def _narrows(previous: Sequence[str], terms: Sequence[str]) -> bool:
    """Whether every claim matching `terms` exactly also matches `previous` exactly."""
    return bool(previous) and all(any(old in new for new in terms) for old in previous)


def _best_first(positions: list[int], totals: list[float]) -> list[int]:
    """Positions by score, best first; equal scores keep their order (a bucket sort)."""
    buckets: dict[float, list[int]] = {}
    for at, total in zip(positions, totals, strict=True):
        bucket = buckets.get(total)
        if bucket is None:
            buckets[total] = [at]
        else:
            bucket.append(at)
    if len(buckets) == 1:
        return positions
    result: list[int] = []
    for total in sorted(buckets, reverse=True):
        result.extend(buckets[total])
    return result


# --------------------------------------------------------------------------- helpers


def cycle_value(values: Sequence[str], current: str | None, step: int) -> str | None:
    """The next value of a cycled filter: None (any), then each value, then None again."""
    options: list[str | None] = [None, *values]
    try:
        position = options.index(current)
    except ValueError:
        position = 0
    return options[(position + step) % len(options)]
