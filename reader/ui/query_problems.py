"""What is wrong with a query in the search box, in the reader's words: incomplete (still being
typed: `tag:`, `"자연어`, `(머신`) or invalid (`*ab`)."""

from __future__ import annotations

from dataclasses import dataclass

from reader.posts.text import printable
from reader.search.query import (
    BadDate,
    BadWildcard,
    IncompleteQuery,
    InvalidQuery,
    QueryTooLarge,
    UnbalancedGroup,
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
    """Why a query cannot run, in the interface's language, from the facts the search core gives
    (its own message is English: reader.search never speaks the interface's language)."""
    if isinstance(exc, QueryTooLarge):
        if exc.kind == "too_long":
            return t("longer than {limit} characters", limit=exc.limit)
        if exc.kind == "too_many_terms":
            return t("more than {limit} terms", limit=exc.limit)
        return t("nested more than {limit} levels deep", limit=exc.limit)
    if isinstance(exc, UnbalancedGroup):
        return t("unbalanced ')'") if exc.kind == "unopened_group" else t("missing ')'")
    if isinstance(exc, BadWildcard):
        word = printable(repr(exc.word))
        if exc.kind == "wildcard_first":
            return t("a wildcard cannot start a word: {word}", word=word)
        if exc.kind == "wildcard_inside":
            return t("a wildcard may only end a word: {word}", word=word)
        return t("a prefix needs at least two characters before '*'")
    if isinstance(exc, BadDate):
        value = printable(repr(exc.value))
        if exc.kind == "date_form":
            return t("date: expects YYYY, YYYY-MM or YYYY-MM-DD, not {value}", value=value)
        if exc.kind == "no_month":
            return t("no month {number} in {value}", number=exc.number, value=value)
        if exc.kind == "no_day":
            return t("no day {number} in {value}", number=exc.number, value=value)
        return t("date range {value} ends before it starts", value=value)
    if exc.kind == "not_text":
        return t("the query is not valid UTF-8 text")
    return str(exc)  # a problem this list does not know yet: as the core says it


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
