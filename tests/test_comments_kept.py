"""Comments and hand formatting survive review actions and `workbench fmt`.

The property tests build claims with random text (quotes, `#`, brackets and
newlines inside strings, Korean), put random comments between and after their
lines, apply a random review action, and require that the written text loads as
exactly the claim the action intended, that every comment is still there, and
that an append-only action removed no line but the status line.
"""

from __future__ import annotations

import datetime as dt
import difflib
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from workbench.checks import check_project
from workbench.files.edits import claim_text_after
from workbench.files.layout import keep_comments, scan_layout
from workbench.models import Claim, Dismissal, Relation, ReviewEntry, SourceRef
from workbench.project import load_project
from workbench.storage import format_file, model_text
from workbench.tomlio import parse_toml

from .conftest import claim_toml

TEXT = st.lists(
    st.sampled_from([*"ab #[]{}=\"'\\\n\t.,딥시크", '"""', "'''", "status = ", "[[history]]"]),
    max_size=12,
).map("".join)
NON_BLANK = TEXT.filter(lambda text: text.strip() != "")
STATUS = st.sampled_from(["unreviewed", "verified", "false"])
TIME = st.datetimes(min_value=dt.datetime(2020, 1, 1), max_value=dt.datetime(2030, 1, 1)).map(
    lambda moment: moment.replace(microsecond=0, tzinfo=dt.UTC)
)
COMMENT = st.text(alphabet=st.sampled_from(list("ab #=[]\"' 딥")), max_size=15).map(
    lambda text: "#" + text
)


@st.composite
def claims(draw: st.DrawFn) -> Claim:
    history = draw(
        st.lists(
            st.fixed_dictionaries(
                {"at": TIME, "reviewer": NON_BLANK, "from": STATUS, "to": STATUS, "note": TEXT}
            ).map(ReviewEntry.model_validate),
            max_size=3,
        )
    )
    relations = draw(
        st.lists(
            st.builds(
                Relation,
                kind=st.sampled_from(["contradicts", "supports", "same-fact", "updates"]),
                claim=st.sampled_from(["other-a", "other-b"]),
                note=TEXT,
            ),
            max_size=2,
        )
    )
    return Claim(
        id="claim-1",
        statement=draw(NON_BLANK),
        topic="cost",
        stance="catching-up",
        attributed_to=draw(TEXT),
        status=draw(STATUS),
        source=SourceRef(id="test-source", quote=draw(NON_BLANK)),
        relations=relations,
        history=history,
    )


@st.composite
def commented(draw: st.DrawFn, claim: Claim) -> tuple[str, list[str]]:
    """The claim's canonical text with comments added; and the comments."""
    layout = scan_layout(model_text(claim))
    lines = [line.text for line in layout.lines]
    starts = [index for index, line in enumerate(layout.lines) if line.kind in ("header", "key")]
    single = [index for index in starts if layout.statement_end(index) == index + 1]
    if draw(st.booleans()):  # hand formatting: spaces around `=` on one-line keys
        for index in single:
            if layout.lines[index].kind == "key" and " = " in lines[index]:
                lines[index] = lines[index].replace(" = ", "   =  ", 1)
    comments: list[str] = []
    inline = draw(st.lists(st.sampled_from(single), unique=True, max_size=3)) if single else []
    for index in inline:
        comment = draw(COMMENT)
        lines[index] += "  " + comment
        comments.append(comment)
    # before a statement, at the end, or right under the last key of a table
    blanks = [index for index, line in enumerate(layout.lines) if line.kind == "blank"]
    places = draw(st.lists(st.sampled_from([*starts, *blanks, len(lines)]), max_size=4))
    for index in sorted(places, reverse=True):
        comment = draw(COMMENT)
        lines.insert(index, comment)
        comments.append(comment)
    return "\n".join(lines) + "\n", comments


@st.composite
def changes(draw: st.DrawFn, claim: Claim) -> tuple[str, Claim]:
    """A review action as it changes the claim: (what it is, the claim after)."""
    kind = draw(st.sampled_from(["mark", "note", "relate", "dismiss", "undo-relation"]))
    entry_to = draw(STATUS) if kind == "mark" else claim.status
    entry = ReviewEntry.model_validate(
        {
            "at": draw(TIME),
            "reviewer": draw(NON_BLANK),
            "from": claim.status,
            "to": entry_to,
            "note": draw(TEXT),
        }
    )
    if kind in ("mark", "note"):
        after = claim.model_copy(update={"status": entry_to, "history": [*claim.history, entry]})
    elif kind == "relate":
        relation = Relation(kind="supports", claim="other-c", note=draw(TEXT))
        after = claim.model_copy(update={"relations": [*claim.relations, relation]})
    elif kind == "dismiss":
        dismissal = Dismissal(
            claim="other-d", kind="numeric", note=draw(TEXT), reviewer="r", at=draw(TIME)
        )
        after = claim.model_copy(update={"dismissed": [*claim.dismissed, dismissal]})
    else:
        after = claim.model_copy(
            update={"relations": claim.relations[:-1], "history": [*claim.history, entry]}
        )
    return kind, Claim.model_validate(after.model_dump(by_alias=True))


def _comment_lines_kept(original_comments: list[str], text: str) -> bool:
    lines = text.splitlines()
    return all(any(comment in line for line in lines) for comment in original_comments)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_a_review_action_keeps_every_comment_and_writes_the_intended_claim(
    data: st.DataObject,
) -> None:
    claim = data.draw(claims())
    text, comments = data.draw(commented(claim))
    assert Claim.model_validate(parse_toml(text)) == claim
    kind, after = data.draw(changes(claim))
    written = claim_text_after(text, claim, after)
    assert Claim.model_validate(parse_toml(written)) == after
    assert _comment_lines_kept(comments, written)
    if kind != "undo-relation":
        removed = [
            line
            for line in difflib.ndiff(text.splitlines(), written.splitlines())
            if line.startswith("- ")
        ]
        assert all(line.startswith(("- status = ", "- status   =  ")) for line in removed), removed
    if "   =  " not in text:
        # canonical apart from its comments, and still so: `check` accepts it
        assert keep_comments(model_text(after), written) == written


@settings(max_examples=100, deadline=None)
@given(data=st.data())
def test_keep_comments_keeps_them_all_and_is_its_own_fixed_point(data: st.DataObject) -> None:
    claim = data.draw(claims())
    text, comments = data.draw(commented(claim))
    canonical = model_text(claim)
    kept = keep_comments(canonical, text)
    if "   =  " not in text:  # canonical text with comments in canonical places stays
        assert kept == text
    assert _comment_lines_kept(comments, kept)
    assert Claim.model_validate(parse_toml(kept)) == claim
    assert keep_comments(canonical, kept) == kept


HAND_WRITTEN = """\
# A claim a maintainer wrote by hand.
status = "unreviewed"   # not yet looked at
id = "deepseek-cost"
topic = "cost"
statement = "DeepSeek said it trained its model for $5.6 million."
stance = "catching-up"

# where it comes from
[source]
quote = "딥시크는 560만달러로 모델을 훈련했다고"  # the article's words
id = "test-source"
# end of file
"""


def test_fmt_puts_keys_in_order_and_keeps_the_comments(make_project: object) -> None:
    root = make_project({"deepseek-cost.toml": HAND_WRITTEN})  # type: ignore[operator]
    path = root / "claims" / "deepseek-cost.toml"
    changed, problems = format_file(path, Claim)
    assert changed and problems == []
    assert path.read_text(encoding="utf-8") == (
        "# A claim a maintainer wrote by hand.\n"
        'id = "deepseek-cost"\n'
        'statement = "DeepSeek said it trained its model for $5.6 million."\n'
        'topic = "cost"\n'
        'stance = "catching-up"\n'
        'status = "unreviewed"   # not yet looked at\n'
        "\n"
        "# where it comes from\n"
        "[source]\n"
        'id = "test-source"\n'
        'quote = "딥시크는 560만달러로 모델을 훈련했다고"  # the article\'s words\n'
        "# end of file\n"
    )
    assert format_file(path, Claim) == (False, [])  # idempotent
    codes = [problem.code for problem in check_project(load_project(root))]
    assert "WB601" not in codes


def test_check_accepts_comments_but_not_other_hand_formatting(make_project: object) -> None:
    commented_text = "# why this claim matters\n" + claim_toml("a-claim").replace(
        'topic = "cost"', 'topic = "cost"  # or funding?'
    )
    misordered = claim_toml("b-claim").replace(
        'topic = "cost"\nstance = "catching-up"\n', 'stance = "catching-up"\ntopic = "cost"\n'
    )
    root = make_project(  # type: ignore[operator]
        {"a-claim.toml": commented_text, "b-claim.toml": misordered + "# note\n"}
    )
    problems = [p for p in check_project(load_project(root)) if p.code == "WB601"]
    assert [Path(p.path).name for p in problems] == ["b-claim.toml"]


def test_a_mark_on_a_hand_formatted_file_changes_only_its_lines(make_project: object) -> None:
    from workbench.review import mark_status

    root = make_project({"deepseek-cost.toml": HAND_WRITTEN})  # type: ignore[operator]
    path = root / "claims" / "deepseek-cost.toml"
    project = load_project(root)
    mark_status(project, "deepseek-cost", "verified", reviewer="tester", note="checked")
    written = path.read_text(encoding="utf-8")
    before_lines, after_lines = HAND_WRITTEN.splitlines(), written.splitlines()
    assert after_lines[1] == 'status = "verified"   # not yet looked at'
    assert after_lines[:1] + after_lines[2 : len(before_lines) - 1] == (
        before_lines[:1] + before_lines[2:-1]
    )
    assert after_lines[len(before_lines) - 1 :][:2] == ["", "[[history]]"]
    assert after_lines[-1] == "# end of file"
    assert project.claim("deepseek-cost").history[-1].note == "checked"


@pytest.mark.parametrize("key", ["status", "history"])
def test_an_edit_that_cannot_be_made_in_place_still_keeps_comments(key: str) -> None:
    """An inline array where a list of tables is usual: written canonically, comments kept."""
    text = (
        '# top\nid = "claim-1"\nstatement = "S"\ntopic = "cost"\nstance = "catching-up"\n'
        'history = []  # none yet\n\n[source]\nid = "test-source"\nquote = "q"\n'
    )
    before = Claim.model_validate(parse_toml(text))
    entry = ReviewEntry.model_validate(
        {
            "at": dt.datetime(2026, 1, 1, tzinfo=dt.UTC),
            "reviewer": "r",
            "from": "unreviewed",
            "to": "verified" if key == "status" else "unreviewed",
        }
    )
    after = before.model_copy(update={"status": entry.to_status, "history": [entry]})
    written = claim_text_after(text, before, after)
    assert Claim.model_validate(parse_toml(written)) == after
    assert "# top" in written and "# none yet" in written
