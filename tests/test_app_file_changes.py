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
