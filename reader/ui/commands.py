"""Command palette entries: open a post by title, filter by tag or category."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from rich.text import Text
from textual.command import DiscoveryHit, Hit, Hits, Provider

from reader.ui.sidebar import Filter

if TYPE_CHECKING:
    from reader.ui.app import ReaderApp


class PostCommands(Provider):
    """`open: <title>` for every post, `filter: #tag` and `filter: 📁 category`."""

    @property
    def reader_app(self) -> ReaderApp:
        return self.app  # type: ignore[return-value]

    def _candidates(self) -> list[tuple[str, object]]:
        library = self.reader_app.library
        out: list[tuple[str, object]] = []
        for post in library.posts:
            out.append((f"open: {post.title}", partial(self.reader_app.open_post, post.path)))
        for tag, _ in library.taxonomy.sorted_tags():
            out.append((f"filter: #{tag}", partial(self.reader_app.apply_filter, Filter("tag", tag))))
        for path in sorted({"/".join(p[:d]) for post in library.posts for p in post.categories
                            for d in range(1, len(p) + 1)}):
            out.append((f"filter: 📁 {path}", partial(self.reader_app.apply_filter, Filter("category", path))))
        return out

    async def discover(self) -> Hits:
        yield DiscoveryHit(Text("filter: All posts"), partial(self.reader_app.apply_filter, Filter()))

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for label, callback in self._candidates():
            score = matcher.match(label)
            if score > 0:
                yield Hit(score, Text(label), callback)  # type: ignore[arg-type]
