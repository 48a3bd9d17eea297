"""Posts edited, deleted and renamed outside the app, with the app running: the list follows."""

from __future__ import annotations

import threading

import pytest

from reader.library import Library
from reader.ui.file_changes import FileChangeActions
from reader.ui.link_panel import LinkPanel
from reader.ui.post_list import PostList
from reader.ui.post_view import PostBody
from tests.app_fixtures import (
    blog,  # noqa: F401  (a fixture)
    make_app,  # noqa: F401  (a fixture)
    open_row,
)
from tests.sites import write_blog
from tests.waiting import ready, shown, until

SIZE = (150, 45)


def post(title: str, date: str, body: str = "본문입니다.") -> str:
    return f"---\ntitle: {title}\ndate: {date}\n---\n{body}\n"


FILES = {
    "a.md": post("첫째 글", "2020-01-01"),
    "b.md": post("둘째 글", "2021-01-01"),
    "c.md": post("셋째 글", "2022-01-01", "긴 본문. " * 50),
}


def titles(app) -> list[tuple[str, str]]:
    return [(r.path, r.title) for r in app.main.query_one(PostList).rows]


def reports(monkeypatch) -> set[str]:
    """Every path the watcher reports to the screen from now on."""
    seen: set[str] = set()
    real = FileChangeActions.on_files_changed  # where the handler is (Textual calls each class's)
    monkeypatch.setattr(
        FileChangeActions, "on_files_changed", lambda self, message: seen.update(message.paths) or real(self, message)
    )
    return seen


def statuses(monkeypatch) -> list[str]:
    """Every status line the screen shows from now on."""
    from reader.ui.main_screen import MainScreen

    said: list[str] = []
    real = MainScreen.status
    monkeypatch.setattr(
        MainScreen, "status", lambda self, text, style="dim": said.append(text) or real(self, text, style)
    )
    return said


async def watching(pilot, app, monkeypatch) -> list[object]:
    """Ready, and every full read of the folder from now on recorded."""
    await ready(pilot)
    await until(pilot, lambda: app.main._watching, "watching")
    reads: list[object] = []
    real = app.library.read
    monkeypatch.setattr(app.library, "read", lambda *a, **k: reads.append(a) or real(*a, **k))
    return reads


async def test_a_post_edited_outside_shows_its_new_title_alone_read_again(make_app, tmp_path, monkeypatch):  # noqa: F811
    root = write_blog(tmp_path / "site", FILES)
    app = make_app(root, watch=True)
    async with app.run_test(size=SIZE) as pilot:
        reads = await watching(pilot, app, monkeypatch)
        post_list = app.main.query_one(PostList)
        post_list.cursor = 1  # the reader is on b.md
        await shown(pilot, "b.md")
        (root / "a.md").write_text(post("고친 제목", "2020-01-01"), encoding="utf-8")
        await until(pilot, lambda: ("a.md", "고친 제목") in titles(app), "the new title listed")
        assert titles(app) == [("c.md", "셋째 글"), ("b.md", "둘째 글"), ("a.md", "고친 제목")]
        assert post_list.cursor == 1 and app.main.open_path == "b.md"  # the reader's place kept
        # The open post edited: shown again, with its new text.
        (root / "b.md").write_text(post("둘째 글", "2021-01-01", "바뀐 본문"), encoding="utf-8")
        await until(pilot, lambda: "바뀐 본문" in app.main.query_one("#post-body").text, "the open post again")
        assert reads == []  # no full read: the changed files alone
        # The index follows: a search finds the new title.
        await until(pilot, lambda: app.library.index.manifest is not None and app.main.index_ready, "index")
        await until(
            pilot,
            lambda: [h.path for h in app.library.search("고친", snapshot=app.main.snapshot).hits] == ["a.md"],
            "the index has the new title",
        )


async def test_a_post_deleted_outside_leaves_the_list(make_app, tmp_path, monkeypatch):  # noqa: F811
    root = write_blog(tmp_path / "site", FILES)
    app = make_app(root, watch=True)
    async with app.run_test(size=SIZE) as pilot:
        reads = await watching(pilot, app, monkeypatch)
        (root / "b.md").unlink()
        await until(pilot, lambda: [p for p, _ in titles(app)] == ["c.md", "a.md"], "b.md gone from the list")
        (root / "d.md").write_text(post("넷째 글", "2023-01-01"), encoding="utf-8")
        await until(pilot, lambda: [p for p, _ in titles(app)] == ["d.md", "c.md", "a.md"], "d.md listed")
        assert reads == []


async def test_the_open_post_renamed_outside_stays_open_at_its_new_path(make_app, tmp_path, monkeypatch):  # noqa: F811
    root = write_blog(tmp_path / "site", FILES)
    app = make_app(root, watch=True)
    async with app.run_test(size=SIZE) as pilot:
        reads = await watching(pilot, app, monkeypatch)
        await shown(pilot, "c.md")
        (root / "c.md").rename(root / "c-renamed.md")
        await until(pilot, lambda: [p for p, _ in titles(app)] == ["c-renamed.md", "b.md", "a.md"], "renamed")
        await shown(pilot, "c-renamed.md")
        assert app.main.query_one(PostList).current.path == "c-renamed.md"
        assert reads == []


async def test_a_link_to_a_post_written_later_leads_to_it_once_written(make_app, tmp_path, monkeypatch):  # noqa: F811
    linking = "source/_posts/linking.md"
    root = write_blog(
        tmp_path / "site",
        {linking: "title: 잇는 글\ndate: 2020-02-02\n---\n먼저 {% post_link later-post %} 를 읽으세요.\n"},
    )
    app = make_app(root, watch=True)
    async with app.run_test(size=SIZE) as pilot:
        await watching(pilot, app, monkeypatch)
        await shown(pilot, linking)
        await pilot.press("l")
        panel = app.main.query_one(LinkPanel)
        await until(pilot, lambda: app.main.focused is panel and panel.links, "link panel")
        assert panel.links[0].broken
        (root / "source/_posts/later-post.md").write_text(post("나중에 쓴 글", "2020-03-03"), encoding="utf-8")
        await until(pilot, lambda: not panel.links[0].broken, "the link leads to the post written")
        assert panel.links[0].target == "source/_posts/later-post.md"
        assert "나중에 쓴 글  → source/_posts/later-post.md" in str(panel.get_option_at_index(0).prompt)
        body = app.main.query_one(PostBody)
        body.render_all()
        assert "먼저 나중에 쓴 글[1] 를 읽으세요." in body.text  # drawn by the title of the post it leads to
        assert app.main.open_path == linking


async def test_changes_are_read_one_read_at_a_time_even_before_the_last_is_adopted(make_app, tmp_path, monkeypatch):  # noqa: F811
    """A read of changed files is finished (its worker done) before the screen adopts its result.
    A change reported in between once started a second read beside the next one, and an older
    result landing last put a stale title back. Here the first read's result is held back until
    the second change is reported: the second read starts only after it, from its snapshot."""
    from reader.ui import messages

    root = write_blog(tmp_path / "site", FILES)
    app = make_app(root, watch=False)  # the watcher's messages are posted here, when the test says
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        screen = app.main
        started: list[frozenset[str]] = []
        real_read = screen.services.read_changes
        monkeypatch.setattr(
            screen.services, "read_changes", lambda paths, previous: started.append(paths) or real_read(paths, previous)
        )
        held: list[messages.ChangesRead] = []
        real_adopt = FileChangeActions.on_changes_read  # where the handler is (Textual calls each class's)
        monkeypatch.setattr(FileChangeActions, "on_changes_read", lambda self, m: held.append(m) if not held else None)
        (root / "a.md").write_text(post("고친 제목", "2020-01-01"), encoding="utf-8")
        screen.post_message(messages.FilesChanged(frozenset({str(root / "a.md")})))
        await until(pilot, lambda: held and screen._changes_worker.is_finished, "the first read done, not adopted")
        (root / "a.md").write_text(post("다시 고친 제목", "2020-01-01"), encoding="utf-8")
        screen.post_message(messages.FilesChanged(frozenset({str(root / "a.md")})))
        await pilot.pause()
        assert len(started) == 1  # no second read while the first one's result waits
        monkeypatch.setattr(FileChangeActions, "on_changes_read", real_adopt)
        real_adopt(screen, held[0])  # the first result adopted: the second read starts from it
        await until(pilot, lambda: ("a.md", "다시 고친 제목") in titles(app), "the last title listed")
        assert len(started) == 2 and titles(app)[-1] == ("a.md", "다시 고친 제목")


async def test_a_read_of_changes_that_failed_does_not_stop_the_next(make_app, tmp_path, monkeypatch):  # noqa: F811
    """The read of changed files raised (said in red, in the log): the changes after it are read."""
    from reader.ui import messages

    root = write_blog(tmp_path / "site", FILES)
    app = make_app(root, watch=False)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        screen = app.main
        real = app.library.read_changes
        calls: list[int] = []

        def failing_once(*args, **kwargs):
            calls.append(1)
            if len(calls) == 1:
                raise OSError("the disk went away for a moment")
            return real(*args, **kwargs)

        monkeypatch.setattr(app.library, "read_changes", failing_once)
        screen.post_message(messages.FilesChanged(frozenset({str(root / "a.md")})))
        await until(pilot, lambda: "reading changed posts failed" in str(screen.query_one("#status").render()), "said")
        (root / "a.md").write_text(post("고친 제목", "2020-01-01"), encoding="utf-8")
        screen.post_message(messages.FilesChanged(frozenset({str(root / "a.md")})))
        await until(pilot, lambda: ("a.md", "고친 제목") in titles(app), "the next change read")


@pytest.mark.parametrize("from_index", [False, True], ids=["first-run", "listed-from-the-index"])
async def test_posts_changed_during_the_first_read_show_as_they_are(make_app, tmp_path, monkeypatch, from_index):  # noqa: F811
    """The first read of the folder has read every file; before it is done, a post is edited and
    another renamed. The watcher, up before the read began, reported both: once the read is
    adopted they are read alone, and the list shows the new title at once, not at the post's
    next change. The folder is read once (10k posts: seconds), not again for a change."""
    from reader.posts import loading

    root = write_blog(tmp_path / "site", FILES)
    if from_index:  # the first screen from the index; the files are read after the first post
        Library(root, index_dir=tmp_path / "index").sync_index()
    has_read, release = threading.Event(), threading.Event()
    real_read_all = loading.read_all

    def read_then_wait(*args, **kwargs):  # the read's files read; the snapshot not made yet
        posts = real_read_all(*args, **kwargs)
        has_read.set()
        release.wait(60)
        return posts

    monkeypatch.setattr(loading, "read_all", read_then_wait)
    reads: list[object] = []
    real_read = Library.read
    monkeypatch.setattr(Library, "read", lambda self, *a, **k: reads.append(a) or real_read(self, *a, **k))
    reported = reports(monkeypatch)
    app = make_app(root, watch=True)
    try:
        async with app.run_test(size=SIZE) as pilot:
            await until(pilot, has_read.is_set, "the first read has read every file")
            assert len(reads) == 1
            (root / "a.md").write_text(post("고친 제목", "2020-01-01"), encoding="utf-8")
            (root / "b.md").rename(root / "b-moved.md")
            changed = {str(root / "a.md"), str(root / "b.md"), str(root / "b-moved.md")}
            await until(pilot, lambda: changed <= reported, "the changes reported during the read")
            release.set()
            await until(
                pilot,
                lambda: titles(app) == [("c.md", "셋째 글"), ("b-moved.md", "둘째 글"), ("a.md", "고친 제목")],
                "the list as the files are now",
            )
            await until(pilot, lambda: app.main._changes_worker is None and not app.main._changed_paths, "all read")
            assert app.library.snapshot.by_path["a.md"].title == "고친 제목" and "b.md" not in app.library.snapshot
            assert len(reads) == 1  # the changed files alone read after it, not the folder again
    finally:
        release.set()


async def test_a_post_changed_while_r_rereads_the_folder_is_read_alone_after_it(make_app, tmp_path, monkeypatch):  # noqa: F811
    """`r` reads every post again; a post edited meanwhile, after the read read it, is read alone
    once that read is adopted: the read is not begun again (at 10k posts, a change every second
    would have kept it from ever ending)."""
    from reader.posts import loading

    root = write_blog(tmp_path / "site", FILES)
    app = make_app(root, watch=True)
    has_read, release, hold = threading.Event(), threading.Event(), threading.Event()
    real_read_all = loading.read_all

    def read_then_wait(*args, **kwargs):
        posts = real_read_all(*args, **kwargs)
        if hold.is_set():
            has_read.set()
            release.wait(60)
        return posts

    monkeypatch.setattr(loading, "read_all", read_then_wait)
    try:
        async with app.run_test(size=SIZE) as pilot:
            reads = await watching(pilot, app, monkeypatch)
            reported = reports(monkeypatch)
            hold.set()
            await pilot.press("r")
            await until(pilot, has_read.is_set, "the read of every post has read the files")
            (root / "a.md").write_text(post("고친 제목", "2020-01-01"), encoding="utf-8")
            await until(pilot, lambda: str(root / "a.md") in reported, "the change reported")
            release.set()
            await until(pilot, lambda: ("a.md", "고친 제목") in titles(app), "the new title listed")
            assert len(reads) == 1  # `r`'s read, not a second one
    finally:
        release.set()


async def test_after_the_process_was_stopped_a_change_the_kernel_dropped_is_read(make_app, tmp_path, monkeypatch):  # noqa: F811
    """Stopped (SIGSTOP, a debugger, a frozen container) while a file is rewritten thousands of
    times, the kernel's queue of events overflows and drops every change after: here a post's new
    title. watchfiles 1.3 says nothing of the overflow; once the process runs again it gives the
    changes queued before it (the rewritten file alone), as measured. What the app sees is the
    silence: watchfiles asks its stop event every step, and none came for the time stopped. The
    folder is read again, once, and the post shows as it is."""
    import watchfiles

    from reader.ui import services

    root = write_blog(tmp_path / "site", FILES)
    clock = [1000.0]
    monkeypatch.setattr(services, "monotonic", lambda: clock[0])  # what times the watcher's asks
    stopped = threading.Event()

    def overflowing_watch(*paths, stop_event, step, **kwargs):
        """watchfiles' `watch` over such a stop: it asks `stop_event` every `step` ms."""
        while not stop_event.is_set():
            clock[0] += step / 1000
            if stopped.wait(step / 1000):
                stopped.clear()
                clock[0] += 30  # the process did not run for 30 s
                if stop_event.is_set():
                    return
                yield {(watchfiles.Change.modified, str(root / "notes.txt"))}  # before the overflow

    monkeypatch.setattr(watchfiles, "watch", overflowing_watch)
    app = make_app(root, watch=True)
    async with app.run_test(size=SIZE) as pilot:
        reads = await watching(pilot, app, monkeypatch)
        said = statuses(monkeypatch)
        (root / "notes.txt").write_text("7000번째로 고쳐 쓴 메모", encoding="utf-8")
        (root / "a.md").write_text(post("멈춘 사이 고친 제목", "2020-01-01"), encoding="utf-8")  # its events dropped
        stopped.set()
        await until(pilot, lambda: ("a.md", "멈춘 사이 고친 제목") in titles(app), "the lost change read")
        await until(pilot, lambda: app.main._changes_worker is None and not app.main._changed_paths, "all read")
        assert len(reads) == 1  # the folder read again once (a no-change read of 10k posts: ~0.1 s)
        assert "files changed · reloading…" in said


async def test_an_overflow_after_many_files_changed_reads_the_folder_again(make_app, tmp_path, monkeypatch):  # noqa: F811
    """Thousands of files changed while the process was stopped: the kernel's queue overflowed
    and watchfiles gave the first 4096 of them (as measured, 6000 files written), not a post
    changed after. So many paths make the folder read again, which finds the post changed."""
    from reader.ui import messages

    root = write_blog(tmp_path / "site", FILES)
    app = make_app(root, watch=False)  # the watcher's batch is posted here
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        said = statuses(monkeypatch)
        (root / "a.md").write_text(post("넘친 뒤에 고친 제목", "2020-01-01"), encoding="utf-8")
        written = frozenset(str(root / f"junk-{n}.txt") for n in range(4096))
        app.main.post_message(messages.FilesChanged(written))
        await until(pilot, lambda: ("a.md", "넘친 뒤에 고친 제목") in titles(app), "the folder read again")
        assert "files changed · reloading…" in said


async def test_the_hit_being_read_stays_open_when_an_edit_reorders_the_hits(make_app, tmp_path, monkeypatch):  # noqa: F811
    """A hit opened from a search, edited on disk so that it ranks lower: the search is answered
    again once the index follows, and the post stays open with the cursor on its new row (the
    new top hit was shown instead)."""
    files = {
        "a.md": post("그래프 기본 용어", "2020-01-01", "그래프 그래프 그래프 그래프 그래프."),
        "b.md": post("너비 우선 탐색", "2021-01-01", "그래프를 넓게 훑는다. 그래프."),
        "c.md": post("깊이 우선 탐색", "2022-01-01", "그래프를 깊게 훑는다."),
    }
    root = write_blog(tmp_path / "site", files)
    app = make_app(root, watch=True)
    async with app.run_test(size=SIZE) as pilot:
        await watching(pilot, app, monkeypatch)
        screen = app.main
        post_list = screen.query_one(PostList)
        await pilot.press("slash", *"그래프")
        await until(pilot, lambda: [r.path for r in post_list.rows][:1] == ["a.md"], "a.md the top hit")
        await pilot.press("enter")  # to the hits
        await until(pilot, lambda: screen.focused is post_list, "in the hits")
        await pilot.press("enter")  # a.md opened
        await shown(pilot, "a.md")
        first = screen.search_result
        (root / "a.md").write_text(post("기본 용어 (고침)", "2020-01-01", "고친 본문. 그래프."), encoding="utf-8")
        await until(
            pilot,
            lambda: screen.search_result is not first and [r.path for r in post_list.rows][:1] != ["a.md"],
            "the search answered again, a.md no longer first",
        )
        await pilot.pause()
        assert screen.open_path == "a.md"
        assert post_list.current is not None and post_list.current.path == "a.md"
        await until(pilot, lambda: "고친 본문" in screen.query_one(PostBody).text, "a.md shown with its new text")
        assert screen.open_path == "a.md"


async def test_an_older_reads_failure_does_not_release_the_changes_held_for_the_newer(make_app, tmp_path, monkeypatch):  # noqa: F811
    """A read of every post failed, and its failure is handled after `r` asked for another: the
    changes reported during the new read still wait for it (read before it is adopted, they
    could be undone by it: it may have read the file before its change)."""
    from reader.posts import loading
    from reader.ui import messages
    from reader.ui.services import READING_ALL

    root = write_blog(tmp_path / "site", FILES)
    has_read, release = threading.Event(), threading.Event()
    real_read_all = loading.read_all
    holding = [False]

    def read_then_wait(*args, **kwargs):
        posts = real_read_all(*args, **kwargs)
        if holding[0]:
            has_read.set()
            release.wait(60)
        return posts

    monkeypatch.setattr(loading, "read_all", read_then_wait)
    app = make_app(root, watch=True)
    try:
        async with app.run_test(size=SIZE) as pilot:
            await ready(pilot)
            await until(pilot, lambda: app.main._watching, "watching")
            screen = app.main
            holding[0] = True
            await pilot.press("r")  # the newer read, held once it has read the files
            await until(pilot, has_read.is_set, "the newer read has read every file")
            newer = screen._read_awaited
            assert newer is not None
            screen.post_message(messages.WorkFailed(READING_ALL, "reading posts failed: OSError", newer - 1))
            (root / "a.md").write_text(post("고친 제목", "2020-01-01"), encoding="utf-8")
            await until(pilot, lambda: str(root / "a.md") in screen._changed_paths, "the change reported, held")
            await pilot.pause()
            assert screen._read_awaited == newer and screen._changes_worker is None  # still held
            release.set()
            await until(pilot, lambda: ("a.md", "고친 제목") in titles(app), "the change read after the read")
    finally:
        release.set()


LINKING = {
    "a.md": post("첫째 글", "2020-01-01", "[둘째로](b.md) 가세요."),
    "b.md": post("둘째 글", "2021-01-01"),
    "c.md": post("셋째 글", "2022-01-01"),
}


async def opened_with_its_links(pilot, app, monkeypatch) -> None:
    """Watching; a.md open, its link to b.md resolved against the snapshot shown."""
    await watching(pilot, app, monkeypatch)
    screen = app.main
    await open_row(pilot, "a.md")
    await until(pilot, lambda: screen._links_from is not None and screen._links_from[1] is screen.snapshot, "resolved")


async def test_links_are_resolved_again_only_for_a_change_that_can_move_them(make_app, tmp_path, monkeypatch):  # noqa: F811
    """The open post links to b.md. A title edited in c.md leaves its links as they are (each
    resolve of a long post's links held the GIL while the next change was read); a title edited
    in b.md, the post it links to, has them resolved again (the panel titles a link by its post)."""
    root = write_blog(tmp_path / "site", LINKING)
    app = make_app(root, watch=True)
    async with app.run_test(size=SIZE) as pilot:
        await opened_with_its_links(pilot, app, monkeypatch)
        screen = app.main
        await pilot.press("l")
        panel = screen.query_one(LinkPanel)
        await until(pilot, lambda: panel.links and panel.links[0].target == "b.md", "a.md's link to b.md")
        asked: list[object] = []
        real = screen.services.resolve_links
        monkeypatch.setattr(screen.services, "resolve_links", lambda *a: asked.append(a) or real(*a))
        (root / "c.md").write_text(post("셋째 글 고침", "2022-01-01"), encoding="utf-8")
        await until(pilot, lambda: ("c.md", "셋째 글 고침") in titles(app), "c.md's new title listed")
        assert asked == [] and screen._links_from[1] is screen.snapshot  # the same links, of the new snapshot
        (root / "b.md").write_text(post("둘째 글 고침", "2021-01-01"), encoding="utf-8")
        await until(pilot, lambda: ("b.md", "둘째 글 고침") in titles(app), "b.md's new title listed")
        await until(pilot, lambda: len(asked) == 1 and screen._links_from[1] is screen.snapshot, "resolved again")


async def test_a_resolve_landing_after_an_unrelated_edit_asks_for_no_other(make_app, tmp_path, monkeypatch):  # noqa: F811
    """b.md, which the open post links to, is edited: its links are resolved again, and while
    that resolve runs c.md is edited. The resolve that lands holds for the posts as they are
    now: no other is asked for (each asked for another, a chain as long as the edits went on)."""
    root = write_blog(tmp_path / "site", LINKING)
    app = make_app(root, watch=True)
    async with app.run_test(size=SIZE) as pilot:
        await opened_with_its_links(pilot, app, monkeypatch)
        screen = app.main
        asked, started, release = [], threading.Event(), threading.Event()
        real = app.library.resolve_links

        def held(*args):
            asked.append(args)
            started.set()
            release.wait(60)
            return real(*args)

        monkeypatch.setattr(app.library, "resolve_links", held)
        try:
            (root / "b.md").write_text(post("둘째 글 고침", "2021-01-01"), encoding="utf-8")
            await until(pilot, started.is_set, "b.md's edit: a.md's links resolved again, held")
            (root / "c.md").write_text(post("셋째 글 고침", "2022-01-01"), encoding="utf-8")
            await until(pilot, lambda: ("c.md", "셋째 글 고침") in titles(app), "c.md's new title listed")
            release.set()
            await until(pilot, lambda: screen._links_from[1] is screen.snapshot, "the links hold for the posts now")
            await pilot.pause()
            assert len(asked) == 1
        finally:
            release.set()
