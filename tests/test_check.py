"""`workbench check`: every kind of bad input gets file, line and a fix; nothing crashes."""

from __future__ import annotations

import json
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest

from workbench.checks import check_project
from workbench.cli import main
from workbench.problems import Problem, Severity
from workbench.project import load_project

from .conftest import ProjectFactory, claim_toml


def problems_of(root: Path) -> list[Problem]:
    return check_project(load_project(root, use_cache=False))


def codes(root: Path) -> list[tuple[str, str, int]]:
    return [(p.path.name, p.code, p.line) for p in problems_of(root)]


def test_a_clean_project_has_no_problems(make_project: ProjectFactory) -> None:
    root = make_project({"a.toml": claim_toml("a")})
    assert problems_of(root) == []


def test_broken_toml_reports_line_and_column_and_the_rest_loads(
    make_project: ProjectFactory,
) -> None:
    broken = 'id = "b"\nstatement = "unterminated\ntopic = "cost"\n'
    root = make_project({"a.toml": claim_toml("a"), "b.toml": broken})
    project = load_project(root, use_cache=False)
    assert list(project.claims) == ["a"]
    [problem] = check_project(project)
    assert (problem.path.name, problem.code, problem.line) == ("b.toml", "WB003", 2)
    assert problem.column > 1
    assert "TOML syntax" in problem.message


def test_wrong_type_is_reported_on_the_line_of_the_key(make_project: ProjectFactory) -> None:
    text = claim_toml("a", quantity='subject = "cost"\nvalue = "lots"\nunit = "USD"\n')
    root = make_project({"a.toml": text})
    [problem] = problems_of(root)
    assert problem.code == "WB101"
    assert problem.line == text.splitlines().index('value = "lots"') + 1
    assert "quantity.value" in problem.message and "'lots'" in problem.message


def test_unknown_key_suggests_the_closest_allowed_one(make_project: ProjectFactory) -> None:
    text = claim_toml("a", extra='atributed_to = "CNBC"\n')
    root = make_project({"a.toml": text})
    [problem] = problems_of(root)
    assert problem.code == "WB102"
    assert problem.line == 5
    assert "did you mean `attributed_to`?" in problem.message


def test_unknown_key_in_an_array_of_tables(make_project: ProjectFactory) -> None:
    text = claim_toml("a") + '\n[[relations]]\nkind = "supports"\nclaim = "b"\nnotes = "x"\n'
    root = make_project({"a.toml": text})
    [problem] = problems_of(root)
    assert problem.code == "WB102"
    assert "`relations[0].notes`" in problem.message and "`note`" in problem.message
    assert problem.line == len(text.splitlines())


def test_missing_key_names_the_table(make_project: ProjectFactory) -> None:
    text = claim_toml("a").replace('quote = "딥시크는 560만달러로 모델을 훈련했다고"\n', "")
    root = make_project({"a.toml": text})
    [problem] = problems_of(root)
    assert problem.code == "WB103"
    assert "missing required key `quote` in [source]" in problem.message


def test_a_50_megabyte_file_is_refused_without_reading_it(make_project: ProjectFactory) -> None:
    root = make_project({"a.toml": claim_toml("a")})
    with (root / "claims" / "big.toml").open("wb") as handle:
        handle.truncate(50_000_000)
    [problem] = problems_of(root)
    assert (problem.path.name, problem.code) == ("big.toml", "WB001")
    assert "50.0 MB" in problem.message


def test_a_binary_file_is_reported(make_project: ProjectFactory) -> None:
    root = make_project()
    (root / "claims" / "bin.toml").write_bytes(b'id = "x"\n\x00\x01\x02')
    [problem] = problems_of(root)
    assert (problem.code, problem.line) == ("WB002", 2)
    assert "binary" in problem.message


def test_a_deeply_nested_file_is_reported_and_the_rest_loads(
    make_project: ProjectFactory,
) -> None:
    """A few thousand levels of nesting used to kill the process inside the TOML reader."""
    root = make_project({"a.toml": claim_toml("a")})
    (root / "claims" / "deep.toml").write_text('id = "deep"\nx = ' + "[" * 20000 + "\n")
    [problem] = problems_of(root)
    assert (problem.path.name, problem.code, problem.line) == ("deep.toml", "WB003", 2)
    assert "nested more than" in problem.message
    assert [claim.id for claim in load_project(root).iter_claims()] == ["a"]


def test_a_non_utf8_file_is_reported_with_its_line(make_project: ProjectFactory) -> None:
    root = make_project()
    (root / "claims" / "latin.toml").write_bytes(b'id = "x"\nstatement = "caf\xe9"\n')
    [problem] = problems_of(root)
    assert (problem.code, problem.line, problem.column) == ("WB002", 2, 17)


def test_a_quote_with_control_characters_is_rejected(make_project: ProjectFactory) -> None:
    text = claim_toml("a", quote="딥시크는 \\u001b[31m560만달러로")
    root = make_project({"a.toml": text})
    [problem] = problems_of(root)
    assert problem.code == "WB101"
    assert "U+001B" in problem.message
    assert (
        problem.line
        == text.splitlines().index(
            next(line for line in text.splitlines() if line.startswith("quote"))
        )
        + 1
    )


def test_a_source_path_cannot_reach_outside_seeds(make_project: ProjectFactory) -> None:
    root = make_project()
    source = (root / "seeds" / "000_test.toml").read_text(encoding="utf-8")
    (root / "seeds" / "000_test.toml").write_text(
        source.replace('file = "000_test.txt"', 'file = "../../etc/passwd"'), encoding="utf-8"
    )
    project = load_project(root, use_cache=False)
    assert project.sources == {}
    [problem] = check_project(project)
    assert (problem.code, problem.line) == ("WB101", 2)
    assert "not a file name in seeds/" in problem.message


def test_claims_of_a_source_that_did_not_load_point_at_its_file(
    make_project: ProjectFactory,
) -> None:
    root = make_project({"a.toml": claim_toml("a"), "b.toml": claim_toml("b")})
    metadata = root / "seeds" / "000_test.toml"
    metadata.write_text(
        metadata.read_text(encoding="utf-8").replace("2025-02-24", "2025-02-30"), encoding="utf-8"
    )
    problems = problems_of(root)
    assert [(p.path.name, p.code, p.severity) for p in problems] == [
        ("a.toml", "WB203", Severity.WARNING),
        ("b.toml", "WB203", Severity.WARNING),
        ("000_test.toml", "WB003", Severity.ERROR),
    ]
    assert "source `test-source` did not load: fix the errors reported for seeds/000_test.toml" in (
        problems[0].message
    )


@pytest.mark.parametrize(
    "text", [None, b"\x00\x01\x02 binary", b"\xff\xfe not utf-8"], ids=["missing", "nul", "latin"]
)
def test_a_source_text_that_did_not_load_is_one_error_not_one_per_claim(
    make_project: ProjectFactory, text: bytes | None
) -> None:
    root = make_project({"a.toml": claim_toml("a"), "b.toml": claim_toml("b")})
    article = root / "seeds" / "000_test.txt"
    if text is None:
        article.unlink()
    else:
        article.write_bytes(text)
    [problem] = problems_of(root)
    assert (problem.path.name, problem.code, problem.line) == ("000_test.toml", "WB701", 2)


def test_a_symlink_out_of_seeds_is_not_followed(
    make_project: ProjectFactory, tmp_path: Path
) -> None:
    root = make_project()
    secret = tmp_path / "secret.txt"
    secret.write_text("secret", encoding="utf-8")
    (root / "seeds" / "000_test.txt").unlink()
    (root / "seeds" / "000_test.txt").symlink_to(secret)
    project = load_project(root, use_cache=False)
    assert project.sources["test-source"].text == ""
    assert [p.code for p in check_project(project)] == ["WB701"]


def test_an_id_with_a_slash_is_rejected(make_project: ProjectFactory) -> None:
    root = make_project({"a.toml": claim_toml("a").replace('id = "a"', 'id = "../a"')})
    [problem] = problems_of(root)
    assert (problem.code, problem.line) == ("WB101", 1)
    assert "not a valid id" in problem.message


def test_duplicate_ids_and_file_name_mismatch(make_project: ProjectFactory) -> None:
    root = make_project({"a.toml": claim_toml("a"), "b.toml": claim_toml("a")})
    found = codes(root)
    assert ("b.toml", "WB201", 1) in found
    assert ("b.toml", "WB202", 1) not in found  # the duplicate is not loaded twice
    assert "a.toml already uses it" in problems_of(root)[0].message


def test_file_name_must_match_id(make_project: ProjectFactory) -> None:
    root = make_project({"other.toml": claim_toml("a")})
    [problem] = problems_of(root)
    assert problem.code == "WB202"
    assert "rename the file to `a.toml`" in problem.message


def test_unknown_source_and_claim_references(make_project: ProjectFactory) -> None:
    text = claim_toml("a").replace('id = "test-source"', 'id = "test-sorce"')
    text += '\n[[relations]]\nkind = "updates"\nclaim = "nobody"\n'
    root = make_project({"a.toml": text})
    messages = {p.code: p.message for p in problems_of(root)}
    assert "did you mean `test-source`?" in messages["WB203"]
    assert "unknown claim `nobody`" in messages["WB204"]


def test_a_relation_to_a_claim_whose_file_is_broken_says_so(make_project: ProjectFactory) -> None:
    text = claim_toml("a") + '\n[[relations]]\nkind = "updates"\nclaim = "b"\n'
    text += '\n[[dismissed]]\nclaim = "b"\nkind = "numeric"\n'
    broken = claim_toml("b").replace('topic = "cost"', "topic = 3")
    root = make_project({"a.toml": text, "b.toml": broken})
    found = problems_of(root)
    problems = {(p.path.name, p.code): p for p in found}
    assert problems["b.toml", "WB101"].severity is Severity.ERROR
    follow_on = problems["a.toml", "WB204"]
    assert "whose file did not load" in follow_on.message
    assert follow_on.severity is Severity.WARNING  # the error is counted once, at its file
    assert len(found) == 2  # and the dismissal of `b` waits for that fix


@pytest.mark.parametrize("written", ["nan", "inf", "-inf", "1e400"])
def test_a_quantity_must_be_a_finite_number(make_project: ProjectFactory, written: str) -> None:
    quantity = f'subject = "training cost"\nvalue = {written}\nunit = "USD"\n'
    root = make_project({"a.toml": claim_toml("a", quantity=quantity)})
    [problem] = problems_of(root)
    assert (problem.code, problem.line) == ("WB101", 13)  # the `value` line
    assert "finite number" in problem.message


def test_symmetric_relations_must_be_mirrored(make_project: ProjectFactory) -> None:
    relation = '\n[[relations]]\nkind = "contradicts"\nclaim = "{}"\nnote = "x"\n'
    root = make_project(
        {
            "a.toml": claim_toml("a") + relation.format("b"),
            "b.toml": claim_toml("b"),
        }
    )
    [problem] = problems_of(root)
    assert (problem.path.name, problem.code) == ("a.toml", "WB205")
    assert 'claim = "a"' in problem.message and "b.toml" in problem.message
    (root / "claims" / "b.toml").write_text(claim_toml("b") + relation.format("a"))
    assert problems_of(root) == []


def test_updates_is_one_way(make_project: ProjectFactory) -> None:
    relation = '\n[[relations]]\nkind = "updates"\nclaim = "{}"\n'
    root = make_project(
        {
            "a.toml": claim_toml("a") + relation.format("b"),
            "b.toml": claim_toml("b"),
        }
    )
    assert problems_of(root) == []
    (root / "claims" / "b.toml").write_text(claim_toml("b") + relation.format("a"))
    assert {p.code for p in problems_of(root)} == {"WB208"}


def test_a_quote_not_in_the_source_reports_the_closest_passage(
    make_project: ProjectFactory,
) -> None:
    root = make_project({"a.toml": claim_toml("a", quote="딥시크는 650만달러로 모델을 훈련했다고")})
    [problem] = problems_of(root)
    assert problem.code == "WB301"
    assert "딥시크는 560만달러로 모델을 훈련했다고" in problem.message
    assert "% similar" in problem.message


def test_an_ambiguous_quote_is_a_warning_and_prefix_resolves_it(
    make_project: ProjectFactory,
) -> None:
    text = claim_toml("a", quote="중국은 미국에 뒤처져 있다")
    root = make_project({"a.toml": text})
    [problem] = problems_of(root)
    assert (problem.code, problem.severity) == ("WB302", Severity.WARNING)
    fixed = (
        text.replace('quote = "중국은', 'quote = "중국은', 1)
        .replace("[source]\n", "[source]\n")
        .replace(
            'quote = "중국은 미국에 뒤처져 있다"\n',
            'quote = "중국은 미국에 뒤처져 있다"\nprefix = "반복되는 문장."\n',
        )
    )
    (root / "claims" / "a.toml").write_text(fixed, encoding="utf-8")
    assert problems_of(root) == []
    project = load_project(root, use_cache=False)
    anchor = project.anchor(project.claim("a"))
    assert anchor is not None and anchor.span is not None
    start, end = anchor.span
    article = project.sources["test-source"].text
    assert article[start:end] == "중국은 미국에 뒤처져 있다"
    assert start > article.index("반복되는 문장")


def test_a_prefix_that_matches_nothing(make_project: ProjectFactory) -> None:
    text = claim_toml("a", quote="중국은 미국에 뒤처져 있다").replace(
        'quote = "중국은 미국에 뒤처져 있다"\n',
        'quote = "중국은 미국에 뒤처져 있다"\nprefix = "없는 말"\n',
    )
    root = make_project({"a.toml": text})
    assert [p.code for p in problems_of(root)] == ["WB303"]


def test_nfd_korean_and_folded_whitespace_anchor_like_nfc(make_project: ProjectFactory) -> None:
    quote = unicodedata.normalize("NFD", "딥시크는   560만달러로\n모델을 훈련했다고")
    text = claim_toml("a", quote=quote.replace("\n", "\\n"))
    root = make_project({"a.toml": text})
    found = problems_of(root)
    # The quote anchors; only the formatting (NFD, to be stored as NFC) is reported.
    assert [p.code for p in found] == ["WB601"]
    main(["fmt", "--root", str(root)])
    assert problems_of(root) == []


def test_an_nfd_source_text_anchors_an_nfc_quote(make_project: ProjectFactory) -> None:
    from .conftest import ARTICLE

    root = make_project({"a.toml": claim_toml("a")}, article=unicodedata.normalize("NFD", ARTICLE))
    assert problems_of(root) == []


def test_quantity_must_match_a_number_in_the_quote(make_project: ProjectFactory) -> None:
    good = 'subject = "deepseek training cost"\nvalue = 5600000\nunit = "USD"\n'
    root = make_project({"a.toml": claim_toml("a", quantity=good)})
    assert problems_of(root) == []
    bad = good.replace("5600000", "56000000")
    (root / "claims" / "a.toml").write_text(claim_toml("a", quantity=bad), encoding="utf-8")
    [problem] = problems_of(root)
    assert problem.code == "WB401"
    assert "560만달러" in problem.message
    wrong_currency = good.replace('"USD"', '"CNY"')
    (root / "claims" / "a.toml").write_text(claim_toml("a", quantity=wrong_currency))
    assert [p.code for p in problems_of(root)] == ["WB401"]


def test_vocabularies_come_from_workbench_toml(make_project: ProjectFactory) -> None:
    text = (
        claim_toml("a")
        .replace('status = "unreviewed"', 'status = "verifed"')
        .replace('topic = "cost"', 'topic = "weather"')
    )
    root = make_project({"a.toml": text})
    messages = {p.code: p.message for p in problems_of(root)}
    assert "did you mean `verified`?" in messages["WB501"]
    assert "unknown topic `weather`" in messages["WB503"]


def test_non_canonical_formatting_is_reported_and_fmt_fixes_it(
    make_project: ProjectFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    messy = (
        claim_toml("a")
        .replace('topic = "cost"\n', "")
        .replace('status = "unreviewed"\n', 'status = "unreviewed"\ntopic =   "cost"\n')
    )
    root = make_project({"a.toml": messy})
    [problem] = problems_of(root)
    assert (problem.code, problem.line) == ("WB601", 3)
    assert main(["fmt", "--check", "--root", str(root)]) == 1
    assert (root / "claims" / "a.toml").read_text(encoding="utf-8") == messy
    assert main(["fmt", "--root", str(root)]) == 0
    assert (root / "claims" / "a.toml").read_text(encoding="utf-8") == claim_toml("a")
    assert main(["fmt", "--check", "--root", str(root)]) == 0  # idempotent
    capsys.readouterr()


def test_fmt_leaves_a_broken_file_alone(make_project: ProjectFactory) -> None:
    root = make_project({"a.toml": "id = \n"})
    assert main(["fmt", "--root", str(root)]) == 1
    assert (root / "claims" / "a.toml").read_text(encoding="utf-8") == "id = \n"


def test_cli_text_json_and_github_formats(
    make_project: ProjectFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_project({"a.toml": claim_toml("a", quote="없는 인용문입니다")})
    assert main(["check", "--root", str(root)]) == 1
    out = capsys.readouterr().out
    assert out.startswith("claims/a.toml:9:1: WB301 quote does not occur")
    assert main(["check", "--root", str(root), "--format", "json"]) == 1
    [entry] = json.loads(capsys.readouterr().out)
    assert entry["path"] == "claims/a.toml" and entry["code"] == "WB301"
    assert entry["line"] == 9 and entry["severity"] == "error"
    assert main(["check", "--root", str(root), "--format", "github"]) == 1
    assert capsys.readouterr().out.startswith("::error file=claims/a.toml,line=9,col=1::WB301")


def test_check_paths_limits_the_report(
    make_project: ProjectFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_project({"a.toml": claim_toml("x"), "b.toml": claim_toml("b")})
    assert main(["check", "--root", str(root), str(root / "claims" / "b.toml")]) == 0
    assert main(["check", "--root", str(root), str(root / "claims")]) == 1
    capsys.readouterr()


def test_check_paths_that_are_missing_or_outside_the_project_are_errors(
    make_project: ProjectFactory, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_project({"a.toml": claim_toml("a")})
    outside = tmp_path / "elsewhere.toml"
    outside.write_text(claim_toml("a"), encoding="utf-8")
    missing = root / "claims" / "typo.toml"
    assert main(["check", "--root", str(root), str(missing), str(outside)]) == 1
    output = capsys.readouterr().out
    assert "typo.toml:1:1: WB002 cannot read the file: no such file or folder" in output
    assert "elsewhere.toml:1:1: WB004 not in the project" in output
    assert "All clear" not in output
    project = load_project(root, use_cache=False)
    from_generator = check_project(project, (path for path in [missing, outside]))
    assert [problem.code for problem in from_generator] == ["WB004", "WB002"]


def test_warnings_alone_exit_zero(make_project: ProjectFactory) -> None:
    root = make_project({"a.toml": claim_toml("a", quote="중국은 미국에 뒤처져 있다")})
    assert main(["check", "--root", str(root)]) == 0


def test_no_project_is_one_line_and_exit_2(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "workbench", "check", "--root", str(tmp_path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert result.stderr.count("\n") == 1 and "workbench.toml" in result.stderr


def test_a_broken_workbench_toml_is_reported_and_defaults_apply(
    make_project: ProjectFactory,
) -> None:
    root = make_project({"a.toml": claim_toml("a")})
    (root / "workbench.toml").write_text("[statuses\n", encoding="utf-8")
    project = load_project(root, use_cache=False)
    assert project.problems[0].code == "WB003"
    assert "verified" in project.settings.statuses


def test_check_never_writes(make_project: ProjectFactory) -> None:
    root = make_project({"a.toml": claim_toml("a", extra="")})
    before = {p: p.read_bytes() for p in root.rglob("*") if p.is_file()}
    main(["check", "--root", str(root)])
    after = {p: p.read_bytes() for p in root.rglob("*") if p.is_file()}
    assert after == before


def test_a_status_key_the_app_uses_is_a_warning_at_its_line(
    repo_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`c` is Compare on every screen, so a status keyed `c` gets no key in the app:
    WB508 at the `key` line, and the project still loads and checks."""
    path = repo_copy / "workbench.toml"
    text = path.read_text(encoding="utf-8").replace('key = "2"', 'key = "c"', 1)
    path.write_text(text, encoding="utf-8")
    line = text.splitlines().index('key = "c"') + 1
    found = [(p.code, p.line, p.severity) for p in problems_of(repo_copy) if p.code != "WB601"]
    assert found == [("WB508", line, Severity.WARNING)]
    main(["check", "--root", str(repo_copy)])
    out = capsys.readouterr().out
    assert f"workbench.toml:{line}:1: WB508 status key `c` is a key the review app" in out
