"""The sidebar: all posts, the category hierarchy and the tags, each with counts."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual.message import Message
from textual.widgets import Tree
from textual.widgets.tree import TreeNode

from reader.posts.taxonomy import CategoryNode, Taxonomy
from reader.posts.text import printable
from reader.ui.i18n import t


@dataclass(frozen=True)
class Filter:
    """What the list shows: everything, one category (and below) or one tag."""

    kind: str = "all"  # "all", "category", "tag"
    value: str = ""

    @property
    def label(self) -> str:
        value = printable(self.value)
        return {"all": t("All posts"), "category": f"📁 {value}", "tag": f"#{value}"}[self.kind]


class Sidebar(Tree[Filter]):
    """A tree of filters; choosing a node posts `Sidebar.FilterChosen`."""

    class FilterChosen(Message):
        def __init__(self, chosen: Filter) -> None:
            super().__init__()
            self.filter = chosen

    def __init__(self, **kwargs: object) -> None:
        super().__init__(Text(t("Library")), data=Filter(), **kwargs)  # type: ignore[arg-type]
        self.show_root = False
        self.guide_depth = 2

    def load(self, taxonomy: Taxonomy, total: int, drafts_hidden: int) -> None:
        self.clear()
        label = Text.assemble((t("All posts"), "bold"), (f"  {total}", "dim"))
        if drafts_hidden:
            label.append(t(" (+{count} drafts hidden)", count=drafts_hidden), "dim italic")
        self.root.add_leaf(label, data=Filter())
        categories = self.root.add(Text(t("Categories"), style="bold"), data=None, expand=True)
        for child in taxonomy.categories.sorted_children():
            self._add_category(categories, child)
        tags = self.root.add(Text(t("Tags"), style="bold"), data=None, expand=True)
        for tag, count in taxonomy.sorted_tags():
            tags.add_leaf(Text.assemble(f"#{printable(tag)}", (f"  {count}", "dim")), data=Filter("tag", tag))

    def _add_category(self, parent: TreeNode[Filter], node: CategoryNode) -> None:
        label = Text.assemble(printable(node.name), (f"  {node.count}", "dim"))
        value = Filter("category", "/".join(node.path))
        if node.children:
            branch = parent.add(label, data=value, expand=True)
            for child in node.sorted_children():
                self._add_category(branch, child)
        else:
            parent.add_leaf(label, data=value)

    def on_tree_node_selected(self, event: Tree.NodeSelected[Filter]) -> None:
        event.stop()
        if event.node.data is not None:
            self.post_message(self.FilterChosen(event.node.data))
