"""The form of a project file upload."""

from __future__ import annotations

from django import forms

from worksheets.portable.importer import IMPORT_MAX_BYTES


class WorksheetImportForm(forms.Form):
    file = forms.FileField(
        label="プロジェクトファイル（JSON）",
        help_text=f"sanpukuから書き出した .json ファイル（{IMPORT_MAX_BYTES // 1024 // 1024}MBまで）",
        error_messages={
            "required": "読み込むファイルを選んでください。",
            "empty": "ファイルが空です。",
        },
    )
