"""The post pane: the post's header (title, dates, taxonomy, path, warnings) over its body."""

from __future__ import annotations

from rich.style import Style
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Static

from reader.posts.document import Document
from reader.posts.post import Post
from reader.posts.text import printable
from reader.ui.i18n import t
from reader.ui.post_view import PostBody
from reader.ui.render import RenderState


class PostHeader(Static):
    """Title, dates, taxonomy, path and warnings; all plain text."""

    DEFAULT_CSS = "PostHeader { height: auto; padding: 0 1; border-bottom: solid $primary-darken-2; }"


def header_text(post: Post) -> Text:
    text = Text()
    text.append(printable(post.title), Style(bold=True))
    text.append("\n")
    facts = []
    if post.date:
        facts.append(post.date.strftime("%Y-%m-%d %H:%M"))
    if post.updated:
        facts.append(t("updated {date}", date=post.updated.strftime("%Y-%m-%d")))
    if post.draft:
        facts.append(t("DRAFT"))
    text.append("  ·  ".join(facts), Style(dim=True))
    if post.categories:
        text.append("\n")
        text.append(printable("  ".join("📁 " + name for name in post.category_names)), Style(color="green"))
    if post.tags:
        text.append("\n")
        text.append(printable(" ".join("#" + tag for tag in post.tags)), Style(color="cyan"))
    text.append("\n")
    text.append(printable(post.path), Style(dim=True, italic=True))
    for warning in post.warnings:
        text.append("\n⚠ " + printable(warning), Style(color="yellow"))
    return text


class PostPane(Vertical):
    """The header over the body; the screen gives it posts to show."""

    DEFAULT_CSS = "PostPane { height: 1fr; } PostBody { height: 1fr; }"

    def compose(self) -> ComposeResult:
        yield PostHeader(Text(t("Select a post"), style="dim"), id="post-header")
        yield PostBody(id="post-body")

    def show_header(self, post: Post) -> None:
        self.query_one(PostHeader).update(header_text(post))

    def show(self, post: Post, document: Document | None, state: RenderState) -> None:
        self.show_header(post)
        self.query_one(PostBody).show(document, state)

    def clear(self, message: str) -> None:
        self.query_one(PostHeader).update(Text(printable(message), style="dim"))
        self.query_one(PostBody).show(None, RenderState())

    @property
    def body(self) -> PostBody:
        return self.query_one(PostBody)
