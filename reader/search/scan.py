"""Searching without the index: every loaded post read with the same matcher.

While the first index build runs (seconds on a few hundred posts, minutes
at 10k), the app answers queries from the posts it has in memory: the same
query language, the same Korean word matching (particles, spacing) as the
index's text check, the same snippets; ranked by where and how often the
words occur, and by proximity. Results are marked `scanned`. A 초성 word is
read as the index search reads it (the word written whole most often, titles
first). No did-you-mean: that needs the index's vocabulary.

The posts may be stubs (a big blog's bodies are not held: reader.library),
each read as it is checked and let go; the hits shown are read again. A stub's
file is first looked at as bytes: one that cannot hold the query's words is
let go undecoded (reader.search.scanfiles).
"""

from __future__ import annotations

import re
import time
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Iterator

from reader.posts.post import Post, body_of
from reader.posts.taxonomy import has_tag, in_category, under_category
from reader.search import hangul
from reader.search.highlight import Alternative, Matcher, compile_alternatives, word_alternatives
from reader.search.markup import reads_markup, searchable
from reader.search.plan import proximity_of
from reader.search.query import And, DateRange, Facet, InvalidQuery, Node, Not, Or, Phrase, Word, parse, within
from reader.search.scanfiles import Check, FileBytes, Test, Texts, prefilter
from reader.search.searcher import (
    DEFAULT_LIMIT,
    MAX_LIMIT,
    SearchResult,
    initials_runs,
    make_hit,
    positive_words,
    replace_words,
    rewrite,
    split_like,
)

TITLE_WEIGHT = 4
MAX_COUNTED = 20  # matches counted per post: a post that repeats a word 500 times is not 500 times better
Whole = Callable[[Post], "Post | None"]  # a post with its body (a stub read from its file), None if gone
WORD_START = r"(?<![\uac00-\ud7a3])"


def scan_search(
    posts: Iterable[Post],
    text: str,
    limit: int = DEFAULT_LIMIT,
    include_drafts: bool = True,
    scope: Node | None = None,
    cancelled: Callable[[], bool] | None = None,
    whole: Whole | None = None,
    so_far: Callable[[SearchResult], None] | None = None,
) -> SearchResult:
    """Search `posts` by reading them (`whole` gives a stub's body). Raises InvalidQuery like
    the index search. `so_far`: given the best hits found so far (`read_so_far` set) once the
    scan has run SO_FAR_FIRST seconds, then every SO_FAR_EVERY, while it finds any: a common
    word among 100k posts is found in the first few hundred, read in seconds, not the minute
    the whole scan takes."""
    started = time.perf_counter()
    limit = max(1, min(limit, MAX_LIMIT))
    node = parse(text)
    if node is None:
        return SearchResult(text, 0, False, 0.0, [], scanned=True)
    posts = [p for p in posts if not p.binary and (include_drafts or not p.draft)]
    read = whole or _held
    node, replaced = _read_initials(within(node, scope), posts, read)
    test = _compile(node)
    matcher = _matcher(node)
    proximity = proximity_of(node)
    check = prefilter(node, _compile)
    # The post as listed is kept, not as read: a stub's body goes once it is checked.
    scored: list[tuple[int, float, Post]] = []
    corrected = rewrite(text, replaced) if replaced else None

    def result(ranked: list[tuple[int, float, Post]], read_so_far: tuple[int, int] | None = None) -> SearchResult:
        shown = ((score, read(listed)) for _, score, listed in ranked[:limit])
        hits = [make_hit(post.path, -score, post, matcher) for score, post in shown if post is not None]
        took = (time.perf_counter() - started) * 1000
        missing = [] if ranked else _missing(node, posts, read)
        found = SearchResult(text, len(ranked), False, took, hits, matcher, corrected=corrected, missing=missing)
        found.scanned, found.read_so_far = True, read_so_far
        return found

    due = started + SO_FAR_FIRST if so_far is not None else float("inf")
    blank = reads_markup(_every_text(node))
    for count, listed, post, content in _read_each(posts, read, check, cancelled, blank):
        if not test(post, _texts(post, content)):
            continue
        title = len(matcher.spans(post.title)) if matcher.pattern is not None else 0
        body = sum(1 for _, _ in zip(range(MAX_COUNTED), _finditer(matcher, content), strict=False))
        tier = proximity.tier(post.title, content) if proximity is not None else 0
        scored.append((tier, -(title * TITLE_WEIGHT + body), listed))
        if so_far is not None and time.perf_counter() >= due:
            so_far(result(_ranked(scored, matcher), (count + 1, len(posts))))
            due = time.perf_counter() + SO_FAR_EVERY
    return result(_ranked(scored, matcher))


SO_FAR_FIRST = 0.3  # seconds of a scan before its first hits are shown: less, and they flicker in
SO_FAR_EVERY = 1.0  # then: the hits so far are read again each time (up to `limit` files)


def _ranked(scored: list[tuple[int, float, Post]], matcher: Matcher) -> list[tuple[int, float, Post]]:
    ranked = sorted(scored, key=lambda item: (item[0], item[1]))
    if matcher.pattern is None:  # filters alone (a tag, a category, dates): no score, newest first
        ranked.sort(key=lambda item: item[2].date.timestamp() if item[2].date else float("-inf"), reverse=True)
    return ranked


def _whole(*initials: str, between: str = "") -> Alternative:
    """초성 words as the syllables they stand for, written whole at a word's start, `between`
    them. Written to open with the first syllable's class: a pattern that opens with the
    look-behind is tried at every position of every post."""
    text = between.join(hangul.initials_pattern(w, spaces=False) for w in initials)
    slot = unicodedata.normalize("NFC", initials[0])[0]
    first = hangul.slot_pattern(slot)  # what `text` opens with
    lead = "-".join(hangul.consonant_range(slot)) if hangul.is_consonant(slot) else first
    return Alternative(WORD_START + text, lead, r"(?<![\uac00-\ud7a3][\s\S])" + text[len(first) :])


def _held(post: Post) -> Post:
    return post


def _read_each(
    posts: list[Post],
    read: Whole,
    check: Check | None = None,
    cancelled: Callable[[], bool] | None = None,
    blank: bool = True,
) -> Iterator[tuple[int, Post, Post, str]]:
    """Each post's place in `posts`, the post as listed, the post its fields are tested on and
    its body (a post gone since it was listed left out). A stub unchanged since it was listed is
    read from its file's bytes, let go undecoded when `check` rules it out; `read` for the others.
    `blank`: each body with its tags' markup blanked (markup.searchable; not its cache: each
    body is read once here)."""
    shown = searchable.__wrapped__ if blank else _as_written
    for count, listed in enumerate(posts):
        if cancelled is not None and count % 64 == 0 and cancelled():
            return
        if listed.stub and read is not _held:
            file = FileBytes(listed)
            if check is not None and not check(listed, _texts(listed, ""), file) and file.unchanged():
                continue
            data = file.data()
            body = body_of(listed, data) if data is not None else None
            if body is not None:
                yield count, listed, listed, shown(body[0])
                continue
        post = read(listed)
        if post is not None:
            yield count, listed, post, shown(post.body)


def _as_written(body: str) -> str:
    return body


def _missing(node: Node, posts: list[Post], read: Whole) -> list[str]:
    """The query's words no post holds, when no post matches it (a query of one word: it)."""
    words = positive_words(node)
    if words == [node]:
        return [words[0].text]
    return [w.text for w in words if not _anywhere(w, posts, read)]


def _anywhere(word: Word, posts: list[Post], read: Whole) -> bool:
    test = _compile(word)
    check = prefilter(word, _compile)
    return any(test(post, _texts(post, body)) for _, _, post, body in _read_each(posts, read, check))


def _read_initials(node: Node, posts: list[Post], read: Whole) -> tuple[Node, dict[str, str]]:
    """Each 초성 word (a run of them together) replaced by the word most posts write whole
    for it, at a word's start; titles first, as the index search does."""
    words = [w for w in positive_words(node) if hangul.is_initials(w.text)]
    replaced: dict[str, str] = {}
    for run in initials_runs(node, words):
        pattern = compile_alternatives([_whole(*(w.text for w in run), between=r"[^\S\n]?")])
        for field in ("title", "body"):
            counts: Counter[str] = Counter()
            texts = (p.title for p in posts) if field == "title" else (b for _, _, _, b in _read_each(posts, read))
            for text in texts:
                counts.update({re.sub(r"\s", "", m) for m in pattern.findall(text)})
            if counts:
                word = counts.most_common(1)[0][0]
                replaced.update(zip([w.text for w in run], split_like(word, run), strict=True))
                break
    return (replace_words(node, replaced), replaced) if replaced else (node, {})


def _matcher(node: Node) -> Matcher:
    """The query's words as the search matches them; a 초성 word as the syllables it stands for."""
    initials = [w for w in positive_words(node) if hangul.is_initials(w.text)]
    words = word_alternatives(w for w in _positive_texts(node) if w not in initials)
    return Matcher.of([*words, *(_whole(w.text) for w in initials)])


def matcher_for(text: str) -> Matcher:
    """Find in a post: the words of `text` matched as search matches them (particles, spacing, 초성).

    Text the query language cannot read (`(`, a stray quote) is found as written.
    """
    try:
        node = parse(text)
    except InvalidQuery:
        node = None
    if node is None:
        stripped = text.strip()
        return Matcher(re.compile(re.escape(stripped), re.IGNORECASE) if stripped else None)
    return _matcher(node)


def _finditer(matcher: Matcher, text: str) -> Iterable[re.Match[str]]:
    return matcher.pattern.finditer(text) if matcher.pattern is not None else iter(())


def _texts(post: Post, body: str) -> Texts:
    return {
        "title": post.title,
        "body": body,
        "tags": " ".join(post.tags),
        "categories": " ".join(name for path in post.categories for name in path),
    }


def _every_text(node: Node) -> list[Word | Phrase]:
    """The query's words and phrases, those it leaves out (`-img`) too."""
    if isinstance(node, Not):
        return _every_text(node.child)
    if isinstance(node, And | Or):
        return [w for child in node.children for w in _every_text(child)]
    return [node] if isinstance(node, Word | Phrase) else []


def _positive_texts(node: Node) -> list[Word | Phrase]:
    if isinstance(node, Word | Phrase):
        return [node]
    if isinstance(node, And | Or):
        return [w for child in node.children for w in _positive_texts(child)]
    return []


def _compile(node: Node) -> Test:
    """The query as a test of one post."""
    if isinstance(node, Word | Phrase):
        if isinstance(node, Word) and hangul.is_initials(node.text):
            pattern: re.Pattern[str] | None = compile_alternatives([_whole(node.text)])
        else:
            pattern = Matcher.for_words([node]).pattern
        names = [node.field] if node.field else ["title", "body", "tags", "categories"]
        return lambda post, texts: pattern is not None and any(pattern.search(texts[n]) for n in names)
    if isinstance(node, Facet):
        value = node.value
        if node.field == "tag":
            return lambda post, texts: has_tag(post, value)
        if node.anchored:
            return lambda post, texts: in_category(post, value)
        return lambda post, texts: under_category(post, value)
    if isinstance(node, DateRange):
        low, high = node.low, node.high
        return lambda post, texts: post.date is not None and low <= int(post.date.strftime("%Y%m%d")) <= high
    if isinstance(node, Not):
        inner = _compile(node.child)
        return lambda post, texts: not inner(post, texts)
    children = [_compile(c) for c in node.children]
    if isinstance(node, And):
        return lambda post, texts: all(c(post, texts) for c in children)
    return lambda post, texts: any(c(post, texts) for c in children)
