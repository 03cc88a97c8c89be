"""`workbench source add`: new articles into seeds/, checked, feeding ClaimReview."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
from pathlib import Path

import pytest

from workbench.checks import check_project
from workbench.cli import main
from workbench.export import export_claims
from workbench.project import load_project
from workbench.sources import guess_language, propose_source_id

from .conftest import ProjectFactory

ARTICLE_TEXT = (
    "미국 정부가 엔비디아의 H20 칩 중국 수출을 다시 허용했다.\r\n"
    "딥시크는 지난해 560만달러로 모델을 훈련했다고 밝혔다.\n"
)

HTML = """<!DOCTYPE html>
<html lang="ko"><head><meta charset="utf-8">
<title>엔비디아 H20 수출 재개 中 AI 반등</title></head>
<body><nav><a href="/">홈</a> <a href="/news">뉴스</a> 메뉴 광고 구독하기</nav>
<article><h1>엔비디아 H20 수출 재개 中 AI 반등</h1>
<p>미국 정부가 엔비디아의 H20 칩 중국 수출을 다시 허용했다. 업계는 중국 인공지능 기업들이
연산 자원 부족을 일부 덜 것으로 보고 있다.</p>
<p>딥시크는 지난해 560만달러로 모델을 훈련했다고 밝혔으며, 올해는 더 큰 모델을 준비하고
있는 것으로 알려졌다. 한 업계 관계자는 "수출 재개가 중국 AI 생태계에 숨통을 틔울 것"이라고
말했다.</p>
<p>다만 전문가들은 장기적으로는 중국 자체 칩 개발이 더 중요하다고 지적했다.</p>
</article><footer>Copyright 2025 Test Daily. 무단전재 금지</footer></body></html>
"""

EMPTY_HTML = "<!DOCTYPE html><html><head><title>Nothing</title></head><body></body></html>"
CHROME_ONLY_HTML = (
    "<!DOCTYPE html><html><head><title>Menu</title></head><body>"
    '<header>Test Daily</header><nav><a href="/">Home</a> <a href="/news">News</a> menu</nav>'
    "<aside>Most read</aside><footer>Copyright 2025 Test Daily. All rights reserved.</footer>"
    "</body></html>"
)


def _run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    try:
        code = main(argv)
    except SystemExit as exit_:
        code = int(exit_.code or 0)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.fixture
def root(make_project: ProjectFactory) -> Path:
    return make_project()


def _seeds(root: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted((root / "seeds").iterdir())}


def _add(root: Path, file: Path, *extra: str) -> list[str]:
    return [
        "source",
        "add",
        str(file),
        "--root",
        str(root),
        "--outlet",
        "테스트일보 (Test Daily)",
        "--published",
        "2025-07-15",
        "--view",
        "catching-up",
        *extra,
    ]


def test_a_text_file_is_copied_byte_for_byte_and_passes_check(
    root: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    file = tmp_path / "article.txt"
    file.write_bytes(ARTICLE_TEXT.encode("utf-8"))
    argv = _add(root, file, "--title", "H20 수출 재개", "--author", "Kim", "--id", "test-2025-h20")
    code, out, err = _run(argv, capsys)
    assert (code, err) == (0, "")
    digest = hashlib.sha256(ARTICLE_TEXT.encode("utf-8")).hexdigest()[:16]
    stem = f"001_{digest}"  # the fixture's seed is 000_test
    assert out == (
        f"added source test-2025-h20: seeds/{stem}.txt (text copied, "
        f"{len(ARTICLE_TEXT)} characters) and seeds/{stem}.toml\n"
    )
    assert (root / "seeds" / f"{stem}.txt").read_bytes() == ARTICLE_TEXT.encode("utf-8")
    project = load_project(root, use_cache=False)
    source = project.sources["test-2025-h20"].source
    assert (source.file, source.title, source.author, source.language, source.view) == (
        f"{stem}.txt",
        "H20 수출 재개",
        "Kim",
        "ko",
        "catching-up",
    )
    assert source.published == dt.date(2025, 7, 15)
    assert check_project(project) == []  # canonical metadata, readable text
    assert main(["check", "--root", str(root)]) == 0


def test_an_html_file_is_reduced_to_the_article_and_titled_from_the_page(
    root: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    file = tmp_path / "page.download"  # no .html suffix: sniffed
    file.write_text(HTML, encoding="utf-8")
    code, out, err = _run(_add(root, file, "--url", "https://testdaily.example.com/a/1"), capsys)
    assert (code, err) == (0, "")
    assert "article text extracted from HTML" in out
    project = load_project(root, use_cache=False)
    [new_id] = [name for name in project.sources if name != "test-source"]
    source = project.sources[new_id]
    assert new_id == "test-2025-h20-ai"  # outlet, year, Latin title words
    assert source.source.title == "엔비디아 H20 수출 재개 中 AI 반등"
    assert source.source.language == "ko"
    assert "딥시크는 지난해 560만달러로 모델을 훈련했다고" in source.text
    for chrome in ("메뉴", "구독하기", "Copyright", "무단전재", "<p>"):
        assert chrome not in source.text
    assert check_project(project) == []


def test_the_source_url_becomes_the_claimreview_appearance(
    root: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("WORKBENCH_REVIEWER", "Test Reviewer")
    with (root / "workbench.toml").open("a", encoding="utf-8") as config:
        config.write(
            '\n[claimreview]\norganization = "Desk"\norganization_url = "https://desk.org"\n'
            'review_url = "https://desk.org/claims/{id}"\n'
        )
    file = tmp_path / "page.html"
    file.write_text(HTML, encoding="utf-8")
    url = "https://testdaily.example.com/a/1"
    assert _run(_add(root, file, "--url", url, "--id", "td-2025-h20"), capsys)[0] == 0
    argv = [
        "add",
        "--root",
        str(root),
        "--source",
        "td-2025-h20",
        "--quote",
        "미국 정부가 엔비디아의 H20 칩 중국 수출을 다시 허용했다",
        "--statement",
        "The US allowed Nvidia to export H20 chips to China again.",
        "--topic",
        "race",
        "--stance",
        "neutral",
        "--id",
        "td25-h20-exports",
        "--no-quantity",
    ]
    code, _out, err = _run(argv, capsys)
    assert code == 0, err
    assert _run(["mark", "td25-h20-exports", "verified", "--root", str(root)], capsys)[0] == 0
    buffer = io.StringIO()
    export_claims(load_project(root, use_cache=False), None, "claimreview", buffer, draft=True)
    [review] = json.loads(buffer.getvalue())
    appearance = review["itemReviewed"]["appearance"]
    assert appearance["url"] == url
    assert appearance["headline"] == "엔비디아 H20 수출 재개 中 AI 반등"
    assert review["itemReviewed"]["datePublished"] == "2025-07-15"


@pytest.mark.parametrize(
    ("content", "extra", "expected"),
    [
        (None, [], "no such file"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", [], "a binary file"),
        ("기사".encode("euc-kr"), [], "not UTF-8"),
        (b"  \n", [], "holds no text"),
        (EMPTY_HTML.encode(), [], "no article text found in the HTML"),
        # a page of site chrome only: trafilatura alone returned its menu as the article
        (CHROME_ONLY_HTML.encode(), [], "no article text found in the HTML"),
        (b"text", ["--url", "ftp://x.org/a"], "--url: 'ftp://x.org/a' is not an http(s)"),
        (b"text", ["--url", "javascript:alert(1)"], "--url:"),
        (b"text", ["--published", "2999-01-01"], "--published: 2999-01-01 is in the future"),
        (b"text", ["--published", "15/07/2025"], "argument --published: '15/07/2025' is not"),
        (b"text", ["--id", "test-source"], "--id: `test-source` is taken"),
        (b"text", ["--id", "Bad Id"], "--id: 'Bad Id' is not a valid id"),
        (b"text", ["--view", "catching"], "--view: unknown stance `catching`"),
        (b"text", ["--language", "Korean"], "--language: 'Korean' is not a language code"),
        (b"text", ["--outlet", " "], "--outlet: must not be empty"),
    ],
)
def test_bad_input_is_one_line_exit_2_and_nothing_written(
    root: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    content: bytes | None,
    extra: list[str],
    expected: str,
) -> None:
    is_html = content in (EMPTY_HTML.encode(), CHROME_ONLY_HTML.encode())
    file = tmp_path / ("page.html" if is_html else "article.txt")
    if content is not None:
        file.write_bytes(content)
    before = _seeds(root)
    code, out, err = _run(_add(root, file, *extra), capsys)
    assert code == 2 and out == ""
    assert len(err.splitlines()) == 1 and expected in err, err
    assert _seeds(root) == before


def test_the_same_article_twice_is_refused(
    root: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    file = tmp_path / "article.txt"
    file.write_text(ARTICLE_TEXT, encoding="utf-8")
    assert _run(_add(root, file, "--title", "t"), capsys)[0] == 0
    before = _seeds(root)
    code, _out, err = _run(_add(root, file, "--title", "t"), capsys)
    assert code == 2 and "the same text is already in seeds/001_" in err
    assert _seeds(root) == before


def test_the_same_url_twice_is_refused(
    root: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    file = tmp_path / "article.txt"
    file.write_text(ARTICLE_TEXT, encoding="utf-8")
    url = ["--url", "https://testdaily.example.com/a/1", "--id", "first"]
    assert _run(_add(root, file, *url), capsys)[0] == 0
    file.write_text(ARTICLE_TEXT + "updated\n", encoding="utf-8")
    before = _seeds(root)
    code, _out, err = _run(_add(root, file, "--url", "https://testdaily.example.com/a/1"), capsys)
    assert code == 2 and "--url: source `first` has this address" in err
    assert _seeds(root) == before


def test_today_in_the_furthest_time_zone_is_not_the_future(
    root: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    file = tmp_path / "article.txt"
    file.write_text(ARTICLE_TEXT, encoding="utf-8")
    latest = (dt.datetime.now(dt.UTC) + dt.timedelta(hours=14)).date()
    code, _out, err = _run(_add(root, file, "--published", latest.isoformat()), capsys)
    assert code == 0, err
    file.write_text(ARTICLE_TEXT + "more\n", encoding="utf-8")
    later = (latest + dt.timedelta(days=1)).isoformat()
    code, _out, err = _run(_add(root, file, "--published", later), capsys)
    assert code == 2 and f"--published: {later} is in the future" in err


def test_view_is_required_only_when_the_project_has_several_stances(
    root: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    file = tmp_path / "article.txt"
    file.write_text(ARTICLE_TEXT, encoding="utf-8")
    argv = [a for a in _add(root, file) if a not in ("--view", "catching-up")]
    code, _out, err = _run(argv, capsys)
    assert code == 2 and "--view: give the article's view" in err


def test_proposed_ids_and_language_guesses() -> None:
    taken = {"chosun-2024-deepseek-r1"}
    day = dt.date(2024, 4, 2)
    assert propose_source_id("조선일보 (Chosun Ilbo)", day, "DeepSeek R1 등장", set()) == (
        "chosun-2024-deepseek-r1"
    )
    assert propose_source_id("조선일보 (Chosun Ilbo)", day, "DeepSeek R1 등장", taken) == (
        "chosun-2024-deepseek-r1-2"
    )
    assert propose_source_id("조선일보", day, "중국 AI 뒤처져", set()) == "source-2024-ai"
    assert propose_source_id("Reuters", day, "The rise of a Chinese AI lab", set()) == (
        "reuters-2024-rise-chinese-ai"
    )
    assert guess_language("중국 AI 기업들이 성장했다") == "ko"
    assert guess_language("Chinese AI firms grew (중국)") == "en"
