"""Categories (a hierarchy), tags (a flat set, case folded) and a date archive, with post counts."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

from reader.posts.post import Post
from reader.posts.text import nfc

_MONTH = re.compile(r"^(\d{4})(?:[-/.](\d{1,2}))?$")


@dataclass
class CategoryNode:
    name: str
    path: tuple[str, ...]
    count: int = 0  # posts in this category or below it
    children: dict[str, CategoryNode] = field(default_factory=dict)

    def sorted_children(self) -> list[CategoryNode]:
        return sorted(self.children.values(), key=lambda n: (-n.count, n.name.casefold()))


@dataclass(frozen=True)
class ArchiveMonth:
    """One month of the archive: how many posts are dated in it."""

    year: int
    month: int
    count: int

    @property
    def value(self) -> str:
        """The month as `in_month` takes it: `2020-06`."""
        return f"{self.year:04d}-{self.month:02d}"


@dataclass(frozen=True)
class ArchiveYear:
    """One year of the archive: its post count and its months, newest first."""

    year: int
    count: int
    months: tuple[ArchiveMonth, ...]

    @property
    def value(self) -> str:
        """The year as `in_month` takes it: `2020`."""
        return f"{self.year:04d}"


@dataclass
class Taxonomy:
    categories: CategoryNode
    tags: Counter[str]  # one entry per tag up to case, under its most used spelling
    archive: tuple[ArchiveYear, ...] = ()  # years newest first; posts without a date are not in it

    @classmethod
    def build(cls, posts: Iterable[Post]) -> Taxonomy:
        posts = posts if isinstance(posts, (list, tuple)) else list(posts)
        # Posts share their category and tag lists far more than they differ (10k posts: 81
        # category lists, 5.6k tag lists): count the lists in C, then walk each distinct one once.
        root = CategoryNode("", (), count=len(posts))
        for paths, weight in Counter(post.categories for post in posts).items():
            counted: set[tuple[str, ...]] = set()
            for path in paths:
                node = root
                for depth, name in enumerate(path, start=1):
                    node = node.children.setdefault(name, CategoryNode(name, path[:depth]))
                    if path[:depth] not in counted:
                        counted.add(path[:depth])
                        node.count += weight
        spellings: defaultdict[str, Counter[str]] = defaultdict(Counter)  # folded tag -> spelling -> posts
        tagged: Counter[str] = Counter()  # folded tag -> posts (a post spelling it two ways counts once)
        for names, weight in Counter(post.tags for post in posts).items():
            for tag in set(names):
                spellings[_fold(tag)][_nfc(tag)] += weight
            for key in {_fold(tag) for tag in names}:
                tagged[key] += weight
        dates = [post.date for post in posts if post.date is not None]
        months: Counter[tuple[int, int]] = Counter((date.year, date.month) for date in dates)
        tags: Counter[str] = Counter({_spelling(spellings[key]): count for key, count in tagged.items()})
        return cls(root, tags, _archive(months))

    def sorted_tags(self) -> list[tuple[str, int]]:
        return sorted(self.tags.items(), key=lambda item: (-item[1], item[0].casefold()))


def _spelling(counts: Counter[str]) -> str:
    """How a tag is shown: as most posts write it (`Graph` over `graph`), ties to the first sorted."""
    return min(counts, key=lambda spelling: (-counts[spelling], spelling))


def _archive(months: Counter[tuple[int, int]]) -> tuple[ArchiveYear, ...]:
    years: defaultdict[int, list[ArchiveMonth]] = defaultdict(list)
    for (year, month), count in sorted(months.items(), reverse=True):
        years[year].append(ArchiveMonth(year, month, count))
    return tuple(ArchiveYear(year, sum(m.count for m in items), tuple(items)) for year, items in years.items())


@lru_cache(maxsize=65_536)  # a blog has few tags, used over and over (10k posts: 70 -> 55 ms)
def _fold(text: str) -> str:
    return nfc(text).casefold().strip()


@lru_cache(maxsize=65_536)
def _nfc(text: str) -> str:
    return nfc(text)


def tag_key(tag: str) -> str:
    """What tags are merged on: `Graph` and `graph` are one tag."""
    return _fold(tag)


def in_category(post: Post, category: str) -> bool:
    """True if the post is in `category` ("A/B" a path) or anywhere below it."""
    wanted = tuple(_fold(p) for p in category.split("/") if p.strip())
    if not wanted:
        return True
    return any(tuple(_fold(p) for p in path[: len(wanted)]) == wanted for path in post.categories)


def under_category(post: Post, name: str) -> bool:
    """True if the post is in a category named `name` ("B", or "A/B" a path) at any depth of
    the hierarchy, or anywhere below it: `용어` holds the posts of `ML/용어` and `ML/용어/심화`."""
    wanted = tuple(_fold(p) for p in name.split("/") if p.strip())
    if not wanted:
        return True
    size = len(wanted)
    return any(
        tuple(_fold(p) for p in path[start : start + size]) == wanted
        for path in post.categories
        for start in range(len(path) - size + 1)
    )


def has_tag(post: Post, tag: str) -> bool:
    wanted = _fold(tag).lstrip("#")
    return any(_fold(t) == wanted for t in post.tags)


def in_month(post: Post, value: str) -> bool:
    """True if the post is dated in `value`: a year (`2020`) or a month (`2020-06`, `2020-6`).
    A post without a date is in no month. Raises ValueError for anything else, so a
    mistyped filter says so instead of showing an empty list."""
    match = _MONTH.match(value.strip())
    if match is None:
        raise ValueError(f"not a year or a month (2020, 2020-06): {value!r}")
    if post.date is None:
        return False
    year, month = int(match.group(1)), match.group(2)
    return post.date.year == year and (month is None or post.date.month == int(month))
