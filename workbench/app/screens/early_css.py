"""A screen's own stylesheet, read into the app's before the screen is first shown.

Textual reads a screen's `CSS_PATH` when the screen is first pushed, and then
parses every stylesheet of the app again from scratch and restyles every widget
of every screen (`Stylesheet.reparse`, `Stylesheet.update`): 50-80 ms, the
biggest part of opening a screen for the first time in a session.  Our screens'
rules all start with the screen's own type, so they style nothing already on
screen; read here (from the screen's constructor), the file is parsed with the
next styling pass, alone (the others' parses are cached), and Textual finds it
already loaded.  The rules are the same user CSS either way.
"""

from __future__ import annotations

from typing import Any

from textual.screen import Screen


def read_css_early(screen: Screen[Any]) -> None:
    """Add `screen`'s CSS files to its app's stylesheet, unless there already."""
    try:
        stylesheet = screen.app.stylesheet
    except RuntimeError:  # built outside a running app: Textual reads them on push
        return
    for path in screen.css_path:
        if not stylesheet.has_source(str(path), ""):
            stylesheet.read(path)
