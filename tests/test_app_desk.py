"""The reviewer's desk in the app (issue 14): the verdict form, queues, keys.

Each test builds a small project whose `false` status requires a note and
refuting evidence, runs the real `ReviewApp` headless with Pilot, presses keys
(without pauses where the claim is about keys typed quickly) and reads the
claim files back from disk.
"""

from __future__ import annotations

import asyncio
import functools
import gc
import io
import json
import subprocess
import sys
import weakref
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console
from textual.content import Content
from textual.screen import Screen
from textual.strip import Strip
from textual.widgets import Input, OptionList, Static

from tests.conftest import CONFIG, ProjectFactory
from workbench import review
from workbench.app.app import ReviewApp
from workbench.app.screens.article import ArticleScreen, CaptureForm
from workbench.app.screens.claims_list import ClaimsListScreen
from workbench.app.screens.detail import DetailScreen
from workbench.app.screens.verdict import VerdictForm
from workbench.app.widgets.article_text import ArticleText
from workbench.app.widgets.chooser import ChoiceList, Chooser
from workbench.project import load_project
from workbench.tomlio import parse_toml

REQUIRING_CONFIG = CONFIG.replace(
    '[statuses.false]\nmeaning = "Wrong."\nkey = "4"\n',
    '[statuses.false]\nmeaning = "Wrong."\nkey = "4"\nrequires_note = true\n'
    'requires_evidence = ["refutes"]\n\n'
    '[statuses.unverifiable]\nmeaning = "Cannot be checked."\nkey = "5"\n',
)
assert REQUIRING_CONFIG != CONFIG


def claim(claim_id: str, statement: str, *, extra: str = "", recheck: str = "") -> str:
    return (
        f"id = {json.dumps(claim_id)}\n"
        f"statement = {json.dumps(statement)}\n"
        'topic = "cost"\nstance = "catching-up"\nstatus = "unreviewed"\n'
        + (f"recheck = {recheck}\n" if recheck else "")
        + f"{extra}"
        + '\n[source]\nid = "test-source"\nquote = "딥시크는 560만달러로 모델을 훈련했다고"\n'
    )


RELATED_EVIDENCE = (
    '\n[[relations]]\nclaim = "a-cost"\nkind = "same-fact"\n'
    '\n[[evidence]]\ncitation = "DeepSeek-V3 technical report, 2024-12"\n'
    'url = "https://arxiv.org/abs/2412.19437"\n'
    'shows = "the $5.6M covers the final training run only"\nstance = "refutes"\n'
)


def sync(test: Callable[..., Coroutine[Any, Any, None]]) -> Callable[..., None]:
    @functools.wraps(test)
    def run(*args: Any, **kwargs: Any) -> None:
        asyncio.run(test(*args, **kwargs))

    return run


@pytest.fixture(autouse=True)
def _reviewer(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WORKBENCH_REVIEWER", "tester")


@pytest.fixture
def desk(make_project: ProjectFactory) -> Path:
    root = make_project(
        {
            "a-cost.toml": claim("a-cost", "DeepSeek trained its model for $5.6M."),
            "b-cost.toml": claim("b-cost", "Training cost a tenth of US models."),
            "c-report.toml": claim("c-report", "The report puts the run at $5.6M.")
            + RELATED_EVIDENCE,
        }
    )
    (root / "workbench.toml").write_text(REQUIRING_CONFIG, encoding="utf-8")
    return root


def on_disk(root: Path, claim_id: str) -> dict[str, Any]:
    return parse_toml((root / "claims" / f"{claim_id}.toml").read_text(encoding="utf-8"))


async def wait_for(pilot: Any, condition: Callable[[], bool], rounds: int = 40) -> None:
    for _ in range(rounds):
        if condition():
            return
        await pilot.pause(0.02)
    assert condition()


def burst(app: ReviewApp, *keys: str) -> None:
    """Post key events all at once, as a fast typist's terminal delivers them: nothing
    runs between them (Pilot's `press` waits for the app to idle after each key)."""
    from textual import events
    from textual.keys import _character_to_key

    for key in keys:
        if len(key) == 1:
            app.post_message(events.Key(_character_to_key(key), key))
        else:
            app.post_message(events.Key(key, "\r" if key == "enter" else None))


def list_screen(app: ReviewApp) -> ClaimsListScreen:
    for screen in app.screen_stack:
        if isinstance(screen, ClaimsListScreen):
            return screen
    raise AssertionError("no claims list")


# -- the verdict form ---------------------------------------------------------------------


@sync
async def test_false_opens_the_form_and_a_verdict_without_reasons_writes_nothing(
    desk: Path,
) -> None:
    before = (desk / "claims" / "a-cost.toml").read_bytes()
    app = ReviewApp(load_project(desk), "tester", poll_seconds=None)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: list_screen(app).ready)
        assert list_screen(app).table.cursor_id == "a-cost"
        await pilot.press("4")
        await wait_for(pilot, lambda: isinstance(app.screen, VerdictForm))
        form = app.screen
        assert isinstance(form, VerdictForm)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, VerdictForm), "a verdict without reasons is not taken"
        assert any("note" in problem for problem in form.problems)
        assert any("refutes" in problem for problem in form.problems)
        # evidence that supports cannot back `false`
        form.query_one("#verdict-note", Input).value = "the run cost excludes research"
        form.query_one("#verdict-citation", Input).value = "Some blog"
        form.query_one("#verdict-shows", Input).value = "it was cheap"
        form.query_one("#verdict-stance", Chooser).value = "supports"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert any("cannot back" in problem for problem in form.problems)
        form.query_one("#verdict-stance", Chooser).value = "refutes"
        form.query_one("#verdict-url", Input).value = "ftp://example.org/x"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert any("http" in problem for problem in form.problems)
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, ClaimsListScreen))
    assert (desk / "claims" / "a-cost.toml").read_bytes() == before


@sync
async def test_the_form_writes_evidence_and_verdict_and_preselects_a_fitting_stance(
    desk: Path,
) -> None:
    app = ReviewApp(load_project(desk), "tester", poll_seconds=None)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: list_screen(app).ready)
        # keys typed with no pause after the status key land in the note
        await pilot.press("4", *"cheap", "tab", *"Report", "tab", "tab", *"excludes R&D")
        await wait_for(pilot, lambda: isinstance(app.screen, VerdictForm))
        form = app.screen
        assert isinstance(form, VerdictForm)
        assert form.query_one("#verdict-stance", Chooser).value == "refutes"
        assert form.query_one("#verdict-note", Input).value == "cheap"
        assert form.query_one("#verdict-citation", Input).value == "Report"
        assert form.query_one("#verdict-shows", Input).value == "excludes R&D"
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, ClaimsListScreen))
    data = on_disk(desk, "a-cost")
    assert data["status"] == "false"
    assert (
        data["evidence"]
        == [{"citation": "Report", "url": "", "shows": "excludes R&D", "stance": "refutes"}]
        or data["evidence"][0]["citation"] == "Report"
    )
    assert data["history"][-1]["note"] == "cheap"
    assert data["history"][-1]["to"] == "false"
    assert data["history"][-1]["reviewer"] == "tester"


@sync
async def test_the_verdict_form_kept_for_reuse_asks_anew_each_time(desk: Path) -> None:
    app = ReviewApp(load_project(desk), "tester", poll_seconds=None)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: list_screen(app).ready)
        assert list_screen(app).table.cursor_id == "a-cost"
        await pilot.press("4")
        await wait_for(pilot, lambda: isinstance(app.screen, VerdictForm))
        await pilot.pause()
        form = app.screen
        assert isinstance(form, VerdictForm)
        assert form.query_one("#verdict-reuse").display  # c-report's evidence
        assert not form.query_one("#verdict-existing").display
        form.query_one("#verdict-citation", Input).value = "left over"
        await pilot.press(*"half a note", "enter")  # refused: no evidence
        assert form.problems
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is list_screen(app))
        table = list_screen(app).table
        table.move_cursor(list(table.ids).index("c-report"))
        await pilot.press("4", *"typed at once")
        await wait_for(pilot, lambda: app.screen is form)
        await pilot.pause()
        assert form.claim.id == "c-report" and form.problems == []
        head = form.query_one("#verdict-head", Static).content
        assert isinstance(head, Content) and "c-report" in head.plain.split("\n")[0]
        problems = form.query_one("#verdict-problems", Static).content
        assert isinstance(problems, Content) and problems.plain == ""
        assert form.query_one("#verdict-note", Input).value == "typed at once"
        assert form.query_one("#verdict-citation", Input).value == ""
        assert form.query_one("#verdict-existing").display  # c-report has evidence
        assert not form.query_one("#verdict-reuse").display  # a-cost has none to offer
        assert app.focused is form.query_one("#verdict-note", Input)
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is list_screen(app))
    assert on_disk(desk, "c-report")["status"] == "unreviewed"


@sync
async def test_the_stance_is_chosen_by_keys_and_the_list_never_closes_the_form(
    desk: Path,
) -> None:
    app = ReviewApp(load_project(desk), "tester", poll_seconds=None)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: list_screen(app).ready)
        await pilot.press("4")
        await wait_for(pilot, lambda: isinstance(app.screen, VerdictForm))
        await pilot.pause()
        form = app.screen
        assert isinstance(form, VerdictForm)
        stance = form.query_one("#verdict-stance", Chooser)
        assert stance.choices == ("refutes", "supports", "not-enough-info")
        await pilot.press("tab", "tab", "tab", "tab")
        assert app.focused is stance
        await pilot.press("right")
        assert stance.value == "supports"
        await pilot.press("left", "left")  # wraps round
        assert stance.value == "not-enough-info"
        await pilot.press("down")  # as right does
        assert stance.value == "refutes"
        await pilot.press("up")
        assert stance.value == "not-enough-info"
        await pilot.press("space")  # the list opens under the line, at the chosen word
        await pilot.pause()
        choices = stance.query_one(ChoiceList)
        assert choices.display and app.focused is choices
        assert choices.highlighted == 2
        assert choices.region.y == stance.region.y + 1  # under the line
        await pilot.press("r")  # a letter jumps to the word starting with it
        assert choices.highlighted == 0
        await pilot.press("enter")  # picks; the form stays, nothing submitted
        await pilot.pause()
        assert stance.value == "refutes" and not choices.display
        assert app.screen is form and app.focused is stance and form.problems == []
        await pilot.press("space", "down")
        assert choices.display and choices.highlighted == 1
        await pilot.press("space")  # space again closes it, typing nothing
        await pilot.pause()
        assert not choices.display and app.focused is stance
        assert form.query_one("#verdict-note", Input).value == ""
        await pilot.click(stance)  # a click opens it too, and one on a word picks it
        await pilot.pause()
        assert choices.display and app.focused is choices
        await pilot.click(choices, offset=(2, 2))  # under the border: the second word
        await pilot.pause()
        assert stance.value == "supports" and not choices.display
        assert app.focused is stance
        await pilot.press("space", "escape")  # escape closes the list, not the form
        await pilot.pause()
        assert app.screen is form and app.focused is stance and not choices.display
        await pilot.press("up")
        assert stance.value == "refutes"
        await pilot.press("x")  # typing on the chooser goes into the note, as before
        assert form.query_one("#verdict-note", Input).value == "x"
        stance.focus()
        await pilot.press("enter")  # enter saves from any field
        await pilot.pause()
        assert form.problems and app.screen is form
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, ClaimsListScreen))
    assert on_disk(desk, "a-cost")["status"] == "unreviewed"


@sync
async def test_the_kept_verdict_form_builds_its_reuse_list_once_a_claim_has_some(
    desk: Path,
) -> None:
    """The list of related claims' evidence is built only for a claim that offers some:
    the form kept from a claim with none builds it when asked for a claim with some."""
    app = ReviewApp(load_project(desk), "tester", poll_seconds=None)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: list_screen(app).ready)
        table = list_screen(app).table
        table.move_cursor(list(table.ids).index("c-report"))
        await pilot.press("4")
        await wait_for(pilot, lambda: isinstance(app.screen, VerdictForm))
        await pilot.pause()
        form = app.screen
        assert isinstance(form, VerdictForm) and form.reusable == []
        assert not form.query("#verdict-reuse")  # a-cost has no evidence to offer
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is list_screen(app))
        table.move_cursor(list(table.ids).index("a-cost"))
        await pilot.press("4")
        await wait_for(pilot, lambda: app.screen is form)
        await pilot.pause()
        reuse = form.query_one("#verdict-reuse", OptionList)
        assert reuse.display and reuse.option_count == 1
        assert "DeepSeek-V3 technical report" in str(reuse.get_option_at_index(0).prompt)
        dialog = form.query_one("#verdict-dialog")
        order = [child.id for child in dialog.children]
        assert order[-3:] == ["verdict-reuse-title", "verdict-reuse", "verdict-hint"]
        await pilot.press("escape")


@sync
async def test_evidence_of_a_related_claim_is_offered_and_reused(desk: Path) -> None:
    app = ReviewApp(load_project(desk), "tester", poll_seconds=None)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: list_screen(app).ready)
        app.open_detail("a-cost")
        await wait_for(pilot, lambda: isinstance(app.screen, DetailScreen))
        await pilot.pause()
        await pilot.press("4")
        await wait_for(pilot, lambda: isinstance(app.screen, VerdictForm))
        form = app.screen
        assert isinstance(form, VerdictForm)
        assert [item.claim_id for item in form.reusable] == ["c-report"]
        reuse = form.query_one("#verdict-reuse", OptionList)
        reuse.focus()
        await pilot.press("enter")  # the list's enter uses the entry; it saves nothing
        await pilot.pause()
        assert app.screen is form and form.problems == []
        assert form.query_one("#verdict-url", Input).value == "https://arxiv.org/abs/2412.19437"
        assert form.query_one("#verdict-stance", Chooser).value == "refutes"
        assert app.focused is form.query_one("#verdict-note", Input)
        form.query_one("#verdict-note", Input).value = "the report says so"
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, DetailScreen))
    data = on_disk(desk, "a-cost")
    assert data["status"] == "false"
    assert data["evidence"][0]["citation"] == "DeepSeek-V3 technical report, 2024-12"


@sync
async def test_a_status_that_requires_nothing_is_set_at_once_and_the_same_status_is_refused(
    desk: Path,
) -> None:
    app = ReviewApp(load_project(desk), "tester", poll_seconds=None)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: list_screen(app).ready)
        await pilot.press("5")
        await pilot.pause()
        assert isinstance(app.screen, ClaimsListScreen)
        await pilot.press("5")
        await pilot.pause()
    data = on_disk(desk, "a-cost")
    assert data["status"] == "unverifiable"
    assert len(data["history"]) == 1


@sync
async def test_auto_advance_moves_to_the_next_claim_after_a_verdict(desk: Path) -> None:
    (desk / "workbench.toml").write_text(
        REQUIRING_CONFIG + "\n[app]\nauto_advance = true\n", encoding="utf-8"
    )
    app = ReviewApp(load_project(desk), "tester", poll_seconds=None)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: list_screen(app).ready)
        await pilot.press("5")
        await wait_for(pilot, lambda: list_screen(app).table.cursor_id == "b-cost")
        app.open_detail("b-cost")
        await wait_for(pilot, lambda: isinstance(app.screen, DetailScreen))
        await pilot.press("5")
        screen = app.screen
        assert isinstance(screen, DetailScreen)
        await wait_for(pilot, lambda: screen.claim_id == "c-report")
    assert on_disk(desk, "b-cost")["status"] == "unverifiable"


# -- the CLI refuses what the app refuses -------------------------------------------------


def mark(root: Path, *arguments: str, reviewer: bool = True) -> subprocess.CompletedProcess[str]:
    env = {"PATH": "/usr/bin:/bin", "HOME": str(root), "WORKBENCH_CACHE_DIR": "off"}
    import os

    env["PYTHONPATH"] = os.environ.get("PYTHONPATH", "")
    if reviewer:
        env["WORKBENCH_REVIEWER"] = "cli"
    return subprocess.run(
        [sys.executable, "-m", "workbench", "--root", str(root), "mark", *arguments],
        capture_output=True,
        text=True,
        env=env,
        check=False,
        cwd=root,
    )


def test_mark_refuses_a_verdict_without_its_reasons_and_writes_nothing(desk: Path) -> None:
    before = (desk / "claims" / "a-cost.toml").read_bytes()
    refused = mark(desk, "a-cost", "false")
    assert refused.returncode == 2
    assert len(refused.stderr.strip().splitlines()) == 1
    assert "note" in refused.stderr and "refutes" in refused.stderr
    wrong_stance = mark(
        desk,
        "a-cost",
        "false",
        "--note",
        "n",
        "--evidence-citation",
        "c",
        "--shows",
        "s",
        "--stance",
        "supports",
    )
    assert wrong_stance.returncode == 2 and "cannot back" in wrong_stance.stderr
    bad_url = mark(
        desk,
        "a-cost",
        "false",
        "--note",
        "n",
        "--evidence-citation",
        "c",
        "--shows",
        "s",
        "--evidence-url",
        "ftp://x.org",
    )
    assert bad_url.returncode == 2 and "http" in bad_url.stderr
    assert (desk / "claims" / "a-cost.toml").read_bytes() == before
    done = mark(
        desk,
        "a-cost",
        "false",
        "--note",
        "n",
        "--evidence-citation",
        "c",
        "--shows",
        "s",
        "--evidence-url",
        "https://x.org/a",
    )
    assert done.returncode == 0, done.stderr
    data = on_disk(desk, "a-cost")
    assert data["status"] == "false" and data["evidence"][0]["stance"] == "refutes"
    again = mark(desk, "a-cost", "false", "--note", "n")
    assert again.returncode == 2 and "already false" in again.stderr


def test_mark_without_a_reviewer_name_asks_for_one(desk: Path) -> None:
    refused = mark(desk, "a-cost", "unverifiable", reviewer=False)
    assert refused.returncode == 2
    assert "--reviewer" in refused.stderr
    assert on_disk(desk, "a-cost")["status"] == "unreviewed"


# -- keys ---------------------------------------------------------------------------------


@sync
async def test_no_key_is_lost_when_the_note_prompt_opens(desk: Path) -> None:
    app = ReviewApp(load_project(desk), "tester", poll_seconds=None)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: list_screen(app).ready)
        burst(app, "n", *"quick note", "enter")
        await wait_for(pilot, lambda: isinstance(app.screen, ClaimsListScreen))
        await pilot.pause()
    assert on_disk(desk, "a-cost")["history"][-1]["note"] == "quick note"


@sync
async def test_no_key_is_lost_when_the_verdict_form_opens(desk: Path) -> None:
    app = ReviewApp(load_project(desk), "tester", poll_seconds=None)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: list_screen(app).ready)
        burst(app, "4", *"run only")
        await wait_for(pilot, lambda: isinstance(app.screen, VerdictForm))
        await pilot.pause()
        assert app.screen.query_one("#verdict-note", Input).value == "run only"


# -- the article view and capture ---------------------------------------------------------


async def open_article(app: ReviewApp, pilot: Any) -> ArticleScreen:
    await wait_for(pilot, lambda: list_screen(app).ready)
    await pilot.press("v")
    await wait_for(pilot, lambda: isinstance(app.screen, ArticleScreen))
    await pilot.pause()
    screen = app.screen
    assert isinstance(screen, ArticleScreen)
    return screen


@sync
async def test_the_article_draws_the_selection_as_a_band_and_paragraphs_apart(
    desk: Path,
) -> None:
    app = ReviewApp(load_project(desk), "tester", poll_seconds=None)
    async with app.run_test(size=(60, 30)) as pilot:
        article = await open_article(app, pilot)
        body = article.query_one("#article-body", ArticleText)
        band = body.get_visual_style("article-text--selected").rich_style.bgcolor
        assert band is not None and band != body.rich_style.bgcolor

        def line(number: int) -> Strip:
            return body.render_line(number - body.scroll_offset.y)

        first, last = body.selected
        assert (first, last) == article.selected == (1, 1)
        start, count = body.sentence_lines(1)
        assert count >= 1
        for number in range(start, start + count):  # every cell of the sentence's lines
            assert {segment.style.bgcolor for segment in line(number) if segment.style} == {band}
            assert line(number).cell_length == body.scrollable_content_region.width
        assert band not in {
            segment.style.bgcolor for segment in line(start + count) if segment.style
        }
        starts = sorted(index for index in body.paragraph_starts if index)
        assert starts, "the test article has more than one paragraph"
        gap = body.sentence_lines(starts[0])[0] - 1
        assert line(gap).text.strip() == ""
        assert body.sentence_lines(starts[0] - 1)[0] < gap
        await pilot.press("J")  # extend: the band covers both sentences
        assert body.selected == (1, 2)
        start, _ = body.sentence_lines(2)
        assert {segment.style.bgcolor for segment in line(start) if segment.style} == {band}


@sync
async def test_the_capture_form_kept_for_reuse_starts_each_claim_afresh(desk: Path) -> None:
    app = ReviewApp(load_project(desk), "tester", poll_seconds=None)
    async with app.run_test(size=(120, 40)) as pilot:
        article = await open_article(app, pilot)
        await pilot.press("plus")
        await wait_for(pilot, lambda: isinstance(app.screen, CaptureForm))
        await pilot.pause()
        form = app.screen
        assert isinstance(form, CaptureForm)
        await pilot.press(*"abandoned")
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is article)
        await pilot.press("j", "j", "plus", *"FDI")
        await wait_for(pilot, lambda: app.screen is form)
        await pilot.pause()
        assert form.query_one("#capture-statement", Input).value == "FDI"
        assert form.query_one("#capture-id", Input).value == ""
        assert form.problems.plain == ""
        head = form.query_one("#capture-head", Static).content
        assert isinstance(head, Content) and "지난해 중국에 대한 외국인 직접투자" in head.plain
        statement = " into China fell to $33 billion last year."
        await pilot.press(*statement, "enter")
        await wait_for(pilot, lambda: app.screen is article)
    new = [
        parse_toml(path.read_text(encoding="utf-8"))
        for path in (desk / "claims").glob("*.toml")
        if path.stem not in {"a-cost", "b-cost", "c-report"}
    ]
    assert [data["statement"] for data in new] == ["FDI" + statement]
    assert new[0]["source"]["quote"].startswith("지난해 중국에 대한 외국인 직접투자")


def _highlighted(screen: ArticleScreen, index: int) -> list[str]:
    content = screen.query_one("#article-body", ArticleText).sentences[index]
    return [content.plain[span.start : span.end] for span in content.spans]


@sync
async def test_the_article_screen_kept_for_reuse_shows_each_claims_quote(desk: Path) -> None:
    (desk / "claims" / "d-fdi.toml").write_text(
        claim("d-fdi", "FDI into China fell.").replace(
            "딥시크는 560만달러로 모델을 훈련했다고", "외국인 직접투자(FDI)는 330억달러"
        ),
        encoding="utf-8",
    )
    app = ReviewApp(load_project(desk), "tester", poll_seconds=None)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: list_screen(app).ready)
        app.open_article("a-cost")
        await wait_for(pilot, lambda: isinstance(app.screen, ArticleScreen))
        await pilot.pause()
        first = app.screen
        assert isinstance(first, ArticleScreen)
        assert first.selected == (1, 1)
        assert _highlighted(first, 1) == ["딥시크는 560만달러로 모델을 훈련했다고"]
        await pilot.press("j", "J")
        assert first.selected == (2, 3)
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is list_screen(app))
        app.open_article("d-fdi")  # the same article: the same screen, at this claim
        await wait_for(pilot, lambda: app.screen is first)
        await pilot.pause()
        assert first.claim_id == "d-fdi"
        assert first.selected == (3, 3)
        assert _highlighted(first, 1) == []
        assert _highlighted(first, 3) == ["외국인 직접투자(FDI)는 330억달러"]
        assert first.query_one("#article-body", ArticleText).selected == (3, 3)
        assert app.focused is first.query_one("#article-body")


@sync
async def test_the_article_opens_at_the_quote_and_a_claim_is_captured_in_few_keys(
    desk: Path,
) -> None:
    app = ReviewApp(load_project(desk), "tester", poll_seconds=None)
    async with app.run_test(size=(120, 40)) as pilot:
        article = await open_article(app, pilot)
        assert article.selected == (1, 1), "the claim's own sentence is selected"
        assert (
            "딥시크는 560만달러로"
            in article.query_one("#article-body", ArticleText).sentences[1].plain
        )
        keys = ["j", "j", "plus"]
        statement = "Foreign direct investment in China fell to $33 billion last year."
        await pilot.press(*keys, *statement, "enter")
        await wait_for(pilot, lambda: isinstance(app.screen, ArticleScreen))
        await pilot.pause()
        assert 1 + len(keys) + 1 <= 6  # v, the keys, enter: the target's key budget
    written = list((desk / "claims").glob("*.toml"))
    new = [
        parse_toml(path.read_text(encoding="utf-8"))
        for path in written
        if path.stem not in {"a-cost", "b-cost", "c-report"}
    ]
    assert len(new) == 1
    claim_data = new[0]
    assert claim_data["statement"] == statement
    assert claim_data["source"]["quote"].startswith("지난해 중국에 대한 외국인 직접투자")
    assert claim_data["quantity"]["value"] == 33_000_000_000
    assert claim_data["quantity"]["period"] == "2024"
    assert claim_data["topic"] == "cost" and claim_data["stance"] == "catching-up"
    project = load_project(desk)
    assert project.problems == []
    assert len(project.claims) == 4


@sync
async def test_the_topic_and_stance_of_a_captured_claim_are_chosen_by_keys(desk: Path) -> None:
    app = ReviewApp(load_project(desk), "tester", poll_seconds=None)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_article(app, pilot)
        statement = "Foreign direct investment in China fell to $33 billion last year."
        await pilot.press("j", "j", "plus", *statement)
        await wait_for(pilot, lambda: isinstance(app.screen, CaptureForm))
        form = app.screen
        assert isinstance(form, CaptureForm)
        topic = form.query_one("#capture-topic", Chooser)
        stance = form.query_one("#capture-stance", Chooser)
        assert (topic.value, stance.value) == ("cost", "catching-up")  # the template's
        await pilot.press("tab", "right", "tab", "space", "n", "enter")
        assert (topic.value, stance.value) == ("funding", "neutral")
        assert app.focused is stance
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, ArticleScreen))
    new = [
        parse_toml(path.read_text(encoding="utf-8"))
        for path in (desk / "claims").glob("*.toml")
        if path.stem not in {"a-cost", "b-cost", "c-report"}
    ]
    assert [(data["topic"], data["stance"]) for data in new] == [("funding", "neutral")]


@sync
async def test_a_repeated_sentence_gets_a_selector_and_a_duplicate_needs_confirming(
    desk: Path,
) -> None:
    app = ReviewApp(load_project(desk), "tester", poll_seconds=None)
    async with app.run_test(size=(120, 40)) as pilot:
        article = await open_article(app, pilot)
        await pilot.press(*["j"] * 5, "plus", *"China trails the US.", "enter")
        await wait_for(pilot, lambda: isinstance(app.screen, ArticleScreen))
        await pilot.pause()
        # the claim's own sentence again, with the claim's statement: a duplicate
        await pilot.press(*["k"] * 5)
        assert article.selected == (1, 1)
        await pilot.press("plus", *"DeepSeek trained its model for $5.6M.", "enter")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, CaptureForm)
        assert [item.claim_id for item in form.duplicates] == ["a-cost"]
        assert len(list((desk / "claims").glob("*.toml"))) == 4, "not written yet"
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, ArticleScreen))
    project = load_project(desk)
    assert project.problems == []
    assert len(project.claims) == 5
    trails = next(c for c in project.iter_claims() if c.statement == "China trails the US.")
    assert trails.source.quote == "중국은 미국에 뒤처져 있다."
    assert trails.source.prefix or trails.source.suffix
    anchor = project.anchor(trails)
    assert anchor is not None and anchor.span is not None
    text = project.sources["test-source"].text
    assert anchor.span[0] == text.rindex("중국은 미국에 뒤처져 있다.")


@sync
async def test_an_article_without_text_says_so(desk: Path) -> None:
    (desk / "seeds" / "000_test.txt").write_text("", encoding="utf-8")
    app = ReviewApp(load_project(desk), "tester", poll_seconds=None)
    async with app.run_test(size=(120, 40)) as pilot:
        article = await open_article(app, pilot)
        assert "No article text" in str(article.query_one("#article-title").render())
        await pilot.press("plus")
        await pilot.pause()
        assert isinstance(app.screen, ArticleScreen)


# -- blind review -------------------------------------------------------------------------

OTHERS_VERDICT = (
    "\n[[history]]\n"
    'at = 2025-03-01T09:00:00Z\nreviewer = "alice"\nfrom = "unreviewed"\nto = "verified"\n'
    'note = "checked against the filing"\n'
)


def shown_text(screen: Screen[Any]) -> str:
    """The text of every Static on `screen` (Rich renderables drawn 200 cells wide)."""
    console = Console(width=200, file=io.StringIO(), record=True)
    for widget in screen.query(Static):
        console.print(widget.content)
    return console.export_text()


@sync
async def test_blind_review_hides_others_verdicts_until_ones_own(desk: Path) -> None:
    path = desk / "claims" / "b-cost.toml"
    path.write_text(
        path.read_text(encoding="utf-8").replace('status = "unreviewed"', 'status = "verified"')
        + OTHERS_VERDICT,
        encoding="utf-8",
    )
    app = ReviewApp(load_project(desk), "bob", poll_seconds=None, blind=True)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = list_screen(app)
        await wait_for(pilot, lambda: screen.ready)
        row = screen.index.ids.index("b-cost")
        assert screen.index.row(row).status == "hidden"
        await pilot.press("j")
        assert screen.table.cursor_id == "b-cost"
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, DetailScreen))
        await pilot.pause()
        detail = app.screen
        text = shown_text(detail)
        assert "hidden" in text
        assert "verified" not in text and "alice" not in text and "filing" not in text
        # bob's own verdict: `verified` as well is accepted (he could not see it)
        await pilot.press("1")
        await pilot.pause()
        assert isinstance(app.screen, DetailScreen)
        await pilot.pause()
        text = shown_text(detail)
        assert "alice" in text and "filing" in text, "shown once bob has given his own"
    data = on_disk(desk, "b-cost")
    assert [entry["reviewer"] for entry in data["history"]] == ["alice", "bob"]
    assert data["history"][-1]["to"] == "verified"


@sync
async def test_without_a_reviewer_name_the_app_asks_once(desk: Path) -> None:
    app = ReviewApp(load_project(desk), None, poll_seconds=None)
    async with app.run_test(size=(120, 40)) as pilot:
        from workbench.app.screens.note import ReviewerPrompt

        await wait_for(pilot, lambda: isinstance(app.screen, ReviewerPrompt))
        await pilot.press(*"dana", "enter")
        await wait_for(pilot, lambda: isinstance(app.screen, ClaimsListScreen))
        assert app.reviewer == "dana"
        await pilot.press("5")
        await pilot.pause()
    assert on_disk(desk, "a-cost")["history"][-1]["reviewer"] == "dana"


# -- queues -------------------------------------------------------------------------------


@sync
async def test_the_recheck_queue_lists_due_claims_and_opens_them(desk: Path) -> None:
    for claim_id, day in (("a-cost", "2020-01-01"), ("b-cost", "2999-01-01")):
        path = desk / "claims" / f"{claim_id}.toml"
        path.write_text(
            path.read_text(encoding="utf-8").replace(
                'status = "unreviewed"\n', f'status = "unreviewed"\nrecheck = {day}\n'
            ),
            encoding="utf-8",
        )
    app = ReviewApp(load_project(desk), "tester", poll_seconds=None)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: list_screen(app).ready)
        await pilot.press("R")
        from workbench.app.screens.queues import RecheckQueueScreen

        await wait_for(pilot, lambda: isinstance(app.screen, RecheckQueueScreen))
        queue = app.screen
        assert isinstance(queue, RecheckQueueScreen)
        await wait_for(pilot, lambda: queue.loaded)
        assert [item.claim_id for item in queue.items] == ["a-cost"]
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, DetailScreen))
        assert app.screen.claim_id == "a-cost"  # type: ignore[attr-defined]
        await pilot.press("escape", "escape")  # the detail, the queue: back to the list
        await wait_for(pilot, lambda: app.screen is list_screen(app))
        path = desk / "claims" / "b-cost.toml"
        path.write_text(
            path.read_text(encoding="utf-8").replace("2999-01-01", "2021-01-01"), encoding="utf-8"
        )
        assert review.reload_claim(app.project, "b-cost") is not None
        await pilot.press("R")  # the same screen again, its content worked out anew
        await wait_for(pilot, lambda: app.screen is queue and queue.loaded)
        assert [item.claim_id for item in queue.items] == ["a-cost", "b-cost"]


@sync
async def test_the_disagreement_queue_lists_claims_whose_reviewers_differ(desk: Path) -> None:
    path = desk / "claims" / "b-cost.toml"
    path.write_text(
        path.read_text(encoding="utf-8").replace('status = "unreviewed"', 'status = "false"')
        + OTHERS_VERDICT
        + "\n[[history]]\n"
        'at = 2025-03-02T09:00:00Z\nreviewer = "bob"\nfrom = "verified"\nto = "false"\n'
        'note = "the filing is older"\n',
        encoding="utf-8",
    )
    app = ReviewApp(load_project(desk), "tester", poll_seconds=None)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: list_screen(app).ready)
        app.action_command_palette()
        await pilot.pause()
        await pilot.press(*"Disagreements")
        await pilot.pause(0.3)
        await pilot.press("enter")
        from workbench.app.screens.queues import DisagreementQueueScreen

        await wait_for(pilot, lambda: isinstance(app.screen, DisagreementQueueScreen))
        queue = app.screen
        assert isinstance(queue, DisagreementQueueScreen)
        await wait_for(pilot, lambda: queue.loaded)
        assert [item.claim_id for item in queue.items] == ["b-cost"]
        assert "alice: verified" in queue.items[0].reason and "bob: false" in queue.items[0].reason
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, DetailScreen))


# -- screens and the palette --------------------------------------------------------------


@sync
async def test_a_burst_of_keys_never_stacks_a_screen_twice(desk: Path) -> None:
    app = ReviewApp(load_project(desk), "tester", poll_seconds=None)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: list_screen(app).ready)
        burst(app, *"pppppppp")
        await pilot.pause(0.3)
        burst(app, *"RRRR")
        await pilot.pause(0.3)
        burst(app, *"pppp")
        await pilot.pause(0.3)
        names = [type(screen).__name__ for screen in app.screen_stack]
        assert names.count("ProblemsScreen") == 1, names
        assert len(names) == len(set(names)), names
        assert names[-1] == "ProblemsScreen"


@sync
async def test_the_palette_jumps_to_a_claim_by_id_or_statement(desk: Path) -> None:
    app = ReviewApp(load_project(desk), "tester", poll_seconds=None)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: list_screen(app).ready)
        app.action_command_palette()
        await pilot.pause()
        await pilot.press(*"puts the run")
        await pilot.pause(0.5)
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, DetailScreen))
        assert app.screen.claim_id == "c-report"  # type: ignore[attr-defined]
        app.action_command_palette()
        await pilot.pause()
        await pilot.press(*"b-co")
        await pilot.pause(0.5)
        await pilot.press("enter")
        await wait_for(
            pilot,
            lambda: isinstance(app.screen, DetailScreen) and app.screen.claim_id == "b-cost",
        )


@sync
async def test_problems_stay_true_while_files_change(desk: Path) -> None:
    import os

    app = ReviewApp(load_project(desk), "tester", poll_seconds=None)
    path = desk / "claims" / "b-cost.toml"
    good = path.read_text(encoding="utf-8")
    async with app.run_test(size=(120, 40)) as pilot:
        screen = list_screen(app)
        await wait_for(pilot, lambda: screen.ready)
        path.write_text(good.replace('topic = "cost"', "topic = "), encoding="utf-8")
        os.utime(path, ns=(1, 1))
        app.check_disk()
        await wait_for(pilot, lambda: any(p.path == path for p in app.project.problems))
        await pilot.pause()
        from workbench.app.screens.problems import ProblemsScreen

        await pilot.press("p")
        await wait_for(pilot, lambda: isinstance(app.screen, ProblemsScreen))
        problems = app.screen
        assert isinstance(problems, ProblemsScreen)
        await wait_for(pilot, lambda: problems.state == "checked")
        assert any(problem.path == path for problem in problems.problems)
        count = len(problems.problems)
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, ClaimsListScreen))
        await pilot.pause()
        bar = str(screen.query_one("#status-bar").render())
        assert f"problems {count}" in bar
        # fixed on disk: gone from both
        path.write_text(good, encoding="utf-8")
        os.utime(path, ns=(2, 2))
        app.check_disk()
        await wait_for(pilot, lambda: not any(p.path == path for p in app.project.problems))
        await pilot.pause()
        bar = str(screen.query_one("#status-bar").render())
        assert "problems 0" in bar


@sync
async def test_the_list_suggests_the_closest_value_for_a_field_that_matches_nothing(
    desk: Path,
) -> None:
    app = ReviewApp(load_project(desk), "tester", poll_seconds=None)
    async with app.run_test(size=(160, 40)) as pilot:
        screen = list_screen(app)
        await wait_for(pilot, lambda: screen.ready)
        await pilot.press("slash", *"status:verfied")
        await wait_for(pilot, lambda: bool(screen.hints))
        await pilot.pause()
        bar = str(screen.query_one("#filter-bar").render())
        assert "did you mean `verified`?" in bar


def test_no_write_command_records_a_nameless_reviewer(desk: Path) -> None:
    """`add` and `evidence add` refuse like `mark` when nobody is named (no --reviewer,
    no WORKBENCH_REVIEWER, no git user.name): never the OS user, `root` in a container."""
    import os

    env = {"PATH": "/usr/bin:/bin", "HOME": str(desk), "WORKBENCH_CACHE_DIR": "off"}
    env["PYTHONPATH"] = os.environ.get("PYTHONPATH", "")
    before = sorted(path.name for path in (desk / "claims").iterdir())
    source = load_project(desk).claim("a-cost").source
    commands = [
        ["add", "--source", source.id, "--quote", source.quote, "--statement", "A new claim.",
         "--allow-duplicate", "--id", "nameless"],
        ["evidence", "add", "a-cost", "--citation", "A report", "--shows", "It says so.",
         "--stance", "refutes"],
    ]  # fmt: skip
    for arguments in commands:
        result = subprocess.run(
            [sys.executable, "-m", "workbench", "--root", str(desk), *arguments],
            capture_output=True, text=True, env=env, check=False, cwd=desk,
        )  # fmt: skip
        assert result.returncode == 2, result.stderr
        assert "no reviewer name" in result.stderr and "Traceback" not in result.stderr
    assert sorted(path.name for path in (desk / "claims").iterdir()) == before
    assert on_disk(desk, "a-cost").get("evidence", []) == []


def test_the_disagreement_queue_reads_verdicts_from_summaries_and_builds_no_model(
    repo_copy: Path,
) -> None:
    from workbench.app.screens.queues import disagreement_items

    load_project(repo_copy)  # fills the load index
    warm = load_project(repo_copy)
    assert all(record.deferred_model for record in warm.claims.values())
    items = disagreement_items(warm)
    assert {item.claim_id for item in items} == {
        "apple25-deepseek-adopted-btx",
        "chosun24-cannot-catch-up",
        "chosun24-cannot-develop-llm",
        "ge25c-trillion-yuan-vc-fund",
    }
    btx = next(item for item in items if item.claim_id == "apple25-deepseek-adopted-btx")
    assert btx.reason == "desk-review: false, seed-review: misleading"
    assert btx.statement.startswith("DeepSeek adopted an innovation called BTX")
    assert all(record.deferred_model for record in warm.claims.values()), "a model was built"


@sync
async def test_screens_closed_for_good_are_collected_once_the_list_is_drawn(
    desk: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Closing a screen runs the full garbage collection that Python would soon run on
    its own, once the screen below is drawn (`ReviewApp.pop_screen`): the screens
    closed for good before are freed then, not in the middle of the next opening.
    (Textual lets go of the screen just closed a little later, and of the first
    detail of a session not at all.)"""
    thresholds = gc.get_threshold()
    gc.disable()  # no collection but the app's own
    gc.set_threshold(thresholds[0], thresholds[1], 1)  # a full collection always due
    try:
        for collect in (True, False):
            monkeypatch.setattr(ReviewApp, "COLLECT_AFTER_CLOSE", collect)
            assert await second_closed_detail_freed(desk) is collect
    finally:
        gc.set_threshold(*thresholds)
        gc.enable()


async def second_closed_detail_freed(desk: Path) -> bool:
    """Open and close three claim details built anew; whether the second is freed."""
    app = ReviewApp(load_project(desk), "tester", poll_seconds=None, keep_screens=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: list_screen(app).ready)
        closed = []
        for _ in range(3):
            await pilot.press("enter")
            await wait_for(pilot, lambda: isinstance(app.screen, DetailScreen))
            closed.append(weakref.ref(app.screen))
            await pilot.press("escape")
            await wait_for(pilot, lambda: isinstance(app.screen, ClaimsListScreen))
            await pilot.pause(0.2)
        return closed[1]() is None
