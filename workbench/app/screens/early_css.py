"""A screen's own stylesheet, read into the app's before the screen is first shown.

Textual reads a screen's `CSS_PATH` when the screen is first pushed, and then
parses every stylesheet of the app again from scratch and restyles every widget
of every screen (`Stylesheet.reparse`, `Stylesheet.update`): 50-80 ms, the
biggest part of opening a screen for the first time in a session.  Our screens'
rules all start with the screen's own type, so they style nothing already on
screen; read here (from the screen's constructor), the file is parsed with the
next styling pass, alone (the others' parses are cached), and Textual finds it
already loaded.  The rules are the same user CSS either way.

Also here: `keep_mount_styles`, which spares a screen just built Textual's restyle
of all its widgets when it first comes on top.
"""

from __future__ import annotations

from typing import Any

from textual import events
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


RESTYLE_ON_FIRST_RESUME = False
"""`keep_mount_styles`; True restyles as Textual does (the benchmark's baseline)."""


def keep_mount_styles(event: events.ScreenResume) -> None:
    """Let a screen's first resume, right after it was built, keep its widgets' styles.

    Textual restyles every widget of a screen each time it comes on top (the theme
    or the stylesheet may have changed while it was away).  A screen pushed for the
    first time had each widget styled as it was mounted, a moment before, and its
    focus restyled as it moved: that pass only repeats the work, 5-10% of opening
    the claim detail or a form.  Call it from the screen's `on_screen_resume` on its
    first resume only; later resumes (a kept screen pushed again) restyle as usual."""
    if not RESTYLE_ON_FIRST_RESUME:
        event.refresh_styles = False
