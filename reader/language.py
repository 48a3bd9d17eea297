"""Which language the interface speaks, English or Korean: the app and the CLI ask here.

The config's `language` ("en", "ko") decides; "auto" (the default) follows the locale as
gettext reads it: LC_ALL, then LC_MESSAGES, then LANG, the first one set. Each interface keeps
its own catalog (reader.ui.i18n, reader.cli.i18n); this module holds only the decision.
"""

from __future__ import annotations

import os
from collections.abc import Mapping

LANGUAGES = ("en", "ko")


def locale_language(environ: Mapping[str, str] = os.environ) -> str:
    """ "ko" when the locale says Korean (LC_ALL, then LC_MESSAGES, then LANG), else "en"."""
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = environ.get(name, "")
        if value:
            return "ko" if value.lower().startswith("ko") else "en"
    return "en"


def choose_language(setting: str, environ: Mapping[str, str] = os.environ) -> str:
    """The language to speak: the config's `setting` when it names one ("en", "ko"), else
    ("auto", or a value the settings already reported as wrong) what the locale says."""
    return setting if setting in LANGUAGES else locale_language(environ)
