"""Fixtures for the app's Pilot tests: the small blog, its index built once, an app over a copy."""

from __future__ import annotations

import shutil
import threading
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


# --- helpers for the Pilot tests ------------------------------------------------------------


def app_for(site: Path, tmp_path: Path) -> ReaderApp:
    """An app over `site` with its own index and config under `tmp_path`."""
    return build_app(site, index_dir=tmp_path / "index", watch=False, settings_path=tmp_path / "config.toml")


def hold_first_build(monkeypatch) -> threading.Event:
    """The index build waits, as a long one would, until the event returned is set."""
    return hold_library(monkeypatch, "sync_index")


def fake_browser(monkeypatch) -> list[str]:
    """The URLs the app hands to the web browser, none opened."""
    import webbrowser

    opened: list[str] = []

    class FakeBrowser(webbrowser.BackgroundBrowser):
        def __init__(self) -> None:
            super().__init__("true")

        def open(self, url, new=0, autoraise=True):
            opened.append(url)
            return True

    monkeypatch.setattr(webbrowser, "get", lambda using=None: FakeBrowser())
    return opened


def helper_chunks(monkeypatch) -> list[int]:
    """The posts of each chunk a first read's helper processes give back, as they come
    (reader.posts.snapshot.run_in_helpers, spied)."""
    from reader.posts import loading as snapshots

    real, chunks = snapshots.run_in_helpers, []

    def counted(*args):
        for value in real(*args):
            chunks.append(len(value[1]))
            yield value

    monkeypatch.setattr(snapshots, "run_in_helpers", counted)
    return chunks


def hold_library(monkeypatch, method: str) -> threading.Event:
    """`Library.<method>` waits (a long read, a long build) until the event returned is set."""
    release = threading.Event()
    original = getattr(Library, method)

    def held(self, *args, **kwargs):
        release.wait(60)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(Library, method, held)
    return release


async def open_row(pilot, path: str) -> None:
    """Put the list's cursor on `path` and press Enter, as a reader would; wait until it shows."""
    from reader.ui.post_list import PostList
    from tests.waiting import shown

    post_list = pilot.app.main.query_one(PostList)
    post_list.focus()
    post_list.cursor = [r.path for r in post_list.rows].index(path)
    await pilot.press("enter")
    await shown(pilot, path)


def palette_prompts(app) -> list[str]:
    """The command palette's hits, as their prompts read."""
    from textual.command import CommandList

    found = app.screen.query(CommandList)
    if not found:
        return []
    options = found.first()
    return [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]
