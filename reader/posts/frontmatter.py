"""Splitting and parsing front matter (YAML, TOML, JSON), recovering what it can.

A post whose front matter is broken is never dropped: the parser reports
where it broke (file line and column) and recovers what the lines still say,
the title above all.
"""

from __future__ import annotations

import json
import re
import tomllib
from dataclasses import dataclass, field
from typing import Any

import frontmatter as pyfm
import yaml

from reader.posts.messages import say
from reader.posts.yaml_repair import KEY_LINE, flow_depth, recover_lines, repair_yaml, unquote

# Keys whose values we read from the YAML source text rather than from
# PyYAML's YAML 1.1 coercions (`yes` -> True, `2020` -> 2020, dates).
RAW_KEYS = frozenset(
    {"tags", "tag", "categories", "category", "date", "updated", "last_modified_at", "lastmod", "title"}
)
MAX_FRONT_MATTER = 64 * 1024
MAX_ALIASES = 64
MAX_RAW_ITEMS = 1000
MAX_FLOW_DEPTH = 64  # PyYAML's pure-Python scanner is quadratic in flow nesting


def _timestamp(loader: Any, node: yaml.ScalarNode) -> Any:
    """A timestamp as YAML reads it; as written when no calendar has it (`date: 2020-13-45`
    raised ValueError out of the whole load): the post says its date is unreadable."""
    try:
        return loader.construct_yaml_timestamp(node)
    except ValueError:
        return loader.construct_scalar(node)


class _PyLoader(yaml.SafeLoader):
    """PyYAML's own safe loader (its scanner points at the line a mistake is on)."""


_PyLoader.add_constructor("tag:yaml.org,2002:timestamp", _timestamp)
# libyaml's loader when PyYAML was built with it: ~20x faster on the same text.
_LOADER: Any = _PyLoader
if hasattr(yaml, "CSafeLoader"):

    class _CLoader(yaml.CSafeLoader):
        """libyaml's safe loader, reading timestamps as _PyLoader does."""

    _CLoader.add_constructor("tag:yaml.org,2002:timestamp", _timestamp)
    _LOADER = _CLoader

_TOML_KEY_LINE = re.compile(r"^([A-Za-z_][\w.-]*)\s*=\s*(.*?)\s*$")
_JSON_PAIR = re.compile(r'"([A-Za-z_][\w.-]*)"\s*:\s*("(?:[^"\\]|\\.)*"|\[[^\]]*\]|[^,}\n]+)')
_YAMLISH = re.compile(r"^(?:[A-Za-z_][\w.-]*\s*:(?:\s.*)?|\s*-\s.*|\s*-|[ \t]+\S.*|\s*#.*|\s*)$")


@dataclass
class FrontMatterIssue:
    line: int  # 1-based line in the file
    column: int  # 1-based
    message: str


@dataclass
class FrontMatter:
    """The result of splitting one post."""

    format: str  # "yaml", "toml", "json" or "none"
    data: dict[str, Any]
    raw: dict[str, Any]  # source-text scalars for RAW_KEYS (YAML only)
    body: str
    body_line: int  # 1-based line of the file where the body starts
    issues: list[FrontMatterIssue] = field(default_factory=list)


class _TOMLHandler(pyfm.default_handlers.BaseHandler):
    """python-frontmatter's TOML handler needs the `toml` package; tomllib is builtin."""

    FM_BOUNDARY = re.compile(r"^\+{3,}\s*$", re.MULTILINE)
    START_DELIMITER = END_DELIMITER = "+++"

    def load(self, fm: str, **kwargs: object) -> Any:
        return tomllib.loads(fm)

    def export(self, metadata: dict[str, object], **kwargs: object) -> str:
        raise NotImplementedError("reader never writes posts")


_HANDLERS = {
    "yaml": pyfm.default_handlers.YAMLHandler(),
    "toml": _TOMLHandler(),
    "json": pyfm.default_handlers.JSONHandler(),
}


def _detect(text: str) -> str:
    handler = pyfm.detect_format(text, list(_HANDLERS.values()))
    for name, known in _HANDLERS.items():
        if handler is known:
            return name
    return "none"


def parse(text: str) -> FrontMatter:
    """Split `text` into front matter and body, never raising."""
    fmt = _detect(text)
    lines = text.split("\n")
    if fmt == "json":
        return _parse_json(text)
    if fmt in ("yaml", "toml"):
        delimiter = "---" if fmt == "yaml" else "+++"
        close = next(
            (
                i
                for i in range(1, len(lines))
                if lines[i].rstrip() == delimiter or (fmt == "yaml" and lines[i].rstrip() == "...")
            ),
            None,
        )
        if close is None:
            return _parse_unclosed(lines, fmt)
        block = "\n".join(lines[1:close])
        body = "\n".join(lines[close + 1 :])
        parsed = _parse_yaml(block, 2) if fmt == "yaml" else _parse_toml(block, 2)
        return FrontMatter(fmt, parsed[0], parsed[1], body, close + 2, parsed[2])
    # Hexo allows the opening `---` to be left out: `title: x` lines, then `---`.
    if lines and KEY_LINE.match(lines[0]):
        close = next((i for i, line in enumerate(lines) if line.rstrip() == "---"), None)
        if close is not None and all(_YAMLISH.match(line) for line in lines[:close]):
            block = "\n".join(lines[:close])
            data, raw, issues = _parse_yaml(block, 1)
            body = "\n".join(lines[close + 1 :])
            return FrontMatter("yaml", data, raw, body, close + 2, issues)
    return FrontMatter("none", {}, {}, text, 1)


def _parse_unclosed(lines: list[str], fmt: str) -> FrontMatter:
    """An opening delimiter that never closes: keep the leading key lines."""
    end = 1
    pattern = _YAMLISH if fmt == "yaml" else re.compile(r"^(?:[A-Za-z_][\w.-]*\s*=.*|\s*#.*|\[.*\]\s*)$")
    while end < len(lines) and lines[end].strip() and pattern.match(lines[end]):
        end += 1
    block = "\n".join(lines[1:end])
    issue = FrontMatterIssue(
        1, 1, say("front matter opened with {delimiter} is never closed", delimiter=lines[0].strip())
    )
    if fmt == "yaml":
        data, raw, issues = _parse_yaml(block, 2)
    else:
        data, raw, issues = _parse_toml(block, 2)
    body = "\n".join(lines[end:])
    return FrontMatter(fmt, data, raw, body, end + 1, [issue, *issues])


# --- YAML -------------------------------------------------------------------


def _parse_yaml(block: str, first_line: int) -> tuple[dict, dict, list[FrontMatterIssue]]:
    """Parse a YAML block whose first line is file line `first_line`."""
    if len(block) > MAX_FRONT_MATTER:
        issue = FrontMatterIssue(first_line, 1, say("front matter is larger than {size} bytes", size=MAX_FRONT_MATTER))
        data = recover_lines(block[:MAX_FRONT_MATTER])
        return data, _raw_strings(data), [issue]
    depth, line = flow_depth(block)
    if depth > MAX_FLOW_DEPTH:
        issue = FrontMatterIssue(
            first_line + line, 1, say("invalid YAML: brackets nested more than {depth} deep", depth=MAX_FLOW_DEPTH)
        )
        data = recover_lines(block)
        if data:
            issue.message = say("{message} (recovered line by line)", message=issue.message)
        return data, _raw_strings(data), [issue]
    try:
        try:
            data, raw = _load_yaml(block)
        except yaml.YAMLError:
            if _LOADER is _PyLoader:
                raise
            # Broken YAML: PyYAML's own scanner points at the line the mistake is on
            # (libyaml reports where it gave up, often the line after).
            data, raw = _load_yaml(block, _PyLoader)
        return data, raw, []
    except _NotAMapping as exc:
        return {}, {}, [FrontMatterIssue(first_line, 1, str(exc))]
    except (yaml.YAMLError, RecursionError, _AliasBomb) as exc:
        issue = _yaml_issue(exc, first_line)
        bomb = isinstance(exc, _AliasBomb)
    # The common mistakes (an unquoted colon, a tab, an unclosed bracket) are
    # repaired line by line and parsed again; failing that, a line parser.
    repaired = block if bomb else repair_yaml(block)
    if repaired != block:
        try:
            data, raw = _load_yaml(repaired)
            issue.message = say("{message} (recovered)", message=issue.message)
            return data, raw, [issue]
        except (yaml.YAMLError, RecursionError, _AliasBomb, _NotAMapping):
            pass
    data = recover_lines(block)
    if data:
        issue.message = say("{message} (recovered line by line)", message=issue.message)
    return data, _raw_strings(data), [issue]


class _AliasBomb(ValueError):
    pass


class _NotAMapping(ValueError):
    pass


def _yaml_issue(exc: BaseException, first_line: int) -> FrontMatterIssue:
    if isinstance(exc, yaml.MarkedYAMLError) and exc.problem_mark is not None:
        mark = exc.problem_mark
        problem = exc.problem or "invalid YAML"
        return FrontMatterIssue(first_line + mark.line, mark.column + 1, say("invalid YAML: {error}", error=problem))
    if isinstance(exc, RecursionError):
        return FrontMatterIssue(first_line, 1, say("invalid YAML: nested too deeply"))
    return FrontMatterIssue(first_line, 1, say("invalid YAML: {error}", error=exc))


def _load_yaml(block: str, loader_class: Any = _LOADER) -> tuple[dict, dict]:
    aliases = sum(1 for token in yaml.scan(block, Loader=loader_class) if isinstance(token, yaml.AliasToken))
    if aliases > MAX_ALIASES:
        raise _AliasBomb(say("too many aliases ({count}); refusing a possible alias bomb", count=aliases))
    loader = loader_class(block)
    try:
        node = loader.get_single_node()
        if node is None:
            return {}, {}
        if not isinstance(node, yaml.MappingNode):
            if isinstance(node, yaml.SequenceNode):
                raise _NotAMapping(say("front matter is a list, not a mapping of keys"))
            raise _NotAMapping(say("front matter is a single value, not a mapping of keys"))
        data = loader.construct_document(node)
    finally:
        loader.dispose()
    raw: dict[str, Any] = {}
    for key_node, value_node in node.value:
        if isinstance(key_node, yaml.ScalarNode) and key_node.value in RAW_KEYS:
            raw[key_node.value] = _raw_value(value_node, [0])
    return {str(k): v for k, v in data.items()}, raw


def _raw_value(node: yaml.Node, budget: list[int]) -> Any:
    """The value as written: strings and lists of strings, nulls as None."""
    budget[0] += 1
    if budget[0] > MAX_RAW_ITEMS:
        return None
    if isinstance(node, yaml.ScalarNode):
        if node.tag == "tag:yaml.org,2002:null":
            return None
        return node.value
    if isinstance(node, yaml.SequenceNode):
        return [_raw_value(item, budget) for item in node.value]
    return None


def _raw_strings(data: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in data.items() if k in RAW_KEYS}


# --- TOML and JSON ------------------------------------------------------------

_TOML_POSITION = re.compile(r"\(at line (\d+), column (\d+)\)")


def _parse_toml(block: str, first_line: int) -> tuple[dict, dict, list[FrontMatterIssue]]:
    try:
        return _HANDLERS["toml"].load(block), {}, []
    except tomllib.TOMLDecodeError as exc:
        where = _TOML_POSITION.search(str(exc))
        # "(at end of document)" carries no position: the block's last line.
        line, col = (int(where.group(1)), int(where.group(2))) if where else (block.count("\n") + 1, 1)
        message = re.sub(r"\s*\(at [^)]*\)", "", str(exc)).strip()
        data: dict[str, Any] = {}
        for text in block.split("\n"):
            match = _TOML_KEY_LINE.match(text)
            if match:
                data[match.group(1)] = unquote(match.group(2))
        issue = FrontMatterIssue(first_line + line - 1, col, say("invalid TOML: {error}", error=message))
        return data, {}, [issue]


def _parse_json(text: str) -> FrontMatter:
    try:
        data, end = json.JSONDecoder().raw_decode(text)
    except json.JSONDecodeError as exc:
        close = next((i for i, line in enumerate(text.split("\n")) if line.rstrip() == "}"), None)
        lines = text.split("\n")
        block = "\n".join(lines[: (close or 0) + 1]) if close is not None else ""
        data = {k: _json_value(v) for k, v in _JSON_PAIR.findall(block)}
        body = "\n".join(lines[close + 1 :]) if close is not None else text
        issue = FrontMatterIssue(exc.lineno, exc.colno, say("invalid JSON: {error}", error=exc.msg))
        return FrontMatter("json", data, {}, body, (close or -1) + 2, [issue])
    if not isinstance(data, dict):
        return FrontMatter("none", {}, {}, text, 1)
    consumed = text[:end]
    rest = text[end:]
    body_line = consumed.count("\n") + 1
    if rest.startswith("\n"):
        rest = rest[1:]
        body_line += 1
    return FrontMatter("json", data, {}, rest, body_line)


def _json_value(source: str) -> Any:
    try:
        return json.loads(source)
    except json.JSONDecodeError:
        return unquote(source)
