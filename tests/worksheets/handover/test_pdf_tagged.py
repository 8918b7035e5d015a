"""The packet is a tagged PDF/UA-1 document: language, title, reading order, table headers.

Checked with the `pdfua` package (the machine-checkable part of PDF/UA-1) and by reading the
structure tree with pikepdf, which it is built on.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pikepdf
import pytest
from pdfua import validate

from tests.worksheets.handover.sheets import FIXTURES
from worksheets.handover.pdf import handover_cover, render_packet

PRINTED_AT = datetime(2026, 4, 1, 9, 0, tzinfo=ZoneInfo("Asia/Tokyo"))
# Page 1 in reading order: the project's title, then each section and its boxes (p.25).
SHEET_HEADINGS = (
    ["/H1"]
    + ["/H2", "/H3", "/H3"]  # 1 課題の把握
    + ["/H2", "/H3"]  # 2 巻き込み／共創
    + ["/H2"]
    + ["/H3"] * 5  # 3 事業設計
    + ["/H2"]
    + ["/H3"] * 3  # 3 やり取り
    + ["/H2", "/H3"]  # 4 リスク
    + ["/H2"]
    + ["/H3"] * 3  # 5 継続／改善
    + ["/H2"]
    + ["/H3"] * 3  # 6 KPI
)


def cover() -> dict:
    return handover_cover(
        from_name="山田花子",
        from_post="高齢福祉課 主査",
        to_name="鈴木一郎",
        to_post="高齢福祉課",
        day=PRINTED_AT.date(),
        memo="協議が未了です。",
        status="確認待ち",
        version="引き継ぎ版",
        stamps=["担当", "係長", "課長"],
    )


@pytest.fixture(scope="module")
def packets(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("tagged")
    paths = {}
    for name in ("demo", "large"):
        paths[name] = folder / f"{name}.pdf"
        paths[name].write_bytes(render_packet(FIXTURES[name](), printed_at=PRINTED_AT, changes=[]))
    paths["handover"] = folder / "handover.pdf"
    paths["handover"].write_bytes(
        render_packet(FIXTURES["ordinary"](), printed_at=PRINTED_AT, changes=[], handover=cover())
    )
    return paths


def elements(node, found=None) -> list:
    """The structure elements under `node`, depth first: the order a screen reader reads."""
    found = [] if found is None else found
    kids = node.get("/K")
    for kid in kids if isinstance(kids, pikepdf.Array) else [kids]:
        if isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
            found.append(kid)
            elements(kid, found)
    return found


@pytest.mark.parametrize("name", ["demo", "large", "handover"])
def test_the_pdfua_checker_finds_nothing(packets, name):
    report = validate(str(packets[name]))
    assert [(f.rule_id, f.message) for f in report.findings] == []
    assert report.exit_code == 0


def test_language_title_and_marking_are_declared(packets):
    with pikepdf.open(packets["demo"]) as pdf:
        assert str(pdf.Root.Lang) == "ja"
        assert pdf.Root.MarkInfo.Marked is True
        assert pdf.Root.ViewerPreferences.DisplayDocTitle is True
        title = pdf.open_metadata().get("dc:title")
        assert title == "A圏域・B圏域のデマンド交通：認識共有ワークシート（最新（確定前））"
        assert "pdfuaid:part" in str(pdf.open_metadata())


def test_the_sheet_reads_in_the_guides_order(packets):
    with pikepdf.open(packets["large"]) as pdf:
        headings = [str(e.S) for e in elements(pdf.Root.StructTreeRoot) if str(e.S)[:2] == "/H"]
    assert headings[: len(SHEET_HEADINGS)] == SHEET_HEADINGS
    assert headings[len(SHEET_HEADINGS)] == "/H2"  # then the appendix


def test_a_handover_reads_the_handover_first(packets):
    with pikepdf.open(packets["handover"]) as pdf:
        roles = [str(e.S) for e in elements(pdf.Root.StructTreeRoot)]
    assert roles.index("/H1") < roles.index("/H2")
    # The 引継書's own title comes before the sheet's: two H1, the handover's first.
    assert roles.count("/H1") == 2


@pytest.mark.parametrize("name", ["large", "handover"])
def test_every_table_header_has_a_scope(packets, name):
    with pikepdf.open(packets[name]) as pdf:
        found = elements(pdf.Root.StructTreeRoot)
        headers = [e for e in found if str(e.S) == "/TH"]
        assert headers
        scopes = {str(e.A.Scope) for e in headers}
    assert scopes <= {"/Column", "/Row"}
    assert "/Column" in scopes
