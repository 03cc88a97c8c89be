"""The lexicon (`lexicon.toml` or `[lexicon]` in `workbench.toml`) as checked data.

Every mistake is a `workbench check` problem at the file and line of the entry
at fault, with what to do, whether the lexicon has its own file or sits inline;
a broken lexicon costs only the lexicon, never the rest of the project.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import tempfile
import tomllib
import unicodedata
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from workbench.checks import check_project
from workbench.cli import main
from workbench.differences import differences_of
from workbench.lexicon_checks import check_lexicon, comparable
from workbench.problems import PROBLEM_CODES, Problem, Severity
from workbench.project import load_project

from .conftest import CONFIG, REPO, ProjectFactory, claim_toml

INLINE_LEXICON = '[lexicon]\nopposing_stances = [["lagging", "catching-up"]]\n'
assert INLINE_LEXICON in CONFIG

GOOD_LEXICON = """\
opposing_stances = [["lagging", "catching-up"]]
rivals = [["china", "us"]]
event_words = ["released", "launched", "출시", "발표"]

[[entities]]
name = "Nvidia"
aliases = ["엔비디아", "NVDA"]
kind = "company"
group = "us"

[[entities]]
name = "DeepSeek"
aliases = ["딥시크", "Deep Seek"]
kind = "company"
group = "china"

[[events]]
name = "Stargate announcement"
date = 2025-01-21
aliases = ["Stargate", "스타게이트 발표"]
"""

LAYOUTS = ["file", "inline"]


def write_lexicon(root: Path, body: str, layout: str) -> Path:
    """Put `body` (written as a `lexicon.toml`) where `layout` says; return that file."""
    config = root / "workbench.toml"
    text = config.read_text(encoding="utf-8")
    if layout == "file":
        text = text.replace(INLINE_LEXICON, "").replace(
            'name = "test project"\n', 'name = "test project"\nlexicon = "lexicon.toml"\n'
        )
        config.write_text(text, encoding="utf-8")
        (root / "lexicon.toml").write_text(body, encoding="utf-8")
        return root / "lexicon.toml"
    inline = "[lexicon]\n" + body.replace("[[entities]]", "[[lexicon.entities]]").replace(
        "[[events]]", "[[lexicon.events]]"
    )
    config.write_text(text.replace(INLINE_LEXICON, inline), encoding="utf-8")
    return config


def line_with(path: Path, needle: str, occurrence: int = 1) -> int:
    """The line of the `occurrence`-th line of `path` that holds `needle`."""
    found = [
        number
        for number, line in enumerate(path.read_text(encoding="utf-8").split("\n"), 1)
        if needle in line
    ]
    return found[occurrence - 1]


def problems_of(root: Path) -> list[Problem]:
    return check_project(load_project(root, use_cache=False))


def only(problems: list[Problem], code: str) -> Problem:
    chosen = [problem for problem in problems if problem.code == code]
    assert len(chosen) == 1, problems
    return chosen[0]


def lexicon_project(make_project: ProjectFactory, body: str, layout: str) -> tuple[Path, Path]:
    root = make_project({"a.toml": claim_toml("a")})
    return root, write_lexicon(root, body, layout)


# --------------------------------------------------------------------------- clean


@pytest.mark.parametrize("layout", LAYOUTS)
def test_a_good_lexicon_has_no_problem(make_project: ProjectFactory, layout: str) -> None:
    root, _ = lexicon_project(make_project, GOOD_LEXICON, layout)
    project = load_project(root, use_cache=False)
    assert check_project(project) == []
    assert project.settings.lexicon.entities[1].aliases == ["딥시크", "Deep Seek"]
    assert project.settings.lexicon.opposing_stances == [("lagging", "catching-up")]


def test_the_repository_lexicon_checks_clean() -> None:
    project = load_project(REPO, use_cache=False)
    lexicon_file = (REPO / "lexicon.toml").resolve()
    assert [p for p in project.problems if p.path.resolve() == lexicon_file] == []
    assert check_lexicon(project) == []
    assert project.settings.lexicon.opposing_stances  # it was read, not skipped


# --------------------------------------------------------------------------- stances


@pytest.mark.parametrize("layout", LAYOUTS)
def test_an_unknown_opposing_stance_is_reported_at_its_line_with_a_suggestion(
    make_project: ProjectFactory, layout: str
) -> None:
    body = 'opposing_stances = [\n  ["lagging", "catching-up"],\n  ["mixed", "laging"],\n]\n'
    root, path = lexicon_project(make_project, body, layout)
    problem = only(problems_of(root), "WB801")
    assert problem.path == path
    assert problem.line == line_with(path, '"laging"')
    assert (
        problem.column
        == path.read_text("utf-8").splitlines()[problem.line - 1].index('"laging"') + 1
    )
    assert "unknown stance `laging`" in problem.message
    assert "did you mean `lagging`?" in problem.message
    assert "add the stance to [stances]" in problem.message
    assert main(["check", "--root", str(root)]) == 1


@pytest.mark.parametrize("layout", LAYOUTS)
def test_a_stance_opposed_to_itself_and_a_pair_listed_twice(
    make_project: ProjectFactory, layout: str
) -> None:
    body = (
        "opposing_stances = [\n"
        '  ["lagging", "catching-up"],\n'
        '  ["neutral", "neutral"],\n'
        '  ["catching-up", "lagging"],\n'
        "]\n"
    )
    root, path = lexicon_project(make_project, body, layout)
    problems = problems_of(root)
    itself = only(problems, "WB802")
    assert (itself.path, itself.line) == (path, line_with(path, '["neutral", "neutral"]'))
    assert "`neutral` is opposed to itself" in itself.message
    twice = only(problems, "WB803")
    assert (twice.path, twice.line) == (path, line_with(path, '["catching-up", "lagging"]'))
    first_pair = line_with(path, '["lagging",')
    assert f"already listed as opposing at line {first_pair}" in twice.message
    assert {problem.code for problem in problems} == {"WB802", "WB803"}


# --------------------------------------------------------------------------- entities


@pytest.mark.parametrize("layout", LAYOUTS)
def test_an_alias_claimed_by_two_entities_names_both_and_both_lines(
    make_project: ProjectFactory, layout: str
) -> None:
    decomposed = unicodedata.normalize("NFD", "엔비디아")
    body = (
        '[[entities]]\nname = "Nvidia"\naliases = [\n  "엔비디아",\n  "NVDA",\n]\n\n'
        f'[[entities]]\nname = "Nvidia China"\naliases = [\n  "{decomposed}",\n  "nvda",\n]\n'
    )
    root, path = lexicon_project(make_project, body, layout)
    problems = problems_of(root)
    clashes = [problem for problem in problems if problem.code == "WB804"]
    assert [(p.path, p.line) for p in clashes] == [
        (path, line_with(path, decomposed)),
        (path, line_with(path, '"nvda"')),
    ]
    assert "`Nvidia China` here and `Nvidia`" in clashes[1].message
    upper, composed = line_with(path, '"NVDA"'), line_with(path, '"엔비디아"')
    assert f"(line {upper})" in clashes[1].message
    assert f"(line {composed})" in clashes[0].message
    assert main(["check", "--root", str(root)]) == 1


@pytest.mark.parametrize("layout", LAYOUTS)
def test_an_alias_equal_to_another_entity_name(make_project: ProjectFactory, layout: str) -> None:
    body = (
        '[[entities]]\nname = "DeepSeek"\n\n'
        '[[entities]]\nname = "High-Flyer"\naliases = ["환방퀀트", " deepseek "]\n'
        '\n[[entities]]\nname = "deepseek"\n'
    )
    root, path = lexicon_project(make_project, body, layout)
    problems = problems_of(root)
    alias = only(problems, "WB805")
    assert (alias.path, alias.line) == (path, line_with(path, '" deepseek "'))
    assert "of entity `High-Flyer` is the name of entity `DeepSeek`" in alias.message
    name_line = line_with(path, 'name = "DeepSeek"')
    assert f"(line {name_line})" in alias.message
    named = only(problems, "WB806")
    assert named.line == line_with(path, 'name = "deepseek"')
    assert "merge the two entries" in named.message


@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ('""', "must not be empty"),
        ('" \\t "', "must not be empty"),
        ('"\\u0007"', "control character U+0007"),
        ('"\\u001b[31m"', "control character U+001B"),
    ],
)
def test_an_empty_or_control_alias_is_reported_at_its_line(
    make_project: ProjectFactory, layout: str, written: str, expected: str
) -> None:
    body = f'[[entities]]\nname = "Nvidia"\naliases = [\n  "엔비디아",\n  {written},\n]\n'
    root, path = lexicon_project(make_project, body, layout)
    project = load_project(root, use_cache=False)
    problem = only(check_project(project), "WB101")
    assert (problem.path, problem.line) == (path, line_with(path, written))
    assert expected in problem.message and "aliases[1]" in problem.message
    assert "remove the key" not in problem.message
    # the rest of the project still loads and checks: the claim's stance is known
    assert list(project.claims) == ["a"]
    assert "catching-up" in project.settings.stances
    assert [p.code for p in check_project(project)] == ["WB101"]


@pytest.mark.parametrize("layout", LAYOUTS)
def test_an_entry_in_error_is_left_out_and_the_rest_of_the_lexicon_is_used(
    make_project: ProjectFactory, layout: str
) -> None:
    """One mistake costs its entry, not the lexicon: an entity with an empty alias and
    an event without a date are reported and left out; the other entity, the event
    words and the opposing stances are used, and their own checks still run."""
    body = GOOD_LEXICON + '\n[[entities]]\nname = "Alibaba"\naliases = ["알리바바", ""]\n'
    body = body.replace("date = 2025-01-21\n", "")
    body = body.replace('["lagging", "catching-up"]', '["lagging", "catchingup"]')
    root, path = lexicon_project(make_project, body, layout)
    project = load_project(root, use_cache=False)
    lexicon = project.settings.lexicon
    assert [entity.name for entity in lexicon.entities] == ["Nvidia", "DeepSeek"]
    assert lexicon.events == []
    assert lexicon.event_words == ["released", "launched", "출시", "발표"]
    assert lexicon.rivals == [("china", "us")]
    problems = check_project(project)
    assert sorted(p.code for p in problems) == ["WB101", "WB103", "WB801"]
    assert all(p.path == path for p in problems)
    assert only(problems, "WB101").line == line_with(path, '"알리바바", ""')
    assert only(problems, "WB801").line == line_with(path, "catchingup")


@pytest.mark.parametrize(
    "body",
    [
        'opposing_stances = "lagging"\n[[entities]]\nname = "Nvidia"\n',
        'colour = "red"\n[[entities]]\nname = "Nvidia"\n',
    ],
)
def test_an_error_outside_the_entries_leaves_the_lexicon_empty(
    make_project: ProjectFactory, body: str
) -> None:
    """Only the items of the lexicon's lists can be left out on their own: a key of the
    wrong shape or an unknown key leaves nothing to trust, as before."""
    root, _path = lexicon_project(make_project, body, "file")
    project = load_project(root, use_cache=False)
    assert project.settings.lexicon.entities == []
    assert [p.code for p in check_project(project)] in (["WB101"], ["WB102"])


def test_conflicts_says_once_that_the_lexicon_has_errors_and_still_matches(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """On the bundled claims with one alias emptied, `conflicts` names the file and
    the count on standard error and finds candidates (with no lexicon it found none)."""
    root = tmp_path / "project"
    shutil.copytree(REPO, root, ignore=shutil.ignore_patterns(".git", ".venv", "bench", "tests"))
    lexicon = root / "lexicon.toml"
    text = lexicon.read_text(encoding="utf-8")
    assert text.count('aliases = ["Korea", ') == 1
    lexicon.write_text(text.replace('aliases = ["Korea", ', 'aliases = ["", '), "utf-8")
    assert main(["conflicts", "--root", str(root), "--lexical-only", "--limit", "20"]) == 0
    out, err = capsys.readouterr()
    notices = [line for line in err.splitlines() if "lexicon.toml has 1 error" in line]
    assert len(notices) == 1 and "workbench check" in notices[0]
    assert out.count("opposing stances (lagging / catching-up)") >= 5
    lexicon.write_text(text, "utf-8")
    assert main(["conflicts", "--root", str(root), "--lexical-only", "--limit", "1"]) == 0
    assert "lexicon.toml has" not in capsys.readouterr().err


@pytest.mark.parametrize("layout", LAYOUTS)
def test_an_invisible_alias_is_reported_with_its_code_points(
    make_project: ProjectFactory, layout: str
) -> None:
    body = '[[entities]]\nname = "Nvidia"\naliases = [\n  "엔비디아",\n  "\\u200b\\u00a0",\n]\n'
    root, path = lexicon_project(make_project, body, layout)
    problem = only(problems_of(root), "WB807")
    assert (problem.path, problem.line) == (path, line_with(path, "\\u200b"))
    assert "U+200B U+00A0" in problem.message
    assert "\u200b" not in problem.message  # shown as code points, never raw


# --------------------------------------------------------------------------- rivals, events


@pytest.mark.parametrize("layout", LAYOUTS)
def test_a_rivals_group_that_no_entity_has(make_project: ProjectFactory, layout: str) -> None:
    body = (
        'rivals = [\n  ["china", "us"],\n  ["chnia", "us"],\n  ["us", "us"],\n]\n\n'
        '[[entities]]\nname = "Nvidia"\ngroup = "us"\n\n'
        '[[entities]]\nname = "DeepSeek"\ngroup = "china"\n'
    )
    root, path = lexicon_project(make_project, body, layout)
    problems = [p for p in problems_of(root) if p.code == "WB808"]
    assert [(p.path, p.line) for p in problems] == [
        (path, line_with(path, '"chnia"')),
        (path, line_with(path, '["us", "us"]')),
    ]
    assert "did you mean `china`?" in problems[0].message
    assert "rival of itself" in problems[1].message


@pytest.mark.parametrize("layout", LAYOUTS)
def test_an_event_name_used_by_two_events(make_project: ProjectFactory, layout: str) -> None:
    body = (
        'event_words = ["released", "출시", "Released"]\n\n'
        '[[events]]\nname = "Stargate announcement"\ndate = 2025-01-21\n'
        'aliases = ["Stargate"]\n\n'
        '[[events]]\nname = "Stargate launch"\ndate = 2025-06-01\naliases = [\n  "stargate",\n]\n'
    )
    root, path = lexicon_project(make_project, body, layout)
    problems = problems_of(root)
    clash = only(problems, "WB809")
    assert (clash.path, clash.line) == (path, line_with(path, '"stargate"'))
    assert "`Stargate launch`" in clash.message and "`Stargate announcement`" in clash.message
    first_alias = line_with(path, '"Stargate"]')
    assert f"(line {first_alias})" in clash.message
    repeated = only(problems, "WB810")
    assert repeated.severity is Severity.WARNING
    assert repeated.line == line_with(path, "event_words")


# --------------------------------------------------------------------------- the file itself


def test_check_with_the_lexicon_path_reports_only_it(make_project: ProjectFactory) -> None:
    body = 'opposing_stances = [["lagging", "laging"]]\n'
    root, path = lexicon_project(make_project, body, "file")
    (root / "claims" / "b.toml").write_text(claim_toml("b").replace("cost", "cots"), "utf-8")
    everything = {p.code for p in problems_of(root)}
    assert {"WB801", "WB503"} <= everything
    project = load_project(root, use_cache=False)
    assert [p.code for p in check_project(project, [path])] == ["WB801"]
    assert main(["check", "--root", str(root), str(path)]) == 1
    assert main(["check", "--root", str(root), str(root / "claims" / "a.toml")]) == 0


@pytest.mark.parametrize(
    ("setup", "code", "where", "words"),
    [
        ("missing", "WB002", "workbench.toml", "does not exist"),
        ("latin-1", "WB002", "lexicon.toml", "not UTF-8 (byte 0xe9)"),
        ("syntax", "WB003", "lexicon.toml", "TOML syntax"),
        ("outside", "WB101", "workbench.toml", "inside the project"),
        ("folder", "WB002", "workbench.toml", "cannot read the lexicon file"),
        ("number", "WB101", "workbench.toml", "write a file name"),
    ],
)
def test_a_lexicon_that_cannot_be_read_is_one_problem_and_the_rest_loads(
    make_project: ProjectFactory, setup: str, code: str, where: str, words: str
) -> None:
    root, path = lexicon_project(make_project, GOOD_LEXICON, "file")
    config = root / "workbench.toml"
    if setup == "missing":
        path.unlink()
    elif setup == "latin-1":
        path.write_bytes(b'event_words = ["released"]\nrivals = []\n# caf\xe9\n')
    elif setup == "syntax":
        path.write_text('event_words = ["released"\n\nrivals = []\n', encoding="utf-8")
    elif setup == "outside":
        (root.parent / "outside.toml").write_text(GOOD_LEXICON, encoding="utf-8")
        text = config.read_text("utf-8").replace('"lexicon.toml"', '"../outside.toml"')
        config.write_text(text, encoding="utf-8")
    elif setup == "folder":
        path.unlink()
        path.mkdir()
    else:
        config.write_text(config.read_text("utf-8").replace('"lexicon.toml"', "3"), "utf-8")
    project = load_project(root, use_cache=False)
    problems = check_project(project)
    assert [(p.code, p.path.name) for p in problems] == [(code, where)]
    assert words in problems[0].message
    if where == "workbench.toml":
        assert problems[0].line == line_with(config, "lexicon =")
    else:  # the byte that is not UTF-8; the array left open
        assert (problems[0].line, problems[0].column) == (3, 6 if setup == "latin-1" else 1)
    assert list(project.claims) == ["a"]
    assert main(["check", "--root", str(root)]) == 1


def test_a_lexicon_that_is_a_symlink_out_of_the_project_is_refused(
    make_project: ProjectFactory,
) -> None:
    root, path = lexicon_project(make_project, GOOD_LEXICON, "file")
    outside = root.parent / "elsewhere.toml"
    outside.write_text(GOOD_LEXICON, encoding="utf-8")
    path.unlink()
    path.symlink_to(outside)
    problems = problems_of(root)
    assert [(p.code, p.path.name) for p in problems] == [("WB101", "workbench.toml")]


def test_every_problem_code_in_the_code_is_registered() -> None:
    used = set()
    for source in (REPO / "workbench").rglob("*.py"):
        used |= set(re.findall(r'"(WB\d{3})"', source.read_text(encoding="utf-8")))
    assert used <= set(PROBLEM_CODES)
    assert {f"WB8{n:02d}" for n in range(1, 11)} <= used


@pytest.mark.skipif(shutil.which("taplo") is None, reason="taplo (in the [test] extra) is missing")
def test_editors_validate_lexicon_toml_against_its_schema(tmp_path: Path) -> None:
    """`.taplo.toml` sends `lexicon.toml` to `schema/lexicon-v1.json`: taplo, as
    editors run it, accepts the repository's lexicon and flags an empty alias."""
    shutil.copy(REPO / ".taplo.toml", tmp_path / ".taplo.toml")
    shutil.copytree(REPO / "schema", tmp_path / "schema")
    shutil.copy(REPO / "lexicon.toml", tmp_path / "lexicon.toml")

    def taplo_check() -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            ["taplo", "check", "lexicon.toml"],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            check=False,
        )

    assert taplo_check().returncode == 0
    (tmp_path / "lexicon.toml").write_text(
        '[[entities]]\nname = "Nvidia"\naliases = ["엔비디아", ""]\n', encoding="utf-8"
    )
    rejected = taplo_check()
    assert rejected.returncode != 0
    assert "lexicon.toml:3:" in rejected.stdout + rejected.stderr


# --------------------------------------------------------------------------- property


ALIAS_POOL = ["Nvidia", "NVIDIA", "엔비디아", "DeepSeek", "deep seek", "딥시크", "Qwen", " qwen"]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.tuples(st.sampled_from(ALIAS_POOL), st.lists(st.sampled_from(ALIAS_POOL), max_size=4)),
        min_size=1,
        max_size=5,
    )
)
def test_every_clash_is_reported_exactly_once(
    entities: list[tuple[str, list[str]]],
) -> None:
    """For each name, every entity after the first to use it gets one problem."""
    body = "".join(
        f'[[entities]]\nname = "{name}"\naliases = [\n'
        + "".join(f'  "{alias}",\n' for alias in aliases)
        + "]\n\n"
        for name, aliases in entities
    )
    owners: dict[str, set[int]] = {}
    for index, (name, aliases) in enumerate(entities):
        for text in (name, *aliases):
            owners.setdefault(comparable(text), set()).add(index)
    expected = sum(len(indexes) - 1 for indexes in owners.values())
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        (root / "workbench.toml").write_text('lexicon = "lexicon.toml"\n', encoding="utf-8")
        (root / "lexicon.toml").write_text(body, encoding="utf-8")
        problems = check_project(load_project(root, use_cache=False))
        clashes = [p for p in problems if p.code in {"WB804", "WB805", "WB806"}]
        assert len(clashes) == expected
        lines = body.splitlines()
        for clash in clashes:  # at a line that holds one of the clashing names
            written = json.loads(lines[clash.line - 1].split("=")[-1].strip().rstrip(","))
            assert f"`{written}`" in clash.message
        repeats = [p for p in problems if p.code == "WB810"]
        within = sum(
            len(texts) - len({comparable(text) for text in texts})
            for texts in ([name, *aliases] for name, aliases in entities)
        )
        assert len(repeats) == within
        assert {p.code for p in problems} <= {"WB804", "WB805", "WB806", "WB810"}


# --------------------------------------------------------------------------- diffing


def test_a_project_on_another_subject_sees_its_own_opposing_stances(
    make_project: ProjectFactory,
) -> None:
    root = make_project()
    config = root / "workbench.toml"
    text = config.read_text(encoding="utf-8")
    head, _, _ = text.partition("[stances]")
    config.write_text(
        head
        + '[stances]\nwarming = "It is getting warmer."\ncooling = "It is getting cooler."\n'
        + 'mixed = "No clear trend."\n\n[topics]\ncost = "Costs."\n\n'
        + '[lexicon]\nopposing_stances = [["warming", "cooling"]]\n',
        encoding="utf-8",
    )
    for claim_id, stance in (("a", "warming"), ("b", "cooling"), ("c", "mixed")):
        written = claim_toml(claim_id).replace('stance = "catching-up"', f'stance = "{stance}"')
        (root / "claims" / f"{claim_id}.toml").write_text(written, encoding="utf-8")
    project = load_project(root, use_cache=False)
    assert check_project(project) == []
    opposing = project.settings.lexicon.opposing_stances

    def stance_detail(*ids: str) -> str:
        claims = [(project.claim(i), project.source_of(project.claim(i))) for i in ids]
        found = {d.aspect: d for d in differences_of(claims, opposing)}
        return found["stance"].detail

    assert stance_detail("a", "b") == "opposite views"
    assert stance_detail("a", "c") == ""


def test_stance_colours_follow_the_lexicon_not_the_stance_names() -> None:
    """The app colours the two sides of an opposing pair apart in any project;
    this corpus keeps its colours (lagging red, catching-up green)."""
    from workbench.app.widgets.claim_card import stance_class
    from workbench.config import load_settings
    from workbench.models import ProjectSettings

    repo_settings = load_settings(REPO)[0]
    assert [stance_class(s, repo_settings) for s in repo_settings.stances] == [
        "-stance-side-a",
        "-stance-side-b",
        "-stance-other-1",
        "-stance-other-2",
    ]
    other = ProjectSettings.model_validate(
        {
            "statuses": {"unreviewed": {"meaning": "Open."}},
            "stances": {"flat": "No trend.", "warming": "Warmer.", "cooling": "Cooler."},
            "topics": {},
            "lexicon": {"opposing_stances": [["cooling", "warming"]]},
        }
    )
    colours = {s: stance_class(s, other) for s in ("warming", "cooling", "flat", "lagging")}
    assert colours == {
        "warming": "-stance-side-b",
        "cooling": "-stance-side-a",
        "flat": "-stance-other-1",
        "lagging": "-stance-none",
    }


# --------------------------------------------------------------------------- item positions

TOML_ALPHABET = st.sampled_from([*list("[]{}\"',=#\\\n \tab1."), '"""', "'''"])


@settings(max_examples=300, deadline=None)
@given(st.lists(TOML_ALPHABET, max_size=60).map("".join))
def test_placing_array_items_never_fails_on_any_text(tail: str) -> None:
    """The key index reads broken files too (that is when it is needed)."""
    from workbench.tomlio import KeyIndex

    KeyIndex("aliases = [" + tail)
    KeyIndex("[[entities]]\naliases = [" + tail + "\nname = 1\n")


@settings(max_examples=100, deadline=None)
@given(
    st.lists(st.tuples(st.text(max_size=6), st.sampled_from(["", " # ]", " # [x"])), min_size=1),
    st.booleans(),
)
def test_each_array_item_is_placed_at_its_line(
    items: list[tuple[str, str]], trailing_comma: bool
) -> None:
    from workbench.tomlio import KeyIndex

    items = [(text.replace("\x7f", ""), comment) for text, comment in items]
    lines = ["[[entities]]", "aliases = ["]
    for number, (text, comment) in enumerate(items):
        comma = "," if number < len(items) - 1 or trailing_comma else ""
        lines.append(f"  {json.dumps(text, ensure_ascii=False)}{comma}{comment}")
    text = "\n".join([*lines, "]"]) + "\n"
    assert tomllib.loads(text)["entities"][0]["aliases"] == [item for item, _ in items]
    index = KeyIndex(text)
    for number in range(len(items)):
        position = index.find(("entities", 0, "aliases", number))
        assert position is not None and (position.line, position.column) == (number + 3, 3)


@pytest.mark.parametrize("layout", LAYOUTS)
def test_an_alias_that_reads_as_a_plain_word_is_left_out_with_a_warning(
    make_project: ProjectFactory, layout: str
) -> None:
    """ "AI+" reads as the word "ai": as an alias it would make every claim about AI name
    the AI+ policy.  `check` warns at its line; matching leaves it out and keeps the
    policy's other names."""
    from workbench.matching.frames import FrameReader, LexiconIndex
    from workbench.models import Claim

    body = '[[entities]]\nname = "AI Plus"\naliases = [\n  "AI+",\n  "AI 플러스",\n]\n'
    root, path = lexicon_project(make_project, body, layout)
    warning = only(problems_of(root), "WB811")
    assert (warning.path, warning.line, warning.severity) == (
        path,
        line_with(path, '"AI+"'),
        Severity.WARNING,
    )
    assert "reads as the word `ai`" in warning.message
    reader = FrameReader(LexiconIndex(load_project(root, use_cache=False).settings.lexicon))

    def entities(statement: str, quote: str) -> frozenset[str]:
        claim = Claim.model_validate(
            {
                "id": "c",
                "statement": statement,
                "topic": "race",
                "stance": "neutral",
                "source": {"id": "s", "quote": quote},
            }
        )
        return reader.read(0, claim, None, "").entities

    assert entities("China cannot catch up with the US in AI.", "중국 AI 기업") == frozenset()
    assert entities("China unveiled AI Plus.", "'AI 플러스(+)'란 이름의 정책") == {"AI Plus"}
