"""The post pane: the post's header (title, dates, taxonomy, path, warnings) over its body."""

from __future__ import annotations

from datetime import datetime

from rich.style import Style
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Static

from reader.posts.document import Document
from reader.posts.post import Post
from reader.posts.text import printable
from reader.ui.i18n import t, tell
from reader.ui.post_view import PostBody
from reader.ui.render import RenderState

SHORT = 30  # rows: below this the header is always one line


class PostHeader(Static):
    """Title, dates, taxonomy, path and warnings; all plain text. One line once the reader
    has scrolled into the post, so the text gets the rows."""

    DEFAULT_CSS = """
    PostHeader { height: auto; padding: 0 1; border-bottom: solid $primary-darken-2; }
    PostHeader.-compact { text-wrap: nowrap; text-overflow: ellipsis; }
    """


def _when(moment: datetime) -> str:
    """`2020-06-27 14:30`, or only the date for a post that gave none (midnight)."""
    if (moment.hour, moment.minute, moment.second) == (0, 0, 0):
        return moment.strftime("%Y-%m-%d")
    return moment.strftime("%Y-%m-%d %H:%M")


def _facts(post: Post) -> list[str]:
    facts = []
    if post.date:
        facts.append(_when(post.date))
    if post.updated and (post.date is None or post.updated.date() != post.date.date()):
        facts.append(t("updated {date}", date=post.updated.strftime("%Y-%m-%d")))
    if post.draft:
        facts.append(t("DRAFT"))
    return facts


def header_text(post: Post, compact: bool = False) -> Text:
    """The full header: title; dates, categories and tags on one line; path; warnings.
    `compact`: the title and the date only, on one line."""
    text = Text(no_wrap=compact, overflow="ellipsis")
    text.append(printable(post.title), Style(bold=True))
    facts = _facts(post)
    if compact:
        if facts:
            text.append("  ·  " + facts[0], Style(dim=True))
        return text
    text.append("\n")
    text.append("  ·  ".join(facts), Style(dim=True))
    if post.categories:
        text.append("  ")
        text.append(printable("  ".join("📁 " + name for name in post.category_names)), Style(color="green"))
    if post.tags:
        text.append("  ")
        text.append(printable(" ".join("#" + tag for tag in post.tags)), Style(color="cyan"))
    text.append("\n")
    text.append(printable(post.path), Style(dim=True, italic=True))
    for warning in post.warnings:
        text.append("\n⚠ " + printable(tell(warning)), Style(color="yellow"))
    return text


class PostPane(Vertical):
    """The header over the body; the screen gives it posts to show."""

    DEFAULT_CSS = "PostPane { height: 1fr; } PostBody { height: 1fr; }"

    def compose(self) -> ComposeResult:
        yield PostHeader(Text(t("Select a post"), style="dim"), id="post-header")
        yield PostBody(id="post-body")

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.post: Post | None = None
        self.compact = False

    @property
    def short(self) -> bool:
        """A terminal this short keeps the header to one line: the text needs the rows."""
        return self.app.size.height < SHORT

    def show_header(self, post: Post) -> None:
        self.post, self.compact = post, self.short
        header = self.query_one(PostHeader)
        header.set_class(self.compact, "-compact")
        header.update(header_text(post, self.compact))

    def show(self, post: Post, document: Document | None, state: RenderState) -> None:
        self.show_header(post)
        self.query_one(PostBody).show(document, state)

    def on_post_body_moved(self, event: PostBody.Moved) -> None:
        """Into the post: the header folds to one line; back at the top: all of it."""
        compact = event.line > 0 or self.short
        if self.post is not None and compact != self.compact:
            self.compact = compact
            header = self.query_one(PostHeader)
            header.set_class(compact, "-compact")  # one line, cut with an ellipsis, at any width
            header.update(header_text(self.post, compact))

    def clear(self, message: str) -> None:
        self.post = None
        self.query_one(PostHeader).update(Text(printable(message), style="dim"))
        self.query_one(PostBody).show(None, RenderState())

    @property
    def body(self) -> PostBody:
        return self.query_one(PostBody)
