"""The claim merge itself (`workbench.files.merge`), WB506 and WB006, without git."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from workbench.checks import check_project
from workbench.files.conflict_markers import conflict_marker_message
from workbench.files.merge import (
    MergeConflict,
    merge_claim_texts,
    merge_entries,
    unsettled_verdicts,
)
from workbench.models import Claim, ReviewEntry
from workbench.project import load_project
from workbench.storage import model_text, read_document
from workbench.tomlio import parse_toml

from .conftest import ProjectFactory, claim_toml

# --------------------------------------------------------------------------- entries as sets


def _entry(minute: int, reviewer: str, to: str) -> dict[str, Any]:
    return {
        "at": dt.datetime(2025, 3, 1, 9, minute, tzinfo=dt.UTC),
        "reviewer": reviewer,
        "from": "unreviewed",
        "to": to,
    }


POOL = [
    _entry(minute, reviewer, to)
    for minute in (0, 1, 2)
    for reviewer in ("alice", "bob")
    for to in ("verified", "false")
]

entry_lists = st.lists(st.sampled_from(range(len(POOL))), max_size=8, unique=True).map(
    lambda picks: sorted((POOL[index] for index in picks), key=lambda entry: entry["at"])
)


def _keys(entries: list[dict[str, Any]]) -> set[tuple[Any, ...]]:
    return {tuple(sorted(entry.items())) for entry in entries}


@given(entry_lists, entry_lists, entry_lists)
def test_merging_histories_is_commutative_and_keeps_additions(
    base: list[dict[str, Any]], ours: list[dict[str, Any]], theirs: list[dict[str, Any]]
) -> None:
    merged = merge_entries(base, ours, theirs)
    swapped = merge_entries(base, theirs, ours)
    assert _keys(merged) == _keys(swapped)
    assert len(merged) == len(_keys(merged))  # no entry twice
    times = [entry["at"] for entry in merged]
    assert times == sorted(times)
    added = (_keys(ours) | _keys(theirs)) - _keys(base)
    deleted = _keys(base) - (_keys(ours) & _keys(theirs))
    assert added <= _keys(merged)
    assert not deleted & _keys(merged)
    assert _keys(merged) == (_keys(ours) | _keys(theirs)) - deleted


@given(entry_lists, entry_lists)
def test_merging_with_an_unchanged_side_gives_the_other_side(
    base: list[dict[str, Any]], changed: list[dict[str, Any]]
) -> None:
    assert _keys(merge_entries(base, base, changed)) == _keys(changed)
    assert _keys(merge_entries(base, changed, base)) == _keys(changed)
    assert merge_entries(base, changed, changed) == changed


def test_entries_without_times_keep_ours_order_then_theirs_new_ones() -> None:
    first, second, third = ({"citation": name} for name in ("A", "B", "C"))
    assert merge_entries([first], [first, third], [second, first]) == [first, third, second]


# --------------------------------------------------------------------------- whole claims

BASE = claim_toml("c1")


def _marked(text: str, *entries: tuple[int, str, str, str]) -> str:
    """`text` with history entries (minute, reviewer, from, to) and the last one's status."""
    status = entries[-1][3]
    text = text.replace('status = "unreviewed"', f'status = "{status}"')
    for minute, reviewer, before, after in entries:
        text += (
            f"\n[[history]]\nat = 2025-03-01T09:{minute:02d}:00Z\nreviewer = "
            f'"{reviewer}"\nfrom = "{before}"\nto = "{after}"\n'
        )
    return text


def test_two_verdicts_the_later_stands_either_way_round() -> None:
    ours = _marked(BASE, (5, "alice", "unreviewed", "verified"))
    theirs = _marked(BASE, (7, "bob", "unreviewed", "false"))
    merged = merge_claim_texts(BASE, ours, theirs)
    assert merged.claim.status == "false"
    assert [entry.reviewer for entry in merged.claim.history] == ["alice", "bob"]
    assert merged.text == model_text(merged.claim)  # canonical in, canonical out
    assert "the later verdict `false` by bob" in merged.notes[0]
    assert merge_claim_texts(BASE, theirs, ours).text == merged.text
    assert unsettled_verdicts(merged.claim.history) == (0, 1)


def test_a_status_changed_on_one_side_only_takes_that_side() -> None:
    theirs = _marked(BASE, (7, "bob", "unreviewed", "false"))
    ours = BASE.replace('topic = "cost"', 'topic = "race"')
    merged = merge_claim_texts(BASE, ours, theirs)
    assert (merged.claim.status, merged.claim.topic, merged.notes) == ("false", "race", [])


def test_the_same_change_on_both_sides_is_no_conflict() -> None:
    both = _marked(BASE, (5, "alice", "unreviewed", "verified"))
    assert merge_claim_texts(BASE, both, both).text == both


def test_two_different_edits_of_one_field_are_a_conflict() -> None:
    ours = BASE.replace("$5.6 million.", "$5.6M.")
    theirs = BASE.replace("$5.6 million.", "$6 million.")
    with pytest.raises(MergeConflict, match="both sides changed `statement` differently"):
        merge_claim_texts(BASE, ours, theirs)


def test_a_side_that_does_not_load_is_a_conflict() -> None:
    with pytest.raises(MergeConflict, match="theirs is not a valid claim"):
        merge_claim_texts(BASE, BASE, BASE.replace('topic = "cost"', "colour = 1"))


def test_without_an_ancestor_only_agreeing_fields_merge() -> None:
    ours = _marked(BASE, (5, "alice", "unreviewed", "verified"))
    theirs = _marked(BASE, (7, "bob", "unreviewed", "verified"))
    merged = merge_claim_texts(None, ours, theirs)
    assert [entry.reviewer for entry in merged.claim.history] == ["alice", "bob"]
    with pytest.raises(MergeConflict):
        merge_claim_texts(None, ours, BASE.replace('topic = "cost"', 'topic = "race"'))


def test_ours_comments_and_layout_survive_the_merge() -> None:
    base = "# Checked against the filing.\n" + BASE.replace(
        'topic = "cost"', 'topic = "cost"  # not funding'
    )
    ours = _marked(base, (5, "alice", "unreviewed", "verified"))
    theirs = _marked(BASE, (7, "bob", "unreviewed", "false")).replace(
        "\n[source]",
        '\n[[evidence]]\ncitation = "Report"\nshows = "No."\nstance = "refutes"\n\n[source]',
    )
    theirs = model_text(Claim.model_validate(parse_toml(theirs)))
    merged = merge_claim_texts(base, ours, theirs)
    assert merged.text.startswith("# Checked against the filing.\n")
    assert 'topic = "cost"  # not funding\n' in merged.text
    assert Claim.model_validate(parse_toml(merged.text)) == merged.claim
    assert merged.claim.status == "false"
    assert [item.citation for item in merged.claim.evidence] == ["Report"]
    assert "\n\n\n" not in merged.text and merged.text.endswith('to = "false"\n')
    # everything but the comments is the canonical text
    without_comments = merged.text.replace("# Checked against the filing.\n", "").replace(
        "  # not funding", ""
    )
    assert without_comments == model_text(merged.claim)


# --------------------------------------------------------------------------- WB506


def _history(*entries: tuple[str, str, str]) -> list[ReviewEntry]:
    return [
        ReviewEntry.model_validate(
            {
                "at": f"2025-03-01T09:{minute:02d}:00Z",
                "reviewer": reviewer,
                "from": before,
                "to": after,
            }
        )
        for minute, (reviewer, before, after) in enumerate(entries)
    ]


def test_a_linear_history_has_no_conflicting_verdicts() -> None:
    history = _history(
        ("kim", "unreviewed", "unreviewed"),
        ("alice", "unreviewed", "verified"),
        ("bob", "verified", "false"),
        ("carol", "false", "unreviewed"),
        ("dan", "unreviewed", "verified"),
    )
    assert unsettled_verdicts(history) is None


def test_concurrent_verdicts_conflict_until_a_verdict_follows_on() -> None:
    history = _history(
        ("kim", "unreviewed", "unreviewed"),  # `workbench add`: a note, not a verdict
        ("alice", "unreviewed", "verified"),
        ("bob", "unreviewed", "false"),
    )
    assert unsettled_verdicts(history) == (1, 2)
    # the same reviewer on two branches is a conflict too
    assert unsettled_verdicts(
        _history(("alice", "unreviewed", "verified"), ("alice", "unreviewed", "false"))
    ) == (0, 1)
    # ours went on from its own verdict: that does not settle theirs
    assert unsettled_verdicts([*history, *_history(("alice", "verified", "false"))]) == (1, 2)
    settled = [*history, *_history(("carol", "false", "false"))]
    assert unsettled_verdicts(settled) is None
    # both agreed: no conflict
    assert (
        unsettled_verdicts(_history(("a", "unreviewed", "false"), ("b", "unreviewed", "false")))
        is None
    )


def test_check_reports_unsettled_verdicts_at_the_later_entry(make_project: ProjectFactory) -> None:
    text = _marked(BASE, (5, "alice", "unreviewed", "verified"), (7, "bob", "unreviewed", "false"))
    root = make_project({"c1.toml": text})
    problems = check_project(load_project(root, use_cache=False))
    (problem,) = problems
    assert problem.code == "WB506" and problem.severity == "warning"
    assert problem.line == text.splitlines().index('to = "false"') + 1
    assert "settle it with `workbench mark c1 STATUS`" in problem.message


# --------------------------------------------------------------------------- WB006

CONFLICTED = """\
id = "c1"
<<<<<<< HEAD
statement = "One."
||||||| base
statement = "Zero."
=======
statement = "Two."
>>>>>>> feature
topic = "cost"
"""


def test_conflict_markers_are_named_at_the_first_marker(tmp_path: Path) -> None:
    assert conflict_marker_message(CONFLICTED) == (
        2,
        "unresolved git conflict marker (more markers at lines 4, 6, 8): resolve the conflict "
        "(keep one side, or run `workbench git-setup` and merge again)",
    )
    path = tmp_path / "c1.toml"
    path.write_bytes(CONFLICTED.replace("\n", "\r\n").encode("utf-8"))
    (problem,) = read_document(path).problems
    assert (problem.code, problem.line, problem.column) == ("WB006", 2, 1)


def test_marker_like_text_in_a_valid_file_is_no_problem(tmp_path: Path) -> None:
    path = tmp_path / "c1.toml"
    path.write_text('note = """\n=======\n<<<<<<< not a conflict\n"""\n', encoding="utf-8")
    assert read_document(path).problems == []
    path.write_text('id = "c1"\nstatement = \n', encoding="utf-8")
    (problem,) = read_document(path).problems
    assert problem.code == "WB003"
    assert conflict_marker_message("a = 1\n======== eight\n<<<<<<<<\n") is None


def test_two_status_edits_by_hand_are_a_conflict() -> None:
    ours = BASE.replace('status = "unreviewed"', 'status = "verified"')
    theirs = BASE.replace('status = "unreviewed"', 'status = "false"')
    with pytest.raises(MergeConflict, match="neither recorded it in the history"):
        merge_claim_texts(BASE, ours, theirs)


VERDICTS = [
    (minute, reviewer, to)
    for minute in range(4)
    for reviewer in ("alice", "bob")
    for to in ("verified", "false")
]


@given(
    st.lists(st.sampled_from(VERDICTS), min_size=1, max_size=4, unique_by=lambda v: v[0]),
    st.lists(st.sampled_from(VERDICTS), min_size=1, max_size=4, unique_by=lambda v: v[0]),
)
def test_merging_two_reviewed_claims_is_commutative(
    ours_verdicts: list[tuple[int, str, str]], theirs_verdicts: list[tuple[int, str, str]]
) -> None:
    """Whichever branch is ours, the merged claim has the same history and status,
    and the status is the latest verdict of all."""

    def reviewed(verdicts: list[tuple[int, str, str]]) -> str:
        entries, status = [], "unreviewed"
        for minute, reviewer, to in sorted(verdicts):
            entries.append((minute, reviewer, status, to))
            status = to
        return _marked(BASE, *entries)

    ours, theirs = reviewed(ours_verdicts), reviewed(theirs_verdicts)
    one = merge_claim_texts(BASE, ours, theirs).claim
    other = merge_claim_texts(BASE, theirs, ours).claim
    assert {entry.model_dump_json() for entry in one.history} == {
        entry.model_dump_json() for entry in other.history
    }
    assert [entry.at for entry in one.history] == sorted(entry.at for entry in one.history)
    assert one.status == other.status
    latest = max(entry.at for entry in one.history)
    assert one.status in {entry.to_status for entry in one.history if entry.at == latest}
    ours_claim = Claim.model_validate(parse_toml(ours))
    theirs_claim = Claim.model_validate(parse_toml(theirs))
    if ours_claim.status == theirs_claim.status:
        assert one.status == ours_claim.status


def test_tables_merge_key_by_key() -> None:
    base = claim_toml("c1", quantity='subject = "training cost"\nvalue = 5600000\nunit = "USD"\n')
    ours = base.replace('subject = "training cost"', 'subject = "final training run cost"')
    theirs = base.replace('unit = "USD"\n', 'unit = "USD"\napproximate = true\n')
    merged = merge_claim_texts(base, ours, theirs).claim
    assert merged.quantity is not None
    assert (merged.quantity.subject, merged.quantity.approximate) == (
        "final training run cost",
        True,
    )
    with pytest.raises(MergeConflict, match=r"both sides changed `quantity\.subject` differently"):
        merge_claim_texts(base, ours, base.replace("training cost", "cost"))


LEAD_IN_BASE = claim_toml("c1", quantity='subject = "cost"\nvalue = 5600000\nunit = "USD"\n') + (
    '# noted by the desk\n\n# the mirror is in c2\n[[relations]]\nkind = "supports"\nclaim = "c2"\n'
)


def test_a_new_table_goes_above_the_comments_that_lead_into_the_next() -> None:
    ours = _marked(LEAD_IN_BASE, (5, "alice", "unreviewed", "verified"))
    theirs = model_text(
        Claim.model_validate(
            parse_toml(
                LEAD_IN_BASE
                + '\n[[evidence]]\ncitation = "Report"\nshows = "Yes."\nstance = "supports"\n'
            )
        )
    )
    merged = merge_claim_texts(LEAD_IN_BASE, ours, theirs)
    text = merged.text
    assert merged.claim.status == "verified" and len(merged.claim.evidence) == 1
    assert (
        'unit = "USD"\n# noted by the desk\n\n[[evidence]]\ncitation = "Report"\n'
        'shows = "Yes."\nstance = "supports"\n\n# the mirror is in c2\n[[relations]]\n'
    ) in text
