"""What the index stores per post: the Whoosh schema, our tokenizer and postings format."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from whoosh import fields, formats
from whoosh.analysis import Token, Tokenizer
from whoosh.system import pack_uint

from reader.posts.post import Post
from reader.search.analysis import CUT, CUT_TERM, term_counts, trigrams
from reader.search.manifest import SCHEMA_VERSION as SCHEMA_VERSION  # there: read without Whoosh
from reader.search.markup import searchable

MAX_INDEXED_CHARS = 1_000_000  # a 50 MB post is searchable by its first million characters


class KoreanTokenizer(Tokenizer):
    """Whoosh-facing tokenizer; indexing goes through `KoreanFrequency` instead."""

    def __call__(
        self,
        value: str,
        positions: bool = False,
        chars: bool = False,
        keeporiginal: bool = False,
        removestops: bool = True,
        start_pos: int = 0,
        start_char: int = 0,
        mode: str = "",
        **kwargs: Any,
    ) -> Iterator[Token]:
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        pos = start_pos
        for term, count in term_counts(value).items():
            for _ in range(count):
                token.text = term
                token.boost = 1.0
                token.stopped = False
                if positions:
                    token.pos = pos
                    pos += 1
                yield token


class KoreanFrequency(formats.Frequency):
    """Postings straight from `term_counts`: no Token objects, several times faster.

    No positions are stored. Whoosh's span matching measured 4 s for one
    four-syllable word over 1,000 generated posts, and positions made the
    build 40% slower; long words and phrases are matched as all of their
    terms instead, and the hits shown are checked on the post text.
    """

    def counts(self, value: str) -> dict[str, int]:
        """Each term of `value` with its count (reader.search.segments.CompactFormat)."""
        return term_counts(value)

    def word_values(self, value: str, analyzer: Any, **kwargs: Any) -> Iterator[tuple[str, int, float, bytes]]:
        boost = self.field_boost
        for term, count in term_counts(value).items():
            yield term, count, count * boost, pack_uint(count)


class KoreanTrigrams(formats.Existence):
    """Which Hangul trigrams a post holds (reader.search.analysis.trigrams): a filter, never scored."""

    def counts(self, value: str) -> dict[str, int]:
        found = dict.fromkeys(trigrams(value), 1)
        if value.startswith(CUT):
            found[CUT_TERM] = 1
        return found

    def word_values(self, value: str, analyzer: Any, **kwargs: Any) -> Iterator[tuple[str, int, float, bytes]]:
        for term in self.counts(value):
            yield term, 1, 1.0, b""


class TrigramField(fields.FieldType):
    """The `tri` field: indexed, not stored, not scored (no length column)."""

    def __init__(self) -> None:
        super().__init__(format=KoreanTrigrams(), analyzer=KoreanTokenizer(), scorable=False, stored=False)


def _text_field(boost: float = 1.0) -> fields.TEXT:
    field_type = fields.TEXT(analyzer=KoreanTokenizer(), phrase=False, field_boost=boost)
    field_type.format = KoreanFrequency(field_boost=boost)
    return field_type


def build_schema() -> fields.Schema:
    return fields.Schema(
        path=fields.ID(stored=True, unique=True),
        title=_text_field(),
        text=_text_field(),  # title, tags, categories and body together
        tri=TrigramField(),  # the same text's trigrams: what a long word must hold
        tag=fields.KEYWORD(lowercase=True, commas=True),
        category=fields.KEYWORD(lowercase=True, commas=True),
        day=fields.NUMERIC(int, bits=32, signed=False),
        draft=fields.BOOLEAN(),
    )


def document(post: Post) -> dict[str, Any]:
    """The fields of one post as the index stores them."""
    prefixes = {"/".join(path[:depth]).lower() for path in post.categories for depth in range(1, len(path) + 1)}
    # One field for everything searchable, so a word is one intersection
    # (block-max pruning works) instead of an OR over four fields. Newlines
    # between the parts: no cross-space bigram joins a tag to the body.
    text = "\n".join(
        [
            post.title,
            " ".join(post.tags),
            " ".join(name for path in post.categories for name in path),
            searchable(post.body)[:MAX_INDEXED_CHARS],
        ]
    )
    return {
        "path": post.path,
        "title": post.title,
        "text": text,
        # A post cut at MAX_INDEXED_CHARS may hold a word's trigrams only past the cut, where
        # the text check still finds it: it is marked, and no trigram is required of it.
        "tri": CUT + text if len(post.body) > MAX_INDEXED_CHARS else text,
        "tag": ",".join(t.lower().replace(",", " ") for t in post.tags),
        "category": ",".join(p.replace(",", " ") for p in sorted(prefixes)),
        "day": int(post.date.strftime("%Y%m%d")) if post.date else 0,
        "draft": post.draft,
    }


def category_terms(value: str, anchored: bool, reader: Any) -> list[str]:
    """The indexed `category` terms a facet's value stands for. The field holds each path's
    prefixes (`ml`, `ml/용어`): the path from the top is one of them, and a name anywhere
    in the hierarchy (`용어`, `용어/심화`) ends one, so it is every prefix that ends with it."""
    if anchored or reader is None:
        return [value]
    tail = "/" + value
    return [term for term in reader.field_terms("category") if term == value or term.endswith(tail)]
