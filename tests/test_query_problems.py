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
