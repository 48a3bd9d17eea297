"""Checking a hit against the query on the post's own text.

The index has no positions, so a long Korean word (its bigrams, in any
order) and a quoted phrase (its terms, anywhere) can over-match. The hits we
show are checked here with the same rules the highlighter uses; everything
the index answers exactly (two-syllable words, Latin words, tags, dates) is
not checked again.
"""

from __future__ import annotations

from functools import lru_cache

from reader.core.analysis import is_hangul, shape
from reader.core.highlight import Matcher
from reader.core.post import Post
from reader.core.query import And, Node, Not, Or, Phrase, Word


def needs_check(node: Node) -> bool:
    if isinstance(node, Phrase):
        return True
    if isinstance(node, Word):
        if node.prefix:
            return False
        parsed = shape(node.text)
        if parsed is None:
            return False
        return len(parsed.pieces) > 1 or any(is_hangul(p) and len(p) >= 3 for p in parsed.pieces)
    if isinstance(node, And | Or):
        return any(needs_check(c) for c in node.children)
    return False


@lru_cache(maxsize=256)
def _matcher(node: Word | Phrase) -> Matcher:
    return Matcher.for_words([node])


def _fields(post: Post) -> dict[str, str]:
    return {
        "title": post.title,
        "body": post.body,
        "tags": " ".join(post.tags),
        "categories": " ".join(name for path in post.categories for name in path),
    }


def matches(node: Node | None, post: Post) -> bool:
    """Whether the post's text satisfies the parts of the query the index could not."""
    if node is None or not needs_check(node):
        return True
    return _check(node, _fields(post))


def _check(node: Node, texts: dict[str, str]) -> bool:
    if isinstance(node, Word | Phrase):
        if not needs_check(node):
            return True
        matcher = _matcher(node)
        fields = [node.field] if node.field else list(texts)
        return any(matcher.pattern is not None and matcher.pattern.search(texts[f]) for f in fields)
    if isinstance(node, And):
        return all(_check(c, texts) for c in node.children)
    if isinstance(node, Or):
        return any(_check(c, texts) for c in node.children)
    if isinstance(node, Not):
        return True  # the index already left out posts with all of the word's terms
    return True
