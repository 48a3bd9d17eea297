"""The real Korean blogs in ../shared/corpora: every file listed, no crash."""

from __future__ import annotations

import os

import pytest

from reader.library import Library
from tests.conftest import CORPORA, KST


@pytest.fixture(autouse=True)
def corpora_present():
    """Loud, not a silent skip: CI runs with ../shared beside the repo, so a missing corpus is a
    broken setup. GEULBAT_NO_CORPORA=1 skips these tests on purpose (say why when you use it)."""
    if os.environ.get("GEULBAT_NO_CORPORA") == "1":
        pytest.skip("GEULBAT_NO_CORPORA=1")
    assert CORPORA.is_dir(), f"{CORPORA} is missing: the real-blog tests need ../shared/corpora beside the repo"


# Three ratsgo posts really hold stray control bytes inside LaTeX (a backspace
# where `\b` of `\beta` was meant, a form feed for `\f`): warned, nothing else.
ODD = {
    "ratsgo": {"_posts/2018-01-25-duality.md", "_posts/2017-10-20-projection.md", "_posts/2017-04-02-logistic.md"},
    "philm2k": set(),
}


@pytest.mark.parametrize(("name", "expected"), [("ratsgo", 215), ("philm2k", 24)])
def test_every_corpus_file_is_listed_and_only_odd_files_warned(name, expected):
    root = CORPORA / name
    files = [p for p in root.rglob("*") if p.suffix in (".md", ".markdown")]
    library = Library.open(root, KST)
    assert len(library) == len(files) == expected
    assert library.warnings == []
    warned = {p.path for p in library.posts if p.warnings}
    assert warned == ODD[name]
    assert all("control character" in w for p in library.posts for w in p.warnings)
    for post in library.posts:
        assert post.title and post.date is not None
        library.links(post.path)  # link extraction never crashes on real posts
