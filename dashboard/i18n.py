"""Interface strings in English and Arabic, read from dashboard/data/ui_strings.json."""
from __future__ import annotations

import json
from functools import lru_cache
from importlib.resources import files
from typing import Any

STRINGS_FILE = files("dashboard") / "data" / "ui_strings.json"
LANGUAGES: dict[str, str] = {"en": "English", "ar": "العربية"}
RTL = frozenset({"ar"})


@lru_cache(maxsize=1)
def ui_strings() -> dict[str, dict[str, Any]]:
    """All interface strings: language code -> key -> text (or a nested mapping)."""
    return json.loads(STRINGS_FILE.read_text(encoding="utf-8"))


def text(key: str, lang: str = "en", **values: Any) -> Any:
    """The interface string `key` in `lang` (English when missing there), formatted with `values`."""
    strings = ui_strings()
    value = strings.get(lang, {}).get(key, strings["en"][key])
    return value.format(**values) if values and isinstance(value, str) else value


def direction(lang: str) -> str:
    """'rtl' for a right-to-left interface language, else 'ltr'."""
    return "rtl" if lang in RTL else "ltr"
