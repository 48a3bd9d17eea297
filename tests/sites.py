"""Small posts folders written by the tests, so app tests assert on content they control."""

from __future__ import annotations

from pathlib import Path

FILLER = "긴 글을 채우는 문장입니다. 각주와 참조가 멀리 떨어져도 이어져야 합니다. " * 4 + "\n\n"

BLOG = {
    "_config.yml": "url: https://blog.example.org\npermalink: /:year/:month/:day/:title.html\n",
    "_posts/2026-01-05-welcome.md": (
        "---\ntitle: 환영합니다\ndate: 2026-01-05 09:00:00 +0900\ncategories: [안내]\ntags: [guide]\n---\n"
        "처음 열었을 때 보이는 글입니다.\n\n"
        "[링크 모음](2026-01-10-links.md)을 보세요. [키 안내](2026-01-06-keys.md)도 있습니다.\n"
    ),
    "_posts/2026-01-06-keys.md": (
        "---\ntitle: 키 안내\ndate: 2026-01-06\ncategories: [안내]\ntags: [guide, keys]\n---\n"
        "# 키\n\n`j`와 `k`로 움직입니다. [환영 글](2026-01-05-welcome.md)로 돌아가기.\n"
    ),
    "_posts/2026-01-10-links.md": (
        "---\ntitle: 링크 모음\ndate: 2026-01-10\ncategories: [안내]\ntags: [guide, links]\n---\n"
        "[Textual](https://textual.textualize.io/) 그리고 [PyPI](https://pypi.org/)\n\n"
        "맨 주소 www.example.com 과 메일 reader@example.org 도 링크입니다.\n\n"
        "[편지 쓰기](mailto:team@example.org)\n\n"
        "[아래 제목](#고려대-dsba) 과 [없는 제목](#없는-제목)\n\n"
        "[키 안내](2026-01-06-keys.md) · [주소로](https://blog.example.org/2026/01/05/welcome.html)\n\n"
        "같은 줄의 같은 링크: [하나](https://same.example.org/) [둘](https://same.example.org/)\n\n"
        "[스크립트](javascript:alert(1))\n\n"
        "## 고려대 DSBA\n\n제목 아래 본문.\n"
    ),
    "_posts/2025-11-20-machine-learning.md": (
        "---\ntitle: 머신러닝 입문 노트\ndate: 2025-11-20\ncategories: [공부]\ntags: [python, ml]\n---\n"
        "머신러닝은 데이터에서 배웁니다.\n\n" + "쉬어 가는 문단입니다.\n\n" * 30 + "머신러닝을 다시 봅니다.\n"
    ),
    "_posts/2025-08-01-django.md": (
        "---\ntitle: Django 튜토리얼\ndate: 2025-08-01\ncategories: [개발]\ntags: [python, django]\n---\n"
        "웹 프레임워크 이야기.\n"
    ),
    "_posts/2025-06-01-footnotes.md": (
        "---\ntitle: 각주가 먼 글\ndate: 2025-06-01\ncategories: [개발, 블로그]\n---\n"
        "첫 문단에 각주[^far]와 [참조 링크][ref]가 있습니다.\n\n"
        + FILLER * 60
        + "[^far]: 멀리 있는 각주의 내용.\n\n[ref]: https://ref.example.org/\n"
    ),
    "_drafts/2026-02-01-draft.md": "---\ntitle: 초안 글\n---\n아직 쓰는 중.\n",
}


def write_blog(root: Path, files: dict[str, str] | None = None) -> Path:
    for rel, text in (files or BLOG).items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root
