"""A query plan, made once per query by one walk of the parsed tree.

From the tree it gives everything a search needs: the Whoosh query, the
check of a hit on the post's own text for what the index cannot answer (the
index has no positions: a long Korean word matches its bigrams in any order,
a phrase its terms anywhere), the words to highlight, and the proximity test
that ranks posts holding the words together above those that scatter them.
A query that finds nothing is not loosened here: see reader.search.suggest.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from whoosh import query as wq

from reader.posts.post import Post
from reader.search.analysis import CUT_TERM, MARK_CROSS, bigrams, is_hangul, shape, split_word, trigrams
from reader.search.highlight import Matcher, Proximity
from reader.search.markup import reads_markup, searchable
from reader.search.query import And, DateRange, Facet, Node, Not, Or, Phrase, Word
from reader.search.schema import category_terms

FIELD_BOOSTS = {"title": 4.0, "text": 1.0}  # `text` holds title, tags, categories and body
_INDEX_FIELDS = {
    None: ("title", "text"),
    "title": ("title",),
    "body": ("text",),
    "tags": ("text",),
    "categories": ("text",),
}
MAX_EXPANSIONS = 64  # a prefix or a one-syllable word expands to at most this many terms
TRIGRAMS = "tri"  # the field of every post's trigrams (reader.search.schema)

Texts = dict[str, str]
Check = Callable[[Texts], bool]
Build = Callable[[], wq.Query]


@dataclass(frozen=True)
class _Part:
    """What one node of the tree contributes."""

    strict: Build
    check: Check | None = None  # None: the index answers it exactly
    words: tuple[Word | Phrase, ...] = ()


@dataclass(frozen=True)
class QueryPlan:
    node: Node
    strict: Build
    check: Check | None
    words: tuple[Word | Phrase, ...]
    proximity: Proximity | None  # for a query of two or more words, ANDed

    @cached_property
    def matcher(self) -> Matcher:
        """The words to highlight (compiled when first asked: a did-you-mean makes a plan of
        each spelling it counts, and most never highlight anything)."""
        return Matcher.for_words(self.words)

    @cached_property
    def reads_markup(self) -> bool:
        """Whether the body is checked with its tags blanked (see markup.reads_markup)."""
        return reads_markup(self.words)

    def accepts(self, post: Post) -> bool:
        """Whether the post's text satisfies the parts of the query the index could not."""
        return self.check is None or self.check(post_texts(post, self.reads_markup))


def post_texts(post: Post, blank: bool = True) -> Texts:
    """A post's texts as a check reads them; `blank`: its tags' markup blanked (searchable)."""
    return {
        "title": post.title,
        "body": searchable(post.body) if blank else post.body,
        "tags": " ".join(post.tags),
        "categories": " ".join(name for path in post.categories for name in path),
    }


def make_plan(node: Node, reader: Any = None) -> QueryPlan:
    """The plan of a parsed query; `reader` (a Whoosh index reader) expands prefixes."""
    part = _Planner(reader).walk(node)
    return QueryPlan(node, part.strict, part.check, part.words, proximity_of(node))


def proximity_of(node: Node) -> Proximity | None:
    if not isinstance(node, And):
        return None
    words = [c for c in node.children if isinstance(c, Word | Phrase) and c.field in (None, "title", "body")]
    return Proximity.for_words(w for w in words if not (isinstance(w, Word) and w.prefix))


class _Planner:
    def __init__(self, reader: Any) -> None:
        self.reader = reader

    def walk(self, node: Node) -> _Part:
        if isinstance(node, Word | Phrase):
            return self._text(node)
        if isinstance(node, Facet):
            return _Part(lambda: self._facet(node))
        if isinstance(node, DateRange):
            return _Part(lambda: wq.NumericRange("day", node.low, node.high))
        if isinstance(node, Not):
            # The index leaves out posts with all of the word's terms; no text check.
            child = self.walk(node.child)
            return _Part(lambda: wq.Not(child.strict()))
        if isinstance(node, Or):
            parts = [self.walk(c) for c in node.children]
            checks = [p.check for p in parts]
            check = (
                None if all(c is None for c in checks) else (lambda texts: any(c is None or c(texts) for c in checks))
            )
            return _Part(
                lambda: wq.Or([p.strict() for p in parts]),
                check,
                tuple(w for p in parts for w in p.words),
            )
        assert isinstance(node, And)
        return self._and(node)

    def _and(self, node: And) -> _Part:
        positive = [(c, self.walk(c)) for c in node.children if not isinstance(c, Not)]
        negative = [self.walk(c.child) for c in node.children if isinstance(c, Not)]
        checks = [p.check for _, p in positive if p.check is not None]

        def combine(required: list[wq.Query]) -> wq.Query:
            query = (wq.And(required) if len(required) > 1 else required[0]) if required else wq.Every()
            return wq.AndNot(query, wq.Or([n.strict() for n in negative])) if negative else query

        check = (lambda texts: all(c(texts) for c in checks)) if checks else None
        return _Part(
            lambda: combine([p.strict() for _, p in positive]),
            check,
            tuple(w for _, p in positive for w in p.words),
        )

    def _facet(self, node: Facet) -> wq.Query:
        if node.field != "category":
            return wq.Term(node.field, node.value)
        terms = [wq.Term("category", t) for t in category_terms(node.value, node.anchored, self.reader)]
        return (terms[0] if len(terms) == 1 else wq.Or(terms)) if terms else wq.NullQuery

    # --- one word or phrase, in its fields ---------------------------------------------

    def _text(self, node: Word | Phrase) -> _Part:
        names = _INDEX_FIELDS[node.field]

        def over_fields(build: Callable[[str], wq.Query | None]) -> Build:
            def run() -> wq.Query:
                queries = []
                for name in names:
                    q = build(name)
                    if q is not None:
                        queries.append(_with_boost(q, q.boost * FIELD_BOOSTS[name]) if hasattr(q, "with_boost") else q)
                if not queries:
                    return wq.NullQuery
                return queries[0] if len(queries) == 1 else wq.Or(queries)

            return run

        if isinstance(node, Phrase):
            strict = over_fields(lambda f: self.phrase(f, node.text))
            return _Part(strict, _text_check(node), (node,))
        strict = over_fields(lambda f: self.word(f, node))
        return _Part(strict, _text_check(node) if _needs_check(node) else None, (node,))

    def word(self, field: str, word: Word) -> wq.Query | None:
        if word.prefix:
            return self._prefix(field, word.text.lower())
        parsed = shape(word.text)
        if parsed is None:
            return None
        parts = [self._piece(field, piece) for piece in parsed.pieces]
        main = parts[0] if len(parts) == 1 else wq.And(parts)
        stems = [self._piece(field, stem) for stem in parsed.stems]
        return wq.Or([main, *stems]) if stems else main

    def _piece(self, field: str, piece: str) -> wq.Query:
        if not is_hangul(piece):
            return wq.Term(field, piece)
        if len(piece) == 1:
            return self._syllable(field, piece)
        if len(piece) == 2:
            # Only where it does not straddle a space: no `~` alternative.
            return wq.Term(field, piece)
        # Three or more syllables: every bigram, each maybe written across a
        # space (`~어처` in `자연어 처리`), scored; the post must hold the word's
        # trigrams too. Order is checked on the text later.
        return self._require_trigrams(wq.And([self._gram(field, g) for g in bigrams(piece)]), piece)

    def _require_trigrams(self, scored: wq.Query, text: str) -> wq.Query:
        """`scored`, kept only where the post holds every trigram of `text` (scores unchanged)."""
        grams = sorted(trigrams(text))
        if not grams:
            return scored
        terms = [wq.Term(TRIGRAMS, g) for g in grams]
        held = terms[0] if len(terms) == 1 else wq.And(terms)
        return wq.Require(scored, wq.Or([held, wq.Term(TRIGRAMS, CUT_TERM)]))  # or a post indexed in part

    def _gram(self, field: str, gram: str) -> wq.Query:
        """The bigram, or its cross-space form, or both: only what the index has."""
        plain, cross = wq.Term(field, gram), wq.Term(field, MARK_CROSS + gram)
        if not self._has(field, MARK_CROSS + gram):
            return plain
        if not self._has(field, gram):
            return cross
        return wq.Or([plain, cross])

    def _has(self, field: str, term: str) -> bool:
        if self.reader is None:
            return True
        try:
            return bool(self.reader.doc_frequency(field, term) > 0)
        except (KeyError, TypeError):
            return False

    def _syllable(self, field: str, syllable: str) -> wq.Query:
        terms = [wq.Term(field, syllable)]
        terms += [wq.Term(field, t) for t in self._expand(field, syllable) if t != syllable][:MAX_EXPANSIONS]
        return wq.Or(terms)

    def _prefix(self, field: str, prefix: str) -> wq.Query | None:
        terms = [wq.Term(field, t) for t in self._expand(field, prefix)][:MAX_EXPANSIONS]
        return wq.Or(terms) if terms else None

    def _expand(self, field: str, prefix: str) -> list[str]:
        if self.reader is None:
            return []
        out = []
        try:
            for term in self.reader.expand_prefix(field, prefix):
                out.append(term.decode("utf-8") if isinstance(term, bytes) else term)
                if len(out) >= MAX_EXPANSIONS:
                    break
        except KeyError:
            return []
        return out

    def phrase(self, field: str, text: str) -> wq.Query | None:
        """A quoted phrase: every term, cross-space bigrams where the phrase has spaces.
        The order is checked on the text of the hits."""
        steps: list[wq.Query] = []
        for index, chunk in enumerate(text.split()):
            for piece_index, piece in enumerate(split_word(chunk)):
                if is_hangul(piece):
                    if (
                        index > 0
                        and piece_index == 0
                        and steps
                        and isinstance(steps[-1], wq.Term)
                        and is_hangul(steps[-1].text[-1:])
                    ):
                        steps.append(wq.Term(field, MARK_CROSS + steps[-1].text[-1] + piece[0]))
                    steps.extend(wq.Term(field, g) for g in bigrams(piece))
                else:
                    steps.append(wq.Term(field, piece))
        if not steps:
            return None
        return self._require_trigrams(steps[0] if len(steps) == 1 else wq.And(steps), text)


def _with_boost(q: wq.Query, boost: float) -> wq.Query:
    """What `q.with_boost(boost)` gives, without Whoosh's deep copy of the whole tree:
    `q` was built for this one call, nothing else holds it (the copies cost ~0.3 ms a
    word and field, a third of a warm search's planning)."""
    if type(q) in (wq.Require, wq.AndNot):  # Whoosh boosts their first part alone
        return type(q)(_with_boost(q.a, boost), q.b)
    if isinstance(q, wq.BinaryQuery):
        return q.with_boost(boost)
    if q.boost == boost:
        return q
    out = copy.copy(q)
    out.boost = boost
    return out


def _needs_check(word: Word) -> bool:
    if word.prefix:
        return False
    parsed = shape(word.text)
    if parsed is None:
        return False
    return len(parsed.pieces) > 1 or any(is_hangul(p) and len(p) >= 3 for p in parsed.pieces)


def _text_check(node: Word | Phrase) -> Check:
    names = [node.field] if node.field else ["title", "body", "tags", "categories"]
    compiled: list[re.Pattern[str] | None] = []  # when first checked: many plans never are

    def check(texts: Texts) -> bool:
        if not compiled:
            compiled.append(Matcher.for_words([node]).pattern)
        pattern = compiled[0]
        if pattern is None:
            return False
        # One text may stand for several fields (a file read whole): searched once.
        return any(pattern.search(text) for text in {id(texts[name]): texts[name] for name in names}.values())

    return check


def typo_distance(a: str, b: str) -> int:
    """Optimal string alignment distance: Levenshtein with adjacent swaps as one edit."""
    if abs(len(a) - len(b)) > 2:
        return 3
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, start=1):
        current = [i] + [0] * len(b)
        for j, cb in enumerate(b, start=1):
            cost = 0 if ca == cb else 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                current[j] = min(current[j], previous2[j - 2] + 1)
        previous2, previous = previous, current
    return previous[len(b)]
