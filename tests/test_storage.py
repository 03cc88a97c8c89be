"""The canonical writer, atomic writes and stale-file protection."""

from __future__ import annotations

import datetime as dt
import os
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from workbench.models import (
    Claim,
    Dismissal,
    Evidence,
    Quantity,
    Relation,
    ReviewEntry,
    SourceRef,
)
from workbench.storage import (
    ClaimExistsError,
    StaleFileError,
    create_claim,
    load_claim_file,
    model_text,
    save_claim,
)
from workbench.tomlio import KeyIndex, dumps_canonical, parse_toml, write_atomic

from .conftest import claim_toml


def make_claim(**changes: object) -> Claim:
    base = Claim(
        id="deepseek-cost",
        statement="DeepSeek said it trained its model for $5.6 million.",
        topic="cost",
        stance="catching-up",
        source=SourceRef(id="test-source", quote="딥시크는 560만달러로 모델을 훈련했다고"),
        quantity=Quantity(subject="deepseek v3 training cost", value=5_600_000, unit="USD"),
    )
    return base.model_copy(update=changes)


def test_writing_an_unchanged_claim_is_byte_identical(tmp_path: Path) -> None:
    record = create_claim(tmp_path, make_claim())
    before = record.path.read_bytes()
    loaded, problems = load_claim_file(record.path)
    assert problems == [] and loaded is not None
    save_claim(loaded, loaded.claim)
    assert record.path.read_bytes() == before


def test_changing_one_field_changes_only_its_line(tmp_path: Path) -> None:
    record = create_claim(tmp_path, make_claim())
    before = record.path.read_text(encoding="utf-8").splitlines()
    changed = record.claim.model_copy(update={"topic": "funding"})
    save_claim(record, changed)
    after = record.path.read_text(encoding="utf-8").splitlines()
    assert len(before) == len(after)
    differing = [(a, b) for a, b in zip(before, after, strict=True) if a != b]
    assert differing == [('topic = "cost"', 'topic = "funding"')]


def test_first_evidence_entry_only_adds_lines(tmp_path: Path) -> None:
    """tomli-w must not switch the claim between inline and table arrays."""
    record = create_claim(tmp_path, make_claim())
    before = record.path.read_text(encoding="utf-8")
    evidence = Evidence(
        citation="DeepSeek-V3 Technical Report, arXiv:2412.19437, Table 1",
        shows="The final training run cost about $5.576M at $2 per H800 GPU hour.",
        stance="supports",
    )
    record = save_claim(record, record.claim.model_copy(update={"evidence": [evidence]}))
    after = record.path.read_text(encoding="utf-8")
    assert after.startswith(before)
    assert "[[evidence]]" in after
    second = evidence.model_copy(update={"citation": "Another report"})
    save_claim(record, record.claim.model_copy(update={"evidence": [evidence, second]}))
    assert record.path.read_text(encoding="utf-8").startswith(after)


def test_canonical_form_orders_keys_and_leaves_out_defaults() -> None:
    text = model_text(make_claim())
    assert text.splitlines()[:5] == [
        'id = "deepseek-cost"',
        'statement = "DeepSeek said it trained its model for $5.6 million."',
        'topic = "cost"',
        'stance = "catching-up"',
        'status = "unreviewed"',
    ]
    assert "value = 5600000\n" in text  # an integral float is written as an int
    assert "prefix" not in text and "approximate" not in text and "evidence" not in text


def test_history_times_are_written_in_utc_without_microseconds() -> None:
    entry = ReviewEntry.model_validate(
        {
            "at": dt.datetime(2025, 3, 1, 9, 30, 5, 123456, tzinfo=dt.UTC),
            "reviewer": "kim",
            "from": "unreviewed",
            "to": "verified",
        }
    )
    text = model_text(make_claim(history=[entry]))
    assert "at = 2025-03-01T09:30:05Z" in text
    assert 'from = "unreviewed"' in text and 'to = "verified"' in text


def test_history_rejects_a_time_without_zone() -> None:
    with pytest.raises(ValueError, match="UTC"):
        ReviewEntry.model_validate(
            {"at": dt.datetime(2025, 3, 1), "reviewer": "kim", "from": "a", "to": "b"}
        )


def test_nfd_text_is_stored_as_nfc(tmp_path: Path) -> None:
    quote = unicodedata.normalize("NFD", "딥시크는 560만달러로")
    record = create_claim(tmp_path, make_claim(source=SourceRef(id="test-source", quote=quote)))
    text = record.path.read_text(encoding="utf-8")
    assert unicodedata.is_normalized("NFC", text)
    loaded, _ = load_claim_file(record.path)
    assert loaded is not None
    assert loaded.claim.source.quote == unicodedata.normalize("NFC", quote)


def test_an_nfd_file_loads_as_nfc(tmp_path: Path) -> None:
    path = tmp_path / "a.toml"
    text = model_text(make_claim())
    path.write_text(unicodedata.normalize("NFD", text), encoding="utf-8")
    loaded, problems = load_claim_file(path)
    assert problems == [] and loaded is not None
    assert loaded.claim == make_claim()


def test_save_refuses_to_overwrite_a_change_it_has_not_seen(tmp_path: Path) -> None:
    record = create_claim(tmp_path, make_claim())
    edited = record.path.read_text(encoding="utf-8").replace('topic = "cost"', 'topic = "race"')
    record.path.write_text(edited, encoding="utf-8")
    with pytest.raises(StaleFileError, match="changed on disk"):
        save_claim(record, record.claim.model_copy(update={"status": "verified"}))
    assert record.path.read_text(encoding="utf-8") == edited


def test_save_refuses_when_the_file_was_deleted(tmp_path: Path) -> None:
    record = create_claim(tmp_path, make_claim())
    record.path.unlink()
    with pytest.raises(StaleFileError, match="deleted"):
        save_claim(record, record.claim)


def test_create_refuses_an_existing_id(tmp_path: Path) -> None:
    create_claim(tmp_path, make_claim())
    with pytest.raises(ClaimExistsError):
        create_claim(tmp_path, make_claim())


def test_a_crash_during_write_leaves_the_old_file_and_no_temporary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "claim.toml"
    path.write_text("old = 1\n", encoding="utf-8")

    def crash(source: str, target: str) -> None:
        raise OSError("power cut")

    monkeypatch.setattr(os, "replace", crash)
    with pytest.raises(OSError, match="power cut"):
        write_atomic(path, "new = 2\n")
    assert path.read_text(encoding="utf-8") == "old = 1\n"
    assert [p.name for p in tmp_path.iterdir()] == ["claim.toml"]


def test_key_index_finds_tables_arrays_and_multiline_strings() -> None:
    text = (
        'id = "x"\n'
        'statement = """\nline one\n[not.a.table]\n"""\n'
        "[source]\n"
        'id = "s"\n'
        "\n[[relations]]\n"
        'kind = "contradicts"\n'
        "\n[[relations]]\n"
        'kind = "supports"\n'
        'claim = "y"\n'
        "[quantity]\n"
        "range = { low = 1, high = 2 }\n"
    )
    index = KeyIndex(text)
    assert index.find(("id",)).line == 1  # type: ignore[union-attr]
    assert index.find(("source", "id")).line == 7  # type: ignore[union-attr]
    assert index.find(("relations", 1, "kind")).line == 13  # type: ignore[union-attr]
    assert index.find(("relations", 1, "claim")).line == 14  # type: ignore[union-attr]
    assert index.find(("relations", 0, "claim")).line == 9  # falls back to the table
    assert index.find(("quantity", "range", "high")).line == 16  # type: ignore[union-attr]
    assert index.find(("not", "a")) is None


def test_claim_fixture_text_is_canonical() -> None:
    text = claim_toml("x")
    claim = Claim.model_validate(parse_toml(text))
    assert model_text(claim) == text


_safe = st.characters(blacklist_categories=("Cs", "Cc"), whitelist_characters="\n\t")
_any_text = st.text(alphabet=_safe, max_size=40).map(lambda s: unicodedata.normalize("NFC", s))
_text = _any_text.filter(lambda value: value.strip() != "")


_raw_any_text = st.text(alphabet=_safe, max_size=40)
"""Text as a script may hand over: not normalised (NFD Korean, combining marks)."""
_raw_text = _raw_any_text.filter(lambda value: value.strip() != "")
_times = st.datetimes(
    min_value=dt.datetime(2000, 1, 1), max_value=dt.datetime(2100, 1, 1), timezones=st.just(dt.UTC)
)


@st.composite
def claims(
    draw: st.DrawFn,
    text: st.SearchStrategy[str] = _text,
    any_text: st.SearchStrategy[str] = _any_text,
    everything: bool = False,
) -> Claim:
    """Claims with a quantity and relations; with `everything`, with every part a claim has."""
    quantity = None
    if draw(st.booleans()):
        value = draw(st.floats(min_value=-1e15, max_value=1e15, allow_nan=False))
        ranged = everything and draw(st.booleans())
        quantity = Quantity(
            subject=draw(text),
            value=None if ranged else value,
            low=min(value, 0.0) if ranged else None,
            high=max(value, 0.0) if ranged else None,
            unit="USD",
            period=draw(st.sampled_from(["", "2024", "2021/2023", "2025-01"])),
            scope=draw(any_text) if everything else "",
            approximate=draw(st.booleans()) if everything else False,
        )
    relations = [
        Relation(
            kind=draw(st.sampled_from(["contradicts", "supports", "same-fact", "updates"])),
            claim=draw(st.from_regex(r"[a-z0-9][a-z0-9-]{0,20}", fullmatch=True)),
            note=draw(any_text),
        )
        for _ in range(draw(st.integers(0, 3)))
    ]
    parts: dict[str, object] = {}
    if everything:
        parts["recheck"] = draw(st.none() | st.dates())
        parts["status"] = draw(st.sampled_from(["unreviewed", "verified", "false"]))
        parts["evidence"] = [
            Evidence(
                citation=draw(text),
                url=draw(any_text),
                shows=draw(text),
                stance=draw(st.sampled_from(["supports", "refutes", "not-enough-info"])),
            )
            for _ in range(draw(st.integers(0, 2)))
        ]
        parts["dismissed"] = [
            Dismissal(
                claim=draw(st.from_regex(r"[a-z0-9][a-z0-9-]{0,20}", fullmatch=True)),
                kind=draw(st.sampled_from(["numeric", "stance", "date", "duplicate"])),
                note=draw(any_text),
                at=draw(st.none() | _times),
            )
            for _ in range(draw(st.integers(0, 2)))
        ]
        parts["history"] = [
            ReviewEntry.model_validate(
                {"at": draw(_times), "reviewer": draw(text), "from": "a", "to": "b"}
            )
            for _ in range(draw(st.integers(0, 2)))
        ]
    return Claim(
        id=draw(st.from_regex(r"[a-z0-9][a-z0-9-]{0,30}", fullmatch=True)),
        statement=draw(text),
        topic=draw(text),
        stance="neutral",
        attributed_to=draw(any_text),
        source=SourceRef(id="test-source", quote=draw(text), prefix=draw(any_text)),
        quantity=quantity,
        relations=relations,
        **parts,  # type: ignore[arg-type]
    )


@settings(max_examples=200, deadline=None)
@given(claims(_raw_text, _raw_any_text, everything=True))
def test_model_text_writes_what_the_general_writer_writes(claim: Claim) -> None:
    """`model_text` writes from the model; `dumps_canonical(to_document())` is the reference."""
    from workbench.storage import to_document

    assert model_text(claim) == dumps_canonical(to_document(claim))


@settings(max_examples=150, deadline=None)
@given(claims())
def test_canonical_text_round_trips_and_is_a_fixed_point(claim: Claim) -> None:
    text = model_text(claim)
    again = Claim.model_validate(parse_toml(text))
    assert again == claim or _floats_equal(again, claim)
    assert model_text(again) == text


def _floats_equal(a: Claim, b: Claim) -> bool:
    return a.model_dump() == b.model_dump()


def test_dumps_canonical_writes_multiline_notes_as_blocks() -> None:
    text = dumps_canonical({"note": "first line\nsecond line"})
    assert '"""' in text
    assert parse_toml(text) == {"note": "first line\nsecond line"}


@given(st.text())
def test_fast_string_path_writes_what_tomli_w_writes(value: str) -> None:
    import tomli_w

    from workbench.tomlio import format_value

    expected = tomli_w.dumps({"v": value}, multiline_strings=True)[len("v = ") : -1]
    assert format_value(value) == expected


def test_model_text_fast_path_equals_the_general_writer() -> None:
    """`model_text` skips `canonical_value`'s copy; it must write what the general path writes."""
    from workbench.project import load_project
    from workbench.storage import to_document

    project = load_project(Path(__file__).resolve().parent.parent, use_cache=False)
    for claim in project.iter_claims():
        assert model_text(claim) == dumps_canonical(to_document(claim)), claim.id
    for record in project.sources.values():
        assert model_text(record.source) == dumps_canonical(to_document(record.source))
