"""The claims list's filter, search and sort logic (pure: no Textual)."""

from __future__ import annotations

import datetime as dt
import sys

from hypothesis import given, settings
from hypothesis import strategies as st

from workbench.app.filtering import (
    ClaimIndex,
    ClaimRow,
    Filters,
    SortOrder,
    Vocabulary,
    cycle_value,
    parse_query,
    row_matches,
    rows_of,
    search_text,
)
from workbench.project import load_project

from .conftest import REPO, ProjectFactory, claim_toml

STATUSES = ("unreviewed", "verified", "misleading", "false")


def row(
    claim_id: str,
    statement: str = "A statement.",
    *,
    quote: str = "인용문",
    status: str = "unreviewed",
    topic: str = "cost",
    stance: str = "neutral",
    outlet: str = "Test Daily",
    source_id: str = "test-source",
    published: dt.date | None = dt.date(2025, 1, 1),
) -> ClaimRow:
    return ClaimRow(
        id=claim_id,
        status=status,
        statement=statement,
        quote=quote,
        topic=topic,
        stance=stance,
        source_id=source_id,
        outlet=outlet,
        published=published,
        search_text=search_text(claim_id, statement, quote),
    )


def index(*rows: ClaimRow) -> dict[str, ClaimRow]:
    return {item.id: item for item in rows}


def shown(rows: dict[str, ClaimRow], filters: Filters, *, typos: bool = True) -> list[str]:
    index = ClaimIndex(rows.values(), STATUSES)
    return [index.ids[position] for position in index.filter(filters, typos=typos)]


def ordered(rows: dict[str, ClaimRow], sort: SortOrder) -> list[str]:
    index = ClaimIndex(rows.values(), STATUSES)
    return [index.ids[position] for position in index.order(sort)]


SAMPLE = index(
    row("a-cost", status="verified", topic="cost", stance="lagging", outlet="Chosun Ilbo"),
    row("b-chips", status="false", topic="chips", stance="catching-up", outlet="Apple Daily"),
    row("c-race", status="unreviewed", topic="race", stance="neutral", outlet="Chosun Biz"),
    row("d-chips", status="verified", topic="chips", stance="lagging", source_id="ge25c-src"),
)


# --------------------------------------------------------------------------- fields


def test_no_filters_show_everything() -> None:
    assert sorted(shown(SAMPLE, Filters())) == sorted(SAMPLE)


def test_filter_by_each_field() -> None:
    assert sorted(shown(SAMPLE, Filters(status="verified"))) == ["a-cost", "d-chips"]
    assert sorted(shown(SAMPLE, Filters(topic="chips"))) == ["b-chips", "d-chips"]
    assert sorted(shown(SAMPLE, Filters(stance="lagging"))) == ["a-cost", "d-chips"]
    assert shown(SAMPLE, Filters(source="Apple Daily")) == ["b-chips"]


def test_fields_combine_with_and() -> None:
    assert shown(SAMPLE, Filters(status="verified", topic="chips")) == ["d-chips"]
    assert shown(SAMPLE, Filters(status="false", topic="cost")) == []


def test_query_tokens_match_by_prefix_with_commas_and_negation() -> None:
    assert sorted(shown(SAMPLE, Filters(query="status:ver"))) == ["a-cost", "d-chips"]
    assert sorted(shown(SAMPLE, Filters(query="topic:chips,cost"))) == [
        "a-cost",
        "b-chips",
        "d-chips",
    ]
    assert sorted(shown(SAMPLE, Filters(query="-stance:lag"))) == ["b-chips", "c-race"]
    assert sorted(shown(SAMPLE, Filters(query="source:chosun"))) == ["a-cost", "c-race"]
    assert shown(SAMPLE, Filters(query="source:ge25c")) == ["d-chips"]  # source id prefix
    assert sorted(shown(SAMPLE, Filters(query="outlet:chosun"))) == ["a-cost", "c-race"]


def test_an_unfinished_token_does_not_filter() -> None:
    assert sorted(shown(SAMPLE, Filters(query="status:"))) == sorted(SAMPLE)


def test_parse_query_separates_terms_from_tokens() -> None:
    query = parse_query("DeepSeek status:ver,dis  -topic:chips 딥시크 unknown:x")
    assert query.include == {"status": ("ver", "dis")}
    assert query.exclude == {"topic": ("chips",)}
    assert set(query.terms) == {"deepseek", "딥시크", "unknown:x"}
    assert query.terms[0] == "unknown:x"  # longest first: the most selective is scanned first


# --------------------------------------------------------------------------- search


def test_search_matches_id_statement_and_korean_quote() -> None:
    rows = index(
        row("chosun24-fdi-2023", "Foreign investment fell.", quote="외국인 직접투자"),
        row("check25-deepseek-cost", "DeepSeek trained for $5.6 million.", quote="딥시크는"),
        row("apple25-other", "Nothing relevant here.", quote="다른 문장"),
    )
    assert shown(rows, Filters(query="fdi")) == ["chosun24-fdi-2023"]
    assert shown(rows, Filters(query="5.6 million")) == ["check25-deepseek-cost"]
    assert shown(rows, Filters(query="딥시크")) == ["check25-deepseek-cost"]  # particle attached
    assert shown(rows, Filters(query="DEEPSEEK")) == ["check25-deepseek-cost"]


def test_every_term_must_match() -> None:
    rows = index(row("x", "DeepSeek chips"), row("y", "DeepSeek models"))
    assert shown(rows, Filters(query="deepseek chips")) == ["x"]


def test_id_matches_rank_before_statement_matches() -> None:
    rows = index(
        row("zz-other", "About deepseek and its costs"),
        row("aa-mid-deepseek", "Unrelated words"),
        row("deepseek-first", "Unrelated words"),
    )
    ranked = shown(rows, Filters(query="deepseek", sort="id"))
    assert ranked == ["deepseek-first", "aa-mid-deepseek", "zz-other"]


def test_word_start_ranks_before_mid_word() -> None:
    rows = index(row("a", "the superchips shortage"), row("b", "the chips shortage"))
    assert shown(rows, Filters(query="chips", sort="id")) == ["b", "a"]


def test_equal_scores_keep_the_sort_order() -> None:
    rows = index(
        row("a", "chips", published=dt.date(2024, 1, 1)),
        row("b", "chips", published=dt.date(2025, 1, 1)),
    )
    assert shown(rows, Filters(query="chips", sort="date")) == ["b", "a"]
    assert shown(rows, Filters(query="chips", sort="id")) == ["a", "b"]


def test_typos_match_through_the_vocabulary_and_rank_below_exact() -> None:
    rows = index(
        row("a", "DeepSeek trained a model"),
        row("b", "The deepsek spelling"),
        row("c", "Nothing here"),
    )
    assert shown(rows, Filters(query="deepsek")) == ["b", "a"]
    assert shown(rows, Filters(query="deepseek")) == ["a", "b"]
    assert shown(rows, Filters(query="deepsek"), typos=False) == ["b"]


def test_every_look_alike_of_a_typo_is_found_nested_or_not() -> None:
    """`quartz` has two look-alikes, neither holding the other (`quarte`,
    `quarts`), and `deepsek` two where one holds the other (`deepseek`,
    `deepseek와`): each text holding any of them is found."""
    rows = index(
        row("a", "a quarte of tea"),
        row("b", "two quarts of milk"),
        row("c", "DeepSeek와 OpenAI"),
        row("d", "DeepSeek alone"),
        row("e", "nothing"),
    )
    assert sorted(shown(rows, Filters(query="quartz"))) == ["a", "b"]
    assert sorted(shown(rows, Filters(query="deepsek"))) == ["c", "d"]


def test_typos_are_not_sought_when_exact_matches_abound() -> None:
    rows = index(*(row(f"x{n}", "deepsek") for n in range(600)), row("y", "deepseek"))
    assert "y" not in shown(rows, Filters(query="deepsek"))
    fewer = index(*(row(f"x{n}", "deepsek") for n in range(10)), row("y", "deepseek"))
    assert shown(fewer, Filters(query="deepsek"))[-1] == "y"


def test_short_terms_do_not_match_look_alikes() -> None:
    rows = index(row("a", "GPU exports"), row("b", "CPU exports"))
    assert shown(rows, Filters(query="gpu")) == ["a"]


def test_vocabulary_strips_punctuation() -> None:
    vocabulary = Vocabulary([search_text("x", "DeepSeek's model (2025).", "“딥시크”는")])
    words = vocabulary.words()
    assert "deepseek's" in words and "model" in words and "2025" in words
    assert vocabulary.similar("modle") == [("model", 80.0)]


# --------------------------------------------------------------------------- sort


def test_sort_orders() -> None:
    rows = index(
        row("b", status="false", published=dt.date(2024, 5, 1)),
        row("a", status="verified", published=dt.date(2025, 2, 1)),
        row("c", status="unreviewed", published=None),
        row("d", status="verified", published=dt.date(2024, 1, 1)),
        row("e", status="mystery", published=dt.date(2026, 1, 1)),
    )
    assert ordered(rows, "date") == ["e", "a", "b", "d", "c"]
    assert ordered(rows, "status") == ["c", "a", "d", "b", "e"]
    assert ordered(rows, "id") == ["a", "b", "c", "d", "e"]


# --------------------------------------------------------------------------- counts and cycling


def test_count_by_status_lists_every_status_and_unknown_ones() -> None:
    counts = ClaimIndex([*SAMPLE.values(), row("z", status="mystery")], STATUSES).count_by_status()
    assert counts == {"unreviewed": 1, "verified": 2, "misleading": 0, "false": 1, "mystery": 1}


def test_cycle_value_goes_round_through_any() -> None:
    values = ["x", "y"]
    assert cycle_value(values, None, 1) == "x"
    assert cycle_value(values, "x", 1) == "y"
    assert cycle_value(values, "y", 1) is None
    assert cycle_value(values, None, -1) == "y"
    assert cycle_value(values, "gone", 1) == "x"


def test_field_values_lists_present_values_configured_first() -> None:
    claims = ClaimIndex([*SAMPLE.values(), row("z", topic="zzz")], STATUSES)
    assert claims.field_values("topic", ["race", "chips", "cost", "funding"]) == [
        "race",
        "chips",
        "cost",
        "zzz",
    ]
    assert claims.field_values("source") == [
        "Apple Daily",
        "Chosun Biz",
        "Chosun Ilbo",
        "Test Daily",
    ]


# --------------------------------------------------------------------------- properties

words = st.sampled_from(["deepseek", "chips", "딥시크", "투자", "fdi", "model", "🚀", "[bold]"])
ids = st.from_regex(r"[a-z][a-z0-9-]{0,12}", fullmatch=True)


@st.composite
def rows_strategy(draw: st.DrawFn) -> dict[str, ClaimRow]:
    result: dict[str, ClaimRow] = {}
    for claim_id in draw(st.lists(ids, max_size=25, unique=True)):
        result[claim_id] = row(
            claim_id,
            " ".join(draw(st.lists(words, min_size=1, max_size=5))),
            quote=" ".join(draw(st.lists(words, min_size=1, max_size=3))),
            status=draw(st.sampled_from([*STATUSES, "odd"])),
            topic=draw(st.sampled_from(["cost", "chips", "race"])),
            stance=draw(st.sampled_from(["lagging", "neutral"])),
            outlet=draw(st.sampled_from(["Chosun Ilbo", "Apple Daily"])),
            published=draw(st.none() | st.dates(dt.date(2020, 1, 1), dt.date(2026, 1, 1))),
        )
    return result


filters_strategy = st.builds(
    Filters,
    status=st.none() | st.sampled_from(STATUSES),
    topic=st.none() | st.sampled_from(["cost", "chips"]),
    stance=st.none() | st.sampled_from(["lagging", "neutral"]),
    source=st.none() | st.sampled_from(["Chosun Ilbo", "Apple Daily"]),
    query=st.lists(
        words | st.sampled_from(["status:ver", "-topic:ch", "source:apple", "stance:"]), max_size=3
    ).map(" ".join),
    sort=st.sampled_from(["date", "status", "id"]),
)


@settings(max_examples=300, deadline=None)
@given(rows=rows_strategy(), filters=filters_strategy)
def test_filtering_never_returns_a_claim_that_does_not_match(
    rows: dict[str, ClaimRow], filters: Filters
) -> None:
    result = shown(rows, filters, typos=False)
    query = parse_query(filters.query)
    assert len(result) == len(set(result))
    for claim_id in result:
        found = rows[claim_id]
        assert row_matches(found, filters, query)
        assert all(term in found.search_text for term in query.terms)
    # and nothing that matches is left out
    expected = {
        claim_id
        for claim_id, item in rows.items()
        if row_matches(item, filters, query)
        and all(term in item.search_text for term in query.terms)
    }
    assert set(result) == expected
    # look-alikes only add claims, and only ones that pass the field filters
    with_typos = shown(rows, filters)
    assert set(result) <= set(with_typos)
    assert all(row_matches(rows[claim_id], filters, query) for claim_id in with_typos)


@settings(max_examples=200, deadline=None)
@given(rows=rows_strategy())
def test_counts_by_status_add_up_to_the_total(rows: dict[str, ClaimRow]) -> None:
    counts = ClaimIndex(rows.values(), STATUSES).count_by_status()
    assert sum(counts.values()) == len(rows)
    assert list(counts)[: len(STATUSES)] == list(STATUSES)


# --------------------------------------------------------------------------- real data


def test_an_updated_index_changes_only_what_changed() -> None:
    first = ClaimIndex(SAMPLE.values(), STATUSES)
    first.order("status")
    changed = row("c-race", status="false", topic="race", stance="neutral", outlet="New Daily")
    second = first.updated({"c-race": changed})
    assert second is not None
    assert second.row(second.positions["c-race"]) == changed
    assert first.row(first.positions["c-race"]).status == "unreviewed"  # the old one stands
    assert second.count_by_status()["false"] == 2
    assert [second.ids[p] for p in second.filter(Filters(status="false"))] == [
        "b-chips",
        "c-race",
    ]
    assert first.updated({"new-claim": row("new-claim")}) is None  # came: rebuild
    assert first.updated({"a-cost": None}) is None  # went: rebuild


def test_the_index_of_a_project_matches_its_rows(make_project: ProjectFactory) -> None:
    root = make_project({"a.toml": claim_toml("a"), "b.toml": claim_toml("b")})
    project = load_project(root)
    built = ClaimIndex.from_project(project)
    rows = rows_of(project)
    assert [built.row(position) for position in range(len(built))] == [
        rows[claim_id] for claim_id in built.ids
    ]


def test_search_texts_are_made_on_first_search_and_equal_the_rows() -> None:
    """The first drawing of the list needs no search text; a search gets them all."""
    project = load_project(REPO)
    built = ClaimIndex.from_project(project)
    rows = rows_of(project)
    first = built.ids[0]
    assert built.row(0) == rows[first]  # one row, drawn without making every text
    assert built._texts._texts is None
    found = [built.ids[p] for p in built.filter(Filters(query="딥시크"))]
    assert built._texts._texts is not None
    assert built.texts == [rows[claim_id].search_text for claim_id in built.ids]
    assert found == shown(rows, Filters(query="딥시크"))


def test_rows_of_a_project_carry_the_source_outlet_and_date(make_project: ProjectFactory) -> None:
    root = make_project({"a.toml": claim_toml("a"), "b.toml": claim_toml("b")})
    rows = rows_of(load_project(root))
    assert rows["a"].outlet == "Test Daily"
    assert rows["a"].published == dt.date(2025, 2, 24)
    assert "딥시크는" in rows["a"].search_text


def test_search_over_the_bundled_claims() -> None:
    rows = rows_of(load_project(REPO))
    korean = shown(rows, Filters(query="딥시크"))
    assert korean, "the bundled quotes mention 딥시크"
    assert all("딥시크" in rows[claim_id].search_text for claim_id in korean)
    by_id = shown(rows, Filters(query="chosun24"))
    prefix = [claim_id for claim_id in rows if claim_id.startswith("chosun24")]
    assert by_id[: len(prefix)] == sorted(prefix, key=by_id.index)
    assert set(by_id[: len(prefix)]) == set(prefix)


def test_filtering_module_does_not_import_textual() -> None:
    import subprocess

    script = (
        "import sys, workbench.app.filtering\n"
        "assert 'textual' not in sys.modules, 'textual was imported'\n"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


@settings(max_examples=300, deadline=None)
@given(
    rows=rows_strategy(),
    first=st.lists(words | st.sampled_from(["d", "de", "deep", "ch", "딥"]), max_size=2),
    extra=st.sampled_from(["", "s", "eek", "seek", " chips", "시크", "x"]),
)
def test_narrowing_as_you_type_gives_the_same_result_as_a_fresh_search(
    rows: dict[str, ClaimRow], first: list[str], extra: str
) -> None:
    """A keystroke scans only the previous matches; the result must not depend on that."""
    before = " ".join(first)
    after = before + extra
    typed = ClaimIndex(rows.values(), STATUSES)
    typed.filter(Filters(query=before))
    narrowed = typed.filter(Filters(query=after))
    fresh = ClaimIndex(rows.values(), STATUSES).filter(Filters(query=after))
    assert narrowed == fresh


def test_typing_narrows_the_scan() -> None:
    rows = index(row("a", "deepseek"), row("b", "deep water"), row("c", "nothing"))
    claims = ClaimIndex(rows.values(), STATUSES)
    claims.filter(Filters(query="deep"))
    assert claims._last_search is not None
    assert [claims.ids[p] for p in claims._last_search[2]] == ["a", "b"]
    assert [claims.ids[p] for p in claims.filter(Filters(query="deeps"), typos=False)] == ["a"]
    assert claims._last_search is not None and claims._last_search[1] == ("deeps",)
    # with typos, "deeps" also finds "deep" as a look-alike: a full search, not a narrowed one
    assert sorted(claims.ids[p] for p in claims.filter(Filters(query="deeps"))) == ["a", "b"]


# --------------------------------------------------------------------------- issue 14


def test_korean_typos_are_forgiven_letter_by_letter() -> None:
    """One wrong letter (jamo) in a syllable: 야 for 아, 그 for 크.  Syllable by syllable
    `엔비디야` is 75% like `엔비디아` (below the cutoff); letter by letter it is 89%."""
    rows = index(
        row("nvidia", "Nvidia chips.", quote="엔비디아의 칩은 경쟁자가 없다"),
        row("deepseek", "DeepSeek.", quote="딥시크는 560만달러로 훈련했다"),
        row("deepseek-2", "DeepSeek again.", quote="중국 딥시크가 공개했다"),
        row("other", "Other.", quote="화웨이는 칩을 만든다"),
    )
    assert shown(rows, Filters(query="엔비디야")) == ["nvidia"]
    assert sorted(shown(rows, Filters(query="딥시그"))) == ["deepseek", "deepseek-2"]
    assert shown(rows, Filters(query="엔비디야"), typos=False) == []
    # exact matches rank above look-alikes
    rows["exact"] = row("exact", "x", quote="엔비디야라는 오타")
    assert shown(rows, Filters(query="엔비디야"))[0] == "exact"


def test_korean_look_alikes_are_openings_of_words_and_short_terms_stay_exact() -> None:
    from workbench.search import Vocabulary, jamo

    vocabulary = Vocabulary(["딥시크는 엔비디아의 칩 딥시크가"])
    assert [word for word, _ in vocabulary.similar("딥시그")] == ["딥시크"]
    assert jamo("딥") == "\u1103\u1175\u11b8"  # ㄷ ㅣ ㅂ
    rows = index(row("a", "x", quote="중국 기업"), row("b", "x", quote="중굴 기업"))
    assert shown(rows, Filters(query="중굴")) == ["b"]  # two syllables: exact only


def test_minus_term_excludes_claims_holding_it() -> None:
    rows = index(
        row("a", "DeepSeek cut costs."),
        row("b", "Huawei chips."),
        row("c", "DeepSeek and Huawei."),
    )
    assert shown(rows, Filters(query="-deepseek")) == ["b"]
    assert shown(rows, Filters(query="huawei -deepseek")) == ["b"]
    assert sorted(shown(rows, Filters(query="-nothing"))) == ["a", "b", "c"]
    query = parse_query("chips -DeepSeek -stance:neutral -")
    assert query.excluded_terms == ("deepseek",)
    assert query.terms == ("chips", "-")  # a lone dash is text
    assert dict(query.exclude) == {"stance": ("neutral",)}


def test_minus_term_narrowing_as_you_type_matches_a_fresh_search() -> None:
    rows = index(row("a", "DeepSeek cut costs."), row("b", "Deep learning costs."))
    typed = ClaimIndex(rows.values(), STATUSES)
    typed.filter(Filters(query="costs"))
    narrowed = typed.filter(Filters(query="costs -deepseek"))
    assert [typed.ids[at] for at in narrowed] == ["b"]


def test_an_unknown_filter_value_suggests_the_closest() -> None:
    index_ = ClaimIndex(SAMPLE.values(), STATUSES)
    assert index_.filter(Filters(query="status:verfied")) == []
    [hint] = index_.hints(Filters(query="status:verfied"))
    assert (hint.field, hint.value, hint.suggestion) == ("status", "verfied", "verified")
    assert hint.message == "no status matches `verfied`; did you mean `verified`?"
    # a configured status that no claim has yet is known, not a typo
    assert index_.hints(Filters(query="status:mis")) == []
    assert [h.suggestion for h in index_.hints(Filters(query="-topic:chipz"))] == ["chips"]
    assert index_.hints(Filters(query="source:chosun source:ge25 topic:ch")) == []
    [far] = index_.hints(Filters(query="stance:zzzzzz"))
    assert far.suggestion is None and far.message == "no stance matches `zzzzzz`"


def test_korean_typos_and_exclusions_over_the_bundled_claims() -> None:
    project = load_project(REPO, use_cache=False)
    rows = rows_of(project)
    nvidia = {claim_id for claim_id, item in rows.items() if "엔비디아" in item.search_text}
    assert nvidia, "the bundled quotes mention 엔비디아"
    assert nvidia <= set(shown(rows, Filters(query="엔비디야")))
    deepseek = {claim_id for claim_id, item in rows.items() if "딥시크" in item.search_text}
    assert deepseek <= set(shown(rows, Filters(query="딥시그")))
    without = shown(rows, Filters(query="-deepseek"))
    assert without and not any("deepseek" in rows[claim_id].search_text for claim_id in without)
    assert len(without) + sum("deepseek" in r.search_text for r in rows.values()) == len(rows)


def test_the_app_module_re_exports_the_search_module() -> None:
    import workbench.app.filtering as app_filtering
    import workbench.search as search

    for name in app_filtering.__all__:
        assert getattr(app_filtering, name) is getattr(search, name)
