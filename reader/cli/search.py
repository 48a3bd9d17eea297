"""`reader search`: the hits as a table on a terminal, tab-separated rows when piped, JSON with
--json; what was corrected or might be meant on stderr (stdout stays the hits: a script counts
lines)."""

from __future__ import annotations

import argparse
import contextlib
import gc
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from reader.cli.commands import UserError, no_posts, open_chosen, sync
from reader.cli.i18n import t, tell
from reader.cli.output import mark, table, to_json, warn
from reader.posts.text import printable

if TYPE_CHECKING:
    from reader.cli.commands import KeptLibrary
    from reader.library import Library, SearchResult


def cmd_search(args: argparse.Namespace, kept: KeptLibrary | None = None) -> int:
    query = " ".join(args.query)
    if not query.strip():  # `reader search ''` (a script's empty variable): no answer is right
        raise UserError(t("nothing to search for: give a word (reader posts lists every post)"), "invalid_query")
    _say_a_folder_among_the_words(args.query)
    library, chosen = open_chosen(args, kept=kept)
    early = None
    if kept is None and library.scan_ahead() and _listed(library):
        # The folder is scanned in a child meanwhile (each file stat'ed: ~70 ms at 10k posts):
        # the index is searched as it is now, and its hits stand if nothing changed.
        with contextlib.suppress(UserError):  # an invalid query: said after the sync, as without
            early = _search(library, query, args.limit)
    if not gc.isenabled():  # off for a cold search (see reader.cli.main); the sync may have much to do
        gc.freeze()  # what exists stays: the collector goes on with the sync's objects alone
        gc.enable()
    report = sync(library)
    if not report.posts:
        raise no_posts(chosen, report.warnings)
    if early is not None and report.nothing_changed:
        result = early
    else:
        _listed(library)
        result = _search(library, query, args.limit)
    for message in result.messages:
        warn(f"reader: {tell(message)}")
    if args.json:
        print(to_json(result.to_json()))
        return 0
    if not result.hits:
        warn(_nothing_found(result))  # stdout stays empty, as grep's does: a script counts no lines
        return 0
    if result.corrected is not None:
        corrected = printable(result.corrected)
        if result.approximate:
            said = t(
                "no posts contain {words}; showing results for {query}", words=_words(result.missing), query=corrected
            )
        else:
            said = t("showing results for {query}", query=corrected)
        warn("reader: " + said)
    if result.suggestions:
        warn("reader: " + t("also try: {words}", words=", ".join(printable(s) for s in result.suggestions)))
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
                        printable(hit.title),  # as written: a script's `cut -f4` gets the title
                        mark(hit.snippet, hit.highlights),
                    ]
                )
            )
    counts = {"shown": len(result.hits), "total": result.total, "ms": f"{result.took_ms:.0f}"}
    if not result.total_exact:
        warn(t("{shown} of about {total} posts ({ms} ms)", **counts))
    else:
        warn(
            t(
                "{shown} of {total} post ({ms} ms)" if result.total == 1 else "{shown} of {total} posts ({ms} ms)",
                **counts,
            )
        )
    return 0


def _say_a_folder_among_the_words(words: list[str]) -> None:
    """`reader search 임베딩 ~/blog`, as `reader ~/blog` opens a folder: the folder was searched
    for as a word (in the current folder's blog, or the guide). Said, the search still done."""
    for word in words:
        path = Path(word).expanduser()
        if not (os.sep in word or word.startswith("~") or word in (".", "..")) or not path.is_dir():
            continue
        rest = " ".join(w for w in words if w != word) or "…"
        warn(
            "reader: "
            + t(
                "{folder} is a folder, not a word to search: to search the posts in it, "
                "reader search {query} --posts {folder}",
                folder=printable(word),
                query=printable(rest),
            )
        )
        return


def _listed(library: Library) -> bool:
    """Take the posts as the index lists them (milliseconds: a hit's metadata comes from there,
    and its body from its file without its front matter parsed again: no YAML loaded).
    Whether it lists any yet."""
    listed = library.read_cached(listing_only=True)
    if listed is not None:
        library.adopt(listed)
    return listed is not None


def _search(library: Library, query: str, limit: int) -> SearchResult:
    from reader.library import InvalidQuery

    try:
        return library.search(query, limit=limit)
    except InvalidQuery as exc:
        raise UserError(query_problem(exc), "invalid_query") from None


def query_problem(exc: Exception) -> str:
    """What is wrong with a query (reader.search.query's InvalidQuery), in the interface's language."""
    from reader.search.query import IncompleteQuery, UnclosedQuote

    if isinstance(exc, UnclosedQuote):
        return t('invalid query: the quote in {phrase} is not closed: end the phrase with "', phrase=exc.phrase)
    if isinstance(exc, IncompleteQuery):
        return t(
            "invalid query: {field}: needs a value after the colon, as in {example}",
            field=exc.field,
            example=exc.example,
        )
    return t("invalid query: {reason}", reason=_reason(exc))


def _reason(exc: Exception) -> str:
    """Why a query cannot run, in the CLI's language, as the app says it (reader.search.problems)."""
    from reader.search.problems import reason

    return reason(exc, t)


def _words(words: list[str]) -> str:
    return ", ".join(printable(w) for w in words)


def _nothing_found(result: SearchResult) -> str:
    """One line: which words no post holds, or that the words never meet; and what might be meant."""
    if result.missing:
        line = t("no posts contain {words}", words=_words(result.missing))
    else:
        line = t("no posts match {query}", query=repr(printable(result.query)))
    if result.suggestions:
        line += t("; did you mean {words}?", words=t(" or ").join(printable(s) for s in result.suggestions))
    return line
