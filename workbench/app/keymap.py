"""Every key binding of the app and the claims list, in one place, each with an id.

Ids are stable names (`workbench.<screen>.<action>`): a user keymap
(`App.set_keymap({"workbench.list.note": "N"})`) refers to them, and the help
screen and the command palette list the bindings from here.  Status keys are
project data (`workbench.toml`), so `status_bindings` makes them per project.
"""

from __future__ import annotations

from textual.binding import Binding

from workbench.models import ProjectSettings

FILTER_GROUP = Binding.Group("Filter", compact=True)
"""s t a o: one footer entry for the four filter keys."""

STATUS_GROUP = Binding.Group("Status", compact=True)
"""The status keys: one footer entry."""

APP_BINDINGS: tuple[Binding, ...] = (
    Binding("q", "quit", "Quit", id="workbench.app.quit", tooltip="Leave the review app"),
    Binding(
        "u",
        "undo",
        "Undo",
        id="workbench.app.undo",
        tooltip="Undo the last change with a further history entry",
    ),
    Binding(
        "question_mark",
        "help",
        "Keys",
        key_display="?",
        id="workbench.app.help",
        tooltip="Show every key of this screen and every status key",
    ),
    Binding(
        "x",
        "conflicts",
        "Conflicts",
        id="workbench.app.conflicts",
        tooltip="Open the conflict queue",
        show=False,
    ),
    Binding(
        "p",
        "problems",
        "Problems",
        id="workbench.app.problems",
        tooltip="List the problems found loading and checking the files",
        show=False,
    ),
)

LIST_BINDINGS: tuple[Binding, ...] = (
    Binding("enter", "open_detail", "Open", id="workbench.list.open", tooltip="Open the claim"),
    Binding(
        "space",
        "toggle_mark",
        "Mark",
        id="workbench.list.mark",
        tooltip="Mark or unmark the claim for comparison",
    ),
    Binding(
        "c",
        "compare",
        "Compare",
        id="workbench.list.compare",
        tooltip="Compare the marked claims side by side",
    ),
    Binding("n", "note", "Note", id="workbench.list.note", tooltip="Add a note to the claim"),
    Binding(
        "slash",
        "search",
        "Search",
        key_display="/",
        id="workbench.list.search",
        tooltip="Search ids, statements and quotes as you type",
    ),
    Binding(
        "escape",
        "clear",
        "Clear",
        id="workbench.list.clear",
        tooltip="Clear the search, then the filters",
        show=False,
    ),
    Binding(
        "s",
        "cycle('status', 1)",
        "Status filter",
        id="workbench.list.filter-status",
        tooltip="Show only the next status (then all again)",
        group=FILTER_GROUP,
    ),
    Binding(
        "S",
        "cycle('status', -1)",
        "Status filter (back)",
        id="workbench.list.filter-status-back",
        tooltip="Cycle the status filter backwards",
        show=False,
    ),
    Binding(
        "t",
        "cycle('topic', 1)",
        "Topic filter",
        id="workbench.list.filter-topic",
        tooltip="Show only the next topic (then all again)",
        group=FILTER_GROUP,
    ),
    Binding(
        "T",
        "cycle('topic', -1)",
        "Topic filter (back)",
        id="workbench.list.filter-topic-back",
        tooltip="Cycle the topic filter backwards",
        show=False,
    ),
    Binding(
        "a",
        "cycle('stance', 1)",
        "Stance filter",
        id="workbench.list.filter-stance",
        tooltip="Show only the next stance (then all again)",
        group=FILTER_GROUP,
    ),
    Binding(
        "A",
        "cycle('stance', -1)",
        "Stance filter (back)",
        id="workbench.list.filter-stance-back",
        tooltip="Cycle the stance filter backwards",
        show=False,
    ),
    Binding(
        "o",
        "cycle('source', 1)",
        "Source filter",
        id="workbench.list.filter-source",
        tooltip="Show only the next source outlet (then all again)",
        group=FILTER_GROUP,
    ),
    Binding(
        "O",
        "cycle('source', -1)",
        "Source filter (back)",
        id="workbench.list.filter-source-back",
        tooltip="Cycle the source filter backwards",
        show=False,
    ),
    Binding(
        "r",
        "cycle_sort",
        "Sort",
        id="workbench.list.sort",
        tooltip="Sort by source date, then status, then id",
    ),
    Binding(
        "l",
        "timeline",
        "Timeline",
        id="workbench.list.timeline",
        tooltip="Timeline of the claim's topic",
    ),
)

TABLE_BINDINGS: tuple[Binding, ...] = (
    Binding("down,j", "cursor(1)", "Down", id="workbench.table.down", show=False),
    Binding("up,k", "cursor(-1)", "Up", id="workbench.table.up", show=False),
    Binding("pagedown,ctrl+f", "page(1)", "Page down", id="workbench.table.page-down", show=False),
    Binding("pageup,ctrl+b", "page(-1)", "Page up", id="workbench.table.page-up", show=False),
    Binding("home,g", "first", "First claim", id="workbench.table.first", show=False),
    Binding("end,G", "last", "Last claim", id="workbench.table.last", show=False),
)


def status_bindings(settings: ProjectSettings) -> list[Binding]:
    """One binding per status that has a key in `workbench.toml`."""
    bindings: list[Binding] = []
    for name, info in settings.statuses.items():
        if not info.key:
            continue
        bindings.append(
            Binding(
                info.key,
                f"set_status({name!r})",
                f"Mark {name}",
                id=f"workbench.status.{name}",
                tooltip=info.meaning,
                group=STATUS_GROUP,
            )
        )
    return bindings


# -- the reviewer's desk (issue 14): article view, capture, queues ------------------------
# Keys with one meaning on every screen that has them: `v` view the article, `+` a new
# claim from the selection, `R` the re-check queue, `D` the disagreement queue.

VIEW_ARTICLE_KEY = "v"

LIST_FOOTER_BINDINGS: tuple[Binding, ...] = (
    Binding(
        "x",
        "app.conflicts",
        "Conflicts",
        id="workbench.list.conflicts",
        tooltip="Open the conflict queue (the app's `x`, shown in the list's footer)",
    ),
    Binding(
        "p",
        "app.problems",
        "Problems",
        id="workbench.list.problems",
        tooltip="List the problems found loading and checking the files (the app's `p`)",
    ),
)
"""The app's `x` and `p`, listed in the claims list's footer (same keys, same actions)."""

VIEW_ARTICLE_BINDING = Binding(
    VIEW_ARTICLE_KEY,
    "view_article",
    "Article",
    id="workbench.claim.view-article",
    tooltip="View the whole article, scrolled to the claim's quote; capture claims from it",
)

VIEW_ARTICLE_QUIET = Binding(
    VIEW_ARTICLE_KEY,
    "view_article",
    "Article",
    id="workbench.claim.view-article",
    tooltip=VIEW_ARTICLE_BINDING.tooltip,
    show=False,
)
"""`v` on the detail and compare screens: the same binding, kept out of their full footers."""

QUEUE_BINDINGS: tuple[Binding, ...] = (
    Binding(
        "R",
        "recheck_queue",
        "Re-check",
        id="workbench.app.recheck-queue",
        tooltip="Claims whose re-check date has come",
        show=False,
    ),
    Binding(
        "D",
        "disagreement_queue",
        "Disagreements",
        id="workbench.app.disagreement-queue",
        tooltip="Claims whose reviewers' latest verdicts differ",
        show=False,
    ),
)

ARTICLE_BINDINGS: tuple[Binding, ...] = (
    Binding("escape", "back", "Back", id="workbench.article.back", tooltip="Back to the claim"),
    Binding(
        "j,down",
        "move(1)",
        "Next sentence",
        id="workbench.article.next",
        tooltip="Select the next sentence",
    ),
    Binding(
        "k,up",
        "move(-1)",
        "Previous sentence",
        id="workbench.article.previous",
        tooltip="Select the previous sentence",
    ),
    Binding(
        "J,shift+down",
        "extend(1)",
        "Extend",
        id="workbench.article.extend-down",
        tooltip="Extend the selection by the next sentence",
    ),
    Binding(
        "K,shift+up",
        "extend(-1)",
        "Extend up",
        id="workbench.article.extend-up",
        tooltip="Extend the selection by the previous sentence",
        show=False,
    ),
    Binding(
        "plus",
        "capture",
        "New claim",
        key_display="+",
        id="workbench.article.capture",
        tooltip="Start a claim from the selected sentences",
    ),
)

CAPTURE_BINDINGS: tuple[Binding, ...] = (
    Binding(
        "escape",
        "cancel",
        "Cancel",
        id="workbench.capture.cancel",
        tooltip="Close the form; nothing is written",
    ),
    Binding(
        "ctrl+s",
        "submit",
        "Write claim",
        id="workbench.capture.submit",
        tooltip="Write the claim (enter in a field does the same)",
        priority=True,
    ),
)

QUEUE_SCREEN_BINDINGS: tuple[Binding, ...] = (
    Binding("escape", "back", "Back", id="workbench.queue.back", tooltip="Back"),
    Binding(
        "enter",
        "open_claim",
        "Open",
        id="workbench.queue.open",
        tooltip="Open the highlighted claim",
        priority=True,
    ),
)

VERDICT_FORM_BINDINGS: tuple[Binding, ...] = (
    Binding(
        "escape",
        "cancel",
        "Cancel",
        id="workbench.verdict.cancel",
        tooltip="Close the form; nothing is written",
    ),
    Binding(
        "ctrl+s",
        "submit",
        "Save verdict",
        id="workbench.verdict.submit",
        tooltip="Check the verdict and write it (enter in a field does the same)",
        priority=True,
    ),
)

REVIEWER_PROMPT_BINDINGS: tuple[Binding, ...] = (
    Binding(
        "escape",
        "cancel",
        "Quit",
        id="workbench.reviewer.cancel",
        tooltip="No name, no review: close the app",
    ),
)


QUEUE_FILTER_GROUP = Binding.Group("Filter", compact=True)
"""k t v a: one footer entry for the conflict queue's filter keys."""

QUEUE_FILTER_BINDINGS: tuple[Binding, ...] = (
    Binding(
        "k",
        "cycle_filter('kind')",
        "Kind filter",
        id="workbench.conflicts.filter-kind",
        tooltip="Show only the next kind of candidate (then all again)",
        group=QUEUE_FILTER_GROUP,
    ),
    Binding(
        "t",
        "cycle_filter('topic')",
        "Topic filter",
        id="workbench.conflicts.filter-topic",
        tooltip="Show only pairs on the next topic (then all again)",
        group=QUEUE_FILTER_GROUP,
    ),
    Binding(
        "v",
        "cycle_filter('sources')",
        "Source pair filter",
        id="workbench.conflicts.filter-sources",
        tooltip="Show only the next pair of sources, one versus the other (then all again)",
        group=QUEUE_FILTER_GROUP,
    ),
    Binding(
        "a",
        "toggle_across",
        "Across sources",
        id="workbench.conflicts.filter-across",
        tooltip="Show only pairs from two different sources (again: all pairs)",
        group=QUEUE_FILTER_GROUP,
    ),
    Binding(
        "c",
        "clear_filters",
        "Clear filters",
        id="workbench.conflicts.filter-clear",
        tooltip="Show every candidate again",
        show=False,
    ),
)

CONFIRM_BINDINGS: tuple[Binding, ...] = (
    Binding(
        "escape",
        "cancel",
        "Cancel",
        id="workbench.confirm.cancel",
        tooltip="Close the form; nothing is written",
    ),
    Binding(
        "ctrl+s",
        "save",
        "Save",
        id="workbench.confirm.save",
        tooltip="Record the relation with the chosen kind and your note (enter in the note too)",
    ),
    Binding(
        "ctrl+r",
        "keep_reason",
        "Keep reason",
        id="workbench.confirm.keep-reason",
        tooltip="Put the engine's reason in the note, to keep or edit deliberately",
    ),
)
