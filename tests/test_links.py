"""Link extraction and resolution, on the bundled posts and on small sites."""

from __future__ import annotations

import pytest

from reader.library import Library
from tests.conftest import KST, POSTS


@pytest.fixture(scope="module")
def bundled() -> Library:
    return Library.open(POSTS, KST)


def table(library: Library, path: str) -> list[tuple]:
    return [(k.text, k.url, k.kind, k.target, k.broken) for k in library.links(path)]


def test_showcase_lists_every_kind_in_document_order(bundled):
    links = table(bundled, "2026-01-10-links-showcase.md")
    assert links == [
        ("Textual", "https://textual.textualize.io/", "external", None, False),
        ("markdown-it-py", "https://markdown-it-py.readthedocs.io/", "external", None, False),
        ("https://github.com/Textualize/textual", "https://github.com/Textualize/textual", "external", None, False),
        ("https://www.python.org/", "https://www.python.org/", "external", None, False),
        ("www.example.com", "www.example.com", "external", None, False),
        ("reader@example.org", "reader@example.org", "email", None, False),
        ("편지 쓰기", "mailto:team@example.org", "email", None, False),
        ("whoosh-reloaded", "https://pypi.org/project/whoosh-reloaded/", "external", None, False),
        ("고려대 DSBA", "#고려대-dsba", "anchor", "고려대-dsba", False),
        ("같은 링크", "#%EA%B3%A0%EB%A0%A4%EB%8C%80-dsba", "anchor", "고려대-dsba", False),
        ("예제", "#예제-1", "anchor", "예제-1", False),
        ("깨진 링크", "#없는-제목", "anchor", "없는-제목", True),
        ("키 안내", "2026-01-06-keys.md", "post", "2026-01-06-keys.md", False),
        ("검색 문법", "{% post_url 2026-01-07-search-syntax %}", "post", "2026-01-07-search-syntax.md", False),
        (
            "설정",
            "https://reader.example.org/blog/안내서/settings/2026/01/08/configuration.html",
            "post",
            "2026-01-08-configuration.md",
            False,
        ),
        (
            "퍼머링크 글",
            "https://reader.example.org/blog/dev/2023/05/20/some-post.html",
            "post",
            "2023-05-20-some-post.md",
            False,
        ),
        ("Terminal tips", "english/2024-05-05-terminal-tips.md", "post", "english/2024-05-05-terminal-tips.md", False),
        ("사라진 글", "2019-01-01-gone.md", "post", "2019-01-01-gone.md", True),
        ("밖", "../../etc/passwd.md", "other", None, False),
        ("reader 로고", "images/reader-logo.png", "image", "images/reader-logo.png", False),
        ("스크립트", "javascript:alert(1)", "other", None, False),
        ("로컬 파일", "file:///etc/passwd", "other", None, False),
    ]


def test_link_lines_are_file_lines(bundled):
    post = bundled.get("2026-01-10-links-showcase.md")
    lines = post.file.read_text(encoding="utf-8").split("\n")
    for link in bundled.links(post.path):
        assert link.url.split("/")[-1][:8] in lines[link.line - 1] or link.text in lines[link.line - 1]


def test_root_relative_site_link_with_baseurl(bundled):
    links = table(bundled, "2026-01-05-welcome.md")
    assert (
        "링크 모음",
        "/blog/안내서/2026/01/10/links-showcase.html",
        "post",
        "2026-01-10-links-showcase.md",
        False,
    ) in links


def test_post_links_from_a_subfolder_are_relative_to_it(write_tree):
    root = write_tree(
        {
            "a/one.md": "---\ntitle: 1\n---\n[two](../b/two.md) [self](./one.md) [up](../../x.md)\n",
            "b/two.md": "---\ntitle: 2\n---\n",
        }
    )
    links = table(Library.open(root, KST), "a/one.md")
    assert links == [
        ("two", "../b/two.md", "post", "b/two.md", False),
        ("self", "./one.md", "post", "a/one.md", False),
        ("up", "../../x.md", "other", None, False),
    ]


@pytest.mark.parametrize(
    ("config", "url"),
    [
        ("url: https://me.github.io\nbaseurl: /dev\n", "https://me.github.io/dev/blog/2023/05/20/some-post.html"),
        ("url: https://me.github.io\npermalink: pretty\n", "https://me.github.io/blog/2023/05/20/some-post/"),
        ("url: https://me.github.io\npermalink: /:year/:title/\n", "https://me.github.io/2023/some-post/"),
        ("url: https://me.github.io\npermalink: none\n", "https://me.github.io/blog/some-post.html"),
        ("url: https://me.github.io\n", "/blog/2023/05/20/some-post.html"),
    ],
)
def test_jekyll_permalinks_resolve_to_posts(write_tree, config, url):
    root = write_tree(
        {
            "_config.yml": config,
            "_posts/2023-05-20-some-post.md": "---\ntitle: 글\ncategories: blog\n---\n",
            "_posts/2023-05-21-linker.md": f"---\ntitle: 링크\n---\n[글]({url})\n",
        }
    )
    assert table(Library.open(root, KST), "_posts/2023-05-21-linker.md") == [
        ("글", url, "post", "_posts/2023-05-20-some-post.md", False)
    ]


def test_hexo_permalink_resolves(write_tree):
    root = write_tree(
        {
            "_config.yml": "url: https://me.github.io\npermalink: :year/:month/:day/:title/\n",
            "source/_posts/hello-hexo.md": "title: 헥소\ndate: 2018-02-17 10:00:00\n---\n",
            "source/_posts/other.md": "---\ntitle: o\n---\n[헥소](https://me.github.io/2018/02/17/hello-hexo/)\n",
        }
    )
    assert table(Library.open(root, KST), "source/_posts/other.md")[0][2:4] == ("post", "source/_posts/hello-hexo.md")


def test_other_sites_and_unknown_pages_stay_external(write_tree):
    root = write_tree(
        {
            "_config.yml": "url: https://me.github.io\n",
            "_posts/2020-01-01-a.md": "---\ntitle: a\n---\n[x](https://other.io/2020/01/01/a.html) "
            "[y](https://me.github.io/about/)\n",
        }
    )
    kinds = [row[2] for row in table(Library.open(root, KST), "_posts/2020-01-01-a.md")]
    assert kinds == ["external", "external"]


def test_raw_html_links_and_images(write_tree):
    root = write_tree({"a.md": '<div>\n<a href="https://x.org">X 사이트</a>\n<img src="p.png" alt="그림">\n</div>\n'})
    assert table(Library.open(root, KST), "a.md") == [
        ("X 사이트", "https://x.org", "external", None, False),
        ("그림", "p.png", "image", "p.png", True),
    ]


def test_bare_domains_are_not_links_but_www_is(write_tree):
    root = write_tree({"a.md": "foo.com 과 www.foo.com 과 http://bar.org\n"})
    assert [row[1] for row in table(Library.open(root, KST), "a.md")] == ["www.foo.com", "http://bar.org"]


def test_links_in_code_are_not_links(write_tree):
    root = write_tree({"a.md": "```\n[x](https://in.code)\n```\n`[y](https://inline.code)`\n"})
    assert table(Library.open(root, KST), "a.md") == []


def test_anchors_match_tables_of_contents_other_tools_wrote(write_tree):
    root = write_tree(
        {
            "a.md": "[목차](#1.-Travis-CI에-연결하기) [가이드](#-Guidelines) [없음](#Travis-CI)\n\n"
            "## 1. Travis CI에 연결하기\n\n## Guidelines\n",
        }
    )
    assert table(Library.open(root, KST), "a.md") == [
        ("목차", "#1.-Travis-CI에-연결하기", "anchor", "1-travis-ci에-연결하기", False),
        ("가이드", "#-Guidelines", "anchor", "guidelines", False),
        ("없음", "#Travis-CI", "anchor", "Travis-CI", True),
    ]


def test_fragments_into_other_posts_are_checked_against_their_headings(write_tree):
    root = write_tree(
        {
            "_config.yml": "url: https://me.github.io\n",
            "_posts/2020-01-01-a.md": "---\ntitle: a\n---\n## 1. Travis CI에 연결하기\n\n## Guidelines\n",
            "_posts/2020-01-02-b.md": "---\ntitle: b\n---\n"
            "[1](2020-01-01-a.md#1.-Travis-CI%EC%97%90-%EC%97%B0%EA%B2%B0%ED%95%98%EA%B8%B0)\n"
            "[2](https://me.github.io/2020/01/01/a.html#-Guidelines)\n"
            "[3]({% post_url 2020-01-01-a %}#guidelines)\n"
            "[4](2020-01-01-a.md#없는-제목)\n"
            "[5](/2020/01/01/a.html)\n"
            "[6](gone.md#guidelines)\n"
            "[7](2020-01-02-b.md#여기)\n\n## 여기\n",
        }
    )
    a = "_posts/2020-01-01-a.md"
    links = Library.open(root, KST).links("_posts/2020-01-02-b.md")
    assert [(k.kind, k.target, k.anchor, k.broken) for k in links] == [
        ("post", a, "1-travis-ci에-연결하기", False),
        ("post", a, "guidelines", False),
        ("post", a, "guidelines", False),
        ("post", a, "없는-제목", True),
        ("post", a, None, False),
        ("post", "_posts/gone.md", None, True),
        ("post", "_posts/2020-01-02-b.md", "여기", False),
    ]
    assert links[2].url == "{% post_url 2020-01-01-a %}#guidelines"  # as written
