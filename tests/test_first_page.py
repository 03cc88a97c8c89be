"""The review app's first paint: the list's first page from the load index alone.

`load_project_first_page` must give exactly the claims the full list shows at
its top (newest source first, then id; tied dates mixed by id; claims of an
unknown or undated source last), the counts of every claim, and then
`load_rest` must leave the project as `load_project_unchecked` would, keeping
whatever the app wrote meanwhile.
"""

from __future__ import annotations

import asyncio
import re
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from workbench import review
from workbench.app.app import ReviewApp
from workbench.app.screens.claims_list import ClaimsListScreen
from workbench.project import (
    Project,
    load_project,
    load_project_first_page,
    load_project_unchecked,
    load_rest,
)
from workbench.search import ClaimIndex, date_groups

from .conftest import age_claim_files


def _top(project: Project, count: int | None = None) -> list[str]:
    """The ids at the top of the claims list's default order."""
    index = ClaimIndex.from_project(project)
    return [index.ids[at] for at in index.order("date")[:count]]


def _warm(root: Path) -> Path:
    age_claim_files(root)
    load_project(root)
    return root


def _tie_and_stray(root: Path) -> None:
    """Two sources on one date (their claims mix by id), one claim of an unknown source."""
    metadata = sorted((root / "seeds").glob("*.toml"))
    dates = [re.search(r"^published = (.+)$", m.read_text(), re.M) for m in metadata]
    assert all(dates)
    first, second = metadata[0], metadata[1]
    shared = dates[0].group(1)  # type: ignore[union-attr]
    text = second.read_text(encoding="utf-8")
    second.write_text(re.sub(r"^published = .+$", f"published = {shared}", text, flags=re.M))
    claim = sorted((root / "claims").glob("*.toml"))[-1]
    text = claim.read_text(encoding="utf-8")
    stray = re.sub(r'^\[source\]\nid = "[^"]+"$', '[source]\nid = "nowhere"', text, flags=re.M)
    assert stray != text
    claim.write_text(stray, encoding="utf-8")
    assert first != second


@pytest.fixture(scope="module")
def bundled(tmp_path_factory: pytest.TempPathFactory) -> Path:
    import shutil

    repo = Path(__file__).resolve().parent.parent
    root = tmp_path_factory.mktemp("first-page")
    for name in ("claims", "seeds"):
        shutil.copytree(repo / name, root / name)
    for name in ("workbench.toml", "lexicon.toml"):
        shutil.copy(repo / name, root / name)
    _tie_and_stray(root)
    return root


def test_date_groups_put_tied_sources_together_and_unknown_ones_last() -> None:
    import datetime as dt

    groups = date_groups(
        {"old": dt.date(2024, 1, 1), "a": dt.date(2025, 2, 1), "b": dt.date(2025, 2, 1), "x": None}
    )
    assert groups == [["a", "b"], ["old"], [None, "x"]]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(limit=st.integers(min_value=1, max_value=260))
def test_the_first_page_is_the_top_of_the_full_list(bundled: Path, limit: int) -> None:
    _warm(bundled)
    full, _ = load_project_unchecked(bundled)
    loaded = load_project_first_page(bundled, limit=limit)
    assert loaded is not None
    page, rest = loaded
    assert _top(page) == _top(full, limit)
    assert rest.total == len(full.claims)
    assert rest.counts == ClaimIndex.from_project(full).count_by_status()


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    claims=st.lists(
        st.tuples(st.from_regex(r"[a-z0-9]{1,6}", fullmatch=True), st.integers(0, 3)),
        min_size=1,
        max_size=40,
        unique_by=lambda item: item[0],
    ),
    dates=st.lists(st.sampled_from(["2024-05-01", "2025-02-24"]), min_size=3, max_size=3),
    limit=st.integers(min_value=1, max_value=45),
)
def test_claims_of_tied_sources_mix_by_id_and_unknown_sources_come_last(
    claims: list[tuple[str, int]], dates: list[str], limit: int
) -> None:
    """Source 3 is named by claims but not declared: its claims count as undated."""
    import tempfile

    from .conftest import CONFIG, SOURCE_TOML, claim_toml

    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        (root / "seeds").mkdir()
        (root / "claims").mkdir()
        (root / "workbench.toml").write_text(CONFIG, encoding="utf-8")
        for number, date in enumerate(dates):
            (root / "seeds" / f"00{number}.txt").write_text("기사", encoding="utf-8")
            metadata = SOURCE_TOML.replace("test-source", f"s{number}")
            metadata = metadata.replace("000_test.txt", f"00{number}.txt")
            metadata = metadata.replace("2025-02-24", date)
            (root / "seeds" / f"00{number}.toml").write_text(metadata, encoding="utf-8")
        for claim_id, source in claims:
            text = claim_toml(claim_id, "기사").replace("test-source", f"s{source}")
            (root / "claims" / f"{claim_id}.toml").write_text(text, encoding="utf-8")
        _warm(root)
        full, _ = load_project_unchecked(root)
        loaded = load_project_first_page(root, limit=limit)
        assert loaded is not None
        assert _top(loaded[0]) == _top(full, limit)


def test_the_page_reaches_into_tied_and_unknown_sources(bundled: Path) -> None:
    _warm(bundled)
    full, _ = load_project_unchecked(bundled)
    top = _top(full)
    sources = [full.claims[claim_id].summary.source_id for claim_id in top]
    assert sources[-1] not in full.sources  # the stray claim comes last
    for limit in {len(top) - 1, len(top)} | {
        at + 1 for at in range(1, len(top)) if sources[at] != sources[at - 1]
    }:
        loaded = load_project_first_page(bundled, limit=limit)
        assert loaded is not None
        assert _top(loaded[0]) == top[:limit]


def test_the_page_has_every_problem_and_the_columns_of_every_claim(
    repo_copy: Path,
) -> None:
    broken = repo_copy / "claims" / "zz-broken.toml"
    broken.write_text("id = ", encoding="utf-8")
    _warm(repo_copy)
    full = load_project(repo_copy)
    loaded = load_project_first_page(repo_copy, limit=3)
    assert loaded is not None
    page, rest = loaded
    assert len(page.claims) == 3
    assert [p.path.name for p in page.problems] == [p.path.name for p in full.problems]
    assert rest.sample_ids == list(full.claims)
    outlets = {record.source.outlet for record in full.sources.values()}
    assert set(rest.outlets) == outlets


def test_without_an_index_there_is_no_first_page(
    repo_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert load_project_first_page(repo_copy) is None  # nothing indexed yet
    _warm(repo_copy)
    monkeypatch.setenv("WORKBENCH_CACHE_DIR", "off")
    assert load_project_first_page(repo_copy) is None


def test_the_rest_gives_the_unchecked_load_and_keeps_what_was_written(
    repo_copy: Path,
) -> None:
    _warm(repo_copy)
    loaded = load_project_first_page(repo_copy, limit=4)
    assert loaded is not None
    project, rest = loaded
    first = next(iter(project.claims))
    review.mark_status(project, first, "disputed", reviewer="tester", note="a second look")
    written = project.claims[first]
    pending = load_rest(project, rest)
    assert pending is not None
    full, _ = load_project_unchecked(repo_copy)
    assert sorted(project.claims) == sorted(full.claims)
    assert project.claims[first] is written
    assert project.claim(first).status == "disputed"
    assert load_project(repo_copy).claim(first).status == "disputed"


def test_the_app_paints_the_first_page_then_lists_every_claim(repo_copy: Path) -> None:
    _warm(repo_copy)
    time.sleep(0.01)
    full, _ = load_project_unchecked(repo_copy)
    total = len(full.claims)
    loaded = load_project_first_page(repo_copy, limit=6)
    assert loaded is not None
    project, rest = loaded
    whole = ReviewApp(full, "tester", poll_seconds=None)
    first = ReviewApp(project, "tester", poll_seconds=None, pending_rest=rest)

    async def widths(app: ReviewApp) -> tuple[int, int, int]:
        table = app.screen.table  # type: ignore[attr-defined]
        return table._id_width, table._status_width, table._outlet_width

    async def run() -> None:
        async with whole.run_test(size=(150, 30)) as pilot:
            await pilot.pause()
            expected = await widths(whole)
        async with first.run_test(size=(150, 30)) as pilot:
            screen = first.screen
            assert isinstance(screen, ClaimsListScreen)
            for _ in range(40):
                await pilot.pause()
                if first.pending_rest is None and first.pending_check is None:
                    break
            assert first.pending_rest is None and first.pending_check is None
            assert len(screen.table.positions) == total
            assert await widths(first) == expected
            bar = str(screen.query_one("#filter-bar").render())
            assert f"{total:,} of {total:,} claims shown" in bar

    asyncio.run(run())


def test_keys_typed_at_the_first_paint_act_on_every_claim(repo_copy: Path) -> None:
    """A search typed before the rest is in finds claims beyond the first page."""
    _warm(repo_copy)
    loaded = load_project_first_page(repo_copy, limit=2)
    assert loaded is not None
    project, rest = loaded
    app = ReviewApp(project, "tester", poll_seconds=None, pending_rest=rest)
    painted: list[int] = []

    async def run() -> None:
        async with app.run_test(size=(150, 30)) as pilot:
            screen = app.screen
            assert isinstance(screen, ClaimsListScreen)
            painted.append(len(screen.table.positions))
            await pilot.press("slash", *"deepseek")
            for _ in range(40):
                await app.workers.wait_for_complete()
                await pilot.pause()
                if app.pending_check is None and screen.filters.query == "deepseek":
                    break
            await app.workers.wait_for_complete()
            await pilot.pause()
            shown = [screen.table.index.ids[at] for at in screen.table.positions]
            assert screen.filters.query == "deepseek"
            assert len(shown) > 2
            assert all(claim_id in project.claims for claim_id in shown)

    asyncio.run(run())


def test_workbench_review_in_a_terminal_draws_then_searches_every_claim(
    repo_copy: Path,
) -> None:
    """The command a reviewer runs, in a real terminal (a pty): the list is drawn
    from the first page, then a search finds a claim among all of them."""
    import os
    import pty
    import select
    import subprocess
    import sys

    _warm(repo_copy)
    total = len(load_project(repo_copy).claims)
    target = "apple25-deepseek-no-high-end-chips"
    assert target in load_project(repo_copy).claims
    leader, follower = pty.openpty()
    environment = dict(os.environ, TERM="xterm-256color", COLUMNS="140", LINES="40")
    process = subprocess.Popen(
        [sys.executable, "-m", "workbench", "--root", str(repo_copy), "review", "--reviewer", "t"],
        stdin=follower,
        stdout=follower,
        stderr=follower,
        env=environment,
        close_fds=True,
    )
    os.close(follower)
    seen = b""

    def wait_for(text: str, timeout: float = 60.0) -> None:
        nonlocal seen
        deadline = time.monotonic() + timeout
        while text.encode() not in seen:
            left = deadline - time.monotonic()
            assert left > 0, f"{text!r} never appeared; the terminal got {seen[-2000:]!r}"
            ready, _, _ = select.select([leader], [], [], min(left, 0.5))
            if ready:
                try:
                    seen += os.read(leader, 65536)
                except OSError:  # the app has gone
                    raise AssertionError(f"the app ended: {seen[-2000:]!r}") from None

    def drain(seconds: float) -> None:
        """Read what the app draws for `seconds` (unread, the pty blocks the app)."""
        nonlocal seen
        deadline = time.monotonic() + seconds
        while (left := deadline - time.monotonic()) > 0:
            ready, _, _ = select.select([leader], [], [], left)
            if ready:
                try:
                    seen += os.read(leader, 65536)
                except OSError:  # the app has gone
                    return

    try:
        wait_for(f"{total:,} of {total:,} claims shown")
        drain(0.5)
        os.write(leader, b"/")
        drain(0.5)
        os.write(leader, b"no-high-end-chips")
        wait_for(f"1 of {total:,} claims shown")
        for key in (b"\x1b", b"q"):  # clear the search and leave it, quit
            os.write(leader, key)
            drain(1.0)  # apart: an escape and a key at once read as alt+key
        deadline = time.monotonic() + 30
        while process.poll() is None and time.monotonic() < deadline:
            drain(0.2)
        assert process.returncode == 0
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        os.close(leader)


def test_a_row_whose_listed_columns_disagree_with_its_summary_is_left_off(
    repo_copy: Path,
) -> None:
    """The columns the first page is looked up by are outside the row's check: a row
    whose columns say another source or status than its summary is not shown."""
    from .conftest import index_db

    _warm(repo_copy)
    full, _ = load_project_unchecked(repo_copy)
    top = _top(full, 5)
    with index_db(repo_copy) as connection:
        connection.execute("UPDATE files SET status = 'false' WHERE claim_id = ?", (top[1],))
    loaded = load_project_first_page(repo_copy, limit=5)
    assert loaded is not None
    page = _top(loaded[0])
    assert top[1] not in page
    assert page[:4] == [claim_id for claim_id in top if claim_id != top[1]]
