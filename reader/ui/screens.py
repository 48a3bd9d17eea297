"""Modal screens: the help screen and the 'open this link?' question."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from reader.ui.help import HelpScroll
from reader.ui.i18n import t
from reader.ui.key_hints import KeyHints


class HelpScreen(ModalScreen[None]):
    """Every binding, read from the bindings themselves."""

    BINDINGS = [Binding("escape,q,question_mark", "dismiss", "Close")]
    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > HelpScroll { width: 80; max-height: 90%; border: round $primary; background: $surface; }
    HelpScreen > KeyHints { dock: bottom; }
    """

    def __init__(self, sections: list[tuple[str, list[tuple[str, str]]]]) -> None:
        super().__init__()
        self.sections = sections

    def compose(self) -> ComposeResult:
        table = Table.grid(padding=(0, 2))
        table.add_column(style="bold cyan", no_wrap=True)
        table.add_column()
        for title, rows in self.sections:
            table.add_row(Text(title, style="bold underline"), "")
            for keys, description in rows:
                table.add_row(Text(keys), Text(description))
            table.add_row("", "")
        with HelpScroll():
            yield Static(Text(t("reader — keys"), style="bold"), id="help-title")
            yield Static(table, id="help-table")
        # Over the main screen's: its keys do not work here (`/` searched nothing), Esc closes.
        yield KeyHints(id="help-keys")

    def action_dismiss(self) -> None:  # type: ignore[override]
        self.dismiss(None)


class ConfirmScreen(ModalScreen[bool]):
    """A yes/no question; the text is shown as plain text."""

    BINDINGS = [Binding("y", "answer(True)", "Yes"), Binding("n,escape", "answer(False)", "No")]
    DEFAULT_CSS = """
    ConfirmScreen { align: center middle; }
    ConfirmScreen > Vertical { width: 70; height: auto; border: round $warning; background: $surface; padding: 1; }
    ConfirmScreen Button { margin: 1 1 0 0; }
    """

    def __init__(self, question: str, detail: str) -> None:
        super().__init__()
        self.question = question
        self.detail = detail

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Text(self.question, style="bold"))
            yield Static(Text(self.detail, style="dim"))
            yield Button(t("Yes (y)"), id="yes", variant="warning")
            yield Button(t("No (n)"), id="no")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")

    def action_answer(self, value: bool) -> None:
        self.dismiss(value)
