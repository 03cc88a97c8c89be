"""The review app's claim screens driven with Pilot: detail, compare, conflicts, timeline, problems.

Each test builds a small project (two Korean sources, a 2024 "lagging" one and a
2025 one, and claims that contradict) and opens one screen in a `ReviewApp`
whose first screen is that one, then checks what is shown and what was written.
"""

from __future__ import annotations

import asyncio
import functools
import io
import sys
import types
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from pathlib import Path, PurePath
from typing import Any, ClassVar

import pytest
from rich.console import Console
from textual import events, on
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Input, OptionList, Static

import workbench.app.app as app_module
from tests.conftest import ARTICLE, ProjectFactory
from workbench.app import conflict_source
from workbench.app.app import ReviewApp
from workbench.app.conflict_source import load_candidates
from workbench.app.screens.compare import CompareScreen
from workbench.app.screens.conflicts import ConflictQueueScreen
from workbench.app.screens.detail import DetailScreen
from workbench.app.screens.problems import ProblemsScreen
from workbench.app.screens.timeline import TimelineRow, TimelineScreen
from workbench.app.widgets.quote_view import HIGHLIGHT, quote_in_context
from workbench.models import Claim
from workbench.project import load_project
from workbench.storage import load_claim_file

SIZE = (120, 44)

ARTICLE_2024 = (
    "美의 대중 규제 먹혔나… 中 AI 성능 한참 뒤처져\n\n"
    "중국 AI 모델은 미국보다 1~2년 뒤처져 있다는 평가가 나온다.\n"
    "업계 추정에 따르면 모델 훈련 비용은 600만달러 수준이었다.\n"
)

SOURCE_2024 = """\
id = "chosun-2024"
file = "001_chosun.txt"
title = "美의 대중 규제 먹혔나… 中 AI 성능 한참 뒤처져"
outlet = "조선일보 (Chosun Ilbo)"
author = "김기자"
published = 2024-04-02
date_inferred = "from the article's byline (2024.04.02)"
language = "ko"
view = "lagging"
relays = ["CNBC", "The Information"]
"""


def claim_file(
    claim_id: str,
    *,
    statement: str,
    source: str,
    quote: str,
    topic: str = "race",
    stance: str = "lagging",
    status: str = "unreviewed",
    quantity: str = "",
    tables: str = "",
) -> str:
    text = (
        f'id = "{claim_id}"\nstatement = "{statement}"\ntopic = "{topic}"\n'
        f'stance = "{stance}"\nstatus = "{status}"\n\n'
        f'[source]\nid = "{source}"\nquote = "{quote}"\n'
    )
    if quantity:
        text += f"\n[quantity]\n{quantity}"
    return text + tables


CLAIMS = {
    "cost-deepseek-56.toml": claim_file(
        "cost-deepseek-56",
        statement="DeepSeek said it trained its model for $5.6 million.",
        source="test-source",
        quote="딥시크는 560만달러로 모델을 훈련했다고",
        topic="cost",
        stance="catching-up",
        quantity='subject = "training cost"\nvalue = 5600000\nunit = "USD"\nperiod = "2024"\n',
        tables=(
            '\n[[relations]]\nkind = "contradicts"\nclaim = "cost-estimate-6"\n'
            'note = "Different totals for the training cost."\n'
        ),
    ),
    "cost-estimate-6.toml": claim_file(
        "cost-estimate-6",
        statement="Industry estimates put the training cost at $6 million.",
        source="chosun-2024",
        quote="모델 훈련 비용은 600만달러 수준이었다",
        topic="cost",
        quantity='subject = "training cost"\nvalue = 6000000\nunit = "USD"\nperiod = "2023"\n',
        tables=(
            '\n[[relations]]\nkind = "contradicts"\nclaim = "cost-deepseek-56"\n'
            'note = "Different totals for the training cost."\n'
        ),
    ),
    "race-lag-2024.toml": claim_file(
        "race-lag-2024",
        statement="Chinese AI models are one to two years behind the US.",
        source="chosun-2024",
        quote="중국 AI 모델은 미국보다 1~2년 뒤처져 있다는",
    ),
    "race-tenth.toml": claim_file(
        "race-tenth",
        statement="DeepSeek's cost is a tenth of the US level.",
        source="test-source",
        quote="이는 미국 대비 10분의 1 수준이다",
        stance="catching-up",
        status="verified",
        tables=(
            '\n[[history]]\nat = 2025-03-01T09:30:00Z\nreviewer = "kim"\n'
            'from = "unreviewed"\nto = "verified"\nnote = "Matches the company report."\n'
        ),
    ),
    "funding-fdi.toml": claim_file(
        "funding-fdi",
        statement="FDI into China fell to $33 billion.",
        source="test-source",
        quote="330억달러(약 45조원) 규모로 줄었다",
        topic="funding",
        stance="lagging",
        quantity='subject = "fdi into china"\nvalue = 33000000000\nunit = "USD"\nperiod = "2024"\n',
    ),
}


def build_project(
    make_project: ProjectFactory,
    claims: dict[str, str] | None = None,
    *,
    article: str = ARTICLE,
) -> Path:
    """The test project of `conftest.make_project` plus a second (2024) source."""
    root = make_project(CLAIMS if claims is None else claims, article=article)
    (root / "seeds" / "001_chosun.txt").write_text(ARTICLE_2024, encoding="utf-8")
    (root / "seeds" / "001_chosun.toml").write_text(SOURCE_2024, encoding="utf-8")
    return root


APP_DIR = Path(app_module.__file__).parent


def sync(test: Callable[..., Coroutine[Any, Any, None]]) -> Callable[..., None]:
    """Run an async test with asyncio (no pytest plugin needed)."""

    @functools.wraps(test)
    def run(*args: Any, **kwargs: Any) -> None:
        asyncio.run(test(*args, **kwargs))

    return run


class ScreensApp(ReviewApp):
    """The review app opening straight onto one screen (no disk polling)."""

    CSS_PATH: ClassVar[list[str | PurePath]] = [APP_DIR / path for path in ReviewApp.CSS_PATH]
    """The app's own styles (a relative CSS_PATH would be looked for beside this file)."""

    def __init__(self, root: Path, opener: Callable[[ReviewApp], None]) -> None:
        super().__init__(load_project(root, use_cache=False), "tester", poll_seconds=None)
        self._opener = opener

    @on(events.Mount)
    def _open_the_screen_under_test(self, event: events.Mount) -> None:
        event.prevent_default()  # not the claims list (`ReviewApp.on_mount`): this screen
        self._opener(self)


def read_claim(root: Path, claim_id: str) -> Claim:
    record, problems = load_claim_file(root / "claims" / f"{claim_id}.toml")
    assert record is not None, problems
    return record.claim


def plain(widget: Static) -> str:
    content = widget.content
    return content.plain if isinstance(content, Content) else str(content)


def section_text(screen: Screen[Any], name: str) -> str:
    """The text of a part of a claim detail (`DetailScreen.section`), 200 cells wide."""
    assert isinstance(screen, DetailScreen)
    console = Console(width=200, record=True, file=io.StringIO())
    console.print(screen.section(name))
    return console.export_text()


async def settle(app: ReviewApp) -> None:
    await app.workers.wait_for_complete()
    for _ in range(3):
        await app.workers.wait_for_complete()
        await app.animator.wait_until_complete()
        await app._animator.wait_for_idle()


# -- keys and the quote view ------------------------------------------------------------

SCREENS = [DetailScreen, CompareScreen, ConflictQueueScreen, TimelineScreen, ProblemsScreen]


@pytest.mark.parametrize("screen", SCREENS, ids=lambda screen: screen.__name__)
def test_every_binding_has_an_id_and_a_description(screen: type[Screen[Any]]) -> None:
    """Ours, that is: Textual's own (tab, ctrl+c) have neither."""
    own = [
        binding
        for cls in screen.__mro__
        if cls.__module__.startswith("workbench.") and "BINDINGS" in cls.__dict__
        for binding in Binding.make_bindings(cls.__dict__["BINDINGS"])
    ]
    assert own
    for binding in own:
        assert binding.id and binding.id.startswith("workbench."), binding
        assert binding.description, binding


def test_quote_in_context_cuts_in_cells_and_keeps_the_highlight() -> None:
    text = (
        "첫 문단\n\n  앞 문장은 아주 길다. 딥시크는 560만달러로 훈련했다. 뒤 문장도 길다.  \n다음"
    )
    start = text.index("딥시크")
    end = start + len("딥시크는 560만달러로")
    whole = quote_in_context(text, (start, end))
    assert whole.plain == "앞 문장은 아주 길다. 딥시크는 560만달러로 훈련했다. 뒤 문장도 길다."
    cut = quote_in_context(text, (start, end), context=10)
    assert cut.plain == "…길다. 딥시크는 560만달러로 훈련했다.…"
    assert [cut.plain[s.start : s.end] for s in cut.spans] == ["딥시크는 560만달러로"]
    with_tab = text.replace("아주", "\x0b아주")
    moved = (start + 1, end + 1)
    shown = quote_in_context(with_tab, moved)
    assert [shown.plain[s.start : s.end] for s in shown.spans] == ["딥시크는 560만달러로"]


# -- detail ----------------------------------------------------------------------------


@sync
async def test_detail_shows_quote_in_context_and_opens_relation(
    make_project: ProjectFactory,
) -> None:
    root = build_project(make_project)
    app = ScreensApp(root, lambda app: app.open_detail("cost-deepseek-56"))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, DetailScreen)
        content = screen.section("quote")
        paragraph = (
            "딥시크는 560만달러로 모델을 훈련했다고 밝혔다. 이는 미국 대비 10분의 1 수준이다."
        )
        assert content.plain == paragraph
        highlighted = [
            content.plain[span.start : span.end]
            for span in content.spans
            if span.style == HIGHLIGHT
        ]
        assert highlighted == ["딥시크는 560만달러로 모델을 훈련했다고"]
        source = screen.section("source").plain
        assert "Test Daily" in source and "stated in the article" in source
        assert "5.6 million USD" in screen.section("quantity").plain
        assert screen.section("relations").plain == "Relations (1)"

        relations = screen.query_one("#relations", OptionList)
        assert relations.option_count == 1
        prompt = relations.get_option_at_index(0).prompt
        assert isinstance(prompt, Content)
        assert "↔ contradicts" in prompt.plain and "cost-estimate-6" in prompt.plain

        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, DetailScreen)
        assert app.screen.claim_id == "cost-estimate-6"
        assert isinstance(app.screen, DetailScreen)
        other_source = app.screen.section("source").plain
        assert "inferred: from the article's byline" in other_source
        assert "CNBC, The Information" in other_source

        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, DetailScreen)
        assert app.screen.claim_id == "cost-deepseek-56"
        await pilot.press("c")
        await pilot.pause()
        assert isinstance(app.screen, CompareScreen)
        assert app.screen.claim_ids == ["cost-deepseek-56", "cost-estimate-6"]


@sync
async def test_a_first_detail_focuses_its_relations_or_else_its_body(
    make_project: ProjectFactory,
) -> None:
    """No key is lost on a detail just opened: the relations take focus (enter opens
    one), or the body when there are none (the arrows scroll it)."""
    root = build_project(make_project)
    app = ScreensApp(root, lambda app: app.open_detail("race-tenth"))
    async with app.run_test(size=(100, 12)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, DetailScreen)
        body = screen.query_one("#detail-body", VerticalScroll)
        assert screen.section("relations").plain == "Relations: none recorded"
        assert not screen.query(OptionList)  # no relations: no list mounted
        assert app.focused is body
        await pilot.press("down", "down")
        assert body.scroll_y == 2
    app = ScreensApp(root, lambda app: app.open_detail("cost-deepseek-56"))
    async with app.run_test(size=(100, 12)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, DetailScreen)
        relations = screen.query_one("#relations", OptionList)
        assert app.focused is relations
        assert screen.can_view_entire(relations)  # scrolled to, once laid out
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, DetailScreen) and app.screen.claim_id == "cost-estimate-6"


@sync
async def test_the_detail_is_laid_out_again_when_the_terminal_is_resized(
    make_project: ProjectFactory,
) -> None:
    """The detail skips only the `Resize` to the size it is laid out at (the one its
    first layout sends): a terminal made wider or narrower still rewraps its text."""
    root = build_project(make_project)
    app = ScreensApp(root, lambda app: app.open_detail("cost-deepseek-56"))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, DetailScreen)
        text = screen.query_one("#claim-text")
        narrow = text.size.width
        await pilot.resize_terminal(140, 30)
        await pilot.pause()
        assert text.size.width == narrow + 40
        await pilot.resize_terminal(80, 30)
        await pilot.pause()
        assert text.size.width == narrow - 20


@sync
async def test_the_detail_screen_kept_for_reuse_shows_each_claim_as_a_new_one_would(
    make_project: ProjectFactory,
) -> None:
    root = build_project(make_project)
    app = ScreensApp(root, lambda app: app.open_detail("cost-deepseek-56"))
    async with app.run_test(size=(100, 20)) as pilot:
        await pilot.pause()
        first = app.screen
        assert isinstance(first, DetailScreen)
        body = first.query_one("#detail-body", VerticalScroll)
        body.focus()
        body.scroll_end(animate=False)
        await pilot.pause()
        assert body.scroll_y > 0
        app.pop_screen()
        await pilot.pause()
        app.open_detail("race-tenth")
        await pilot.pause()
        assert app.screen is first  # the same screen, shown again
        assert first.claim_id == "race-tenth"
        assert first.section("statement").plain == "DeepSeek's cost is a tenth of the US level."
        assert "Matches the company report." in section_text(first, "history")
        assert first.section("relations").plain == "Relations: none recorded"
        relations = first.query_one("#relations", OptionList)
        assert relations.option_count == 0 and not relations.display
        assert body.scroll_y == 0
        assert app.focused is body
        app.pop_screen()
        await pilot.pause()
        app.open_detail("cost-deepseek-56")
        await pilot.pause()
        assert app.screen is first
        relations = first.query_one("#relations", OptionList)
        assert relations.option_count == 1 and relations.highlighted == 0
        assert app.focused is relations
        assert "no reviews yet" in section_text(first, "history")
        await pilot.press("enter")  # a related claim's detail: a screen of its own
        await pilot.pause()
        assert isinstance(app.screen, DetailScreen) and app.screen is not first
        assert app.screen.claim_id == "cost-estimate-6"
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is first and first.claim_id == "cost-deepseek-56"


@sync
async def test_detail_status_note_and_undo_act_on_the_claim_shown(
    make_project: ProjectFactory,
) -> None:
    root = build_project(make_project)
    app = ScreensApp(root, lambda app: app.open_detail("race-lag-2024"))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("1")
        await pilot.pause()
        claim = read_claim(root, "race-lag-2024")
        assert claim.status == "verified"
        assert (claim.history[-1].from_status, claim.history[-1].to_status) == (
            "unreviewed",
            "verified",
        )
        assert claim.history[-1].reviewer == "tester"
        assert "verified" in plain(app.screen.query_one("#detail-title", Static))

        await pilot.press("u")  # the app's undo: a further history entry
        await pilot.pause()
        claim = read_claim(root, "race-lag-2024")
        assert claim.status == "unreviewed"
        assert claim.history[-1].note.startswith("undo:")
        assert "unreviewed" in plain(app.screen.query_one("#detail-title", Static))

        await pilot.press("n")
        await pilot.pause()
        app.screen.query_one(Input).value = "checked against CNBC"
        await pilot.press("enter")
        await pilot.pause()
        claim = read_claim(root, "race-lag-2024")
        assert claim.history[-1].note == "checked against CNBC"
        assert claim.status == "unreviewed"
        assert "checked against CNBC" in section_text(app.screen, "history")


@sync
async def test_detail_shows_hostile_text_literally(make_project: ProjectFactory) -> None:
    root = build_project(make_project, HOSTILE_CLAIMS, article=HOSTILE_ARTICLE)
    app = ScreensApp(root, lambda app: app.open_detail("hostile-markup"))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, DetailScreen)
        assert screen.section("statement").plain == HOSTILE_STATEMENT
        assert "[link=x]560만달러[/link]" in screen.section("quote").plain


# -- compare ---------------------------------------------------------------------------


@sync
async def test_compare_points_out_the_differences(make_project: ProjectFactory) -> None:
    root = build_project(make_project)
    ids = ["cost-deepseek-56", "cost-estimate-6"]
    app = ScreensApp(root, lambda app: app.open_compare(ids))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        text = plain(app.screen.query_one("#differences", Static))
        assert "value: 5.6 million USD vs 6 million USD (7% apart)" in text
        assert "period: 2024 vs 2023" in text
        assert "stance: catching-up vs lagging (opposite views)" in text
        assert "published: 2025-02-24 vs 2024-04-02 (sources 10 months apart)" in text
        assert "source: Test Daily vs 조선일보 (Chosun Ilbo) (different outlets)" in text


@sync
async def test_compare_marks_the_status_of_the_focused_pane(make_project: ProjectFactory) -> None:
    root = build_project(make_project)
    ids = ["cost-deepseek-56", "cost-estimate-6"]
    app = ScreensApp(root, lambda app: app.open_compare(ids))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("tab")  # focus the second pane
        await pilot.press("4")
        await pilot.pause()
        assert read_claim(root, "cost-estimate-6").status == "false"
        assert read_claim(root, "cost-estimate-6").history[-1].to_status == "false"
        assert read_claim(root, "cost-deepseek-56").status == "unreviewed"


@sync
async def test_compare_records_a_relation_in_both_files(make_project: ProjectFactory) -> None:
    root = build_project(make_project)
    ids = ["race-lag-2024", "race-tenth", "funding-fdi"]
    app = ScreensApp(root, lambda app: app.open_compare(ids))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, CompareScreen)
        assert screen.current_pair() == ("race-lag-2024", "race-tenth")
        await pilot.press("C")
        await pilot.pause()
        app.screen.query_one(Input).value = "a year behind vs a tenth of the cost"
        await pilot.press("enter")
        await pilot.pause()
        first, second = read_claim(root, "race-lag-2024"), read_claim(root, "race-tenth")
        assert [(r.kind, r.claim, r.note) for r in first.relations] == [
            ("contradicts", "race-tenth", "a year behind vs a tenth of the cost")
        ]
        assert [(r.kind, r.claim) for r in second.relations] == [("contradicts", "race-lag-2024")]

        await pilot.press("right_square_bracket")
        await pilot.pause()
        assert screen.current_pair() == ("race-lag-2024", "funding-fdi")
        assert "pair 2 of 3" in plain(screen.query_one("#compare-title", Static))
        await pilot.press("x")
        await pilot.pause()
        await pilot.press("escape")  # cancel the note: nothing written
        await pilot.pause()
        assert read_claim(root, "funding-fdi").relations == []


@sync
async def test_compare_updates_points_from_the_newer_claim(make_project: ProjectFactory) -> None:
    root = build_project(make_project)
    ids = ["race-lag-2024", "race-tenth"]
    app = ScreensApp(root, lambda app: app.open_compare(ids))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("U")
        await pilot.pause()
        await pilot.press("enter")  # an empty note is allowed
        await pilot.pause()
        assert [(r.kind, r.claim) for r in read_claim(root, "race-tenth").relations] == [
            ("updates", "race-lag-2024")
        ]
        assert read_claim(root, "race-lag-2024").relations == []


# -- conflict queue ----------------------------------------------------------------------


@dataclass(frozen=True)
class FakeCandidate:
    first: str
    second: str
    kind: str
    score: float
    reason: str
    suggested_relation: str


FAKE_CANDIDATES = [
    FakeCandidate(
        "race-lag-2024", "race-tenth", "stance", 0.9, "lagging vs catching up", "contradicts"
    ),
    FakeCandidate("cost-deepseek-56", "cost-estimate-6", "numeric", 0.8, "5.6 vs 6", "contradicts"),
    FakeCandidate("funding-fdi", "cost-estimate-6", "numeric", 0.4, "two dollar sums", "supports"),
]


@pytest.fixture
def fake_engine(monkeypatch: pytest.MonkeyPatch) -> list[FakeCandidate]:
    """A matching engine that always proposes the same pairs, whatever the files say."""
    module = types.ModuleType("tests_fake_matching")

    def find_candidates(project: object, **options: object) -> list[FakeCandidate]:
        return list(FAKE_CANDIDATES)

    module.find_candidates = find_candidates  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "tests_fake_matching", module)
    monkeypatch.setattr(conflict_source, "MATCHING_MODULE", "tests_fake_matching")
    return FAKE_CANDIDATES


def test_queue_leaves_out_related_pairs(make_project: ProjectFactory, fake_engine: object) -> None:
    queue = load_candidates(load_project(build_project(make_project), use_cache=False))
    assert queue.origin == "matching"
    assert [(c.first, c.second) for c in queue.candidates] == [
        ("race-lag-2024", "race-tenth"),
        ("funding-fdi", "cost-estimate-6"),
    ]


def test_queue_uses_the_matching_engine_when_installed(make_project: ProjectFactory) -> None:
    project = load_project(build_project(make_project), use_cache=False)
    queue = load_candidates(project)
    assert (queue.origin, queue.note) == ("matching", "")
    scores = [candidate.score for candidate in queue.candidates]
    assert scores == sorted(scores, reverse=True)
    for candidate in queue.candidates:
        assert {candidate.first, candidate.second} <= set(project.claims)
        assert candidate.pair != frozenset({"cost-deepseek-56", "cost-estimate-6"})  # related


def test_queue_falls_back_to_recorded_relations(
    make_project: ProjectFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(conflict_source, "MATCHING_MODULE", "workbench.no_such_matching_module")
    queue = load_candidates(load_project(build_project(make_project), use_cache=False))
    assert queue.origin == "recorded"
    assert [(c.first, c.second, c.kind, c.suggested_relation) for c in queue.candidates] == [
        ("cost-deepseek-56", "cost-estimate-6", "numeric", "contradicts")
    ]


@sync
async def test_conflict_queue_confirm_records_in_both_files(
    make_project: ProjectFactory, fake_engine: object
) -> None:
    root = build_project(make_project)
    app = ScreensApp(root, lambda app: app.open_conflicts())
    async with app.run_test(size=SIZE) as pilot:
        await settle(app)
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ConflictQueueScreen)
        title = plain(screen.query_one("#compare-title", Static))
        assert "1 of 2" in title and "stance" in title and "0.90" in title
        assert "lagging vs catching up" in title
        await pilot.press("y")  # the confirm form: the suggested kind, an empty note
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        first, second = read_claim(root, "race-lag-2024"), read_claim(root, "race-tenth")
        assert [(r.kind, r.claim, r.note, r.reviewer) for r in first.relations] == [
            ("contradicts", "race-tenth", "", "tester")
        ]
        assert [(r.kind, r.claim) for r in second.relations] == [("contradicts", "race-lag-2024")]
        assert "1 of 1" in plain(screen.query_one("#compare-title", Static))
        assert screen.current_pair() == ("funding-fdi", "cost-estimate-6")


@sync
async def test_conflict_queue_dismiss_is_recorded_and_never_returns(
    make_project: ProjectFactory, fake_engine: object
) -> None:
    root = build_project(make_project)
    app = ScreensApp(root, lambda app: app.open_conflicts())
    async with app.run_test(size=SIZE) as pilot:
        await settle(app)
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ConflictQueueScreen)
        await pilot.press("right_square_bracket")  # skip: the pair stays in the queue
        await pilot.pause()
        assert screen.current_pair() == ("funding-fdi", "cost-estimate-6")
        await pilot.press("left_square_bracket")
        await pilot.pause()
        assert screen.current_pair() == ("race-lag-2024", "race-tenth")
        await pilot.press("d")
        await pilot.pause()
        app.screen.query_one(Input).value = "different subjects"
        await pilot.press("enter")
        await pilot.pause()
        for claim_id, other in (("race-lag-2024", "race-tenth"), ("race-tenth", "race-lag-2024")):
            claim = read_claim(root, claim_id)
            assert [(d.claim, d.kind, d.note, d.reviewer) for d in claim.dismissed] == [
                (other, "stance", "different subjects", "tester")
            ]
            assert claim.relations == []
        assert [c.pair for c in screen.candidates] == [
            frozenset({"funding-fdi", "cost-estimate-6"})
        ]

    rebuilt = load_candidates(load_project(root, use_cache=False))
    assert frozenset({"race-lag-2024", "race-tenth"}) not in [c.pair for c in rebuilt.candidates]


@sync
async def test_conflict_queue_other_relation_kind_and_empty_queue(
    make_project: ProjectFactory, fake_engine: object
) -> None:
    root = build_project(make_project)
    app = ScreensApp(root, lambda app: app.open_conflicts())
    async with app.run_test(size=SIZE) as pilot:
        await settle(app)
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ConflictQueueScreen)
        await pilot.press("F")  # same-fact instead of the suggested contradicts
        await pilot.pause()
        await pilot.press("enter")
        await settle(app)
        await pilot.pause()
        assert [(r.kind, r.claim) for r in read_claim(root, "race-tenth").relations] == [
            ("same-fact", "race-lag-2024")
        ]
        assert len(screen.candidates) == 1
        await pilot.press("y", "enter")
        await pilot.pause()
        assert screen.candidates == []
        assert "empty" in plain(screen.query_one("#compare-title", Static))


# -- timeline --------------------------------------------------------------------------


@sync
async def test_timeline_orders_by_source_date(make_project: ProjectFactory) -> None:
    root = build_project(make_project)
    app = ScreensApp(root, lambda app: app.open_timeline("race"))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, TimelineScreen)
        rows = [row.claim_id for row in screen.query(TimelineRow)]
        assert rows == ["race-lag-2024", "race-tenth"]
        # lagging is the first stance of its opposing pair in the lexicon
        assert screen.query(TimelineRow).first().has_class("-stance-side-a")
        summary = plain(screen.query_one("#timeline-summary", Static))
        assert summary.splitlines()[0].startswith("2024")
        assert "lagging 1" in summary.splitlines()[0]

        await pilot.press("t")  # after the last topic: all topics
        await pilot.pause()
        assert screen.topic is None
        await pilot.press("T")  # and back
        await pilot.pause()
        assert screen.topic == "race"
        await pilot.press("t", "t")  # all topics, then round to the first: cost
        await pilot.pause()
        assert screen.topic == "cost"
        assert [row.claim_id for row in screen.query(TimelineRow)] == [
            "cost-estimate-6",
            "cost-deepseek-56",
        ]
        await pilot.press("down")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, DetailScreen)
        assert app.screen.claim_id == "cost-deepseek-56"
        await pilot.press("1")
        await pilot.press("escape")
        await pilot.pause()
        current: Screen[Any] = app.screen
        assert current is screen
        row = next(r for r in screen.query(TimelineRow) if r.claim_id == "cost-deepseek-56")
        assert plain(row).endswith("verified")
        assert screen.focused is row


@sync
async def test_timeline_all_topics(make_project: ProjectFactory) -> None:
    root = build_project(make_project)
    app = ScreensApp(root, lambda app: app.open_timeline(None))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        headers = [plain(header) for header in app.screen.query(".timeline-source").results(Static)]
        assert headers[0].startswith("2024-04-02") and headers[1].startswith("2025-02-24")
        assert len(list(app.screen.query(TimelineRow))) == len(CLAIMS)


@sync
async def test_timeline_and_detail_survive_odd_data(make_project: ProjectFactory) -> None:
    """A stance outside the vocabulary, a source that does not exist, a quote not found."""
    claims = {
        "odd-stance.toml": claim_file(
            "odd-stance",
            statement="Bullish 🚀",
            source="test-source",
            quote="없는 문장",
            stance="bullish",
        ),
        "odd-source.toml": claim_file(
            "odd-source", statement="[b]x[/b]", source="nowhere", quote="[/] 어딘가"
        ),
    }
    root = build_project(make_project, claims)
    app = ScreensApp(root, lambda app: app.open_timeline(None))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        rows = list(app.screen.query(TimelineRow))
        assert {row.claim_id for row in rows} == {"odd-stance", "odd-source"}
        assert "bullish 1" in plain(app.screen.query_one("#timeline-summary", Static))
        app.open_detail("odd-source")
        await pilot.pause()
        assert isinstance(app.screen, DetailScreen)
        assert "unknown source" in app.screen.section("source").plain
        assert app.screen.section("quote").plain.startswith("[/] 어딘가\n")
        app.open_detail("odd-stance")
        await pilot.pause()
        assert isinstance(app.screen, DetailScreen)
        assert "does not occur in the source" in app.screen.section("quote").plain


# -- problems --------------------------------------------------------------------------


@sync
async def test_problems_lists_a_broken_file(make_project: ProjectFactory) -> None:
    claims = dict(CLAIMS)
    claims["broken.toml"] = 'id = "broken\nstatement = "[bold]oops[/]"\n'
    claims["no-source.toml"] = 'id = "no-source"\nstatement = "[link=x]x[/link]"\n'
    root = build_project(make_project, claims)
    app = ScreensApp(root, lambda app: app.open_problems())
    async with app.run_test(size=SIZE) as pilot:
        await settle(app)
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ProblemsScreen)
        listing = screen.query_one("#problems-list", OptionList)
        lines = []
        for index in range(listing.option_count):
            prompt = listing.get_option_at_index(index).prompt
            assert isinstance(prompt, Content)
            lines.append(prompt.plain)
        assert any("claims/broken.toml:" in line and "WB003" in line for line in lines)
        assert any("claims/no-source.toml:" in line and "WB103" in line for line in lines)
        assert screen.state == "checked"

        await pilot.press("f")  # errors only
        await pilot.press("f")  # warnings only
        await pilot.pause()
        title = plain(screen.query_one("#problems-title", Static))
        assert "warnings only" in title
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, ProblemsScreen)


# -- hostile data ----------------------------------------------------------------------

HOSTILE_STATEMENT = "[bold]딥시크[/] claims [link=x]5.6M[/link] 🚀 and [red]more[/red]"

HOSTILE_ARTICLE = (
    "[bold]중국 AI[/] 기사 🚀\n\n"
    "딥시크는 [link=x]560만달러[/link]로 모델을 훈련했다고 밝혔다 🤖. "
    "[/] 이는 미국 대비 10분의 1 수준이다.\n"
    "지난해 중국에 대한 외국인 직접투자(FDI)는 330억달러(약 45조원) 규모로 줄었다.\n"
)

HOSTILE_CLAIMS = {
    "hostile-markup.toml": claim_file(
        "hostile-markup",
        statement=HOSTILE_STATEMENT,
        source="test-source",
        quote="딥시크는 [link=x]560만달러[/link]로 모델을 훈련했다고",
        topic="cost",
        stance="catching-up",
        quantity='subject = "[b]cost[/b]"\nvalue = 5600000\nunit = "USD"\nperiod = "2024"\n',
        tables=(
            '\n[[relations]]\nkind = "contradicts"\nclaim = "hostile-other"\n'
            'note = "[/] closes nothing; [bold] opens nothing 🙂"\n'
            '\n[[history]]\nat = 2025-03-01T09:30:00Z\nreviewer = "[i]kim[/i]"\n'
            'from = "unreviewed"\nto = "unreviewed"\nnote = "[link=https://x]click[/link] 😀"\n'
        ),
    ),
    "hostile-other.toml": claim_file(
        "hostile-other",
        statement="[dim]중국은 미국에 뒤처져[/dim] 있다 [/]",
        source="chosun-2024",
        quote="모델 훈련 비용은 600만달러 수준이었다",
        topic="cost",
        quantity='subject = "[b]cost[/b]"\nvalue = 6000000\nunit = "CNY"\nperiod = "2023"\n',
        tables=(
            '\n[[relations]]\nkind = "contradicts"\nclaim = "hostile-markup"\n'
            'note = "[/] closes nothing; [bold] opens nothing 🙂"\n'
        ),
    ),
}
