"""Which folder the reader opens, and the site root above `_posts/`."""

from __future__ import annotations

from pathlib import Path

from reader.cli.run import with_folder_argument
from reader.posts.folders import choose, guide_dir, site_root


def make(root: Path, files: list[str]) -> Path:
    for rel in files:
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("---\ntitle: x\n---\n", encoding="utf-8")
    root.mkdir(parents=True, exist_ok=True)
    return root


def test_the_order_given_then_environment_then_config_then_here_then_the_guide(tmp_path):
    blog, other, plain, empty = (
        make(tmp_path / n, f)
        for n, f in [
            ("blog", ["_config.yml", "_posts/2020-01-01-a.md"]),
            ("other", ["x.md"]),
            ("plain", ["notes/y.md"]),
            ("empty", []),
        ]
    )
    assert choose(str(other), str(blog), str(blog), blog).root == other
    assert choose(None, str(other), str(blog), blog).why == "GEULBAT_POSTS"
    assert choose(None, None, str(other), blog).why == "the config file's posts"
    here = choose(None, None, None, blog)
    assert (here.root, here.why) == (blog.resolve(), "the current folder")
    for no_blog in (plain, empty):  # Markdown only below it does not make a blog
        fallback = choose(None, None, None, no_blog)
        assert (fallback.root, fallback.why) == (guide_dir(), "the bundled guide: no blog in the current folder")


def test_a_post_opens_in_its_site(tmp_path):
    blog = make(tmp_path / "blog", ["_config.yml", "_posts/2020-01-01-a.md"])
    chosen = choose(str(blog / "_posts" / "2020-01-01-a.md"), None, None, tmp_path)
    assert (chosen.root, chosen.post) == (blog.resolve(), "_posts/2020-01-01-a.md")


def test_the_site_root_above_posts_folders(tmp_path):
    jekyll = make(tmp_path / "j", ["_config.yml", "_posts/a.md", "_drafts/b.md"])
    hexo = make(tmp_path / "h", ["_config.yml", "source/_posts/a.md"])
    hugo = make(tmp_path / "g", ["config.toml", "content/posts/a.md"])
    assert site_root(jekyll / "_posts") == jekyll.resolve()
    assert site_root(jekyll / "_drafts") == jekyll.resolve()
    assert site_root(hexo / "source" / "_posts") == hexo.resolve()
    assert site_root(hexo / "source") == hexo.resolve()
    assert site_root(hugo / "content" / "posts") == hugo.resolve()
    bare = make(tmp_path / "bare" / "_posts", ["a.md"])  # a folder holding _posts/ is a Jekyll site…
    assert site_root(bare) == bare.parent.resolve()
    plain = make(tmp_path / "notes", ["a.md"])  # …any other folder is its own root
    assert site_root(plain) == plain.resolve()


def test_a_first_word_that_is_no_command_is_the_folder():
    assert with_folder_argument(["~/blog"]) == ["--posts", "~/blog"]
    assert with_folder_argument(["--index-dir", "x", "post.md"]) == ["--index-dir", "x", "--posts", "post.md"]
    assert with_folder_argument(["posts", "--json"]) == ["posts", "--json"]
    assert with_folder_argument(["--posts", "b", "search", "x"]) == ["--posts", "b", "search", "x"]
    assert with_folder_argument([]) == []


def test_the_guide_is_found_in_a_checkout():
    assert (guide_dir() / "2026-01-05-welcome.md").is_file()
