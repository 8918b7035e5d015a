"""Every page speaks one Japanese voice: no English UI words, no stored codes, dates in our styles.

Rendered as the owner of the cast's project with something in every part, and asked for in
English, the way a browser set to English asks.
"""

from __future__ import annotations

import re

import pytest

from tests.sanpuku.every_page import fill_every_part, pages_of
from worksheets.models import FiscalYearStyle

pytestmark = pytest.mark.django_db

ENGLISH_WORDS = ("Select an option", "This field", "Username", "Password", "---------")
CODES = re.compile(r"(?<![A-Za-z_])(open|in_progress|settled|region|business|user)(?![A-Za-z_])")
# 2026/12/2, 2025-04-01: never; 2026年12月2日 only in brackets after its 和暦 (or for 西暦 users).
SLASH_OR_ISO = re.compile(r"\b\d{4}[/-]\d{1,2}[/-]\d{1,2}\b")
SEIREKI_DAY = re.compile(r"(?<!（)\b(19|20)\d\d年\d{1,2}月\d{1,2}日")


def visible_text(html: str) -> str:
    """The page's words; not <code>, which shows what a file holds as the file writes it."""
    html = re.sub(r"(?s)<(script|style|head|code)\b.*?</\1>", "", html)
    return re.sub(r"<[^>]+>", " ", html)


@pytest.fixture
def project(worksheet, owner, editor, company_editor, city):
    return fill_every_part(worksheet, owner, editor, company_editor, city)


def test_every_page_is_japanese_with_our_dates(as_user, project):
    client = as_user("owner")
    problems = []
    for path in pages_of(project):
        response = client.get(path, HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
        assert response.status_code == 200, path
        text = visible_text(response.content.decode())
        problems += [
            f"{path}: {w} …{text[text.find(w) - 120 : text.find(w)]}"
            for w in ENGLISH_WORDS
            if w in text
        ]
        if not path.endswith("/kpis/import/"):  # it explains the files' dates: 2025-04-01
            problems += [f"{path}: {m.group()}" for m in SLASH_OR_ISO.finditer(text)]
        problems += [
            f"{path}: {m.group()} (西暦 for a 和暦 user)" for m in SEIREKI_DAY.finditer(text)
        ]
    assert not problems, "\n".join(problems)


def test_the_history_shows_labels_not_codes(as_user, project):
    text = visible_text(as_user("owner").get(f"/worksheets/{project.pk}/history/").content.decode())
    assert not CODES.findall(text), CODES.findall(text)


def test_a_seireki_user_reads_every_day_in_seireki(as_user, project, owner):
    owner.fiscal_year_style = FiscalYearStyle.SEIREKI
    owner.save(update_fields=["fiscal_year_style"])
    text = visible_text(as_user("owner").get(f"/worksheets/{project.pk}/history/").content.decode())
    assert re.search(r"20\d\d年\d{1,2}月\d{1,2}日 \d\d:\d\d", text)
    assert "令和" not in text
