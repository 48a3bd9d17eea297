"""The commands: posts, links, show, index, search, config, and the app itself."""

from __future__ import annotations

import argparse
import io
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reader.cli.output import ProgressBar, colour, join_listed, mark, on_terminal, table, to_json, warn
from reader.posts.folders import Choice, choose, for_file
from reader.posts.text import printable
from reader.settings import Settings, config_path, ensure_exists, to_jsonable

if TYPE_CHECKING:
    from collections.abc import Callable

    from reader.library import Library, SearchResult, SyncReport
    from reader.posts.post import Post

    KeptLibrary = Callable[[Path, Path | None], Library]


NEAR = 3  # posts a "no such post" error names


class UserError(Exception):
    """A mistake the user can fix: reported in one line, exit code 1. `kind` names it for a
    script (the `kind` of the JSON error with --json): folder_not_found, not_a_folder, no_posts,
    post_not_found, ambiguous_post, invalid_query, index_unavailable, editor; else error."""

    def __init__(self, message: str, kind: str = "error") -> None:
        super().__init__(message)
        self.kind = kind


def settings() -> tuple[Settings, str | None]:
    return Settings.load()


def choice(args: argparse.Namespace) -> Choice:
    """The folder to open (and maybe a post), with why: see reader.posts.folders.choose."""
    configured, problem = settings()
    if problem:
        warn(f"reader: {problem}")
    chosen = choose(args.posts, os.environ.get("GEULBAT_POSTS"), configured.posts, Path.cwd())
    if not chosen.root.exists():
        raise UserError(f"posts folder not found: {chosen.root}", "folder_not_found")
    if not chosen.root.is_dir():
        raise UserError(
            f"{chosen.root} is a file, not a folder of posts (give a folder, or a post ending in .md)", "not_a_folder"
        )
    return chosen


def open_library(args: argparse.Namespace, post: str | None = None) -> Library:
    """The library to work on, its posts read; a folder without posts is an error."""
    library, chosen = open_chosen(args, post=post)
    with ProgressBar("reading") as progress:  # a big folder (or `--posts /`) takes a while
        library.adopt(library.read(progress=progress))
    if not len(library):
        raise no_posts(chosen, library.warnings)
    return library


def open_chosen(
    args: argparse.Namespace, post: str | None = None, kept: KeptLibrary | None = None
) -> tuple[Library, Choice]:
    """The library of the folder chosen, its posts not read yet, and why that folder. With
    `post`, a file outside the folder chosen opens the site that file is in (`reader show
    ~/blog/_posts/x.md` from anywhere). `kept`: where a long-lived process (`reader serve`)
    keeps its libraries, one a folder."""
    from reader.library import Library

    chosen = choice(args)
    given = Path(post).expanduser() if post else None
    if given is not None and given.is_file() and not given.resolve().is_relative_to(chosen.root.resolve()):
        chosen = for_file(given)
    index_dir = getattr(args, "index_dir", None)
    library = Library(chosen.root, index_dir=index_dir) if kept is None else kept(chosen.root, index_dir)
    return library, chosen


def no_posts(chosen: Choice, warnings: list[str]) -> UserError:
    """The error of a folder that holds no post (nothing ending in .md, or only files that are
    not text): the warnings say why each file was skipped, the error what to give instead."""
    for warning in warnings:
        warn(f"warning: {warning}")
    return UserError(
        f"no Markdown posts in {printable(str(chosen.root))} ({chosen.why}); give a folder of posts or a site root",
        "no_posts",
    )


def sync(library: Library, rebuild: bool = False, verify: bool = False) -> SyncReport:
    from reader.library import IndexUnavailable

    try:
        with ProgressBar() as progress:
            report = library.sync_index(rebuild=rebuild, progress=progress, verify=verify)
    except IndexUnavailable as exc:
        raise UserError(str(exc), "index_unavailable") from None
    for message in report.messages:
        warn(f"reader: {message}")
    return report


def find_post(library: Library, given: str) -> Post:
    """The post `given` names: its path (relative to the folder or the current one) or, when
    one post alone has it, its file's name. Else an error that says which posts come close."""
    from reader.library import PostNotFound

    try:
        return library.find(given)
    except PostNotFound:
        pass
    where = f"{printable(given)!r} under {printable(str(library.root))}"
    named = library.named(given)
    if named:
        paths = ", ".join(printable(post.path) for post in named[:NEAR])
        more = f" and {len(named) - NEAR} more" if len(named) > NEAR else ""
        raise UserError(f"{len(named)} posts are named {where}: {paths}{more}; give its path", "ambiguous_post")
    near = library.near(given, NEAR)
    close = "; close: " + ", ".join(f"{printable(p.path)} ({printable(p.title)})" for p in near) if near else ""
    raise UserError(f"no post {where}{close}", "post_not_found")


# --- the commands ------------------------------------------------------------------------


def cmd_posts(args: argparse.Namespace) -> int:
    library = open_library(args)
    posts = library.filter(tag=args.tag)
    if args.category is not None:
        from reader.posts.taxonomy import under_category

        # As `category:` in a search: a category by its own name at any depth, and below it.
        posts = [post for post in posts if under_category(post, args.category)]
    if args.json:
        print(to_json([post_json(p) for p in posts]))
        return 0
    rows = []
    piped = not on_terminal()  # for a script: a list in a field splits back unambiguously
    for post in posts:
        date = post.date.strftime("%Y-%m-%d") if post.date else ""
        flags = ("!" if post.warnings else "") + ("D" if post.draft else "")
        if piped:
            categories, tags = join_listed(post.category_names), join_listed(post.tags)
        else:
            categories, tags = ", ".join(post.category_names), " ".join("#" + t for t in post.tags)
        rows.append([date, flags, post.title, categories, tags, post.path])
    table("posts", rows)
    warnings = library.warnings + [w for p in posts for w in p.warnings]
    for warning in warnings:
        warn(f"warning: {warning}")
    warn(
        f"{len(posts)} {'post' if len(posts) == 1 else 'posts'}"
        + (f", {len(warnings)} {'warning' if len(warnings) == 1 else 'warnings'}" if warnings else "")
    )
    return 0


def cmd_links(args: argparse.Namespace) -> int:
    library = open_library(args, post=args.post)
    post = find_post(library, args.post)
    if args.backlinks:
        return _print_backlinks(library, post, args.json)
    links = library.links(post.path)
    if args.json:
        print(to_json([link.to_json() for link in links]))
        return 0
    rows = []
    for link in links:
        target = link.target or ""
        if link.kind == "post" and link.target is not None and link.target in library:
            target = f"{library.get(link.target).title} ({link.target})"
        rows.append(
            [link.n, link.kind, "BROKEN" if link.broken else "", link.text or link.url, link.url, target, link.line]
        )
    table("links", rows)
    return 0


def _print_backlinks(library: Library, post: Post, as_json: bool) -> int:
    backlinks = library.backlinks(post.path) or []
    if as_json:
        print(to_json([b.to_json() for b in backlinks]))
        return 0
    table("backlinks", [[b.title, b.path, b.line, b.context] for b in backlinks])
    warn(f"{len(backlinks)} {'post links' if len(backlinks) == 1 else 'links from other posts'} here")
    return 0


def cmd_show(args: argparse.Namespace) -> int:
    from reader.cli.pager import pager_command, show_paged
    from reader.ui.show import make_console, print_post  # Rich, only for this command

    library = open_library(args, post=args.post)
    post = find_post(library, args.post)
    document = library.document(post)
    links = library.resolve_links(post, document)
    pager = None if args.no_pager or not on_terminal() else pager_command()
    if pager is None:  # piped, or asked not to page: printed as it renders
        print_post(make_console(sys.stdout, args.width, colour()), post, document, links)
        return 0
    rendered = io.StringIO()  # the post's text is scrubbed of controls: Rich's colours are all it holds
    print_post(make_console(rendered, args.width, colour()), post, document, links)
    show_paged(rendered.getvalue(), pager)
    return 0


def cmd_index(args: argparse.Namespace) -> int:
    library, chosen = open_chosen(args)
    report = sync(library, rebuild=args.rebuild, verify=True)  # also hashes the index files
    if not report.posts:
        raise no_posts(chosen, report.warnings)
    failed = 0 if report.written else 1  # `reader index` is asked to write: not writing is failing
    if args.json:
        print(to_json(report.to_json()))
        return failed
    for warning in report.warnings:
        warn(f"warning: {warning}")
    if failed:
        return failed  # sync said why, in one line
    busy = " (another process is writing the index: it was not updated now)" if report.busy else ""
    print(
        f"{report.posts} posts indexed: {report.added} added, {report.updated} updated, "
        f"{report.removed} removed, {report.unchanged} unchanged in {report.seconds:.2f}s{busy}"
        + (f"; {len(report.warnings)} warnings" if report.warnings else "")
    )
    return 0


def cmd_related(args: argparse.Namespace) -> int:
    library = open_library(args, post=args.post)
    post = find_post(library, args.post)
    sync(library)
    found = library.related(post.path, limit=args.limit)
    if args.json:
        print(to_json([r.to_json() for r in found]))
        return 0
    if not found:
        warn(f"reader: no post is like {printable(post.title)!r}")
        return 0
    table("related", [[n, r.title, r.why, r.path] for n, r in enumerate(found, 1)])
    return 0


def cmd_search(args: argparse.Namespace, kept: KeptLibrary | None = None) -> int:
    from reader.library import InvalidQuery

    library, chosen = open_chosen(args, kept=kept)
    report = sync(library)
    if not report.posts:
        raise no_posts(chosen, report.warnings)
    # The posts as the index lists them (milliseconds): a hit's metadata comes from there, and
    # its body from its file without parsing its front matter again (no YAML loaded).
    listed = library.read_cached(listing_only=True)
    if listed is not None:
        library.adopt(listed)
    query = " ".join(args.query)
    try:
        result = library.search(query, limit=args.limit)
    except InvalidQuery as exc:
        raise UserError(f"invalid query: {exc}", "invalid_query") from None
    for message in result.messages:
        warn(f"reader: {message}")
    if args.json:
        print(to_json(result.to_json()))
        return 0
    if not result.hits:
        warn(_nothing_found(result))  # stdout stays empty, as grep's does: a script counts no lines
        return 0
    if result.corrected is not None:
        why = f"no posts contain {_words(result.missing)}; " if result.approximate else ""
        warn(f"reader: {why}showing results for {printable(result.corrected)}")
    if result.suggestions:
        warn(f"reader: also try: {', '.join(printable(s) for s in result.suggestions)}")
    if sys.stdout.isatty():
        rows = [
            [n, (h.title, h.title_highlights, "bold"), (h.date or "")[:10], h.path, (h.snippet, h.highlights)]
            for n, h in enumerate(result.hits, start=1)
        ]
        table("hits", rows)
    else:
        for n, hit in enumerate(result.hits, start=1):
            print(
                "\t".join(
                    [
                        str(n),
                        (hit.date or "")[:10],
                        printable(hit.path),
                        mark(hit.title, hit.title_highlights),
                        mark(hit.snippet, hit.highlights),
                    ]
                )
            )
    about = "" if result.total_exact else "about "
    warn(
        f"{len(result.hits)} of {about}{result.total} {'post' if result.total == 1 else 'posts'} "
        f"({result.took_ms:.0f} ms)"
    )
    return 0


def _words(words: list[str]) -> str:
    return ", ".join(printable(w) for w in words)


def _nothing_found(result: SearchResult) -> str:
    """One line: which words no post holds, or that the words never meet; and what might be meant."""
    line = (
        f"no posts contain {_words(result.missing)}"
        if result.missing
        else f"no posts match {printable(result.query)!r}"
    )
    if result.suggestions:
        line += f"; did you mean {' or '.join(printable(s) for s in result.suggestions)}?"
    return line


def cmd_config(args: argparse.Namespace) -> int:
    path = config_path()
    if args.action == "edit":
        ensure_exists(path)
        import subprocess  # only here: ~5 ms of every start otherwise

        from reader.ui.editor import editor_command

        try:
            return subprocess.call([*editor_command(), str(path)])
        except (OSError, ValueError) as exc:
            raise UserError(f"cannot run the editor: {exc}", "editor") from None
    loaded, problem = Settings.load(path)
    chosen = choose(None, os.environ.get("GEULBAT_POSTS"), loaded.posts, Path.cwd())
    if args.json:
        print(
            to_json(
                {
                    "path": str(path),
                    "exists": path.exists(),
                    "problem": problem,
                    "settings": to_jsonable(loaded),
                    "posts_folder": str(chosen.root),
                    "posts_folder_exists": chosen.root.exists(),
                    "posts_why": chosen.why,
                }
            )
        )
        return 0
    print(f"config file: {printable(str(path))}" + ("" if path.exists() else " (not created yet: reader config edit)"))
    if problem:
        warn(f"reader: {problem}")
    for line in _theme_and_key_problems(loaded):
        warn(f"reader: {printable(str(path))}: {line}")
    for key, value in loaded.describe():
        print(f"  {key} = {printable(value)}")
    missing = "" if chosen.root.exists() else "; it does not exist"
    print(f"posts folder now: {printable(str(chosen.root))} ({chosen.why}{missing})")
    return 0


def _theme_and_key_problems(loaded: Settings) -> list[str]:
    """What the app would ignore in the theme and [keys], one line each; `loaded` left as the app uses it."""
    if loaded.theme == Settings().theme and not loaded.keys:
        return []  # the usual case: Textual (~0.2 s) is not imported for nothing
    from reader.ui.config_check import builtin_themes, check_theme_and_keys

    theme, keymap, problems = check_theme_and_keys(loaded, builtin_themes())
    loaded.theme, loaded.keys = theme or Settings().theme, keymap
    return problems


def run_app(args: argparse.Namespace) -> int:
    chosen = choice(args)
    from reader.ui.app import build_app  # Textual is only imported for the app itself

    build_app(chosen.root, index_dir=args.index_dir, open_post=chosen.post, why=chosen.why).run()
    return 0


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


__all__ = [
    "UserError",
    "cmd_config",
    "cmd_index",
    "cmd_links",
    "cmd_posts",
    "cmd_related",
    "cmd_search",
    "cmd_show",
    "run_app",
    "to_jsonable",
]
