"""Why a query cannot run, from the facts an `InvalidQuery` gives, in words an interface says.

The search core never speaks the interface's language: the app and the CLI each pass their own
`t` (reader.ui.i18n, reader.cli.i18n), whose catalogs hold these texts; one list of them, so the
two say a problem alike.
"""

from __future__ import annotations

from collections.abc import Callable


def reason(exc: Exception, speak: Callable[..., str]) -> str:
    """Why `exc`'s query cannot run, said by `speak` (a catalog's `t`); a problem this list does
    not know yet as the core says it."""
    # Here, not at the top: both catalogs import this module for KO at every start.
    from reader.posts.text import printable
    from reader.search.query import BadDate, BadWildcard, NotText, QueryTooLarge, UnbalancedGroup

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


# What an interface says of them in Korean (both catalogs, reader.cli.i18n and reader.ui.i18n,
# hold these: one list, as the English texts above are).
KO = {
    "longer than {limit} characters": "{limit}자보다 깁니다",
    "more than {limit} terms": "낱말이 {limit}개보다 많습니다",
    "nested more than {limit} levels deep": "괄호가 {limit}겹보다 깊습니다",
    "unbalanced ')'": "여는 ( 없이 ) 가 있습니다",
    "missing ')'": "닫는 ) 가 없습니다",
    "a wildcard cannot start a word: {word}": "* 로 낱말을 시작할 수 없습니다: {word}",
    "a wildcard may only end a word: {word}": "* 는 낱말 끝에만 쓸 수 있습니다: {word}",
    "a prefix needs at least two characters before '*'": "* 앞에 두 글자 이상을 적으세요",
    "date: expects YYYY, YYYY-MM or YYYY-MM-DD, not {value}": (
        "date: YYYY, YYYY-MM, YYYY-MM-DD 가운데 하나로 적으세요: {value}"
    ),
    "no month {number} in {value}": "{number}월은 없습니다: {value}",
    "no day {number} in {value}": "그달에 {number}일은 없습니다: {value}",
    "date range {value} ends before it starts": "날짜 범위의 끝이 시작보다 앞섭니다: {value}",
    "the query is not valid UTF-8 text": "검색어가 올바른 UTF-8 글자가 아닙니다",
}
