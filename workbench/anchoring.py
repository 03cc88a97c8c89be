"""Finding a claim's quote in its source article.

Quotes are matched after Unicode NFC and whitespace folding, so a quote copied
from a browser (NFD Korean on macOS, non-breaking spaces, a line break in the
middle) still anchors.  Positions are reported in the source's own (NFC) text,
so the app can highlight the quote inside its paragraph.  When a quote does not
occur, the closest passage is reported with its similarity, so fixing the quote
is a copy and paste.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from enum import StrEnum

from rapidfuzz import fuzz

_SPACE_RE = re.compile(r"\s+")


@dataclass(frozen=True, slots=True)
class FoldedText:
    """Text with whitespace runs folded to one space, mapped back to the original."""

    text: str
    offsets: tuple[int, ...]
    """`offsets[i]` is the index in the original text of folded character `i`."""
    original_length: int

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        if start >= end:
            position = self.offsets[start] if start < len(self.offsets) else self.original_length
            return position, position
        return self.offsets[start], self.offsets[end - 1] + 1


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def fold(text: str) -> FoldedText:
    """NFC-normalise (the caller's text should already be NFC) and fold whitespace."""
    characters: list[str] = []
    offsets: list[int] = []
    position = 0
    for match in _SPACE_RE.finditer(text):
        for index in range(position, match.start()):
            characters.append(text[index])
            offsets.append(index)
        characters.append(" ")
        offsets.append(match.start())
        position = match.end()
    for index in range(position, len(text)):
        characters.append(text[index])
        offsets.append(index)
    return FoldedText("".join(characters), tuple(offsets), len(text))


def fold_plain(text: str) -> str:
    """The folded form of a quote, prefix or suffix (no offsets needed)."""
    return _SPACE_RE.sub(" ", nfc(text)).strip()


class AnchorKind(StrEnum):
    EXACT = "exact"
    AMBIGUOUS = "ambiguous"
    SELECTOR_MISMATCH = "selector-mismatch"
    MISSING = "missing"


@dataclass(frozen=True, slots=True)
class Anchor:
    """Where a quote sits in its source (spans in the source's NFC text)."""

    kind: AnchorKind
    spans: tuple[tuple[int, int], ...]
    closest: str = ""
    similarity: float = 0.0

    @property
    def span(self) -> tuple[int, int] | None:
        """The one span the quote refers to, when it is unambiguous."""
        return self.spans[0] if self.kind is AnchorKind.EXACT else None


def find_all(haystack: str, needle: str) -> list[int]:
    starts: list[int] = []
    index = haystack.find(needle)
    while index != -1:
        starts.append(index)
        index = haystack.find(needle, index + 1)
    return starts


def anchor_quote(source: FoldedText, quote: str, prefix: str = "", suffix: str = "") -> Anchor:
    """Locate `quote` in `source`, using prefix/suffix to choose among repeats."""
    needle = fold_plain(quote)
    if not needle:
        return Anchor(AnchorKind.MISSING, ())
    starts = find_all(source.text, needle)
    if not starts:
        return _closest(source, needle)
    folded_prefix = fold_plain(prefix)
    folded_suffix = fold_plain(suffix)
    chosen = starts
    if folded_prefix or folded_suffix:
        chosen = [
            start
            for start in starts
            if source.text[:start].rstrip().endswith(folded_prefix)
            and source.text[start + len(needle) :].lstrip().startswith(folded_suffix)
        ]
    spans = tuple(source.original_span(start, start + len(needle)) for start in chosen)
    if not chosen:
        every = tuple(source.original_span(start, start + len(needle)) for start in starts)
        return Anchor(AnchorKind.SELECTOR_MISMATCH, every)
    if len(chosen) > 1:
        return Anchor(AnchorKind.AMBIGUOUS, spans)
    return Anchor(AnchorKind.EXACT, spans)


def _closest(source: FoldedText, needle: str) -> Anchor:
    alignment = fuzz.partial_ratio_alignment(needle, source.text)
    if alignment is None:  # pragma: no cover - only for empty texts
        return Anchor(AnchorKind.MISSING, ())
    passage = source.text[alignment.dest_start : alignment.dest_end]
    return Anchor(AnchorKind.MISSING, (), closest=passage, similarity=alignment.score)


def paragraph_around(text: str, span: tuple[int, int]) -> tuple[int, int]:
    """The paragraph (blank-line or line delimited) holding `span`, for showing context."""
    start = text.rfind("\n", 0, span[0])
    end = text.find("\n", span[1])
    return (start + 1, len(text) if end == -1 else end)
