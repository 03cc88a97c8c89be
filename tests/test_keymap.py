"""One meaning per key on every screen, and every binding from the one keymap (issue 14).

The bindings are collected from the classes themselves: every screen, modal,
widget and the app in `workbench.app` (and the Textual classes they build on,
whose keys are live on our screens too), plus the status keys the bundled
`workbench.toml` binds.  A key may be bound on many screens, but it must mean
the same there: the same action, or one of the explicit equivalences below
(`escape` leaves a screen, closes a form or clears the search: one step back
out).  The navigation keys keep their navigation meaning everywhere.
"""

from __future__ import annotations

import asyncio
import importlib
import inspect
import pkgutil
import re
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from textual.binding import Binding
from textual.content import Content
from textual.dom import DOMNode
from textual.screen import Screen
from textual.widgets import Input, Static

import workbench.app.app
import workbench.app.screens
import workbench.app.widgets
from tests.conftest import ProjectFactory
from tests.test_app_screens import build_project
from workbench.app import keymap
from workbench.app.app import ReviewApp
from workbench.app.screens.article import ArticleScreen, CaptureForm
from workbench.app.screens.claims_list import ClaimsListScreen
from workbench.app.screens.compare import CompareScreen
from workbench.app.screens.confirm import ConfirmRelationScreen
from workbench.app.screens.conflicts import ConflictQueueScreen
from workbench.app.screens.detail import DetailScreen, NotePrompt
from workbench.app.screens.help import HelpScreen
from workbench.app.screens.note import NoteScreen
from workbench.app.screens.problems import ProblemsScreen
from workbench.app.screens.queues import DisagreementQueueScreen, RecheckQueueScreen
from workbench.app.screens.timeline import TimelineScreen
from workbench.app.screens.verdict import VerdictForm
from workbench.config import load_settings
from workbench.project import load_project

ROOT = Path(__file__).resolve().parent.parent

SAME_IDEA: dict[str, frozenset[str]] = {
    # escape: one step back out (leave the screen, close or cancel a form, clear the
    # search and then the filters of the screen that has nowhere to go back to)
    "back out": frozenset({"back", "cancel", "close", "clear"}),
    # navigation, whatever moves: a table's cursor, a sentence, a timeline row, a scroll
    "down": frozenset({"cursor(1)", "move(1)", "scroll_down", "cursor_down"}),
    "up": frozenset({"cursor(-1)", "move(-1)", "scroll_up", "cursor_up"}),
    "first": frozenset({"first", "scroll_home"}),
    "last": frozenset({"last", "scroll_end"}),
    # sideways, whatever moves: a scroll, a form's choice (a stance, a topic)
    "left": frozenset({"scroll_left", "choose(-1)"}),
    "right": frozenset({"scroll_right", "choose(1)"}),
    # space toggles what is under the cursor: a row's mark, a choice's list of words
    "toggle": frozenset({"toggle_mark", "toggle_list"}),
    "page down": frozenset({"page(1)", "page_down"}),
    "page up": frozenset({"page(-1)", "page_up"}),
    "open": frozenset({"open_detail", "open_relation", "open_claim", "select"}),
    # one idea on several screens
    "compare": frozenset({"compare", "compare_relation"}),
    "topic filter": frozenset({"cycle('topic', 1)", "cycle_filter('topic')", "cycle_topic(1)"}),
    "topic filter back": frozenset({"cycle('topic', -1)", "cycle_topic(-1)"}),
    "source filter": frozenset({"cycle('source', 1)", "cycle_filter('sources')"}),
    # the kind of what the screen lists: a candidate's kind; a problem's, its severity
    "kind filter": frozenset({"cycle_filter('kind')", "cycle_severity"}),
    "run again": frozenset({"rebuild", "check_again"}),
    "save the form": frozenset({"submit", "save"}),
    # Textual's own ctrl+c: the screen's copy stands in front of the app's quit hint
    "copy": frozenset({"copy_text", "help_quit"}),
}
"""Actions that are one meaning; any other action is a meaning of its own."""

MEANING_OF: dict[str, str] = {
    action: meaning for meaning, actions in SAME_IDEA.items() for action in actions
}

NAVIGATION: dict[str, str] = {
    "j": "down",
    "down": "down",
    "k": "up",
    "up": "up",
    "g": "first",
    "home": "first",
    "G": "last",
    "end": "last",
    "pagedown": "page down",
    "pageup": "page up",
    "enter": "open",
    "escape": "back out",
}
"""Keys that move or go in and out: wherever they are bound, they mean this."""

SYNONYMS = (("j", "down"), ("k", "up"), ("g", "home"), ("G", "end"))
"""On a running screen, where both are live, the letter and the arrow do one action."""


def meaning(action: str) -> str:
    """The idea an action stands for: `app.conflicts` and `conflicts` are one."""
    bare = re.sub(r"^(app|screen)\.", "", action)
    return MEANING_OF.get(bare, bare)


def app_classes() -> Iterator[type[DOMNode]]:
    """Every screen, modal, widget and app class that `workbench.app` defines."""
    packages = (workbench.app.screens, workbench.app.widgets)
    modules = [workbench.app.app] + [
        importlib.import_module(f"{package.__name__}.{info.name}")
        for package in packages
        for info in pkgutil.iter_modules(package.__path__)
    ]
    for module in modules:
        for value in vars(module).values():
            if (
                inspect.isclass(value)
                and issubclass(value, DOMNode)
                and value.__module__ == module.__name__
            ):
                yield value


def declared(cls: type[DOMNode]) -> list[tuple[str, Binding]]:
    """(class name, binding) for every binding in `cls`'s hierarchy, Textual's included."""
    return [
        (base.__qualname__, binding)
        for base in cls.__mro__
        if "BINDINGS" in base.__dict__
        for binding in Binding.make_bindings(base.__dict__["BINDINGS"])
    ]


def bundled_status_bindings() -> list[Binding]:
    settings, problems = load_settings(ROOT)
    assert not problems, problems
    return keymap.status_bindings(settings)


def all_bindings() -> list[tuple[str, Binding]]:
    found = [pair for cls in app_classes() for pair in declared(cls)]
    found += [("status keys (workbench.toml)", binding) for binding in bundled_status_bindings()]
    return found


def meanings_by_key(found: list[tuple[str, Binding]]) -> dict[str, dict[str, set[str]]]:
    """key -> meaning -> where (class and action) it is bound so."""
    by_key: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for where, binding in found:
        for key in binding.key.split(","):
            by_key[key.strip()][meaning(binding.action)].add(f"{where}: {binding.action}")
    return by_key


def test_no_key_means_two_things() -> None:
    clashes = {
        key: {idea: sorted(places) for idea, places in ideas.items()}
        for key, ideas in meanings_by_key(all_bindings()).items()
        if len(ideas) > 1
    }
    assert not clashes, "keys bound to more than one meaning:\n" + "\n".join(
        f"  {key}: {ideas}" for key, ideas in sorted(clashes.items())
    )


def test_navigation_keys_keep_their_meaning() -> None:
    wrong = {
        key: sorted(ideas)
        for key, ideas in meanings_by_key(all_bindings()).items()
        if key in NAVIGATION and set(ideas) != {NAVIGATION[key]}
    }
    assert not wrong, f"navigation keys bound to something else: {wrong}"


def keymap_bindings() -> list[Binding]:
    """Every Binding that `workbench.app.keymap` defines, alone or in a tuple or list."""
    found: list[Binding] = []
    for value in vars(keymap).values():
        if isinstance(value, Binding):
            found.append(value)
        elif isinstance(value, tuple | list):
            found.extend(item for item in value if isinstance(item, Binding))
    return found


def test_every_binding_of_the_app_comes_from_the_keymap() -> None:
    """A screen that writes its own `Binding(...)` goes around the table: by id, key, action."""
    table = {(b.id, b.key, b.action) for b in Binding.make_bindings(keymap_bindings())}
    outside = sorted(
        f"{cls.__qualname__}: {binding.id} {binding.key!r} -> {binding.action}"
        for cls in app_classes()
        if "BINDINGS" in cls.__dict__
        for binding in Binding.make_bindings(cls.__dict__["BINDINGS"])
        if (binding.id, binding.key, binding.action) not in table
    )
    assert not outside, "bindings not in keymap.py:\n" + "\n".join(outside)


def test_an_id_names_one_binding() -> None:
    """Two bindings with one id would make a user keymap rebind both at once."""
    by_id: dict[str, set[tuple[str, str]]] = defaultdict(set)
    for binding in keymap_bindings():
        assert binding.id and binding.id.startswith("workbench."), binding
        by_id[binding.id].add((binding.key, binding.action))
    assert {id_: keys for id_, keys in by_id.items() if len(keys) > 1} == {}


def test_every_binding_of_ours_says_what_it_does() -> None:
    """The footer, the help screen and the command palette show the description."""
    silent = [
        (where, binding.id)
        for where, binding in all_bindings()
        if binding.id and binding.id.startswith("workbench.") and not binding.description
    ]
    assert not silent


# -- the same rule, on the screens as they run -------------------------------------------


async def _walk_every_screen(root: Path) -> dict[str, list[tuple[str, Binding]]]:
    """Open every screen and modal with its own key, from the claims list; collect the
    bindings active on each (text fields aside: while one has focus, typing is typing)."""
    app = ReviewApp(load_project(root, use_cache=False), "tester", poll_seconds=None)
    seen: dict[str, list[tuple[str, Binding]]] = {}

    async with app.run_test(size=(120, 40)) as pilot:

        async def visit(keys: tuple[str, ...], expected: type[Screen[Any]]) -> None:
            await pilot.press(*keys)
            for _ in range(3):
                await app.workers.wait_for_complete()
                await pilot.pause()
            screen = app.screen
            assert isinstance(screen, expected), (keys, screen)
            name = type(screen).__name__
            seen[name] = [
                (name, active.binding)
                for active in screen.active_bindings.values()
                if not isinstance(active.node, Input)
            ]

        await visit((), ClaimsListScreen)
        await visit(("question_mark",), HelpScreen)
        await visit(("question_mark",), ClaimsListScreen)  # `?` again closes it
        await visit(("n",), NoteScreen)
        await visit(("escape", "enter"), DetailScreen)
        await visit(("4",), VerdictForm)
        await visit(("escape", "v"), ArticleScreen)
        await visit(("plus",), CaptureForm)
        await visit(("escape", "escape", "escape", "space", "j", "space", "c"), CompareScreen)
        await visit(("C",), NotePrompt)
        await visit(("escape", "escape", "l"), TimelineScreen)
        await visit(("escape", "x"), ConflictQueueScreen)
        await visit(("y",), ConfirmRelationScreen)
        await visit(("escape", "escape", "p"), ProblemsScreen)
        await visit(("escape", "R"), RecheckQueueScreen)
        await visit(("escape", "D"), DisagreementQueueScreen)
        await visit(("escape",), ClaimsListScreen)
    return seen


def test_the_rule_holds_on_every_running_screen(
    make_project: ProjectFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What the screens bind at run time (status keys merged in, widgets' own keys in
    the focus chain) obeys the rule too, and comes from the keymap by id."""
    monkeypatch.setattr(ConflictQueueScreen, "semantic", False)
    root = build_project(make_project)
    config = root / "workbench.toml"
    config.write_text(
        config.read_text(encoding="utf-8").replace(
            'meaning = "Wrong."\nkey = "4"\n',
            'meaning = "Wrong."\nkey = "4"\nrequires_note = true\n',
        ),
        encoding="utf-8",
    )
    seen = asyncio.run(_walk_every_screen(root))
    found = [pair for pairs in seen.values() for pair in pairs]
    clashes = {
        key: {idea: sorted(places) for idea, places in ideas.items()}
        for key, ideas in meanings_by_key(found).items()
        if len(ideas) > 1
    }
    assert not clashes, "keys bound to more than one meaning:\n" + "\n".join(
        f"  {key}: {ideas}" for key, ideas in sorted(clashes.items())
    )
    wrong = {
        key: sorted(ideas)
        for key, ideas in meanings_by_key(found).items()
        if key in NAVIGATION and set(ideas) != {NAVIGATION[key]}
    }
    assert not wrong
    for name, pairs in seen.items():  # j and down, k and up... do the very same thing
        action_of = {binding.key: binding.action for _, binding in pairs}
        for letter, arrow in SYNONYMS:
            if letter in action_of and arrow in action_of:
                assert action_of[letter] == action_of[arrow], (name, letter, arrow, action_of)
    settings, _ = load_settings(root)
    table = {
        (b.id, b.key, b.action)
        for b in Binding.make_bindings([*keymap_bindings(), *keymap.status_bindings(settings)])
    }
    ours = [binding for _, binding in found if binding.id and binding.id.startswith("workbench.")]
    assert ours
    assert [b for b in ours if (b.id, b.key, b.action) not in table] == []
    assert any(b.action.startswith("set_status(") for _, b in seen["DetailScreen"])


def test_the_keymap_table_lists_every_binding_it_defines() -> None:
    assert {b.id for b in keymap.KEYMAP} == {b.id for b in keymap_bindings()}


def test_a_status_key_the_app_already_uses_is_left_unbound(
    make_project: ProjectFactory,
) -> None:
    """Status keys are data: `c` for a status would make `c` mean two things, so the
    status goes without a key, `c` stays Compare, and the help says what to do."""
    root = build_project(make_project)
    config = root / "workbench.toml"
    text = config.read_text(encoding="utf-8")
    config.write_text(text.replace('key = "4"', 'key = "c"'), encoding="utf-8")
    settings, problems = load_settings(root)
    assert not problems
    assert [b.key for b in keymap.status_bindings(settings)] == ["0", "1"]
    assert keymap.taken_by("c") == "Compare" and keymap.taken_by("?") == "Keys"
    assert keymap.taken_by("4") is None
    found = [pair for cls in app_classes() for pair in declared(cls)]
    found += [("status keys", b) for b in keymap.status_bindings(settings)]
    assert all(len(ideas) == 1 for ideas in meanings_by_key(found).values())

    async def open_help() -> str:
        app = ReviewApp(load_project(root, use_cache=False), "tester", poll_seconds=None)
        async with app.run_test(size=(120, 50)) as pilot:
            await app.workers.wait_for_complete()
            bar = app.screen.query_one("#status-bar", Static).content
            bar_text = bar.plain if isinstance(bar, Content) else str(bar)
            assert "c:" not in bar_text and "0:unreviewed" in bar_text  # no key it lacks
            await pilot.press("question_mark")
            await pilot.pause()
            assert isinstance(app.screen, HelpScreen)
            help_text = app.screen.query_one("#help-text", Static).content
            return help_text.plain if isinstance(help_text, Content) else str(help_text)

    shown = asyncio.run(open_help())
    assert "(c: taken)" in shown
    assert "c is Compare on every screen: give this status another key" in shown


def test_the_core_knows_every_key_the_app_keeps() -> None:
    """`workbench.keys.RESERVED_KEYS` (what `check` warns about, read without Textual)
    is exactly the single-character keys of the keymap, as `workbench.toml` writes them."""
    from workbench.keys import RESERVED_KEYS

    named = {"space": " ", "plus": "+", "slash": "/", "question_mark": "?"}
    named |= {"left_square_bracket": "[", "right_square_bracket": "]"}
    keys: set[str] = set()
    for binding in keymap.KEYMAP:
        for part in (part.strip() for part in binding.key.split(",")):
            if len(part) == 1:
                keys.add(part)
            elif part in named:
                keys.add(named[part])
        if binding.key_display and len(binding.key_display) == 1:
            keys.add(binding.key_display)
    assert keys == RESERVED_KEYS
