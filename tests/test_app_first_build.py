"""The app's first index: a big blog's bodies are not held while it is built (the scan and the
build read the files), and the worker processes that build it start from inside Textual."""

from __future__ import annotations

from reader import library as library_module
from reader.library import Library
from reader.search import indexer, workers
from reader.search.store import storage
from reader.ui.app import build_app
from reader.ui.post_list import PostList
from reader.ui.post_view import PostBody
from tests.app_fixtures import hold_first_build, hold_library
from tests.sites import write_blog
from tests.waiting import shown, until

SIZE = (150, 45)
ML = "_posts/2025-11-20-machine-learning.md"
# While the index is built: a word with a particle, 초성 (read from the bodies), a word in one
# body alone, a tag with a word, and a word no post holds.
SCANNED = ["머신러닝을", "ㅁㅅㄹㄴ", "프레임워크", "tag:python 데이터", "없는낱말"]


def status(app) -> str:
    return str(app.main.query_one("#status").render())


def rows(app) -> list[str]:
    return [r.path for r in app.main.query_one(PostList).rows]


async def search(pilot, text: str) -> None:
    screen = pilot.app.main
    if not screen.search_box.active:
        await pilot.press("slash")
    screen.search_box.value = ""
    await pilot.press(*text)
    await until(
        pilot, lambda: screen.search_result is not None and screen.search_result.query == text, f"results for {text}"
    )


async def what_a_user_sees(tmp_path, monkeypatch, held_up_to: int) -> tuple[list[object], bool]:
    """Searches typed while the first index is built and after, a post opened meanwhile; and
    whether the app held the posts' bodies while it built."""
    monkeypatch.setattr(library_module, "BODIES_HELD_UP_TO", held_up_to)
    root = write_blog(tmp_path / f"site-{held_up_to}")
    release = hold_first_build(monkeypatch)  # until the searches are typed
    app = build_app(root, index_dir=tmp_path / f"index-{held_up_to}", watch=False, settings_path=tmp_path / "c.toml")
    seen: list[object] = []
    try:
        async with app.run_test(size=SIZE) as pilot:
            screen = app.main
            await until(pilot, lambda: screen.loaded and not screen.index_ready, "posts read, index not built")
            bodies_held = not any(post.stub for post in app.library.snapshot.posts)
            for query in SCANNED:
                await search(pilot, query)
                assert screen.search_result is not None and screen.search_result.scanned
                # The search's part of the line: the build's progress may follow it, or not yet
                # (a progress message late on a busy machine made the two runs differ).
                assert status(app).startswith(screen.search_note), status(app)
                seen.append((query, rows(app), screen.search_note))
            await pilot.press("escape")
            screen.show_post(ML, False)
            await shown(pilot, ML)
            body = app.main.query_one(PostBody)
            await until(pilot, lambda: "머신러닝을 다시 봅니다" in body.text, "the post's last line on screen")
            seen.append(screen.open_post_data.body)
            release.set()
            await until(pilot, lambda: screen.index_ready, "the index built")
            for query in ["머신러닝을", "쉬어"]:  # the second in the body alone: the build read it
                await search(pilot, query)
                assert screen.search_result is not None and not screen.search_result.scanned
                seen.append((query, rows(app), status(app)))
    finally:
        release.set()
    return seen, bodies_held


async def test_a_blog_too_big_to_hold_is_searched_and_indexed_from_its_files_alike(tmp_path, monkeypatch):
    small, small_held = await what_a_user_sees(tmp_path, monkeypatch, library_module.BODIES_HELD_UP_TO)
    big, big_held = await what_a_user_sees(tmp_path, monkeypatch, 0)  # every blog is past it
    assert small_held and not big_held
    assert big == small
    assert small[0] == ("머신러닝을", [ML], "1 post matches · from a scan while the index is built")
    assert small[1][1] == [ML] and small[2][1] == ["_posts/2025-08-01-django.md"]
    assert small[4][2].startswith("no posts contain 없는낱말")
    assert "머신러닝을 다시 봅니다" in str(small[5])
    assert small[-1][:2] == ("쉬어", [ML])


async def test_the_first_build_in_the_app_runs_in_worker_processes(tmp_path, monkeypatch):
    """A blog of a few hundred posts is built in two worker processes, not in the app's own (its
    build held the GIL: at 1,000 posts a search typed meanwhile waited 6 s, a key 0.3 s).

    Textual stands in for sys.stderr with an object that has no file descriptor: starting
    the workers' resource tracker from the app once failed on it, and the index never came."""
    started: list[int] = []
    real_new_task = workers.ParallelWriter._new_task

    def new_task(self):
        task = real_new_task(self)
        started.append(task.pid)
        return task

    monkeypatch.setattr(library_module, "BODIES_HELD_UP_TO", 0)  # a big blog's bodies: read from the files
    monkeypatch.setattr(workers.ParallelWriter, "_new_task", new_task)
    files = {
        f"_posts/2020-01-{n % 28 + 1:02d}-post-{n}.md": f"---\ntitle: 글 {n}\n---\n"
        + "데이터 분석과 머신러닝 이야기. " * 40
        + f"\n고유어{n}\n"
        for n in range(300)
    }
    root = write_blog(tmp_path / "site", files)
    app = build_app(root, index_dir=tmp_path / "index", watch=False, settings_path=tmp_path / "c.toml")
    async with app.run_test(size=SIZE) as pilot:
        screen = app.main
        await until(pilot, lambda: screen.index_ready, "the index built", timeout=120)
        assert len(started) == 2  # both worker processes wrote it
        assert "index ready" in status(app), status(app)
        await search(pilot, "고유어123")
        result = screen.search_result
        assert result is not None and not result.scanned  # from the index, not a scan of the posts
        assert rows(app) == ["_posts/2020-01-12-post-123.md"]
        assert "1 post matches" in status(app), status(app)


def test_a_parallel_build_writes_a_segment_every_so_many_posts_a_worker(tmp_path, monkeypatch):
    """A worker's postings are held until its segment is written: a big build's workers write
    several, each post in one of them."""
    monkeypatch.setattr(indexer, "PARALLEL_BUILD_FROM", 10)
    monkeypatch.setattr(workers, "SEGMENT_POSTS", 100)  # the parent's value reaches the spawned workers
    files = {
        f"_posts/2020-01-01-post-{n}.md": f"---\ntitle: 글 {n}\n---\n머신러닝 이야기 고유어{n}\n" for n in range(700)
    }
    root = write_blog(tmp_path / "site", files)
    library = Library(root, index_dir=tmp_path / "index")
    report = library.sync_index()
    assert report.added == 700
    generation = tmp_path / "index" / (tmp_path / "index" / "CURRENT").read_text()
    index = storage(str(generation)).open_index()
    sizes = sorted(segment.doc_count_all() for segment in index._segments())
    index.close()
    # 7 jobs of 100 posts: each worker's segments hold 100 posts (the last may hold fewer).
    assert sum(sizes) == 700 and len(sizes) >= 6 and max(sizes) <= 100, sizes
    for n in (0, 345, 699):
        assert [h.path for h in library.search(f"고유어{n}").hits] == [f"_posts/2020-01-01-post-{n}.md"]
    assert library.search("머신러닝").total == 700


async def test_a_search_typed_while_the_posts_are_read_is_answered_once_they_are(tmp_path, monkeypatch):
    root = write_blog(tmp_path / "site")
    release = hold_first_build(monkeypatch)  # the index is not ready until the end: the scan answers
    reading = hold_library(monkeypatch, "read")
    app = build_app(root, index_dir=tmp_path / "index", watch=False, settings_path=tmp_path / "c.toml")
    async with app.run_test(size=SIZE) as pilot:
        screen = app.main
        await pilot.press("slash", *"머신러닝을")
        await until(pilot, lambda: "still being read" in status(app), "told the posts are still being read")
        reading.set()
        await until(pilot, lambda: screen.search_result is not None, "results, without waiting for the index")
        assert screen.search_result.scanned and ML in rows(app)
        assert not screen.index_ready
        release.set()


async def test_a_long_scan_shows_the_hits_found_so_far_then_the_whole_answer(tmp_path, monkeypatch):
    """A big blog's first build: a common word's scan took minutes to answer (every post read
    first). The hits found so far are shown while it reads on, and how far it has read; then
    the whole answer replaces them. The scan is held after its second hit, as a slow disk would."""
    import re
    import threading

    from reader.search import scan
    from tests.sites import BLOG

    marked = {
        f"_posts/2024-0{n}-01-note-{n}.md": f"---\ntitle: 메모 {n}\n---\n책갈피를 남긴다. {n}\n" for n in range(1, 6)
    }
    root = write_blog(tmp_path / "site", {**BLOG, **marked})
    monkeypatch.setattr(scan, "SO_FAR_FIRST", 0.0)
    monkeypatch.setattr(scan, "SO_FAR_EVERY", 0.0)
    gate, this_query = threading.Event(), threading.local()
    real_search, real_read = scan.scan_search, scan._read_each

    def search_noted(posts, text, *args, **kwargs):
        this_query.held = text == "책갈피"  # the word typed whole, not its first syllables
        return real_search(posts, text, *args, **kwargs)

    def read_held(*args, **kwargs):
        found = 0
        for item in real_read(*args, **kwargs):
            found += "책갈피" in item[3]
            if found == 3 and getattr(this_query, "held", False):
                gate.wait(timeout=60)
            yield item

    monkeypatch.setattr(scan, "scan_search", search_noted)
    monkeypatch.setattr(scan, "_read_each", read_held)
    release = hold_first_build(monkeypatch)
    app = build_app(root, index_dir=tmp_path / "index", watch=False, settings_path=tmp_path / "c.toml")
    try:
        async with app.run_test(size=SIZE) as pilot:
            screen = app.main
            await until(pilot, lambda: screen.loaded and not screen.index_ready, "posts read, index not built")
            await pilot.press("slash", *"책갈피")
            await until(pilot, lambda: "2 posts found so far" in status(app), "the hits so far")
            assert len(rows(app)) == 2 and set(rows(app)) < set(marked)
            read = re.search(r"still reading the posts: (\d+) of (\d+)$", status(app))
            assert read is not None and 0 < int(read[1]) < int(read[2]), status(app)
            gate.set()
            await until(pilot, lambda: "5 posts match" in status(app), "the whole answer")
            assert sorted(rows(app)) == sorted(marked)
            assert "from a scan while the index is built" in status(app) and "so far" not in status(app)
    finally:
        gate.set()
        release.set()
