"""Rendering fidelity: render every post as `reader show` does and count what a site would not show.

    python -m bench.fidelity [FOLDER …]     (default: posts/ and both corpora in ../shared/corpora)

Artifact classes, counted in the rendered text outside code (code may hold
anything):
  bold      a literal `**…**` / `__…__` pair (CommonMark left the asterisks)
  html      raw `<img`, `<a `, `<br`, `</` shown as source
  site      Liquid `{%`, Hugo `{{<`, kramdown `{:` left raw
  footnote  `[^n]` shown literally although the post defines `[^n]:`
  math      a `$$…$$` whose LaTeX is neither a math token with exactly the
            source text nor shown verbatim (emphasis or escapes ate some of it)
"""

from __future__ import annotations

import io
import re
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from reader.library import Library
from reader.posts.document import Document
from reader.posts.post import Post
from reader.ui.show import make_console, print_post

ROOT = Path(__file__).resolve().parent.parent
CORPORA = ROOT.parent / "shared" / "corpora"
CLASSES = ("bold", "html", "site", "footnote", "math")
WIDTH = 100

# A pair that reads as emphasis: its text starts and ends inside a word. `__` next to another
# underscore, or `__), x(__`, is a run of blanks the author typed (`(梧桐__)`), not emphasis.
_BOLD = re.compile(
    r"\*\*(?![\s)\]])[^*\n]{1,200}?(?<![\s(\[])\*\*"
    r"|(?<!_)__(?![_\s)\]])[^_\n]{1,200}?(?<![_\s(\[])__(?!_)"
)
_HTML = re.compile(r"<img\b|<a\s|<br\b|</[a-zA-Z]", re.IGNORECASE)
_SITE = re.compile(r"\{%|\{\{<|\{:")
_FOOTNOTE_REF = re.compile(r"\[\^([^\]\s]+)\](?!:)")
_DISPLAY_MATH = re.compile(r"\$\$(.+?)\$\$", re.DOTALL)
_FENCE = re.compile(r"^ {0,3}(```|~~~).*?^ {0,3}\1", re.MULTILINE | re.DOTALL)


@dataclass
class Report:
    posts: int = 0
    counts: Counter[str] = field(default_factory=Counter)
    examples: dict[str, list[str]] = field(default_factory=dict)  # class -> "path: text"

    def add(self, kind: str, where: str, sample: str) -> None:
        self.counts[kind] += 1
        self.examples.setdefault(kind, []).append(f"{where}: {sample[:80]!r}")


def render_plain(library: Library, post: Post, document: Document) -> str:
    out = io.StringIO()
    print_post(make_console(out, WIDTH, color=False), post, document, library.resolve_links(post, document))
    return out.getvalue()


def code_texts(document: Document) -> list[str]:
    """Everything shown as code: an artifact inside it is the author's text, not ours."""
    out = []
    for token in document.tokens:
        if token.type in ("fence", "code_block"):
            out.append(token.content)
        for child in token.children or []:
            if child.type == "code_inline":
                out.append(child.content)
    return out


def math_tokens(document: Document) -> list[str]:
    out = []
    for token in document.tokens:
        if token.type.startswith("math"):
            out.append(token.content)
        for child in token.children or []:
            if child.type.startswith("math"):
                out.append(child.content)
    return out


def check(library: Library, post: Post, report: Report) -> None:
    document = library.document(post)
    text = render_plain(library, post, document)
    code = code_texts(document)
    flat_code = "\n".join(code)

    def in_code(sample: str) -> bool:
        return sample in flat_code or any(sample.strip() in c for c in code if sample.strip())

    for kind, pattern in (("bold", _BOLD), ("html", _HTML), ("site", _SITE)):
        for match in pattern.finditer(text):
            line = text[text.rfind("\n", 0, match.start()) + 1 : text.find("\n", match.end())]
            if not in_code(match.group()) and not in_code(line.strip()):
                report.add(kind, post.path, line.strip())
    defined = set(re.findall(r"^\[\^([^\]\s]+)\]:", post.body, re.MULTILINE))
    for match in _FOOTNOTE_REF.finditer(text):
        if match.group(1) in defined and not in_code(match.group()):
            report.add("footnote", post.path, match.group())
    source = _FENCE.sub("", post.body)
    maths = set(math_tokens(document))
    flat_text = " ".join(text.split())
    for match in _DISPLAY_MATH.finditer(source):
        latex = match.group(1)
        if latex.strip() in {m.strip() for m in maths} or " ".join(latex.split()) in flat_text:
            continue
        report.add("math", post.path, latex.strip())


def run(folder: Path) -> Report:
    library = Library.open(folder)
    report = Report()
    for post in library.posts:
        report.posts += 1
        check(library, post, report)
    return report


def folders(args: list[str]) -> list[Path]:
    if args:
        return [Path(a) for a in args]
    found = [ROOT / "posts"]
    found += [CORPORA / name for name in ("ratsgo", "philm2k") if (CORPORA / name).is_dir()]
    return found


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    print(f"{'folder':<12} {'posts':>5}  " + "  ".join(f"{c:>8}" for c in CLASSES))
    for folder in folders(args):
        report = run(folder)
        print(f"{folder.name:<12} {report.posts:>5}  " + "  ".join(f"{report.counts[c]:>8}" for c in CLASSES))
        for kind in CLASSES:
            for example in report.examples.get(kind, [])[:5]:
                print(f"    {kind}: {example}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
