"""The index manifest's keys and its JSON spliced for a few changes."""

from __future__ import annotations

import json

from hypothesis import given
from hypothesis import strategies as st

from reader.posts.discovery import FileRows
from reader.posts.post import FileState
from reader.search.manifest import _entry, _json, _meta_in, _spliced, files_key, rows_key

# Keys with what JSON escapes, Korean (NFC and NFD), and the text of another entry inside them.
KEYS = st.sampled_from(
    ["a.md", "b.md", 'x"y.md', "back\\slash.md", "한글.md", "한글.md", 'b.md":{"t":1},"c.md', "tab\t.md", "z"]
)
VALUES = st.one_of(
    st.dictionaries(st.sampled_from(["title", "tags", "draft"]), st.one_of(st.text(max_size=5), st.booleans())),
    st.lists(st.one_of(st.integers(), st.text(max_size=4), st.booleans()), max_size=4),
)


@given(
    st.dictionaries(KEYS, VALUES, max_size=6),
    st.lists(st.tuples(KEYS, st.one_of(st.none(), VALUES)), max_size=6),
)
def test_spliced_json_is_the_object_with_the_edits_applied(before, changes):
    edits: dict = {}
    expected = dict(before)
    for key, value in changes:
        edits.pop(key, None)
        edits[key] = value
        if value is None:
            expected.pop(key, None)
        else:
            expected[key] = value
    spliced = _spliced(_json(before), edits)
    assert spliced is not None
    assert json.loads(spliced) == expected
    assert _spliced(_json(before).encode("utf-8"), edits) == spliced.encode("utf-8")  # meta.json's bytes
    # An entry replaced keeps its place and a new one goes last, as a dict's would: when each
    # key is changed once and none removed, the text is what encoding the changed dict gives.
    if len(edits) == len(changes) and all(value is not None for value in edits.values()):
        assert spliced == _json(expected)


def test_spliced_refuses_what_is_not_one_json_object():
    assert _spliced("[1, 2]", {"a": 1}) is None
    assert _spliced('{"a":1}\n', {"a": 2}) is None
    assert _spliced(b'{"a":1}\n', {"a": 2}) is None


@given(st.integers(min_value=0, max_value=9000), st.integers(min_value=0, max_value=3))
def test_an_entry_found_in_utf8_bytes_is_the_one_in_the_text(length, skew):
    """meta.json is looked up in its bytes, each value decoded from a window after its key that
    grows until the value is whole: long Korean titles, cut mid-character by a window, too."""
    title = "x" * skew + "한" * length
    metas = {"a.md": {"title": "짧은"}, "long.md": {"title": title, "tags": ["태그"]}, "z.md": {"title": "끝"}}
    text = _json(metas)
    data = text.encode("utf-8")
    for path in metas:
        key = _json(path) + ":"
        start, end, value = _entry(text, key)
        byte_start, byte_end, byte_value = _entry(data, key)
        assert byte_value == value == metas[path]
        assert data[byte_start:byte_end] == text[start:end].encode("utf-8")
        assert _meta_in(data, path) == metas[path]
    assert _meta_in(data, "none.md") is None


def test_the_keys_of_scan_rows_and_of_file_states_agree():
    rows = [("a.md", 10, 2_000_000_000_000_000_001, 2_000_000_000_000_000_002, 2**63 + 5), ("한글.md", 0, -1, 7, 3)]
    flat = FileRows([row[0] for row in rows], [row[1:] for row in rows])
    states = [(row[0], FileState(*row[1:])) for row in rows]
    assert rows_key(flat) == rows_key(rows) == files_key(states)
    assert rows_key(flat)[1] == 2_000_000_000_000_000_001  # the newest mtime
    assert list(flat) == rows and flat[1] == rows[1] and list(flat[1:]) == rows[1:]
    # Each field counts: another size, mtime, ctime, inode or path is another key.
    for at in range(5):
        changed = [
            tuple(v + ("x" if isinstance(v, str) else 1) if n == at else v for n, v in enumerate(row)) for row in rows
        ]
        assert rows_key(changed)[0] != rows_key(rows)[0]
    assert rows_key(rows[::-1])[0] != rows_key(rows)[0]
    assert files_key([])[0] == rows_key(FileRows([], []))[0]
