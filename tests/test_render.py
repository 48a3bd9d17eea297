"""Posts rendered as their sites show them, checked through `reader show` (the app's renderer)."""

from __future__ import annotations

import io
import re

import pytest

from reader.library import Library
from reader.ui.show import make_console, print_post
from tests.conftest import KST

JEKYLL_POST = """---
title: 렌더링 시험
date: 2024-01-02
---
* 목차
{:toc}

## 굵은 글씨

**임베딩(embedding)**은 벡터입니다. 연산자 A**+**B 도 굵게.
{: .lead}

## 수식

인라인 $$ { w }_{ t-1 } $$ 과 $x_i^2$, 그리고

$$
\\frac { N(Pos,w) }{ N(Pos) } + {a}_{i} * {b}_{j}
$$

모르는 매크로는 그대로: $$\\weird{x}$$

## 그림과 HTML

<a href="https://example.org/book"><img src="https://i.example.org/cover.png" width="500" title="책 표지"></a>

줄<br>바꿈 <!-- 주석 --> 그리고 <script>alert(1)</script>

<table><tr><th>이름</th><th>값</th></tr><tr><td>가</td><td>1</td></tr></table>

## 사이트 문법

{% highlight python %}
print("안녕")
{% endhighlight %}

{% raw %}{{ 그대로 }}{% endraw %}

{% include footer.html %}

[이웃 글]({% post_url 2024-01-01-neighbour %}) 과 [링크 태그]({% link _posts/2024-01-01-neighbour.md %})

```python
x = "아주 긴 줄" * 3  # 이 줄은 좁은 폭에서 접힌다 ------------------------------------------------ 끝
```
"""

HEXO_POST = """title: 헥소 글
date: 2020-06-27 12:00:00
---
{% blockquote 루시, 책 이름 %}
인용된 문장입니다.
{% endblockquote %}
인용 다음 문장.

{% post_link other-post %} 와 {% post_link other-post 다른 제목 %}

{% asset_img diagram.png 구조도 %}

{% codeblock lang:js %}
var a = 1;
{% endcodeblock %}
"""

HUGO_POST = """+++
title = "휴고 글"
date = 2021-01-01
+++
[참고]({{< ref "other.md" >}}) 와 [상대]({{< relref "other" >}})

{{< figure src="/img/a.png" title="그림 제목" >}}

{{< highlight go >}}
fmt.Println("hi")
{{< /highlight >}}

{{< youtube abc123 >}}
"""


def show(library: Library, path: str, width: int = 100) -> str:
    post = library.get(path)
    document = library.document(post)
    out = io.StringIO()
    print_post(make_console(out, width, color=False), post, document, library.resolve_links(post, document))
    return out.getvalue()


@pytest.fixture
def jekyll(write_tree):
    root = write_tree(
        {
            "_config.yml": "url: https://b.example.org\n",
            "_posts/2024-01-02-render.md": JEKYLL_POST,
            "_posts/2024-01-01-neighbour.md": "---\ntitle: 이웃\n---\n본문\n",
        }
    )
    return Library.open(root, KST)


def test_bold_before_a_particle_and_kramdown_intraword_bold(jekyll):
    text = show(jekyll, "_posts/2024-01-02-render.md")
    assert "임베딩(embedding)은 벡터입니다" in text and "A+B" in text
    assert "**" not in text and "{:" not in text


def test_math_as_unicode_never_touched_by_emphasis(jekyll):
    text = show(jekyll, "_posts/2024-01-02-render.md")
    assert "wₜ₋₁" in text and "xᵢ²" in text
    assert "N(Pos,w)/N(Pos)+aᵢ∗bⱼ" in text or "N(Pos,w)/N(Pos)+aᵢ*bⱼ" in text
    assert "$$\\weird{x}$$" in text  # an unknown macro: the source, exactly


def test_html_figure_break_table_and_nothing_that_runs(jekyll):
    text = show(jekyll, "_posts/2024-01-02-render.md")
    assert re.search(r"🖼\[책 표지\]\[\d+\]", text)
    assert "줄\n바꿈" in text and "주석" not in text and "alert" not in text
    assert "이름" in text and "값" in text and "<" not in text.split("links")[0].replace("<U+", "")
    links = jekyll.links("_posts/2024-01-02-render.md")
    assert [link.url for link in links][:2] == ["https://example.org/book", "https://i.example.org/cover.png"]


def test_liquid_tags_and_toc(jekyll):
    text = show(jekyll, "_posts/2024-01-02-render.md")
    body = text.split("─" * 20, 1)[1].split("── links ──")[0]
    assert "{%" not in body and "목차" not in body  # the `* 목차` item is where the TOC goes
    assert "• 굵은 글씨" in body and "• 수식" in body  # the post's headings, in place of {:toc}
    assert 'print("안녕")' in body and "{{ 그대로 }}" in body
    assert "⟨include footer.html⟩" in body
    links = {link.text: link for link in jekyll.links("_posts/2024-01-02-render.md")}
    assert links["이웃 글"].target == "_posts/2024-01-01-neighbour.md" and not links["이웃 글"].broken
    assert links["링크 태그"].target == "_posts/2024-01-01-neighbour.md"
    assert links["이웃 글"].url == "{% post_url 2024-01-01-neighbour %}"


def test_a_long_code_line_wraps_with_a_mark_never_cut(jekyll):
    text = show(jekyll, "_posts/2024-01-02-render.md", width=50)
    lines = [line for line in text.split("\n") if "아주 긴 줄" in line or line.lstrip().startswith("↪")]
    assert len(lines) >= 2 and lines[1].lstrip().startswith("↪")
    joined = "".join(line.strip().removeprefix("↪").strip() for line in lines)
    assert joined.endswith("끝")  # nothing was cut


def test_hexo_tags(write_tree):
    root = write_tree(
        {
            "source/_posts/hexo.md": HEXO_POST,
            "source/_posts/other-post.md": "title: 다른 글\ndate: 2020-01-01\n---\n본문\n",
        }
    )
    library = Library.open(root, KST)
    text = show(library, "source/_posts/hexo.md")
    assert "▌ 인용된 문장입니다." in text and "— 루시, 책 이름" in text
    assert "\n인용 다음 문장." in text  # the line after the tag is not pulled into the quote
    assert "{%" not in text.split("links")[0] and "var a = 1;" in text
    links = library.links("source/_posts/hexo.md")
    posts = [link for link in links if link.kind == "post"]
    assert [(p.text, p.target, p.broken) for p in posts] == [
        ("다른 글", "source/_posts/other-post.md", False),  # no title given: the post's own, as Hexo shows it
        ("다른 제목", "source/_posts/other-post.md", False),
    ]
    image = next(link for link in links if link.kind == "image")
    assert image.target == "source/_posts/hexo/diagram.png" and image.text == "구조도"


def test_hugo_shortcodes(write_tree):
    root = write_tree(
        {
            "config.toml": 'baseURL = "https://h.example.org/"\n',
            "content/posts/hugo.md": HUGO_POST,
            "content/posts/other.md": '+++\ntitle = "다른"\n+++\n본문\n',
        }
    )
    library = Library.open(root, KST)
    text = show(library, "content/posts/hugo.md")
    assert "{{<" not in text.split("links")[0]
    assert "🖼[그림 제목]" in text and 'fmt.Println("hi")' in text and "⟨youtube abc123⟩" in text
    targets = [(link.text, link.target) for link in library.links("content/posts/hugo.md") if link.kind == "post"]
    assert targets == [("참고", "content/posts/other.md"), ("상대", "content/posts/other.md")]


def test_tags_inside_code_are_the_authors_text(write_tree):
    root = write_tree(
        {"a.md": "---\ntitle: 코드\n---\n```\n{% include x.html %}\n{:toc}\n```\n\n`{% raw %}` 는 코드\n"}
    )
    library = Library.open(root, KST)
    text = show(library, "a.md")
    assert "{% include x.html %}" in text and "{:toc}" in text and "{% raw %}" in text


SENTENCE = "클로저는 비전역 변수를 포함한 확장 범위를 가진 함수이며 함수 본체 외부에 정의된 변수에 접근할 수 있다"


@pytest.mark.parametrize("width", range(40, 72))
def test_korean_lines_filling_a_quote_list_or_table_cell_lose_no_character(write_tree, width):
    post = (
        "---\ntitle: 폭\n---\n"
        f"> {SENTENCE}\n\n"
        f"- {SENTENCE}\n\n"
        f"1. 항목\n   > {SENTENCE}\n\n"
        f"| 열 |\n|---|\n| {SENTENCE} |\n"
    )
    library = Library.open(write_tree({"_posts/2024-01-01-width.md": post}), KST)
    text = show(library, "_posts/2024-01-01-width.md", width)
    assert "…" not in text
    squeezed = re.sub(r"[\s▌•│┃|─━┏┓┗┛┡┩└┘┌┐├┤┬┴┼╭╮╰╯0-9.]", "", text)
    assert squeezed.count(SENTENCE.replace(" ", "")) == 4, text


HEXO_QUOTES = """title: 한 줄 인용
date: 2020-06-27 12:00:00
---
{% blockquote 김작가 https://example.org/book 책 제목 %} 한 줄로 쓴 인용입니다. {% endblockquote %}
인용 다음 줄은 문단입니다.

{% blockquote 가, 나 %}첫 인용{% endblockquote %}
{% blockquote 다 %}둘째 인용{% endblockquote %}

{% blockquote 위키백과 https://example.org/wiki 오리 %}
여러 줄 인용의 첫 줄
마지막 줄에서 닫습니다.{% endblockquote %}

## 그 다음 제목

{% blockquote 루시 %} 여는 태그 뒤의 글
이어지는 줄
{% endblockquote %}
끝 문단.
"""


def test_hexo_quotes_on_one_line_or_closed_at_a_line_end_keep_their_text_and_end(write_tree):
    library = Library.open(write_tree({"source/_posts/q.md": HEXO_QUOTES}), KST)
    text = show(library, "source/_posts/q.md")
    lines = text.split("links")[0].splitlines()
    quoted = [line for line in lines if line.startswith("▌")]
    assert quoted == [
        "▌ 한 줄로 쓴 인용입니다.",
        "▌ — 김작가, 책 제목[1]",
        "▌ 첫 인용",
        "▌ — 가, 나",
        "▌ 둘째 인용",
        "▌ — 다",
        "▌ 여러 줄 인용의 첫 줄 마지막 줄에서 닫습니다.",  # one paragraph, as the site shows it
        "▌ — 위키백과, 오리[2]",
        "▌ 여는 태그 뒤의 글 이어지는 줄",
        "▌ — 루시",
    ]
    for paragraph in ("인용 다음 줄은 문단입니다.", "그 다음 제목", "끝 문단."):
        assert paragraph in lines  # never pulled into a quote
    assert "{%" not in "\n".join(lines)
    urls = [link.url for link in library.links("source/_posts/q.md")]
    assert urls == ["https://example.org/book", "https://example.org/wiki"]


HEXO_POST_LINKS = """title: 글 잇기
date: 2020-06-27 12:00:00
---
제목 없이 {% post_link other-post %} 를 보세요.

따옴표 제목 {% post_link other-post "[따옴표] 제목" %} 과 띄어 쓴 {% post_link other-post 띄어 쓴 제목 %}

거르지 않음 {% post_link other-post false %} 과 {% post_link other-post 직접 쓴 제목 false %}

없는 글 {% post_link no-such-post %} 끝
"""


def test_hexo_post_link_shows_the_title_of_the_post_it_leads_to(write_tree):
    root = write_tree(
        {
            "source/_posts/links.md": HEXO_POST_LINKS,
            "source/_posts/other-post.md": "title: 이웃 글의 제목\ndate: 2020-01-01\n---\n본문\n",
        }
    )
    library = Library.open(root, KST)
    lines = show(library, "source/_posts/links.md").split("── links ──")[0].splitlines()
    assert "제목 없이 이웃 글의 제목[1] 를 보세요." in lines
    assert "따옴표 제목 (따옴표) 제목[2] 과 띄어 쓴 띄어 쓴 제목[3]" in lines
    assert "거르지 않음 이웃 글의 제목[4] 과 직접 쓴 제목[5]" in lines  # Hexo's escape flag is no title
    assert "없는 글 no-such-post[6] 끝" in lines  # no such post: its slug, and the link is broken
    links = library.links("source/_posts/links.md")
    assert [(link.text, link.target, link.broken) for link in links] == [
        ("이웃 글의 제목", "source/_posts/other-post.md", False),
        ("(따옴표) 제목", "source/_posts/other-post.md", False),
        ("띄어 쓴 제목", "source/_posts/other-post.md", False),
        ("이웃 글의 제목", "source/_posts/other-post.md", False),
        ("직접 쓴 제목", "source/_posts/other-post.md", False),
        ("no-such-post", "no-such-post", True),
    ]
    assert links[0].url == "{% post_link other-post %}"


LINKED_IMAGES = """---
title: 링크 걸린 그림
---
앞 [첫 링크](https://a.example.org/) 그리고 [![작은 그림](https://i.example.org/s.png)](https://b.example.org/) 뒤

<a href="https://c.example.org/"><img src="https://i.example.org/h.png" alt="HTML 그림"></a>

안에 <a href="https://d.example.org/"><img src="https://i.example.org/i.png" alt="줄 안 그림"></a> 도
"""


def test_a_linked_image_has_the_links_number_then_the_images_in_text_order(write_tree):
    library = Library.open(write_tree({"a.md": LINKED_IMAGES}), KST)
    text = show(library, "a.md")
    lines = text.split("── links ──")[0].splitlines()
    assert "앞 첫 링크[1] 그리고 🖼[작은 그림][2][3] 뒤" in lines
    assert "🖼[HTML 그림][4][5]" in lines
    assert "안에 🖼[줄 안 그림][6][7] 도" in lines
    listed = text.split("── links ──")[1].split()
    assert [word for word in listed if "example.org" in word] == [
        "https://a.example.org/",
        "https://b.example.org/",
        "https://i.example.org/s.png",
        "https://c.example.org/",
        "https://i.example.org/h.png",
        "https://d.example.org/",
        "https://i.example.org/i.png",
    ]


MATH_AFTER_A_TAG = """---
title: 태그 다음 수식
---
문단입니다.

<br>
$$
\\frac { a }{ b } + x_i
$$

<br>
$$y^2$$
다음 문단.

<span>
그대로 HTML
</span>

<table><tr><td>
$$q$$
</td><td>옆 칸</td></tr></table>
"""


def test_display_math_right_under_a_line_holding_only_a_tag_is_math(write_tree):
    library = Library.open(write_tree({"_posts/2024-01-01-math.md": MATH_AFTER_A_TAG}), KST)
    text = show(library, "_posts/2024-01-01-math.md")
    body, table = text.split("─" * 20, 1)[1].split("┌")
    assert "$$" not in body and "frac" not in body
    assert "a/b+xᵢ" in body and "y²" in body
    # `$$y^2$$` with text right under it is no math block to kramdown: inline math, the text after it.
    assert "\ny² 다음 문단." in body and "그대로 HTML" in body and "<span>" not in body
    assert any("옆 칸" in line and "│" in line for line in table.splitlines())  # a real HTML block stays whole
