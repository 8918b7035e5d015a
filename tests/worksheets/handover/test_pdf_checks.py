"""The system check that warns when this machine cannot print a legible, fast packet."""

from __future__ import annotations

import pytest
from django.core import checks

from worksheets import checks as pdf_checks


def ids(messages) -> list[str]:
    return [m.id for m in messages]


@pytest.fixture
def healthy(monkeypatch):
    monkeypatch.setattr(pdf_checks, "japanese_font_families", lambda: ["Noto Sans CJK JP"])
    monkeypatch.setattr(pdf_checks, "fast_subsetting", lambda: True)


def test_nothing_to_say_when_font_and_subsetter_are_there(healthy):
    assert pdf_checks.pdf_requirements() == []


def test_missing_japanese_font_warns(healthy, monkeypatch):
    monkeypatch.setattr(pdf_checks, "japanese_font_families", lambda: [])
    found = pdf_checks.pdf_requirements()
    assert ids(found) == ["worksheets.W001"]
    assert isinstance(found[0], checks.Warning)
    assert "fonts-noto-cjk" in found[0].hint


def test_missing_harfbuzz_subset_warns(healthy, monkeypatch):
    monkeypatch.setattr(pdf_checks, "fast_subsetting", lambda: False)
    found = pdf_checks.pdf_requirements()
    assert ids(found) == ["worksheets.W002"]
    assert "libharfbuzz-subset0" in found[0].msg


def test_weasyprint_that_cannot_load_warns(healthy, monkeypatch):
    def broken() -> bool:
        raise OSError("cannot load library 'libpango-1.0-0'")

    monkeypatch.setattr(pdf_checks, "fast_subsetting", broken)
    assert ids(pdf_checks.pdf_requirements()) == ["worksheets.W003"]


def test_both_missing_give_both_warnings(monkeypatch):
    monkeypatch.setattr(pdf_checks, "japanese_font_families", lambda: [])
    monkeypatch.setattr(pdf_checks, "fast_subsetting", lambda: False)
    assert ids(pdf_checks.pdf_requirements()) == ["worksheets.W001", "worksheets.W002"]


def test_the_check_runs_with_check_deploy_not_before_every_command():
    registry = checks.registry.registry
    assert pdf_checks.pdf_requirements in registry.get_checks(include_deployment_checks=True)
    assert pdf_checks.pdf_requirements not in registry.get_checks()
    assert registry.tag_exists("pdf", include_deployment_checks=True)


def test_fontconfig_that_cannot_run_counts_as_no_font(monkeypatch):
    def missing(*args, **kwargs):
        raise FileNotFoundError("fc-list")

    monkeypatch.setattr(pdf_checks.subprocess, "run", missing)
    assert pdf_checks.japanese_font_families() == []


def test_this_machine_has_what_the_packet_needs():
    """bin/system-packages installs both; the packet tests rely on them."""
    assert "Noto Sans CJK JP" in pdf_checks.japanese_font_families()
    assert pdf_checks.fast_subsetting() is True
