"""Following links: the link panel, clicks in the post, and the link policy."""

from __future__ import annotations

import webbrowser
from typing import TYPE_CHECKING, Any

from reader.core.links import Link
from reader.core.policy import decide
from reader.ui.link_panel import LinkPanel
from reader.ui.post_view import PostBody
from reader.ui.screens import ConfirmScreen

if TYPE_CHECKING:
    from reader.core.library import Library


class LinkActions:
    """Mixed into the app: everything that happens when a link is chosen."""

    library: Library
    _links: list[Link]

    # provided by textual.App
    query_one: Any
    notify: Any
    push_screen: Any
    suspend: Any
    copy_to_clipboard: Any
    open_post: Any

    def _fill_link_panel(self) -> None:
        titles = {}
        for link in self._links:
            if link.kind == "post" and link.target in self.library:
                titles[link.target] = self.library.get(link.target).title
        self.query_one(LinkPanel).set_links(self._links, titles)

    def action_toggle_links(self) -> None:
        panel = self.query_one(LinkPanel)
        if panel.has_class("hidden"):
            panel.remove_class("hidden")
            self._fill_link_panel()
            panel.border_title = f"links ({len(self._links)})"
            panel.focus()
        else:
            panel.add_class("hidden")
            self.query_one(PostBody).focus()

    def action_digit(self, digit: int) -> None:
        panel = self.query_one(LinkPanel)
        if not panel.has_class("hidden"):
            panel.focus()
            panel.type_digit(str(digit))

    def on_link_panel_link_chosen(self, event: LinkPanel.LinkChosen) -> None:
        self.follow(event.link)

    def on_post_body_link_clicked(self, event: PostBody.LinkClicked) -> None:
        if 1 <= event.number <= len(self._links):
            self.follow(self._links[event.number - 1])

    def _current_link(self) -> Link | None:
        panel = self.query_one(LinkPanel)
        return panel.current if not panel.has_class("hidden") else None

    def action_open_link(self) -> None:
        link = self._current_link()
        if link is not None:
            self.follow(link)

    def action_copy_link(self) -> None:
        link = self._current_link()
        if link is not None:
            self.copy_to_clipboard(link.url)  # OSC 52
            self.notify(f"copied {link.url}", markup=False)

    def follow(self, link: Link) -> None:
        """Do what the link policy decides; nothing opens without it."""
        decision = decide(link)
        if decision.action == "anchor":
            if not self.query_one(PostBody).scroll_to_anchor(decision.target):
                self.notify(f"no heading #{decision.target} in this post", severity="warning", markup=False)
            else:
                self.query_one(PostBody).focus()
        elif decision.action == "post":
            self.open_post(decision.target)
        elif decision.action == "browser":
            self.open_in_browser(decision.target)
        elif decision.action == "ask":
            def answered(yes: bool | None) -> None:
                if yes:
                    self.open_in_browser(decision.target)

            self.push_screen(ConfirmScreen(decision.reason, decision.target), answered)
        else:
            self.notify(f"not opened: {decision.reason}", severity="error", markup=False)

    def open_in_browser(self, url: str) -> None:
        try:
            browser = webbrowser.get()
        except webbrowser.Error:
            self.copy_to_clipboard(url)
            self.notify(f"no browser found; copied {url}", severity="warning", markup=False)
            return
        console_browser = isinstance(browser, webbrowser.GenericBrowser) and not isinstance(
            browser, webbrowser.BackgroundBrowser)
        if console_browser:  # lynx, w3m: they need the terminal
            with self.suspend():
                browser.open(url)
        else:
            browser.open(url)
        self.notify(f"opened {url}", markup=False)
