"""The app's first screen comes from the index's listing, before a file is read, and is what the files say."""

from __future__ import annotations

import gc
import threading

from reader.library import Library
from reader.ui.post_list import PostList
from reader.ui.post_view import PostBody
from reader.ui.sidebar import Sidebar
from tests.app_fixtures import open_row
from tests.waiting import ready, until

SIZE = (150, 45)
LINKS = "_posts/2026-01-10-links.md"
ML = "_posts/2025-11-20-machine-learning.md"


def _rows(app):
    return [(r.path, r.title, r.date, r.draft, r.warned) for r in app.main.query_one(PostList).rows]


def _sidebar_all(app) -> str:
    children = app.main.query_one(Sidebar).root.children
    return str(children[0].label) if children else ""


async def test_the_first_screen_lists_from_the_index_then_the_files_agree(make_app, monkeypatch):
    release = threading.Event()
    original = Library.read

    def held(self, *args, **kwargs):
        release.wait(60)  # reading the files "takes long": the test looks at the first screen meanwhile
        return original(self, *args, **kwargs)

    monkeypatch.setattr(Library, "read", held)
    app = make_app()
    try:
        async with app.run_test(size=SIZE) as pilot:
            screen = app.main
            body = screen.query_one(PostBody)
            await until(pilot, lambda: body.document is not None and screen.open_path == LINKS, "first post shown")
            assert not screen.loaded and screen.snapshot.listing is not None  # from the listing alone
            listed = _rows(app)
            assert listed[0][0] == LINKS and not any(draft for _, _, _, draft, _ in listed)
            assert [date for _, _, date, _, _ in listed] == sorted((d for _, _, d, _, _ in listed), reverse=True)
            await until(pilot, lambda: _sidebar_all(app).startswith("All posts"), "the sidebar's counts")
            assert _sidebar_all(app).startswith(f"All posts  {len(listed)} (+1 drafts hidden)"), _sidebar_all(app)
            await open_row(pilot, ML)  # a post listed, not read: its body is read when it is opened
            body.render_all()
            assert "머신러닝" in body.text
            release.set()
            await until(pilot, lambda: screen.loaded, "the files read")
            assert screen.snapshot.complete and screen.snapshot.listing is None
            assert _rows(app) == listed
            assert _sidebar_all(app).startswith(f"All posts  {len(listed)} (+1 drafts hidden)")
    finally:
        release.set()


def _forty_posts(folder) -> None:
    """Posts named by date, as Jekyll's are: `2025-02-12-post-39.md` is the newest."""
    folder.mkdir(parents=True)
    for n in range(40):
        day = f"2025-{1 + n // 28:02d}-{1 + n % 28:02d}"
        (folder / f"{day}-post-{n:02d}.md").write_text(f"---\ntitle: 글 {n:02d}\n---\n본문 {n}.\n", "utf-8")


def _read_held_after(first: int, monkeypatch) -> threading.Event:
    """A first read that shows its first `first` posts, then holds (it "takes long": the test
    looks meanwhile) until the event is set."""
    from reader.posts import loading as snapshots

    monkeypatch.setattr(snapshots, "PARTIAL_AFTER", first)
    release, lock, started = threading.Event(), threading.Lock(), [0]
    original = snapshots.load_post

    def held(*args, **kwargs):
        with lock:
            started[0] += 1
            hold = started[0] > first
        if hold:
            release.wait(60)
        return original(*args, **kwargs)

    monkeypatch.setattr(snapshots, "load_post", held)
    return release


async def test_a_long_first_read_without_an_index_lists_the_newest_posts_read_so_far(tmp_path, monkeypatch):
    """No index yet, many posts: the first ones read (the newest by name) are listed and the
    newest opened while the rest are read; then every post is listed."""
    from tests.app_fixtures import app_for

    _forty_posts(tmp_path / "site" / "_posts")
    release = _read_held_after(8, monkeypatch)
    app = app_for(tmp_path / "site", tmp_path)
    try:
        async with app.run_test(size=SIZE) as pilot:
            screen = app.main
            body = screen.query_one(PostBody)
            await until(pilot, lambda: len(_rows(app)) == 8, "the first posts read, listed")
            assert not screen.loaded
            assert [title for _, title, _, _, _ in _rows(app)] == [f"글 {n}" for n in range(39, 31, -1)]
            await until(pilot, lambda: body.document is not None, "the newest post shown")
            assert screen.open_path == "_posts/2025-02-12-post-39.md" and "본문 39" in body.text
            await until(pilot, lambda: _sidebar_all(app).startswith("All posts  8/40…"), "the count: so far, of all")
            assert "(8/40…)" in str(app.main.query_one(PostList).border_title)
            release.set()
            await until(pilot, lambda: screen.loaded and len(_rows(app)) == 40, "every post listed")
            assert screen.open_path == "_posts/2025-02-12-post-39.md"
            await until(pilot, lambda: _sidebar_all(app).startswith("All posts  40"), "the whole count")
            assert "…" not in _sidebar_all(app) and "(40)" in str(app.main.query_one(PostList).border_title)
    finally:
        release.set()


async def test_a_read_mark_stays_on_its_post_through_a_long_first_read(tmp_path, monkeypatch):
    """The first posts read are not all the posts: one not among them is not gone, and its
    read mark does not move to an identical copy that is (as a rename would move it)."""
    from reader.posts.post import new_digest
    from reader.reading import ReadingState
    from tests.app_fixtures import app_for

    _forty_posts(tmp_path / "site" / "_posts")
    same = "---\ntitle: 다시 올린 글\n---\n같은 본문.\n"
    old, copy = "_posts/2020-01-01-original.md", "_posts/2026-01-01-reposted.md"  # the oldest, the newest
    (tmp_path / "site" / old).write_text(same, "utf-8")
    (tmp_path / "site" / copy).write_text(same, "utf-8")
    digest = new_digest()
    digest.update(same.encode())
    marks = ReadingState((tmp_path / "site").resolve())
    marks.set_read(old, digest.hexdigest())
    assert marks.save()
    release = _read_held_after(8, monkeypatch)
    app = app_for(tmp_path / "site", tmp_path)
    try:
        async with app.run_test(size=SIZE) as pilot:
            screen = app.main
            await until(pilot, lambda: len(screen.snapshot) == 8, "the first posts read, listed")
            assert copy in screen.snapshot.by_path and old not in screen.snapshot.by_path
            release.set()
            await until(pilot, lambda: screen.loaded and len(screen.snapshot) == 42, "every post read")
            assert screen.reading.is_read(old) and not screen.reading.is_read(copy)
    finally:
        release.set()


async def test_a_big_first_read_shared_with_helper_processes_lists_every_post(tmp_path, monkeypatch):
    """Past PROCESSES_FROM posts the first read runs in helper processes (spawned from inside
    Textual, whose stderr has no descriptor): the newest listed early, then every post."""
    from reader.posts import loading as snapshots
    from tests.app_fixtures import app_for, helper_chunks

    monkeypatch.setattr(snapshots, "PROCESSES_FROM", 10)
    monkeypatch.setattr(snapshots, "READ_CHUNK", 5)
    monkeypatch.setattr(snapshots, "PARTIAL_AFTER", 8)
    chunks = helper_chunks(monkeypatch)
    _forty_posts(tmp_path / "site" / "_posts")
    app = app_for(tmp_path / "site", tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = app.main
        await until(pilot, lambda: screen.loaded and len(_rows(app)) == 40, "every post listed")
        assert sum(chunks) == 40
        assert [title for _, title, _, _, _ in _rows(app)][:3] == ["글 39", "글 38", "글 37"]
        await until(pilot, lambda: screen.open_path == "_posts/2025-02-12-post-39.md", "the newest post shown")


async def test_the_whole_reads_taxonomy_is_made_off_the_screens_thread(tmp_path, monkeypatch):
    """Sorting the posts and counting their tags and categories (~80 ms at 10k posts) is done by
    the worker that read them, not by the screen adopting them while keys wait."""
    from reader.posts.taxonomy import Taxonomy
    from tests.app_fixtures import app_for

    _forty_posts(tmp_path / "site" / "_posts")
    built: list[tuple[int, bool]] = []  # (posts counted, on the event loop's thread)
    real = Taxonomy.build

    def build(posts):
        posts = list(posts)
        built.append((len(posts), threading.current_thread() is threading.main_thread()))
        return real(posts)

    monkeypatch.setattr(Taxonomy, "build", staticmethod(build))
    app = app_for(tmp_path / "site", tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: app.main.loaded and _sidebar_all(app).startswith("All posts  40"), "all listed")
    assert (40, False) in built and (40, True) not in built


async def test_once_the_posts_are_read_the_app_is_out_of_the_collectors_full_passes(make_app):
    """What the app holds once its posts are read (modules, widgets, the posts) is frozen: a full
    collection, set off by drawing a search's answer, walked it all again (50-80 ms at 1,000
    posts, while a key typed waited). A search still finds and shows its hits."""
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        screen = app.main
        tracked = {id(o) for o in gc.get_objects()}  # every generation the collector walks
        assert id(screen) not in tracked and id(screen.snapshot) not in tracked
        assert id(screen.query_one(PostList)) not in tracked
        await pilot.press("slash", *"머신러닝")
        found = lambda: screen.search_result is not None and screen.search_result.query == "머신러닝"  # noqa: E731
        await until(pilot, found, "the answer to the search")
        listed = [r.path for r in screen.query_one(PostList).rows]
        assert ML in listed and LINKS not in listed
