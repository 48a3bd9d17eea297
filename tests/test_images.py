"""Where a post's images are on disk, the way each site serves them, and what opening one may do."""

from __future__ import annotations

import pytest

from reader.library import Library
from reader.posts.discovery import SiteKind
from reader.posts.images import candidates, local_file, resolve_image
from reader.posts.links import Link
from reader.posts.policy import decide
from tests.conftest import KST

PNG = b"\x89PNG\r\n\x1a\n"  # enough to be a file; nothing here decodes it


def images(library: Library, path: str) -> list[tuple[str, str | None, bool]]:
    return [(link.url, link.target, link.broken) for link in library.links(path) if link.kind == "image"]


def test_jekyll_assets_root_relative_and_post_relative(write_tree):
    root = write_tree(
        {
            "_config.yml": "title: t\n",
            "assets/img/a.png": PNG,
            "images/b.png": PNG,
            "_posts/c.png": PNG,
            "_posts/2020-01-01-a.md": "---\ntitle: a\n---\n"
            "![a](/assets/img/a.png) ![b](images/b.png) ![c](c.png) ![d]({{site.baseurl}}/assets/img/a.png)\n"
            "![f](../assets/img/a.png)\n",
        }
    )
    assert images(Library.open(root, KST), "_posts/2020-01-01-a.md") == [
        ("/assets/img/a.png", "assets/img/a.png", False),
        ("images/b.png", "images/b.png", False),  # not beside the post: from the site root
        ("c.png", "_posts/c.png", False),
        ("{{site.baseurl}}/assets/img/a.png", "assets/img/a.png", False),  # Liquid, as Jekyll reads it
        ("../assets/img/a.png", "assets/img/a.png", False),
    ]


def test_jekyll_baseurl_is_taken_off(write_tree):
    root = write_tree(
        {
            "_config.yml": "baseurl: /blog\n",
            "assets/a.png": PNG,
            "_posts/2020-01-01-a.md": "---\ntitle: a\n---\n![a](/blog/assets/a.png)\n",
        }
    )
    assert images(Library.open(root, KST), "_posts/2020-01-01-a.md") == [("/blog/assets/a.png", "assets/a.png", False)]


def test_hugo_static_and_page_bundle(write_tree):
    root = write_tree(
        {
            "config.toml": 'baseURL = "https://h.example.org/"\n',
            "static/img/x.png": PNG,
            "content/posts/bundle/index.md": "---\ntitle: b\n---\n![x](/img/x.png) ![y](y.png) ![z](img/x.png)\n",
            "content/posts/bundle/y.png": PNG,
        }
    )
    assert images(Library.open(root, KST), "content/posts/bundle/index.md") == [
        ("/img/x.png", "static/img/x.png", False),
        ("y.png", "content/posts/bundle/y.png", False),  # the bundle's own file
        ("img/x.png", "static/img/x.png", False),
    ]


def test_hexo_source_and_post_asset_folder(write_tree):
    root = write_tree(
        {
            "_config.yml": "post_asset_folder: true\n",
            "source/images/x.png": PNG,
            "source/_posts/my-post/y.png": PNG,
            "source/_posts/my-post.md": "---\ntitle: m\n---\n![x](/images/x.png) ![y](y.png) ![y2](my-post/y.png)\n"
            "{% asset_img y.png 그림 %}\n",
        }
    )
    assert images(Library.open(root, KST), "source/_posts/my-post.md") == [
        ("/images/x.png", "source/images/x.png", False),
        ("y.png", "source/_posts/my-post/y.png", False),
        ("my-post/y.png", "source/_posts/my-post/y.png", False),
        ("{% asset_img y.png %}", "source/_posts/my-post/y.png", False),
    ]


def test_missing_files_are_broken_and_remote_images_are_not_checked(write_tree):
    root = write_tree(
        {
            "a.md": "![없음](img/none.png) ![원격](https://i.example.org/a.png) ![p](//cdn.example.org/p.png)\n"
            '<img src="also-none.png" alt="html">\n'
        }
    )
    assert images(Library.open(root, KST), "a.md") == [
        ("img/none.png", "img/none.png", True),
        ("https://i.example.org/a.png", None, False),
        ("//cdn.example.org/p.png", None, False),
        ("also-none.png", "also-none.png", True),
    ]


def test_an_address_leaving_the_root_has_no_target_and_is_refused(write_tree, tmp_path):
    (tmp_path / "secret.png").write_bytes(PNG)
    root = write_tree(
        {"posts/a.md": "![x](../../secret.png) ![y](/../secret.png) {% asset_img ../../../secret.png %}\n"}
    )
    links = [link for link in Library.open(root / "posts", KST).links("a.md") if link.kind == "image"]
    assert [(link.target, link.broken) for link in links] == [(None, True), (None, True), (None, True)]
    for link in links:
        decision = decide(link)
        assert decision.action == "refuse" and "outside the site folder" in decision.reason


def test_a_symlink_out_of_the_root_is_not_a_local_file(write_tree, tmp_path):
    (tmp_path / "secret.png").write_bytes(PNG)
    root = write_tree({"a.md": "![x](in.png)\n", "real.png": PNG})
    (root / "in.png").symlink_to(tmp_path / "secret.png")
    assert local_file(root, "in.png") is None
    assert local_file(root, "real.png") == (root / "real.png").resolve()
    assert local_file(root, "../secret.png") is None
    assert images(Library.open(root, KST), "a.md") == [("in.png", "in.png", True)]


@pytest.mark.parametrize(
    ("url", "post", "kind", "expected"),
    [
        ("/a.png", "_posts/p.md", SiteKind.JEKYLL, ("a.png",)),
        ("a%20b.png", "p.md", SiteKind.PLAIN, ("a b.png",)),
        ("a.png?v=2#x", "d/p.md", SiteKind.PLAIN, ("d/a.png", "a.png")),
        ("/img/a.png", "content/p.md", SiteKind.HUGO, ("static/img/a.png", "img/a.png")),
        ("/images/a.png", "source/_posts/p.md", SiteKind.HEXO, ("source/images/a.png", "images/a.png")),
        (
            "a.png",
            "source/_posts/p.md",
            SiteKind.HEXO,
            ("source/_posts/a.png", "source/_posts/p/a.png", "source/a.png", "a.png"),
        ),
        ('{{ "/assets/a.png" | relative_url }}', "_posts/p.md", SiteKind.JEKYLL, ("assets/a.png",)),
        ("https://x.org/a.png", "p.md", SiteKind.PLAIN, None),
        ("data:image/png;base64,AAAA", "p.md", SiteKind.PLAIN, None),
        ("../../x.png", "d/p.md", SiteKind.PLAIN, ()),
    ],
)
def test_candidates(url, post, kind, expected):
    assert candidates(url, post, kind) == expected


def test_resolve_image_takes_the_first_that_exists():
    found = resolve_image("a.png", "source/_posts/p.md", SiteKind.HEXO, {"source/a.png"}.__contains__)
    assert (found.path, found.broken, found.remote) == ("source/a.png", False, False)
    missing = resolve_image("a.png", "source/_posts/p.md", SiteKind.HEXO, lambda _p: False)
    assert (missing.path, missing.broken) == ("source/_posts/a.png", True)


@pytest.mark.parametrize(
    ("given", "action", "target"),
    [
        (Link(1, "t", "a.png", "image", "d/a.png", 1), "image", "d/a.png"),
        (Link(1, "t", "my image.png", "image", "my image.png", 1), "image", "my image.png"),
        (Link(1, "t", "a.png", "image", "a.png", 1, broken=True), "refuse", "a.png"),
        (Link(1, "t", "../a.png", "image", None, 1, broken=True), "refuse", "../a.png"),
        (Link(1, "t", "evil\u202egnp.png", "image", "evil\u202egnp.png", 1), "refuse", "evil\u202egnp.png"),
        (Link(1, "t", "https://x.org/a.png", "image", None, 1), "browser", "https://x.org/a.png"),
        (Link(1, "t", "data:image/png;base64,AA", "image", None, 1), "refuse", "data:image/png;base64,AA"),
    ],
)
def test_policy_for_images(given, action, target):
    decision = decide(given)
    assert (decision.action, decision.target) == (action, target)
