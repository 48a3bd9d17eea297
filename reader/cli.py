"""The `reader` command: the app by default, and `posts`, `links`, `index`, `search` for scripts."""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from reader.library import IndexUnavailable, InvalidQuery, Library, PostNotFound, SyncReport
from reader.log import log_exception
from reader.posts.post import Post
from reader.posts.text import fit, printable

BUNDLED_POSTS = Path(__file__).resolve().parent.parent / "posts"


class UserError(Exception):
    """A mistake the user can fix: reported in one line, exit code 1."""


def default_posts_dir() -> Path:
    env = os.environ.get("READER_POSTS")
    return Path(env) if env else BUNDLED_POSTS


def _add_common(parser: argparse.ArgumentParser, top: bool = False) -> None:
    default = None if top else argparse.SUPPRESS
    parser.add_argument(
        "--posts",
        metavar="DIR",
        type=Path,
        default=default,
        help="folder of posts or site root (env READER_POSTS; default: bundled posts/)",
    )
    parser.add_argument(
        "--index-dir",
        metavar="DIR",
        type=Path,
        default=default,
        help="where the search index lives (env READER_INDEX_DIR; default: user cache)",
    )


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="reader", description=__doc__)
    _add_common(parser, top=True)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    posts = commands.add_parser("posts", help="list posts")
    _add_common(posts)
    posts.add_argument("--tag", help="only posts with this tag")
    posts.add_argument("--category", help="only posts in this category (A/B for a sub-category)")
    posts.add_argument("--json", action="store_true", help="print JSON")
    posts.set_defaults(run=cmd_posts)

    links = commands.add_parser("links", help="list the links of one post")
    _add_common(links)
    links.add_argument("post", metavar="POST", help="path of the post, relative to --posts")
    links.add_argument("--json", action="store_true", help="print JSON")
    links.set_defaults(run=cmd_links)

    show = commands.add_parser("show", help="print a post, rendered (plain text when piped)")
    _add_common(show)
    show.add_argument("post", metavar="POST", help="the post: relative to --posts or to here, or absolute")
    show.add_argument("--width", type=_width, default=None, help="wrap at N columns (default: the terminal's)")
    show.set_defaults(run=cmd_show)

    index = commands.add_parser("index", help="build or update the search index")
    _add_common(index)
    index.add_argument("--rebuild", action="store_true", help="rebuild from scratch")
    index.add_argument("--json", action="store_true", help="print JSON")
    index.set_defaults(run=cmd_index)

    search = commands.add_parser("search", help="search the posts (syncs the index first)")
    _add_common(search)
    search.add_argument(
        "query",
        metavar="QUERY",
        nargs="+",
        help='words, "phrases", -word, tag:, category:, title:, date:2020 or date:2019..2021',
    )
    search.add_argument("--limit", type=_positive, default=10, help="at most N hits (default 10)")
    search.add_argument("--json", action="store_true", help="print JSON")
    search.set_defaults(run=cmd_search)
    return parser


def _width(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not 20 <= value <= 1000:
        raise argparse.ArgumentTypeError("must be between 20 and 1000")
    return value


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not 1 <= value <= 1000:
        raise argparse.ArgumentTypeError("must be between 1 and 1000")
    return value


def open_library(args: argparse.Namespace, load: bool = True) -> Library:
    root = args.posts or default_posts_dir()
    if not Path(root).is_dir():
        raise UserError(f"posts folder not found: {root}")
    library = Library(root, index_dir=getattr(args, "index_dir", None))
    if load:  # a big folder (or `--posts /`) takes a while: say how far it is
        library.adopt(library.read(progress=_ProgressBar("reading")))
    return library


class _ProgressBar:
    """A one-line progress bar on stderr, only when stderr is a terminal."""

    def __init__(self, what: str = "indexing") -> None:
        self.what = what
        self.enabled = sys.stderr.isatty()
        self.last = 0.0

    def __call__(self, done: int, total: int) -> None:
        now = time.monotonic()
        if not self.enabled or (now - self.last < 0.1 and done < total):
            return
        self.last = now
        filled = int(30 * done / max(total, 1))
        sys.stderr.write(f"\r{self.what} [{'#' * filled}{' ' * (30 - filled)}] {done}/{total}")
        if done >= total:
            sys.stderr.write("\n")
        sys.stderr.flush()


def _sync(library: Library, rebuild: bool = False, verify: bool = False) -> SyncReport:
    try:
        report = library.sync_index(rebuild=rebuild, progress=_ProgressBar(), verify=verify)
    except IndexUnavailable as exc:
        raise UserError(str(exc)) from None
    for message in report.messages:
        warn(f"reader: {message}")
    return report


_JSON_UNSAFE = re.compile("[\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def to_json(data: Any) -> str:
    """JSON with Hangul as is; C1 controls, bidi controls and line separators escaped as
    `\\uXXXX` (json leaves them raw, and a terminal may act on them). Same data, safe bytes."""
    text = json.dumps(data, ensure_ascii=False, indent=2)
    return _JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def warn(line: str) -> None:
    """One line on stderr, made safe: a file name can hold an escape sequence."""
    print(printable(line), file=sys.stderr)


def cmd_index(args: argparse.Namespace, out: Callable[[str], None]) -> int:
    library = open_library(args, load=False)
    report = _sync(library, rebuild=args.rebuild, verify=True)  # also hashes the index files
    failed = 0 if report.written else 1  # `reader index` is asked to write: not writing is failing
    if args.json:
        out(to_json(report.to_json()))
        return failed
    for warning in report.warnings:
        warn(f"warning: {warning}")
    if failed:
        return failed  # _sync said why, in one line
    busy = " (another process is writing the index: it was not updated now)" if report.busy else ""
    out(
        f"{report.posts} posts indexed: {report.added} added, {report.updated} updated, "
        f"{report.removed} removed, {report.unchanged} unchanged in {report.seconds:.2f}s{busy}"
        + (f"; {len(report.warnings)} warnings" if report.warnings else "")
    )
    return 0


def cmd_search(args: argparse.Namespace, out: Callable[[str], None]) -> int:
    library = open_library(args, load=False)
    _sync(library)
    query = " ".join(args.query)
    try:
        result = library.search(query, limit=args.limit)
    except InvalidQuery as exc:
        raise UserError(f"invalid query: {exc}") from None
    for message in result.messages:
        warn(f"reader: {message}")
    if args.json:
        out(to_json(result.to_json()))
        return 0
    color = sys.stdout.isatty() and "NO_COLOR" not in os.environ
    if not result.hits:
        out(f"no posts match {printable(query)!r}")
        return 0
    if result.approximate:
        out(f"no exact matches for {printable(query)!r}; showing similar posts")
    for n, hit in enumerate(result.hits, start=1):
        date = (hit.date or "")[:10]
        out(f"{n:>2}. {mark(hit.title, hit.title_highlights, color)}  {date}  {printable(hit.path)}")
        if hit.snippet:
            out(f"    {mark(hit.snippet, hit.highlights, color)}")
    about = "" if result.total_exact else "about "
    out(f"{len(result.hits)} of {about}{result.total} posts ({result.took_ms:.0f} ms)")
    return 0


def mark(text: str, spans: list[tuple[int, int]], color: bool) -> str:
    """Highlight spans: reverse video on a terminal, [brackets] otherwise. The text
    itself is made printable first (same length, so the spans still fit)."""
    before, after = ("\x1b[1;7m", "\x1b[0m") if color else ("[", "]")
    out, last = [], 0
    for start, end in spans:
        out.append(printable(text[last:start]) + before + printable(text[start:end]) + after)
        last = end
    out.append(printable(text[last:]))
    return "".join(out)


def iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def post_json(post: Post) -> dict[str, Any]:
    return {
        "path": post.path,
        "title": post.title,
        "date": iso(post.date),
        "updated": iso(post.updated),
        "categories": post.category_names,
        "tags": post.tags,
        "draft": post.draft,
        "encoding": post.encoding,
        "warnings": post.warnings,
    }


def cmd_posts(args: argparse.Namespace, out: Callable[[str], None]) -> int:
    library = open_library(args)
    posts = library.filter(tag=args.tag, category=args.category)
    if args.json:
        out(to_json([post_json(p) for p in posts]))
        return 0
    for post in posts:
        date = post.date.strftime("%Y-%m-%d") if post.date else "----------"
        flags = ("!" if post.warnings else " ") + ("D" if post.draft else " ")
        categories = printable(", ".join(post.category_names))
        tags = printable(" ".join("#" + t for t in post.tags))
        out(f"{date} {flags} {fit(printable(post.title), 48)}  {fit(categories, 20)}  {tags}".rstrip())
    warnings = library.warnings + [w for p in posts for w in p.warnings]
    for warning in warnings:
        warn(f"warning: {warning}")
    warn(f"{len(posts)} posts" + (f", {len(warnings)} warnings" if warnings else ""))
    return 0


def find_post(library: Library, given: str) -> Post:
    try:
        return library.find(given)
    except PostNotFound:
        raise UserError(f"no post {printable(given)!r} under {printable(str(library.root))}") from None


def cmd_show(args: argparse.Namespace, out: Callable[[str], None]) -> int:
    from reader.ui.show import make_console, print_post  # Rich, only for this command

    library = open_library(args)
    post = find_post(library, args.post)
    document = library.document(post)
    color = sys.stdout.isatty() and "NO_COLOR" not in os.environ
    console = make_console(sys.stdout, args.width, color)
    print_post(console, post, document, library.resolve_links(post, document))
    return 0


def cmd_links(args: argparse.Namespace, out: Callable[[str], None]) -> int:
    library = open_library(args)
    post = find_post(library, args.post)
    links = library.links(post.path)
    if args.json:
        out(to_json([link.to_json() for link in links]))
        return 0
    for link in links:
        target = link.target or ""
        if link.kind == "post" and link.target is not None and link.target in library:
            target = f"{library.get(link.target).title} ({link.target})"
        broken = " BROKEN" if link.broken else ""
        out(
            printable(
                f"{link.n:>3}. [{link.kind}{broken}] {link.text or link.url}  <{link.url}>"
                + (f" -> {target}" if target else "")
                + f"  (line {link.line})"
            )
        )
    return 0


def run_app(args: argparse.Namespace, out: Callable[[str], None]) -> int:
    root = args.posts or default_posts_dir()
    if not Path(root).is_dir():
        raise UserError(f"posts folder not found: {root}")
    from reader.ui.app import build_app  # Textual is only imported for the app itself

    build_app(Path(root), index_dir=args.index_dir).run()
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="replace")  # unencodable text is replaced, not fatal
    parser = build_parser()
    args = parser.parse_args(argv)
    command = getattr(args, "run", run_app)

    def out(line: str) -> None:
        print(line)

    try:
        return command(args, out)
    except UserError as exc:
        warn(f"reader: {exc}")
        return 1
    except IndexUnavailable as exc:
        warn(f"reader: {exc}")
        return 1
    except BrokenPipeError:
        # `reader posts | head`: the reader went away; leave quietly.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0
    except KeyboardInterrupt:
        return 130
    except OSError as exc:
        warn(f"reader: {exc.strerror or exc}: {exc.filename or ''}".rstrip(": "))
        return 1
    except Exception as exc:  # a bug: one line here, the traceback in the log file
        where = log_exception(f"reader {' '.join(argv if argv is not None else sys.argv[1:])}", exc)
        warn(f"reader: internal error ({type(exc).__name__}: {exc}); {where}")
        return 1
