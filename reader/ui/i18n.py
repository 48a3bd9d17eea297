"""The interface in English or Korean: one catalog, the language from the config or the locale.

Every string the app shows goes through `t(english, **values)`: the English
text is the key, `{names}` are filled in after the lookup. A test finds
every `t("…")` in the UI and every binding description and checks that the
catalog has it (and nothing it does not use). Post text is never translated. The core's
messages (English, from reader.posts.messages) are told by `tell(message)`, from the catalog
the CLI shares (reader.messages_ko).
"""

from __future__ import annotations

from reader.language import choose_language
from reader.language import locale_language as locale_language  # the app's tests ask it here
from reader.messages_ko import korean, particles
from reader.search import problems

KO: dict[str, str] = {
    # bindings (footer, help)
    "Search": "검색",
    "Find in post": "글에서 찾기",
    "Sidebar": "옆 목록",
    "Outline": "목차",
    "Links here, related": "이 글을 가리키는 글, 비슷한 글",
    "outline ({count})": "목차 ({count})",
    "finding links here and related posts…": "이 글을 가리키는 글과 비슷한 글을 찾는 중…",
    "links here · related": "가리키는 글 · 비슷한 글",
    "Links here ({count})": "이 글을 가리키는 글 ({count})",
    "  no post links here": "  이 글을 가리키는 글이 없습니다",
    "Related posts": "비슷한 글",
    "  no related posts": "  비슷한 글이 없습니다",
    "links here ({backlinks}) · related ({related})": "가리키는 글 ({backlinks}) · 비슷한 글 ({related})",
    "links here ({backlinks}) · related": "가리키는 글 ({backlinks}) · 비슷한 글",
    "no post is open": "열린 글이 없습니다",
    "could not find them: the status line says why": "찾지 못했습니다: 까닭은 상태 줄에 있습니다",
    "tags: {tags}": "태그: {tags}",
    "category: {category}": "카테고리: {category}",
    "shared words: {words}": "겹치는 낱말: {words}",
    "shared code: {words}": "겹치는 코드: {words}",
    "related posts once the index is built": "색인을 다 만들면 비슷한 글이 나옵니다",
    "related posts are not available: {reason}": "비슷한 글을 찾을 수 없습니다: {reason}",
    "Maximize post": "글만 크게",
    "Search all posts / the filter": "모든 글 / 거른 글에서 검색",
    "Links": "링크",
    "Next pane": "다음 창",
    "Previous pane": "이전 창",
    "Next match": "다음 일치",
    "Previous match": "이전 일치",
    "Open link": "링크 열기",
    "Copy link": "링크 복사",
    "Edit": "편집",
    "Re-read": "다시 읽기",
    "Drafts": "초안",
    "Sort by date/updated": "날짜/수정일 순",
    "Math: as written / as symbols": "수식: 원문 / 기호",
    "Read / unread": "읽음 / 안 읽음",
    "Bookmark": "책갈피",
    "Back": "뒤로",
    "Forward": "앞으로",
    "Back to the post a link left, else to the list": "링크를 따라 떠나온 글로, 아니면 목록으로",
    "List": "목록",
    "Search box: down to the results": "검색창: 결과로 내려가기",
    "Help": "도움말",
    "{escape} then {key}": "{escape} 후 {key}",
    "the post has warnings: its header lists them when it is open": "경고가 있는 글: 글을 열면 머리에 나옵니다",
    "a draft": "초안",
    "not read yet · bookmarked": "아직 안 읽음 · 책갈피",
    "Quit": "끝내기",
    "Down": "아래로",
    "Up": "위로",
    "First": "처음",
    "Last": "마지막",
    "Top": "맨 위",
    "Bottom": "맨 아래",
    "Page down": "다음 쪽",
    "Page up": "이전 쪽",
    "Open": "열기",
    "Show its posts": "해당 글만 보기",
    "Show the panes": "창 다시 보기",
    "Fold / unfold": "접기 / 펼치기",
    "Go to the heading": "제목으로 가기",
    "Close": "닫기",
    "Yes": "예",
    "No": "아니요",
    # help screen
    "reader — keys": "reader — 키",
    "Everywhere": "어디서나",
    "Post list": "글 목록",
    "Post": "글",
    "Link panel": "링크 창",
    "0-9 then Enter": "0-9 다음 Enter",
    "Open the link numbered [n] in the post": "글에 [n]으로 붙은 번호의 링크 열기",
    "Command palette: open post, filter, theme": "명령 팔레트: 글 열기, 거르기, 테마",
    "enter / click": "Enter / 클릭",
    "Follow the link": "링크 따라가기",
    # status bar and notices
    "loading posts…": "글을 불러오는 중…",
    "{count} posts (from the index) · reading the files…": "글 {count}개 (색인에서) · 파일을 읽는 중…",
    "reading {where}…": "{where} 읽는 중…",
    "{count} posts in {where}": "{where}의 글 {count}개",
    ", {count} with warnings": ", 경고 {count}개",
    " · indexing…": " · 색인 중…",
    "reading posts {done}/{total}…": "글 읽는 중 {done}/{total}…",
    "indexing {done}/{total}…": "색인 중 {done}/{total}…",
    " · index ready": " · 색인 준비됨",
    " · search is not available: {reason}": " · 검색할 수 없음: {reason}",
    "search is not available: {reason}": "검색할 수 없음: {reason}",
    "files changed · reloading…": "파일이 바뀜 · 다시 읽는 중…",
    "re-reading posts…": "글을 다시 읽는 중…",
    "{path} is gone": "{path}이(가) 없어졌습니다",
    "{title} reloaded (changed on disk)": "{title} 다시 읽음 (파일이 바뀜)",
    "no post {path}": "{path} 글이 없습니다",
    "drafts shown": "초안을 보여 줍니다",
    "drafts hidden": "초안을 숨깁니다",
    "math as written ($…$)": "수식을 원문($…$)으로",
    "math as symbols": "수식을 기호로",
    "marked read": "읽은 글로 표시했습니다",
    "marked unread": "안 읽은 글로 표시했습니다",
    "bookmarked": "책갈피를 꽂았습니다",
    "bookmark removed": "책갈피를 뺐습니다",
    "the posts are still being read; results will follow": "아직 글을 읽는 중입니다. 곧 결과가 나옵니다",
    "from a scan while the index is built": "색인을 만드는 동안 글을 직접 훑은 결과",
    "still reading the posts: {done} of {of}": "글을 훑는 중: {of}개 중 {done}개",
    "{count} post found so far": "지금까지 글 {count}개를 찾았습니다",
    "{count} posts found so far": "지금까지 글 {count}개를 찾았습니다",
    "from a scan: search is not available: {reason}": "글을 직접 훑은 결과: 색인을 쓸 수 없음: {reason}",
    "indexing · writing the index… {seconds} s": "색인 중 · 색인을 쓰는 중… {seconds}초",
    "indexing {done}/{total} · about {seconds} s left": "색인 중 {done}/{total} · 약 {seconds}초 남음",
    "indexing {done}/{total} · writing the index…": "색인 중 {done}/{total} · 색인을 쓰는 중…",
    " · {count} in {filter}": " · {filter} {count}개",
    " in {filter}": " ({filter} 안에서)",
    " · Ctrl+G: all posts": " · Ctrl+G: 모든 글에서",
    "no posts contain {words}": "{words}이(가) 들어간 글이 없습니다",
    " · no posts contain {words}": " · {words}이(가) 들어간 글은 없습니다",
    "no posts match {query}": "{query}에 맞는 글이 없습니다",
    " · did you mean {words}?": " · 혹시 {words}?",
    "did you mean {words}?": "혹시 {words}을(를) 찾으셨나요?",
    "did you mean {words}? (not in {filter})": "혹시 {words}을(를) 찾으셨나요? ({filter}에는 없음)",
    "Ctrl+G: search all posts": "Ctrl+G: 모든 글에서 찾기",
    "Esc: leave the search, back to the list": "Esc: 검색을 끝내고 목록으로",
    "No bookmarks yet.": "책갈피를 꽂은 글이 없습니다.",
    "b bookmarks the post being read.": "b를 누르면 읽는 글에 책갈피를 꽂습니다.",
    "Every post has been read.": "모든 글을 읽었습니다.",
    "m marks a post unread.": "m을 누르면 글을 안 읽은 글로 표시합니다.",
    " or ": " 또는 ",
    "showing results for {query}": "다음 검색 결과를 보여 줍니다: {query}",
    " · also: {words}": " · 다른 후보: {words}",
    "not in this post: {query}": "이 글에 없습니다: {query}",
    "filter {filter} cleared to show this post": "이 글을 보여 주려고 {filter} 거르기를 풀었습니다",
    "post maximized (z: back)": "글만 크게 보기 (z: 돌아가기)",
    "panes back": "창을 모두 보여 줍니다",
    "search failed": "검색 실패",
    "{field}: needs a value after the colon, as in {example}": "{field}: 콜론 바로 뒤에 값을 적으세요 (예: {example})",
    'the quote in {phrase} is not closed: end the phrase with "': (
        '따옴표가 닫히지 않았습니다: {phrase} 끝에 " 를 적으세요'
    ),
    "search: {query}": "검색: {query}",
    "{count} post matches": "글 {count}개가 맞습니다",
    "{count} posts match": "글 {count}개가 맞습니다",
    "about {count} posts match": "글 약 {count}개가 맞습니다",
    "match {index}/{count}": "일치 {index}/{count}",
    "no matches in this post": "이 글에는 일치하는 곳이 없습니다",
    "copied {url}": "복사했습니다: {url}",
    "opened {url}": "열었습니다: {url}",
    "not opened: {reason}": "열지 않았습니다: {reason}",
    # images
    "Open in the system viewer": "시스템 뷰어로 열기",
    "Esc close · o open in the system viewer": "Esc 닫기 · o 시스템 뷰어로 열기",
    "images are off (images in the config); o opens it in the system viewer": (
        "이미지 보기가 꺼져 있습니다(설정의 images). o를 누르면 시스템 뷰어로 엽니다"
    ),
    "no such image": "그런 이미지가 없습니다",
    "cannot show {path}: {error}": "{path}을(를) 보여 줄 수 없습니다: {error}",
    "cannot open {path}: {error}": "{path}을(를) 열 수 없습니다: {error}",
    "no image viewer found ({viewer})": "그림 뷰어가 없습니다({viewer})",
    "no browser found; copied {url}": "브라우저가 없어 복사했습니다: {url}",
    "no heading #{slug} in this post": "이 글에 #{slug} 제목이 없습니다",
    "cannot save settings: {error}": "설정을 저장할 수 없습니다: {error}",
    "No Markdown posts in {where}.": "{where}에 Markdown 글이 없습니다.",
    "Start reader in a blog folder, or name one (reader ~/blog, reader ~/blog/_posts/a.md), "
    'or set posts = "~/blog" in {config}.': (
        "블로그 폴더에서 reader를 실행하거나, 폴더를 지정하거나(reader ~/blog, "
        'reader ~/blog/_posts/a.md), {config}에 posts = "~/blog"를 적으세요.'
    ),
    "Select a post": "글을 고르세요",
    "given": "지정한 폴더",
    "the config file's posts": "설정 파일의 posts",
    "the current folder": "현재 폴더",
    "the bundled guide": "내장 안내서",
    "the bundled guide: no blog in the current folder": "내장 안내서: 현재 폴더는 블로그가 아님",
    "the post given": "지정한 글",
    # widgets
    'search: words, "phrase", -word, tag:x, date:2020 (Esc to leave)': (
        '검색: 낱말, "구절", -낱말, tag:x, date:2020 (Esc로 나가기)'
    ),
    "find in this post (Enter: to the post, n/N: next/previous, Esc: close)": (
        "이 글에서 찾기 (Enter: 글로, n/N: 다음/이전, Esc: 닫기)"
    ),
    "Library": "서재",
    "All posts": "모든 글",
    "Categories": "분류",
    "Tags": "태그",
    "Archive": "날짜별",
    "Unread": "안 읽은 글",
    "Bookmarks": "책갈피",
    " (+{count} drafts hidden)": " (+초안 {count}개 숨김)",
    " · by updated": " · 수정일 순",
    "links ({count})": "링크 ({count})",
    "This post has no links.": "이 글에는 링크가 없습니다.",
    "… {count} more: type a number and Enter to follow one": "… {count}개 더: 번호를 치고 Enter로 따라갑니다",
    "go to {number}": "{number}번으로",
    "open: {title}": "열기: {title}",
    "recent: {title}": "최근: {title}",
    "bookmark: {title}": "책갈피: {title}",
    "filter: {label}": "거르기: {label}",
    "filter: All posts": "거르기: 모든 글",
    "Yes (y)": "예 (y)",
    "No (n)": "아니요 (n)",
    "updated {date}": "수정 {date}",
    "DRAFT": "초안",
    "(no headings)": "(제목 없음)",
    "the group {group} is not closed: end it with {closing}": (
        "괄호 묶음 {group}이(가) 닫히지 않았습니다: {closing}로 끝내세요"
    ),
    "invalid query: {reason}": "검색어를 쓸 수 없습니다: {reason}",
    # a search within a filter, and why a query cannot run (reader.search.problems)
    " · did you mean {words}? (not in {filter})": " · 혹시 {words}? ({filter}에는 없음)",
    **problems.KO,  # why a query cannot run: one list, the CLI's too
}

_language = "en"


def set_language(setting: str) -> str:
    """Use "en", "ko", or ("auto") what the locale says (reader.language); returns the language chosen."""
    global _language
    _language = choose_language(setting)
    return _language


def language() -> str:
    return _language


def t(text: str, **values: object) -> str:
    """`text` in the interface's language, with `{names}` filled in."""
    if _language != "ko":
        return text.format(**values) if values else text
    template = KO.get(text, text)
    return particles(template, values).format(**values) if values else template


def tell(message: str) -> str:
    """A message of the core (a post's warning, why the index cannot be used, a problem in the
    config) in the interface's language: reader.messages_ko's Korean for its template."""
    return korean(message) if _language == "ko" else message
