"""The core's messages: English text made from a template and its values, and read back into them.

Everything the core says to a person (a post's warnings, why a file was skipped, why the index
cannot be used, what is wrong in the config) is made by `say(template, **values)`, the template
a literal at the call. The text is English, and stays so wherever it goes: the index stores it,
`--json` prints it, scripts match on it. An interface that speaks another language reads a
text back into its template and values (`read`, given the templates it has words for) and says
the template in its own words; the core never knows which language that is.

A value's name says what it holds, and so how it is read back and said:
- `message…`: another message of the core (read back in turn, said in the same language);
- `error…`: the system's or a library's words (`strerror`, PyYAML's problem), or a message of
  the core (read back then): an interface says the words in its own when it knows them;
- `count`, `line`, `size`, … (NUMBERS): digits;
- `where` (`at`'s place: a path, `path:line:column`): data that may hold any text;
- anything else is data (a file name, a date typed in a post, a key): never translated.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from functools import cache, lru_cache
from typing import NamedTuple

NUMBERS = frozenset({"count", "line", "column", "size", "limit", "depth", "schema", "expected"})
_SLOT = re.compile(r"\{(\w+)\}")


def say(template: str, /, **values: object) -> str:
    """The English text of `template` with `values` filled in: what the core keeps and gives out."""
    return template.format(**values) if values else template


PLACE = "{where}: {message}"  # `at`'s: only ever a whole text, never inside another message
JOINED = "{message}; {message2}"  # `joined`'s: nested to the right, never on its left
# A text longer than this, no reading of which is found within this many ways tried, or that
# nests messages deeper, is said as it is (a config of hundreds of unknown keys: each one more
# joined is a message deeper; a value full of "; ": each a place to split).
MAX_TEXT = 2_000
MAX_TRIES = 10_000
MAX_DEPTH = 50


def at(where: str, message: str) -> str:
    """A message about one place: `path: message`, `path:line:column: message`."""
    return say("{where}: {message}", where=where, message=message)


def joined(messages: Collection[str]) -> str:
    """Several messages in one line, `a; b; c`."""
    texts = list(messages)
    line = texts[-1]
    for text in reversed(texts[:-1]):
        line = say("{message}; {message2}", message=text, message2=line)  # JOINED, written out for the catalog's test
    return line


class Message(NamedTuple):
    """A text read back: its template, and its values (a `message…` value read back in turn, an
    `error…` value too when it is a message)."""

    template: str
    values: dict[str, str | Message]

    def __str__(self) -> str:
        return say(self.template, **{name: str(value) for name, value in self.values.items()})


def slots(template: str) -> list[str]:
    """The names of a template's values, in order."""
    return _SLOT.findall(template)


def read(text: str, templates: Collection[str]) -> Message | None:
    """`text` read back as one of `templates` (None when none makes it), `message…` values read
    back too: the reading that leaves the fewest characters to data and error values (a place
    is data, whatever it holds, so the place is as long as the rest still reads as a message:
    a file named `2020: cannot read: 회고.md` stays one), then the one of the most templates.
    Any reading gives the same English back; a text made to look like a template (a folder
    named `skipped`) may be read as one, and said with its words."""
    return _Reader(_compiled(tuple(templates))).read(text)


class _Reading(NamedTuple):
    message: Message
    free: int  # characters of data and error values: the fewer, the more of it templates explain
    depth: int  # templates used


_Compiled = tuple[str, tuple[str, ...], tuple[str, ...]]  # a template, its literals and its names


@lru_cache(maxsize=8)
def _compiled(templates: tuple[str, ...]) -> dict[str, list[_Compiled]]:
    """The templates by the first character of their text ("": those that start with a value)."""
    by_first: dict[str, list[_Compiled]] = {"": []}
    for template in templates:
        literals, names = _split(template)
        by_first.setdefault(literals[0][:1], []).append((template, literals, names))
    return by_first


class _GaveUp(Exception):
    """More ways tried, or messages nested deeper, than a message of the core ever needs."""


class _Reader:
    def __init__(self, templates: dict[str, list[_Compiled]]) -> None:
        self.templates = templates
        self.known: dict[tuple[str, bool, bool], _Reading | None] = {}
        self.tries = 0
        self.depth = 0

    def read(self, text: str) -> Message | None:
        if len(text) > MAX_TEXT:
            return None
        try:
            found = self._best(text, True)
        except _GaveUp:
            return None
        return None if found is None else found.message

    def _best(self, text: str, whole: bool = False, joins: bool = True) -> _Reading | None:
        """The best reading of `text`, the whole text or (not `whole`) a value inside another:
        a place is never inside (a file name with `: cannot read: ` in it stays one), nor a
        join on a join's left (`joined` nests to the right: read so, n joined messages are
        ~n² ways, not n³ and a recursion n deep on each side)."""
        key = (text, whole, joins)
        if key in self.known:
            return self.known[key]
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise _GaveUp
        try:
            return self._best_new(text, whole, joins, key)
        finally:
            self.depth -= 1

    def _best_new(self, text: str, whole: bool, joins: bool, key: tuple[str, bool, bool]) -> _Reading | None:
        self.known[key] = None  # a message inside itself is never read: no endless recursion
        best: _Reading | None = None
        for template, literals, names in [*self.templates[""], *self.templates.get(text[:1], ())]:
            if (template == PLACE and not whole) or (template == JOINED and not joins):
                continue
            if not (text.startswith(literals[0]) and text.endswith(literals[-1])):
                continue
            if len(text) < len(literals[0]) + len(literals[-1]) and names:
                continue
            for values, free, depth in self._fill(text, len(literals[0]), template, literals, names, 0):
                if best is None or (free, -depth) < (best.free, -best.depth):
                    best = _Reading(Message(template, values), free, depth)
        self.known[key] = best
        return best

    def _fill(
        self, text: str, at: int, template: str, literals: tuple[str, ...], names: tuple[str, ...], index: int
    ) -> list[tuple[dict[str, str | Message], int, int]]:
        """Every way to read text[at:] as the template from its value `index` on."""
        self.tries += 1
        if self.tries > MAX_TRIES:
            raise _GaveUp
        if index == len(names):
            return [({}, 0, 1)] if at == len(text) else []
        after = literals[index + 1]
        last = index == len(names) - 1
        ends = [len(text) - len(after)] if last else _occurrences(text, after, at, len(text) - len(literals[-1]))
        out = []
        for end in ends:
            if end < at:
                continue
            value = self._value(names[index], text[at:end], template != JOINED or index > 0)
            if value is None:
                continue
            for values, free, depth in self._fill(text, end + len(after), template, literals, names, index + 1):
                out.append(({names[index]: value[0], **values}, free + value[1], depth + value[2]))
        return out

    def _value(self, name: str, value: str, joins: bool = True) -> tuple[str | Message, int, int] | None:
        if name.startswith("message"):
            found = self._best(value, joins=joins) if value else None
            return None if found is None else (found.message, found.free, found.depth)
        if name in NUMBERS:
            return (value, 0, 0) if value.isdigit() and value.isascii() else None
        if name == "where":
            return value, 0, 0
        if name.startswith("error"):  # the system's words, or a message of the core
            found = self._best(value) if value else None
            if found is not None:
                return found.message, found.free, found.depth
        return value, len(value), 0


@cache
def _split(template: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    parts = _SLOT.split(template)  # literal, name, literal, …, literal
    return tuple(parts[0::2]), tuple(parts[1::2])


def _occurrences(text: str, literal: str, start: int, stop: int) -> list[int]:
    found, at = [], text.find(literal, start, stop)
    while at >= 0:
        found.append(at)
        at = text.find(literal, at + 1, stop)
    return found
