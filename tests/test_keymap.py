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

import importlib
import inspect
import pkgutil
import re
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path

from textual.binding import Binding
from textual.dom import DOMNode

import workbench.app.app
import workbench.app.screens
import workbench.app.widgets
from workbench.app import keymap
from workbench.config import load_settings

ROOT = Path(__file__).resolve().parent.parent

SAME_IDEA: dict[str, frozenset[str]] = {
    # escape: one step back out (leave the screen, close or cancel a form, clear the
    # search and then the filters of the screen that has nowhere to go back to)
    "back out": frozenset({"back", "cancel", "close", "clear"}),
    # navigation, whatever moves: a table's cursor, a sentence, a timeline row, a scroll
    "down": frozenset({"cursor(1)", "move(1)", "scroll_down"}),
    "up": frozenset({"cursor(-1)", "move(-1)", "scroll_up"}),
    "first": frozenset({"first", "scroll_home"}),
    "last": frozenset({"last", "scroll_end"}),
    "page down": frozenset({"page(1)", "page_down"}),
    "page up": frozenset({"page(-1)", "page_up"}),
    "open": frozenset({"open_detail", "open_relation", "open_claim"}),
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
