"""argparse as the `reader` command speaks: help wrapped in cells, argparse's own words in the
CLI's language, usage errors as JSON when the words ask for it."""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Callable, Iterable
from typing import Any, NoReturn

from reader.cli.i18n import t
from reader.cli.output import report_error
from reader.posts.text import cell_width


class CellsHelp(argparse.HelpFormatter):
    """argparse's help, its lines wrapped at the terminal's width in cells: it counts
    characters, and a Korean help text (two cells a syllable) ran past the screen's edge.
    Its own words, the `usage:` prefix and the sections it names itself, are said in the
    CLI's language (argparse asks gettext, which knows the locale, not the config's language)."""

    def _format_usage(
        self, usage: str | None, actions: Iterable[argparse.Action], groups: Iterable[Any], prefix: str | None
    ) -> str:
        """argparse counts the `usage:` prefix in characters when it wraps the usage and puts
        its lines under the first: it gets spaces as wide as the words are, those after."""
        said = t("usage: ") if prefix is None else prefix
        pad = " " * cell_width(said)
        if usage is not None:  # given on several lines: those after the first under it
            first, *rest = usage.split("\n")
            usage = "\n".join([first, *(pad + line.lstrip() for line in rest)])
        return said + super()._format_usage(usage, actions, groups, pad)[len(pad) :]

    def start_section(self, heading: str | None) -> None:
        own = {"positional arguments": t("positional arguments"), "options": t("options")}
        super().start_section(own.get(heading or "", heading))

    def _split_lines(self, text: str, width: int) -> list[str]:
        return _wrapped(text, width) if cell_width(text) > len(text) else super()._split_lines(text, width)

    def _fill_text(self, text: str, width: int, indent: str) -> str:
        if cell_width(text) == len(text):
            return super()._fill_text(text, width, indent)
        return "\n".join(indent + line for line in _wrapped(text, width - len(indent)))


def _wrapped(text: str, width: int) -> list[str]:
    """`text`'s words in lines of at most `width` cells (a longer word alone on its line)."""
    lines: list[str] = []
    line: list[str] = []
    used = 0
    for word in text.split():
        size = cell_width(word)
        if line and used + 1 + size > width:
            lines.append(" ".join(line))
            line, used = [], 0
        used += size + (1 if line else 0)
        line.append(word)
    return [*lines, " ".join(line)] if line else lines


class Parser(argparse.ArgumentParser):
    """argparse's parser, whose usage errors come as every other error does when the words ask
    for JSON: one JSON object on stderr (kind "usage"), exit code 2, argparse's words as it
    has them. Otherwise its help and its errors are said in the CLI's language, wrapped in
    cells (CellsHelp), its commands' too."""

    json_errors = False

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", CellsHelp)
        add_help = kwargs.get("add_help", True)
        kwargs["add_help"] = False
        super().__init__(*args, **kwargs)
        if add_help:  # argparse's own -h, its text ours
            self.add_argument(
                "-h", "--help", action="help", default=argparse.SUPPRESS, help=t("show this help message and exit")
            )

    def error(self, message: str) -> NoReturn:
        if self.json_errors:
            report_error(message, "usage", as_json=True)
            self.exit(2)
        self.print_usage(sys.stderr)
        self.exit(2, t("{prog}: error: {message}", prog=self.prog, message=said(message)) + "\n")


def said(message: str) -> str:
    """argparse's error `message` (or one of our value checks') in the CLI's language; a
    message it does not know as it is."""
    for msgid, say in ERRORS.items():
        match = _pattern(msgid).fullmatch(message)
        if match:
            return say(match.groupdict())
    return message


# argparse's error messages, as its gettext calls have them (Python 3.11), those our parser
# can give; each said through t(), its values (the user's words, argparse's lists) as they are.
ERRORS: dict[str, Callable[[dict[str, str]], str]] = {
    "argument %(argument_name)s: %(message)s": lambda v: t(
        "argument {argument}: {message}", argument=v["argument_name"], message=said(v["message"])
    ),
    "the following arguments are required: %s": lambda v: t(
        "the following arguments are required: {arguments}", arguments=v["s"]
    ),
    "unrecognized arguments: %s": lambda v: t("unrecognized arguments: {arguments}", arguments=v["s"]),
    "expected one argument": lambda v: t("expected one argument"),
    "invalid choice: %(value)r (choose from %(choices)s)": lambda v: t(
        "invalid choice: {value} (choose from {choices})", value=v["value"], choices=v["choices"]
    ),
    "ambiguous option: %(option)s could match %(matches)s": lambda v: t(
        "ambiguous option: {option} could match {matches}", option=v["option"], matches=v["matches"]
    ),
    "ignored explicit argument %r": lambda v: t("ignored explicit argument {value}", value=v["r"]),
    # Ours: the value checks' (`bad_value`).
    "not a number: %(value)s": lambda v: t("not a number: {value}", value=v["value"]),
    "must be between 0 and 10080 (a week)": lambda v: t("must be between 0 and 10080 (a week)"),
    "must be between %(low)s and %(high)s": lambda v: t("must be between {low} and {high}", **v),
}


def bad_value(msgid: str, **values: object) -> argparse.ArgumentTypeError:
    """A value check's error (an option's type), worded in English as argparse's own are and,
    like them, said in the CLI's language by the parser (`msgid` is one of ERRORS'), while a
    JSON usage error keeps it as it is: `argument --limit: 수가 아닙니다` mixed the two there."""
    if msgid not in ERRORS:
        raise ValueError(f"{msgid!r} is not in ERRORS: it would not be said in Korean")
    return argparse.ArgumentTypeError(msgid % values if values else msgid)


def _pattern(msgid: str) -> re.Pattern[str]:
    """What argparse says with `msgid`: its `%(name)s` (or `%s`, `%r`) a group of that name."""
    parts = re.split(r"%(?:\((\w+)\))?([sr])", msgid)  # text, name, conversion, text, …
    pattern = re.escape(parts[0])
    for at in range(1, len(parts), 3):
        pattern += f"(?P<{parts[at] or parts[at + 1]}>.+?)" + re.escape(parts[at + 2])
    return re.compile(pattern, re.DOTALL)
