"""The core's messages in Korean: one catalog that the app and the CLI share.

The core says everything in English (reader.posts.messages: `say(template, **values)`), and
that text is what the index stores and `--json` prints. An interface in Korean reads a message
back into its template and values and says it with the template's Korean here (`korean`). The
values go in as they are (a file name, a date typed in a post: data), but for a `message…`
value, said in Korean in turn, and an `error…` value: the system's words for an error (its
`strerror`, in English whatever the locale: Python never sets LC_MESSAGES) and PyYAML's for the
mistakes bloggers make most are said from ERRORS. A test finds every `say("…")` of the core
and checks that KO has it (and nothing it does not use).
"""

from __future__ import annotations

import re

from reader.posts.messages import Message, read

KO: dict[str, str] = {
    # how messages are put together (reader.posts.messages)
    "{where}: {message}": "{where}: {message}",
    "{message}; {message2}": "{message}; {message2}",
    # a post's file (reader.posts.post, text, discovery)
    "cannot read: {error}": "읽을 수 없습니다: {error}",
    "not a regular file: {path}": "일반 파일이 아닙니다: {path}",
    "skipped: {error}": "건너뜀: {error}",
    "cannot list: {error}": "폴더를 읽을 수 없습니다: {error}",
    "not a regular file": "일반 파일이 아닙니다",
    "symlink points outside the posts folder": "글 폴더 밖을 가리키는 심볼릭 링크입니다",
    "dangling or looping symlink": "가리키는 곳이 없거나 제자리를 맴도는 심볼릭 링크입니다",
    "binary content (NUL or control bytes)": "글이 아니라 바이너리 파일입니다 (NUL이나 제어 바이트)",
    "not text in any known encoding": "아는 어떤 인코딩으로도 글자로 읽히지 않습니다",
    "{count} control character ({names}) replaced with \ufffd": "제어 문자 {count}개({names})를 \ufffd로 바꿨습니다",
    "{count} control characters ({names}) replaced with \ufffd": "제어 문자 {count}개({names})를 \ufffd로 바꿨습니다",
    "larger than {size} MiB; only the start is read": "{size} MiB보다 커서 앞부분만 읽었습니다",
    "not UTF-8: decoded as {encoding}": "UTF-8이 아니어서 이 인코딩으로 읽었습니다: {encoding}",
    "unreadable date {date}; using the file name or time": (
        "읽을 수 없는 날짜입니다: {date}. 파일 이름의 날짜나 파일 시각을 씁니다"
    ),
    # front matter (reader.posts.frontmatter)
    "front matter opened with {delimiter} is never closed": "front matter가 닫히지 않았습니다 (여는 줄: {delimiter})",
    "front matter is larger than {size} bytes": "front matter가 {size}바이트보다 큽니다",
    "front matter is a list, not a mapping of keys": "front matter가 `키: 값`들이 아니라 목록입니다",
    "front matter is a single value, not a mapping of keys": "front matter가 `키: 값`들이 아니라 값 하나입니다",
    "invalid YAML: {error}": "YAML 오류: {error}",
    "invalid YAML: brackets nested more than {depth} deep": "YAML 오류: 괄호가 {depth}겹보다 깊습니다",
    "invalid YAML: nested too deeply": "YAML 오류: 너무 깊이 중첩되어 있습니다",
    "too many aliases ({count}); refusing a possible alias bomb": (
        "별칭(alias)이 너무 많습니다({count}개). 별칭 폭탄일 수 있어 읽지 않습니다"
    ),
    "{message} (recovered)": "{message} (고쳐서 읽었습니다)",
    "{message} (recovered line by line)": "{message} (줄마다 따로 읽었습니다)",
    "invalid TOML: {error}": "TOML 오류: {error}",
    "invalid JSON: {error}": "JSON 오류: {error}",
    # the site's settings (reader.posts.site)
    "cannot read site settings: {error}": "사이트 설정을 읽을 수 없습니다: {error}",
    "unknown timezone {zone}": "모르는 시간대입니다: {zone}",
    "too many aliases": "별칭(alias)이 너무 많습니다",
    # the index (reader.search, reader.library)
    "not a folder: {folder}": "폴더가 아닙니다: {folder}",
    "the index folder may not be inside the posts folder: {folder}": (
        "색인 폴더는 글 폴더 안에 둘 수 없습니다: {folder}"
    ),
    "not using {folder} for the index: it is not a folder": "폴더가 아니어서 색인을 두지 않습니다: {folder}",
    "not using {folder} for the index: it holds other files ({names}); give --index-dir an empty or new folder": (
        "다른 파일이 있는 폴더여서 색인을 두지 않습니다: {folder} ({names}). --index-dir로 빈 폴더나 새 폴더를 주세요"
    ),
    "no index yet": "아직 색인이 없습니다",
    "index missing": "색인이 없습니다",
    "the index is being written by another process; try again": "다른 프로세스가 색인을 쓰는 중입니다. 다시 해 보세요",
    "the index is busy (another reader is updating it); searching its last state": (
        "다른 reader가 색인을 갱신하는 중이어서 색인의 마지막 상태에서 찾습니다"
    ),
    "no finished index yet; searching a temporary in-memory one": (
        "아직 다 만든 색인이 없어 메모리에 임시 색인을 만들어 찾습니다"
    ),
    "cannot update the index in {folder}: {error}": "{folder}의 색인을 갱신할 수 없습니다: {error}",
    "searching a temporary in-memory index instead": "대신 메모리의 임시 색인에서 찾습니다",
    "index damaged ({error}); rebuilding": "색인이 망가져 다시 만듭니다 ({error})",
    "the index was damaged; rebuilt": "색인이 망가져 다시 만들었습니다",
    "the index belongs to another posts folder; rebuilding it for this one": (
        "다른 글 폴더의 색인이어서 이 폴더의 색인으로 다시 만듭니다"
    ),
    "the index was written by another version (schema {schema}); rebuilding": (
        "다른 버전이 쓴 색인이어서(스키마 {schema}) 다시 만듭니다"
    ),
    "the site's time zone or categories changed; rebuilding the index": (
        "사이트의 시간대나 분류 방식이 바뀌어 색인을 다시 만듭니다"
    ),
    "unreadable manifest: {error}": "색인의 목록(manifest)을 읽을 수 없습니다: {error}",
    "its rows do not match their hash": "내용이 해시와 맞지 않습니다",
    "index holds {count} posts, its manifest says {expected}": (
        "색인에는 글이 {count}개인데 목록(manifest)에는 {expected}개입니다"
    ),
    "index file {name} is missing": "색인 파일이 없습니다: {name}",
    "index file {name} is {size} bytes, expected {expected}": (
        "색인 파일의 크기가 {expected}바이트가 아니라 {size}바이트입니다: {name}"
    ),
    "index file {name} was written after the index was": "색인 파일이 색인보다 나중에 쓰였습니다: {name}",
    "index file {name} does not hold what was written": "색인 파일의 내용이 쓴 것과 다릅니다: {name}",
    # why a link is not followed, or is asked about (reader.posts.policy)
    "no such heading": "그런 제목이 없습니다",
    "no heading #{anchor} in that post": "그 글에 #{anchor} 제목이 없습니다",
    "no post {target} in this folder": "이 폴더에 {target} 글이 없습니다",
    "a URL starting with '-' could be read as an option": "'-'로 시작하는 URL은 옵션으로 읽힐 수 있습니다",
    "the URL holds control characters or spaces": "URL에 제어 문자나 빈칸이 있습니다",
    "{scheme}: links are never opened": "{scheme}: 링크는 열지 않습니다",
    "this link holds invisible text-direction controls; open it anyway?": (
        "이 링크에는 보이지 않는 글자 방향 제어 문자가 있습니다. 그래도 열까요?"
    ),
    "a relative link to a file that is not a post": "글이 아닌 파일을 가리키는 상대 링크입니다",
    "open this {scheme}: link with the system's handler?": "이 {scheme}: 링크를 시스템에 맡겨 열까요?",
    "the image is outside the site folder": "이미지가 사이트 폴더 밖에 있습니다",
    "no image {target} in this folder": "이 폴더에 {target} 이미지가 없습니다",
    "the image's name holds control characters": "이미지 이름에 제어 문자가 있습니다",
    # the config file (reader.settings)
    "cannot read {path}: {error}; {message}": "읽을 수 없습니다: {path}: {error}; {message}",
    "using the defaults ({message})": "기본값을 씁니다 ({message})",
    "settings changed in the app will not be saved until it is fixed": (
        "고칠 때까지 앱에서 바꾼 설정은 저장되지 않습니다"
    ),
    "larger than {size} KB": "{size} KB보다 큽니다",
    "{message} (defaults used for those)": "{message} (이 값들은 기본값을 씁니다)",
    "unknown key {key}": "모르는 키입니다: {key}",
    "{key} should be a {kind}, not {value}": "{key}에는 {kind} 값을 적어야 합니다 ({value} 말고)",
    "{key} should be one of {choices}, not {value}": "{key}에는 {choices} 가운데 하나를 적어야 합니다 ({value} 말고)",
    "{key} should be a string of keys": "{key}에는 키들을 적은 문자열을 적어야 합니다",
}

# The system's and PyYAML's words in an `error…` value: the errors a reader of posts meets.
ERRORS: dict[str, str] = {
    "No such file or directory": "그런 파일이나 폴더가 없습니다",
    "Permission denied": "권한이 없습니다",
    "Operation not permitted": "허용되지 않은 작업입니다",
    "Is a directory": "폴더입니다",
    "Not a directory": "폴더가 아닙니다",
    "Too many levels of symbolic links": "심볼릭 링크가 너무 여러 번 이어집니다",
    "File name too long": "파일 이름이 너무 깁니다",
    "Input/output error": "입출력 오류입니다",
    "No space left on device": "장치에 남은 공간이 없습니다",
    "Disk quota exceeded": "디스크 할당량을 넘었습니다",
    "Read-only file system": "읽기 전용 파일 시스템입니다",
    "Too many open files": "열린 파일이 너무 많습니다",
    # PyYAML, for the mistakes reader.posts.yaml_repair mends: an unquoted colon, a tab, a quote left open
    "mapping values are not allowed here": "여기에는 `키: 값`이 올 수 없습니다 (콜론이 든 값은 따옴표로 감싸세요)",
    "found character '\\t' that cannot start any token": "탭 문자가 올 수 없는 자리입니다 (들여쓰기는 빈칸으로 하세요)",
    "found unexpected end of stream": "따옴표나 괄호가 닫히지 않은 채 끝났습니다",
}


def korean(text: str) -> str:
    """`text`, a message of the core or the system's words for an error, in Korean; as it is when
    it is neither (or its template is not in KO)."""
    if text in ERRORS:
        return ERRORS[text]
    found = read(text, KO)
    return text if found is None else _said(found)


def _said(message: Message) -> str:
    values: dict[str, object] = {}
    for name, value in message.values.items():
        if isinstance(value, Message):
            values[name] = _said(value)
        elif name.startswith("error"):
            values[name] = korean(value)  # the system's words, or a message of the core
        else:
            values[name] = value  # data: said as it is
    template = KO[message.template]
    return particles(template, values).format(**values) if values else template


# A particle written both ways after a value (`{words}이(가)`): the one the value's reading
# takes, chosen in the template before the value goes in (a value is never rewritten). Where
# the reading is unsure (see final_consonant), both ways stay.
_PARTICLE = re.compile(r"\{(\w+)\}(이\(가\)|을\(를\)|은\(는\)|과\(와\))")
_FORMS = {"이(가)": ("이", "가"), "을(를)": ("을", "를"), "은(는)": ("은", "는"), "과(와)": ("과", "와")}


def particles(template: str, values: dict[str, object]) -> str:
    """`template` with each particle written both ways after a value (`{words}이(가)`) the one
    that value's reading takes."""

    def choose(match: re.Match[str]) -> str:
        closed = final_consonant(str(values.get(match.group(1), "")))
        if closed is None:
            return match.group(0)
        with_consonant, with_vowel = _FORMS[match.group(2)]
        return "{" + match.group(1) + "}" + (with_consonant if closed else with_vowel)

    return _PARTICLE.sub(choose, template) if "(" in template else template


# --- how Korean reads the end of a value ---------------------------------------------------------

# A digit read in Korean (영 일 이 삼 사 오 육 칠 팔 구), and in English after a Latin word (MP3:
# 제로 원 투 쓰리 포 파이브 식스 세븐 에잇 나인): whether its reading ends in a consonant.
_DIGIT_KO = (True, True, False, True, False, False, True, True, True, False)
_DIGIT_EN = (False, True, False, False, False, False, False, True, True, True)
_NUMBER_END = re.compile(r"[0-9][0-9,]*(?:\.[0-9]+)?$")
_LATIN_END = re.compile(r"[A-Za-z]+$")
_VOWELS = "aeiou"
# A letter's name ends in a consonant for 엘 엠 엔 알 alone (에이, 비, 씨, 디, …).
_NAMES_CLOSED = "lmnr"


def final_consonant(text: str) -> bool | None:
    """Whether `text` read aloud in Korean ends in a consonant (받침), as a particle after it
    must know: its last Hangul syllable's, a number's Korean reading (`3` 삼, `10` 십, `2024`
    이천이십사), a Latin word's as Korean says English (see _english_end) or spells it out
    (`HTML`, `npm`). None when unsure: a symbol (`C++`), a Latin word's ending read both
    ways (`book` 북, `root` 루트), a number after a Latin word (`MP3`: 삼 or 쓰리)."""
    text = text.rstrip()
    last = text[-1:]
    if "가" <= last <= "힣":
        return (ord(last) - ord("가")) % 28 != 0
    if "0" <= last <= "9":
        return _number_end(text)
    if last.isascii() and last.isalpha():
        return _latin_end(text)
    return None


def _number_end(text: str) -> bool | None:
    match = _NUMBER_END.search(text)
    assert match is not None  # `text` ends in a digit
    whole, _, fraction = match.group().partition(".")
    digits = whole.replace(",", "")
    before = text[: match.start()].rstrip(" -_")
    if before[-1:].isascii() and before[-1:].isalpha():
        # After a Latin word a digit is read in English or in Korean (utf-8: 에잇 or 팔):
        # known only where both end alike, for one digit.
        if fraction or len(digits) != 1:
            return None
        korean, english = _DIGIT_KO[int(digits)], _DIGIT_EN[int(digits)]
        return korean if korean == english else None
    if fraction:  # read digit by digit after the point (3.14: 삼 점 일사; 0 영)
        return _DIGIT_KO[int(fraction[-1])]
    zeros = len(digits) - len(digits.rstrip("0"))
    if zeros == 0 or zeros == len(digits):  # 0 영
        return _DIGIT_KO[int(digits[-1])]
    # 십 백 천 만 … 억 end in a consonant; 조 (twelve zeros and more) does not, 경 does.
    return True if zeros < 12 else None


def _latin_end(text: str) -> bool | None:
    match = _LATIN_END.search(text)
    assert match is not None  # `text` ends in a Latin letter
    word = match.group()
    if word[-1].isupper():  # an abbreviation (HTML, GPT, macOS): its last letter's name
        return word[-1].lower() in _NAMES_CLOSED
    lowered = word.lower()
    has_vowel = any(c in _VOWELS + "y" for c in lowered)
    readings: set[bool | None] = set()
    if len(word) <= 2 or not has_vowel:  # spelt out (md, npm), or a short word (ok: 오케이 or 옥)
        readings.add(lowered[-1] in _NAMES_CLOSED)
    if len(word) >= 2 and has_vowel:
        readings.add(_english_end(lowered))
    return readings.pop() if len(readings) == 1 else None


def _english_end(word: str) -> bool | None:
    """Whether Korean reads a (lowercase) English word ending in a consonant. The classes are
    JosaFormatter's (github.com/b1uec0in/JosaFormatter, EnglishJongSungDetector), where it
    guesses it says None: l m n, -ng, -mb, -ck, -le -me -ne end in one (Jekyll, Python,
    string, Google, time); b c k p t after one vowel letter too (Git, web, app, music), not
    after a consonant (React 리액트, script, help); two vowel letters before them read either
    way (book 북, root 루트), as -od (good 굿, food 푸드); the other letters end in a vowel
    (Hugo, server, blog 블로그, code 코드)."""
    last = word[-1]
    if last in "lmn" or word.endswith(("ng", "mb", "ck")):
        return True
    if len(word) >= 3 and word.endswith(("le", "me", "ne")):
        return True
    if last in "bckpt":
        before = word[:-1].rstrip(last)  # a doubled letter is read once (app, Scott)
        if before[-1:] not in tuple(_VOWELS):
            return False
        return None if before[-2:-1] in tuple(_VOWELS) else True
    if last in "jq" or word.endswith("od"):
        return None
    return False
