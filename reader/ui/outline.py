"""The outline panel (`t`): the open post's headings as a tree; the section being read is marked.

Enter (or a click) on a heading scrolls the post to it. As the post scrolls,
the cursor follows the last heading above the top of the view.
"""

from __future__ import annotations

from rich.text import Text
from textual.binding import Binding
from textual.message import Message
from textual.widgets import Tree
from textual.widgets.tree import TreeNode

from reader.posts.document import Document, Heading
from reader.posts.text import printable
from reader.ui.i18n import t


class Outline(Tree[Heading]):
    """One node per heading, nested by level (a level skipped nests under the nearest above)."""

    BINDINGS = [
        Binding("j", "cursor_down", "Down", show=False),
        Binding("k", "cursor_up", "Up", show=False),
        Binding("g", "scroll_home", "Top", show=False),
        Binding("G", "scroll_end", "Bottom", show=False),
        Binding("enter", "select_cursor", "Go to the heading"),  # Tree's own Enter, hinted
    ]

    class HeadingChosen(Message):
        def __init__(self, heading: Heading) -> None:
            super().__init__()
            self.heading = heading

    def __init__(self, **kwargs: object) -> None:
        super().__init__(Text(t("Outline")), **kwargs)  # type: ignore[arg-type]
        self.show_root = False
        self.guide_depth = 2
        self.headings: tuple[Heading, ...] = ()
        self._heading_nodes: list[TreeNode[Heading]] = []

    def load(self, document: Document | None) -> None:
        """The headings of `document` (none: a line saying so)."""
        self.clear()
        self.headings = document.headings if document is not None else ()
        self._heading_nodes = []
        stack: list[tuple[int, TreeNode[Heading]]] = []
        for heading in self.headings:
            while stack and stack[-1][0] >= heading.level:
                stack.pop()
            parent = stack[-1][1] if stack else self.root
            node = parent.add(Text(printable(heading.text)), data=heading, expand=True, allow_expand=False)
            self._heading_nodes.append(node)
            stack.append((heading.level, node))
        if not self.headings:
            self.root.add_leaf(Text(t("(no headings)"), style="dim"))
        self.root.expand_all()
        self.border_title = t("outline ({count})", count=len(self.headings))

    def follow(self, source_line: int) -> None:
        """Mark the section holding file line `source_line` (the last heading at or above it)."""
        current = None
        for index, heading in enumerate(self.headings):
            if heading.line > source_line:
                break
            current = index
        if current is not None and current < len(self._heading_nodes):
            self.move_cursor(self._heading_nodes[current])

    def on_tree_node_selected(self, event: Tree.NodeSelected[Heading]) -> None:
        event.stop()
        if event.node.data is not None:
            self.post_message(self.HeadingChosen(event.node.data))
