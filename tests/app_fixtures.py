"""Fixtures for the app's Pilot tests: the small blog, its index built once, an app over a copy."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from reader.library import Library
from reader.ui.app import ReaderApp, build_app
from tests.sites import write_blog


@pytest.fixture(scope="session")
def blog(tmp_path_factory) -> tuple[Path, Path]:
    """The small blog and an index of it built once; each test copies the index."""
    root = write_blog(tmp_path_factory.mktemp("blog") / "site")
    index = tmp_path_factory.mktemp("prebuilt") / "index"
    Library(root, index_dir=index).sync_index()
    return root, index


@pytest.fixture
def make_app(tmp_path, blog):
    def make(posts: Path | None = None, watch: bool = False) -> ReaderApp:
        index = tmp_path / "index"
        if posts is None:
            posts = blog[0]
            if not index.exists():
                shutil.copytree(blog[1], index)
        return build_app(posts, index_dir=index, watch=watch, settings_path=tmp_path / "config.toml")

    return make
