"""The layers hold: import-linter's contracts, and a fresh interpreter that loads the core and the CLI."""

from __future__ import annotations

import json
import os
import pkgutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

import reader.posts
import reader.search
from tests.conftest import ROOT


def headless_modules() -> list[str]:
    out = ["reader.library", "reader.paths", "reader.log", "reader.state", "reader.reading", "reader.cli"]
    out += ["reader.cli.run", "reader.cli.client", "reader.cli.server", "reader.cli.i18n", "reader.language"]
    for package in (reader.posts, reader.search):
        out += [f"{package.__name__}.{m.name}" for m in pkgutil.iter_modules(package.__path__)]
    return out


def test_the_core_has_its_two_pipelines():
    modules = headless_modules()
    assert "reader.posts.document" in modules and "reader.search.searcher" in modules


def test_core_and_cli_import_neither_textual_nor_rich():
    code = (
        "import sys\n"
        f"for name in {headless_modules()!r}:\n"
        "    __import__(name)\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'rich'))\n"
        "print(','.join(bad))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == ""


def test_import_linter_contracts_are_kept():
    """Layers (cli > ui > library > search > posts), Whoosh only in search, no Markdown parsing
    in the UI, no cycles in the UI: the contracts are in pyproject.toml."""
    lint = Path(sys.executable).parent / "lint-imports"
    result = subprocess.run([str(lint)], capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "BROKEN" not in result.stdout and result.stdout.count("KEPT") >= 6


HEAVY = ("whoosh", "yaml", "frontmatter", "markdown_it", "textual", "rich", "importlib.metadata", "numpy")


def loaded_after(code: str, env: dict[str, str] | None = None) -> set[str]:
    """The heavy packages a fresh interpreter holds after running `code`."""
    probe = f"{code}\nimport sys\nprint(' '.join(m for m in {HEAVY!r} if m in sys.modules))\n"
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, cwd=ROOT, env=env
    )
    return set(result.stdout.split())


def test_the_cli_starts_with_argparse_and_its_own_modules():
    """`reader …` pays only for what its command uses: a cold start imports no engine, no
    YAML, no Markdown parser, no UI, and does not look up its version until asked."""
    assert loaded_after("import reader.cli.run\nreader.cli.run.build_parser()") == set()


def test_a_served_search_starts_with_the_client_alone():
    """`reader search` asks a running `reader serve` before anything else: the console script's
    module and the client import no argparse, no command, nothing of the reader's own beyond them."""
    probe = (
        "import sys\nimport reader.cli, reader.cli.client\n"
        "print(' '.join(sorted(m for m in sys.modules if m.startswith('reader') or m in ('argparse', 'pathlib'))))\n"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True, cwd=ROOT)
    assert set(result.stdout.split()) == {"reader", "reader.cli", "reader.cli.client"}


def test_where_no_server_was_ever_started_the_client_imports_no_socket(tmp_path):
    """The client asks for a server only once its private folder is there: a cold search where
    none was ever started (most) does not import `socket` and `selectors` (~2 ms) to learn it."""
    env = {**os.environ, "GEULBAT_SERVER": str(tmp_path / "never" / "server.sock")}
    probe = "import sys\nfrom reader.cli.client import ask\nprint(ask(['search', 'x']), 'socket' in sys.modules)\n"
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True, env=env)
    assert result.stdout.split() == ["None", "False"]
    (tmp_path / "never").mkdir(mode=0o700)  # a folder, no server listening: asked, and not answered
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True, env=env)
    assert result.stdout.split() == ["None", "True"]


def test_the_library_needs_no_markdown_parser_to_search():
    assert "markdown_it" not in loaded_after("import reader.library")


def _two_posts(tmp_path: Path) -> Path:
    posts = tmp_path / "posts"
    posts.mkdir()
    (posts / "a.md").write_text("---\ntitle: 머신러닝 입문\ntags: [ml]\n---\n머신러닝을 배운다.\n", "utf-8")
    (posts / "b.md").write_text("# 다른 글\n\n아무 내용.\n", "utf-8")
    return posts


# `reader search 머신러닝 --json` in a fresh interpreter, its output in `out`.
_SEARCH = (
    "import contextlib, io, json, sys\nfrom reader.cli import main\n"
    "with contextlib.redirect_stdout(io.StringIO()) as out:\n"
    "    assert main(['search', '머신러닝', '--json', '--posts', {posts!r}]) == 0\n"
)


def test_a_search_from_the_cli_parses_no_markdown(tmp_path):
    """The whole `reader search` command: Whoosh and YAML (the hits' front matter), nothing more."""
    posts = _two_posts(tmp_path)
    env = {**os.environ, "GEULBAT_INDEX_DIR": str(tmp_path / "index")}
    code = _SEARCH.format(posts=str(posts)) + "assert 'a.md' in out.getvalue(), out.getvalue()\n"
    loaded = loaded_after(code, env)
    assert "whoosh" in loaded  # the probe sees what a search really imports
    assert loaded & {"markdown_it", "textual", "rich", "importlib.metadata"} == set()


def _indexed_posts(tmp_path: Path) -> tuple[Path, dict[str, str]]:
    """_two_posts, an hour old (no racy edit) and indexed; and the environment of a search there."""
    from reader.library import Library

    posts = _two_posts(tmp_path)
    for file in posts.iterdir():
        os.utime(file, (time.time() - 3600,) * 2)
    Library(posts, index_dir=tmp_path / "index").sync_index()
    return posts, {**os.environ, "GEULBAT_INDEX_DIR": str(tmp_path / "index")}


def test_a_search_of_an_up_to_date_index_parses_no_front_matter(tmp_path):
    """Once the index holds the posts, `reader search` shows hits from the index's listing and
    the files' bodies: YAML (~35 ms of a start) is not even imported."""
    posts, env = _indexed_posts(tmp_path)
    code = (
        _SEARCH.format(posts=str(posts)) + "[hit] = json.loads(out.getvalue())['hits']\n"
        "assert (hit['title'], hit['tags'], hit['snippet']) == ('머신러닝 입문', ['ml'], '머신러닝을 배운다.'), hit\n"
    )
    loaded = loaded_after(code, env)
    assert "whoosh" in loaded
    assert loaded & {"yaml", "frontmatter", "reader.posts.frontmatter"} == set()
    assert "reader.search.indexer" not in loaded  # nothing to write: the indexer is not loaded
    # Nor Whoosh's writer, nor logging (nothing is logged): 13 modules fewer at 4d4400e.
    assert loaded & {"whoosh.writing", "reader.search.segments", "logging"} == set()
    # Scored with dicts: numpy's import (~0.1 s) costs a small index's search more than it saves.
    assert "numpy" not in loaded


def test_version_is_still_printed_when_asked(capsys):
    import reader.cli

    with pytest.raises(SystemExit) as exit_:
        reader.cli.main(["--version"])
    assert exit_.value.code == 0
    assert capsys.readouterr().out.startswith("reader ")


def test_version_is_answered_before_the_parser_and_is_the_installed_ones():
    """`reader --version` (the console script) imports no parser and no command (~30 ms, not
    ~150), and says the version pip installed: pyproject.toml reads it from reader.__version__."""
    from importlib.metadata import version

    probe = (
        "import sys\nsys.argv = ['reader', '--version']\nimport reader.cli\nreader.cli.main()\n"
        "print(' '.join(sorted(m for m in sys.modules if m.startswith('reader') or m in ('argparse', 'pathlib'))))\n"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True, cwd=ROOT)
    said, loaded = result.stdout.splitlines()
    assert said == f"reader {version('geulbat')} (geulbat)"
    assert set(loaded.split()) == {"reader", "reader.cli"}


def test_the_apps_list_from_the_index_needs_no_whoosh(tmp_path):
    """The app's first screen (its modules, and the list read from the index manifest) imports
    no Whoosh: the engine is loaded by the first search or index update, after the first paint."""
    from reader.library import Library

    posts = _two_posts(tmp_path)
    Library(posts, index_dir=tmp_path / "index").sync_index()
    code = (
        "from pathlib import Path\nfrom reader.ui.app import build_app\nfrom reader.library import Library\n"
        f"library = Library({str(posts)!r}, index_dir=Path({str(tmp_path / 'index')!r}), hold_bodies=False)\n"
        "listed = library.read_cached()\n"
        "assert listed is not None and sorted(p.title for p in listed.posts) == ['다른 글', '머신러닝 입문']\n"
    )
    loaded = loaded_after(code)
    assert "textual" in loaded  # the probe sees the app's imports
    assert "whoosh" not in loaded


def test_a_search_loads_nothing_whoosh_imports_but_never_uses_here(tmp_path):
    """Whoosh's download helper (urllib.request), its English morphology, stemmer and sounds-alike
    filter, its HTML escaping, its multiprocess queue, its date fields' calendar and
    cached_property's asyncio are not loaded by `reader search` (reader.search.lean_imports),
    and work when used."""
    posts = _two_posts(tmp_path)
    env = {**os.environ, "GEULBAT_INDEX_DIR": str(tmp_path / "index")}
    deferred = ("urllib.request", "whoosh.lang.morph_en", "asyncio", "whoosh.lang.porter", "whoosh.lang.dmetaphone")
    deferred += ("html", "queue", "calendar")
    code = (
        _SEARCH.format(posts=str(posts))
        + "assert [h['path'] for h in json.loads(out.getvalue())['hits']] == ['a.md']\n"
        f"print(' '.join(m for m in {deferred!r} if m in sys.modules))\n"
        "from whoosh.query.terms import variations\n"
        "assert 'renders' in variations('render') and 'whoosh.lang.morph_en' in sys.modules\n"
        "from cached_property import cached_property\n"
        "class Lazy:\n    @cached_property\n    def answer(self):\n        return 42\n"
        "assert Lazy().answer == 42\n"
        "import asyncio\nassert asyncio.run(asyncio.sleep(0, result=7)) == 7\n"
        "import urllib.request\nassert callable(urllib.request.urlopen)\n"
        "from whoosh.analysis import DoubleMetaphoneFilter, RegexTokenizer, StemmingAnalyzer\n"
        "assert [t.text for t in StemmingAnalyzer()('renders rendering')] == ['render', 'render']\n"
        "assert [t.text for t in (RegexTokenizer() | DoubleMetaphoneFilter())('Smith')] == ['SM0', 'XMT']\n"
        "from whoosh.highlight import htmlescape\nassert htmlescape('<b>&') == '&lt;b&gt;&amp;'\n"
        "from whoosh.compat import queue\nassert queue.Queue().empty()\n"
        "from whoosh.util.times import adatetime\nassert adatetime(2020, 2).ceil().day == 29\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, env=env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == ""


def test_a_search_loads_and_compiles_nothing_of_what_it_never_uses(tmp_path):
    """An English `reader search` of an up-to-date index imports no timezone database (zoneinfo
    and sysconfig: ~4 ms), no taxonomy (the app's sidebar) and no Korean catalog, and compiles
    no pattern of the CJK ranges (~17 ms: reader.search.analysis reads a query's words without
    one), of front matter dates or of image addresses; and still finds the post."""
    posts, env = _indexed_posts(tmp_path)
    code = (
        "import re._compiler\ncompiled = []\n_compile = re._compiler.compile\n"
        "def compile(pattern, flags=0):\n    compiled.append(str(pattern))\n    return _compile(pattern, flags)\n"
        "re._compiler.compile = compile\n"
        + _SEARCH.format(posts=str(posts))
        + "assert [h['path'] for h in json.loads(out.getvalue())['hits']] == ['a.md']\n"
        "unused = ('zoneinfo', 'sysconfig', 'reader.posts.taxonomy', 'reader.messages_ko')\n"
        "print(json.dumps({'modules': [m for m in unused if m in sys.modules], 'patterns': [p for p in compiled\n"
        "    if '\\uac00-\\ud7a3' in p or '(?P<tz>' in p or 'relative_url' in p or '[a-z][a-z0-9+.-]*:' in p]}))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, env=env)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {"modules": [], "patterns": []}
