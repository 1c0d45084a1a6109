"""`srgcli search`: full-text search over complaints, findings, contacts, letters and
settlements, in any form of a word. The query is read here (`query`, `find`); the index and
its SQL live in `srgcli.workspace.search`."""

from srgcli.search.find import (
    DEFAULT_LIMIT,
    Refreshing,
    SearchHit,
    SearchResult,
    refresh_index,
    search,
)
from srgcli.search.query import QueryWord, match_expression, parse_query
from srgcli.workspace.search import KINDS

__all__ = [
    "DEFAULT_LIMIT",
    "KINDS",
    "QueryWord",
    "Refreshing",
    "SearchHit",
    "SearchResult",
    "match_expression",
    "parse_query",
    "refresh_index",
    "search",
]
