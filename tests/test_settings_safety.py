"""A new user's first runs: a config file with a typo is never written over, a wrong value is named
(and its default used), a missing posts folder is said, a dumb terminal gets a line, not escape codes."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from reader.ui.app import build_app
from tests.waiting import ready, until

BROKEN = '# my settings\nposts = "/some/blog"\ntheme = "nord"\nlanguage = "ko\n[keys]\nquit = "ctrl+q"\n'


def _record_notes(app, monkeypatch) -> list[str]:
    notes: list[str] = []
    notify = app.notify

    def recorded(message, *args, **kwargs):
        notes.append(str(message))
        return notify(message, *args, **kwargs)

    monkeypatch.setattr(app, "notify", recorded)
    return notes


@pytest.mark.parametrize("keys", ["ctrl+b", "z", "d"], ids=["sidebar", "maximized", "drafts"])
async def test_a_config_file_the_app_cannot_read_is_never_written(write_tree, tmp_path, monkeypatch, keys):
    root = write_tree({"a.md": "---\ntitle: 가\n---\n본문\n", "b.md": "---\ntitle: 나\ndraft: true\n---\n초고\n"})
    config = tmp_path / "config.toml"
    config.write_text(BROKEN, encoding="utf-8")
    app = build_app(root, index_dir=tmp_path / "index", watch=False, settings_path=config)
    notes = _record_notes(app, monkeypatch)
    async with app.run_test(size=(130, 30)) as pilot:
        await ready(pilot)
        await until(pilot, lambda: any("cannot read" in n for n in notes), "the unreadable file named")
        before = (app.settings.sidebar, app.settings.maximized, app.settings.show_drafts)
        await pilot.press(keys)
        await until(
            pilot,
            lambda: (app.settings.sidebar, app.settings.maximized, app.settings.show_drafts) != before,
            "the setting changed in the app",
        )
        app.theme = "gruvbox"  # the command palette's theme picker sets this
        await pilot.pause()
    assert config.read_text(encoding="utf-8") == BROKEN  # nothing lost: not the comment, not the theme
    said = [n for n in notes if "config.toml" in n]
    assert len(said) == 1, notes  # said once, where the app already warns
    assert "cannot read" in said[0] and "not be saved until" in said[0]
    assert not any("cannot save" in n for n in notes)


def test_saving_refuses_a_file_that_does_not_parse(tmp_path):
    from reader.settings import Settings

    config = tmp_path / "config.toml"
    config.write_text(BROKEN, encoding="utf-8")
    with pytest.raises(OSError, match="not be saved until"):
        Settings(theme="nord", sidebar="hidden").save(config)
    assert config.read_text(encoding="utf-8") == BROKEN
    assert sorted(p.name for p in tmp_path.iterdir()) == ["config.toml"]  # no stray temporary file


def test_config_names_an_unknown_theme_and_a_key_textual_cannot_parse(cli, tmp_path):
    config = tmp_path / "config.toml"
    config.write_text('theme = "nosuch"\n[keys]\nsearch = "nonsense+++"\n', encoding="utf-8")
    result = cli("config", env={"GEULBAT_CONFIG": str(config)})
    assert result.returncode == 0
    lines = result.stderr.splitlines()
    theme = [line for line in lines if "nosuch" in line]
    keys = [line for line in lines if "nonsense+++" in line]
    assert len(theme) == 1 and "theme" in theme[0] and "no such theme" in theme[0], result.stderr
    assert len(keys) == 1 and "keys.search" in keys[0] and "not a key" in keys[0], result.stderr
    assert "theme = 'textual-dark'" in result.stdout  # what is in effect: the default


def test_config_is_quiet_about_good_keys_and_themes(cli, tmp_path):
    config = tmp_path / "config.toml"
    config.write_text('theme = "nord"\n[keys]\nsearch = "slash,ctrl+f"\nquit = "q, ctrl+q,f10,shift+tab"\n', "utf-8")
    result = cli("config", env={"GEULBAT_CONFIG": str(config)})
    assert result.returncode == 0 and result.stderr == "", result.stderr


async def test_the_app_ignores_a_bad_key_and_an_unknown_theme_and_says_so(write_tree, tmp_path, monkeypatch):
    root = write_tree({"a.md": "---\ntitle: 가\n---\n본문\n"})
    config = tmp_path / "config.toml"
    config.write_text('theme = "nosuch"\n[keys]\nsearch = "nonsense+++"\n', encoding="utf-8")
    app = build_app(root, index_dir=tmp_path / "index", watch=False, settings_path=config)
    notes = _record_notes(app, monkeypatch)
    async with app.run_test(size=(120, 30)) as pilot:
        await ready(pilot)
        await until(pilot, lambda: any("nonsense+++" in n for n in notes), "the bad key named")
        assert any("nosuch" in n and "theme" in n for n in notes), notes
        assert app.theme == "textual-dark"
        assert not any("nonsense" in key for key in app.main.active_bindings)  # not in the footer either
        await pilot.press("slash")
        await until(pilot, lambda: not app.main.query_one("#search").has_class("hidden"), "search opened by /")
    assert config.read_text(encoding="utf-8").startswith('theme = "nosuch"')  # not rewritten


def test_config_says_a_missing_posts_folder_does_not_exist(cli, tmp_path):
    config = tmp_path / "config.toml"
    missing = tmp_path / "nonexistent-blog"
    config.write_text(f'posts = "{missing}"\n', encoding="utf-8")
    result = cli("config", env={"GEULBAT_CONFIG": str(config)})
    line = next(line for line in result.stdout.splitlines() if line.startswith("posts folder now"))
    assert str(missing) in line and "does not exist" in line


def _reader(*args: str, term: str, tmp_path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "TERM": term, "GEULBAT_CONFIG": str(tmp_path / "none.toml")}
    env.pop("COLORTERM", None)
    code = "import sys; from reader.cli.run import main; sys.exit(main())"
    return subprocess.run(
        [sys.executable, "-c", code, *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        stdin=subprocess.DEVNULL,
        cwd=tmp_path,
    )


def test_a_dumb_terminal_gets_one_line_not_the_app(write_tree, tmp_path):
    root = write_tree({"a.md": "---\ntitle: 가\n---\n본문\n"})
    result = _reader("--posts", str(root), term="dumb", tmp_path=tmp_path)
    assert result.returncode == 1
    assert "\x1b" not in result.stdout + result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and "reader posts" in lines[0] and "reader search" in lines[0], result.stderr
    listed = _reader("posts", "--posts", str(root), term="dumb", tmp_path=tmp_path)
    assert listed.returncode == 0 and "가" in listed.stdout


def test_the_generated_config_lists_exactly_the_binding_ids_a_keymap_can_use():
    import re

    from textual.binding import Binding

    from reader.settings import TEMPLATE
    from reader.ui.app import ReaderApp
    from reader.ui.main_screen import MainScreen

    comment = TEMPLATE.split("# The ids:", 1)[1].split(". A key", 1)[0]
    listed = re.findall(r"[a-z][a-z-]*", comment)
    ids = [b.id for b in [*ReaderApp.BINDINGS, *MainScreen.BINDINGS] if isinstance(b, Binding) and b.id]
    assert listed == ids
