"""Which folder `reader` opens, driven as a user does: the command, run in a folder."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from reader.posts.folders import guide_dir

PHILM2K = Path("/work/shared/corpora/philm2k")
NO_BLOG = "the bundled guide: no blog in the current folder"


def reader(cmd: list[str], where: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*cmd, *args], cwd=where, capture_output=True, text=True, timeout=120, check=False)


def posts_json(cmd: list[str], where: Path, *args: str, category: str | None = None) -> list[dict]:
    done = reader(cmd, where, *args, "posts", "--json", *(["--category", category] if category else []))
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def write(root: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def guide_paths() -> set[str]:
    return {p.relative_to(guide_dir()).as_posix() for p in guide_dir().rglob("*.md")}


def test_a_project_folder_is_no_blog_and_the_guide_opens_saying_why(reader_cmd, tmp_path):
    project = write(
        tmp_path / "project",
        {"README.md": "# tool\n", "src/CHANGELOG.md": "# 0.1\n", "docs/usage.md": "---\ntitle: usage\n---\n"},
    )
    config = reader(reader_cmd, project, "config")
    assert config.returncode == 0, config.stderr
    assert config.stdout.splitlines()[-1] == f"posts folder now: {guide_dir()} ({NO_BLOG})"
    listed = {p["path"] for p in posts_json(reader_cmd, project)}
    assert listed and listed <= guide_paths()
    # Named, the folder is read as it is: the user asked for it.
    given = {p["path"] for p in posts_json(reader_cmd, tmp_path, "project")}
    assert given == {"README.md", "src/CHANGELOG.md", "docs/usage.md"}


def test_markdown_far_below_does_not_make_a_blog(reader_cmd, tmp_path):
    """A checkout holding a guide in posts/ and generated posts further down is not read whole."""
    here = write(tmp_path / "work", {"README.md": "# x\n", "posts/2020-01-01-a.md": "---\ntitle: a\n---\n"})
    config = reader(reader_cmd, here, "config")
    assert config.stdout.splitlines()[-1] == f"posts folder now: {guide_dir()} ({NO_BLOG})"


@pytest.mark.parametrize(
    "files",
    [
        {"2020-01-02-first.md": "no front matter, a dated name\n", "b.md": "---\ntitle: b\n---\n"},
        {"a.md": "+++\ntitle = 'a'\n+++\n", "README.md": "# notes\n"},
        {"_config.yml": "title: x\n", "_posts/x.md": "plain\n"},
        {"_posts/x.md": "plain\n"},
    ],
    ids=["own-posts", "toml-front-matter", "jekyll", "posts-folder"],
)
def test_a_folder_of_posts_or_a_site_is_the_blog(reader_cmd, tmp_path, files):
    blog = write(tmp_path / "blog", files)
    config = reader(reader_cmd, blog, "config")
    assert config.stdout.splitlines()[-1] == f"posts folder now: {blog} (the current folder)"


@pytest.fixture
def hexo(tmp_path) -> Path:
    """philm2k's Hexo blog with the `_config.yml` its site has."""
    blog = tmp_path / "blog"
    shutil.copytree(PHILM2K, blog)
    (blog / "_config.yml").write_text("title: philm2k\n", encoding="utf-8")
    return blog


@pytest.mark.parametrize("given", ["source/_posts/generator.md", "source"])
def test_a_hexo_post_or_source_opens_the_hexo_site(reader_cmd, hexo, given):
    whole = {p["path"]: p["categories"] for p in posts_json(reader_cmd, hexo.parent, "blog")}
    assert len(whole) == 24
    assert whole["source/_posts/python-how-to.md"] == ["Python/용어"]  # Hexo's hierarchy
    assert {p["path"]: p["categories"] for p in posts_json(reader_cmd, hexo, given)} == whole


def test_posts_by_category_finds_what_search_finds(reader_cmd, hexo):
    listed = posts_json(reader_cmd, hexo, category="용어")
    done = reader(reader_cmd, hexo, "search", "category:용어", "--json")
    assert done.returncode == 0, done.stderr
    found = {hit["path"] for hit in json.loads(done.stdout)["hits"]}
    assert len(found) == 4
    assert {p["path"] for p in listed} == found
    assert {p["path"] for p in posts_json(reader_cmd, hexo, category="Python/용어")} == found


def test_a_command_in_a_folder_with_no_blog_says_it_reads_the_guide(reader_cmd, tmp_path):
    """`reader search 임베딩` run in the wrong folder answered from the bundled guide with no word
    about it: "no posts contain 임베딩", as if the user's blog had none."""
    home = write(tmp_path / "home", {"notes.txt": "not a blog\n"})
    done = reader(reader_cmd, home, "search", "임베딩")
    assert done.returncode == 0
    assert f"reader: no blog in the current folder ({home}): reading the bundled guide" in done.stderr
    assert "--posts DIR" in done.stderr
    listed = reader(reader_cmd, home, "posts", "--json")
    assert json.loads(listed.stdout) and "reading the bundled guide" in listed.stderr  # stdout stays the JSON
    # A blog, found or named, says nothing of the sort.
    blog = write(tmp_path / "blog", {"_posts/2024-01-01-a.md": "---\ntitle: 임베딩 이야기\n---\n임베딩\n"})
    for where, args in ((blog, ()), (home, ("--posts", str(blog)))):
        found = reader(reader_cmd, where, *args, "search", "임베딩")
        assert found.returncode == 0 and "임베딩 이야기" in found.stdout
        assert "guide" not in found.stderr


def test_a_folder_given_as_a_search_word_is_said_with_the_command_that_searches_it(reader_cmd, tmp_path):
    """`reader ~/blog` opens a blog, so `reader search 임베딩 ~/blog` is what a user types: the
    folder was searched for as a word, "no posts contain 임베딩, /home/…/blog"."""
    blog = write(tmp_path / "blog", {"_posts/2024-01-01-a.md": "---\ntitle: 임베딩 이야기\n---\n임베딩\n"})
    home = write(tmp_path / "home", {"notes.txt": "not a blog\n"})
    done = reader(reader_cmd, home, "search", "임베딩", str(blog))
    hint = f"reader: {blog} is a folder, not a word to search: to search the posts in it, "
    assert hint + f"reader search 임베딩 --posts {blog}" in done.stderr
    followed = reader(reader_cmd, home, "search", "임베딩", "--posts", str(blog))
    assert "임베딩 이야기" in followed.stdout and "is a folder" not in followed.stderr
    # A word with a slash that is no folder here is a word like any other.
    plain = reader(reader_cmd, blog, "search", "category:공부/머신러닝")
    assert "is a folder" not in plain.stderr
