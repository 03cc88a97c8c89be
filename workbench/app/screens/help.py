"""The help screen: every key of the screen below it, and every status key with its meaning.

It reads the bindings that are active on that screen, so what it lists is what
the keys do there (a user keymap included), never a hand-written copy.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, ClassVar

from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

from workbench.app.keymap import HELP_BINDINGS, taken_by
from workbench.app.screens.early_css import read_css_early
from workbench.app.widgets.claim_table import fit, printable

KEY_WIDTH = 16
DESCRIPTION_WIDTH = 24

SEARCH_HELP = (
    "Type words to search ids, statements and quotes (best matches first; small typos are "
    "forgiven). Narrow with field:value tokens, values by prefix, several joined by commas, "
    "a leading - to exclude:  status:unrev  topic:chips,cost  -stance:neutral  source:chosun"
)


class HelpScreen(ModalScreen[None]):
    """Lists the keys of `screen` (the one it was opened from)."""

    CSS_PATH = "help.tcss"
    BINDINGS: ClassVar[list[BindingType]] = list(HELP_BINDINGS)

    def __init__(self, screen: Screen[Any]) -> None:
        super().__init__()
        read_css_early(self)
        self.described = screen

    def compose(self) -> ComposeResult:
        with Vertical(id="help-dialog"):
            yield Static(Content.styled("Keys", "bold"), id="help-title")
            with VerticalScroll(id="help-body"):
                yield Static(self._body(), id="help-text")
            yield Static(Content.styled("escape or ? closes", "dim"), id="help-hint")

    def _body(self) -> Content:
        screen_keys, app_keys = self._bindings_of(self.described)
        lines: list[Content] = [Content.styled("On this screen", "bold $accent")]
        lines.extend(self._lines(screen_keys))
        statuses = self._status_lines()
        if statuses:
            lines.append(Content(""))
            title = "Status keys (mark the claim under the cursor)"
            lines.append(Content.styled(title, "bold $accent"))
            lines.extend(statuses)
        lines.append(Content(""))
        lines.append(Content.styled("Everywhere", "bold $accent"))
        lines.extend(self._lines(app_keys))
        if type(self.described).__name__ == "ClaimsListScreen":
            lines.append(Content(""))
            lines.append(Content.styled("Search", "bold $accent"))
            lines.append(Content(SEARCH_HELP))
        return Content("\n").join(lines)

    def _bindings_of(
        self, screen: Screen[Any]
    ) -> tuple[list[tuple[list[str], Binding]], list[tuple[list[str], Binding]]]:
        """Active bindings grouped by action: (screen and its widgets, app-wide)."""
        groups: dict[tuple[bool, str], tuple[list[str], Binding]] = {}
        app = self.app
        for active in screen.active_bindings.values():
            binding = active.binding
            if binding.action.startswith("set_status("):
                continue  # listed with their meanings below
            if not binding.description:
                continue
            is_app = isinstance(active.node, App)
            key = (is_app, binding.action)
            display = app.get_key_display(binding)
            if key in groups:
                if display not in groups[key][0]:
                    groups[key][0].append(display)
            else:
                groups[key] = ([display], binding)
        screen_keys = [value for (is_app, _), value in groups.items() if not is_app]
        app_keys = [value for (is_app, _), value in groups.items() if is_app]
        return screen_keys, app_keys

    def _lines(self, entries: Iterable[tuple[list[str], Binding]]) -> list[Content]:
        lines = []
        for keys, binding in entries:
            lines.append(
                Content.assemble(
                    (fit(" / ".join(keys), KEY_WIDTH), "bold"),
                    " ",
                    fit(binding.description, DESCRIPTION_WIDTH),
                    " ",
                    (binding.tooltip, "dim"),
                )
            )
        return lines

    def _status_lines(self) -> list[Content]:
        project = getattr(self.app, "project", None)
        if project is None:
            return []
        lines = []
        for name, info in project.settings.statuses.items():
            key = info.key or "(no key)"
            label = printable(name)
            meaning = printable(info.meaning)
            taken = taken_by(info.key) if info.key else None
            if taken is not None:
                key = f"({printable(info.key or '')}: taken)"
                meaning = (
                    f"{printable(info.key or '')} is {taken} on every screen: "
                    "give this status another key in workbench.toml"
                )
            lines.append(
                Content.assemble(
                    (fit(key, KEY_WIDTH), "bold"),
                    " ",
                    fit(label, DESCRIPTION_WIDTH),
                    " ",
                    (meaning, "dim"),
                )
            )
        return lines

    def action_close(self) -> None:
        self.dismiss(None)
