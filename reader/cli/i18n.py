"""The CLI's messages in English or Korean, the language the app speaks (reader.language decides).

Every message, warning, table header and help text of the `reader` commands goes through
`t(english, **values)`: the English text is the key, `{names}` are filled in after the lookup.
A test finds every `t("…")` in reader/cli and checks that the catalog has it (and nothing it
does not use). Post text (titles, tags, snippets, paths) is never translated, nor anything a
script reads: JSON keys and values, the fields of piped lines, an error's `kind`.
A Korean template puts a value where no particle follows it (after `:` or before `에`/`의`),
so that it reads right whatever the value ends with. The core's messages (English, from
reader.posts.messages) are told by `tell(message)`, from the catalog the app shares
(reader.messages_ko); in JSON they stay English, as a script reads them.
"""

from __future__ import annotations

from reader.language import choose_language
from reader.search import problems

KO: dict[str, str] = {
    # errors
    "posts folder not found: {folder}": "글 폴더가 없습니다: {folder}",
    "post not found: {path}": "글이 없습니다: {path}",
    "'{word}' is no command and no folder here: did you mean reader {command}?": (
        "'{word}': 그런 명령도, 여기 그런 폴더도 없습니다. 혹시 reader {command}?"
    ),
    "{path} is a file, not a folder of posts (give a folder, or a post ending in .md)": (
        "글 폴더가 아니라 파일입니다: {path} (폴더나 .md로 끝나는 글을 주세요)"
    ),
    "no Markdown posts in {folder} ({why}); give a folder of posts or a site root": (
        "{folder}에 Markdown 글이 없습니다 ({why}). 글 폴더나 사이트의 맨 위 폴더를 주세요"
    ),
    "{count} posts are named {name} under {root}: {paths}{more}; give its path": (
        "{root} 안에 이름이 {name}인 글이 {count}개 있습니다: {paths}{more}. 경로로 주세요"
    ),
    " and {count} more": " 외 {count}개",
    "no post {name} under {root}{close}": "{root} 안에 {name} 글이 없습니다{close}",
    "; close: {posts}": ". 비슷한 이름: {posts}",
    "no post is tagged {name}": "태그가 붙은 글이 없습니다: {name}",
    "no post is in a category {name}": "이 분류에 든 글이 없습니다: {name}",
    "nothing to search for: give a word (reader posts lists every post)": (
        "찾을 낱말이 없습니다: 낱말을 주세요 (모든 글은 reader posts로 봅니다)"
    ),
    "invalid query: {reason}": "검색어를 쓸 수 없습니다: {reason}",
    **problems.KO,  # why a query cannot run: one list, the app's too (reader.search.problems)
    'invalid query: the quote in {phrase} is not closed: end the phrase with "': (
        '따옴표가 닫히지 않았습니다: {phrase} 끝에 " 를 적으세요'
    ),
    "invalid query: {field}: needs a value after the colon, as in {example}": (
        "{field}: 콜론 바로 뒤에 값을 적으세요 (예: {example})"
    ),
    "cannot run the editor: {error}": "편집기를 실행할 수 없습니다: {error}",
    "cannot run the pager {command} (PAGER); printing the post instead": (
        "페이저를 실행할 수 없어(PAGER) 글을 그대로 출력합니다: {command}"
    ),
    "internal error ({error}); {where}": "내부 오류 ({error}); {where}",
    "this terminal (TERM=dumb) cannot show the app; use reader posts, reader show POST or reader search WORDS": (
        "이 터미널(TERM=dumb)에서는 앱을 띄울 수 없습니다. reader posts, reader show POST, reader search WORDS를 쓰세요"
    ),
    "not a number: {value}": "수가 아닙니다: {value}",
    "must be between {low} and {high}": "{low}에서 {high} 사이여야 합니다",
    "must be between 0 and 10080 (a week)": "0에서 10080(한 주) 사이여야 합니다",
    # warnings, progress and summaries
    "warning: {warning}": "경고: {warning}",
    "reading": "읽는 중",
    "indexing": "색인 중",
    "{count} post": "글 {count}개",
    "{count} posts": "글 {count}개",
    ", {count} warning": ", 경고 {count}개",
    ", {count} warnings": ", 경고 {count}개",
    "BROKEN": "깨짐",
    "{count} post links here": "이 글을 가리키는 글 {count}개",
    "{count} links from other posts here": "이 글을 가리키는 다른 글의 링크 {count}개",
    "{posts} posts indexed: {added} added, {updated} updated, {removed} removed, "
    "{unchanged} unchanged in {seconds}s{busy}": (
        "글 {posts}개 색인: 추가 {added}, 수정 {updated}, 삭제 {removed}, 그대로 {unchanged} ({seconds}초){busy}"
    ),
    " (another process is writing the index: it was not updated now)": (
        " (다른 프로세스가 색인을 쓰는 중이라 지금은 갱신하지 않았습니다)"
    ),
    "; {count} warnings": "; 경고 {count}개",
    "tags: {tags}": "태그: {tags}",
    "shared words: {words}": "겹치는 낱말: {words}",
    "shared code: {words}": "겹치는 코드: {words}",
    "category: {category}": "카테고리: {category}",  # as the app's link panel says it
    "no post is like {title}": "비슷한 글이 없습니다: {title}",
    "no posts contain {words}": "이 낱말이 들어간 글이 없습니다: {words}",
    "no posts match {query}": "{query}에 맞는 글이 없습니다",
    "; did you mean {words}?": ". 혹시 {words}?",
    " or ": " 또는 ",
    "no posts contain {words}; showing results for {query}": (
        "이 낱말이 들어간 글이 없습니다: {words}. 대신 다음 검색 결과를 보여 줍니다: {query}"
    ),
    "showing results for {query}": "다음 검색 결과를 보여 줍니다: {query}",
    "also try: {words}": "이것도 찾아 보세요: {words}",
    "{shown} of {total} post ({ms} ms)": "글 {total}개 중 {shown}개 ({ms} ms)",
    "{shown} of {total} posts ({ms} ms)": "글 {total}개 중 {shown}개 ({ms} ms)",
    "{shown} of about {total} posts ({ms} ms)": "글 약 {total}개 중 {shown}개 ({ms} ms)",
    # reader config
    "config file: {path}": "설정 파일: {path}",
    " (not created yet: reader config edit)": " (아직 없음: reader config edit로 만듭니다)",
    "posts folder now: {folder} ({why})": "지금 글 폴더: {folder} ({why})",
    "; it does not exist": "; 없는 폴더입니다",
    # how the posts folder was chosen (reader.posts.folders)
    "given": "지정한 폴더",
    "the config file's posts": "설정 파일의 posts",
    "the current folder": "현재 폴더",
    "the bundled guide": "내장 안내서",
    "the bundled guide: no blog in the current folder": "내장 안내서: 현재 폴더는 블로그가 아님",
    "the post given": "지정한 글",
    "no blog in the current folder ({folder}): reading the bundled guide; "
    "name your blog with --posts DIR, or posts in the config (reader config edit)": (
        "현재 폴더({folder})에 블로그가 없어 내장 안내서를 읽습니다. "
        "블로그는 --posts DIR 또는 설정 파일의 posts로 지정하세요 (reader config edit)"
    ),
    "{folder} is a folder, not a word to search: to search the posts in it, reader search {query} --posts {folder}": (
        "{folder}: 찾을 낱말이 아니라 폴더입니다. 그 폴더의 글에서 찾으려면 reader search {query} --posts {folder}"
    ),
    # reader stats
    "{posts} post{drafts}, {words} words, {characters} characters": (
        "글 {posts}개{drafts}, 낱말 {words}개, 글자 {characters}자"
    ),
    "{posts} posts{drafts}, {words} words, {characters} characters": (
        "글 {posts}개{drafts}, 낱말 {words}개, 글자 {characters}자"
    ),
    " ({count} draft)": " (초안 {count}개)",
    " ({count} drafts)": " (초안 {count}개)",
    "{count} without a date": "날짜 없는 글 {count}개",
    "posts per month (█ = {top})": "달마다 쓴 글 (█ = {top})",
    "JFMAMJJASOND": "1  4  7  10",  # the months' columns: 1, 4, 7 and 10 marked
    "{years}  no posts": "{years}  글 없음",
    "tags": "태그",
    "categories": "분류",
    "… {count} more (--json lists them all)": "… {count}개 더 (--json은 모두 보여 줍니다)",
    # table headers (reader.cli.tables)
    "date": "날짜",
    "title": "제목",
    "path": "경로",
    "kind": "종류",
    "text": "링크 글",
    "url": "URL",
    "leads to": "가는 곳",
    "line": "줄",
    "context": "앞뒤 글",
    "why": "까닭",
    "post": "글",
    "snippet": "발췌",
    # reader serve
    "no server socket here: GEULBAT_SERVER is off, or the path is too long for a socket": (
        "서버 소켓을 둘 곳이 없습니다: GEULBAT_SERVER가 off이거나 소켓 경로가 너무 깁니다"
    ),
    "no server answers at {path}": "{path}에서 답하는 서버가 없습니다",
    "server {pid} stops": "서버를 멈춥니다: pid {pid}",
    "serving searches at {path} (pid {pid}; Ctrl-C or `reader serve --stop` ends it)": (
        "{path}에서 검색에 답합니다 (pid {pid}; Ctrl-C나 `reader serve --stop`으로 끝냅니다)"
    ),
    "serving searches at {path} (pid {pid}; `reader serve --stop` ends it)": (
        "{path}에서 검색에 답합니다 (pid {pid}; `reader serve --stop`으로 끝냅니다)"
    ),
    "the server ended ({code})": "서버가 끝났습니다 ({code})",
    "the server (pid {pid}) did not answer within 30 s; see {log}": (
        "서버(pid {pid})가 30초 안에 답하지 않았습니다. 로그: {log}"
    ),
    "cannot listen in {folder}: {problem}": "{folder}에서 기다릴 수 없습니다: {problem}",
    "a server (pid {pid}) already runs at {path}": "{path}에서 이미 서버가 돌고 있습니다 (pid {pid})",
    # help (argparse's own words, `usage:` and `options:`, are gettext's)
    "A terminal reader for a folder of Markdown blog posts.": "Markdown 블로그 글 폴더를 읽는 터미널 리더.",
    "With --json a command prints JSON on stdout, and an error as one JSON object on the last "
    'line of stderr: {"error": "…", "kind": "…"} (exit code 1; 2 for a usage error). '
    "The error is said in the interface's language; its kind never changes.": (
        "--json을 주면 명령은 JSON을 stdout에 출력하고, 오류는 stderr의 마지막 줄에 JSON 객체 하나로 "
        '냅니다: {"error": "…", "kind": "…"} (종료 코드 1, 사용법 오류는 2). error는 인터페이스의 '
        "언어로 쓰고, kind는 바뀌지 않습니다."
    ),
    "show the version and exit": "버전을 보여 주고 끝냅니다",
    "print a completion script for bash, zsh or tcsh": "bash, zsh, tcsh의 자동 완성 스크립트를 출력합니다",
    "folder of posts or site root (env GEULBAT_POSTS; default: config, the current folder, the guide)": (
        "글 폴더나 사이트의 맨 위 폴더 (환경 변수 GEULBAT_POSTS; 기본: 설정, 현재 폴더, 안내서)"
    ),
    "where the search index lives (env GEULBAT_INDEX_DIR; default: user cache)": (
        "검색 색인을 둘 곳 (환경 변수 GEULBAT_INDEX_DIR; 기본: 사용자 캐시)"
    ),
    "the post: relative to --posts or to here, absolute, or (no other post's) its file name, slug or title": (
        "글: --posts나 여기서부터의 경로, 절대 경로, 또는 (다른 글과 겹치지 않는) 파일 이름, 슬러그, 제목"
    ),
    "commands": "명령",
    "a command instead of the app (`reader COMMAND -h` shows its options)": (
        "앱 대신 실행할 명령 (`reader COMMAND -h`는 그 옵션을 보여 줍니다)"
    ),
    "open the app on a folder of posts or a site root, or on one post in its site "
    "(default: GEULBAT_POSTS, the config file's `posts`, the current folder if it holds posts, "
    "or the bundled guide)": (
        "글 폴더나 사이트의 맨 위 폴더, 또는 사이트 안의 글 하나를 앱으로 엽니다 "
        "(기본: GEULBAT_POSTS, 설정 파일의 `posts`, 글이 있으면 현재 폴더, 아니면 내장 안내서)"
    ),
    "print JSON": "JSON으로 출력합니다",
    "list posts (a table on a terminal, tab-separated when piped)": (
        "글 목록 (터미널에서는 표, 파이프로는 탭으로 나눈 줄)"
    ),
    "A table on a terminal; piped, one post a line, its fields separated "
    "by tabs: date, flags (! warnings, D draft), title, categories, tags, path. Categories and tags are "
    "joined by commas; a comma in one is written \\, and a backslash \\\\.": (
        "터미널에서는 표로, 파이프로는 한 줄에 글 하나씩, 필드를 탭으로 나눠 냅니다: 날짜, 표시(! 경고, "
        "D 초안), 제목, 분류, 태그, 경로. 분류와 태그는 쉼표로 잇고, 그 안의 쉼표는 \\, 로, "
        "역슬래시는 \\\\ 로 씁니다."
    ),
    "only posts with this tag": "이 태그가 붙은 글만",
    "only posts in this category (A/B for a sub-category)": "이 분류의 글만 (하위 분류는 A/B)",
    "list the links of one post": "글 하나의 링크 목록",
    "the posts linking to this one (what links here), with context": "이 글을 가리키는 글들, 앞뒤 글과 함께",
    "print a post, rendered (plain text when piped)": "글을 렌더링해 출력합니다 (파이프로는 일반 텍스트)",
    "wrap at N columns (default: the terminal's)": "N 칸에서 줄을 바꿉니다 (기본: 터미널 너비)",
    "never page (a post taller than the terminal goes through $PAGER, default `less -FRX`)": (
        "페이저를 쓰지 않습니다 (터미널보다 긴 글은 $PAGER로 봅니다, 기본 `less -FRX`)"
    ),
    "build or update the search index": "검색 색인을 만들거나 갱신합니다",
    "rebuild from scratch": "처음부터 다시 만듭니다",
    "search the posts (syncs the index first)": "글을 검색합니다 (먼저 색인을 맞춥니다)",
    "the words to find, all of them (머신러닝 also finds 머신러닝에서); "
    '"a phrase" as written; -word: without it; a OR b; ( … ) to group; pyth*: a prefix; '
    "초성: ㅁㅅㄹㄴ finds 머신러닝; fields: tag:python, category:공부/머신러닝, title:검색, "
    'date:2020, date:2019..2021, date:2020-06 (a name with spaces in quotes: category:"Machine Learning")': (
        "찾을 낱말, 모두 들어간 글 (머신러닝은 머신러닝에서도 찾습니다); "
        '"구절": 쓴 그대로; -낱말: 그 낱말이 없는 글; a OR b: 둘 중 하나; ( … ): 묶음; pyth*: 앞부분; '
        "초성: ㅁㅅㄹㄴ은 머신러닝을 찾습니다; 필드: tag:python, category:공부/머신러닝, title:검색, "
        'date:2020, date:2019..2021, date:2020-06 (빈칸이 든 이름은 따옴표로: category:"Machine Learning")'
    ),
    "at most N hits (default 10)": "결과를 최대 N개까지 (기본 10)",
    "the posts most like one post, each with why": "글 하나와 가장 비슷한 글들, 까닭과 함께",
    "at most N posts (default 5)": "최대 N개의 글 (기본 5)",
    "count posts per year, month, tag and category, with a chart": "해, 달, 태그, 분류마다 글을 셉니다 (차트와 함께)",
    "show the config file and the settings in effect; `edit` opens it": (
        "설정 파일과 지금 쓰이는 설정을 보여 줍니다. `edit`은 파일을 엽니다"
    ),
    "answer `reader search` from a process that stays up (a search then takes a round trip, not a start)": (
        "떠 있는 프로세스가 `reader search`에 답합니다 (검색이 프로그램 시작 없이 한 번 오가는 시간에 끝납니다)"
    ),
    "Keep a process up that answers `reader search` (any folder, as the search would run "
    "itself) while it runs; `reader search` uses it when it answers, and searches itself when not. "
    "The socket is in a private folder (GEULBAT_SERVER sets its path; GEULBAT_SERVER=off turns it off).": (
        "떠 있는 동안 `reader search`에 답하는 프로세스를 띄웁니다 (어느 폴더든, 검색이 스스로 할 때와 "
        "같이). `reader search`는 이 서버가 답하면 쓰고, 아니면 스스로 검색합니다. 소켓은 나만 쓰는 "
        "폴더에 있습니다 (GEULBAT_SERVER로 경로를 정하고, GEULBAT_SERVER=off로 끕니다)."
    ),
    "end after MINUTES without a search (default 60; 0: never)": (
        "검색 없이 MINUTES분이 지나면 끝냅니다 (기본 60, 0: 끝내지 않음)"
    ),
    "run in the background; return once it answers": "백그라운드에서 실행합니다. 서버가 답하면 돌아옵니다",
    "stop the running server": "실행 중인 서버를 멈춥니다",
    "print the running server's status as JSON": "실행 중인 서버의 상태를 JSON으로 출력합니다",
    "show (the default): the file and the settings in effect; edit: open it in $VISUAL or $EDITOR": (
        "show(기본): 설정 파일과 지금 쓰이는 설정; edit: $VISUAL이나 $EDITOR로 파일을 엽니다"
    ),
    # argparse's own words (reader.cli.parser): its help's, and its usage errors'
    "usage: ": "사용법: ",
    "positional arguments": "위치 인수",
    "options": "옵션",
    "show this help message and exit": "이 도움말을 보여 주고 끝냅니다",
    "{prog}: error: {message}": "{prog}: 오류: {message}",
    "argument {argument}: {message}": "인수 {argument}: {message}",
    "the following arguments are required: {arguments}": "이 인수가 필요합니다: {arguments}",
    "unrecognized arguments: {arguments}": "알 수 없는 인수: {arguments}",
    "expected one argument": "값이 하나 필요합니다",
    "invalid choice: {value} (choose from {choices})": "고를 수 없는 값: {value} ({choices} 중에서 고르세요)",
    "ambiguous option: {option} could match {matches}": (
        "모호한 옵션: {option} ({matches} 중 어느 것인지 알 수 없습니다)"
    ),
    "ignored explicit argument {value}": "이 옵션은 값을 받지 않습니다: {value}",
}

_language = "en"


def use_language(setting: str) -> str:
    """Speak "en", "ko", or ("auto") what the locale says; returns the language chosen."""
    global _language
    _language = choose_language(setting)
    return _language


def language() -> str:
    return _language


def t(text: str, /, **values: object) -> str:
    """`text` in the CLI's language, with `{names}` filled in."""
    template = KO.get(text, text) if _language == "ko" else text
    return template.format(**values) if values else template


def tell(message: str) -> str:
    """A message of the core (a post's warning, why the index cannot be used, a problem in the
    config, the system's words for an error) in the CLI's language (reader.messages_ko)."""
    if _language != "ko":
        return message
    from reader.messages_ko import korean  # here: the Korean catalog, for a CLI that speaks Korean

    return korean(message)
