"""The `reader` command: `posts` and `links` (in-process), and what only a real process shows."""

from __future__ import annotations

import json
import os
import subprocess

import pytest

from tests.conftest import POSTS


def run(cmd, *args, env=None, **kw):
    full_env = {**os.environ, "GEULBAT_POSTS": str(POSTS), "TZ": "Asia/Seoul", **(env or {})}
    return subprocess.run([*cmd, *args], capture_output=True, text=True, env=full_env, timeout=120, **kw)


def test_posts_json_shape(reader_cmd):
    result = run(reader_cmd, "posts", "--json")
    assert result.returncode == 0, result.stderr
    posts = json.loads(result.stdout)
    assert len(posts) >= 15
    welcome = next(p for p in posts if p["path"] == "2026-01-05-welcome.md")
    assert welcome == {
        "path": "2026-01-05-welcome.md",
        "title": "reader에 오신 것을 환영합니다",
        "date": "2026-01-12T09:00:00+09:00",
        "updated": None,
        "categories": ["안내서"],
        "tags": ["reader", "시작하기", "guide"],
        "draft": False,
        "encoding": "utf-8",
        "warnings": [],
    }
    colon = next(p for p in posts if p["path"] == "broken/python-colon.md")
    assert colon["title"] == "Python: 시작하기" and colon["warnings"]


GUIDE = {"GEULBAT_POSTS": str(POSTS)}


def test_posts_filters(cli):
    tagged = json.loads(cli("posts", "--tag", "django", "--json", env=GUIDE).stdout)
    assert [p["path"] for p in tagged] == ["2025-08-01-django-tutorial.md"]
    nested = json.loads(cli("posts", "--category", "개발/블로그", "--json", env=GUIDE).stdout)
    assert [p["path"] for p in nested] == ["hexo-style-post.md"]


def test_posts_piped_are_tab_separated_lines(cli):
    result = cli("posts", "--posts", str(POSTS))
    assert result.returncode == 0
    rows = [line.split("\t") for line in result.stdout.splitlines()]
    assert all(len(row) == 6 for row in rows)  # date, flags, title, categories, tags, path
    welcome = next(row for row in rows if row[5] == "2026-01-05-welcome.md")
    assert welcome[:3] == ["2026-01-12", "", "reader에 오신 것을 환영합니다"] and welcome[3] == "안내서"
    assert "warning: broken/python-colon.md:2:14" in result.stderr


def test_links_json(cli):
    result = cli("links", "2026-01-05-welcome.md", "--json", env=GUIDE)
    links = json.loads(result.stdout)
    assert links[0] == {
        "n": 1,
        "text": "처음 열었을 때",
        "url": "#처음-열었을-때",
        "kind": "anchor",
        "target": "처음-열었을-때",
        "line": 15,
        "broken": False,
        "anchor": None,
    }
    assert [link["n"] for link in links] == list(range(1, len(links) + 1))


def test_links_reports_a_fragment_no_heading_of_the_other_post_matches(cli, write_tree):
    root = write_tree(
        {
            "a.md": "## 1. 설치\n",
            "b.md": "[되는](a.md#1.-설치) [안 되는](a.md#2.-설정) [목차](#-끝)\n\n## 끝\n",
        }
    )
    rows = [line.split("\t") for line in cli("links", "b.md", "--posts", str(root)).stdout.splitlines()]
    assert [row[:4] for row in rows] == [
        ["1", "post", "", "되는"],
        ["2", "post", "BROKEN", "안 되는"],
        ["3", "anchor", "", "목차"],
    ]


def test_links_piped_are_tab_separated_lines(cli):
    result = cli("links", "2026-01-10-links-showcase.md", env=GUIDE)
    rows = [line.split("\t") for line in result.stdout.splitlines()]
    assert rows[17][:4] == ["18", "post", "BROKEN", "사라진 글"]
    assert rows[13][5] == "검색 문법 (2026-01-07-search-syntax.md)"


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["links", "nope.md"], 1, "reader: no post 'nope.md'"),
        (["posts", "--posts", "/definitely/not/here"], 1, "reader: posts folder not found"),
        (["bogus-command"], 1, "reader: posts folder not found: bogus-command"),  # a word is a folder
        (["show", "--width", "5", "x.md"], 2, "must be between 20 and 1000"),
        (["links"], 2, "required"),
    ],
)
def test_errors_are_one_line_without_traceback(cli, args, code, message):
    result = cli(*args, env=GUIDE)
    assert result.returncode == code
    assert message in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("args", "meant"),
    [(["serch", "임베딩"], "search"), (["post"], "posts"), (["stat"], "stats"), (["Links", "x.md"], "links")],
)
def test_a_mistyped_command_is_said_with_the_one_meant(cli, tmp_path, monkeypatch, args, meant):
    """`reader serch 임베딩` took `serch` for a folder: argparse then blamed the next word
    (`invalid choice: '임베딩'`), and `reader post` said `posts folder not found: post`."""
    monkeypatch.chdir(tmp_path)
    result = cli(*args)
    assert result.returncode == 2
    assert f"reader: error: '{args[0]}' is no command and no folder here: did you mean reader {meant}?" in result.stderr
    assert "invalid choice" not in result.stderr and "Traceback" not in result.stderr
    as_json = cli(*args, "--json")
    assert json.loads(as_json.stderr.splitlines()[-1])["kind"] == "usage"


def test_a_post_that_is_not_there_is_said_to_be_a_missing_post(cli, tmp_path, monkeypatch):
    """`reader 2017-05-04-hangul.md` (a post mistyped) said `posts folder not found: …`."""
    monkeypatch.chdir(tmp_path)
    result = cli("_posts/2017-05-04-hangul.md")
    assert result.returncode == 1
    assert result.stderr.strip() == "reader: post not found: _posts/2017-05-04-hangul.md"
    as_json = cli("--posts", "nope.md", "posts", "--json")
    assert json.loads(as_json.stderr.splitlines()[-1]) == {"error": "post not found: nope.md", "kind": "post_not_found"}
    assert "posts folder not found: nowhere" in cli("nowhere").stderr  # a folder is still a folder


def test_a_folder_named_like_a_command_is_still_opened(cli, tmp_path, monkeypatch):
    blog = tmp_path / "post" / "_posts"
    blog.mkdir(parents=True)
    (blog / "2024-01-01-a.md").write_text("---\ntitle: 글 하나\n---\n본문\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = cli("post", "posts", "--json")
    assert result.returncode == 0, result.stderr
    assert [p["title"] for p in json.loads(result.stdout)] == ["글 하나"]


def test_closed_pipe_exits_quietly(reader_cmd):
    with subprocess.Popen(
        [*reader_cmd, "posts", "--json", "--posts", str(POSTS)], stdout=subprocess.PIPE, stderr=subprocess.PIPE
    ) as proc:
        proc.stdout.read(10)
        proc.stdout.close()
        proc.wait(timeout=60)
        err = proc.stderr.read().decode()
    assert "Traceback" not in err and "BrokenPipe" not in err


def test_unencodable_output_is_replaced(reader_cmd):
    result = run(reader_cmd, "posts", env={"PYTHONIOENCODING": "ascii"})
    assert result.returncode == 0
    assert "?" in result.stdout and "Traceback" not in result.stderr


def test_python_dash_m_works():
    import sys

    result = run([sys.executable, "-m", "reader"], "posts", "--json")
    assert result.returncode == 0 and json.loads(result.stdout)


def test_show_renders_a_post_as_plain_text_when_piped(cli, tmp_path, monkeypatch):
    result = cli("show", "2026-01-10-links-showcase.md", "--width", "60", env=GUIDE)
    assert result.returncode == 0, result.stderr
    assert "\x1b" not in result.stdout  # not a terminal: no escape sequence at all
    assert "링크 모음 (Every kind of link)" in result.stdout and "Textual[1]" in result.stdout
    assert all(len(line) <= 60 for line in result.stdout.split("\n") if line.isascii())
    assert "[1] https://textual.textualize.io/" in result.stdout  # the links, by number, at the end
    monkeypatch.chdir(POSTS / "english")
    here = cli("show", "2024-05-05-terminal-tips.md", env=GUIDE)  # relative to the current folder
    absolute = cli("show", str(POSTS / "english" / "2024-05-05-terminal-tips.md"), env=GUIDE)
    assert here.returncode == absolute.returncode == 0 and here.stdout == absolute.stdout
    assert "Terminal tips" in here.stdout


def test_show_colours_a_terminal_unless_no_color(reader_cmd, tmp_path):
    import pty

    def run(extra_env):
        pid, fd = pty.fork()
        if pid == 0:
            env = {**os.environ, "GEULBAT_POSTS": str(POSTS), "TERM": "xterm-256color", **extra_env}
            env.pop("NO_COLOR", None) if "NO_COLOR" not in extra_env else None
            argv = [
                *reader_cmd,
                "show",
                "2026-01-05-welcome.md",
                "--width",
                "80",
                "--no-pager",
            ]  # pager: test_cli_pager
            os.execve(reader_cmd[0], argv, env)
        out = b""
        while True:
            try:
                chunk = os.read(fd, 65536)
            except OSError:
                break
            if not chunk:
                break
            out += chunk
        os.waitpid(pid, 0)
        return out

    assert b"\x1b[" in run({})
    assert b"\x1b" not in run({"NO_COLOR": "1"})


def test_show_an_unknown_post_is_one_line(cli):
    result = cli("show", "nope.md", env=GUIDE)
    assert result.returncode == 1 and result.stderr.startswith("reader: no post 'nope.md'")


SVM_SITE = {
    "_posts/2017-05-23-SVM.md": "---\ntitle: 서포트 벡터 머신\n---\n[다음 글](2017-05-29-SVM2.md)\n",
    "_posts/2017-05-29-SVM2.md": "---\ntitle: C-SVM\n---\n본문\n",
    "_posts/2018-01-01-same.md": "---\ntitle: 같은 이름\n---\n본문\n",
    "_drafts/2018-01-01-same.md": "---\ntitle: 같은 이름 초안\n---\n본문\n",
}


def test_a_post_is_named_by_its_file_name_alone_when_no_other_has_it(cli, write_tree, tmp_path, monkeypatch):
    site = write_tree(SVM_SITE)
    monkeypatch.chdir(tmp_path)  # not the folder of the posts: the name is looked up in the site
    env = {"GEULBAT_POSTS": str(site), "GEULBAT_INDEX_DIR": str(tmp_path / "index")}
    for name in ("2017-05-23-SVM.md", "2017-05-23-SVM", "_posts/2017-05-23-SVM.md"):
        show = cli("show", name, env=env)
        assert show.returncode == 0, show.stderr
        assert show.stdout.startswith("서포트 벡터 머신\n")
        links = cli("links", name, "--json", env=env)
        assert links.returncode == 0 and [link["target"] for link in json.loads(links.stdout)] == [
            "_posts/2017-05-29-SVM2.md"
        ]
    typo = cli("show", "2017-05-23-SVMM.md", env=env)
    assert typo.returncode == 1 and typo.stdout == ""
    assert typo.stderr == (
        f"reader: no post '2017-05-23-SVMM.md' under {site}; "
        "close: _posts/2017-05-23-SVM.md (서포트 벡터 머신), _posts/2017-05-29-SVM2.md (C-SVM)\n"
    )
    by_title = cli("links", "벡터", env=env)  # a word of the title
    assert by_title.returncode == 1
    assert by_title.stderr.endswith("; close: _posts/2017-05-23-SVM.md (서포트 벡터 머신)\n")
    twice = cli("links", "2018-01-01-same.md", env=env)  # a post and a draft: which one is not guessed
    assert twice.returncode == 1
    assert twice.stderr == (
        f"reader: 2 posts are named '2018-01-01-same.md' under {site}: "
        "_drafts/2018-01-01-same.md, _posts/2018-01-01-same.md; give its path\n"
    )


def test_a_post_is_named_by_its_title_or_its_slug_when_no_other_has_it(cli, write_tree, tmp_path, monkeypatch):
    # A new user typed `reader show 'KKT 조건'` and `reader show KKT`: "no post", the post named
    # among the close ones.
    site = write_tree(SVM_SITE)
    monkeypatch.chdir(tmp_path)
    env = {"GEULBAT_POSTS": str(site), "GEULBAT_INDEX_DIR": str(tmp_path / "index")}
    for name in ("서포트 벡터 머신", "SVM", "svm", " 서포트 벡터 머신 "):
        show = cli("show", name, env=env)
        assert show.returncode == 0, show.stderr
        assert show.stdout.startswith("서포트 벡터 머신\n")
    assert cli("show", "C-SVM", env=env).stdout.startswith("C-SVM\n")  # a title, as written
    same = cli("show", "same", env=env)  # the slug of a post and of a draft: not guessed
    assert same.returncode == 1 and "close:" in same.stderr
    nothing = cli("show", "zzzz.md", env=env)
    assert nothing.returncode == 1 and nothing.stderr == f"reader: no post 'zzzz.md' under {site}\n"


def test_help_says_the_app_takes_a_folder_or_a_post(cli):
    """`reader --help` showed `reader … COMMAND ...` alone: nothing said `reader ~/blog` or
    `reader post.md` open the app. The usage and the arguments say it now, as git's and rg's do,
    and a command's own help is still its own."""
    shown = cli("--help", env={"COLUMNS": "80"})
    assert shown.returncode == 0
    usage = shown.stdout.split("\n\n")[0].splitlines()
    assert usage[0] == "usage: reader [--index-dir DIR] [FOLDER | POST.md]"
    assert usage[1].split() == ["reader", "[--posts", "DIR]", "[--index-dir", "DIR]", "COMMAND", "[ARGS", "...]"]
    argument = next(line for line in shown.stdout.splitlines() if line.strip().startswith("FOLDER | POST.md"))
    assert "open the app on a folder of posts" in argument
    assert "    posts " in shown.stdout and "    search " in shown.stdout  # the commands, listed
    for command in ("posts", "show", "search"):
        own = cli(command, "--help", env={"COLUMNS": "80"})
        assert own.returncode == 0 and own.stdout.startswith(f"usage: reader {command} [-h]"), own.stdout[:80]
        assert "FOLDER | POST.md" not in own.stdout


def test_completion_still_completes_the_command_first(cli):
    """The help's FOLDER | POST.md is no positional of the completion scripts: zsh's would
    complete it in place of the command."""
    zsh = cli("--print-completion", "zsh").stdout
    root = zsh.split("_shtab_reader_options=(")[1].split("\n)")[0]
    assert not any(line.strip().startswith('":') for line in root.splitlines()), root
    assert "': :_shtab_reader_commands'" in zsh


def _last_json_line(stderr: str) -> dict:
    return json.loads(stderr.strip().splitlines()[-1])


@pytest.mark.parametrize(
    ("args", "code", "kind"),
    [
        (["search", "title:"], 1, "invalid_query"),
        (["search", '"열린 따옴표'], 1, "invalid_query"),
        (["posts", "--posts", "/definitely/not/here"], 1, "folder_not_found"),
        (["links", "nope.md"], 1, "post_not_found"),
        (["related", "nope.md"], 1, "post_not_found"),
        (["stats", "--posts", "EMPTY"], 1, "no_posts"),
        (["search", "데이터", "--index-dir", "A_FILE"], 1, "index_unavailable"),
        (["posts", "--limit", "3"], 2, "usage"),
        (["search", "데이터", "--limit", "0"], 2, "usage"),
    ],
)
def test_errors_with_json_are_a_json_object_on_stderr(cli, tmp_path, args, code, kind):
    """A script asking for JSON got a plain `reader: …` line it could not parse. As gh and jq
    do, stdout keeps only data and the error goes to stderr, now one JSON object on its last
    line, with the same exit code; without --json the error is the text line it was."""
    (tmp_path / "empty").mkdir()
    (tmp_path / "a-file").write_text("not a folder", encoding="utf-8")
    given = {"EMPTY": str(tmp_path / "empty"), "A_FILE": str(tmp_path / "a-file")}
    args = [given.get(word, word) for word in args]
    result = cli(*args, "--json", env=GUIDE)
    assert (result.returncode, result.stdout) == (code, "")
    error = _last_json_line(result.stderr)
    assert error["kind"] == kind and set(error) == {"error", "kind"} and error["error"]
    assert "Traceback" not in result.stderr and "usage:" not in result.stderr
    plain = cli(*args, env=GUIDE)
    assert plain.returncode == code
    assert plain.stderr.strip().splitlines()[-1].startswith(("reader: ", "reader posts: error", "reader search: error"))
    with pytest.raises(json.JSONDecodeError):
        _last_json_line(plain.stderr)


def test_a_json_error_keeps_what_it_names_as_data(cli, write_tree, tmp_path):
    site = write_tree(SVM_SITE)
    env = {"GEULBAT_POSTS": str(site), "GEULBAT_INDEX_DIR": str(tmp_path / "index")}
    twice = cli("links", "2018-01-01-same.md", "--json", env=env)
    assert twice.returncode == 1 and twice.stdout == ""
    assert _last_json_line(twice.stderr) == {
        "error": f"2 posts are named '2018-01-01-same.md' under {site}: "
        "_drafts/2018-01-01-same.md, _posts/2018-01-01-same.md; give its path",
        "kind": "ambiguous_post",
    }


def test_a_query_word_json_after_a_double_dash_asks_for_no_json(cli):
    result = cli("search", "--limit", "0", "--", "--json", env=GUIDE)
    assert result.returncode == 2 and "must be between 1 and 1000" in result.stderr
    assert result.stderr.startswith("usage: reader search")  # argparse's own, not JSON


LISTED_SITE = {
    "a.md": '---\ntitle: 목록\ndate: 2024-01-02\ncategories: [Tips & Refs, "A, B"]\n'
    'tags: [machine learning, python, "c,d", "back\\\\slash"]\n---\n본문\n',
}


def _split_listed(field: str) -> list[str]:
    """What a script does with a piped list field: split at the commas not escaped, unescape."""
    items, item, chars = [], "", iter(field)
    for char in chars:
        if char == "\\":
            item += next(chars)
        elif char == ",":
            items, item = [*items, item], ""
        else:
            item += char
    return [*items, item] if field else []


def test_piped_posts_list_tags_and_categories_unambiguously(cli, write_tree):
    """Piped, `#machine learning #python` could be one tag or three: the tags and categories
    are joined by commas, a comma or backslash in one escaped, and split back exactly."""
    result = cli("posts", "--posts", str(write_tree(LISTED_SITE)))
    assert result.returncode == 0, result.stderr
    [row] = [line.split("\t") for line in result.stdout.splitlines()]
    assert row[:3] == ["2024-01-02", "", "목록"] and row[5] == "a.md"
    assert row[3] == "Tips & Refs,A\\, B"
    assert row[4] == "machine learning,python,c\\,d,back\\\\slash"
    assert _split_listed(row[3]) == ["Tips & Refs", "A, B"]
    assert _split_listed(row[4]) == ["machine learning", "python", "c,d", "back\\slash"]
    listed = json.loads(cli("posts", "--posts", str(write_tree(LISTED_SITE)), "--json").stdout)
    assert listed[0]["tags"] == _split_listed(row[4]) and listed[0]["categories"] == _split_listed(row[3])


def test_posts_with_a_tag_or_category_no_post_has_names_the_close_ones(cli, write_tree, tmp_path):
    """`reader posts --tag grpah` said `0 posts` and nothing else, where a search corrects a
    typo: a name no post has is said, with the names close to it."""
    site = write_tree(
        {
            "_posts/2020-01-01-a.md": "---\ntitle: 최단 경로\ntags: [Graph]\ncategories: [Deep Learning]\n---\n본문.\n",
            "_posts/2020-01-02-b.md": "---\ntitle: 정렬\ntags: [sort, 그래프]\ncategories: [알고리즘]\n---\n본문.\n",
            "_posts/2020-01-03-c.md": "---\ntitle: 낱말\ncategories: [ML, 용어]\n---\n본문.\n",
        }
    )
    env = {"GEULBAT_INDEX_DIR": str(tmp_path / "index"), "GEULBAT_SERVER": "off", "LANG": "C.UTF-8", "LC_ALL": ""}
    said = cli("--posts", str(site), "posts", "--tag", "grpah", env=env)
    assert (said.returncode, said.stdout) == (0, "")
    assert said.stderr == "reader: no post is tagged grpah; close: Graph\n0 posts\n"
    said = cli("--posts", str(site), "posts", "--category", "deep lerning", env=env)
    assert said.stderr == "reader: no post is in a category deep lerning; close: Deep Learning\n0 posts\n"
    said = cli("--posts", str(site), "posts", "--tag", "kubernetes", env=env)
    assert said.stderr == "reader: no post is tagged kubernetes\n0 posts\n"
    # A tag some post has, only not with that category: the list is just empty.
    said = cli("--posts", str(site), "posts", "--tag", "sort", "--category", "Deep Learning", env=env)
    assert said.stderr == "0 posts\n"
    said = cli("--posts", str(site), "posts", "--tag", "그래프스", env={**env, "LANG": "ko_KR.UTF-8"})
    assert said.stderr == "reader: 태그가 붙은 글이 없습니다: 그래프스. 비슷한 이름: 그래프\n글 0개\n"
    # A category some post is in, only not with that tag: nothing is said of it.
    said = cli("--posts", str(site), "posts", "--tag", "Graph", "--category", "용어", env=env)
    assert said.stderr == "0 posts\n"
