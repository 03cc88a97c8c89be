"""Text from data reaches the terminal with its control characters visible, and
ClaimReview JSON-LD is safe inside a `<script>` tag."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from workbench.cli import main
from workbench.models import Claim
from workbench.storage import create_claim
from workbench.terminal import BIDI_CONTROLS, json_visible, visible, visible_lines

from .conftest import ProjectFactory, claim_toml
from .test_matching import FUNDING, claim

ESC = "\x1b"
OSC_TITLE = "\x1b]0;pwned\x07"
"""An OSC sequence that retitles the terminal window."""
CSI_C1 = "\x9b31m"
"""CSI as the single C1 character U+009B."""
RLO = "\u202e"
"""RIGHT-TO-LEFT OVERRIDE: reverses the text after it on screen."""


def _raw_controls(text: str) -> list[str]:
    """Characters a terminal would act on: C0 (but tab and newline), DEL, C1, bidi controls."""
    return [
        char
        for char in text
        if (ord(char) < 0x20 and char not in "\t\n")
        or 0x7F <= ord(char) <= 0x9F
        or char in BIDI_CONTROLS
    ]


# --------------------------------------------------------------------------- the function


def test_visible_escapes_c0_c1_del_and_bidi_controls() -> None:
    assert visible(OSC_TITLE) == "\\x1b]0;pwned\\x07"
    assert visible(CSI_C1) == "\\x9b31m"
    assert visible("a\rb\x7f") == "a\\x0db\\x7f"
    assert visible(f"abc{RLO}def\u2066x\u2069") == "abc\\u202edef\\u2066x\\u2069"
    assert visible("one\ntwo") == "one\\x0atwo"
    assert visible("one\ntwo", keep_newlines=True) == "one\ntwo"
    assert visible("tab\tkept") == "tab\tkept"
    assert visible("중국 AI 🚀 — “quoted”") == "중국 AI 🚀 — “quoted”"


@given(st.text())
def test_visible_leaves_nothing_a_terminal_acts_on(text: str) -> None:
    shown = visible(text)
    assert _raw_controls(shown) == []
    assert "\n" not in shown
    if not _raw_controls(text) and "\n" not in text:
        assert shown == text


@given(st.lists(st.text(alphabet=st.sampled_from("ab\n\t\x1b\x9b\u202e중"))))
def test_visible_lines_is_each_line_visible_joined(lines: list[str]) -> None:
    """The one-scan shortcut gives what escaping line by line gives, a newline inside
    a line included (it must not pass as a line break)."""
    assert visible_lines(lines) == "\n".join(visible(line) for line in lines)


@given(st.recursive(st.text() | st.integers(), lambda inner: st.lists(inner, max_size=3)))
def test_json_visible_is_the_same_json_without_raw_controls(value: object) -> None:
    text = json_visible(json.dumps(value, ensure_ascii=False))
    assert json.loads(text) == value
    assert _raw_controls(text) == []


# --------------------------------------------------------------------------- print sites

HOSTILE_TOPIC = "cost\\u001b]0;pwned\\u0007"
"""As written in a TOML basic string: the topic `cost` + an OSC title sequence."""


@pytest.fixture
def hostile_root(make_project: ProjectFactory) -> Path:
    text = claim_toml("c1").replace('topic = "cost"', f'topic = "{HOSTILE_TOPIC}"')
    text = text.replace('status = "unreviewed"', 'status = "unreviewed\\u009b31m"')
    return make_project({"c1.toml": text, f"x{ESC}[31m{RLO}.toml": claim_toml("c2")})


def test_check_text_and_github_show_controls_in_messages_and_file_names(
    hostile_root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for form in ("text", "github"):
        assert main(["check", "--root", str(hostile_root), "--format", form]) == 1
        out, err = capsys.readouterr()
        assert _raw_controls(out + err) == [], form
        assert "\\x1b]0;pwned\\x07" in out  # the unknown topic, shown
        assert "\\x9b31m" in out  # the unknown status, shown
        assert "x\\x1b[31m\\u202e.toml" in out  # the file name, shown


def test_check_json_escapes_c1_and_bidi_and_keeps_the_values(
    hostile_root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["check", "--root", str(hostile_root), "--format", "json"]) == 1
    out = capsys.readouterr().out
    assert _raw_controls(out) == []
    problems = json.loads(out)
    assert any(OSC_TITLE in problem["message"] for problem in problems)
    assert any(f"x{ESC}[31m{RLO}.toml" in problem["path"] for problem in problems)


def test_stats_shows_controls_in_names(
    hostile_root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["stats", "--root", str(hostile_root)]) == 0
    out = capsys.readouterr().out
    assert _raw_controls(out) == []
    assert "cost\\x1b]0;pwned\\x07" in out
    assert main(["stats", "--root", str(hostile_root), "--format", "json"]) == 0
    out = capsys.readouterr().out
    assert _raw_controls(out) == []
    assert "cost\x1b]0;pwned\x07" in json.loads(out)["by_topic"]


def test_mark_shows_controls_in_the_old_status(
    hostile_root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    arguments = ["mark", "c1", "verified", "--reviewer", "Kim", "--root", str(hostile_root)]
    assert main(arguments) == 0
    out = capsys.readouterr().out
    assert out == "marked c1: unreviewed\\x9b31m -> verified\n"


def test_usage_errors_show_controls_in_the_argument(
    hostile_root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["mark", "c1", f"bad{OSC_TITLE}", "--root", str(hostile_root)]) == 2
    err = capsys.readouterr().err
    assert _raw_controls(err) == []
    assert "unknown status `bad\\x1b]0;pwned\\x07`" in err


def test_conflicts_text_shows_bidi_controls_in_reasons(
    make_project: ProjectFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    subject = f"2023 ai investment in {RLO}chinese companies"
    quantity = {**FUNDING, "subject": subject}
    root = make_project(
        {
            "a.toml": claim(
                "a", "Chinese AI firms raised $2 billion.", quantity={**quantity, "value": 2e9}
            ),
            "b.toml": claim(
                "b", "Chinese AI firms raised $3 billion.", quantity={**quantity, "value": 3e9}
            ),
        }
    )
    assert main(["conflicts", "--root", str(root)]) == 0
    out = capsys.readouterr().out
    assert "\\u202e" in out
    assert _raw_controls(out) == []
    assert main(["conflicts", "--root", str(root), "--format", "json"]) == 0
    out = capsys.readouterr().out
    assert _raw_controls(out) == []
    assert any(RLO in row["reason"] for row in json.loads(out))


def test_add_dry_run_shows_bidi_controls_and_stays_the_same_toml(
    make_project: ProjectFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_project()
    statement = f"DeepSeek {RLO}said it trained its model for $5.6 million."
    arguments = [
        "add",
        "--root",
        str(root),
        "--source",
        "test-source",
        "--quote",
        "딥시크는 560만달러로 모델을 훈련했다고",
        "--statement",
        statement,
        "--topic",
        "cost",
        "--stance",
        "catching-up",
        "--reviewer",
        "Kim",
        "--dry-run",
    ]
    assert main(arguments) == 0
    out, err = capsys.readouterr()
    assert _raw_controls(out + err) == []
    assert tomllib.loads(out)["statement"] == statement


# --------------------------------------------------------------------------- ClaimReview

CLAIMREVIEW_CONFIG = """
[claimreview]
organization = "Test Fact Desk"
review_url = "https://factdesk.kr/claims/{id}"
"""

SCRIPT_STATEMENT = 'Closing </script><script>alert("x & y")</script> <!-- tag > text'
SCRIPT_NOTE = "see </SCRIPT > and &amp; \u2028 line"


def test_claimreview_json_cannot_close_a_script_tag(
    make_project: ProjectFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_project()
    with (root / "workbench.toml").open("a", encoding="utf-8") as handle:
        handle.write(CLAIMREVIEW_CONFIG)
    create_claim(
        root / "claims",
        Claim.model_validate(
            {
                "id": "c1",
                "statement": SCRIPT_STATEMENT,
                "topic": "cost",
                "stance": "catching-up",
                "status": "false",
                "source": {"id": "test-source", "quote": "딥시크는 560만달러로 모델을 훈련했다고"},
                "history": [
                    {
                        "at": "2025-03-01T09:00:00Z",
                        "reviewer": "Kim",
                        "from": "unreviewed",
                        "to": "false",
                        "note": SCRIPT_NOTE,
                    }
                ],
            }
        ),
    )
    assert main(["export", "--root", str(root), "--format", "claimreview"]) == 0
    out = capsys.readouterr().out
    assert "</script" not in out.lower()
    assert "<" not in out and ">" not in out and "&" not in out
    assert "\u2028" not in out
    (review,) = json.loads(out)
    assert review["claimReviewed"] == SCRIPT_STATEMENT
    assert review["reviewRating"]["ratingExplanation"] == SCRIPT_NOTE
