"""The fast TOML reader must read exactly what `tomllib`, the reference, reads.

`parse_toml` uses `toml_rs` for speed; a file it accepts that `tomllib` (and so
taplo, editors, other tools) rejects, or reads differently, would be a silent
fork of the format.  These tests compare the two on the bundled data, on
generated documents and on generated near-TOML text.
"""

from __future__ import annotations

import datetime as dt
import math
import tomllib
from pathlib import Path
from typing import Any

import pytest
import tomli_w
from hypothesis import given, settings
from hypothesis import strategies as st

from workbench.tomlio import TomlSyntaxError, parse_toml

REPO = Path(__file__).resolve().parent.parent


def _same(left: Any, right: Any) -> bool:
    """Equality that treats NaN as equal to NaN (TOML has `nan`)."""
    if isinstance(left, float) and isinstance(right, float):
        return (math.isnan(left) and math.isnan(right)) or left == right
    if isinstance(left, dict) and isinstance(right, dict):
        return left.keys() == right.keys() and all(_same(left[k], right[k]) for k in left)
    if isinstance(left, list) and isinstance(right, list):
        return len(left) == len(right) and all(map(_same, left, right))
    return type(left) is type(right) and left == right


def _reference(text: str) -> tuple[str, Any]:
    try:
        return "ok", tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        return "error", None


def _ours(text: str) -> tuple[str, Any]:
    try:
        return "ok", parse_toml(text)
    except TomlSyntaxError as error:
        assert error.line >= 1 and error.column >= 1
        return "error", None


def test_bundled_files_read_as_tomllib_reads_them() -> None:
    paths = sorted((REPO / "claims").rglob("*.toml")) + sorted((REPO / "seeds").glob("*.toml"))
    assert len(paths) > 190
    for path in paths:
        text = path.read_text(encoding="utf-8")
        assert _same(parse_toml(text), tomllib.loads(text)), path


@pytest.mark.parametrize(
    "text",
    [
        'a = "\\e"',  # TOML 1.1 escape: an escape code smuggled into a string
        "a = {x = 1,\n y = 2}",  # TOML 1.1: newline in an inline table
        "a = {x = 1,}",  # TOML 1.1: trailing comma in an inline table
        "a = 07:32",  # TOML 1.1: time without seconds
        "a = 1979-05-27T07:32Z",
    ],
)
def test_toml_1_1_syntax_is_rejected_like_tomllib(text: str) -> None:
    with pytest.raises(TomlSyntaxError):
        parse_toml(text)


_keys = st.text(alphabet="abcxyz_-09", min_size=1, max_size=6)
_scalars = (
    st.text(max_size=20).filter(lambda s: "\x7f" not in s)
    | st.integers(min_value=-(2**63), max_value=2**63 - 1)
    | st.floats(allow_nan=False)
    | st.booleans()
    | st.dates()
    | st.datetimes(timezones=st.just(dt.UTC) | st.none())
)
_values = st.recursive(
    _scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(_keys, inner, max_size=4),
    max_leaves=12,
)


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(_keys, _values, max_size=6))
def test_generated_documents_read_as_tomllib_reads_them(document: dict[str, Any]) -> None:
    text = tomli_w.dumps(document)
    assert _same(parse_toml(text), tomllib.loads(text))


_fragments = st.sampled_from(
    [
        "a",
        "b.c",
        '"k"',
        " = ",
        "=",
        "1",
        "1_000",
        "0x1F",
        "1e3",
        "nan",
        "inf",
        "true",
        '"s"',
        "'lit'",
        '"""multi\nline"""',
        '"\\u00e9"',
        '"\\e"',
        "[",
        "]",
        "[[t]]",
        "[t]",
        "{",
        "}",
        ",",
        "2024-01-02",
        "2024-01-02T03:04:05Z",
        "07:32",
        "07:32:00",
        "#",
        "\n",
        " ",
        "\t",
        "\x01",
        "한국어",
    ]
)


@settings(max_examples=600, deadline=None)
@given(st.lists(_fragments, max_size=14).map("".join))
def test_near_toml_text_is_accepted_or_rejected_as_tomllib_does(text: str) -> None:
    ours, reference = _ours(text), _reference(text)
    assert ours[0] == reference[0], text
    if ours[0] == "ok":
        assert _same(ours[1], reference[1]), text


@pytest.mark.parametrize(
    ("opening", "closing"),
    [("[", "]"), ("{a = ", "}"), ("[", "")],
    ids=["arrays", "inline-tables", "unclosed"],
)
def test_deep_nesting_is_a_syntax_error_not_a_crash(opening: str, closing: str) -> None:
    """`toml_rs` overflows its stack (the process dies) on a few thousand levels."""
    from workbench.tomlio import MAX_NESTING

    text = 'id = "deep"\nx = ' + opening * 5000 + "1" + closing * 5000 + "\n"
    with pytest.raises(TomlSyntaxError) as raised:
        parse_toml(text)
    assert f"more than {MAX_NESTING} deep" in raised.value.message
    assert raised.value.line == 2
    assert raised.value.column == len("x = ") + len(opening) * MAX_NESTING + 1


@settings(max_examples=100, deadline=None)
@given(
    depth=st.integers(1, 250),
    inside=st.text(alphabet='[]{}#"\\ab', max_size=12),
    comments=st.integers(0, 200),
)
def test_only_real_nesting_counts(depth: int, inside: str, comments: int) -> None:
    """Brackets in strings and comments are text; only arrays and tables nest."""
    from workbench.tomlio import MAX_NESTING

    text = (
        "# " + "[" * comments + "\n"
        f"note = {tomli_w.dumps({'v': inside})[4:]}"
        f"x = {'[' * depth}{tomli_w.dumps({'v': inside})[4:-1]}{']' * depth}\n"
    )
    if depth > MAX_NESTING:
        with pytest.raises(TomlSyntaxError, match="nested more than"):
            parse_toml(text)
    else:
        assert parse_toml(text)["note"] == inside
