"""Why a query cannot run, from the facts an `InvalidQuery` gives, in words an interface says.

The search core never speaks the interface's language: the app and the CLI each pass their own
`t` (reader.ui.i18n, reader.cli.i18n), whose catalogs hold these texts; one list of them, so the
two say a problem alike.
"""

from __future__ import annotations

from collections.abc import Callable

from reader.posts.text import printable
from reader.search.query import BadDate, BadWildcard, NotText, QueryTooLarge, UnbalancedGroup


def reason(exc: Exception, speak: Callable[..., str]) -> str:
    """Why `exc`'s query cannot run, said by `speak` (a catalog's `t`); a problem this list does
    not know yet as the core says it."""
    if isinstance(exc, QueryTooLarge):
        if exc.kind == "too_long":
            return speak("longer than {limit} characters", limit=exc.limit)
        if exc.kind == "too_many_terms":
            return speak("more than {limit} terms", limit=exc.limit)
        return speak("nested more than {limit} levels deep", limit=exc.limit)
    if isinstance(exc, UnbalancedGroup):
        return speak("unbalanced ')'") if exc.kind == "unopened_group" else speak("missing ')'")
    if isinstance(exc, BadWildcard):
        word = printable(repr(exc.word))
        if exc.kind == "wildcard_first":
            return speak("a wildcard cannot start a word: {word}", word=word)
        if exc.kind == "wildcard_inside":
            return speak("a wildcard may only end a word: {word}", word=word)
        return speak("a prefix needs at least two characters before '*'")
    if isinstance(exc, BadDate):
        value = printable(repr(exc.value))
        if exc.kind == "date_form":
            return speak("date: expects YYYY, YYYY-MM or YYYY-MM-DD, not {value}", value=value)
        if exc.kind == "no_month":
            return speak("no month {number} in {value}", number=exc.number, value=value)
        if exc.kind == "no_day":
            return speak("no day {number} in {value}", number=exc.number, value=value)
        return speak("date range {value} ends before it starts", value=value)
    if isinstance(exc, NotText):
        return speak("the query is not valid UTF-8 text")
    return str(exc)
