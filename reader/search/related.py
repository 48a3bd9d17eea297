"""Related posts: the posts most like one post, by its key terms blended with its tags and
categories, each with why.

More-like-this on our own analysis: the post's terms (Hangul bigrams and
Latin words, as indexed) weighted by tf·idf against the index, the best
`KEY_TERMS` of them asked as one OR query (its title's terms count double),
and posts sharing a tag asked too. The blend: the text score (relative to
the best candidate's), the tag overlap (cosine of the two tag sets) and a
shared category.

The shared words named are words of both posts' prose, the heaviest by the
same tf·idf: code (`np`, `self`, `def`), LaTeX commands (`beta`,
`overrightarrow`), link addresses and HTML say how a post is written, not
what it is about. They still count in finding the neighbours: two posts
that both `import numpy` are alike, though `np` is no reason to give.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass

from whoosh import query as wq

from reader.posts.fences import Fences
from reader.posts.post import Post
from reader.search.analysis import MARK_CROSS, PARTICLES, term_counts
from reader.search.index import SearchIndex

# 20 terms, each in at most 10 % of the posts: the series parts of ratsgo all in the top 5
# (12/12) at 206 ms median over 10k posts; 40 terms up to 25 %: the same 12/12 at 607 ms.
KEY_TERMS = 20
CANDIDATES = 60
SAID_WORDS = 20  # the post's key words, of which the first three another post holds are its reasons
TEXT_WEIGHT, TAG_WEIGHT, CATEGORY_WEIGHT = 0.6, 0.3, 0.1
COMMON = 0.1  # a term in more than this share of the posts says little (in a big blog)
COMMON_FLOOR = 5  # … but in a small one, a term in 5 posts still can
_WORD = re.compile(r"[\w+#]+")
_HANGUL = re.compile(r"[\uac00-\ud7a3\u3131-\u318e]")
_LATIN = re.compile(r"(?:[^\W\uac00-\ud7a3\u3131-\u318e]|[+#])+")
_LIST_ITEM = re.compile(r"^ {0,3}(?:[-*+]|\d{1,9}[.)])(?:[ \t]|$)")
_HEADING = re.compile(r"^ {0,3}#{1,6}(?:[ \t]|$)")
# Jekyll's `{% highlight %}`, Hexo's `{% codeblock %}` and `{% code %}`: code as a fence is.
_CODE_TAG = re.compile(r"^\s{0,3}\{%-?\s*(highlight|codeblock|code)\b")
_CODE_TAG_END = re.compile(r"\{%-?\s*end(?:highlight|codeblock|code)\s*-?%\}")
_NOT_PROSE = re.compile(
    r"(`{1,8})[^`]{1,500}\1"  # a code span (bounded: a post's text is data a stranger wrote)
    r"|\]\([^()\s]{0,2048}(?:[ \t]+(?:\"[^\"\n]{0,300}\"|'[^'\n]{0,300}'))?\)"  # a link's address,
    r"|\]:[ \t]*\S{1,2048}|(?:https?|ftp)://\S{1,2048}"  # a reference's, a bare one
    r"|<[^<>\n]{1,300}>|\{%[^%\n]{0,300}%\}|\{\{[^{}\n]{0,300}\}\}"  # HTML tags, Liquid and Hugo tags
    r"|\$\$[^$]{1,5000}\$\$"  # math, as reader.posts.latex finds it: `x_{old}` holds no word
    r"|(?<![\\$\d])\$(?!\$)[^$\n]{1,500}?(?<![\\$])\$(?![\d$])"
    r"|\\[A-Za-z]+"  # a LaTeX command outside math
)
# Words of code that name no topic (the keywords and builtins of the languages blogs show most),
# kept out of "shared code": `in, if` says nothing of why two Python posts are alike.
_CODE_WORDS = """and as assert async await break case catch class const continue def del elif else
    except export extends false final finally fn for from func function if import in int
    interface is lambda len let list new nil none not null or package pass print private
    protected public raise range return self static str struct super switch this throw
    true try type var void while with yield echo then done fi do esac"""
CODE_FILLER = frozenset(_CODE_WORDS.split())
# Words that hold no topic, kept out of "shared words" (they can weigh in a small blog,
# where every word is rare): common Korean adnominals, adverbs and nouns of form, and
# English function words.
FILLER = frozenset(
    [
        "있는",
        "없는",
        "하는",
        "되는",
        "같은",
        "다른",
        "모든",
        "어떤",
        "이런",
        "그런",
        "저런",
        "함께",
        "다시",
        "처음",
        "먼저",
        "이제",
        "바로",
        "아주",
        "매우",
        "정말",
        "많이",
        "조금",
        "가장",
        "그냥",
        "이미",
        "아직",
        "계속",
        "때문",
        "경우",
        "정도",
        "사용",
        "여기",
        "거기",
        "지금",
        "우리",
        "다음",
        "위해",
        "통해",
        "대한",
        "대해",
        "하나",
        "그리고",
        "하지만",
        "그래서",
        "그러나",
        "또는",
        "또한",
        "있습니다",
        "합니다",
        "됩니다",
        "입니다",
        "있다",
        "한다",
        "the",
        "and",
        "for",
        "with",
        "this",
        "that",
        "from",
        "are",
        "was",
        "were",
        "has",
        "have",
        "not",
        "but",
        "you",
        "your",
        "can",
        "will",
        "how",
        "what",
    ]
)


@dataclass(frozen=True)
class Related:
    path: str
    title: str
    score: float
    tags: tuple[str, ...]  # shared tags
    words: tuple[str, ...]  # shared key words
    category: str | None  # a shared category
    code: tuple[str, ...] = ()  # shared words of code, named only when nothing else says why

    def reasons(self, speak: Callable[..., str]) -> list[str]:
        """Why, each reason said by `speak` (a catalog's `t`: the app and the CLI say it in their language)."""
        parts = []
        if self.tags:
            parts.append(speak("tags: {tags}", tags=", ".join(self.tags)))
        if self.words:
            parts.append(speak("shared words: {words}", words=", ".join(self.words)))
        if self.code:
            parts.append(speak("shared code: {words}", words=", ".join(self.code)))
        if self.category:
            parts.append(speak("category: {category}", category=self.category))
        return parts

    @property
    def why(self) -> str:
        """In English, as the JSON says it."""
        return " · ".join(self.reasons(lambda msgid, **values: msgid.format(**values)))

    def to_json(self) -> dict[str, object]:
        return {
            "path": self.path,
            "title": self.title,
            "score": round(self.score, 4),
            "tags": list(self.tags),
            "words": list(self.words),
            "category": self.category,
            "code": list(self.code),
            "why": self.why,
        }


def related(
    index: SearchIndex,
    post: Post,
    post_for: Callable[[str], Post | None],
    body_for: Callable[[Post], str],
    limit: int = 5,
    include_drafts: bool = True,
) -> list[Related]:
    """The posts most like `post` (never itself), best first. `post_for` gives a candidate's
    post (its metadata is enough), `body_for` the body of the few shown (to name shared words)."""
    head = f"{post.title}\n{' '.join(post.tags)}\n"
    own_prose = prose(post.body)
    with index.searcher() as searcher:
        total = max(1, searcher.doc_count())
        # The whole text finds the neighbours (two posts that both `import numpy` are alike);
        # the prose alone names the words they share.
        rarity: dict[str, float] = {}
        weights, said_weights = _key_terms(searcher, (head + post.body, head + own_prose), total, rarity)
        title_terms = {t for t in term_counts(post.title) if t in weights}
        clauses: list[wq.Query] = [wq.Term("text", t, boost=w) for t, w in weights.items()]
        clauses += [wq.Term("title", t, boost=weights[t]) for t in title_terms]
        text_scores: dict[str, float] = {}
        if clauses:
            for hit in searcher.search(wq.Or(clauses), limit=CANDIDATES, mask=wq.Term("path", post.path)):
                text_scores[hit["path"]] = hit.score
        tag_hits: set[str] = set()
        if post.tags:
            tags = wq.Or([wq.Term("tag", t.lower().replace(",", " ")) for t in post.tags])
            for hit in searcher.search(tags, limit=CANDIDATES, mask=wq.Term("path", post.path)):
                tag_hits.add(hit["path"])
    best = max(text_scores.values(), default=0.0) or 1.0
    own_tags = {t.lower(): t for t in post.tags}
    own_categories = {"/".join(c) for c in post.categories}
    scored: list[tuple[float, Post, tuple[str, ...], str | None]] = []
    for path in set(text_scores) | tag_hits:
        other = post_for(path)
        if other is None or other.path == post.path or (other.draft and not include_drafts):
            continue
        shared = tuple(own_tags[t.lower()] for t in other.tags if t.lower() in own_tags)
        tag_score = len(shared) / math.sqrt(len(own_tags) * len(other.tags)) if shared else 0.0
        category = next((c for c in other.category_names if c in own_categories), None)
        score = TEXT_WEIGHT * text_scores.get(path, 0.0) / best + TAG_WEIGHT * tag_score
        score += CATEGORY_WEIGHT * (1.0 if category else 0.0)
        scored.append((score, other, shared, category))
    scored.sort(key=lambda s: (-s[0], s[1].path))
    words = _key_words(f"{post.title}\n{own_prose}", said_weights, rarity)
    code_words: list[str] | None = None
    out = []
    for score, other, shared, category in scored[:limit]:
        body = body_for(other)
        held = tuple(filter(_Said(f"{other.title}\n{prose(body)}").holds, words))[:3]
        code: tuple[str, ...] = ()
        if not (shared or held or category):
            # Alike in their code alone (two posts that both `import numpy`): its words are the
            # only reason there is, and a reason with no words would leave the reader guessing.
            if code_words is None:
                code_words = [
                    w
                    for w in _key_words(head + post.body, weights, rarity)
                    if w not in words and w not in CODE_FILLER and len(w) >= 3
                ]
            code = tuple(filter(_Said(f"{other.title}\n{body}").holds, code_words))[:3]
        out.append(Related(other.path, other.title, score, shared, held, category, code))
    return out


def prose(body: str) -> str:
    """What a post says in words: its body without code (fenced, indented, in a Liquid or Hexo
    code tag, code spans), link addresses, HTML and site tags, and LaTeX commands. Read line by
    line without a Markdown parse, as reader.posts.backlinks reads a body; an indented line
    after a paragraph line or in a list is prose, as in CommonMark."""
    fences = Fences()
    kept: list[str] = []
    code_tag = False  # inside `{% highlight %}` … `{% endhighlight %}` and the like
    paragraph = False  # the line before goes on a paragraph: an indented line continues it
    in_list = False  # since a list item: indented lines are its paragraphs
    blank = True
    for line in body.split("\n"):
        if code_tag:
            code_tag = not _CODE_TAG_END.search(line)
            continue
        if fences.code(line):
            paragraph = False
            continue
        if "{%" in line and _CODE_TAG.match(line):
            code_tag = not _CODE_TAG_END.search(line)
            paragraph = False
            continue
        if not line.strip():
            paragraph, blank = False, True
            continue
        indented = line[:4].expandtabs(4).startswith("    ")
        if indented and not paragraph and not in_list:
            blank = False
            continue  # an indented code block
        if _LIST_ITEM.match(line):
            in_list = True
        elif blank and not indented:
            in_list = False
        blank = False
        paragraph = not _HEADING.match(line)
        kept.append(line)
    return _NOT_PROSE.sub(_unsaid, "\n".join(kept))


def _unsaid(match: re.Match[str]) -> str:
    """What stands for a piece that is not prose: nothing for a link's address (`[이곳](…)을`
    reads `[이곳을`), a space for the rest (`\\alpha`의 is no word)."""
    return "" if match.group(0).startswith("]") else " "


class _Said:
    """The words of a text, to ask whether it says a word: a Latin word whole (`re` is not
    in `return`), a Hangul one anywhere (`임베딩` is in `워드임베딩`)."""

    def __init__(self, text: str) -> None:
        self.text = text.lower()
        self.words = set(_LATIN.findall(self.text))  # `numpy` of `numpy를`

    def holds(self, word: str) -> bool:
        return word in self.text if _HANGUL.search(word) else word in self.words


def _key_terms(
    searcher: object, texts: tuple[str, ...], total: int, rarity: dict[str, float]
) -> list[dict[str, float]]:
    """Of each text, the terms that say most about it: tf·idf, the too common and the unique
    left out. Each term's documents are counted once for all the texts (`rarity` keeps them)."""
    found = []
    for text in texts:
        weights: dict[str, float] = {}
        for term, count in term_counts(text).items():
            if term not in rarity:
                rarity[term] = _rarity(searcher, term, total)
            if rarity[term]:
                weights[term] = (1 + math.log(count)) * rarity[term]
        found.append(dict(sorted(weights.items(), key=lambda item: (-item[1], item[0]))[:KEY_TERMS]))
    return found


def _rarity(searcher: object, term: str, total: int) -> float:
    """The idf of `term`; 0 for a term that says nothing of a post: a cross pair, one letter, a
    number, a term of one post only or of too many."""
    if term.startswith(MARK_CROSS) or len(term) < 2 or term.isdigit():
        return 0.0
    frequency = searcher.doc_frequency("text", term)  # type: ignore[attr-defined]
    if frequency <= 1 or frequency > max(COMMON * total, COMMON_FLOOR):
        return 0.0
    return math.log(total / frequency)


def _key_words(text: str, weights: dict[str, float], rarity: dict[str, float]) -> list[str]:
    """The words of the post's title and prose (see _words) that hold its key terms, heaviest
    first: to say in words why another post is related (`임베딩, 벡터`, not the bigrams `임베`, `베딩`)."""
    scores: dict[str, float] = {}
    for word, whole in _words(text).items():
        if len(word) < 2 or word.isdigit() or word.lower() in FILLER:
            continue
        terms = term_counts(word)
        weight = sum(weights.get(t, 0.0) for t in terms)
        # Every term a key one; in a word known whole, a pair of syllables too common to say
        # anything may be part of it (`경로` of `최단경로`), not a particle (`이곳을`).
        if weight and all(t in weights or (whole and _common_pair(t, rarity)) for t in terms):
            scores[word.lower()] = max(scores.get(word.lower(), 0.0), weight)
    return sorted(scores, key=lambda w: (-scores[w], w))[:SAID_WORDS]


def _common_pair(term: str, rarity: dict[str, float]) -> bool:
    return len(term) == 2 and _HANGUL.match(term) is not None and not rarity.get(term)


def _words(text: str) -> dict[str, bool]:
    """The words of `text` as it writes them, each once, a particle off where what remains is a
    word too: one the text holds bare (`최단경로는` with `최단경로`), or a Latin one (`numpy를`).
    A word that is itself the stem of another is whole: `최단경로` (with `최단경로를`) is no
    `최단경` and `로`. (A stem under two endings is no proof: `최단경로라고`, `최단경로라는`.)
    Each word says whether it is known whole: not one that may still carry a particle (`이곳을`)."""
    raws = set(_WORD.findall(text))
    stems = {raw: _stems(raw) for raw in raws}
    stemmed = {stem for found in stems.values() for stem in found}
    words: dict[str, bool] = {}
    for raw, found in stems.items():
        if raw in stemmed or not found:
            words[raw] = True
            continue
        stem = next((s for s in found if s in raws or not _HANGUL.match(s[-1])), None)
        if stem is None:
            words.setdefault(raw, False)
        else:
            words[stem] = True
    return words


def _stems(word: str) -> list[str]:
    """What `word` may be with a particle off, the shortest particle first: `최단경로는` ->
    `최단경로`, `최단경` (`로는`)."""
    return [word[: -len(p)] for p in reversed(PARTICLES) if word.endswith(p) and len(word) - len(p) >= 2]


__all__ = ["Related", "prose", "related"]
