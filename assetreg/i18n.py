"""One message catalogue (gettext) for everything a person reads.

The catalogue is `assetreg/locale/zh/LC_MESSAGES/assetreg.po`, compiled to
`.mo` beside it. `core` marks strings with `N_` and never translates; the
CLI and the renderers translate with `_` once the language is chosen.
"""

from __future__ import annotations

import gettext
import os
from pathlib import Path

LOCALE_DIR = Path(__file__).parent / "locale"
DOMAIN = "assetreg"
LANGUAGES = ("en", "zh")

_active: gettext.NullTranslations = gettext.NullTranslations()
_language = "en"


def N_(message: str) -> str:
    """Mark a message for extraction without translating it here."""
    return message


def detect_language(explicit: str | None, environ: os._Environ[str] | dict[str, str]) -> str:
    """--lang, then ASSETREG_LANG, then the locale variables, else English."""
    for candidate in (explicit, environ.get("ASSETREG_LANG")):
        if candidate:
            return candidate
    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = environ.get(var)
        if value:
            return "zh" if value.lower().startswith("zh") else "en"
    return "en"


def set_language(language: str) -> None:
    global _active, _language
    _language = language if language in LANGUAGES else "en"
    found = gettext.translation(DOMAIN, LOCALE_DIR, languages=[_language], fallback=True)
    _active = gettext.NullTranslations() if _language == "en" else found


def language() -> str:
    return _language


def _(message: str) -> str:
    return _active.gettext(message)
