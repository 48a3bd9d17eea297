"""Posts edited, deleted and renamed outside the app, with the app running: the list follows."""

from __future__ import annotations

from reader.ui.link_panel import LinkPanel
from reader.ui.post_list import PostList
from reader.ui.post_view import PostBody
from tests.app_fixtures import (
    blog,  # noqa: F401  (a fixture)
    make_app,  # noqa: F401  (a fixture)
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
        real_adopt = type(screen).on_changes_read
        monkeypatch.setattr(type(screen), "on_changes_read", lambda self, m: held.append(m) if not held else None)
        (root / "a.md").write_text(post("고친 제목", "2020-01-01"), encoding="utf-8")
        screen.post_message(messages.FilesChanged(frozenset({str(root / "a.md")})))
        await until(pilot, lambda: held and screen._changes_worker.is_finished, "the first read done, not adopted")
        (root / "a.md").write_text(post("다시 고친 제목", "2020-01-01"), encoding="utf-8")
        screen.post_message(messages.FilesChanged(frozenset({str(root / "a.md")})))
        await pilot.pause()
        assert len(started) == 1  # no second read while the first one's result waits
        monkeypatch.setattr(type(screen), "on_changes_read", real_adopt)
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
