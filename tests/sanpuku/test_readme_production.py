"""README's production section names gunicorn's timeout, above the longest bounded request."""

from __future__ import annotations

import re
from pathlib import Path

from kpis import files as kpi_files

README = (Path(__file__).resolve().parents[2] / "README.md").read_text()


def test_the_production_section_names_a_gunicorn_timeout_above_the_xlsx_read_budget():
    match = re.search(r"gunicorn は `--timeout (\d+)`", README)

    assert match, "README must say which --timeout to start gunicorn with"
    # A worker killed mid-import would answer nothing; the import's own budget answers first.
    assert int(match[1]) > kpi_files.XLSX_READ_SECONDS * 2
