"""A search reads a post's HTML as the post pane shows it: the words an image or a link shows
(`alt`, `title`) and the address it leads to, never the markup (`img`, `src`, `width`).

Found by trying the reader on a real Jekyll blog whose posts embed their figures as
`<a href="…"><img src="…" title="…" /></a>`: `reader search img` listed 155 of its 215 posts,
`width` 150 (3 say it), each with a snippet of raw HTML. The posts here are our own.
"""

from __future__ import annotations

import json

import pytest

FIGURE = (
    '<a href="https://pics.example.com/p/Kx7">'
    '<img src="https://pics.example.com/Kx7.png" width="300px" title="출처: 예제 사이트" /></a>'
)
POSTS = {
    "_posts/2020-01-01-figure.md": (
        f"---\ntitle: 그림이 많은 글\n---\n행렬 곱셈을 그림으로 봅니다.\n\n{FIGURE}\n\n곱셈의 순서가 중요합니다.\n"
    ),
    "_posts/2020-01-02-width.md": "---\ntitle: 표 그리기\n---\n열의 width를 정하는 방법입니다.\n",
    "_posts/2020-01-03-code.md": (
        '---\ntitle: 상자 만들기\n---\n상자는 이렇게 씁니다.\n\n```html\n<div class="box">안</div>\n```\n\n'
        '줄 안에서는 `<span class="tip">` 처럼 씁니다.\n'
    ),
}


def search(cli, site, tmp_path, query: str) -> tuple[int, dict[str, dict]]:
    env = {"GEULBAT_POSTS": str(site), "GEULBAT_INDEX_DIR": str(tmp_path / "index"), "GEULBAT_SERVER": "off"}
    result = cli("search", query, "--json", env=env)
    assert result.returncode == 0, result.stderr
    found = json.loads(result.stdout)
    return found["total"], {hit["path"]: hit for hit in found["hits"]}


@pytest.mark.parametrize("word", ["img", "src", "href", "300px"])
def test_the_markup_of_an_html_image_is_no_word_of_the_post(cli, tmp_path, write_tree, word):
    site = write_tree(POSTS)
    total, hits = search(cli, site, tmp_path, word)
    assert total == 0, hits


def test_an_attribute_the_post_also_says_finds_only_the_post_that_says_it(cli, tmp_path, write_tree):
    site = write_tree(POSTS)
    _, hits = search(cli, site, tmp_path, "width")
    assert list(hits) == ["_posts/2020-01-02-width.md"], hits


def test_what_an_image_shows_and_where_it_leads_are_found_and_read_without_markup(cli, tmp_path, write_tree):
    site = write_tree(POSTS)
    for query in ("출처", "Kx7"):
        _, hits = search(cli, site, tmp_path, query)
        assert list(hits) == ["_posts/2020-01-01-figure.md"], (query, hits)
        shown = hits["_posts/2020-01-01-figure.md"]["snippet"]
        assert "<" not in shown and "src=" not in shown and "width" not in shown, shown
        assert hits["_posts/2020-01-01-figure.md"]["highlights"], shown
        assert ("https://" in shown) == (query == "Kx7"), shown  # an address only for a word in it


def test_html_in_code_is_still_found_as_written(cli, tmp_path, write_tree):
    site = write_tree(POSTS)
    for query in ("div", "span"):
        _, hits = search(cli, site, tmp_path, query)
        assert list(hits) == ["_posts/2020-01-03-code.md"], (query, hits)


def test_the_search_that_reads_the_posts_before_the_index_is_built_reads_them_so(tmp_path, write_tree, monkeypatch):
    """While the first index is built the app reads the posts themselves: the same answer,
    bodies held or read from their files (a big blog's)."""
    from reader import library as library_module
    from reader.library import Library

    site = write_tree(POSTS)
    held = Library(site, index_dir=tmp_path / "held")
    held_snapshot = held.read()
    monkeypatch.setattr(library_module, "BODIES_HELD_UP_TO", 0)
    stubs = Library(site, index_dir=tmp_path / "stubs", hold_bodies=False)
    stub_snapshot = stubs.read()
    for library, snapshot in ((held, held_snapshot), (stubs, stub_snapshot)):
        for query, expected in (
            ("img", []),
            ("width", ["_posts/2020-01-02-width.md"]),
            ("출처", ["_posts/2020-01-01-figure.md"]),
            ("div", ["_posts/2020-01-03-code.md"]),
        ):
            result = library.scan(query, snapshot, limit=50)
            assert [hit.path for hit in result.hits] == expected, (query, result.hits)
            for hit in result.hits:
                assert "<" not in hit.snippet or query == "div", hit.snippet


def test_a_snippet_window_ending_inside_a_tag_shows_none_of_it(cli, tmp_path, write_tree):
    """A word in the address of the sixth of many figures: the window of the raw post ended
    inside the next tag, whose head was not markup to plain text and was shown as it is
    (`…<img src="https://i.…com/Kx7.jpg" title="source…`)."""
    figure = FIGURE.replace("예제 사이트", "pics.example.com")  # the host in what it shows too
    figures = "\n\n".join(figure.replace("Kx7", f"Pic{n}") for n in range(12))
    site = write_tree(
        {"_posts/2020-02-01-gallery.md": f"---\ntitle: 그림 모음\n---\n모은 그림들입니다.\n\n{figures}\n"}
    )
    for query in ("Pic5", "pics"):
        _, hits = search(cli, site, tmp_path, query)
        shown = hits["_posts/2020-02-01-gallery.md"]["snippet"]
        assert "<" not in shown and "src=" not in shown and "title=" not in shown, (query, shown)


def test_only_a_query_markup_could_match_pays_for_blanking_it():
    """A tag's markup is ASCII: a query of Hangul words matches a body as written as it matches
    it blanked, and skips the pass (~0.2 ms a post of a blog of figures, 600 candidates a
    search: the app's first Korean searches of such a blog went from 7 to 117 ms p95)."""
    from reader.search.markup import reads_markup, searchable
    from reader.search.query import Phrase, Word

    assert not reads_markup([Word("행렬"), Phrase("곱셈의 순서")])
    assert reads_markup([Word("행렬"), Word("img")]) and reads_markup([Word("300px")])
    body = POSTS["_posts/2020-01-01-figure.md"]
    assert "img" in body and "img" not in searchable(body)
    for hangul in ["행렬", "곱셈의", "출처"]:  # in the text, and in a title the tag keeps
        assert hangul in body and hangul in searchable(body)


def test_a_word_left_out_is_not_left_out_for_its_markup_alone_while_the_index_is_built(tmp_path, write_tree):
    """The scan (before the index) reads bodies blanked when the query has a Latin word, the
    words it leaves out too: `행렬 -img` keeps the post whose only `img` is its figure's tag."""
    from reader.library import Library

    site = write_tree(POSTS)
    library = Library(site, index_dir=tmp_path / "index")
    snapshot = library.read()
    found = library.scan("곱셈 -img", snapshot, limit=10)
    assert [hit.path for hit in found.hits] == ["_posts/2020-01-01-figure.md"]
