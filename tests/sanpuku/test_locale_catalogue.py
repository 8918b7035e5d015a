"""The committed .mo says what the .po says: an edit to the catalogue that was not compiled fails."""

from __future__ import annotations

import ast
from pathlib import Path

from django.conf import settings
from django.utils import translation

PO = Path(settings.BASE_DIR) / "locale" / "ja" / "LC_MESSAGES" / "django.po"


def entries(text: str) -> dict[str, str]:
    """msgid → msgstr of a simple catalogue (no plurals, no contexts)."""
    found: dict[str, str] = {}
    current: dict[str, str] = {}
    part = ""
    for line in [*text.splitlines(), ""]:
        line = line.strip()
        if line.startswith(("msgid ", "msgstr ")):
            part, _, rest = line.partition(" ")
            current[part] = ast.literal_eval(rest)
        elif line.startswith('"') and part:
            current[part] += ast.literal_eval(line)
        elif not line and current:
            if current.get("msgid"):
                found[current["msgid"]] = current.get("msgstr", "")
            current, part = {}, ""
    return found


def test_every_message_of_the_catalogue_is_compiled():
    catalogue = entries(PO.read_text())
    assert len(catalogue) >= 10
    with translation.override("ja"):
        for msgid, msgstr in catalogue.items():
            assert translation.gettext(msgid) == msgstr, msgid


def test_no_message_of_the_catalogue_says_field():
    assert "フィールド" not in "".join(entries(PO.read_text()).values())
