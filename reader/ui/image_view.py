"""The image view: a post's local image shown inside the app (Kitty graphics, Sixel or half cells).

textual-image asks the terminal what it can draw when it is first imported, and
that only works before Textual owns the terminal: `image_widget` is called while
the app is built, never from a running app, and not at all when images are off.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from rich.console import RenderableType
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Center, Vertical
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Static

from reader.posts.text import printable
from reader.ui.i18n import t

if TYPE_CHECKING:
    from PIL.Image import Image as PILImage

MAX_IMAGE_BYTES = 64 * 1024 * 1024  # a post's picture, not a data set
MAX_PIXELS = 40_000_000  # decoded RGB: 120 MB; beyond is a poster or a bomb, not a post's picture
PREVIEW_PIXELS = 16_000_000  # an inline preview is decoded while the post is drawn: kept smaller
ImageWidget = Callable[..., Widget]  # a textual-image widget class: (image, id=…) -> Widget
# The image view's title starts with 🖼 and two spaces: 🖼 is one cell wide (Unicode, Rich and
# tmux count one), but a terminal drawing it with a colour emoji font may spread it over the cell
# after it: with one space the title can read `🖼reader 로고`.
IMAGE_MARK = "🖼  "


def image_widget(mode: str) -> ImageWidget | None:
    """The widget class that draws images in `mode` (see Settings.images); None when off.

    "auto" is textual-image's choice (it queries the terminal: Sixel, then the Kitty
    graphics protocol, else half cells on a terminal, Unicode blocks off one)."""
    if mode == "off":
        return None
    from textual_image import widget  # here: importing it queries the terminal

    chosen: dict[str, ImageWidget] = {
        "auto": widget.Image,
        "kitty": widget.TGPImage,
        "sixel": widget.SixelImage,
        "halfblock": widget.HalfcellImage,
    }
    return chosen.get(mode, widget.Image)


def load_image(path: Path, max_pixels: int = MAX_PIXELS, reduce_to: tuple[int, int] | None = None) -> PILImage:
    """The decoded image, at most `reduce_to` pixels when given (raises OSError or ValueError
    for a file that is not one we can show: damaged, too large, a decompression bomb)."""
    from PIL import Image

    if path.stat().st_size > MAX_IMAGE_BYTES:
        raise ValueError(f"larger than {MAX_IMAGE_BYTES // (1024 * 1024)} MB")
    try:
        with Image.open(path) as opened:
            # A 24 KB PNG can claim 20000×10000 pixels: the size is read before any decoding.
            if opened.width * opened.height > max_pixels:
                raise ValueError(f"{opened.width}×{opened.height} pixels: too large to show")
            if reduce_to is not None:
                opened.draft("RGB", reduce_to)  # a JPEG decodes at a fraction of its size
            opened.load()
            image = opened.copy()
    except (OSError, ValueError):
        raise
    except Image.DecompressionBombError as exc:  # past twice Pillow's own limit: refused at open
        raise ValueError(f"too large to show ({exc})") from exc
    except Exception as exc:  # a decoder's own error on a damaged file
        raise ValueError(f"{type(exc).__name__}: {exc}") from exc
    if reduce_to is not None:
        image.thumbnail(reduce_to)
    return image


def fit(pixels: tuple[int, int], room: tuple[int, int], cell: tuple[int, int] = (10, 20)) -> tuple[int, int]:
    """The cells (columns, rows) an image of `pixels` takes in `room`: as large as fits, ratio kept
    (small images are enlarged: a 16-pixel icon is no use as two cells)."""
    width, height = max(1, pixels[0]), max(1, pixels[1])
    columns, rows = width / cell[0], height / cell[1]
    scale = min(max(1, room[0]) / columns, max(1, room[1]) / rows)
    return max(1, int(columns * scale)), max(1, int(rows * scale))


PREVIEW_COLUMNS, PREVIEW_ROWS = 32, 8  # an inline preview: a glimpse, the view (Enter) shows it whole
MAX_PREVIEW_BYTES = 8 * 1024 * 1024


def inline_preview(path: Path) -> RenderableType | None:
    """A small half-cell picture of a local image for the post (None if it can't be read).
    Half cells are text: they scroll with the post as lines do, in any terminal."""
    try:
        if path.stat().st_size > MAX_PREVIEW_BYTES:
            return None
        image = load_image(path, PREVIEW_PIXELS, reduce_to=(PREVIEW_COLUMNS * 20, PREVIEW_ROWS * 40))
    except (OSError, ValueError, MemoryError):
        return None
    from textual_image.renderable.halfcell import Image as HalfcellImage  # imported at start (image_widget)

    columns, rows = fit(image.size, (PREVIEW_COLUMNS, PREVIEW_ROWS), cell=(10, 20))
    return HalfcellImage(image, width=columns, height=rows)


def open_with_system(path: Path) -> None:
    """Hand a file to the desktop's viewer (xdg-open, open, or the Windows association)."""
    if sys.platform == "win32":
        os.startfile(path)  # type: ignore[attr-defined]
        return
    opener = "open" if sys.platform == "darwin" else "xdg-open"
    subprocess.Popen(  # an absolute path: never read as an option
        [opener, str(path)],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )


class ImageScreen(ModalScreen[None]):
    """One image over the post; Escape closes it, `o` hands it to the system viewer."""

    BINDINGS = [
        Binding("escape,q", "close", "Close", id="close-image"),
        Binding("o", "open_outside", "Open in the system viewer", id="open-image-outside"),
    ]
    DEFAULT_CSS = """
    ImageScreen { align: center middle; }
    ImageScreen > Vertical { width: 100%; height: 100%; border: round $primary; background: $surface; }
    ImageScreen #image-title { height: 1; padding: 0 1; }
    ImageScreen #image-hint { height: 1; padding: 0 1; color: $text-muted; }
    ImageScreen Center { height: 1fr; }
    """

    def __init__(
        self, widget: ImageWidget, image: PILImage, path: str, label: str, open_outside: Callable[[str], None]
    ) -> None:
        super().__init__()
        self.open_outside = open_outside
        self.widget_class = widget
        self.image = image
        self.path = path  # root-relative
        self.label = label

    def compose(self) -> ComposeResult:
        with Vertical():
            title = f"{IMAGE_MARK}{printable(self.label)} — {printable(self.path)}"
            yield Static(Text(title, style="bold"), id="image-title")
            with Center():
                yield self.widget_class(self.image, id="image")
            yield Static(Text(t("Esc close · o open in the system viewer")), id="image-hint")

    def on_mount(self) -> None:
        self._size_image()

    def on_resize(self) -> None:
        self._size_image()

    def _size_image(self) -> None:
        image = self.query_one("#image")
        columns, rows = fit(self.image.size, (self.size.width - 2, self.size.height - 4))
        image.styles.width = columns
        image.styles.height = rows

    def action_close(self) -> None:
        self.dismiss(None)

    def action_open_outside(self) -> None:
        self.open_outside(self.path)
