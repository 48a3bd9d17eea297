"""What the search box says is wrong with a query (reader.ui.query_problems): a group, a quote
or a field still being typed is incomplete; anything else that cannot run is invalid."""

from __future__ import annotations

import pytest

from reader.ui.query_problems import QueryProblem, open_group, query_problem


@pytest.mark.parametrize(
    ("query", "problem"),
    [
        ("(머신 OR 딥러닝) -초안", None),
        ("(머신", QueryProblem("the group (머신 is not closed: end it with )", True)),
        ("(a OR (b", QueryProblem("the group (a OR (b is not closed: end it with ))", True)),
        ("(머신) (러닝", QueryProblem("the group (러닝 is not closed: end it with )", True)),
        ('"(머신', QueryProblem('the quote in "(머신 is not closed: end the phrase with "', True)),  # text in a phrase
        ("(tag:", QueryProblem("tag: needs a value after the colon, as in tag:python", True)),
        ("a)", QueryProblem("invalid query: unbalanced ')'", False)),
        ("(*ab", QueryProblem("invalid query: a wildcard cannot start a word: '*ab'", False)),  # no `)` mends it
        ("(" * 10 + "a", QueryProblem("invalid query: nested more than 8 levels deep", False)),
    ],
)
def test_a_query_is_incomplete_while_only_its_closing_is_missing(query, problem):
    assert query_problem(query) == problem


def test_a_bracket_inside_a_phrase_opens_no_group():
    assert open_group('"(a" b') is None and open_group('"a" (b') == "(b"


@pytest.mark.parametrize(
    ("query", "kind", "korean"),
    [
        ("a)", "unopened_group", "여는 ( 없이 ) 가 있습니다"),
        ("(" * 10 + "a", "too_deep", "괄호가 8겹보다 깊습니다"),
        (" ".join(f"w{n}" for n in range(40)), "too_many_terms", "낱말이 32개보다 많습니다"),
        ("x" * 501, "too_long", "500자보다 깁니다"),
        ("*ab", "wildcard_first", "* 로 낱말을 시작할 수 없습니다: '*ab'"),
        ("머신*러닝", "wildcard_inside", "* 는 낱말 끝에만 쓸 수 있습니다: '머신*러닝'"),
        ("a*", "short_prefix", "* 앞에 두 글자 이상을 적으세요"),
        ("date:20x", "date_form", "date: YYYY, YYYY-MM, YYYY-MM-DD 가운데 하나로 적으세요: '20x'"),
        ("date:2020-13", "no_month", "13월은 없습니다: '2020-13'"),
        ("date:2021-02-30", "no_day", "그달에 30일은 없습니다: '2021-02-30'"),
        ("date:2021..2019", "date_backwards", "날짜 범위의 끝이 시작보다 앞섭니다: '2021..2019'"),
        ("\udcff", "not_text", "검색어가 올바른 UTF-8 글자가 아닙니다"),
    ],
)
def test_why_a_query_cannot_run_is_said_in_korean_from_the_cores_facts(query, kind, korean):
    """The search core says why in English (the CLI's words) and names the problem (`kind`,
    the word, the limit); the app says it in its own language."""
    from reader.search.query import InvalidQuery, parse
    from reader.ui import i18n
    from reader.ui.query_problems import reason

    with pytest.raises(InvalidQuery) as raised:
        parse(query)
    assert raised.value.kind == kind
    i18n.set_language("ko")
    try:
        assert reason(raised.value) == korean
        assert query_problem(query) == QueryProblem(f"검색어를 쓸 수 없습니다: {korean}", False)
    finally:
        i18n.set_language("en")
    assert reason(raised.value) == str(raised.value)  # English: the core's own words
