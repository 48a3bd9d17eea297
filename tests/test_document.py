"""One parse per post: the Document's tokens, headings and links, numbered where they stand."""

from __future__ import annotations

import pytest

from reader.posts.document import parse_document

FAR = "문단을 채우는 문장입니다. " * 40 + "\n\n"


def numbered_tokens(document):
    """Link numbers in token order, from the tokens themselves (what the renderer reads)."""
    out = []
    for token in document.tokens:
        for child in [token, *(token.children or [])]:
            meta = child.meta or {}
            if "link" in meta:
                out.append(meta["link"])
            out.extend(meta.get("links", []))
    return out


def test_bare_www_and_email_links_are_numbered():
    document = parse_document("보세요 www.example.com 그리고 me@example.org 와 https://x.org/a\n")
    assert [(link.n, link.url) for link in document.links] == [
        (1, "www.example.com"),
        (2, "me@example.org"),
        (3, "https://x.org/a"),
    ]
    assert numbered_tokens(document) == [1, 2, 3]


def test_two_identical_links_on_one_line_get_two_numbers():
    document = parse_document("[하나](https://same.org/) [둘](https://same.org/)\n")
    assert [(link.n, link.text) for link in document.links] == [(1, "하나"), (2, "둘")]
    assert numbered_tokens(document) == [1, 2]


def test_references_and_footnotes_resolve_across_the_whole_post():
    body = "첫 문단[^far] 과 [참조][ref].\n\n" + FAR * 40 + "[^far]: 먼 각주\n\n[ref]: https://ref.org/\n"
    assert len(body) > 12_000 * 2
    document = parse_document(body)
    assert [link.url for link in document.links] == ["https://ref.org/"]
    inline = next(t for t in document.tokens if t.type == "inline")
    kinds = [c.type for c in inline.children or []]
    assert "footnote_ref" in kinds and "link_open" in kinds  # not literal `[^far]` and `[참조][ref]`
    assert any(t.type == "footnote_open" for t in document.tokens)


def test_raw_html_links_are_numbered_in_document_order():
    document = parse_document(
        '앞 [a](https://a.org/)\n\n<a href="https://b.org/"><img src="c.png" alt="그림"></a>\n\n'
        'inline <a href="https://d.org/">d</a> 끝\n'
    )
    assert [(link.n, link.url, link.image) for link in document.links] == [
        (1, "https://a.org/", False),
        (2, "https://b.org/", False),
        (3, "c.png", True),
        (4, "https://d.org/", False),
    ]
    assert numbered_tokens(document) == [1, 2, 3, 4]
    assert document.links[3].text == "d"


def test_a_markdown_linked_image_is_numbered_like_the_html_one_link_first():
    document = parse_document(
        '[![그림](a.png)](https://a.org/) 과\n\n<a href="https://b.org/"><img src="b.png" alt="그림"></a>\n'
    )
    assert [(link.n, link.text, link.url, link.image) for link in document.links] == [
        (1, "그림", "https://a.org/", False),
        (2, "그림", "a.png", True),
        (3, "", "https://b.org/", False),
        (4, "그림", "b.png", True),
    ]
    assert numbered_tokens(document) == [1, 2, 3, 4]


def test_headings_have_slugs_and_file_lines():
    document = parse_document("# 고려대 DSBA\n\n본문\n\n## 예제\n\n## 예제\n", body_line=5)
    assert [(h.level, h.text, h.slug, h.line) for h in document.headings] == [
        (1, "고려대 DSBA", "고려대-dsba", 5),
        (2, "예제", "예제", 9),
        (2, "예제", "예제-1", 11),
    ]
    heading = next(t for t in document.tokens if t.type == "heading_open")
    assert heading.meta["slug"] == "고려대-dsba"


def test_link_lines_are_file_lines():
    document = parse_document("첫 줄\n둘째 줄 [x](https://x.org/)\n\n셋째 [y](https://y.org/)\n", body_line=10)
    assert [link.line for link in document.links] == [11, 13]


TOC_POST = "## 1. Travis CI에 연결하기\n\n## Guidelines\n\n## 고려대 DSBA\n\n## A_B\n\n## AB\n\n## A-B\n\n## A B\n"


@pytest.mark.parametrize(
    ("fragment", "slug"),
    [
        ("#1-travis-ci에-연결하기", "1-travis-ci에-연결하기"),  # GitHub's own
        ("#1.-Travis-CI에-연결하기", "1-travis-ci에-연결하기"),  # Notion
        ("#-Guidelines", "guidelines"),  # Typora
        ("1.-Travis-CI%EC%97%90-%EC%97%B0%EA%B2%B0%ED%95%98%EA%B8%B0", "1-travis-ci에-연결하기"),  # encoded, no `#`
        ("#고려대_DSBA", "고려대-dsba"),
        ("#ab", "ab"),  # exact: "AB", though "A_B" (first) is loosely the same
        ("#a_b", "a_b"),
        ("#a-b-1", "a-b-1"),  # exact: "A B", though "A-B" (first) is loosely the same
        ("#A B", "a-b"),
        ("#a.b", "a_b"),  # loose: the first of the headings it could mean
        ("#없는-제목", None),
        ("#", None),
        ("#---", None),
    ],
)
def test_find_heading_exact_slug_first_then_loosely(fragment, slug):
    heading = parse_document(TOC_POST).find_heading(fragment)
    assert (heading.slug if heading else None) == slug


def test_find_heading_gives_the_heading_itself():
    document = parse_document("# 제목\n\n## 2. 설치 방법\n", body_line=3)
    assert document.find_heading("#2.-설치-방법") == document.headings[1]
    assert document.find_heading("#2.-설치-방법").line == 5
