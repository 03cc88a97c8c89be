"""A claim's quote shown inside its paragraph of the source article, highlighted.

The reviewer judges a quote by its context: what the article says just before
and after.  The paragraph comes from `paragraph_around` and the quote's span
from `Project.anchor`; both are positions in the source's NFC text.  The text
is article data, so it is shown as `Content` (never markup) and the highlight is
a span styled by the `quote-view--quote` component class (set in CSS).
"""

from __future__ import annotations

import re
from typing import ClassVar

from rich.cells import cell_len
from textual.content import Content
from textual.widgets import Static

from workbench.anchoring import Anchor, AnchorKind, paragraph_around

HIGHLIGHT = ".quote-view--quote"
"""The span style: a component class, so the theme and CSS decide the colours."""

NOTE = ".quote-view--note"

QUOTE_COMPONENTS = frozenset({"quote-view--quote", "quote-view--note"})
"""The component classes that `HIGHLIGHT` and `NOTE` name."""

QUOTE_COMPONENT_CSS = """
    & > .quote-view--quote {
        text-style: bold;
        color: $text-warning;
        background: $warning-muted;
    }
    & > .quote-view--note {
        color: $text-muted;
        text-style: italic;
    }
"""
"""Their look, nested in the CSS of a widget that draws a quote (`QuoteView` and the
claim detail's `ClaimText`)."""

ELLIPSIS = "…"

_CONTROL_RE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def _visible(text: str) -> str:
    """Control characters become spaces, so offsets into the text stay valid."""
    return _CONTROL_RE.sub(" ", text)


def quote_in_context(
    text: str,
    span: tuple[int, int],
    *,
    context: int | None = None,
) -> Content:
    """The paragraph around `span` with the span highlighted.

    `context` limits how many terminal cells are kept on each side of the quote
    (Korean characters take two; cut at a space where there is one, marked with
    an ellipsis); None keeps the whole paragraph.
    """
    paragraph_start, paragraph_end = paragraph_around(text, span)
    quote_start, quote_end = span
    while paragraph_start < quote_start and text[paragraph_start].isspace():
        paragraph_start += 1
    while paragraph_end > quote_end and text[paragraph_end - 1].isspace():
        paragraph_end -= 1
    start, end = paragraph_start, paragraph_end
    if context is not None:
        start = _cut_before(text, start, quote_start, context)
        end = _cut_after(text, end, quote_end, context)
    before = _visible(text[start:quote_start])
    quote = _visible(text[quote_start:quote_end])
    after = _visible(text[quote_end:end])
    lead = ELLIPSIS if start > paragraph_start else ""
    tail = ELLIPSIS if end < paragraph_end else ""
    return Content.assemble(lead, before, (quote, HIGHLIGHT), after, tail)


def _cut_before(text: str, start: int, quote_start: int, context: int) -> int:
    """Where to start so that at most `context` cells show before the quote."""
    cells = 0
    position = quote_start
    while position > start:
        cells += cell_len(text[position - 1])
        if cells > context:
            break
        position -= 1
    if position == start:
        return start
    space = text.find(" ", position, quote_start)
    return space + 1 if space != -1 else position


def _cut_after(text: str, end: int, quote_end: int, context: int) -> int:
    """Where to end so that at most `context` cells show after the quote."""
    cells = 0
    position = quote_end
    while position < end:
        cells += cell_len(text[position])
        if cells > context:
            break
        position += 1
    if position == end:
        return end
    space = text.rfind(" ", quote_end, position)
    return space if space > quote_end else position


def quote_content(
    text: str,
    anchor: Anchor | None,
    quote: str,
    *,
    context: int | None = None,
) -> Content:
    """The quote in context when it anchors; otherwise the quote and why it does not."""
    if anchor is not None and anchor.kind is AnchorKind.EXACT and anchor.span is not None:
        return quote_in_context(text, anchor.span, context=context)
    if anchor is not None and anchor.spans:
        shown = quote_in_context(text, anchor.spans[0], context=context)
        why = (
            f"the quote occurs {len(anchor.spans)} times; the first is shown"
            if anchor.kind is AnchorKind.AMBIGUOUS
            else "the prefix/suffix match no occurrence; the first is shown"
        )
        return Content.assemble(shown, "\n", (why, NOTE))
    if anchor is None:
        why = "the source is unknown, so the quote cannot be shown in context"
        return Content.assemble((_visible(quote), HIGHLIGHT), "\n", (why, NOTE))
    why = "the quote does not occur in the source"
    if anchor.closest:
        why += f" (closest passage, {anchor.similarity:.0f}% similar: "
        return Content.assemble(
            (_visible(quote), HIGHLIGHT),
            "\n",
            (why, NOTE),
            _visible(anchor.closest),
            (")", NOTE),
        )
    return Content.assemble((_visible(quote), HIGHLIGHT), "\n", (why, NOTE))


class QuoteView(Static):
    """The quote inside its paragraph; update it with `show`."""

    COMPONENT_CLASSES: ClassVar[set[str]] = set(QUOTE_COMPONENTS)

    DEFAULT_CSS = f"""
    QuoteView {{
        height: auto;
        padding: 0 1;
        {QUOTE_COMPONENT_CSS}
    }}
    """

    def __init__(
        self,
        text: str = "",
        anchor: Anchor | None = None,
        quote: str = "",
        *,
        context: int | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        self.context = context
        super().__init__(
            quote_content(text, anchor, quote, context=context) if quote else Content(""),
            id=id,
            classes=classes,
        )

    def show(self, text: str, anchor: Anchor | None, quote: str) -> None:
        """Show `quote` (anchored by `anchor` in `text`)."""
        self.update(quote_content(text, anchor, quote, context=self.context))
