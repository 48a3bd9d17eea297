"""Categories (a hierarchy) and tags (a flat set), with post counts."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from reader.posts.post import Post
from reader.posts.text import nfc


@dataclass
class CategoryNode:
    name: str
    path: tuple[str, ...]
    count: int = 0  # posts in this category or below it
    children: dict[str, CategoryNode] = field(default_factory=dict)

    def sorted_children(self) -> list[CategoryNode]:
        return sorted(self.children.values(), key=lambda n: (-n.count, n.name.casefold()))


@dataclass
class Taxonomy:
    categories: CategoryNode
    tags: Counter[str]

    @classmethod
    def build(cls, posts: Iterable[Post]) -> Taxonomy:
        root = CategoryNode("", ())
        tags: Counter[str] = Counter()
        for post in posts:
            root.count += 1
            counted: set[tuple[str, ...]] = set()
            for path in post.categories:
                node = root
                for depth, name in enumerate(path, start=1):
                    node = node.children.setdefault(name, CategoryNode(name, path[:depth]))
                    if path[:depth] not in counted:
                        counted.add(path[:depth])
                        node.count += 1
            tags.update(set(post.tags))
        return cls(root, tags)

    def sorted_tags(self) -> list[tuple[str, int]]:
        return sorted(self.tags.items(), key=lambda item: (-item[1], item[0].casefold()))


def _fold(text: str) -> str:
    return nfc(text).casefold().strip()


def in_category(post: Post, category: str) -> bool:
    """True if the post is in `category` ("A/B" a path) or anywhere below it."""
    wanted = tuple(_fold(p) for p in category.split("/") if p.strip())
    if not wanted:
        return True
    return any(tuple(_fold(p) for p in path[: len(wanted)]) == wanted for path in post.categories)


def has_tag(post: Post, tag: str) -> bool:
    wanted = _fold(tag).lstrip("#")
    return any(_fold(t) == wanted for t in post.tags)
