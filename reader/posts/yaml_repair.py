"""Recovering what broken front matter still says: repairing common YAML mistakes, reading key lines.

Bloggers write `title: Python: 시작하기` (an unquoted colon), tabs for
indentation and unclosed brackets; the post is never dropped for it.
"""

from __future__ import annotations

import re
from typing import Any

KEY_LINE = re.compile(r"^([A-Za-z_][\w.-]*)\s*:(?:\s+(.*?))?\s*$")
_ITEM_LINE = re.compile(r"^\s+-\s+(.*?)\s*$|^-\s+(.*?)\s*$")


def flow_depth(block: str) -> tuple[int, int]:
    """The deepest `[`/`{` nesting outside quotes, and the line (0-based) where it is reached."""
    deepest = depth = line = at = 0
    quote = ""
    for char in block:
        if char == "\n":
            line += 1
            quote = ""  # a flow scalar across lines is rare in front matter; be conservative
        elif quote:
            if char == quote:
                quote = ""
        elif char in "'\"":
            quote = char
        elif char in "[{":
            depth += 1
            if depth > deepest:
                deepest, at = depth, line
        elif char in "]}" and depth:
            depth -= 1
    return deepest, at


def repair_yaml(block: str) -> str:
    out = []
    for line in block.split("\n"):
        stripped = line.lstrip("\t ")
        indent = line[: len(line) - len(stripped)].replace("\t", "  ")
        line = indent + stripped
        match = KEY_LINE.match(line)
        if match and match.group(2):
            key, value = match.groups()
            if value[0] in "[{" and _depth(value) > 0:
                closers = "".join("]" if c == "[" else "}" for c in reversed(_open_brackets(value)))
                line = f"{key}: {value}{closers}"
            elif _needs_quotes(value):
                value = "'" + value.replace("'", "''") + "'"
                line = f"{key}: {value}"
        out.append(line)
    return "\n".join(out)


def _needs_quotes(value: str) -> bool:
    if value[0] in "'\"" and value[-1] == value[0] and len(value) > 1:
        return False
    if value[0] in "[{" and _depth(value) == 0:
        return False
    return ": " in value or value.endswith(":") or " #" in value or value[0] in "@`%&*!|>[{]}"


def _open_brackets(value: str) -> list[str]:
    stack: list[str] = []
    for char in value:
        if char in "[{":
            stack.append(char)
        elif char in "]}" and stack:
            stack.pop()
    return stack


def _depth(value: str) -> int:
    return len(_open_brackets(value))


def recover_lines(block: str) -> dict[str, Any]:
    """A forgiving line parser: `key: value` and `- item` lines only."""
    data: dict[str, Any] = {}
    current: str | None = None
    for line in block.split("\n"):
        line = line.replace("\t", "  ")
        match = KEY_LINE.match(line)
        if match:
            current, value = match.group(1), (match.group(2) or "").strip()
            if not value:
                data[current] = []
            elif value.startswith("["):
                data[current] = [unquote(v) for v in value.strip("[]").split(",") if v.strip()]
            elif not value.startswith(("*", "&", "!")):
                data[current] = unquote(value)
            continue
        item = _ITEM_LINE.match(line)
        if item and current is not None and isinstance(data.get(current), list):
            data[current].append(unquote(item.group(1) or item.group(2) or ""))
    return {k: v for k, v in data.items() if v != []}


def unquote(value: str) -> str:
    value = value.strip()
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
        return value[1:-1]
    return value.lstrip("'\"")
