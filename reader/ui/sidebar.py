"""The sidebar: all posts, the category hierarchy, the tags and a date archive, each with counts.

Names are cut to the sidebar's width so the counts always show; j/k/g/G move.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual.binding import Binding
from textual.message import Message
from textual.widgets import Tree
from textual.widgets.tree import TreeNode

from reader.posts.stats import Stats, sparkline
from reader.posts.taxonomy import CategoryNode, Taxonomy
from reader.posts.text import cell_width, fit, printable
from reader.ui.i18n import t


@dataclass(frozen=True)
class Filter:
    """What the list shows: everything, the unread or bookmarked posts, one category (and
    below), one tag or one year or month."""

    kind: str = "all"  # "all", "unread", "bookmarks", "category", "tag", "month" (value `2020` or `2020-06`)
    value: str = ""

    @property
    def label(self) -> str:
        value = printable(self.value)
        if self.kind in ("all", "unread", "bookmarks"):
            return {"all": t("All posts"), "unread": "• " + t("Unread"), "bookmarks": "★ " + t("Bookmarks")}[self.kind]
        return {"category": f"📁 {value}", "tag": f"#{value}", "month": f"🗓 {value}"}[self.kind]


class Sidebar(Tree[Filter]):
    """A tree of filters; choosing a node posts `Sidebar.FilterChosen`."""

    BINDINGS = [
        Binding("j", "cursor_down", "Down", show=False),
        Binding("k", "cursor_up", "Up", show=False),
        Binding("g", "scroll_home", "First", show=False),
        Binding("G", "scroll_end", "Last", show=False),
        # Tree's own Enter, hinted at the bottom with the other keys: what it does here.
        Binding("enter", "select_cursor", "Show its posts"),
        Binding("space", "toggle_node", "Fold / unfold", show=False),
    ]

    class FilterChosen(Message):
        def __init__(self, chosen: Filter, opened: bool = False) -> None:
            super().__init__()
            self.filter = chosen
            # A folded node with children (a year, a category) just unfolded: the reader may go deeper.
            self.opened = opened

    def __init__(self, **kwargs: object) -> None:
        super().__init__(Text(t("Library")), data=Filter(), **kwargs)  # type: ignore[arg-type]
        self.show_root = False
        self.guide_depth = 2
        # Enter shows a node's posts: it unfolds a folded branch but never folds one away
        # (Tree's own toggle folded `Python` and its subcategories out of sight). Space folds.
        self.auto_expand = False
        self._loaded: tuple[Taxonomy, int, int, Stats | None, int, bool, int] | None = None
        self._unread: Stats | None = None
        self._width = 0

    def load(
        self,
        taxonomy: Taxonomy,
        total: int,
        drafts_hidden: int,
        unread: Stats | None = None,
        bookmarks: int = 0,
        marks: bool = False,
        expected: int = 0,
    ) -> None:
        """Fill the tree; `unread` counts the unread posts, shown dim beside each entry as `•N`
        when `marks` (something has been read). `expected`: the files a first read still reading
        will have read (`N/M…` beside all posts: the other counts are of the N so far)."""
        self._loaded = (taxonomy, total, drafts_hidden, unread, bookmarks, marks, expected)
        self._unread = unread if marks else None
        self._width = self._room()
        cursor = self.cursor_node.data if self.cursor_node is not None else None
        self.clear()
        label = Text.assemble((t("All posts"), "bold"), (f"  {total}/{expected}…" if expected else f"  {total}", "dim"))
        if self._unread is not None and self._unread.posts:
            label.append(f" •{self._unread.posts}", "dim")
        if drafts_hidden:
            label.append(t(" (+{count} drafts hidden)", count=drafts_hidden), "dim italic")
        self.root.add_leaf(label, data=Filter())
        self.root.add_leaf(self._label(Filter("unread").label, unread.posts if unread else 0, 0), data=Filter("unread"))
        self.root.add_leaf(self._label(Filter("bookmarks").label, bookmarks, 0), data=Filter("bookmarks"))
        categories = self.root.add(Text(t("Categories"), style="bold"), data=None, expand=True)
        for child in taxonomy.categories.sorted_children():
            self._add_category(categories, child, 1)
        tags = self.root.add(Text(t("Tags"), style="bold"), data=None, expand=True)
        for tag, count in taxonomy.sorted_tags():
            unread_here = self._unread.tag(tag) if self._unread else 0
            tags.add_leaf(self._label(f"#{printable(tag)}", count, 1, unread_here), data=Filter("tag", tag))
        archive = self.root.add(self._archive_label(taxonomy), data=None, expand=True)
        for year in taxonomy.archive:
            branch = archive.add(self._label(year.value, year.count, 1), data=Filter("month", year.value))
            for month in year.months:
                branch.add_leaf(self._label(month.value, month.count, 2), data=Filter("month", month.value))
        if cursor is not None:
            self._select(cursor)

    def _archive_label(self, taxonomy: Taxonomy) -> Text:
        """`Archive` and a sparkline of posts per month, the last months that fit, the newest last."""
        label = Text(t("Archive"), style="bold")
        room = self._width - cell_width(label.plain) - 2 - 2 - 1  # the tree's "▼ ", the gap, a margin
        months = Stats.from_taxonomy(taxonomy).last_months(min(room, 24))
        if len(months) > 1:
            label.append("  " + sparkline(months), "dim")
        return label

    def _room(self) -> int:
        """Cells for a label at depth 0: the sidebar's content width (a guess before layout)."""
        return self.scrollable_content_region.width or 26

    def _label(self, name: str, count: int, depth: int, unread: int = 0) -> Text:
        """`name  count` (and `•unread`), the name cut (with …) so the counts always show."""
        tail = f"  {count}" + (f" •{unread}" if unread else "")
        room = max(4, self._width - depth * self.guide_depth - 2 - cell_width(tail))
        if cell_width(name) > room:
            name = fit(name, room).rstrip()
        return Text.assemble(name, (tail, "dim"))

    def _add_category(self, parent: TreeNode[Filter], node: CategoryNode, depth: int) -> None:
        unread = self._unread.category(node.path) if self._unread else 0
        label = self._label(printable(node.name), node.count, depth, unread)
        value = Filter("category", "/".join(node.path))
        if node.children:
            branch = parent.add(label, data=value, expand=True)
            for child in node.sorted_children():
                self._add_category(branch, child, depth + 1)
        else:
            parent.add_leaf(label, data=value)

    def _select(self, wanted: Filter) -> None:
        def walk(node: TreeNode[Filter]) -> TreeNode[Filter] | None:
            if node.data == wanted:
                return node
            for child in node.children:
                found = walk(child)
                if found is not None:
                    return found
            return None

        found = walk(self.root)
        if found is not None:
            self.move_cursor(found)

    def on_resize(self) -> None:
        if self._loaded is not None and self._room() != self._width:
            self.load(*self._loaded)  # names cut to the new width

    def on_tree_node_selected(self, event: Tree.NodeSelected[Filter]) -> None:
        event.stop()
        node = event.node
        if node.data is None:
            return
        opened = bool(node.children) and not node.is_expanded
        if opened:
            node.expand()
        self.post_message(self.FilterChosen(node.data, opened))
