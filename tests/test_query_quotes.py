"""An unclosed quote is a query still being typed, as `tag:` is: the CLI says so and exits 1 (as
for a `(` with no `)`), the app keeps its list and says what the query needs."""

from __future__ import annotations

import json

import pytest

from reader.search.query import IncompleteQuery, Phrase, UnclosedQuote, Word, parse
from tests.conftest import POSTS
from tests.waiting import ready, until

SIZE = (150, 45)
ML = "_posts/2025-11-20-machine-learning.md"


@pytest.mark.parametrize(
    ("text", "phrase"),
    [
        ('"unclosed', '"unclosed'),
        ('"자연어 처', '"자연어 처'),
        ('머신러닝 "자연어', '"자연어'),
        ('"a" "b', '"b'),
        ('"', '"'),
    ],
)
def test_an_unclosed_quote_is_incomplete(text, phrase):
    """`"unclosed` searched the word, quietly: the phrase is still being typed."""
    with pytest.raises(UnclosedQuote, match=f"the quote in {phrase} is not closed") as raised:
        parse(text)
    assert isinstance(raised.value, IncompleteQuery) and raised.value.phrase == phrase


def test_a_field_whose_quoted_value_is_not_closed_is_incomplete():
    with pytest.raises(UnclosedQuote, match='the quote in "big is not closed'):
        parse('tag:"big')
    with pytest.raises(IncompleteQuery, match="tag: needs a value"):
        parse('tag:"')  # the quote just opened: the value has not begun


def test_closed_quotes_are_phrases_as_before():
    assert parse('"자연어 처리"') == Phrase("자연어 처리")
    assert parse('"한단어"') == Word("한단어")


@pytest.mark.parametrize("args", [(), ("--json",)])
def test_the_cli_refuses_an_unclosed_quote_as_it_refuses_an_unclosed_parenthesis(cli, tmp_path, args):
    env = {"GEULBAT_POSTS": str(POSTS), "GEULBAT_INDEX_DIR": str(tmp_path / "index")}
    said = 'invalid query: the quote in "unclosed is not closed: end the phrase with "'
    result = cli("search", '"unclosed', *args, env=env)
    assert (result.returncode, result.stdout) == (1, "")
    parenthesis = cli("search", "(python", *args, env=env)
    assert parenthesis.returncode == 1
    if args:  # --json: the error as a JSON object (test_cli.py)
        assert json.loads(result.stderr) == {"error": said, "kind": "invalid_query"}
        assert json.loads(parenthesis.stderr) == {"error": "invalid query: missing ')'", "kind": "invalid_query"}
    else:
        assert result.stderr == f"reader: {said}\n"
        assert parenthesis.stderr == "reader: invalid query: missing ')'\n"


async def test_the_search_box_waits_for_the_closing_quote(make_app):
    """Typing `"머신러닝"` a key at a time: no error and no list of the half-typed word's hits
    while the quote is open; the hits when it closes."""
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        status = app.main.query_one("#status")
        everything = [r.path for r in app.main.query_one("PostList").rows]
        await pilot.press("slash", *'"머신러닝')
        await until(pilot, lambda: "is not closed" in str(status.render()), "the hint")
        assert "invalid" not in str(status.render())
        assert [r.path for r in app.main.query_one("PostList").rows] == everything
        await pilot.press('"')
        await until(pilot, lambda: [r.path for r in app.main.query_one("PostList").rows] == [ML], "the hits")
