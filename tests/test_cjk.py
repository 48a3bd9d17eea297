"""CJK-friendly emphasis: bold next to Korean as the sites show it, CommonMark everywhere else."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from reader.posts.cjk import cjk_friendly_plugin, is_cjk


def with_plugin() -> MarkdownIt:
    return MarkdownIt("commonmark").enable("strikethrough").use(cjk_friendly_plugin)


PLAIN = MarkdownIt("commonmark").enable("strikethrough")
CJK = with_plugin()


@pytest.mark.parametrize(
    ("source", "html"),
    [
        ("**임베딩(embedding)**은 벡터다", "<strong>임베딩(embedding)</strong>은 벡터다"),
        ("**말뭉치(corpus)**를 모은다", "<strong>말뭉치(corpus)</strong>를 모은다"),
        ("설치는 **`pip install reader`**로 한다", "설치는 <strong><code>pip install reader</code></strong>로 한다"),
        ("**[문서](https://example.org/)**에 있다", '<strong><a href="https://example.org/">문서</a></strong>에 있다'),
        ("**『한국어 임베딩』**을 읽었다", "<strong>『한국어 임베딩』</strong>을 읽었다"),
        ("*“인용”*이라고", "<em>“인용”</em>이라고"),
        ("__주의__：다음을 보라", "<strong>주의</strong>：다음을 보라"),
        ("보라：__주의 사항__", "보라：<strong>주의 사항</strong>"),
        ("~~(취소)~~했다", "<s>(취소)</s>했다"),
        ("ᅡ**(a)**", "ᅡ<strong>(a)</strong>"),  # a conjoining jamo is Hangul too
        ("これは**「重要」**です。", "これは<strong>「重要」</strong>です。"),
        ("中文**“强调”**文字", "中文<strong>“强调”</strong>文字"),
    ],
)
def test_emphasis_next_to_cjk_text_is_emphasis(source, html):
    assert CJK.render(source).strip() == f"<p>{html}</p>"
    assert "**" not in CJK.render(source)


@pytest.mark.parametrize(
    "source",
    [
        "a**a«**a",  # Latin punctuation between Latin letters: still not emphasis
        "a**»a**a",
        "a**∇a**a",
        "a**a∇**a",
        "a**𝜵a**a",  # a non-BMP symbol
        "a**a𐬻**a",
        "x **y** z",
        "snake_case_and_more",
        "2*3*4",
        "a**🙂(x)**b",  # an emoji is not CJK text: CommonMark's rule stays
    ],
)
def test_no_emphasis_where_commonmark_has_none_and_no_cjk_is_involved(source):
    assert CJK.render(source) == PLAIN.render(source)


@pytest.mark.parametrize(
    ("char", "cjk"),
    [
        ("한", True),
        ("ㄱ", True),
        ("ᄀ", True),
        ("中", True),
        ("ア", True),
        ("。", True),
        ("（", True),
        ("a", False),
        ("«", False),
        ("🙂", False),
    ],
)
def test_what_counts_as_cjk(char, cjk):
    assert is_cjk(char) is cjk


NON_CJK = st.text(alphabet=st.sampled_from(list("ab*_~ .,!?()[]«»:;-\n`\\'\"𝜵∇")), max_size=40)


@settings(max_examples=400, deadline=None)
@given(NON_CJK)
def test_without_cjk_text_the_plugin_changes_nothing(source):
    assert CJK.render(source) == PLAIN.render(source)
