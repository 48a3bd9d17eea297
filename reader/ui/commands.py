"""Command palette entries: open a post by title, filter by tag or category; then Textual's own."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from rich.text import Text
from textual.command import DiscoveryHit, Hit, Hits
from textual.fuzzy import FuzzySearch
from textual.system_commands import SystemCommandsProvider

from reader.posts.text import printable
from reader.search.hangul import initials_regex
from reader.ui.i18n import t
from reader.ui.main_screen import MainScreen
from reader.ui.sidebar import Filter

RECENT = 8  # posts read last, offered when the palette opens
BOOKMARKS = 8  # bookmarked posts offered when it opens (typing `bookmark` finds them all)
INITIALS_SCORE = 0.5  # below a good fuzzy match, above a poor one


class PostCommands(SystemCommandsProvider):
    """`open: <title>` for every post, `bookmark: <title>`, `filter: #tag`, `filter: 📁 category`,
    `filter: • Unread` and `filter: ★ Bookmarks`; then Textual's commands (theme, keys, quit…).

    One provider for both: the palette shows the hits of several providers in the order they
    come, and Textual's came first (a set of providers, searched at once)."""

    @property
    def main(self) -> MainScreen | None:
        screen = self.screen
        return screen if isinstance(screen, MainScreen) else None

    def _candidates(self, main: MainScreen) -> list[tuple[str, Callable[[], object]]]:
        snapshot = main.snapshot
        out: list[tuple[str, Callable[[], object]]] = []
        for path in main.reading.bookmarks():
            if (post := snapshot.by_path.get(path)) is not None:
                out.append((t("bookmark: {title}", title=printable(post.title)), partial(main.open_post, post.path)))
        for post in snapshot.posts:
            out.append((t("open: {title}", title=printable(post.title)), partial(main.open_post, post.path)))
        for kind in ("unread", "bookmarks"):
            out.append((t("filter: {label}", label=Filter(kind).label), partial(main.apply_filter, Filter(kind))))
        for tag, _ in snapshot.taxonomy.sorted_tags():
            out.append(
                (t("filter: {label}", label=f"#{printable(tag)}"), partial(main.apply_filter, Filter("tag", tag)))
            )
        for path in sorted(
            {"/".join(p[:d]) for post in snapshot.posts for p in post.categories for d in range(1, len(p) + 1)}
        ):
            out.append(
                (
                    t("filter: {label}", label=f"📁 {printable(path)}"),
                    partial(main.apply_filter, Filter("category", path)),
                )
            )
        return out

    async def discover(self) -> Hits:
        """Before anything is typed: the bookmarked posts, the posts read last, the way back to
        all posts; then Textual's commands."""
        main = self.main
        if main is not None:
            async for hit in self._discover_posts(main):
                yield hit
        async for hit in super().discover():
            yield hit

    async def _discover_posts(self, main: MainScreen) -> Hits:
        for path in main.reading.bookmarks()[:BOOKMARKS]:
            post = main.snapshot.by_path.get(path)
            if post is not None:
                label = t("bookmark: {title}", title=printable(post.title))
                yield DiscoveryHit(Text(label), partial(main.open_post, post.path), text=label)
        for path in main.positions.recent(RECENT, leave_out=set(main.reading.bookmarks())):  # listed above
            post = main.snapshot.by_path.get(path)
            if post is not None:
                label = t("recent: {title}", title=printable(post.title))
                yield DiscoveryHit(Text(label), partial(main.open_post, post.path), text=label)
        yield DiscoveryHit(Text(t("filter: All posts")), partial(main.apply_filter, Filter()))

    async def search(self, query: str) -> Hits:
        """Fuzzy on the label, as Textual's palette does, or by 초성 (`ㅁㅅㄹㄴ` finds 머신러닝);
        then Textual's commands that match."""
        main = self.main
        if main is not None:
            matcher = self.matcher(query)
            initials = initials_regex(query)
            # Korean compounds are spaced either way (`로지스틱 회귀`, `로지스틱회귀`): a query
            # with a space is matched again without its spaces, on the label without its own.
            # (One without spaces matches across a label's: the fuzzy match skips letters.)
            joined = "".join(query.split()) if any(c.isspace() for c in query.strip()) else None
            for label, callback in self._candidates(main):
                score = matcher.match(label)
                if score > 0:
                    yield Hit(score, matcher.highlight(label), callback)
                elif joined and (unspaced := _unspaced_match(joined, label)) is not None:
                    yield Hit(*unspaced, callback)
                elif initials is not None and (found := initials.search(label)):
                    text = Text(label)
                    text.stylize("reverse", *found.span())
                    yield Hit(INITIALS_SCORE, text, callback)
        async for hit in super().search(query):
            yield hit


_FUZZY = FuzzySearch()


def _unspaced_match(joined: str, label: str) -> tuple[float, Text] | None:
    """The fuzzy match of `joined` (a query without its spaces) on `label` without its spaces:
    the score, and the label with the letters matched marked. None if it does not match."""
    compact = "".join(label.split())
    folded = compact.lower()
    if not all(c in folded for c in joined.lower()):
        return None  # a letter it does not hold (most labels): told before the fuzzy match's work
    score, offsets = _FUZZY.match(joined, compact)
    if not score:
        return None
    kept = [i for i, c in enumerate(label) if not c.isspace()]  # a letter's place in the label
    text = Text(label)
    for offset in offsets:
        text.stylize("reverse", kept[offset], kept[offset] + 1)
    return score, text
