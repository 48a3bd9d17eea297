"""Snippets that show the match: centred on the best window, fitted to the row's cells."""

from __future__ import annotations

import pytest
from rich.cells import cell_len

from reader.search.analysis import is_hangul
from reader.search.highlight import Matcher, snippet
from reader.search.query import Word
from reader.ui.snippets import fit

FILLER = "아무 관련 없는 문장이 이어진다. " * 30


def marked(lines) -> list[str]:
    return [line.plain[s.start : s.end] for line in lines for s in line.spans]


@pytest.mark.parametrize("cells", [10, 30, 40, 80])
@pytest.mark.parametrize("lines", [1, 2])
def test_the_match_is_visible_at_every_width(cells, lines):
    body = FILLER + "여기서 자연어 처리를 다룬다. " + FILLER
    cut = snippet(body, Matcher.for_words([Word("자연어"), Word("처리")]))
    out = fit(cut.text, cut.highlights, cells, lines)
    assert len(out) <= lines
    assert all(cell_len(line.plain) <= cells for line in out)
    shown = marked(out)
    assert "자연어" in shown, (cells, lines, [line.plain for line in out])


def test_the_window_with_most_distinct_words_wins():
    body = "자연어 하나. " + FILLER + " 이번에는 자연어 처리와 임베딩을 함께. " + FILLER
    cut = snippet(body, Matcher.for_words([Word("자연어"), Word("처리"), Word("임베딩")]))
    out = fit(cut.text, cut.highlights, 40, 1)
    assert set(marked(out)) >= {"자연어", "처리", "임베딩"}


def test_context_before_the_match_from_a_word_start_and_ellipses_where_cut():
    text = "가나다라마바사아자차카타파하 " * 3 + "짧은 목표 단어가 여기에 있다 " + "하파타카 " * 10
    start = text.index("목표")
    out = fit(text, [(start, start + 2)], 30, 1)
    line = out[0].plain
    assert line.startswith("…짧은 목표") and line.endswith("…")  # whole words of context, never half of one
    assert cell_len(line) <= 30


def test_two_lines_continue_where_the_first_stops():
    text = "".join(chr(0xAC00 + n) for n in range(200))
    out = fit(text, [(5, 7)], 20, 2)
    joined = out[0].plain + out[1].plain.rstrip("…")
    assert text[:5] in joined.lstrip("…") or joined.startswith(text[:5])
    assert all(is_hangul(c) for c in joined.strip("…"))


@pytest.mark.parametrize("before", ["", "# 클로저\n\n", FILLER + "\n"])
def test_a_word_only_in_a_liquid_tags_arguments_is_shown_without_the_tags_markup(before):
    """Plain text drops `{% … %}` whole; a word that only a tag's arguments hold (a quote's
    source) was shown from the raw text, markup and all ("…위한 파이썬 %} 클로저는… {%…")."""
    body = before + "{% blockquote 저자 이름, 전문가를 위한 파이썬 %}\n클로저는 함수다.\n{% endblockquote %}\n끝."
    cut = snippet(body, Matcher.for_words([Word("파이썬")]))
    assert "%}" not in cut.text and "{%" not in cut.text, cut.text
    assert [cut.text[a:b] for a, b in cut.highlights] == ["파이썬"]
    assert "전문가를 위한 파이썬 클로저는 함수다." in cut.text
