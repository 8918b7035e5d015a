"""System checks for the handover PDF: the machine must have what a fast, legible packet needs.

Both failures are silent in WeasyPrint itself: without a Japanese font the text prints as boxes
(while its text layer still looks right), and without HarfBuzz's subsetter every font is
subset through fontTools, which takes tens of seconds per packet. `bin/system-packages`
installs both (fonts-noto-cjk, libharfbuzz-subset0).
"""

from __future__ import annotations

import subprocess
from collections.abc import Sequence
from typing import Any

from django.apps import AppConfig
from django.core import checks

INSTALL_HINT = (
    "sudo apt-get install -y fonts-noto-cjk libharfbuzz-subset0（または make system-packages）"
)


def japanese_font_families() -> list[str]:
    """The font families fontconfig (which WeasyPrint uses) offers for Japanese."""
    try:
        found = subprocess.run(
            ["fc-list", ":lang=ja", "family"],
            capture_output=True,
            text=True,
            timeout=20,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return []
    return sorted({line.strip() for line in found.stdout.splitlines() if line.strip()})


def fast_subsetting() -> bool:
    """Whether WeasyPrint subsets fonts with HarfBuzz — its own test (weasyprint/pdf/fonts.py).

    Raises OSError when WeasyPrint's libraries (Pango, HarfBuzz) cannot be loaded at all.
    """
    from weasyprint.text.ffi import harfbuzz, harfbuzz_subset

    return harfbuzz_subset is not None and bool(harfbuzz.hb_version_atleast(4, 1, 0))


def pdf_requirements(
    app_configs: Sequence[AppConfig] | None = None, **kwargs: Any
) -> list[checks.CheckMessage]:
    found: list[checks.CheckMessage] = []
    if not japanese_font_families():
        found.append(
            checks.Warning(
                "日本語フォントがインストールされていません。PDFの日本語が豆腐（□）になります。",
                hint=INSTALL_HINT,
                id="worksheets.W001",
            )
        )
    try:
        fast = fast_subsetting()
    except OSError as error:
        found.append(
            checks.Warning(
                f"WeasyPrintのライブラリを読み込めないため、PDFを作成できません（{error}）。",
                hint="Pango と HarfBuzz をインストールしてください。" + INSTALL_HINT,
                id="worksheets.W003",
            )
        )
    else:
        if not fast:
            found.append(
                checks.Warning(
                    "libharfbuzz-subset0 がないため、WeasyPrintのフォントの埋め込みが遅くなります"
                    "（PDF 1部に数十秒かかります）。",
                    hint=INSTALL_HINT,
                    id="worksheets.W002",
                )
            )
    return found


def presence_store(
    app_configs: Sequence[AppConfig] | None = None, **kwargs: Any
) -> list[checks.CheckMessage]:
    """Presence in a process's own memory is seen only by that process: fine for one process
    (runserver, `make run`), not for several gunicorn workers or machines."""
    from django.conf import settings

    backend = settings.CACHES.get("presence", {}).get("BACKEND", "")
    if not backend.endswith("LocMemCache"):
        return []
    return [
        checks.Warning(
            "「いま開いている人」をプロセスごとのメモリに保存しています。"
            "gunicorn を複数のワーカーで動かすと、ほかのワーカーの利用者が表示されません。",
            hint="CACHE_BACKEND=redis（CACHE_LOCATION=redis://…）を設定してください。",
            id="worksheets.W004",
        )
    ]
