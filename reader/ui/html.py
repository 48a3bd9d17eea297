"""Raw HTML in a post, shown as the site shows it: text, links, image placeholders, tables.

Read with the standard library's HTML parser, never with regular expressions.
Nothing runs: scripts, styles and comments are dropped (a gist's script leaves a
link to the gist, whose code the site shows there), every attribute but the
address of a link or an image is ignored, and all text stays plain text.
The links are numbered in the same order as the Document numbered them:
each `<a href>`, `<img src>` and gist `<script src>` takes the next number on its token.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from posixpath import basename
from urllib.parse import urlsplit

from rich.console import OverflowMethod, RenderableType
from rich.style import Style
from rich.table import Table
from rich.text import Span, Text

from reader.posts.document import embedded_gist
from reader.posts.text import clean
from reader.ui.palette import Palette

BLOCK_TAGS = frozenset(
    {
        "p",
        "div",
        "figure",
        "figcaption",
        "center",
        "section",
        "article",
        "header",
        "footer",
        "blockquote",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "ul",
        "ol",
        "li",
        "dl",
        "dt",
        "dd",
        "pre",
        "details",
        "summary",
        "aside",
        "nav",
        "main",
        "address",
        "hr",
        "tr",
    }
)
DROPPED_TAGS = frozenset({"script", "style", "template", "noscript", "head", "title"})
INLINE_STYLES = {
    "b": Style(bold=True),
    "strong": Style(bold=True),
    "i": Style(italic=True),
    "em": Style(italic=True),
    "u": Style(underline=True),
    "s": Style(strike=True),
    "del": Style(strike=True),
    "strike": Style(strike=True),
    "mark": Style(reverse=True),
    "kbd": Style(bold=True),
}

# A table or grid cell holding the author's text wraps, and what still does not fit folds onto
# the next line: Rich's default ends the line in "…", and its wrap measures a line of wide
# characters that exactly fills the cell as one cell too long (Rich 15: "가나다라 마바사아"
# in a 17-cell column became "가나다라 마바사 …"), dropping the author's words.
TEXT_OVERFLOW: OverflowMethod = "fold"


# Between 🖼 and its `[label]`: nothing, so a line is never broken there (Rich and Textual break
# lines at any `\s`, the no-break space U+00A0 included; a blank that is not whitespace, such
# as U+2800, would be copied with the text).
IMAGE_JOIN = ""


def image_placeholder(label: str) -> str:
    """An image as a post shows it, `🖼 [label]`, kept on one line."""
    return f"🖼{IMAGE_JOIN}[{label}]"


def image_label(alt: str, title: str, src: str) -> str:
    """What an image placeholder says: its alt text, else its title, else its file name."""
    name = basename(urlsplit(src).path) if src else ""
    return clean(" ".join((alt or title or name or "image").split()))


@dataclass
class Tag:
    """One tag of an inline HTML token, as the renderer needs it."""

    name: str
    closing: bool
    attrs: dict[str, str] = field(default_factory=dict)


class _OneTag(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tag: Tag | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tag = Tag(tag, False, {k: v or "" for k, v in attrs})

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        self.tag = Tag(tag, True)


def inline_tag(source: str) -> Tag | None:
    """The tag an `html_inline` token holds; None for a comment or anything else."""
    parser = _OneTag()
    parser.feed(source)
    parser.close()
    return parser.tag


class _Blocks(HTMLParser):
    """An HTML block to paragraphs of Text and tables."""

    def __init__(self, palette: Palette, numbers: list[int]) -> None:
        super().__init__(convert_charrefs=True)
        self.palette = palette
        self.numbers = iter(numbers)
        self.out: list[RenderableType] = []
        self.text = Text()
        self.styles: list[Style] = []
        self.links: list[tuple[int, int | None]] = []  # start offset, number
        self.dropping = 0
        self.pre = 0
        self.table: list[list[Text]] | None = None
        self.cell: Text | None = None
        self.texts: list[Text] = []  # every Text made, table cells too (search highlights them)

    # --- text ---------------------------------------------------------------------------

    @property
    def target(self) -> Text:
        return self.cell if self.cell is not None else self.text

    def style(self) -> Style:
        return Style.combine(self.styles) if self.styles else Style()

    def flush(self) -> None:
        text = self.text
        text.rstrip()
        if text.plain.strip():
            self.out.append(text)
            self.texts.append(text)
        self.text = Text()

    def handle_data(self, data: str) -> None:
        if self.dropping:
            return
        if not self.pre:
            # Runs of white space made one space, as a browser shows them: kept at the ends
            # too (`— <b>name</b>, <cite>…`), except where the text already ends in one.
            if data.strip():
                data = (" " if data[0].isspace() else "") + " ".join(data.split()) + (" " if data[-1].isspace() else "")
            else:
                data = " " if data else ""
            if not self.target.plain or self.target.plain.endswith((" ", "\n")):
                data = data.lstrip()
        self.target.append(clean(data), self.style())

    # --- tags ---------------------------------------------------------------------------

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        if tag == "script" and not self.dropping and (page := embedded_gist(values.get("src", ""))):
            self.gist(page)
        if tag in DROPPED_TAGS:
            self.dropping += 1
            return
        if self.dropping:
            return
        if tag == "table":
            self.flush()
            self.table = []
        elif tag == "tr" and self.table is not None:
            self.table.append([])
        elif tag in ("td", "th") and self.table is not None:
            self.cell = Text(style="bold" if tag == "th" else "")
        elif tag == "br":
            self.target.append("\n")
        elif tag == "img":
            self.image(values)
        elif tag == "a":
            number = next(self.numbers, None) if values.get("href") else None
            self.links.append((len(self.target), number))
        elif tag == "iframe":
            self.target.append(
                f"▶ [{image_label('', values.get('title', ''), values.get('src', ''))}]", self.palette.image
            )
        elif tag == "hr":
            self.flush()
            self.out.append(Text("─" * 20, style=self.palette.muted))
        elif tag in BLOCK_TAGS:
            self.flush()
            if tag == "li":
                self.text.append("• ", self.palette.bullet)
            if tag == "pre":
                self.pre += 1
            self.styles.append(Style(bold=True) if tag.startswith("h") and tag[1:].isdigit() else Style())
        elif tag in ("code", "tt"):
            self.styles.append(self.palette.code)
        elif tag in INLINE_STYLES:
            self.styles.append(INLINE_STYLES[tag])

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in ("br", "img", "hr", "iframe") and tag not in DROPPED_TAGS:
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in DROPPED_TAGS:
            self.dropping = max(0, self.dropping - 1)
            return
        if self.dropping:
            return
        if tag in ("td", "th") and self.table is not None and self.cell is not None:
            if not self.table:
                self.table.append([])
            self.table[-1].append(self.cell)
            self.texts.append(self.cell)
            self.cell = None
        elif tag == "table" and self.table is not None:
            self.out.append(_table(self.table, self.palette))
            self.table = None
        elif tag == "a" and self.links:
            start, number = self.links.pop()
            link_text(self.target, start, len(self.target), number, self.palette)
        elif tag in BLOCK_TAGS or tag in ("code", "tt") or tag in INLINE_STYLES:
            if tag in BLOCK_TAGS:
                if tag == "pre":
                    self.pre = max(0, self.pre - 1)
                self.flush()
            if self.styles:
                self.styles.pop()

    def gist(self, page: str) -> None:
        """A gist's code, which the site shows here: `</> [gist a/0f45e15]`, its link numbered."""
        number = next(self.numbers, None)
        start = len(self.target)
        *owner, gist = page.removeprefix("https://gist.github.com/").split("/")
        self.target.append(f"</> [gist {'/'.join([*owner, gist[:7]])}]", self.palette.image)
        link_text(self.target, start, len(self.target), number, self.palette, underline=False)

    def image(self, values: dict[str, str]) -> None:
        src = values.get("src", "")
        number = next(self.numbers, None) if src else None
        start = len(self.target)
        label = image_label(values.get("alt", ""), values.get("title", ""), src)
        self.target.append(image_placeholder(label), self.style() + self.palette.image)
        link_text(self.target, start, len(self.target), number, self.palette, underline=False)


def _table(rows: list[list[Text]], palette: Palette) -> Table:
    table = Table(show_header=False, border_style=palette.muted, expand=False)
    width = max((len(r) for r in rows), default=0)
    for _ in range(width):
        table.add_column(overflow=TEXT_OVERFLOW)
    for row in rows:
        table.add_row(*row, *[Text("")] * (width - len(row)))
    return table


def link_text(text: Text, start: int, end: int, number: int | None, palette: Palette, underline: bool = True) -> None:
    """Style text[start:end] (the end of `text`) as link `number`, and put the number after it.

    A link around an image (`[![alt](a.png)](url)`, `<a href><img src></a>`) is numbered
    before it: its number goes before the image's, so the numbers read in order, and each
    number stays its own link's (a click on the image's number opens the image).
    """
    tail = _numbers_at_end(text, start, end)
    style = palette.link if underline else Style()
    if number is not None:
        style += Style(meta={"link": number})
    text.stylize(style, start, tail)
    if number is None:
        return
    moved = text[tail:] if tail < len(text) else None
    if moved is not None:
        text.right_crop(len(text) - tail)
    text.append(f"[{number}]", palette.link_number + Style(meta={"link": number}))
    if moved is not None:
        text.append_text(moved)


def _numbers_at_end(text: Text, start: int, end: int) -> int:
    """Where the run of link numbers that ends text[start:end] begins (`end` if none)."""
    at = end
    while at > start:
        span = next((s for s in _spans_from(text, start) if s.end == at and _is_number(s)), None)
        if span is None:
            return at
        at = span.start
    return at


def _spans_from(text: Text, start: int) -> Iterator[Span]:
    """The spans made since offset `start` (a link's text), the newest first: spans are made
    in the order text is appended, so the first one starting before `start` ends the walk."""
    for span in reversed(text.spans):
        if span.start < start:
            return
        yield span


def _is_number(span: Span) -> bool:
    """Whether a span is a link number link_text put (dim, `[n]`, the link's meta)."""
    style = span.style
    if not isinstance(style, Style) or not style.dim:
        return False
    number = style.meta.get("link") if style.meta else None
    return isinstance(number, int) and span.end - span.start == len(f"[{number}]")


def html_block(source: str, palette: Palette, numbers: list[int]) -> tuple[list[RenderableType], list[Text]]:
    """The renderables of a block of raw HTML (paragraphs of Text, tables; maybe none), and
    every Text among them, table cells included (search highlights them)."""
    parser = _Blocks(palette, numbers)
    parser.feed(source)
    parser.close()
    parser.flush()
    return parser.out, parser.texts
