"""GET /worksheets/<id>/handovers/<id>/pdf/: the 引継書 — the handover first, then its version."""

from __future__ import annotations

import subprocess
from datetime import date
from decimal import Decimal
from io import BytesIO
from urllib.parse import unquote

import pdfplumber
import pytest
from django.test import override_settings
from django.urls import reverse

from kpis.models import Kpi, KpiGroup
from kpis.periods import Frequency
from tests.conftest import ARTIFACTS
from worksheets.models import Comment, Handover, HandoverStatus, Snapshot, Worksheet
from worksheets.portable.document import worksheet_document
from worksheets.sheet.writes import ITEM_KINDS, add_item, save_field


def squash(text: str) -> str:
    return "".join(text.split())


def pages_of(response) -> list[str]:
    with pdfplumber.open(BytesIO(response.content)) as document:
        return [squash("".join(c["text"] for c in page.chars)) for page in document.pages]


def cover_of(response) -> str:
    """The pages before the sheet (the first landscape page)."""
    with pdfplumber.open(BytesIO(response.content)) as document:
        pages = []
        for page in document.pages:
            if page.width > page.height:
                return "".join(pages)
            pages.append(squash("".join(c["text"] for c in page.chars)))
    raise AssertionError("no sheet in the packet")


def freeze(worksheet, user, label) -> Snapshot:
    return Snapshot.objects.create(
        worksheet=worksheet, label=label, document=worksheet_document(worksheet), created_by=user
    )


def hand_over(worksheet, owner, editor, label, status=HandoverStatus.PENDING, **extra):
    return Handover.objects.create(
        worksheet=worksheet,
        from_user=owner,
        to_user=editor,
        date=extra.pop("day", date(2026, 4, 1)),
        memo=extra.pop("memo", ""),
        snapshot=freeze(worksheet, owner, label),
        status=status,
        **extra,
    )


def url(handover, **params) -> str:
    query = "&".join(f"{k}={v}" for k, v in params.items())
    path = reverse("handover_pdf", args=[handover.worksheet_id, handover.pk])
    return path + (f"?{query}" if query else "")


@pytest.fixture
def filled(worksheet, owner, editor):
    save_field(worksheet, "problem", "通院や買い物の移動手段がない", 0, owner)
    for description, status in [
        ("民業圧迫にならないための棲み分け", "open"),
        ("運転手の確保", "in_progress"),
        ("停留所の位置の合意", "settled"),
    ]:
        values = {"description": description, "mitigation": "", "owner": "", "status": status}
        add_item(worksheet, ITEM_KINDS["risk"], worksheet, values, owner)
    Kpi.objects.create(
        worksheet=worksheet,
        group=KpiGroup.COMMON,
        name="利用者数（年間）",
        unit="人",
        baseline_value=Decimal(100),
        baseline_date=date(2024, 3, 31),
        target_value=Decimal(1000),
        target_fiscal_year=2027,
        frequency=Frequency.YEARLY,
        position=1,
        updated_by=owner,
    )
    Comment.objects.create(
        worksheet=worksheet, section="problem", author=editor, body="通院先の一覧はありますか？"
    )
    return worksheet


def test_a_pending_handovers_pdf_begins_with_the_handover(as_user, filled, owner, editor, tmp_path):
    handover = hand_over(
        filled,
        owner,
        editor,
        "引き継ぎ版",
        from_post="健康福祉部 高齢福祉課 主査",
        memo="タクシー協会との協議が未了です。\n次回は5月の地域ケア会議です。",
    )

    response = as_user("editor").get(url(handover))

    assert response.status_code == 200
    assert "引継書" in unquote(response["Content-Disposition"])
    cover = cover_of(response)
    order = [
        "回覧・決裁",
        "担当",
        "係長",
        "課長",
        "引継書",
        "A圏域・B圏域のデマンド交通",
        "前任者山田花子（健康福祉部高齢福祉課主査）",
        "後任者鈴木一郎（豊明市・公共交通担当）",
        "引き継ぎ日令和8年4月1日（2026年4月1日）",
        "状況確認待ち",
        "引き継いだ版引き継ぎ版",
        "引き継ぎ事項",
        "タクシー協会との協議が未了です。",
        "次回は5月の地域ケア会議です。",
        "未対応のリスク",
        "民業圧迫にならないための棲み分け",
        "運転手の確保",
        "入力期限を迎えたKPI",
        "利用者数（年間）",
        "未解決のコメント（1件）",
        "通院先の一覧はありますか？",
        "連携先の連絡先",
        "豊明市",
        "山田花子健康福祉部オーナー",
        "アイシン",
        "佐藤健企画部編集者",
        "中部地域包括支援センター",
    ]
    position = 0
    for text in order:
        found = cover.find(squash(text), position)
        assert found >= 0, text
        position = found + len(squash(text))
    assert "停留所の位置の合意" not in cover  # settled: not an open risk
    assert "入力待ち" in cover or "期限超過" in cover
    # A person looks at it: test-artifacts/pdf-handover-cover.png.
    ARTIFACTS.mkdir(exist_ok=True)
    path = tmp_path / "handover.pdf"
    path.write_bytes(response.content)
    prefix = ARTIFACTS / "pdf-handover-cover"
    subprocess.run(
        ["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", "-singlefile", str(path), prefix],
        check=True,
    )


def test_the_handover_comes_before_the_sheet_and_the_appendix(as_user, filled, owner, editor):
    handover = hand_over(filled, owner, editor, "引き継ぎ版")
    response = as_user("owner").get(url(handover, paper="a4"))
    with pdfplumber.open(BytesIO(response.content)) as document:
        sizes = [(round(float(p.width)), round(float(p.height))) for p in document.pages]
    assert sizes[0] == (595, 842)  # the 引継書: A4 portrait
    assert (842, 595) in sizes  # then the sheet, A4 landscape
    assert sizes.index((842, 595)) >= 1
    assert sizes[-1] == (595, 842)


@override_settings(HANDOVER_STAMP_COLUMNS=["起案", "課長補佐", "課長", "部長"])
def test_the_stamp_columns_come_from_the_settings(as_user, filled, owner, editor):
    handover = hand_over(filled, owner, editor, "引き継ぎ版")
    cover = cover_of(as_user("owner").get(url(handover)))
    assert "回覧・決裁起案課長補佐課長部長" in cover


def test_a_pending_handover_lists_the_changes_since_the_handover_before_it(
    as_user, filled, owner, editor
):
    hand_over(filled, owner, editor, "前回の版", status=HandoverStatus.ACKNOWLEDGED)
    save_field(filled, "problem", "通院の足がない", 1, editor)
    pending = hand_over(filled, editor, owner, "今回の版", day=date(2027, 4, 1))

    text = "".join(pages_of(as_user("owner").get(url(pending))))

    changes = text[text.index("前回の引き継ぎからの変更") :]
    assert "令和8年4月1日の引き継ぎ（山田花子→鈴木一郎）からの変更です。" in changes
    assert changes.index("通院や買い物の移動手段がない") < changes.index("通院の足がない")


def test_the_live_packet_counts_a_pending_handover_as_the_last_one(as_user, filled, owner, editor):
    """The defect: while a handover waited for its successor, the packet said there was none."""
    hand_over(filled, owner, editor, "引き継ぎ版")
    save_field(filled, "problem", "通院の足がない", 1, editor)

    response = as_user("owner").get(reverse("worksheet_pdf", args=[filled.pk]))
    text = "".join(pages_of(response))

    assert "前回の引き継ぎの記録はありません。" not in text
    changes = text[text.index("前回の引き継ぎからの変更") :]
    assert "令和8年4月1日の引き継ぎ（山田花子→鈴木一郎・確認待ち）からの変更です。" in changes
    assert "通院の足がない" in changes


def test_a_cancelled_handover_is_not_a_starting_point(as_user, filled, owner, editor):
    hand_over(filled, owner, editor, "取り消した版", status=HandoverStatus.CANCELLED)
    response = as_user("owner").get(reverse("worksheet_pdf", args=[filled.pk]))
    assert "前回の引き継ぎの記録はありません。" in "".join(pages_of(response))


def test_a_handover_of_another_worksheet_is_404(as_user, filled, owner, editor, city):
    other = Worksheet.objects.create(title="別の事業", organization=city, created_by=owner)
    foreign = hand_over(other, owner, editor, "別の版")
    path = reverse("handover_pdf", args=[filled.pk, foreign.pk])
    assert as_user("owner").get(path).status_code == 404


def test_outsider_gets_404(as_user, filled, owner, editor):
    handover = hand_over(filled, owner, editor, "引き継ぎ版")
    assert as_user("outsider").get(url(handover)).status_code == 404


def test_the_handover_page_links_to_its_hikitsugisho(as_user, filled, owner, editor):
    handover = hand_over(filled, owner, editor, "引き継ぎ版")
    page = as_user("editor").get(reverse("handover_detail", args=[filled.pk, handover.pk]))
    html = page.content.decode()
    assert f'href="{url(handover)}"' in html
    assert "引継書（PDF・A3）" in html


def test_the_hikitsugisho_reads_the_handover_and_its_predecessor_once(
    as_user, filled, owner, editor, django_assert_num_queries
):
    hand_over(filled, owner, editor, "前回の版", status=HandoverStatus.ACKNOWLEDGED)
    pending = hand_over(filled, editor, owner, "今回の版", day=date(2027, 4, 1))
    client = as_user("owner")
    client.get(url(pending))
    # session, user, membership (with its worksheet), the handover (with both people and its
    # version), the handover before it (likewise), the step names: no live project read, since
    # the 引継書 prints the version handed over; then the rendered PDF, found by the key of
    # its inputs and read for the download.
    with django_assert_num_queries(8) as queries:
        client.get(url(pending))
    tables = [q["sql"].split(" FROM ", 1)[1].split()[0] for q in queries.captured_queries]
    assert '"worksheets_fieldtext"' not in tables
    assert tables.count('"worksheets_handover"') == 2
