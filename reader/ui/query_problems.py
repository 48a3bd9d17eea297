"""What is wrong with a query in the search box, in the reader's words: incomplete (still being
typed: `tag:`, `"자연어`, `(머신`) or invalid (`*ab`)."""

from __future__ import annotations

from dataclasses import dataclass

from reader.search import problems
from reader.search.query import (
    IncompleteQuery,
    InvalidQuery,
    UnclosedQuote,
    parse,
)
from reader.ui.i18n import t


@dataclass(frozen=True)
class QueryProblem:
    message: str
    incomplete: bool  # on the way to a query (not painted as an error while it is typed)


def query_problem(query: str) -> QueryProblem | None:
    """The problem the query has (None: it can run). Parsing only: no index is opened."""
    try:
        parse(query)
    except InvalidQuery as exc:
        return problem_of(exc, query)
    return None


def problem_of(exc: InvalidQuery, query: str) -> QueryProblem:
    """The problem a search of `query` raised, said for the status line."""
    if isinstance(exc, UnclosedQuote):
        return QueryProblem(t('the quote in {phrase} is not closed: end the phrase with "', phrase=exc.phrase), True)
    if isinstance(exc, IncompleteQuery):
        message = t("{field}: needs a value after the colon, as in {example}", field=exc.field, example=exc.example)
        return QueryProblem(message, True)
    group = open_group(query)
    if group is not None:  # `(머신`: a group whose `)` is still to come, as a quote's `"` may be
        closing = ")" * (group.count("(") - group.count(")"))
        message = t("the group {group} is not closed: end it with {closing}", group=group, closing=closing)
        return QueryProblem(message, True)
    return QueryProblem(t("invalid query: {reason}", reason=reason(exc)), False)


def reason(exc: InvalidQuery) -> str:
    """Why a query cannot run, in the interface's language (reader.search.problems: the CLI
    says it alike)."""
    return problems.reason(exc, t)


def open_group(query: str) -> str | None:
    """The query from its first `(` that no `)` closes yet (`(머신`, `(a OR (b`), when the `)`s
    still to come are all it lacks; else None."""
    opened: list[int] = []
    quoted = False
    for at, char in enumerate(query):
        if char == '"':
            quoted = not quoted
        elif char == "(" and not quoted:
            opened.append(at)
        elif char == ")" and not quoted and opened:
            opened.pop()
    if not opened:
        return None
    try:
        parse(query + ")" * len(opened))
    except InvalidQuery:
        return None
    return query[opened[0] :].strip()
