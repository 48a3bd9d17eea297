"""The search language: parsing a query string into a small tree, with hard limits.

    머신러닝 "자연어 처리" -초안 tag:python category:공부/머신러닝 title:검색
    date:2020  date:2019..2021  date:2020-06  (a OR b)  pyth*

Words are ANDed. A parser error is an InvalidQuery with a message for the
user (an IncompleteQuery for a query still being typed: a field with no value
yet, `tag:`, or a quote not closed yet, `"자연어`); hostile
input (very long, deeply nested, leading wildcards, too many terms) is
refused before any index work.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

MAX_QUERY_CHARS = 500
MAX_TERMS = 32
MAX_DEPTH = 8
TEXT_FIELDS = ("title", "tags", "categories", "body")
_FIELD_ALIASES = {
    "title": "title",
    "body": "body",
    "tag": "tag",
    "tags": "tag",
    "category": "category",
    "categories": "category",
    "cat": "category",
    "date": "date",
}
_EXAMPLES = {  # a field's example, in the message of a field with no value
    "title": "title:검색",
    "body": "body:검색",
    "tag": "tag:python",
    "category": "category:공부",
    "date": "date:2020",
}
_DATE = re.compile(r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?$")


class InvalidQuery(ValueError):
    """The query cannot be run. str() says why, in English; `kind` names the problem and each
    subclass's attributes hold its facts (the word, the limit), for an interface to say it in
    its own language (the app: reader.ui.query_problems)."""

    kind = "invalid"


class QueryTooLarge(InvalidQuery):
    """Over a hard limit, refused before any index work: `kind` is "too_long" (characters),
    "too_many_terms" or "too_deep" (groups inside groups); `limit` is the limit passed."""

    def __init__(self, kind: str, limit: int) -> None:
        self.kind, self.limit = kind, limit
        said = {"too_long": "longer than {} characters", "too_many_terms": "more than {} terms"}
        super().__init__(said.get(kind, "nested more than {} levels deep").format(limit))


class UnbalancedGroup(InvalidQuery):
    """A `)` no `(` opened (`kind` "unopened_group"), or a `(` no `)` closes ("unclosed_group")."""

    def __init__(self, kind: str) -> None:
        self.kind = kind
        super().__init__("unbalanced ')'" if kind == "unopened_group" else "missing ')'")


class BadWildcard(InvalidQuery):
    """A wildcard where none can be: first in `word` (`kind` "wildcard_first": `*ab`), not last
    ("wildcard_inside": `a*b`, `a?`), or after fewer than two characters ("short_prefix": `a*`)."""

    def __init__(self, kind: str, word: str) -> None:
        self.kind, self.word = kind, word  # the word as typed
        said = {
            "wildcard_first": f"a wildcard cannot start a word: {word!r}",
            "wildcard_inside": f"a wildcard may only end a word: {word!r}",
        }
        super().__init__(said.get(kind, "a prefix needs at least two characters before '*'"))


class BadDate(InvalidQuery):
    """A `date:` whose `value` (as typed) is not one: not YYYY, YYYY-MM or YYYY-MM-DD (`kind`
    "date_form"), a month or day no calendar has ("no_month", "no_day": `number`), or a range
    that ends before it starts ("date_backwards")."""

    def __init__(self, kind: str, value: str, number: int = 0) -> None:
        self.kind, self.value, self.number = kind, value, number
        said = {
            "date_form": f"date: expects YYYY, YYYY-MM or YYYY-MM-DD, not {value!r}",
            "no_month": f"no month {number} in {value!r}",
            "no_day": f"no day {number} in {value!r}",
        }
        super().__init__(said.get(kind, f"date range {value!r} ends before it starts"))


class NotText(InvalidQuery):
    """A query holding bytes that are not UTF-8 (a shell's $'\\xff')."""

    kind = "not_text"

    def __init__(self) -> None:
        super().__init__("the query is not valid UTF-8 text")


class IncompleteQuery(InvalidQuery):
    """A field with no value yet (`tag:`, `title: 검색`): a filter being typed, not a word to
    search for. The app keeps what it shows until the value comes; the CLI says what is missing."""

    kind = "incomplete"

    def __init__(self, field: str) -> None:
        self.field = field  # as typed (lower case): `tag`, `tags`, `cat`
        self.example = _EXAMPLES[_FIELD_ALIASES[field]]  # a field with its value: `tag:python`
        super().__init__(f"{field}: needs a value after the colon, as in {self.example}")


class UnclosedQuote(IncompleteQuery):
    """A phrase whose closing `"` is not typed yet (`"자연어 처`, `tag:"big`): incomplete, like
    `tag:`, rather than its words searched one by one (as a `(` with no `)` is refused)."""

    kind = "unclosed_quote"

    def __init__(self, phrase: str) -> None:
        self.field, self.example = "", ""
        self.phrase = phrase  # from its opening quote: `"자연어 처`
        InvalidQuery.__init__(self, f'the quote in {phrase} is not closed: end the phrase with "')


@dataclass(frozen=True)
class Word:
    text: str
    field: str | None = None  # one of TEXT_FIELDS, or None for all of them
    prefix: bool = False  # `pyth*`


@dataclass(frozen=True)
class Phrase:
    text: str
    field: str | None = None


@dataclass(frozen=True)
class Facet:
    """`tag:x` or `category:a/b`: an exact filter, not a text match.

    A category typed in a query is a name anywhere in the hierarchy (`category:용어` finds
    the posts in `ML/용어` and below it); one chosen in the sidebar (`anchored`) is the
    path from the top, as the sidebar lists it."""

    field: str  # "tag" or "category"
    value: str
    anchored: bool = False


@dataclass(frozen=True)
class DateRange:
    low: int  # YYYYMMDD
    high: int


@dataclass(frozen=True)
class Not:
    child: Node


@dataclass(frozen=True)
class And:
    children: tuple[Node, ...]


@dataclass(frozen=True)
class Or:
    children: tuple[Node, ...]


Node = Word | Phrase | Facet | DateRange | Not | And | Or

_LEXER = re.compile(
    r"\s+|(?P<open>\()|(?P<close>\))|(?P<neg>-)(?=\S)|(?P<field>[A-Za-z]+):(?=\S)|(?P<bare>[A-Za-z]+):(?=\s|$)"
    r'|"(?P<quoted>[^"]*)"|(?P<unclosed>"[^"]*$)|(?P<word>[^\s()"]+)'
)


@dataclass
class _Token:
    kind: str
    text: str


def _lex(query: str) -> list[_Token]:
    tokens: list[_Token] = []
    for match in _LEXER.finditer(query):
        kind = match.lastgroup
        if kind is None:
            continue
        text = match.group(kind)
        if kind in ("field", "bare") and text.lower() not in _FIELD_ALIASES:
            kind, text = "word", match.group(0)
        tokens.append(_Token(kind, text))
    # `word:` with an unknown field was turned into a word; glue it to what follows.
    return tokens


class _Parser:
    def __init__(self, tokens: list[_Token]) -> None:
        self.tokens = tokens
        self.pos = 0
        self.terms = 0

    def peek(self) -> _Token | None:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def take(self) -> _Token:
        token = self.tokens[self.pos]
        self.pos += 1
        return token

    def parse(self) -> Node | None:
        node = self.expression(0)
        if self.peek() is not None:
            raise UnbalancedGroup("unopened_group")
        return node

    def expression(self, depth: int) -> Node | None:
        if depth > MAX_DEPTH:
            raise QueryTooLarge("too_deep", MAX_DEPTH)
        alternatives: list[Node] = []
        current: list[Node] = []
        while (token := self.peek()) is not None and token.kind != "close":
            if token.kind == "word" and token.text in ("OR", "|"):
                self.take()
                if current:
                    alternatives.append(_and(current))
                current = []
                continue
            if token.kind == "word" and token.text == "AND":
                self.take()
                continue
            node = self.unary(depth)
            if node is not None:
                current.append(node)
        if current:
            alternatives.append(_and(current))
        if not alternatives:
            return None
        return alternatives[0] if len(alternatives) == 1 else Or(tuple(alternatives))

    def unary(self, depth: int) -> Node | None:
        token = self.take()
        if token.kind == "neg":
            if self.peek() is None:
                return None
            child = self.unary(depth)
            return Not(child) if child is not None else None
        if token.kind == "open":
            node = self.expression(depth + 1)
            if self.peek() is None:
                raise UnbalancedGroup("unclosed_group")
            self.take()
            return node
        if token.kind == "field":
            return self.field(token.text.lower())
        if token.kind == "bare":
            raise IncompleteQuery(token.text.lower())
        if token.kind == "quoted":
            return self.phrase(token.text, None)
        if token.kind == "unclosed":
            raise UnclosedQuote(token.text.rstrip())
        return self.word(token.text, None)

    def count(self) -> None:
        self.terms += 1
        if self.terms > MAX_TERMS:
            raise QueryTooLarge("too_many_terms", MAX_TERMS)

    def field(self, name: str) -> Node | None:
        target = _FIELD_ALIASES[name]
        token = self.take()
        value = token.text
        if token.kind in ("open", "close", "neg", "field", "bare") or not value.strip():
            raise IncompleteQuery(name)  # `(tag:)`, `tag:-x`, `tag:""`
        if token.kind == "unclosed":
            if not value[1:].strip():
                raise IncompleteQuery(name)  # `tag:"`: a quote just opened, the value not begun
            raise UnclosedQuote(value.rstrip())  # `tag:"big`, on the way to `tag:"big data"`
        if target == "date":
            return parse_date_range(value)
        if target in ("tag", "category"):
            value = _norm(value).lower().lstrip("#")
            if not value:
                raise IncompleteQuery(name)  # `tag:#`, on the way to `tag:#python`
            self.count()
            return Facet(target, value)
        return self.phrase(value, target) if token.kind == "quoted" else self.word(value, target)

    def phrase(self, text: str, field: str | None) -> Node | None:
        text = _norm(text).strip()
        if not text:
            return None
        self.count()
        return Phrase(text, field) if len(text.split()) > 1 else self.word(text, field, counted=True)

    def word(self, text: str, field: str | None, counted: bool = False) -> Node | None:
        text = _norm(text)
        prefix = False
        if not any(c.isalnum() for c in text):
            return None
        if "*" in text or "?" in text:
            if text[0] in "*?":
                raise BadWildcard("wildcard_first", text)
            if "?" in text or text.index("*") != len(text) - 1:
                raise BadWildcard("wildcard_inside", text)
            text, prefix = text[:-1], True
            if len(text) < 2:
                raise BadWildcard("short_prefix", text + "*")
        if not counted:
            self.count()
        return Word(text, field, prefix)


def _and(nodes: list[Node]) -> Node:
    return nodes[0] if len(nodes) == 1 else And(tuple(nodes))


def facet(field: str, value: str) -> Facet:
    """`tag:x` or `category:a/b` as the parser makes it, for a filter chosen elsewhere (the sidebar)."""
    return Facet(field, _norm(value).lower().lstrip("#"), anchored=True)


def within(node: Node, scope: Node | None) -> Node:
    """The query limited to `scope` (a facet or a date range), its words kept at the top level."""
    if scope is None:
        return node
    return And((*node.children, scope)) if isinstance(node, And) else And((node, scope))


def _norm(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def parse_date_range(value: str) -> DateRange:
    """`2020`, `2020-06`, `2020-06-27`, or two of those joined by `..`."""
    low_text, _, high_text = value.partition("..")
    low = _date_bound(low_text or "0001", high=False)
    high = _date_bound(high_text or low_text or "9999", high=True)
    if low > high:
        raise BadDate("date_backwards", value)
    return DateRange(low, high)


def _date_bound(text: str, high: bool) -> int:
    match = _DATE.match(text.strip())
    if not match:
        raise BadDate("date_form", text)
    year = int(match.group(1))
    month = int(match.group(2) or (12 if high else 1))
    if not 1 <= month <= 12:
        raise BadDate("no_month", text, month)
    import calendar  # here: a query without a date never loads it

    last = calendar.monthrange(year or 1, month)[1]
    day = int(match.group(3) or (last if high else 1))
    if not 1 <= day <= last:
        raise BadDate("no_day", text, day)
    return year * 10000 + month * 100 + day


def parse(query: str) -> Node | None:
    """Parse a query; None when it holds nothing to search for."""
    if len(query) > MAX_QUERY_CHARS:
        raise QueryTooLarge("too_long", MAX_QUERY_CHARS)
    if any("\ud800" <= c <= "\udfff" for c in query):
        # A byte that is not UTF-8 (a shell's $'\xff') arrives as a lone surrogate.
        raise NotText()
    if any(unicodedata.category(c) == "Cc" for c in query):
        query = "".join(" " if unicodedata.category(c) == "Cc" else c for c in query)
    return _Parser(_lex(query)).parse()
