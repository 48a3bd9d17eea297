"""What links here: for every post, the posts that link to it, with the linking sentence.

Parsing every post with markdown-it to find its links costs seconds per
thousand posts, so the outgoing links of a post are found by a light scan
of its body instead: the site syntax made Markdown (as the renderer sees
it), code blocks and code spans skipped, then inline links, reference
definitions, HTML `href`s and bare URLs. Each is resolved by the same
rules as the post's own links (reader.posts.links), so a relative path, a
`post_url`, a `post_link`, a Hugo `ref`, a site permalink or a full URL of
the site itself all count. Only links that reach another post are kept.

The scan of a post is kept by its digest, so a reload rescans only the
posts that changed.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from reader.posts.document import RawLink
from reader.posts.fences import FENCE, Fences
from reader.posts.latex import read_math
from reader.posts.links import LinkContext, resolve
from reader.posts.post import Post
from reader.posts.site_syntax import POST_TITLE, preprocess
from reader.posts.slugs import SlugMap
from reader.posts.snapshot import Snapshot
from reader.posts.text import printable

CONTEXT_CELLS = 160  # the context shown: the sentence holding the link, cut around it
PARAGRAPH_LINES = 6  # lines of a hard-wrapped paragraph looked at on each side of a link
_LIST_MARK = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+")
_BLOCK_START = re.compile(r"^\s{0,3}(?:[-*+]\s|\d+[.)]\s|#|>|\|)")

# A post's text is data a stranger may have written: every pattern below is bounded, so
# a line of `[a](` or `<a <a <a` repeated costs time in proportion to its length (the
# scan holds the GIL: a slow regex in the worker would freeze the app all the same).
LINE_CAP = 10_000  # characters of one line looked at: links further along a line are not seen
LABEL_CAP, URL_CAP = 300, 2048
MAX_LINKS = 5_000  # links of one post looked at: past that it is a link dump, not writing
CONTEXT_WINDOW = 2_000
_MAY_LINK = re.compile(r"\]\(|\]:|href|://|\{%|\{\{")
_CODE_SPAN = re.compile(r"(`{1,8})[^`]{1,500}\1")
_URL = re.compile(rf"[ \t]{{0,8}}<?([^\s)>\[\]]{{1,{URL_CAP}}})")
_DEFINITION = re.compile(rf"^ {{0,3}}\[([^\]]{{1,{LABEL_CAP}}})\]:[ \t]*<?([^\s>]{{1,{URL_CAP}}})")
_HREF = re.compile(rf"""<a\s[^>]{{0,500}}?href\s*=\s*["']([^"']{{1,{URL_CAP}}})["']""", re.IGNORECASE)
_AUTOLINK = re.compile(rf"<(https?://[^>\s]{{1,{URL_CAP}}})>", re.IGNORECASE)
_BARE = re.compile(rf"(?<![(<\"'=])\bhttps?://[^\s<>()\[\]\"']{{1,{URL_CAP}}}")
_SENTENCE_END = re.compile(r"(?<=[.!?。])\s+|(?<=다\.)\s*")
# Hexo's `{% post_link slug %}` as preprocess makes it: the post pane shows the post's title there.
_TITLED = re.compile(rf"\[([^\[\]\n]{{0,{LABEL_CAP}}})\]\({re.escape(POST_TITLE)}([^)\s]{{1,{URL_CAP}}})\)")
_HELD = re.compile("\ue000(\\d+)\ue001")  # a title held out of _plain (its `#`, `_`, `. ` kept)
_MARKUP = re.compile(rf"!?\[([^\[\]\n]{{0,{LABEL_CAP}}})\]\([^)\n]{{0,{URL_CAP}}}\)|<[^<>\n]{{1,300}}>|[*_`#>]+")


@dataclass(frozen=True)
class Backlink:
    """A post that links to another: where (file line) and the sentence around the link."""

    path: str
    title: str
    line: int
    context: str

    def to_json(self) -> dict[str, object]:
        return {"path": self.path, "title": self.title, "line": self.line, "context": self.context}


@dataclass(frozen=True)
class _Out:
    target: str
    line: int
    context: str


def candidate_links(body: str, body_line: int = 1) -> list[tuple[RawLink, str]]:
    """The links a post's body may hold, each with the text of its line (code skipped)."""
    found: list[tuple[RawLink, str]] = []
    if not _MAY_LINK.search(body):
        return found
    if "{%" in body or "{{" in body:  # site tags (post_url, post_link, ref) made links
        body = preprocess(body)
    fences = Fences()
    lines = body.split("\n")
    for offset, line in enumerate(lines):
        if fences.code(line):
            continue
        if line.startswith(("    ", "\t")) and not line.strip().startswith(("-", "*", "+", ">")):
            continue  # an indented code block (or a continuation line: rarely a link)
        text = _CODE_SPAN.sub("", line[:LINE_CAP])
        if "](" not in text and "href" not in text and "://" not in text and "]:" not in text:
            continue
        number = body_line + offset
        if len(found) >= MAX_LINKS:
            break

        source = _paragraph(lines, offset)

        def add(url: str, label: str, image: bool = False, source: str = source, at: int = number) -> None:
            found.append((RawLink(len(found) + 1, label, url, at, image), source))

        inline = list(_inline_links(text))
        for _start, _end, url, label, image in inline:
            add(url, label, image)
        definition = _DEFINITION.match(text)
        if definition:
            add(definition.group(2), definition.group(1))
        for match in _HREF.finditer(text):
            add(match.group(1), "")
        for match in _AUTOLINK.finditer(text):
            add(match.group(1), "")
        for start, end, *_ in reversed(inline):
            text = text[:start] + " " + text[end:]  # a bare URL is one outside the links above
        for match in _BARE.finditer(text):
            add(match.group(0).rstrip(".,;:"), "")
    return found


def _inline_links(text: str) -> Iterator[tuple[int, int, str, str, bool]]:
    """`[label](url)` and `![alt](url)` in one line: (start, end, url, label, image), by hand
    instead of one regex (nested brackets made that regex slow on hostile lines)."""
    at = text.find("](")
    while at != -1:
        depth, opener = 0, -1
        for index in range(at - 1, max(-1, at - 1 - LABEL_CAP), -1):
            char = text[index]
            if char == "]":
                depth += 1
            elif char == "[":
                if depth == 0:
                    opener = index
                    break
                depth -= 1
        url = _URL.match(text, at + 2)
        if opener != -1 and url is not None:
            image = opener > 0 and text[opener - 1] == "!"
            start = opener - 1 if image else opener
            end = url.end()
            close = text.find(")", end, end + LABEL_CAP)
            yield start, close + 1 if close != -1 else end, url.group(1), text[opener + 1 : at], image
        at = text.find("](", at + 2)


def _paragraph(lines: list[str], at: int) -> str:
    """The lines of the paragraph holding line `at`, joined (a hard-wrapped sentence goes on
    past its line); a list item, a table row, a heading or a quote line is its own."""
    start = end = at
    while start > 0 and at - start < PARAGRAPH_LINES and lines[start - 1].strip():
        if _BLOCK_START.match(lines[start]) or _BLOCK_START.match(lines[start - 1]):
            break
        start -= 1
    while end + 1 < len(lines) and end - at < PARAGRAPH_LINES and lines[end + 1].strip():
        if _BLOCK_START.match(lines[end + 1]) or FENCE.match(lines[end + 1]):
            break
        end += 1
    return " ".join(line[:LINE_CAP].strip() for line in lines[start : end + 1])


def _plain(markdown: str) -> str:
    """Markdown as the words a reader sees: links as their text, math as the post pane reads
    it (`$s$와` is s와), no emphasis, tags or pipes."""
    return " ".join(read_math(_LIST_MARK.sub("", markdown), _unmarked).split())


def _unmarked(text: str) -> str:
    text = _MARKUP.sub(lambda m: m.group(1) or "", text)
    return _MARKUP.sub(lambda m: m.group(1) or "", text).replace("|", " ")


def context_of(line: str, label: str, title_of: Callable[[str], str | None] | None = None) -> str:
    """The sentence of `line` holding the link `label`, as plain text, cut to CONTEXT_CELLS; a
    `{% post_link slug %}` reads as the post pane shows it, by the title `title_of(slug)` gives."""
    if len(line) > CONTEXT_WINDOW:  # a long paragraph: only the part around the link is read
        at = max(0, line.find(label) - CONTEXT_WINDOW // 2) if label else 0
        line = line[at : at + CONTEXT_WINDOW]
    titles: list[str] = []
    label_plain = ""
    if title_of is not None and POST_TITLE in line:

        def held(match: re.Match[str]) -> str:
            nonlocal label_plain
            name = match.group(2).partition("#")[0]
            titles.append(title_of(name) or match.group(1))
            token = f"\ue000{len(titles) - 1}\ue001"
            if not label_plain and match.group(1) == label:
                label_plain = token
            return token

        line = _TITLED.sub(held, line)
    plain = _plain(line)
    sentences = [s for s in _SENTENCE_END.split(plain) if s.strip()] or [plain]
    label_plain = label_plain or _plain(label)
    sentence = next((s for s in sentences if label_plain and label_plain in s), sentences[0])
    if titles:
        label_plain = _HELD.sub(lambda m: titles[int(m.group(1))], label_plain)
        sentence = _HELD.sub(lambda m: titles[int(m.group(1))], sentence)
    if len(sentence) > CONTEXT_CELLS:
        at = max(0, sentence.find(label_plain) - CONTEXT_CELLS // 3) if label_plain else 0
        sentence = ("…" if at else "") + sentence[at : at + CONTEXT_CELLS] + "…"
    return printable(sentence.strip())


def outgoing(post: Post, snapshot: Snapshot, candidates: list[tuple[RawLink, str]] | None = None) -> list[_Out]:
    """The other posts `post` links to, each with the line and sentence of the link."""
    if candidates is None:
        candidates = candidate_links(post.body, post.body_line)
    if not candidates:
        return []
    context = LinkContext(
        post_path=post.path,
        slugs=SlugMap(),
        has_post=snapshot.__contains__,
        post_for_url=snapshot.post_for_url,
        post_for_name=snapshot.post_for_name,
        slugs_of=lambda _path: None,  # where in the post does not matter here
        title_of=snapshot.title_of,
    )
    out: list[_Out] = []
    seen: set[tuple[str, int]] = set()

    def title_of(name: str) -> str | None:  # a post_link's slug -> the title shown for it
        path = snapshot.post_for_name(name)
        return snapshot.title_of(path) if path is not None else None

    for link, (raw, source) in zip(resolve([c for c, _ in candidates], context), candidates, strict=True):
        target = link.target
        if link.kind != "post" or link.broken or not target or target == post.path or target not in snapshot:
            continue
        key = (target, link.line)
        if key not in seen:
            seen.add(key)
            out.append(_Out(snapshot.get(target).path, link.line, context_of(source, raw.text, title_of)))
    return out


class BacklinkMap:
    """Who links to whom, over one snapshot; rebuilt for a new snapshot from the posts that
    changed (each post's scan is kept by its digest)."""

    def __init__(self) -> None:
        # path -> (digest, candidate links, the posts they reach)
        self._scans: dict[str, tuple[str, list[tuple[RawLink, str]], list[_Out]]] = {}
        self._incoming: dict[str, list[Backlink]] = {}
        self.snapshot: Snapshot | None = None

    def update(
        self,
        snapshot: Snapshot,
        full_post: Callable[[Post], Post],
        cancelled: Callable[[], bool] | None = None,
    ) -> bool:
        """Scan the posts of `snapshot` that are new or changed (their bodies read through
        `full_post`); False when cancelled (the map is then left as it was)."""
        scans: dict[str, tuple[str, list[tuple[RawLink, str]], list[_Out]]] = {}
        titles: dict[str, str] = {}
        # A post added, removed, renamed or edited (its permalink, its date) can change where
        # any link leads: then every kept scan is resolved again (no file is read for that).
        same_posts = (
            self.snapshot is not None
            and self.snapshot.files.keys() == snapshot.files.keys()
            and all(
                (kept := self._scans.get(post.path)) is not None and kept[0] == post.digest for post in snapshot.posts
            )
        )
        for post in snapshot.posts:
            if cancelled is not None and cancelled():
                return False
            titles[post.path] = post.title
            kept = self._scans.get(post.path)
            if kept is not None and post.digest and kept[0] == post.digest:
                if same_posts:
                    scans[post.path] = kept
                else:
                    scans[post.path] = (kept[0], kept[1], outgoing(post, snapshot, kept[1]))
                continue
            try:
                full = full_post(post)
            except OSError:
                continue
            candidates = candidate_links(full.body, full.body_line)
            scans[post.path] = (post.digest, candidates, outgoing(full, snapshot, candidates))
        incoming: dict[str, list[Backlink]] = {}
        for source, (_digest, _candidates, links) in scans.items():
            for out in links:
                incoming.setdefault(out.target, []).append(Backlink(source, titles[source], out.line, out.context))
        for found in incoming.values():
            found.sort(key=lambda b: (b.path, b.line))
        self._scans, self._incoming, self.snapshot = scans, incoming, snapshot
        return True

    def of(self, path: str) -> list[Backlink]:
        return list(self._incoming.get(path, ()))

    def sources(self) -> Iterable[str]:
        return self._scans.keys()


__all__ = ["Backlink", "BacklinkMap", "candidate_links", "context_of", "outgoing"]
