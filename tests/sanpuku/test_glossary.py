"""The templates use the words of docs/glossary.md: one word per meaning."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings

TEMPLATES = sorted(
    p for p in (Path(settings.BASE_DIR) / "templates").rglob("*.html") if "pdf" not in p.parts
)

# word we do not use → the glossary's word
NOT_OURS = {
    "フィールド": "欄",
    "共創プロジェクト": "プロジェクト",
    "参加主体": "参加組織",
    "表示設定": "名前・部署・表示の設定",
    "不明な利用者": "アカウント",
    "退会した利用者": "アカウント",
}
# 所属 alone, as a heading: the glossary's word is 所属組織.
BARE_SHOZOKU = re.compile(r">所属<")
# A date a person reads comes from the japanese_dates filters; |date:'c' feeds <time datetime>.
HAND_MADE_DATE = re.compile(r"""\|(date|time):["'](?!c["'])""")


def test_the_glossary_exists_and_names_the_filters():
    glossary = (Path(settings.BASE_DIR) / "docs" / "glossary.md").read_text()
    for word in ("ワークシート", "プロジェクト", "所属組織", "アカウント", "欄", "jdatetime"):
        assert word in glossary


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda p: str(p.relative_to(settings.BASE_DIR)))
def test_a_template_speaks_with_the_glossarys_words(path):
    text = path.read_text()
    found = [f"「{w}」→「{ours}」" for w, ours in NOT_OURS.items() if w in text]
    assert not found, ", ".join(found)
    assert not BARE_SHOZOKU.search(text), "「所属」→「所属組織」"
    assert not HAND_MADE_DATE.search(text), "a date formatted by hand: use jdate / jdatetime"


def test_section_and_step_names_use_the_full_width_slash():
    from cases.content import PROCESS_STEPS
    from worksheets.fields import Section

    names = [str(label) for label in Section.labels] + [s["name"] for s in PROCESS_STEPS]
    assert not [n for n in names if "/" in n]
    assert "巻き込み／共創" in names
