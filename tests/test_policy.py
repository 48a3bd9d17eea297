"""The link policy, one row per scheme and hostile form: what activating a link may do."""

from __future__ import annotations

import pytest

from reader.posts.links import Link
from reader.posts.policy import decide


def link(
    url: str,
    kind: str = "external",
    target: str | None = None,
    broken: bool = False,
    text: str = "t",
    anchor: str | None = None,
) -> Link:
    return Link(1, text, url, kind, target, 1, broken, anchor)


@pytest.mark.parametrize(
    ("given", "action", "target"),
    [
        (link("https://example.org/a?b=c#d"), "browser", "https://example.org/a?b=c#d"),
        (link("http://example.org/"), "browser", "http://example.org/"),
        (link("HTTPS://EXAMPLE.ORG/"), "browser", "HTTPS://EXAMPLE.ORG/"),
        (link("www.example.org/x"), "browser", "https://www.example.org/x"),
        (link("//example.org/x"), "browser", "https://example.org/x"),
        (link("https://i.example.org/a.png", kind="image"), "browser", "https://i.example.org/a.png"),
        (link("mailto:team@example.org", kind="email"), "ask", "mailto:team@example.org"),
        (link("ftp://example.org/f"), "ask", "ftp://example.org/f"),
        (link("tel:+82-2-000-0000", kind="other"), "ask", "tel:+82-2-000-0000"),
        (link("ssh://host", kind="other"), "ask", "ssh://host"),
        (link("file:///etc/passwd", kind="other"), "ask", "file:///etc/passwd"),
        (link("javascript:alert(1)", kind="other"), "refuse", "javascript:alert(1)"),
        (link("JavaScript:alert(1)", kind="other"), "refuse", "JavaScript:alert(1)"),
        (link("  javascript:alert(1)", kind="other"), "refuse", "javascript:alert(1)"),
        (link("data:text/html;base64,PHNjcmlwdD4=", kind="other"), "refuse", "data:text/html;base64,PHNjcmlwdD4="),
        (link("vbscript:msgbox", kind="other"), "refuse", "vbscript:msgbox"),
        (link("-oProxyCommand=calc"), "refuse", "-oProxyCommand=calc"),
        (link("--flag", kind="other"), "refuse", "--flag"),
        (link("https://x.org/\x1b]52;c;UEFZTE9BRA==\x07"), "refuse", "https://x.org/\x1b]52;c;UEFZTE9BRA==\x07"),
        (link("https://x.org/\n--flag"), "refuse", "https://x.org/\n--flag"),
        (link("https://x.org/a b"), "refuse", "https://x.org/a b"),
        (link("https://x.org/\x9b2J"), "refuse", "https://x.org/\x9b2J"),
        (link("images/a.png", kind="image"), "refuse", "images/a.png"),
        (link("notes.txt", kind="other"), "refuse", "notes.txt"),
        (link("../../etc/passwd.md", kind="other"), "refuse", "../../etc/passwd.md"),
        (link("https://x.org/evil%E2%80%AEgpj.exe"), "ask", "https://x.org/evil%E2%80%AEgpj.exe"),
        (link("https://x.org/", text="evil\u202egpj.exe"), "ask", "https://x.org/"),
        (link("https://x.org/\u2066a\u2069"), "ask", "https://x.org/\u2066a\u2069"),
        (link("a.md", kind="post", target="a.md"), "post", "a.md"),
        (link("gone.md", kind="post", target="gone.md", broken=True), "refuse", "gone.md"),
        (link("a.md#x", kind="post", target="a.md", anchor="x"), "post", "a.md"),
        (link("a.md#없음", kind="post", target="a.md", broken=True, anchor="없음"), "post", "a.md"),
        (link("{% post_url x %}", kind="post", target=None, broken=True), "refuse", "{% post_url x %}"),
        (link("#제목", kind="anchor", target="제목"), "anchor", "제목"),
        (link("#없음", kind="anchor", target="없음", broken=True), "anchor", "없음"),
    ],
)
def test_every_link_passes_the_policy(given, action, target):
    decision = decide(given)
    assert (decision.action, decision.target) == (action, target)
    if action in ("refuse", "ask"):
        assert decision.reason  # the user is told why


def test_a_broken_anchor_says_so():
    assert decide(link("#없음", kind="anchor", target="없음", broken=True)).reason == "no such heading"


def test_a_missing_heading_in_another_post_still_opens_it_and_says_so():
    decision = decide(link("a.md#없음", kind="post", target="a.md", broken=True, anchor="없음"))
    assert (decision.action, decision.reason) == ("post", "no heading #없음 in that post")
