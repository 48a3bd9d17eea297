"""Following links: the link panel, clicks in the post, and the link policy."""

from __future__ import annotations

import webbrowser
from typing import TYPE_CHECKING, Any

from textual.widgets import Input

from reader.posts.links import Link
from reader.posts.policy import decide
from reader.posts.text import printable
from reader.ui.i18n import t, tell
from reader.ui.image_view import ImageScreen, load_image, open_with_system
from reader.ui.link_panel import LinkPanel
from reader.ui.post_view import PostBody
from reader.ui.render import link_titles
from reader.ui.screens import ConfirmScreen

if TYPE_CHECKING:
    from reader.posts.post import Post
    from reader.posts.snapshot import Snapshot
    from reader.ui.messages import LinksResolved
    from reader.ui.services import Services


class LinkActions:
    """Mixed into the main screen: everything that happens when a link is chosen, and the open
    post's links kept resolved against the snapshot the screen holds."""

    links: list[Link]
    snapshot: Snapshot
    services: Services
    open_post_data: Post | None
    open_path: str | None
    _request: int
    _partial: int
    # The request whose links are shown, and the snapshot they were resolved against.
    _links_from: tuple[int, Snapshot] | None
    _links_asked: Snapshot | None  # the snapshot of the resolve on its way, if one is
    _links_good_for: Snapshot | None  # the newest snapshot the links shown or asked for hold for
    _links_skipped: set[str]  # posts edited since that ask, none of them a post the links lead to then

    # provided by textual.screen.Screen and the main screen
    app: Any
    query_one: Any
    notify: Any
    focused: Any
    focused_pane: Any
    set_focus: Any
    open_post: Any
    remember_jump: Any
    open_panel: Any

    def fill_link_panel(self, keep_cursor: bool = False) -> None:
        titles = {
            link.target: self.snapshot.get(link.target).title
            for link in self.links
            if link.kind == "post" and link.target and link.target in self.snapshot
        }
        panel = self.query_one(LinkPanel)
        panel.set_links(self.links, titles, keep_cursor)
        panel.border_title = t("links ({count})", count=len(self.links))

    # --- links resolved again --------------------------------------------------------------

    def resolve_links_again(self) -> None:
        """Resolve the open post's links again once the screen holds a snapshot that may
        resolve them otherwise. The first screen's is listed from the index: it knows no
        post's links, so not the site's own hosts (ratsgo's `https://ratsgo.github.io/…`
        links are its posts), nor any permalink; and a post added since may be where a
        link leads. The post is not parsed or drawn again (its place stays)."""
        shown, post = self._links_from, self.open_post_data
        if shown is None or shown[0] != self._request or self._partial or post is None or post.stub:
            return  # no links shown yet, or a parse under way resolves them against its snapshot
        before = shown[1]
        if before is self.snapshot or (before.complete and not self.snapshot.changes):
            return  # the same posts: the same links
        if self._links_asked is self.snapshot:
            return  # asked for these posts already: on its way
        document = self.query_one(PostBody).document
        if document is not None:
            self._links_asked = self._links_good_for = self.snapshot
            self._links_skipped = set()
            self.services.resolve_links(self._request, post, document, self.snapshot)

    def links_after_changes(self, before: Snapshot) -> None:
        """A few posts changed on disk (`before` -> the screen's snapshot): the open post's
        links resolved again only where a change can lead one elsewhere or title it otherwise:
        a post added or removed, the open post itself or a post it links to, a post whose
        address (date, categories, permalink, slug) moved. With a 500 KB post open at 10k
        posts, resolving its links at every title edited elsewhere held the GIL while the next
        change was read (a title's way to its row: up to 600 ms), and each resolve that landed
        after the next change asked for another."""
        shown, after = self._links_from, self.snapshot
        changes = after.changes
        if shown is not None and self._links_good_for is before and not changes.added and not changes.removed:
            updated = set(changes.updated)
            targets = {link.target for link in self.links if link.kind == "post"}
            if self.open_path not in updated and not updated & targets:
                old, new = before.by_path, after.by_path
                if all(p in old and p in new and _address(old[p]) == _address(new[p]) for p in updated):
                    # The same links, now of this snapshot (a resolve on its way is checked
                    # against the posts edited meanwhile when it lands).
                    self._links_good_for = after
                    self._links_skipped |= updated
                    if shown[1] is before:
                        self._links_from = (shown[0], after)
                    return
        self.resolve_links_again()

    def on_links_resolved(self, message: LinksResolved) -> None:
        shown = self._links_from
        if message.request != self._request or shown is None or shown[0] != message.request:
            return  # another post is open now
        if self._links_asked is not None and message.snapshot is not self._links_asked:
            return  # a newer resolve is on its way
        self._links_asked = None
        self._links_from = (message.request, message.snapshot)
        if message.links != self.links:
            before, self.links = self.links, message.links
            titles = link_titles(message.links)
            if titles != link_titles(before):  # a post_link that leads to a post now shows its title
                self.query_one(PostBody).set_link_texts(titles)
            if not self.query_one(LinkPanel).has_class("hidden"):
                self.fill_link_panel(keep_cursor=True)
        stale = {link.target for link in message.links if link.kind == "post"} & self._links_skipped
        if self._links_good_for is self.snapshot and not stale:
            self._links_from = (message.request, self.snapshot)  # the posts edited meanwhile change none
            return
        self.resolve_links_again()  # another snapshot adopted meanwhile

    def action_toggle_links(self) -> None:
        panel = self.query_one(LinkPanel)
        if panel.has_class("hidden"):
            self.open_panel(panel)
            self.fill_link_panel()
            panel.highlight_from(self.query_one(PostBody).top_source_line)
            panel.focus()
        elif self.focused is not panel:  # open but left (a notice, a heading link): back to it
            panel.focus()
        else:
            panel.add_class("hidden")
            self.query_one(PostBody).focus()

    def action_digit(self, digit: int) -> None:
        """A link's number, as the post shows it (`이곳[4]`), then Enter: that link. From the post
        the link panel opens for it (the digits did nothing until `l` had opened it)."""
        panel = self.query_one(LinkPanel)
        if panel.has_class("hidden"):
            if self.focused_pane != "post" or isinstance(self.focused, Input) or not self.links:
                return
            self.action_toggle_links()
        self.set_focus(panel)  # now: the Enter typed after the digits is the panel's
        panel.type_digit(str(digit))

    def on_link_panel_link_chosen(self, event: LinkPanel.LinkChosen) -> None:
        self.follow(event.link)

    def on_post_body_link_clicked(self, event: PostBody.LinkClicked) -> None:
        if 1 <= event.number <= len(self.links):
            self.follow(self.links[event.number - 1])

    def _current_link(self) -> Link | None:
        panel = self.query_one(LinkPanel)
        return panel.current if not panel.has_class("hidden") else None

    def action_open_link(self) -> None:
        """`o`: like Enter, except that an image opens in the system viewer."""
        link = self._current_link()
        if link is not None:
            self.follow(link, outside=True)

    def action_copy_link(self) -> None:
        link = self._current_link()
        if link is not None:
            self.app.copy_to_clipboard(link.url)  # OSC 52, written by Textual, base64-encoded
            self.notify(t("copied {url}", url=printable(link.url)), markup=False)

    def follow(self, link: Link, outside: bool = False) -> None:
        """Do what the link policy decides; nothing opens without it."""
        decision = decide(link)
        if decision.action == "image":
            if outside:
                self.open_image_outside(decision.target)
            else:
                self.show_image(decision.target, link.text)
            return
        if decision.action == "anchor":
            self.remember_jump()
            if not self.query_one(PostBody).scroll_to_anchor(decision.target):
                self.notify(
                    t("no heading #{slug} in this post", slug=printable(decision.target)),
                    severity="warning",
                    markup=False,
                )
            else:
                self.query_one(PostBody).focus()
        elif decision.action == "post":
            if decision.reason:  # the post is there, the heading is not: opened at its top, said so
                self.notify(printable(tell(decision.reason)), severity="warning", markup=False)
            panel = self.query_one(LinkPanel)
            if decision.target != self.open_path and not panel.has_class("hidden"):
                # The reader goes on to read the other post: its own links are an `l` away.
                panel.add_class("hidden")
                self.query_one(PostBody).focus()
            self.open_post(decision.target, anchor=link.anchor if not decision.reason else None, by_link=True)
        elif decision.action == "browser":
            self.open_in_browser(decision.target)
        elif decision.action == "ask":

            def answered(yes: bool | None) -> None:
                if yes:
                    self.open_in_browser(decision.target)

            self.app.push_screen(ConfirmScreen(printable(tell(decision.reason)), printable(decision.target)), answered)
        else:
            self.notify(
                t("not opened: {reason}", reason=printable(tell(decision.reason))), severity="error", markup=False
            )

    def show_image(self, path: str, label: str) -> None:
        """A local image (a root-relative path the policy allowed) in the image view."""
        widget = self.app.image_widget
        if widget is None:
            self.notify(t("images are off (images in the config); o opens it in the system viewer"), markup=False)
            return
        file = self.app.library.local_file(path)  # checked again now: inside the root, a file
        if file is None:
            self.notify(t("not opened: {reason}", reason=t("no such image")), severity="error", markup=False)
            return
        try:
            image = load_image(file)
        except (OSError, ValueError, MemoryError) as exc:  # not an image, damaged, too large, a bomb
            self.notify(
                t("cannot show {path}: {error}", path=printable(path), error=exc), severity="error", markup=False
            )
            return
        self.app.push_screen(ImageScreen(widget, image, path, label or path, self.open_image_outside))

    def open_image_outside(self, path: str) -> None:
        """A local image in the system's viewer: only a regular file inside the site root."""
        file = self.app.library.local_file(path)
        if file is None:
            self.notify(t("not opened: {reason}", reason=t("no such image")), severity="error", markup=False)
            return
        try:
            open_with_system(file)
        except FileNotFoundError as exc:  # no xdg-open (a server, a container): say so plainly
            viewer = printable(str(exc.filename or "xdg-open"))
            self.notify(t("no image viewer found ({viewer})", viewer=viewer), severity="error", markup=False)
            return
        except OSError as exc:
            self.notify(
                t("cannot open {path}: {error}", path=printable(path), error=exc), severity="error", markup=False
            )
            return
        self.notify(t("opened {url}", url=printable(path)), markup=False)

    def open_in_browser(self, url: str) -> None:
        try:
            browser = webbrowser.get()
        except webbrowser.Error:
            self.app.copy_to_clipboard(url)
            self.notify(t("no browser found; copied {url}", url=printable(url)), severity="warning", markup=False)
            return
        console_browser = isinstance(browser, webbrowser.GenericBrowser) and not isinstance(
            browser, webbrowser.BackgroundBrowser
        )
        if console_browser:  # lynx, w3m: they need the terminal
            with self.app.suspend():
                browser.open(url)
        else:
            browser.open(url)
        self.notify(t("opened {url}", url=printable(url)), markup=False)


def _address(post: Post) -> tuple[object, ...]:
    """What a post's URL is made of (reader.posts.site.post_url), and whether it is listed."""
    return post.date, post.categories, post.permalink, post.slug, post.draft
