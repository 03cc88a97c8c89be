"""The review app's claims list, driven headless with Pilot."""

from __future__ import annotations

import asyncio
import functools
import gc
import json
import os
import time
from collections.abc import AsyncIterator, Callable, Coroutine
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from textual.message import Message
from textual.notifications import Notify
from textual.pilot import Pilot
from textual.widgets import Static

from workbench.app.app import ReviewApp
from workbench.app.messages import ClaimsChanged
from workbench.app.screens.claims_list import ClaimsListScreen
from workbench.app.widgets.claim_table import ClaimTable, fit, printable
from workbench.app.widgets.footer import KeyFooter
from workbench.project import load_project
from workbench.search import Vocabulary
from workbench.tomlio import parse_toml

from .conftest import ProjectFactory

QUOTES = {
    "cost": "딥시크는 560만달러로 모델을 훈련했다고",
    "funding": "외국인 직접투자(FDI)는 330억달러",
    "race": "이는 미국 대비 10분의 1 수준이다",
}


def claim(
    claim_id: str,
    statement: str,
    *,
    topic: str = "cost",
    stance: str = "catching-up",
    status: str = "unreviewed",
) -> str:
    """A claim file; strings are written as JSON-escaped TOML basic strings (any text)."""
    return (
        f"id = {json.dumps(claim_id)}\n"
        f"statement = {json.dumps(statement, ensure_ascii=False)}\n"
        f"topic = {json.dumps(topic)}\n"
        f"stance = {json.dumps(stance)}\n"
        f"status = {json.dumps(status)}\n"
        "\n[source]\n"
        'id = "test-source"\n'
        f"quote = {json.dumps(QUOTES[topic], ensure_ascii=False)}\n"
    )


CLAIMS = {
    "a-deepseek-cost.toml": claim("a-deepseek-cost", "DeepSeek trained its model for $5.6M."),
    "b-fdi-drop.toml": claim(
        "b-fdi-drop", "Foreign direct investment fell to $33bn.", topic="funding", stance="lagging"
    ),
    "c-tenth.toml": claim(
        "c-tenth", "Costs are a tenth of the US level.", topic="race", status="verified"
    ),
    "d-markup.toml": claim(
        "d-markup", "[bold red]Not bold[/] [link=x]no link[/link] 🚀 딥시크", stance="neutral"
    ),
}


def sync(test: Callable[..., Coroutine[Any, Any, None]]) -> Callable[..., None]:
    """Run an async test with asyncio (no pytest plugin needed)."""

    @functools.wraps(test)
    def run(*args: Any, **kwargs: Any) -> None:
        asyncio.run(test(*args, **kwargs))

    return run


@pytest.fixture(autouse=True)
def _reviewer(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WORKBENCH_REVIEWER", "tester")


@dataclass
class Run:
    app: ReviewApp
    pilot: Pilot[None]
    notifications: list[str] = field(default_factory=list)
    messages: list[Message] = field(default_factory=list)

    @property
    def screen(self) -> ClaimsListScreen:
        screen = self.app.screen
        assert isinstance(screen, ClaimsListScreen), type(screen).__name__
        return screen

    @property
    def table(self) -> ClaimTable:
        return self.screen.table

    def status_bar(self) -> str:
        return str(self.screen.query_one("#status-bar", Static).content)

    def filter_bar(self) -> str:
        return str(self.screen.query_one("#filter-bar", Static).content)

    async def settle(self) -> None:
        """Let workers finish and their messages be handled."""
        for _ in range(4):
            await self.app.workers.wait_for_complete()
            await self.pilot.pause()

    async def press(self, *keys: str) -> None:
        await self.pilot.press(*keys)
        await self.settle()

    async def go_to(self, claim_id: str) -> None:
        ids = list(self.table.ids)
        self.table.move_cursor(ids.index(claim_id))
        await self.settle()
        assert self.table.cursor_id == claim_id


@asynccontextmanager
async def running(
    root: Path, *, poll_seconds: float | None = None, size: tuple[int, int] = (150, 30)
) -> AsyncIterator[Run]:
    app = ReviewApp(load_project(root), "tester", poll_seconds=poll_seconds)
    notifications: list[str] = []
    messages: list[Message] = []

    def hook(message: Message) -> None:
        messages.append(message)
        if isinstance(message, Notify):
            notifications.append(message.notification.message)

    async with app.run_test(size=size, message_hook=hook) as pilot:
        run = Run(app, pilot, notifications, messages)
        await run.settle()
        assert run.screen.ready
        yield run


def on_disk(root: Path, claim_id: str) -> dict[str, object]:
    return parse_toml((root / "claims" / f"{claim_id}.toml").read_text(encoding="utf-8"))


# --------------------------------------------------------------------------- showing and moving


@sync
async def test_the_list_shows_every_claim_and_counts(make_project: ProjectFactory) -> None:
    root = make_project(CLAIMS)
    async with running(root) as run:
        assert sorted(run.table.ids) == sorted(name[:-5] for name in CLAIMS)
        bar = run.status_bar()
        assert "0:unreviewed 3" in bar and "1:verified 1" in bar and "4:false 0" in bar
        assert "problems 0" in bar
        assert "4 of 4 claims shown" in run.filter_bar()


@sync
async def test_moving_the_cursor(make_project: ProjectFactory) -> None:
    root = make_project(CLAIMS)
    async with running(root) as run:
        ids = list(run.table.ids)
        assert run.table.cursor_id == ids[0]
        await run.press("j", "j")
        assert run.table.cursor_id == ids[2]
        await run.press("k")
        assert run.table.cursor_id == ids[1]
        await run.press("end")
        assert run.table.cursor_id == ids[-1]
        await run.press("down")  # stays on the last line
        assert run.table.cursor_id == ids[-1]
        await run.press("home")
        assert run.table.cursor_id == ids[0]
        await run.press("pagedown")
        assert run.table.cursor_id == ids[-1]


@sync
async def test_markup_in_data_is_shown_literally(make_project: ProjectFactory) -> None:
    root = make_project(CLAIMS)
    async with running(root, size=(200, 20)) as run:
        await run.go_to("d-markup")
        line = run.table.render_line(run.table.cursor + 1).text
        assert "[bold red]Not bold[/] [link=x]no link[/link] 🚀 딥시크" in line


def test_control_characters_are_drawn_as_symbols_not_sent_to_the_terminal() -> None:
    assert printable("a\x1b[31mb\tc\nd\x7f") == "a␛[31mb c d␡"


def test_fit_measures_in_cells_and_cuts_with_an_ellipsis() -> None:
    assert fit("딥시크는", 5) == "딥시…"  # each syllable takes two cells
    assert fit("딥시크는", 6) == "딥시 …"  # a wide character never straddles the edge
    assert fit("abc", 5) == "abc  "
    assert fit("abcdef", 4) == "abc…"


# --------------------------------------------------------------------------- marking, notes, undo


@sync
async def test_a_status_key_marks_the_claim_and_writes_history(
    make_project: ProjectFactory,
) -> None:
    root = make_project(CLAIMS)
    async with running(root) as run:
        await run.go_to("a-deepseek-cost")
        await run.press("1")
        data = on_disk(root, "a-deepseek-cost")
        assert data["status"] == "verified"
        [entry] = data["history"]  # type: ignore[misc]
        assert entry["reviewer"] == "tester"
        assert (entry["from"], entry["to"]) == ("unreviewed", "verified")
        assert entry["at"].tzinfo is not None
        assert "1:verified 2" in run.status_bar()
        assert any(isinstance(m, ClaimsChanged) for m in run.messages)
        assert run.table.cursor_id == "a-deepseek-cost"


@sync
async def test_a_note_is_a_history_entry(make_project: ProjectFactory) -> None:
    root = make_project(CLAIMS)
    async with running(root) as run:
        await run.go_to("b-fdi-drop")
        await run.press("n")
        assert type(run.app.screen).__name__ == "NoteScreen"
        await run.pilot.press(*"Checked UNCTAD [bold]")
        await run.press("enter")
        data = on_disk(root, "b-fdi-drop")
        [entry] = data["history"]  # type: ignore[misc]
        assert entry["note"] == "Checked UNCTAD [bold]"
        assert (entry["from"], entry["to"]) == ("unreviewed", "unreviewed")


@sync
async def test_escape_cancels_a_note(make_project: ProjectFactory) -> None:
    root = make_project(CLAIMS)
    async with running(root) as run:
        await run.press("n", "x", "escape")
        assert isinstance(run.app.screen, ClaimsListScreen)
        assert all("history" not in on_disk(root, name[:-5]) for name in CLAIMS)


@sync
async def test_undo_adds_a_further_entry_and_restores_the_status(
    make_project: ProjectFactory,
) -> None:
    root = make_project(CLAIMS)
    async with running(root) as run:
        await run.go_to("a-deepseek-cost")
        await run.press("4")
        assert on_disk(root, "a-deepseek-cost")["status"] == "false"
        await run.press("u")
        data = on_disk(root, "a-deepseek-cost")
        assert data["status"] == "unreviewed"
        first, second = data["history"]  # type: ignore[misc]
        assert (first["from"], first["to"]) == ("unreviewed", "false")
        assert (second["from"], second["to"]) == ("false", "unreviewed")
        assert second["note"].startswith("undo:")
        await run.press("u")  # nothing left: no further write
        assert len(on_disk(root, "a-deepseek-cost")["history"]) == 2  # type: ignore[arg-type]
        assert "Nothing to undo" in run.notifications


@sync
async def test_undo_goes_back_step_by_step(make_project: ProjectFactory) -> None:
    root = make_project(CLAIMS)
    async with running(root) as run:
        await run.go_to("a-deepseek-cost")
        await run.press("1")
        await run.press("4")
        await run.press("u")
        assert on_disk(root, "a-deepseek-cost")["status"] == "verified"
        await run.press("u")
        data = on_disk(root, "a-deepseek-cost")
        assert data["status"] == "unreviewed"
        assert [(e["from"], e["to"]) for e in data["history"]] == [  # type: ignore[union-attr]
            ("unreviewed", "verified"),
            ("verified", "false"),
            ("false", "verified"),
            ("verified", "unreviewed"),
        ]


# --------------------------------------------------------------------------- filters, search, sort


@sync
async def test_filter_keys_cycle_and_escape_clears(make_project: ProjectFactory) -> None:
    root = make_project(CLAIMS)
    async with running(root) as run:
        await run.press("s")  # the first status present: unreviewed
        assert sorted(run.table.ids) == ["a-deepseek-cost", "b-fdi-drop", "d-markup"]
        assert "status unreviewed" in run.filter_bar()
        await run.press("s")
        assert list(run.table.ids) == ["c-tenth"]
        await run.press("escape")
        assert len(run.table.ids) == 4
        await run.press("t")  # topics in workbench.toml order: cost first
        assert sorted(run.table.ids) == ["a-deepseek-cost", "d-markup"]
        await run.press("a")  # stances in workbench.toml order: lagging (none with cost)
        assert list(run.table.ids) == []
        await run.press("a")
        assert list(run.table.ids) == ["a-deepseek-cost"]
        await run.press("escape", "o")
        assert len(run.table.ids) == 4  # one outlet: every claim
        assert "source Test Daily" in run.filter_bar()


@sync
async def test_the_footer_draws_the_keys_and_redraws_only_when_they_change(
    make_project: ProjectFactory,
) -> None:
    root = make_project(CLAIMS)
    async with running(root) as run:
        footer = run.screen.query_one(KeyFooter)
        line = footer.render_line(0)
        assert " c Compare " in line.text and "▏^p palette" in line.text
        assert not [segment for segment in line if segment.style and segment.style.dim]
        pieces = footer.pieces
        run.screen.refresh_bindings()  # the same keys: nothing to lay out again
        await run.press("j")
        assert footer.pieces is pieces
        await run.press("t", "a")  # no claim listed: the claim keys are disabled
        assert list(run.table.ids) == []
        dimmed = "".join(
            segment.text for segment in footer.render_line(0) if segment.style and segment.style.dim
        )
        assert "Note" in dimmed and "Compare" not in dimmed


@sync
async def test_a_click_on_a_footer_key_presses_it(make_project: ProjectFactory) -> None:
    root = make_project(CLAIMS)
    async with running(root) as run:
        footer = run.screen.query_one(KeyFooter)
        where = footer.render_line(0).text.index("Timeline")
        await run.pilot.hover(KeyFooter, offset=(where, 0))
        assert footer.tooltip == "Timeline of the claim's topic"
        await run.pilot.click(KeyFooter, offset=(where, 0))
        await run.pilot.pause()
        assert type(run.app.screen).__name__ == "TimelineScreen"


@sync
async def test_search_updates_as_you_type(make_project: ProjectFactory) -> None:
    root = make_project(CLAIMS)
    async with running(root) as run:
        await run.press("slash")
        await run.press("d")
        after_one = list(run.table.ids)
        await run.press("e", "e", "p")
        assert list(run.table.ids) == ["a-deepseek-cost"]
        assert len(after_one) > 1
        await run.press("backspace", "backspace", "backspace", "backspace", *"딥시크")
        assert sorted(run.table.ids) == ["a-deepseek-cost", "d-markup"]
        await run.press("escape")
        assert len(run.table.ids) == 4
        assert run.table.has_focus


@sync
async def test_search_ranks_id_matches_first_and_takes_field_tokens(
    make_project: ProjectFactory,
) -> None:
    root = make_project(CLAIMS)
    async with running(root) as run:
        await run.press("slash", *"fdi")
        assert run.table.ids[0] == "b-fdi-drop"
        await run.pilot.press("ctrl+a")  # select all, then type over it
        run.screen.query_one("#search").value = "status:ver"  # type: ignore[attr-defined]
        await run.settle()
        assert list(run.table.ids) == ["c-tenth"]


@sync
async def test_sort_key_cycles_date_status_id(make_project: ProjectFactory) -> None:
    root = make_project(CLAIMS)
    async with running(root) as run:
        assert "sort source date" in run.filter_bar()
        await run.press("b")
        assert "sort status" in run.filter_bar()
        assert list(run.table.ids)[-1] == "c-tenth"  # verified after unreviewed
        await run.press("b")
        assert list(run.table.ids) == sorted(run.table.ids)
        await run.press("b")
        assert "sort source date" in run.filter_bar()


# --------------------------------------------------------------------------- other screens


@sync
async def test_space_marks_and_c_compares(make_project: ProjectFactory) -> None:
    root = make_project(CLAIMS)
    async with running(root) as run:
        await run.press("c")
        assert any("Mark two or more" in text for text in run.notifications)
        await run.press("space")
        first = run.table.cursor_id
        line = run.table.render_line(run.table.cursor + 1).text
        assert line.startswith("◆")
        assert "marked 1" in run.status_bar()
        await run.press("j", "space", "c")
        assert type(run.app.screen).__name__ == "CompareScreen"
        assert run.app.screen.claim_ids[0] == first  # type: ignore[attr-defined]


@sync
async def test_space_again_unmarks(make_project: ProjectFactory) -> None:
    root = make_project(CLAIMS)
    async with running(root) as run:
        await run.press("space", "space")
        assert not run.table.marked
        assert "marked" not in run.status_bar()


@sync
async def test_enter_opens_the_detail(make_project: ProjectFactory) -> None:
    root = make_project(CLAIMS)
    async with running(root) as run:
        await run.go_to("b-fdi-drop")
        await run.press("enter")
        assert type(run.app.screen).__name__ == "DetailScreen"


@sync
async def test_keys_open_the_conflicts_timeline_and_problems(make_project: ProjectFactory) -> None:
    root = make_project(CLAIMS)
    async with running(root) as run:
        for key, screen in (
            ("x", "ConflictQueueScreen"),
            ("l", "TimelineScreen"),
            ("p", "ProblemsScreen"),
        ):
            await run.press(key)
            assert type(run.app.screen).__name__ == screen
            run.app.pop_screen()
            await run.settle()
            assert isinstance(run.app.screen, ClaimsListScreen)


@sync
async def test_help_lists_every_key_and_status_meaning(make_project: ProjectFactory) -> None:
    root = make_project(CLAIMS)
    async with running(root) as run:
        await run.press("question_mark")
        help_text = str(run.app.screen.query_one("#help-text", Static).content)
        for expected in ("Note", "Compare", "Status filter", "Sort", "Undo", "Quit", "Search"):
            assert expected in help_text, expected
        assert "Checked and accurate." in help_text  # the meaning of status key 1
        assert "↓ / j" in help_text
        await run.press("escape")
        assert isinstance(run.app.screen, ClaimsListScreen)


@sync
async def test_command_palette_lists_the_screen_actions(make_project: ProjectFactory) -> None:
    root = make_project(CLAIMS)
    async with running(root) as run:
        await run.go_to("a-deepseek-cost")
        await run.press("ctrl+p")
        await run.pilot.press(*"Mark verified")
        await run.pilot.pause(0.5)
        await run.press("enter")
        assert on_disk(root, "a-deepseek-cost")["status"] == "verified"


# --------------------------------------------------------------------------- files on disk


@sync
async def test_a_write_over_an_external_change_is_refused(make_project: ProjectFactory) -> None:
    root = make_project(CLAIMS)
    path = root / "claims" / "a-deepseek-cost.toml"
    async with running(root) as run:
        await run.go_to("a-deepseek-cost")
        edited = path.read_text(encoding="utf-8").replace("for $5.6M", "for about $6M")
        path.write_text(edited, encoding="utf-8")
        await run.press("1")
        assert path.read_text(encoding="utf-8") == edited  # the external edit stands
        assert run.app.project.claim("a-deepseek-cost").statement.endswith("about $6M.")
        assert any(
            "changed on disk and was reloaded" in text and "NOT applied" in text
            for text in run.notifications
        )
        line = run.table.render_line(run.table.cursor + 1).text
        assert "about $6M" in line
        await run.press("1")  # now the reviewer has seen it, the write goes through
        assert on_disk(root, "a-deepseek-cost")["status"] == "verified"


@sync
async def test_undo_over_an_external_change_is_refused(make_project: ProjectFactory) -> None:
    root = make_project(CLAIMS)
    path = root / "claims" / "a-deepseek-cost.toml"
    async with running(root) as run:
        await run.go_to("a-deepseek-cost")
        await run.press("1")
        edited = path.read_text(encoding="utf-8").replace("for $5.6M", "for about $6M")
        path.write_text(edited, encoding="utf-8")
        await run.press("u")
        assert path.read_text(encoding="utf-8") == edited
        assert any("NOT applied" in text for text in run.notifications)


@sync
async def test_files_changed_on_disk_are_reloaded_by_the_poll(
    make_project: ProjectFactory,
) -> None:
    root = make_project(CLAIMS)
    claims = root / "claims"
    async with running(root, poll_seconds=0.1) as run:
        await run.pilot.pause(0.3)  # the first poll lists the folder
        path = claims / "b-fdi-drop.toml"
        edited = path.read_text(encoding="utf-8").replace("fell to", "dropped to")
        path.write_text(edited, encoding="utf-8")
        os.utime(path, ns=(time.time_ns(), time.time_ns() + 1_000_000))
        (claims / "e-new.toml").write_text(claim("e-new", "A new claim."), encoding="utf-8")
        (claims / "d-markup.toml").unlink()
        for _ in range(40):
            await run.pilot.pause(0.1)
            await run.settle()
            if "e-new" in run.table.ids and "d-markup" not in run.table.ids:
                break
        assert run.app.project.claim("b-fdi-drop").statement.startswith(
            "Foreign direct investment dropped"
        )
        assert sorted(run.table.ids) == ["a-deepseek-cost", "b-fdi-drop", "c-tenth", "e-new"]
        assert any("changed on disk" in text for text in run.notifications)


@sync
async def test_the_app_opens_with_a_bad_claim_file(make_project: ProjectFactory) -> None:
    root = make_project({**CLAIMS, "broken.toml": "broken ="})
    async with running(root) as run:
        assert len(run.table.ids) == 4
        assert "problems 1" in run.status_bar()


@sync
async def test_the_bundled_claims_open(tmp_path: Path) -> None:
    from .conftest import REPO

    project = load_project(REPO)
    app = ReviewApp(project, "tester", poll_seconds=None)
    async with app.run_test(size=(160, 40)) as pilot:
        for _ in range(4):
            await app.workers.wait_for_complete()
            await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ClaimsListScreen)
        assert len(screen.table.ids) == len(project.claims)
        await pilot.press("slash", *"딥시크")
        for _ in range(4):
            await app.workers.wait_for_complete()
            await pilot.pause()
        assert 0 < len(screen.table.ids) < len(project.claims)


def test_review_command_does_not_import_textual_until_run() -> None:
    import subprocess
    import sys

    script = (
        "import sys\nfrom workbench.cli import build_parser\nbuild_parser()\n"
        "assert 'textual' not in sys.modules, 'textual was imported'\n"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_review_command_prints_a_summary_without_a_terminal(
    make_project: ProjectFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    from workbench.cli import main

    root = make_project(CLAIMS)
    assert main(["review", "--root", str(root), "--reviewer", "kim"]) == 0
    out = capsys.readouterr().out
    assert "4 claims from 1 sources" in out


@sync
async def test_the_search_vocabulary_is_frozen_for_the_collector(
    make_project: ProjectFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The vocabulary lives as long as the list's index: once built (in a worker, after
    the app's own freezes), it is frozen for the garbage collector, whose full
    collections then no longer walk its lists (`ClaimsListScreen._prepare_vocabulary`)."""
    root = make_project(CLAIMS)
    words = Vocabulary.words

    def slow_words(vocabulary: Vocabulary) -> list[str]:
        time.sleep(0.2)  # done after the app's freezes at its first paint
        return words(vocabulary)

    monkeypatch.setattr(Vocabulary, "words", slow_words)
    for freeze in (True, False):
        monkeypatch.setattr(ClaimsListScreen, "FREEZE_VOCABULARY", freeze)
        async with running(root) as run:
            built = run.table.index.vocabulary.words()
            assert built
            walked = any(tracked is built for tracked in gc.get_objects())
            assert walked is not freeze
