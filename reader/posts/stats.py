"""Counting posts: per year, month, tag and category, totals, and a sparkline of posts per month.

The same counts serve `reader stats` (all posts) and the sidebar (the unread
posts beside each entry). Words and characters need every body, so they are
counted apart, only when asked for.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cached_property

from reader.posts.post import Post
from reader.posts.taxonomy import CategoryNode, Taxonomy, tag_key

BARS = "▁▂▃▄▅▆▇█"
_WORD = re.compile(r"\S+")


@dataclass(frozen=True)
class Stats:
    """How many posts there are in all, in each year, month, tag and category (a category
    counts the posts in it or below it, as the sidebar does)."""

    posts: int
    drafts: int
    undated: int
    years: dict[int, int]  # newest first
    months: dict[tuple[int, int], int]  # (year, month), newest first
    tags: dict[str, int]  # as the sidebar spells them, most used first
    categories: dict[tuple[str, ...], int]  # every category and every one above it, in tree order

    @classmethod
    def of(cls, posts: Iterable[Post]) -> Stats:
        posts = list(posts)
        return cls.from_taxonomy(
            Taxonomy.build(posts), sum(1 for p in posts if p.draft), sum(1 for p in posts if p.date is None)
        )

    @classmethod
    def from_taxonomy(cls, taxonomy: Taxonomy, drafts: int = 0, undated: int = 0) -> Stats:
        categories: dict[tuple[str, ...], int] = {}

        def walk(node: CategoryNode) -> None:
            for child in node.sorted_children():
                categories[child.path] = child.count
                walk(child)

        walk(taxonomy.categories)
        return cls(
            posts=taxonomy.categories.count,
            drafts=drafts,
            undated=undated,
            years={y.year: y.count for y in taxonomy.archive},
            months={(m.year, m.month): m.count for y in taxonomy.archive for m in y.months},
            tags=dict(taxonomy.sorted_tags()),
            categories=categories,
        )

    def tag(self, tag: str) -> int:
        """Posts with `tag`, whatever its case."""
        return self._tags.get(tag_key(tag), 0)

    @cached_property
    def _tags(self) -> dict[str, int]:
        return {tag_key(tag): count for tag, count in self.tags.items()}

    def category(self, path: Sequence[str]) -> int:
        return self.categories.get(tuple(path), 0)

    def month(self, value: str) -> int:
        """Posts in `2020` or `2020-06` (as the archive's filters name them); 0 for anything else."""
        year, _, month = value.partition("-")
        if not year.isdigit() or (month and not month.isdigit()):
            return 0
        if not month:
            return self.years.get(int(year), 0)
        return self.months.get((int(year), int(month)), 0)

    def year_rows(self) -> list[tuple[int, list[int]]]:
        """Every year from the newest to the oldest dated post (empty years too), with its
        twelve months' counts, January first."""
        if not self.years:
            return []
        newest, oldest = max(self.years), min(self.years)
        return [(year, [self.months.get((year, m), 0) for m in range(1, 13)]) for year in range(newest, oldest - 1, -1)]

    def last_months(self, count: int) -> list[int]:
        """Posts in each of the last `count` months up to the newest post's, oldest first
        (fewer when the first post is more recent)."""
        if not self.months or count <= 0:
            return []
        year, month = max(self.months)
        first = min(self.months)
        out: list[int] = []
        while len(out) < count and (year, month) >= first:
            out.append(self.months.get((year, month), 0))
            year, month = (year, month - 1) if month > 1 else (year - 1, 12)
        return out[::-1]

    def to_json(self) -> dict[str, object]:
        return {
            "posts": self.posts,
            "drafts": self.drafts,
            "undated": self.undated,
            "years": {f"{y:04d}": n for y, n in self.years.items()},
            "months": {f"{y:04d}-{m:02d}": n for (y, m), n in self.months.items()},
            "tags": dict(self.tags),
            "categories": {"/".join(path): n for path, n in self.categories.items()},
        }


def text_totals(posts: Iterable[Post]) -> tuple[int, int]:
    """Words (runs of non-space characters: a Korean 어절 is one) and non-space characters
    of the posts' bodies."""
    words = characters = 0
    for post in posts:
        for match in _WORD.finditer(post.body):
            words += 1
            characters += match.end() - match.start()
    return words, characters


def sparkline(values: Sequence[int], top: int | None = None, zero: str = "·") -> str:
    """One block character a value, as tall as the value is against `top` (the largest
    value by default); any value above 0 gets at least the lowest block, 0 gets `zero`."""
    top = max(values, default=0) if top is None else top
    out = []
    for value in values:
        if value <= 0 or top <= 0:
            out.append(zero)
        else:
            out.append(BARS[min(len(BARS), max(1, math.ceil(value / top * len(BARS)))) - 1])
    return "".join(out)
