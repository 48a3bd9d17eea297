"""`reader index` and `reader search` through the console script."""

from __future__ import annotations

import json
import os
import subprocess

import pytest

from tests.conftest import POSTS


@pytest.fixture
def env(tmp_path):
    return {**os.environ, "READER_POSTS": str(POSTS), "READER_INDEX_DIR": str(tmp_path / "index"), "TZ": "Asia/Seoul"}


def run(reader_cmd, env, *args):
    return subprocess.run([*reader_cmd, *args], capture_output=True, text=True, env=env, timeout=120)


def test_index_json_then_nothing_changes(reader_cmd, env):
    first = json.loads(run(reader_cmd, env, "index", "--json").stdout)
    assert set(first) >= {"posts", "added", "updated", "removed", "unchanged", "seconds", "warnings"}
    assert first["posts"] >= 15 and first["added"] >= 15
    assert any("python-colon.md:2:14" in w for w in first["warnings"])
    second = json.loads(run(reader_cmd, env, "index", "--json").stdout)
    assert (second["added"], second["updated"], second["removed"]) == (0, 0, 0)
    rebuilt = json.loads(run(reader_cmd, env, "index", "--rebuild", "--json").stdout)
    assert rebuilt["added"] == first["added"]


def test_search_json_contract(reader_cmd, env):
    result = run(reader_cmd, env, "search", "머신러닝", "--json")  # syncs first: works on a fresh cache
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert set(data) >= {"query", "total", "approximate", "took_ms", "hits"}
    assert data["query"] == "머신러닝" and data["total"] >= 1 and data["approximate"] is False
    hit = data["hits"][0]
    assert set(hit) >= {"path", "title", "date", "categories", "tags", "score", "snippet", "highlights"}
    assert hit["path"] == "2025-11-20-머신러닝-입문.md"
    assert hit["highlights"] and all(hit["snippet"][a:b] == "머신러닝" for a, b in hit["highlights"])


def test_search_text_marks_matches(reader_cmd, env):
    result = run(reader_cmd, env, "search", "자연어처리", "--limit", "1")
    assert result.returncode == 0
    assert "[자연어 처리]" in result.stdout and "1 of" in result.stdout


def test_search_approximate_and_empty(reader_cmd, env):
    approx = json.loads(run(reader_cmd, env, "search", "rendreing", "--json").stdout)
    assert approx["approximate"] is True and approx["hits"]
    empty = run(reader_cmd, env, "search", "qqqqzzzz")
    assert empty.returncode == 0 and "no posts match" in empty.stdout


@pytest.mark.parametrize("query", ["*abc", "(" * 30 + "a", "date:어제", "x" * 600])
def test_invalid_queries_exit_1_with_a_message(reader_cmd, env, query):
    result = run(reader_cmd, env, "search", query)
    assert result.returncode == 1
    assert result.stderr.startswith("reader: invalid query:")
    assert "Traceback" not in result.stderr


def test_bad_limit_is_a_usage_error(reader_cmd, env):
    assert run(reader_cmd, env, "search", "x", "--limit", "0").returncode == 2


def test_damaged_index_is_rebuilt_by_search(reader_cmd, env, tmp_path):
    run(reader_cmd, env, "index")
    index = tmp_path / "index"
    gen = index / (index / "CURRENT").read_text()
    for path in gen.iterdir():
        if path.suffix == ".seg":
            path.write_bytes(b"garbage")
    result = run(reader_cmd, env, "search", "머신러닝", "--json")
    assert result.returncode == 0
    assert "damaged" in result.stderr and json.loads(result.stdout)["hits"]
