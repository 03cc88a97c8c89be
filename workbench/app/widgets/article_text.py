"""`ArticleText`: an article, one sentence a line (wrapped), in one scrolling widget.

The article view showed each sentence as a widget of its own, so opening it cost
a widget (mounted, styled, laid out) per sentence: most of the time to open it,
and more for a longer article.  This widget lays the sentences out itself and
draws only the lines on screen (`render_line`), as the claims list does: a
paragraph's first sentence after a blank line, the selected sentences on a
highlighted band the full width of the text, as before.
"""

from __future__ import annotations

from typing import ClassVar

from textual.content import Content
from textual.geometry import Size
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.visual import Visual


class ArticleText(ScrollView, can_focus=True):
    """Sentences with a selection (`first`..`last`); the screen moves the selection."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {"article-text--selected"}

    DEFAULT_CSS = """
    ArticleText {
        height: 1fr;
        & > .article-text--selected {
            background: $accent 30%;
        }
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.sentences: list[Content] = []
        """Each sentence's text, as shown (the claim's quote highlighted)."""
        self.paragraph_starts: frozenset[int] = frozenset()
        self.selected: tuple[int, int] = (0, -1)
        """The first and last selected sentence (none when last < first)."""
        self._lines: list[tuple[int, int]] = []
        """Each line of the layout: (sentence, line within it), or (-1, 0) for the
        blank line before a paragraph."""
        self._first_line: list[int] = []
        """The layout's first line of each sentence."""
        self._wrapped: dict[int, list[Strip]] = {}
        """Each sentence's lines as last drawn (selected or not) at `_width`."""
        self._width = 0
        self._centred: int | None = None
        """The sentence last brought to the middle: again after a new layout (the
        width changes when the scroll bar comes or goes, and the lines with it)."""

    def show(
        self, sentences: list[Content], paragraph_starts: frozenset[int], selected: tuple[int, int]
    ) -> None:
        """Show these sentences (laid out anew)."""
        self.sentences = sentences
        self.paragraph_starts = paragraph_starts
        self.selected = selected
        self._width = 0
        self._relayout()

    def update_sentence(self, index: int, sentence: Content) -> None:
        """Show one sentence's new text (the same words, other highlights)."""
        self.sentences[index] = sentence
        self._width = 0
        self._relayout()

    def select(self, first: int, last: int) -> None:
        """Highlight sentences `first`..`last`."""
        if (first, last) == self.selected:
            return
        changed = set(range(*self._bounds(self.selected))) ^ set(range(first, last + 1))
        self.selected = (first, last)
        for index in changed:
            self._wrapped.pop(index, None)
        self.refresh()

    def sentence_lines(self, index: int) -> tuple[int, int]:
        """The first line of sentence `index` and its number of lines, as laid out."""
        self._relayout()
        if not (0 <= index < len(self._first_line)):
            return (0, 0)
        start = self._first_line[index]
        return (start, len(self._strips(index)))

    def scroll_to_sentence(self, index: int) -> None:
        """Bring sentence `index` to the middle of the view."""
        self._centred = index
        start, count = self.sentence_lines(index)
        middle = start + count // 2
        self.scroll_to(y=max(0, middle - self.scrollable_content_region.height // 2), animate=False)

    # -- layout and drawing ------------------------------------------------------------

    @staticmethod
    def _bounds(selected: tuple[int, int]) -> tuple[int, int]:
        return (selected[0], selected[1] + 1)

    def on_resize(self) -> None:
        self._relayout()

    def _text_width(self) -> int:
        return self.scrollable_content_region.width

    def _strips(self, index: int) -> list[Strip]:
        """Sentence `index` wrapped to the width, on the selection's band if selected."""
        strips = self._wrapped.get(index)
        if strips is None:
            first, last = self.selected
            style = (
                self.get_visual_style("article-text--selected")
                if first <= index <= last
                else self.visual_style
            )
            width = max(1, self._width)
            strips = Visual.to_strips(self, self.sentences[index], width, None, style, pad=True)
            strips = [strip.adjust_cell_length(width, style.rich_style) for strip in strips]
            self._wrapped[index] = strips or [Strip.blank(width, style.rich_style)]
        return self._wrapped[index]

    def _relayout(self) -> None:
        width = self._text_width()
        if width <= 0:  # not laid out yet: nothing to wrap to
            return
        if width == self._width and self._lines:
            return
        self._width = width
        self._wrapped.clear()
        lines: list[tuple[int, int]] = []
        first_line: list[int] = []
        for index in range(len(self.sentences)):
            if index and index in self.paragraph_starts:
                lines.append((-1, 0))
            first_line.append(len(lines))
            lines.extend((index, line) for line in range(len(self._strips(index))))
        self._lines, self._first_line = lines, first_line
        self.virtual_size = Size(width, len(lines))
        self.refresh()
        if self._centred is not None:
            self.call_after_refresh(self.scroll_to_sentence, self._centred)

    def render_line(self, y: int) -> Strip:
        self._relayout()
        number = y + self.scroll_offset.y
        width = self._width
        if not (0 <= number < len(self._lines)):
            return Strip.blank(width, self.rich_style)
        index, line = self._lines[number]
        if index < 0:
            return Strip.blank(width, self.rich_style)
        strips = self._strips(index)
        return strips[line] if line < len(strips) else Strip.blank(width, self.rich_style)
