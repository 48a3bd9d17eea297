"""Finding posts: site layouts, skipped folders, symlinks, FIFOs, NFD names."""

from __future__ import annotations

import os
import unicodedata

import pytest

from reader.library import Library
from reader.posts.discovery import SiteKind, detect_layout, scan, scan_states

POST = "---\ntitle: t\n---\nbody\n"


def paths(root):
    return sorted(f.rel for f in scan(detect_layout(root)).files)


def test_jekyll_site_root(write_tree):
    root = write_tree(
        {
            "_config.yml": "title: x\n",
            "_posts/2020-01-01-a.md": POST,
            "_drafts/b.md": POST,
            "_site/2020/01/01/a.md": POST,
            "README.md": "# not a post",
            "node_modules/x/y.md": POST,
            "vendor/bundle/z.md": POST,
            "_includes/i.md": POST,
            "_posts/.hidden.md": POST,
        }
    )
    assert detect_layout(root).kind is SiteKind.JEKYLL
    assert paths(root) == ["_drafts/b.md", "_posts/2020-01-01-a.md"]


def test_hexo_site_root(write_tree):
    root = write_tree(
        {
            "_config.yml": "title: x\n",
            "source/_posts/a.md": POST,
            "source/_posts/sub/b.markdown": POST,
            "source/about/index.md": POST,
            "themes/next/README.md": POST,
            "public/a.md": POST,
        }
    )
    assert detect_layout(root).kind is SiteKind.HEXO
    assert paths(root) == ["source/_posts/a.md", "source/_posts/sub/b.markdown"]


def test_hugo_site_root(write_tree):
    root = write_tree(
        {
            "hugo.toml": "title = 'x'\n",
            "content/posts/a.md": POST,
            "themes/t/content/x.md": POST,
            "public/posts/a.md": POST,
        }
    )
    assert detect_layout(root).kind is SiteKind.HUGO
    assert paths(root) == ["content/posts/a.md"]


def test_plain_folder_skips_dot_folders_and_non_markdown(write_tree):
    root = write_tree({"a.md": POST, "b.MD": POST, "c.txt": "x", ".git/d.md": POST, "sub/e.markdown": POST})
    assert paths(root) == ["a.md", "b.MD", "sub/e.markdown"]


def test_directory_symlinks_are_not_followed(write_tree, tmp_path):
    outside = write_tree({"secret.md": POST}, tmp_path / "outside")
    root = write_tree({"a.md": POST})
    os.symlink(outside, root / "linked")
    os.symlink(root, root / "loop")
    assert paths(root) == ["a.md"]


def test_file_symlinks_inside_are_kept_outside_refused(write_tree, tmp_path):
    outside = write_tree({"secret.md": POST}, tmp_path / "outside")
    root = write_tree({"a.md": POST})
    os.symlink(root / "a.md", root / "alias.md")
    os.symlink(outside / "secret.md", root / "escape.md")
    os.symlink(root / "missing.md", root / "dangling.md")
    os.symlink("loop2.md", root / "loop1.md")
    os.symlink("loop1.md", root / "loop2.md")
    found = scan(detect_layout(root))
    assert sorted(f.rel for f in found.files) == ["a.md", "alias.md"]
    warnings = "\n".join(found.warnings)
    assert "escape.md" in warnings and "outside" in warnings
    assert "dangling.md" in warnings and "loop1.md" in warnings


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_a_fifo_is_skipped_not_read(write_tree):
    root = write_tree({"a.md": POST})
    os.mkfifo(root / "pipe.md")
    library = Library.open(root)  # would block forever if the FIFO were opened
    assert [p.path for p in library.posts] == ["a.md"]
    assert any("pipe.md" in w and "regular" in w for w in library.warnings)


def test_nfd_file_names_become_nfc_identities(write_tree):
    nfd = unicodedata.normalize("NFD", "한국어-글.md")
    root = write_tree({nfd: POST})
    library = Library.open(root)
    assert library.posts[0].path == "한국어-글.md"
    assert library.get(nfd).path == "한국어-글.md"


def test_the_states_a_sync_compares_are_the_files_the_scan_lists(write_tree, tmp_path):
    """`scan_states` (a sync's no-object scan) sees what `scan` sees: the same files, in the
    same order, with the same states and warnings, and the same file for each."""
    outside = write_tree({"secret.md": POST}, tmp_path / "outside")
    nfd = unicodedata.normalize("NFD", "한국어-글.md")
    root = write_tree(
        {
            "_config.yml": "title: x\n",
            "_posts/2020-01-01-a.md": POST,
            "_posts/sub/b.markdown": POST,
            f"_posts/{nfd}": POST,
            "_posts/.hidden.md": POST,
            "_posts/note.txt": "x",
            "_drafts/d.md": POST,
            "_site/built.md": POST,
        }
    )
    os.symlink(root / "_posts" / "2020-01-01-a.md", root / "_posts" / "alias.md")
    os.symlink(outside / "secret.md", root / "_posts" / "escape.md")
    if hasattr(os, "mkfifo"):
        os.mkfifo(root / "_posts" / "pipe.md")
    layout = detect_layout(root)
    listed, states = scan(layout), scan_states(layout)
    assert [row[0] for row in states.rows] == [f.rel for f in listed.files]
    assert [f.rel for f in listed.files] == [
        "_posts/2020-01-01-a.md",
        "_posts/alias.md",
        "_posts/한국어-글.md",
        "_posts/sub/b.markdown",
        "_drafts/d.md",
    ]
    assert states.warnings == listed.warnings and any("escape.md" in w for w in states.warnings)
    for row, item in zip(states.rows, listed.files, strict=True):
        st = item.stat
        assert st is not None and row[1:] == (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino)
        found = states.found(row[0])
        assert found is not None and (found.path, found.draft_dir) == (item.path, item.draft_dir)
    assert states.found("_posts/nothing.md") is None
