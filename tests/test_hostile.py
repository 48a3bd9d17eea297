"""The hostile corpus: every other post still loads, nothing hangs, each odd file is named."""

from __future__ import annotations

import os
import subprocess
import sys
import threading

import pytest

from reader.library import Library
from reader.ui.app import build_app
from reader.ui.post_list import PostList
from reader.ui.post_pane import PostPane
from reader.ui.post_view import PostBody
from tests.conftest import KST
from tests.hostile import write_hostile
from tests.waiting import ready, shown, until


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    return write_hostile(tmp_path_factory.mktemp("hostile") / "posts")


@pytest.fixture
def unreadable(monkeypatch):
    """Root reads anything, so the permission error is made the way the OS would raise it."""
    real_open = os.open

    def guarded(path, flags, *args, **kwargs):
        if str(path).endswith("unreadable.md"):
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path, flags, *args, **kwargs)

    monkeypatch.setattr(os, "open", guarded)


@pytest.mark.timeout(120)  # a hang would be minutes; this is not a timing target
def test_every_readable_post_loads_and_every_odd_file_is_named(hostile, unreadable):
    library = Library.open(hostile.root, KST)
    listed = {post.path for post in library.posts}
    assert hostile.loads <= listed
    assert not (hostile.skipped & listed)
    all_warnings = library.snapshot.all_warnings
    warnings = "\n".join(all_warnings)
    for path, fragment in hostile.warned.items():
        assert any(path in w and fragment in w for w in all_warnings), (path, fragment)
    for path in hostile.skipped:
        assert path in warnings, path
    assert "unreadable.md" in warnings and "Permission denied" in warnings
    assert library.get("crlf.md").title == "CRLF 글" and library.get("cr.md").title == "CR 글"
    assert library.get("utf16.md").title == "UTF-16 글" and library.get("bom.md").title == "BOM 글"
    assert library.get("한글이름.md").title == "NFD 이름"
    assert "\x1b" not in library.get("escape.md").title + library.get("escape.md").body
    for post in library.posts:
        library.links(post.path)  # never raises on any of them


def test_the_index_and_search_survive_the_hostile_corpus(hostile, unreadable, tmp_path):
    library = Library(hostile.root, KST, index_dir=tmp_path / "index")
    report = library.sync_index()
    assert report.posts >= len(hostile.loads) - 1  # the unreadable one cannot be indexed
    assert [h.path for h in library.search("정상어휘").hits] == ["good.md"]
    huge = library.search("거대한")
    assert [h.path for h in huge.hits] == ["huge.md"]


async def test_the_app_stays_responsive_while_the_huge_post_is_parsed(hostile, unreadable, tmp_path):
    """The 50 MB post (8 MiB read, one paragraph) is parsed in a worker: a key pressed meanwhile
    is handled at once. (It used to be read and its links extracted on the UI thread: 2.8 s.)
    Once parsed whole, it is drawn a screen at a time: its first screens as it is shown, the rest
    left to idle steps. Told at the moment it is shown: later, the idle steps may have drawn it
    all, and a loaded machine may still be showing the preview of its start, drawn whole in a
    few steps (the test once failed so)."""
    app = build_app(hostile.root, index_dir=tmp_path / "index", watch=False, settings_path=tmp_path / "c.toml")
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        # The parse of huge.md is held until the key has been handled: whether a fast machine
        # parses (or previews) it before the key arrives is not what this test is about (CI once did).
        parsed = threading.Event()
        library = app.library
        whole: list[object] = []  # the parses of all of huge.md (not of its start, for a preview)
        for name in ("preview_document", "document"):
            real = getattr(library, name)

            def held(post, *args, real=real, name=name, **kwargs):
                if post.path == "huge.md":
                    parsed.wait(60)  # a state the test sets; the timeout only ends a broken run
                document = real(post, *args, **kwargs)
                if post.path == "huge.md" and name == "document":
                    whole.append(document)
                return document

            setattr(library, name, held)
        screen = app.main
        body = screen.query_one(PostBody)
        shown_paths: list[str] = []
        drawn: list[tuple[str, bool]] = []  # the whole huge.md's body as its show left it
        pane = screen.query_one(PostPane)
        original = pane.show

        def show(post, document, state):
            shown_paths.append(post.path)
            original(post, document, state)
            if any(document is w for w in whole):
                drawn.append((body.text, body.fully_rendered))

        pane.show = show
        post_list = screen.query_one(PostList)
        rows = [r.path for r in post_list.rows]
        post_list.focus()
        post_list.cursor = rows.index("huge.md")
        await until(pilot, lambda: screen.open_path == "huge.md", "huge.md asked for")
        await pilot.press("j")  # handled while huge.md is still being parsed
        after = rows[rows.index("huge.md") + 1]
        await shown(pilot, after)
        assert "huge.md" not in shown_paths  # the key came first: nothing waited for the parse
        parsed.set()
        post_list.cursor = rows.index("huge.md")
        await until(pilot, lambda: drawn, "the whole of huge.md shown")
        text, fully_rendered = drawn[0]
        assert "거대한 글의 한 줄입니다" in text and not fully_rendered  # first screens drawn, the rest pending
        assert app.is_running


def test_hostile_queries_from_the_command_line(hostile, tmp_path):
    env = {**os.environ, "GEULBAT_INDEX_DIR": str(tmp_path / "index")}
    reader = os.path.join(os.path.dirname(sys.executable), "reader")
    for query in ["\x1b[2J", "((((((((((((((a))))))))))))))", "*", "-", '"', "tag:", "date:9999-99", "가" * 600]:
        result = subprocess.run(
            [reader, "search", query, "--posts", str(hostile.root)],
            capture_output=True,
            text=True,
            env=env,
            timeout=300,
        )
        assert result.returncode in (0, 1), (query, result.stderr)
        assert "Traceback" not in result.stderr
        assert "\x1b[2J" not in result.stdout
