"""`reader config`, the config file's keys, a keymap, shell completion, an empty folder."""

from __future__ import annotations

import json
import os
import shutil
import subprocess

import pytest

from reader.library import Library
from reader.settings import Settings
from reader.ui.app import build_app
from tests.conftest import CORPORA, KST
from tests.waiting import ready, until


def test_config_shows_the_file_and_the_settings_in_effect(cli, tmp_path):
    path = tmp_path / "config.toml"
    blog = tmp_path / "blog"
    (blog / "_posts").mkdir(parents=True)
    path.write_text(f'posts = "{blog}"\ntheme = "nord"\n', encoding="utf-8")
    result = cli("config", "--json", env={"GEULBAT_CONFIG": str(path)})
    data = json.loads(result.stdout)
    assert data["path"] == str(path) and data["settings"]["theme"] == "nord"
    assert data["posts_folder"] == str(blog.resolve()) and data["posts_why"] == "the config file's posts"
    text = cli("config", env={"GEULBAT_CONFIG": str(path)}).stdout
    assert f"config file: {path}" in text and "theme = 'nord'" in text


def test_config_edit_creates_the_documented_file_and_runs_the_editor(cli, tmp_path):
    path = tmp_path / "conf" / "config.toml"
    seen = tmp_path / "seen"
    result = cli("config", "edit", env={"GEULBAT_CONFIG": str(path), "VISUAL": f"cp -t {seen.parent} --", "EDITOR": ""})
    assert result.returncode == 0
    assert (tmp_path / "config.toml").read_text(encoding="utf-8").startswith("# reader settings")


def test_a_wrong_value_is_one_line_naming_the_file_and_key_and_nothing_is_lost(tmp_path):
    path = tmp_path / "config.toml"
    original = '# mine\ntheme = 3\nlanguage = "fr"\ncolour = "red"\n\n[keys]\nsearch = "ctrl+f"\n'
    path.write_text(original, encoding="utf-8")
    settings, problem = Settings.load(path)
    assert problem is not None and "\n" not in problem and str(path) in problem
    assert "theme should be a str" in problem and "language should be one of" in problem
    assert "unknown key 'colour'" in problem
    assert settings.theme == "textual-dark" and settings.keys == {"search": "ctrl+f"}
    settings.theme, settings.show_drafts = "nord", True
    settings.save(path)
    saved = path.read_text(encoding="utf-8")
    assert 'theme = "nord"' in saved and "show_drafts = true" in saved
    assert "# mine" in saved and 'language = "fr"' in saved and 'search = "ctrl+f"' in saved  # kept


async def test_keys_in_the_config_rebind_the_app(write_tree, tmp_path):
    root = write_tree({"a.md": "---\ntitle: 가\n---\n본문\n"})
    config = tmp_path / "config.toml"
    config.write_text('[keys]\nsearch = "ctrl+f"\nnonsense = "x"\n', encoding="utf-8")
    app = build_app(root, index_dir=tmp_path / "index", watch=False, settings_path=config)
    async with app.run_test(size=(120, 30)) as pilot:
        await ready(pilot)
        await pilot.press("ctrl+f")
        await until(pilot, lambda: not app.main.query_one("#search").has_class("hidden"), "search opened by ctrl+f")


def test_completion_scripts_for_bash_complete_commands_and_posts(cli, tmp_path):
    script = cli("--print-completion", "bash").stdout
    assert "reader" in script and "show" in script
    bash = shutil.which("bash")
    if bash is None:
        pytest.skip("no bash here")
    (tmp_path / "2020-01-01-hello.md").write_text("x", encoding="utf-8")
    (tmp_path / "completion.bash").write_text(script, encoding="utf-8")
    probe = (
        f"source {tmp_path}/completion.bash\n"
        "complete -p reader >/dev/null || exit 3\n"
        "fn=$(complete -p reader | sed -E 's/.*-F ([^ ]+).*/\\1/')\n"
        "COMP_WORDS=(reader s); COMP_CWORD=1; COMP_LINE='reader s'; COMP_POINT=${#COMP_LINE}; $fn\n"
        'echo "commands: ${COMPREPLY[*]}"\n'
        "COMP_WORDS=(reader show 2020); COMP_CWORD=2; COMP_LINE='reader show 2020'; COMP_POINT=${#COMP_LINE}; $fn\n"
        'echo "posts: ${COMPREPLY[*]}"\n'
    )
    done = subprocess.run([bash, "-c", probe], capture_output=True, text=True, cwd=tmp_path, timeout=30)
    assert done.returncode == 0, done.stderr
    assert "show" in done.stdout and "search" in done.stdout.split("\n")[0]
    assert "2020-01-01-hello.md" in done.stdout.split("posts:")[1]
    for shell in ("zsh", "tcsh"):
        assert cli("--print-completion", shell).stdout.strip()


@pytest.mark.parametrize(
    "command",
    [
        ["posts"],
        ["posts", "--json"],
        ["search", "x"],
        ["search", "x", "--json"],
        ["index"],
        ["stats"],
        ["show", "a.md"],
    ],
)
@pytest.mark.parametrize("folder", ["empty", "not-a-blog"])
def test_a_folder_without_posts_fails_and_says_what_to_do(cli, tmp_path, command, folder):
    """`reader --posts /etc posts` (a folder without a post) failed with exit 0 and printed `[]`
    for --json: a script took it for a blog without posts. It fails as a folder not found does."""
    given = tmp_path / folder
    given.mkdir()
    if folder == "not-a-blog":  # as /etc: files and folders, none ending in .md
        (given / "hosts").write_text("127.0.0.1 localhost\n", encoding="utf-8")
        (given / "conf.d").mkdir()
        (given / "conf.d" / "a.conf").write_text("x = 1\n", encoding="utf-8")
    result = cli("--posts", str(given), *command, env={"GEULBAT_INDEX_DIR": str(tmp_path / "index")})
    assert result.returncode == 1
    assert result.stdout == ""  # no `[]`, no "0 posts indexed": nothing a script could take for an answer
    message = f"no Markdown posts in {given} (given); give a folder of posts or a site root"
    if "--json" in command:  # asked for JSON: the error too, on the last line of stderr
        assert json.loads(result.stderr.splitlines()[-1]) == {"error": message, "kind": "no_posts"}
    else:
        assert result.stderr.splitlines()[-1] == f"reader: {message}"


async def test_the_app_on_an_empty_folder_says_what_to_point_it_at(tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    app = build_app(empty, index_dir=tmp_path / "index", watch=False, settings_path=tmp_path / "c.toml")
    async with app.run_test(size=(120, 30)) as pilot:
        header = app.main.query_one("#post-header")
        await until(pilot, lambda: "No Markdown posts in" in str(header.render()), "the empty state")
        assert "reader ~/blog" in str(header.render())


def test_a_file_where_a_folder_is_expected_opens_its_site(cli, write_tree):
    root = write_tree({"_config.yml": "", "_posts/2020-01-01-a.md": "---\ntitle: 가\n---\n"})
    result = cli("posts", "--json", "--posts", str(root / "_posts" / "2020-01-01-a.md"))
    assert result.returncode == 0 and json.loads(result.stdout)[0]["title"] == "가"


def test_a_site_without_a_config_knows_its_own_links():
    """ratsgo has no _config.yml; its posts link to https://ratsgo.github.io/…/2017/07/01/bayes/."""
    if os.environ.get("GEULBAT_NO_CORPORA") == "1":
        pytest.skip("GEULBAT_NO_CORPORA=1")
    library = Library.open(CORPORA / "ratsgo", KST)
    assert library.snapshot.own_hosts == {"ratsgo.github.io"}
    own = [
        link
        for post in library.posts
        for link in library.links(post.path)
        if link.url.startswith("http") and "ratsgo.github.io" in link.url
    ]
    resolved = [link for link in own if link.kind == "post"]
    assert len(resolved) >= 330, (len(resolved), len(own))


def test_version(cli):
    result = cli("--version")
    assert result.returncode == 0 and result.stdout.startswith("reader ") and "(geulbat)" in result.stdout
