"""Front matter dialects, and broken front matter that must not lose the post."""

from __future__ import annotations

import pytest

from reader.posts.frontmatter import parse

ALIAS_BOMB = (
    "---\ntitle: 폭탄\na: &a [x,x,x,x,x,x,x,x,x]\n"
    + "".join(f"{n}: &{n} [{','.join(['*' + p] * 9)}]\n" for p, n in zip("abcdefgh", "bcdefghi", strict=True))
    + "tags: *i\n---\nbody\n"
)


@pytest.mark.parametrize(
    ("source", "fmt", "title", "body"),
    [
        ("---\ntitle: 안녕\n---\n본문\n", "yaml", "안녕", "본문\n"),
        ("---\ntitle: 안녕\n...\n본문", "yaml", "안녕", "본문"),
        ('+++\ntitle = "TOML 글"\n+++\n본문', "toml", "TOML 글", "본문"),
        ('{\n  "title": "JSON 글"\n}\n본문', "json", "JSON 글", "본문"),
        ("title: Hexo 글\ndate: 2020-01-01\n---\n본문", "yaml", "Hexo 글", "본문"),
        ("# 머리말 없음\n본문", "none", None, "# 머리말 없음\n본문"),
        ("---\n---\n빈 머리말", "yaml", None, "빈 머리말"),
    ],
)
def test_dialects(source, fmt, title, body):
    parsed = parse(source)
    assert parsed.format == fmt
    assert parsed.data.get("title") == title
    assert parsed.body == body
    assert parsed.issues == []


def test_body_line_points_at_the_first_body_line():
    parsed = parse("---\ntitle: a\ntags: [x]\n---\nfirst body line\n")
    assert parsed.body_line == 5


def test_hexo_without_opening_needs_yaml_lines_before_the_rule():
    # A post that merely starts with "Note: something" and has a rule later is no front matter.
    parsed = parse("Note: this is prose.\nMore prose here that is not yaml at all!\n---\nrest")
    assert parsed.format == "none"


@pytest.mark.parametrize(
    ("source", "line", "column", "recovered"),
    [
        # an unquoted colon: the most common mistake of all
        ("---\ntitle: Python: 시작하기\ntags: [a]\n---\nbody", 2, 14, {"title": "Python: 시작하기", "tags": ["a"]}),
        # a tab used for indentation
        ("---\ntitle: 탭\ntags:\n\t- yaml\n\t- 탭\n---\nbody", 4, 1, {"title": "탭", "tags": ["yaml", "탭"]}),
        # an unclosed bracket
        (
            "---\ntitle: 괄호\ntags: [python, 파이썬\n---\nbody",
            3,
            None,
            {"title": "괄호", "tags": ["python", "파이썬"]},
        ),
        # an unclosed quote
        ('---\ntitle: "따옴표\ndate: 2020-01-01\n---\nbody', None, None, {}),
        # a title that starts with a YAML indicator
        ("---\ntitle: @멘션으로 시작\n---\nbody", 2, 8, {"title": "@멘션으로 시작"}),
    ],
)
def test_invalid_yaml_is_reported_and_recovered(source, line, column, recovered):
    parsed = parse(source)
    assert parsed.body == "body"
    assert len(parsed.issues) == 1
    issue = parsed.issues[0]
    assert "invalid YAML" in issue.message
    if line is not None:
        assert issue.line == line
    if column is not None:
        assert issue.column == column
    for key, value in recovered.items():
        assert parsed.data[key] == value


def test_alias_bomb_is_refused_quickly_and_the_title_kept():
    parsed = parse(ALIAS_BOMB)
    assert parsed.data["title"] == "폭탄"
    assert "alias" in parsed.issues[0].message
    assert "tags" not in parsed.data or not isinstance(parsed.data["tags"], list)


def test_a_list_is_not_front_matter_but_the_post_stays():
    parsed = parse("---\n- a\n- b\n---\n# 제목\n")
    assert parsed.data == {}
    assert "list" in parsed.issues[0].message
    assert parsed.body == "# 제목\n"


def test_unclosed_block_keeps_the_key_lines_and_the_body():
    parsed = parse("---\ntitle: 닫히지 않음\ntags: [a]\n\n본문 첫 줄\n둘째 줄")
    assert parsed.data["title"] == "닫히지 않음"
    assert "never closed" in parsed.issues[0].message
    assert parsed.body.strip().startswith("본문 첫 줄")


@pytest.mark.timeout(10)  # it took 10-17 s of CPU before the guard: a hang fails here, not a slow machine
@pytest.mark.parametrize("depth", [65, 5_000, 10_000])
def test_deeply_nested_yaml_is_refused_before_the_yaml_parser_sees_it(depth):
    parsed = parse("---\ntitle: 깊다\nx: " + "[" * depth + "]" * depth + "\n---\nbody")
    assert parsed.data.get("title") == "깊다"
    assert parsed.issues[0].line == 3 and "nested more than 64 deep" in parsed.issues[0].message


def test_nesting_up_to_the_limit_is_ordinary_yaml():
    parsed = parse("---\ntitle: 얕다\nx: " + "[" * 64 + "1" + "]" * 64 + "\n---\nbody")
    assert parsed.issues == [] and parsed.data["title"] == "얕다"


def test_invalid_toml_reports_the_file_line():
    parsed = parse('+++\ntitle = "좋음"\ndate = \n+++\nbody')
    assert parsed.issues[0].line == 3
    assert parsed.data["title"] == "좋음"
    assert parsed.body == "body"


def test_invalid_json_reports_and_recovers():
    parsed = parse('{\n  "title": "JSON",\n  "tags": ["a",]\n}\nbody')
    assert parsed.issues and "invalid JSON" in parsed.issues[0].message
    assert parsed.data["title"] == "JSON"
    assert parsed.body == "body"


def test_raw_values_keep_what_the_author_wrote():
    parsed = parse("---\ntitle: 2020\ntags: [yes, 2020, ~, 1.10, on]\ndate: 2020-06-27 12:00:00 +0900\n---\n")
    assert parsed.raw["title"] == "2020"
    assert parsed.raw["tags"] == ["yes", "2020", None, "1.10", "on"]
    assert parsed.raw["date"] == "2020-06-27 12:00:00 +0900"


def test_huge_front_matter_is_capped():
    source = "---\ntitle: 큰 머리말\n" + "".join(f"k{i}: {'x' * 100}\n" for i in range(1000)) + "---\nbody"
    parsed = parse(source)
    assert parsed.data["title"] == "큰 머리말"
    assert "larger than" in parsed.issues[0].message
