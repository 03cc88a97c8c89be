"""The claims list's filtering, searching and sorting now live in `workbench.search`
(pure logic lives outside `app/`); this module re-exports them for the app's screens
and for code that imports them from here."""

from __future__ import annotations

from workbench.search import (
    FIELDS,
    SORT_LABELS,
    SORT_ORDERS,
    ClaimIndex,
    ClaimRow,
    Field,
    Filters,
    Query,
    QueryHint,
    SortOrder,
    Vocabulary,
    cycle_value,
    field_value,
    normalize,
    parse_query,
    query_hints,
    row_matches,
    rows_of,
    search_text,
    token_matches,
)

__all__ = [
    "FIELDS",
    "SORT_LABELS",
    "SORT_ORDERS",
    "ClaimIndex",
    "ClaimRow",
    "Field",
    "Filters",
    "Query",
    "QueryHint",
    "SortOrder",
    "Vocabulary",
    "cycle_value",
    "field_value",
    "normalize",
    "parse_query",
    "query_hints",
    "row_matches",
    "rows_of",
    "search_text",
    "token_matches",
]
