"""Every key binding of the app, its screens, modals and widgets, in one place, by id.

Ids are stable names (`workbench.<screen>.<action>`): a user keymap
(`App.set_keymap({"workbench.list.note": "N"})`) refers to them, and the help
screen and the command palette list the bindings from here.  Status keys are
project data (`workbench.toml`), so `status_bindings` makes them per project.

One meaning per key (issue 14; `tests/test_keymap.py` checks it over every
screen): a key bound on several screens does the same there, or the same idea.

- Navigation everywhere: `j`/`down`, `k`/`up`, `g`/`home`, `G`/`end`, page keys;
  `enter` opens what is highlighted or focused (a claim, a related claim, a
  problem's claim); `escape` is one step back out (leave the screen, cancel a
  form, clear the list's search and then its filters, the queue's filters).
- Everywhere: `q` quit, `u` undo, `?` keys, and the screens: `x` conflict queue,
  `p` problems, `R` re-check queue, `D` disagreement queue.
- On a claim: the status keys (`workbench.toml`), `n` note, `v` its article,
  `c` compare; `space` marks in the list, `l` the topic's timeline.
- Filters: `s` status, `t` topic, `a` stance, `o` source (in the conflict queue:
  across sources, then each source pair), `f` kind (of a candidate; of a
  problem, its severity); a capital cycles backwards.  `b` sorts the list.
- `r` runs again what the screen shows (the checks, the queue's candidates).
- Compare and the queue: `C` `B` `F` `U` relate, `]` `[` next and previous pair,
  `y` confirm and `d` dismiss a candidate.  Forms: `ctrl+s` saves; on a choice
  (a stance, a topic) the arrows step through the words and `space` lists them.
"""

from __future__ import annotations

from textual.binding import Binding

from workbench.models import ProjectSettings, RelationKind

FILTER_GROUP = Binding.Group("Filter", compact=True)
"""s t a o: one footer entry for the list's four filter keys."""

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
    # The list's footer is the reviewer's map: every screen (with LIST_FOOTER_BINDINGS)
    # and the keys of a review.  Enter, space and / stay out of it to make the room:
    # enter opens everywhere, `c` says to mark with space, the search field shows `/`.
    Binding(
        "enter",
        "open_detail",
        "Open",
        id="workbench.list.open",
        tooltip="Open the claim",
        show=False,
    ),
    Binding(
        "space",
        "toggle_mark",
        "Mark",
        id="workbench.list.mark",
        tooltip="Mark or unmark the claim for comparison",
        show=False,
    ),
    Binding(
        "c",
        "compare",
        "Compare",
        id="workbench.list.compare",
        tooltip="Compare the claims marked with space side by side",
    ),
    Binding("n", "note", "Note", id="workbench.list.note", tooltip="Add a note to the claim"),
    Binding(
        "slash",
        "search",
        "Search",
        key_display="/",
        id="workbench.list.search",
        tooltip="Search ids, statements and quotes as you type",
        show=False,
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
        "b",
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
    """One binding per status that has a key in `workbench.toml`.

    A status key that the keymap already uses (`c`, `x`...) is left unbound: the
    key keeps its one meaning on every screen, and the help screen says why the
    status has no key (`taken_by`).
    """
    bindings: list[Binding] = []
    for name, info in settings.statuses.items():
        if not info.key or taken_by(info.key) is not None:
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
        tooltip="Open the conflict queue",
    ),
    Binding(
        "p",
        "app.problems",
        "Problems",
        id="workbench.list.problems",
        tooltip="Problems found loading and checking the files",
    ),
    Binding(
        "R",
        "app.recheck_queue",
        "Re-check",
        id="workbench.list.recheck-queue",
        tooltip="Claims whose re-check date has come",
    ),
    Binding(
        "D",
        "app.disagreement_queue",
        "Disagreements",
        id="workbench.list.disagreement-queue",
        tooltip="Claims whose reviewers' latest verdicts differ",
    ),
)
"""The app's screens (its `x` `p` `R` `D`, kept out of the other screens' footers),
shown in the claims list's footer: the same keys and actions, bound on the list."""

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
"""`v` on the list, the detail, Compare and the conflict queue: one binding, kept out of
their full footers."""

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
        priority=True,
    ),
    Binding(
        "k,up",
        "move(-1)",
        "Previous sentence",
        id="workbench.article.previous",
        tooltip="Select the previous sentence",
        priority=True,
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

CHOOSER_BINDINGS: tuple[Binding, ...] = (
    Binding(
        "down",
        "cursor(1)",
        "Next choice",
        id="workbench.chooser.next",
        tooltip="Choose the next word (after the last, the first)",
        show=False,
    ),
    Binding(
        "up",
        "cursor(-1)",
        "Previous choice",
        id="workbench.chooser.previous",
        tooltip="Choose the previous word (before the first, the last)",
        show=False,
    ),
    Binding(
        "right",
        "choose(1)",
        "Next choice",
        id="workbench.chooser.right",
        tooltip="Choose the next word, as down does",
        show=False,
    ),
    Binding(
        "left",
        "choose(-1)",
        "Previous choice",
        id="workbench.chooser.left",
        tooltip="Choose the previous word, as up does",
        show=False,
    ),
    Binding(
        "space",
        "toggle_list",
        "List the choices",
        id="workbench.chooser.list",
        tooltip="Open the list of words under the line (enter picks, escape closes it)",
        show=False,
    ),
)
"""A form's one-line choice (a stance, a topic): the arrows step through the words,
`space` lists them; `enter` is left to the form (it saves, from any field)."""

CHOICE_LIST_BINDINGS: tuple[Binding, ...] = (
    Binding(
        "escape",
        "close",
        "Close the list",
        id="workbench.chooser.close",
        tooltip="Close the list of words, keeping the word chosen before",
        show=False,
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


# -- claim detail, compare and the conflict queue -----------------------------------------

DETAIL_BINDINGS: tuple[Binding, ...] = (
    Binding(
        "escape",
        "back",
        "Back",
        id="workbench.detail.back",
        tooltip="Back to the previous screen",
    ),
    Binding("n", "note", "Note", id="workbench.detail.note", tooltip="Add a note to the history"),
    Binding(
        "enter",
        "open_relation",
        "Open",
        id="workbench.detail.open-relation",
        tooltip="Open the highlighted related claim",
        priority=True,
    ),
    Binding(
        "c",
        "compare_relation",
        "Compare",
        id="workbench.detail.compare-relation",
        tooltip="Compare this claim with the highlighted related claim",
    ),
    VIEW_ARTICLE_QUIET,
)

RELATION_KEYS: dict[str, RelationKind] = {
    "C": "contradicts",
    "B": "supports",
    "F": "same-fact",
    "U": "updates",
}
"""The keys that record a relation between the current pair: capitals that mean
nothing else on any screen."""

RELATION_GROUP = Binding.Group("Relate")

RELATION_TOOLTIPS: dict[RelationKind, str] = {
    "contradicts": "Record that the two claims contradict each other (both files), with a note",
    "supports": "Record that the two claims support each other (both files), with a note",
    "same-fact": "Record that the two claims state the same fact (both files), with a note",
    "updates": "Record that the newer claim updates the older one (its file), with a note",
}

RELATION_BINDINGS: tuple[Binding, ...] = tuple(
    Binding(
        key,
        f"relate('{kind}')",
        f"Relate: {kind}",
        id=f"workbench.compare.relate-{kind}",
        tooltip=RELATION_TOOLTIPS[kind],
        group=RELATION_GROUP,
    )
    for key, kind in RELATION_KEYS.items()
)

COMPARE_BINDINGS: tuple[Binding, ...] = (
    Binding(
        "escape",
        "back",
        "Back",
        id="workbench.compare.back",
        tooltip="Back to the previous screen",
    ),
    *RELATION_BINDINGS,
    Binding(
        "right_square_bracket",
        "next_pair",
        "Next pair",
        key_display="]",
        id="workbench.compare.next-pair",
        tooltip="Compare the next pair of claims",
    ),
    Binding(
        "left_square_bracket",
        "previous_pair",
        "Previous pair",
        key_display="[",
        id="workbench.compare.previous-pair",
        tooltip="Compare the previous pair of claims",
    ),
    Binding(
        "enter",
        "open_detail",
        "Detail",
        id="workbench.compare.open-detail",
        tooltip="Open the focused claim's detail",
    ),
    VIEW_ARTICLE_QUIET,
)

QUEUE_FILTER_GROUP = Binding.Group("Filter", compact=True)
"""f t o: one footer entry for the conflict queue's filter keys."""

QUEUE_FILTER_BINDINGS: tuple[Binding, ...] = (
    Binding(
        "f",
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
        "o",
        "cycle_filter('sources')",
        "Source filter",
        id="workbench.conflicts.filter-sources",
        tooltip="Pairs across two sources, then each pair of sources in turn (then all again)",
        group=QUEUE_FILTER_GROUP,
    ),
)

CONFLICT_QUEUE_BINDINGS: tuple[Binding, ...] = (
    Binding(
        "y",
        "confirm",
        "Confirm",
        id="workbench.conflicts.confirm",
        tooltip="Confirm the pair: choose the relation kind and write your note",
    ),
    Binding(
        "d",
        "dismiss_pair",
        "Dismiss",
        id="workbench.conflicts.dismiss",
        tooltip="Not a conflict: recorded in both files so it is never proposed again",
    ),
    Binding(
        "right_square_bracket",
        "next_pair",
        "Skip",
        key_display="]",
        id="workbench.conflicts.skip",
        tooltip="Leave this pair in the queue and show the next",
    ),
    Binding(
        "left_square_bracket",
        "previous_pair",
        "Previous",
        key_display="[",
        id="workbench.conflicts.previous",
        tooltip="Show the previous pair",
    ),
    Binding(
        "enter",
        "open_detail",
        "Detail",
        id="workbench.conflicts.open-detail",
        tooltip="Open the focused claim's detail",
    ),
    Binding(
        "r",
        "rebuild",
        "Rebuild",
        id="workbench.conflicts.rebuild",
        tooltip="Find the candidates again (after edits or an undo)",
    ),
    *RELATION_BINDINGS,
    *QUEUE_FILTER_BINDINGS,
    VIEW_ARTICLE_QUIET,
    Binding(
        "escape",
        "back",
        "Back",
        id="workbench.conflicts.back",
        tooltip="Clear the filters; with none on, back to the claims",
    ),
)


# -- timeline, problems, help and the note prompts ----------------------------------------

TIMELINE_BINDINGS: tuple[Binding, ...] = (
    Binding("escape", "back", "Back", id="workbench.timeline.back", tooltip="Back to the claims"),
    Binding(
        "enter",
        "open_detail",
        "Open",
        id="workbench.timeline.open",
        tooltip="Open the focused claim's detail",
    ),
    Binding(
        "t",
        "cycle_topic(1)",
        "Next topic",
        id="workbench.timeline.next-topic",
        tooltip="Show the next topic (after the last: all topics)",
    ),
    Binding(
        "T",
        "cycle_topic(-1)",
        "Previous topic",
        id="workbench.timeline.previous-topic",
        tooltip="Show the previous topic",
    ),
    Binding("down,j", "move(1)", "Down", id="workbench.timeline.down", show=False, priority=True),
    Binding("up,k", "move(-1)", "Up", id="workbench.timeline.up", show=False, priority=True),
)
"""The rows' scroll would take the arrows first (and `j` and `k` would not match
them): priority keeps the arrows and `j`/`k` one meaning, the next row."""

PROBLEMS_BINDINGS: tuple[Binding, ...] = (
    Binding("escape", "back", "Back", id="workbench.problems.back", tooltip="Back to the claims"),
    Binding(
        "f",
        "cycle_severity",
        "Severity filter",
        id="workbench.problems.filter",
        tooltip="Show all problems, errors only or warnings only",
    ),
    Binding(
        "r",
        "check_again",
        "Check again",
        id="workbench.problems.check-again",
        tooltip="Run the checks again (after fixing files)",
    ),
    Binding(
        "enter",
        "open_claim",
        "Open claim",
        id="workbench.problems.open",
        tooltip="Open the claim this problem is about (when it loaded)",
        priority=True,
    ),
)

HELP_BINDINGS: tuple[Binding, ...] = (
    Binding(
        "escape",
        "close",
        "Close",
        id="workbench.help.close",
        tooltip="Close the list of keys",
    ),
    Binding(
        "question_mark",
        "app.help",
        "Keys",
        key_display="?",
        id="workbench.help.toggle",
        tooltip="Close the list of keys (the app's `?`, which opens it)",
        show=False,
    ),
)
"""A modal sees none of the app's keys: `?` is bound here to the app's help, which
closes the list again (one meaning); `q` is not bound here, it means quit."""

NOTE_BINDINGS: tuple[Binding, ...] = (
    Binding(
        "escape",
        "cancel",
        "Cancel",
        id="workbench.note.cancel",
        tooltip="Close the form; nothing is written",
    ),
)

PROMPT_BINDINGS: tuple[Binding, ...] = (
    Binding(
        "escape",
        "cancel",
        "Cancel",
        id="workbench.prompt.cancel",
        tooltip="Close without saving",
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


# -- the whole table -----------------------------------------------------------------------

KEYMAP: tuple[Binding, ...] = (
    *APP_BINDINGS,
    *QUEUE_BINDINGS,
    *LIST_BINDINGS,
    *LIST_FOOTER_BINDINGS,
    VIEW_ARTICLE_QUIET,
    *TABLE_BINDINGS,
    *DETAIL_BINDINGS,
    *COMPARE_BINDINGS,
    *CONFLICT_QUEUE_BINDINGS,
    *TIMELINE_BINDINGS,
    *PROBLEMS_BINDINGS,
    *ARTICLE_BINDINGS,
    *CAPTURE_BINDINGS,
    *QUEUE_SCREEN_BINDINGS,
    *VERDICT_FORM_BINDINGS,
    *CHOOSER_BINDINGS,
    *CHOICE_LIST_BINDINGS,
    *CONFIRM_BINDINGS,
    *REVIEWER_PROMPT_BINDINGS,
    *NOTE_BINDINGS,
    *PROMPT_BINDINGS,
    *HELP_BINDINGS,
)
"""Every fixed binding of the app (the status keys come from the project)."""


def taken_by(key: str) -> str | None:
    """What a fixed binding does with `key` (`c` -> "Compare"), None when it is free.

    `key` is as `workbench.toml` writes it (`?`, `+`), so a binding's display counts too.
    """
    for binding in KEYMAP:
        keys = {part.strip() for part in binding.key.split(",")}
        if key in keys or key == binding.key_display:
            return binding.description
    return None
