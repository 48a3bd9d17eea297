"""The commands: posts, links, show, index, search, config, and the app itself."""

from __future__ import annotations

import argparse
import io
import os
import re
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reader.cli.i18n import language, t, tell, use_language
from reader.cli.output import ProgressBar, colour, join_listed, on_terminal, table, to_json, warn
from reader.posts.discovery import POST_SUFFIXES
from reader.posts.folders import NO_BLOG_HERE, Choice, choose, for_file
from reader.posts.text import nfc, printable
from reader.settings import Settings, config_path, ensure_exists, to_jsonable

if TYPE_CHECKING:
    from collections.abc import Callable

    from reader.library import Library, SyncReport
    from reader.posts.post import Post
    from reader.search.related import Related

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


def use_configured_language() -> str:
    """Speak the language the app speaks (the config's `language`, else the locale): called
    before anything is said. A problem with the config is said where the settings are used."""
    configured, _ = settings()
    return use_language(configured.language)


def why_chosen(why: str) -> str:
    """How the posts folder was chosen (reader.posts.folders), in the interface's language."""
    return {
        "given": t("given"),
        "the config file's posts": t("the config file's posts"),
        "the current folder": t("the current folder"),
        "the bundled guide": t("the bundled guide"),
        "the bundled guide: no blog in the current folder": t("the bundled guide: no blog in the current folder"),
        "the post given": t("the post given"),
    }.get(why, why)


def choice(args: argparse.Namespace) -> Choice:
    """The folder to open (and maybe a post), with why: see reader.posts.folders.choose."""
    configured, problem = settings()
    if problem:
        warn(f"reader: {tell(problem)}")
    chosen = choose(args.posts, os.environ.get("GEULBAT_POSTS"), configured.posts, Path.cwd())
    if not chosen.root.exists():
        if chosen.root.suffix.lower() in POST_SUFFIXES:  # `reader nope.md`: a post was meant, not a folder
            raise UserError(t("post not found: {path}", path=printable(str(chosen.root))), "post_not_found")
        raise UserError(t("posts folder not found: {folder}", folder=chosen.root), "folder_not_found")
    if not chosen.root.is_dir():
        raise UserError(
            t("{path} is a file, not a folder of posts (give a folder, or a post ending in .md)", path=chosen.root),
            "not_a_folder",
        )
    return chosen


def open_library(args: argparse.Namespace, post: str | None = None) -> Library:
    """The library to work on, its posts read; a folder without posts is an error."""
    library, chosen = open_chosen(args, post=post)
    with ProgressBar(t("reading")) as progress:  # a big folder (or `--posts /`) takes a while
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
    if chosen.why == NO_BLOG_HERE:
        # The app says so in its status bar; a command run in the wrong folder answered from the
        # guide without a word (`reader search 임베딩` in ~: "no posts contain 임베딩").
        warn(
            "reader: "
            + t(
                "no blog in the current folder ({folder}): reading the bundled guide; "
                "name your blog with --posts DIR, or posts in the config (reader config edit)",
                folder=printable(str(Path.cwd())),
            )
        )
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
        warn(t("warning: {warning}", warning=tell(warning)))
    return UserError(
        t(
            "no Markdown posts in {folder} ({why}); give a folder of posts or a site root",
            folder=printable(str(chosen.root)),
            why=why_chosen(chosen.why),
        ),
        "no_posts",
    )


def sync(library: Library, rebuild: bool = False, verify: bool = False) -> SyncReport:
    from reader.library import IndexUnavailable

    try:
        with ProgressBar(t("indexing")) as progress:
            report = library.sync_index(rebuild=rebuild, progress=progress, verify=verify)
    except IndexUnavailable as exc:
        raise UserError(tell(str(exc)), "index_unavailable") from None
    for message in report.messages:
        warn(f"reader: {tell(message)}")
    return report


def find_post(library: Library, given: str) -> Post:
    """The post `given` names: its path (relative to the folder or the current one) or, when
    one post alone has it, its file's name, its title (`reader show 'KKT 조건'`) or its slug
    (the name without its date: `reader show KKT`). Else an error that says which posts come close."""
    from reader.library import PostNotFound

    try:
        return library.find(given)
    except PostNotFound:
        pass
    name, root = repr(printable(given)), printable(str(library.root))
    named = library.named(given)
    if named:
        paths = ", ".join(printable(post.path) for post in named[:NEAR])
        more = t(" and {count} more", count=len(named) - NEAR) if len(named) > NEAR else ""
        raise UserError(
            t(
                "{count} posts are named {name} under {root}: {paths}{more}; give its path",
                count=len(named),
                name=name,
                root=root,
                paths=paths,
                more=more,
            ),
            "ambiguous_post",
        )
    wanted = nfc(given).strip().casefold()
    for key in (lambda p: p.title.strip().casefold(), lambda p: _slug(p.path)):
        matched = [post for post in library.posts if key(post) == wanted] if wanted else []
        if len(matched) == 1:
            return matched[0]
    near = library.near(given, NEAR)
    close = ", ".join(f"{printable(p.path)} ({printable(p.title)})" for p in near)
    close = t("; close: {posts}", posts=close) if near else ""
    raise UserError(t("no post {name} under {root}{close}", name=name, root=root, close=close), "post_not_found")


def _slug(path: str) -> str:
    """A post's file name without its folder, its date and `.md`: `_posts/2018-01-26-KKT.md` -> `kkt`."""
    return FILE_DATE.sub("", path.rsplit("/", 1)[-1].rsplit(".", 1)[0]).casefold()


FILE_DATE = re.compile(r"^\d{4}-\d{1,2}-\d{1,2}-")


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
        warn(t("warning: {warning}", warning=tell(warning)))
    if not posts:
        _say_names_no_post_has(library, args.tag, args.category)
    counted = t("{count} post" if len(posts) == 1 else "{count} posts", count=len(posts))
    if warnings:
        counted += t(", {count} warning" if len(warnings) == 1 else ", {count} warnings", count=len(warnings))
    warn(counted)
    return 0


def _say_names_no_post_has(library: Library, tag: str | None, category: str | None) -> None:
    """A `--tag` or `--category` no post has (a typo, as a search would correct): said, with the
    names close to it. One that some post has, only not with the other filter, says nothing."""
    import difflib

    from reader.posts.taxonomy import has_tag, under_category

    posts = library.posts
    for value, had, names in (
        (tag, has_tag, {n for p in posts for n in p.tags}),
        (category, under_category, {n for p in posts for path in p.categories for n in path}),
    ):
        if not value or any(had(post, value) for post in posts):
            continue
        by_fold = {nfc(n).casefold(): n for n in sorted(names)}
        wanted = nfc(value).casefold().strip().lstrip("#").rsplit("/", 1)[-1].strip()  # a path: its last name
        close = [by_fold[n] for n in difflib.get_close_matches(wanted, list(by_fold), n=3, cutoff=0.6)]
        name = printable(value)
        message = (
            t("no post is tagged {name}", name=name)
            if had is has_tag
            else t("no post is in a category {name}", name=name)
        )
        if close:
            message += t("; close: {posts}", posts=", ".join(printable(n) for n in close))
        warn("reader: " + message)


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
    broken = t("BROKEN") if on_terminal() else "BROKEN"  # piped, a field a script may test
    for link in links:
        target = link.target or ""
        if link.kind == "post" and link.target is not None and link.target in library:
            target = f"{library.get(link.target).title} ({link.target})"
        rows.append(
            [link.n, link.kind, broken if link.broken else "", link.text or link.url, link.url, target, link.line]
        )
    table("links", rows)
    return 0


def _print_backlinks(library: Library, post: Post, as_json: bool) -> int:
    backlinks = library.backlinks(post.path) or []
    if as_json:
        print(to_json([b.to_json() for b in backlinks]))
        return 0
    table("backlinks", [[b.title, b.path, b.line, b.context] for b in backlinks])
    count = len(backlinks)
    warn(t("{count} post links here" if count == 1 else "{count} links from other posts here", count=count))
    return 0


def cmd_show(args: argparse.Namespace) -> int:
    from reader.cli.pager import pager_command, show_paged
    from reader.ui.i18n import set_language
    from reader.ui.show import make_console, print_post  # Rich, only for this command

    set_language(language())  # the post's header and placeholders in the CLI's language

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
        warn(t("warning: {warning}", warning=tell(warning)))
    if failed:
        return failed  # sync said why, in one line
    busy = t(" (another process is writing the index: it was not updated now)") if report.busy else ""
    print(
        t(
            "{posts} posts indexed: {added} added, {updated} updated, {removed} removed, "
            "{unchanged} unchanged in {seconds}s{busy}",
            posts=report.posts,
            added=report.added,
            updated=report.updated,
            removed=report.removed,
            unchanged=report.unchanged,
            seconds=f"{report.seconds:.2f}",
            busy=busy,
        )
        + (t("; {count} warnings", count=len(report.warnings)) if report.warnings else "")
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
        warn("reader: " + t("no post is like {title}", title=repr(printable(post.title))))
        return 0
    table("related", [[n, r.title, _why(r), r.path] for n, r in enumerate(found, 1)])
    return 0


def _why(post: Related) -> str:
    """Why a post is like the other, in the interface's language (its JSON `why` stays English)."""
    return " · ".join(post.reasons(t))


def cmd_config(args: argparse.Namespace) -> int:
    path = config_path()
    if args.action == "edit":
        ensure_exists(path)
        import subprocess  # only here: ~5 ms of every start otherwise

        from reader.ui.editor import editor_command

        try:
            return subprocess.call([*editor_command(), str(path)])
        except (OSError, ValueError) as exc:
            raise UserError(t("cannot run the editor: {error}", error=exc), "editor") from None
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
    created = "" if path.exists() else t(" (not created yet: reader config edit)")
    print(t("config file: {path}", path=printable(str(path))) + created)
    if problem:
        warn(f"reader: {tell(problem)}")
    for line in _theme_and_key_problems(loaded):
        warn(f"reader: {printable(str(path))}: {line}")
    for key, value in loaded.describe():
        print(f"  {key} = {printable(value)}")
    missing = "" if chosen.root.exists() else t("; it does not exist")
    why = why_chosen(chosen.why) + missing
    print(t("posts folder now: {folder} ({why})", folder=printable(str(chosen.root)), why=why))
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
    "cmd_show",
    "run_app",
    "to_jsonable",
]
