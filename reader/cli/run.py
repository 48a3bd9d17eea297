"""The `reader` command: the app by default (`reader [FOLDER | POST.md]`), and commands for scripts."""

from __future__ import annotations

import argparse
import atexit
import contextlib
import gc
import os
import re
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import NoReturn

from reader.cli.commands import (
    UserError,
    cmd_config,
    cmd_index,
    cmd_links,
    cmd_posts,
    cmd_related,
    cmd_show,
    run_app,
    use_configured_language,
)
from reader.cli.i18n import t
from reader.cli.output import report_error, warn
from reader.cli.parser import Parser, bad_value
from reader.cli.search import cmd_search
from reader.cli.stats import cmd_stats
from reader.search import lean_imports

COMMANDS = ("posts", "links", "show", "index", "search", "related", "stats", "config", "serve")
_VALUE_OPTIONS = ("--posts", "--index-dir", "--print-completion")
_POST_FILES = {"bash": "_shtab_compgen_files", "zsh": "_files -g '*.(md|markdown)'", "tcsh": "f:*.md"}


class _Version(argparse.Action):
    """`--version` (a console script's own `reader --version` is answered before the parser is
    built: see reader.cli.main)."""

    def __call__(self, parser: argparse.ArgumentParser, *_: object) -> None:
        from reader.cli import version_line

        print(version_line())  # on stdout, as argparse's own action
        parser.exit()


USAGE = """reader [--index-dir DIR] [FOLDER | POST.md]
       reader [--posts DIR] [--index-dir DIR] COMMAND [ARGS ...]
       reader --version | --print-completion SHELL"""


def wants_json(words: Sequence[str]) -> bool:
    """Whether the words ask for JSON: `--json` among the options (not a query word after `--`)."""
    options = words[: list(words).index("--")] if "--" in words else words
    return "--json" in options


def _add_common(parser: argparse.ArgumentParser, top: bool = False) -> None:
    default = None if top else argparse.SUPPRESS
    folder = parser.add_argument(
        "--posts",
        metavar="DIR",
        default=default,
        help=t("folder of posts or site root (env GEULBAT_POSTS; default: config, the current folder, the guide)"),
    )
    folder.complete = {"bash": "_shtab_compgen_dirs", "zsh": "_files -/", "tcsh": "d"}  # type: ignore[attr-defined]
    index = parser.add_argument(
        "--index-dir",
        metavar="DIR",
        type=Path,
        default=default,
        help=t("where the search index lives (env GEULBAT_INDEX_DIR; default: user cache)"),
    )
    index.complete = {"bash": "_shtab_compgen_dirs", "zsh": "_files -/", "tcsh": "d"}  # type: ignore[attr-defined]


def _add_post(parser: argparse.ArgumentParser) -> None:
    """The POST argument of a command about one post (completed with *.md files)."""
    post = parser.add_argument(
        "post",
        metavar="POST",
        help=t("the post: relative to --posts or to here, absolute, or (no other post's) its file name, slug or title"),
    )
    post.complete = _POST_FILES  # type: ignore[attr-defined]


def build_parser(json_errors: bool = False, folder: bool = True) -> argparse.ArgumentParser:
    """The parser of every command; `json_errors`: its usage errors as JSON (see Parser);
    `folder`: with the app's `FOLDER | POST.md` in the help (not for completion scripts: zsh's
    would complete it in place of the command)."""
    parser = Parser(
        prog="reader",
        usage=USAGE,
        description=t("A terminal reader for a folder of Markdown blog posts."),
        epilog=t(
            "With --json a command prints JSON on stdout, and an error as one JSON object on the last "
            'line of stderr: {"error": "…", "kind": "…"} (exit code 1; 2 for a usage error). '
            "The error is said in the interface's language; its kind never changes."
        ),
    )
    parser.add_argument("--version", action=_Version, nargs=0, help=t("show the version and exit"))
    parser.add_argument(
        "--print-completion",
        choices=("bash", "zsh", "tcsh"),
        metavar="SHELL",
        help=t("print a completion script for bash, zsh or tcsh"),
    )
    _add_common(parser, top=True)
    commands = parser.add_subparsers(
        title=t("commands"),
        dest="command",
        metavar="COMMAND",
        prog="reader",  # not the usage above: `reader posts -h` says `usage: reader posts …`
        help=t("a command instead of the app (`reader COMMAND -h` shows its options)"),
    )

    posts = commands.add_parser(
        "posts",
        help=t("list posts (a table on a terminal, tab-separated when piped)"),
        epilog=t(
            "A table on a terminal; piped, one post a line, its fields separated "
            "by tabs: date, flags (! warnings, D draft), title, categories, tags, path. Categories and tags are "
            "joined by commas; a comma in one is written \\, and a backslash \\\\."
        ),
    )
    _add_common(posts)
    posts.add_argument("--tag", help=t("only posts with this tag"))
    posts.add_argument("--category", help=t("only posts in this category (A/B for a sub-category)"))
    posts.add_argument("--json", action="store_true", help=t("print JSON"))
    posts.set_defaults(run=cmd_posts)

    links = commands.add_parser("links", help=t("list the links of one post"))
    _add_common(links)
    _add_post(links)
    links.add_argument("--json", action="store_true", help=t("print JSON"))
    links.add_argument(
        "--backlinks", action="store_true", help=t("the posts linking to this one (what links here), with context")
    )
    links.set_defaults(run=cmd_links)

    show = commands.add_parser("show", help=t("print a post, rendered (plain text when piped)"))
    _add_common(show)
    _add_post(show)
    show.add_argument(
        "--width", type=_width, default=None, metavar="N", help=t("wrap at N columns (default: the terminal's)")
    )
    show.add_argument(
        "--no-pager",
        action="store_true",
        help=t("never page (a post taller than the terminal goes through $PAGER, default `less -FRX`)"),
    )
    show.set_defaults(run=cmd_show)

    index = commands.add_parser("index", help=t("build or update the search index"))
    _add_common(index)
    index.add_argument("--rebuild", action="store_true", help=t("rebuild from scratch"))
    index.add_argument("--json", action="store_true", help=t("print JSON"))
    index.set_defaults(run=cmd_index)

    search = commands.add_parser("search", help=t("search the posts (syncs the index first)"))
    _add_common(search)
    search.add_argument(
        "query",
        metavar="QUERY",
        nargs="+",
        help=t(
            "the words to find, all of them (머신러닝 also finds 머신러닝에서); "
            '"a phrase" as written; -word: without it; a OR b; ( … ) to group; pyth*: a prefix; '
            "초성: ㅁㅅㄹㄴ finds 머신러닝; fields: tag:python, category:공부/머신러닝, title:검색, "
            'date:2020, date:2019..2021, date:2020-06 (a name with spaces in quotes: category:"Machine Learning")'
        ),
    )
    search.add_argument("--limit", type=_positive, default=10, metavar="N", help=t("at most N hits (default 10)"))
    search.add_argument("--json", action="store_true", help=t("print JSON"))
    search.set_defaults(run=cmd_search)

    related = commands.add_parser("related", help=t("the posts most like one post, each with why"))
    _add_common(related)
    _add_post(related)
    related.add_argument("--limit", type=_positive, default=5, metavar="N", help=t("at most N posts (default 5)"))
    related.add_argument("--json", action="store_true", help=t("print JSON"))
    related.set_defaults(run=cmd_related)

    stats = commands.add_parser("stats", help=t("count posts per year, month, tag and category, with a chart"))
    _add_common(stats)
    stats.add_argument("--json", action="store_true", help=t("print JSON"))
    stats.set_defaults(run=cmd_stats)

    config = commands.add_parser("config", help=t("show the config file and the settings in effect; `edit` opens it"))
    config.add_argument(
        "action",
        nargs="?",
        choices=("show", "edit"),
        default="show",
        metavar="show|edit",  # also what an error names it by (argparse said "argument action")
        help=t("show (the default): the file and the settings in effect; edit: open it in $VISUAL or $EDITOR"),
    )
    config.add_argument("--json", action="store_true", help=t("print JSON"))
    config.set_defaults(run=cmd_config)

    serve = commands.add_parser(
        "serve",
        help=t("answer `reader search` from a process that stays up (a search then takes a round trip, not a start)"),
        description=t(
            "Keep a process up that answers `reader search` (any folder, as the search would run "
            "itself) while it runs; `reader search` uses it when it answers, and searches itself when not. "
            "The socket is in a private folder (GEULBAT_SERVER sets its path; GEULBAT_SERVER=off turns it off)."
        ),
    )
    serve.add_argument(
        "--idle",
        type=_minutes,
        default=60.0,
        metavar="MINUTES",
        help=t("end after MINUTES without a search (default 60; 0: never)"),
    )
    serve.add_argument("--detach", action="store_true", help=t("run in the background; return once it answers"))
    serve.add_argument("--stop", action="store_true", help=t("stop the running server"))
    serve.add_argument("--status", action="store_true", help=t("print the running server's status as JSON"))
    serve.set_defaults(run=_serve)
    if folder:
        # For the help: `with_folder_argument` turns the word into `--posts` before parsing, and,
        # added after the commands, this argument never takes one of their words.
        parser.add_argument(
            "folder",
            nargs="?",
            metavar="FOLDER | POST.md",
            help=t(
                "open the app on a folder of posts or a site root, or on one post in its site "
                "(default: GEULBAT_POSTS, the config file's `posts`, the current folder if it holds posts, "
                "or the bundled guide)"
            ),
        )
    for each in (parser, *commands.choices.values()):
        each.json_errors = json_errors
    return parser


def _serve(args: argparse.Namespace) -> int:
    from reader.cli.server import cmd_serve

    return cmd_serve(args)


def _minutes(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise bad_value("not a number: %(value)s", value=repr(text)) from None
    if not 0 <= value <= 7 * 24 * 60:
        raise bad_value("must be between 0 and 10080 (a week)")
    return value


def _width(text: str) -> int:
    return _bounded(text, 20, 1000)


def _positive(text: str) -> int:
    return _bounded(text, 1, 1000)


def _bounded(text: str, low: int, high: int) -> int:
    try:
        value = int(text)
    except ValueError:
        raise bad_value("not a number: %(value)s", value=repr(text)) from None
    if not low <= value <= high:
        raise bad_value("must be between %(low)s and %(high)s", low=low, high=high)
    return value


def with_folder_argument(argv: list[str]) -> list[str]:
    """`reader ~/blog` and `reader post.md` mean `reader --posts …`: a first word that is no
    command is the folder (or the post) to open."""
    index = 0
    while index < len(argv):
        word = argv[index]
        if word in _VALUE_OPTIONS:
            index += 2
            continue
        if word.startswith("-"):
            index += 1
            continue
        if word in COMMANDS:
            return argv
        return [*argv[:index], "--posts", word, *argv[index + 1 :]]
    return argv


def mistyped_command(argv: list[str]) -> tuple[str, str] | None:
    """The first word and the command it is a slip for (`reader serch 임베딩`, `reader post`),
    when it is no command and nothing here bears its name: it was taken for a folder, and the
    error blamed the next word (`invalid choice: '임베딩'`) or said `posts folder not found: post`."""
    index = _first_word_at(argv)
    if index is None:
        return None
    word = argv[index]
    if word in COMMANDS or os.sep in word or word.startswith("~") or Path(word).exists():
        return None
    import difflib  # only for a word no command and no file: the common path never pays it

    close = difflib.get_close_matches(word.lower(), COMMANDS, n=1, cutoff=0.6)
    return (word, close[0]) if close else None


_SEARCH_VALUE_OPTIONS = (*_VALUE_OPTIONS, "--limit")
_EXCLUDED = re.compile(r"-[^-\s]")  # `-초안`, `-word2vec`: a word the query leaves out, not an option


def with_query_last(argv: list[str]) -> list[str]:
    """`reader search 임베딩 -초안` as the query syntax has it: argparse reads `-초안` as an
    unknown option. The words of a search's query are moved after a `--`, options before it,
    so a word left out is a word of the query wherever it stands (`-h` still means help; a
    mistyped `--option` is still an error)."""
    at = _command_at(argv)
    if at is None or argv[at] != "search":
        return argv
    head, rest = argv[: at + 1], argv[at + 1 :]
    if "--" in rest:
        cut = rest.index("--")
        rest, tail = rest[:cut], rest[cut + 1 :]
    else:
        tail = []
    options: list[str] = []
    query: list[str] = []
    index = 0
    while index < len(rest):
        word = rest[index]
        if word in _SEARCH_VALUE_OPTIONS:
            options += rest[index : index + 2]
            index += 2
            continue
        if word.startswith("--") or word == "-h" or (word.startswith("-") and not _EXCLUDED.match(word)):
            options.append(word)
        else:
            query.append(word)
        index += 1
    words = query + tail
    return [*head, *options, "--", *words] if words else [*head, *options]


def _command_at(argv: list[str]) -> int | None:
    """Where the command stands among the words (past the options and their values)."""
    index = _first_word_at(argv)
    return index if index is not None and argv[index] in COMMANDS else None


def _first_word_at(argv: list[str]) -> int | None:
    """Where the first word that is no option nor an option's value stands."""
    index = 0
    while index < len(argv):
        if argv[index] in _VALUE_OPTIONS:
            index += 2
        elif argv[index].startswith("-"):
            index += 1
        else:
            return index
    return None


def main(argv: Sequence[str] | None = None) -> int:
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="replace")  # unencodable text is replaced, not fatal
    words = with_query_last(with_folder_argument(list(sys.argv[1:] if argv is None else argv)))
    use_configured_language()  # before the parser: its help and its errors are said in it too
    parser = build_parser(json_errors=wants_json(words))
    slip = mistyped_command(list(sys.argv[1:] if argv is None else argv))
    if slip is not None:
        parser.error(
            t(
                "'{word}' is no command and no folder here: did you mean reader {command}?",
                word=slip[0],
                command=slip[1],
            )
        )
    args = parser.parse_args(words)
    if args.print_completion:
        import shtab

        print(shtab.complete(build_parser(folder=False), shell=args.print_completion))
        return 0
    command = getattr(args, "run", run_app)
    if command is run_app and os.environ.get("TERM") == "dumb":
        # Emacs's shell and the like: the full-screen app would fill them with escape codes.
        warn(
            "reader: "
            + t(
                "this terminal (TERM=dumb) cannot show the app; "
                "use reader posts, reader show POST or reader search WORDS"
            )
        )
        return 1
    if command is not cmd_search:
        gc.enable()  # off for a search alone (see reader.cli.main); a folder named `search` is not one
    lean_imports.install()  # Whoosh, when a command imports it, without what it never uses here
    code = _run(command, args, words)
    if argv is None and command is not run_app and may_leave_now():
        leave(code)  # the console script: skip the interpreter's teardown
    return code


def may_leave_now() -> bool:
    """Whether nothing needs the interpreter's own ending: no profiler or tracer (cProfile and
    coverage write their data then), no thread of ours still running."""
    if sys.getprofile() is not None or sys.gettrace() is not None:
        return False
    threading = sys.modules.get("threading")
    return threading is None or all(t.daemon or t is threading.main_thread() for t in threading.enumerate())


def leave(code: int) -> NoReturn:
    """End the process now, without tearing the interpreter down: freeing a search's objects
    and modules one by one took ~75 ms of a 10k-post `reader search`. Its output is flushed and
    the exit handlers run (the log's, a process pool's) as at a normal end. Only for a command
    that has finished: its files are closed, its index committed (not the app)."""
    atexit._run_exitfuncs()  # first, as Python does: they may still print
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(BrokenPipeError, ValueError):  # `reader … | head` went away; a closed stream
            stream.flush()
    os._exit(code)


def _run(command: Callable[[argparse.Namespace], int], args: argparse.Namespace, words: list[str]) -> int:
    """The command's exit code; an error said in one line (one JSON object with --json), no traceback."""
    as_json = bool(getattr(args, "json", False))
    try:
        return int(command(args))
    except UserError as exc:
        report_error(str(exc), exc.kind, as_json)
        return 1
    except BrokenPipeError:
        # `reader posts | head`: the reader went away; leave quietly.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0
    except KeyboardInterrupt:
        return 130
    except OSError as exc:
        report_error(f"{exc.strerror or exc}: {exc.filename or ''}".rstrip(": "), "os_error", as_json)
        return 1
    except Exception as exc:  # a bug (or an index we cannot use): one line here, the traceback in the log
        from reader.library import IndexUnavailable

        if isinstance(exc, IndexUnavailable):
            report_error(str(exc), "index_unavailable", as_json)
            return 1
        from reader.log import log_exception

        where = log_exception(f"reader {' '.join(words)}", exc)
        report_error(
            t("internal error ({error}); {where}", error=f"{type(exc).__name__}: {exc}", where=where),
            "internal",
            as_json,
        )
        return 1
