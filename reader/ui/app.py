"""The reader app: the shell that holds the settings and shows the main screen."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual.app import App
from textual.binding import Binding

from reader.library import Library
from reader.settings import UNSAVED, Settings, UnreadableConfig
from reader.ui.commands import PostCommands
from reader.ui.config_check import check_theme_and_keys
from reader.ui.help import help_sections
from reader.ui.i18n import set_language, t, tell
from reader.ui.image_view import image_widget
from reader.ui.main_screen import MainScreen
from reader.ui.screens import HelpScreen


class ReaderApp(App[None]):
    """A terminal reader for a folder of Markdown posts."""

    TITLE = "reader"
    CSS_PATH = "app.tcss"
    COMMANDS = {PostCommands}  # the posts first, then Textual's own commands (PostCommands yields both)
    BINDINGS = [
        Binding("question_mark", "help", "Help", id="help"),
        Binding("q", "quit", "Quit", id="quit"),
    ]

    def __init__(
        self,
        library: Library,
        settings: Settings | None = None,
        watch: bool = True,
        settings_path: Path | None = None,
        open_post: str | None = None,
        why: str = "given",
    ) -> None:
        super().__init__()
        self.library = library
        self.settings = settings or Settings()
        self.settings_path = settings_path
        self.watch_files = watch
        self.first_post = open_post
        self.why = why
        self.config_problem: str | None = None  # the config file's problem, said once the app is up
        self.unsaved_said = False  # that the app's changes cannot be saved (the file is unreadable)
        set_language(self.settings.language)
        # Chosen now, before Textual owns the terminal: textual-image asks the terminal what it can draw.
        self.image_widget = image_widget(self.settings.images)

    @property
    def main(self) -> MainScreen:
        """The main screen (whatever modal is on top of it)."""
        return next(s for s in self.screen_stack if isinstance(s, MainScreen))

    def on_mount(self) -> None:
        if self.config_problem:
            self.notify(tell(self.config_problem), severity="warning", markup=False)
        theme, keymap, problems = check_theme_and_keys(self.settings, self.available_themes)
        for problem in problems:
            self.notify(f"config: {problem}", severity="warning", markup=False)
        if theme is not None:
            self.theme = theme
        self.theme_changed_signal.subscribe(self, self._remember_theme)
        self._apply_keymap(keymap)
        self.push_screen(
            MainScreen(
                self.library,
                self.settings,
                self.save_settings,
                watch=self.watch_files,
                first_post=self.first_post,
                why=self.why,
            )
        )

    def _apply_keymap(self, keymap: dict[str, str]) -> None:
        """The config file's `[keys]` (those Textual can read): binding id = keys. An id we do not have is named."""
        if not keymap:
            return
        known = {b.id for b in [*self.BINDINGS, *MainScreen.BINDINGS] if isinstance(b, Binding) and b.id}
        unknown = sorted(set(keymap) - known)
        if unknown:
            self.notify(
                f"[keys] in the config: no binding {', '.join(unknown)} (known: {', '.join(sorted(known))})",
                severity="warning",
                markup=False,
            )
        self.set_keymap({k: v for k, v in keymap.items() if k in known})

    def _remember_theme(self, theme: Any) -> None:
        self.settings.theme = self.theme
        self.save_settings()

    def save_settings(self) -> None:
        try:
            self.settings.save(self.settings_path)
        except UnreadableConfig as exc:  # left as the user wrote it; said once (at the start, if it was so then)
            if not self.unsaved_said:
                self.unsaved_said = True
                self.notify(tell(str(exc.strerror)), severity="warning", markup=False)
        except OSError as exc:
            self.notify(t("cannot save settings: {error}", error=exc), severity="warning", markup=False)

    def action_help(self) -> None:
        self.clear_notifications()  # a toast shown now would lie over the help (at 80×24, over its keys)
        self.push_screen(HelpScreen(help_sections(self.BINDINGS, MainScreen.BINDINGS)))


def build_app(
    posts: Path,
    index_dir: Path | None = None,
    watch: bool = True,
    settings_path: Path | None = None,
    open_post: str | None = None,
    why: str = "given",
) -> ReaderApp:
    """The factory the CLI and the tests share."""
    settings, problem = Settings.load(settings_path)
    app = ReaderApp(
        Library(posts, index_dir=index_dir, hold_bodies=False),  # a post's body is read when it is opened
        settings,
        watch=watch,
        settings_path=settings_path,
        open_post=open_post,
        why=why,
    )
    app.config_problem = problem
    app.unsaved_said = problem is not None and UNSAVED in problem
    return app
