"""Snapshots: 「この版を確定」, what a version keeps, and comparing versions field by field."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from cases.models import ProcessStep
from kpis.models import Kpi, Measurement
from kpis.periods import PeriodKind
from tests.cases.conftest import guide  # noqa: F401
from tests.worksheets.worksheet_builder import fill_worksheet
from worksheets.models import Handover, HandoverStatus, ProcessActivity, Snapshot, Worksheet
from worksheets.portable.compare import changes_since_last_handover, compare_documents
from worksheets.portable.document import worksheet_document
from worksheets.sheet.writes import ITEM_KINDS, add_item, delete_item, save_field

pytestmark = pytest.mark.usefixtures("guide")


@pytest.fixture
def project(worksheet, owner, editor, company_editor, city):
    kpis = fill_worksheet(worksheet, owner, editor, company_editor, city)
    worksheet.kpis_made = kpis
    return worksheet


def index_url(worksheet) -> str:
    return reverse("handover_index", args=[worksheet.pk])


def create_url(worksheet) -> str:
    return reverse("snapshot_create", args=[worksheet.pk])


def compare_url(worksheet, old, new="live") -> str:
    return reverse("snapshot_compare", args=[worksheet.pk]) + f"?old={old}&new={new}"


def freeze(worksheet, user, label="合意版") -> Snapshot:
    return Snapshot.objects.create(
        worksheet=worksheet, label=label, document=worksheet_document(worksheet), created_by=user
    )


def later_edits(worksheet, owner) -> None:
    """A changed field, an added and a removed stakeholder, a new KPI target, a new measurement."""
    save_field(worksheet, "problem", "通院や買い物に行く移動手段がない", 1, owner)
    add_item(worksheet, ITEM_KINDS["stakeholder"], worksheet, {"name": "商工会"}, owner)
    council = worksheet.stakeholders.get(name="自治会")
    delete_item(worksheet, ITEM_KINDS["stakeholder"], council.pk, council.version, owner)
    users = Kpi.objects.get(worksheet=worksheet, name="利用者数（年間）")
    users.target_value = Decimal(1200)
    users.save(update_fields=["target_value"])
    Measurement.objects.create(
        kpi=users,
        period_kind=PeriodKind.FISCAL_YEAR,
        period_start=date(2026, 4, 1),
        value=Decimal(640),
        entered_by=owner,
    )


# --- Who may do what ----------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["owner", "editor", "company_editor", "commenter", "viewer"])
def test_every_member_sees_the_versions_page(as_user, project, owner, name):
    freeze(project, owner, "令和8年度 事業計画の合意版")
    content = as_user(name).get(index_url(project)).content.decode()
    assert "令和8年度 事業計画の合意版" in content
    assert ("この版を確定" in content) == (name in ("owner", "editor", "company_editor"))


@pytest.mark.parametrize("name", ["owner", "editor", "company_editor"])
def test_editors_and_owners_confirm_a_version(as_user, project, name):
    response = as_user(name).post(create_url(project), {"label": "協定締結時点"})
    snapshot = Snapshot.objects.get(worksheet=project)
    assert response["Location"] == reverse("snapshot_detail", args=[project.pk, snapshot.pk])
    assert snapshot.label == "協定締結時点"
    assert snapshot.created_by.username == ("company" if name == "company_editor" else name)
    assert snapshot.document["fields"]["persona"]["text"].startswith("A圏域に住む")
    assert [k["name"] for k in snapshot.document["kpis"]] == [
        "利用者数（年間）",
        "利用者の外出頻度増加",
    ]


@pytest.mark.parametrize("name", ["commenter", "viewer"])
def test_commenters_and_viewers_cannot_confirm_a_version(as_user, project, name):
    assert as_user(name).post(create_url(project), {"label": "x"}).status_code == 403
    assert not Snapshot.objects.exists()


@pytest.mark.parametrize(
    "url_name", ["handover_index", "snapshot_create", "snapshot_compare", "snapshot_detail"]
)
def test_outsider_gets_404_everywhere(as_user, project, owner, url_name):
    snapshot = freeze(project, owner)
    args = [project.pk, snapshot.pk] if url_name == "snapshot_detail" else [project.pk]
    client = as_user("outsider")
    response = (client.post if url_name == "snapshot_create" else client.get)(
        reverse(url_name, args=args), {"label": "x"} if url_name == "snapshot_create" else {}
    )
    assert response.status_code == 404


def test_a_snapshot_of_another_worksheet_is_404(as_user, project, owner, city):
    other = Worksheet.objects.create(title="別の事業", organization=city, created_by=owner)
    foreign = freeze(other, owner)
    client = as_user("viewer")
    assert client.get(reverse("snapshot_detail", args=[project.pk, foreign.pk])).status_code == 404
    response = client.get(compare_url(project, foreign.pk))
    assert response.status_code == 404
    assert "比較する版が見つかりません" in response.content.decode()


@pytest.mark.parametrize(
    ("label", "message"),
    [
        ("", "版の名前を入力してください。"),
        ("あ" * 101, "100文字以内にしてください（101文字あります）"),
    ],
)
def test_a_missing_or_long_label_is_refused_and_kept(as_user, project, label, message):
    response = as_user("editor").post(create_url(project), {"label": label})
    assert response.status_code == 400
    content = response.content.decode()
    assert message in content
    assert f'value="{label}"' in content if label else True
    assert not Snapshot.objects.exists()


@pytest.mark.parametrize("version", ["yesterday", "²", "9" * 5000])
def test_a_bad_version_in_the_comparison_is_explained(as_user, project, version):
    response = as_user("viewer").get(compare_url(project, version))
    assert response.status_code == 404
    assert "比較する版が見つかりません" in response.content.decode()


# --- What a version keeps -----------------------------------------------------------------------


def test_later_edits_do_not_change_a_confirmed_version(as_user, project, owner):
    snapshot = freeze(project, owner)
    kept = worksheet_document(project)

    later_edits(project, owner)
    owner.last_name = "佐々木"
    owner.save(update_fields=["last_name"])

    snapshot.refresh_from_db()
    assert snapshot.document == kept
    assert snapshot.document["fields"]["problem"]["text"] == "通院や買い物の移動手段がない"
    assert [s["name"] for s in snapshot.document["stakeholders"]] == ["交通事業者", "自治会"]
    assert snapshot.document["kpis"][0]["target_value"] == "1000.000"
    assert len(snapshot.document["kpis"][0]["measurements"]) == 1
    assert snapshot.document["fields"]["persona"]["updated_by"] == "山田 花子"
    page = as_user("viewer").get(reverse("snapshot_detail", args=[project.pk, snapshot.pk]))
    content = page.content.decode()
    assert "通院や買い物の移動手段がない" in content and "商工会" not in content
    assert "自治会：停留所の提案" in content
    assert "利用者数（年間）　目標：1,000人（令和9年度）" in content
    assert "令和7年度：412.5人" in content


# --- Comparing versions -------------------------------------------------------------------------


def by_label(differences) -> dict[str, dict]:
    return {(d["label"], d["before"], d["after"]): d for d in differences}


def test_the_comparison_lists_every_kind_of_change(project, owner):
    snapshot = freeze(project, owner)
    later_edits(project, owner)

    found = compare_documents(snapshot.document, worksheet_document(project))

    changes = {(d["label"], d["change"]): d for d in found}
    field = changes[("何の課題を解決するか？", "changed")]
    assert field["diff"] == [
        ("same", "通院や買い物"),
        ("del", "の"),
        ("ins", "に行く"),
        ("same", "移動手段がない"),
    ]
    stakeholders = [d for d in found if d["section"] == "ステークホルダーと役割"]
    assert {(d["change"], d["before"], d["after"]) for d in stakeholders} == {
        ("removed", "自治会／停留所の提案", ""),
        ("added", "", "商工会"),
    }
    target = changes[("KPI「利用者数（年間）」の目標", "changed")]
    assert (target["before"], target["after"]) == ("1,000人（令和9年度）", "1,200人（令和9年度）")
    measurement = changes[("KPI「利用者数（年間）」の測定値（令和8年度）", "added")]
    assert measurement["after"] == "640人"
    # Nothing else moved.
    assert len(found) == 5


def test_a_version_compared_with_itself_has_no_differences(as_user, project, owner):
    snapshot = freeze(project, owner)
    assert compare_documents(snapshot.document, snapshot.document) == []
    content = as_user("viewer").get(compare_url(project, snapshot.pk, snapshot.pk)).content
    assert "違いはありません。" in content.decode()


def test_the_comparison_page_shows_the_character_diff(as_user, project, owner):
    first = freeze(project, owner, "第1版")
    later_edits(project, owner)
    second = freeze(project, owner, "第2版")

    content = as_user("commenter").get(compare_url(project, first.pk, second.pk)).content.decode()

    assert "「第1版」" in content and "「第2版」" in content
    assert (
        '通院や買い物<del class="history-del">の</del><ins class="history-ins">に行く</ins>移動手段がない'
        in content
    )
    assert '<h3 class="h5 mt-3">ステークホルダーと役割</h3>' in content
    assert "KPI「利用者数（年間）」の測定値（令和8年度）" in content
    assert "変更は5件です。" in content


def test_the_comparison_names_a_version_by_its_time_in_japan(as_user, project, owner):
    # 23:30 UTC on 31 March is 08:30 on 1 April in Japan, where the people reading it are.
    snapshot = freeze(project, owner, "年度末の版")
    snapshot.created_at = datetime(2026, 3, 31, 23, 30, tzinfo=UTC)
    snapshot.save(update_fields=["created_at"])

    content = as_user("viewer").get(compare_url(project, snapshot.pk)).content.decode()

    assert "「年度末の版」（令和8年4月1日 08:30） から 現在のワークシート への変更です。" in content
    assert "2026年3月31日" not in content


def test_renamed_risk_reads_as_a_change_not_a_removal(project, owner):
    before = worksheet_document(project)
    risk = project.risks.get()
    from worksheets.sheet.writes import save_item

    save_item(
        project,
        ITEM_KINDS["risk"],
        risk.pk,
        {
            "description": "民業圧迫にならないための棲み分け・調整",
            "mitigation": "タクシー協会と協議",
            "owner": "公共交通担当",
            "status": "settled",
        },
        risk.version,
        owner,
    )
    found = compare_documents(before, worksheet_document(project))
    assert [(d["label"], d["change"]) for d in found] == [
        ("リスク", "changed"),
        ("リスク「民業圧迫にならないための棲み分け・調整」の状況", "changed"),
    ]
    assert found[1]["before"] == "対応中" and found[1]["after"] == "解決済み"


# --- 「前回の引き継ぎからの変更」 for the PDF ------------------------------------------------------


def test_without_a_handover_there_is_nothing_to_compare_with(project):
    assert changes_since_last_handover(project, worksheet_document(project)) == (None, [])


def test_changes_start_at_the_last_acknowledged_handover(project, owner, editor):
    snapshot = freeze(project, owner, "引き継ぎ（令和8年4月1日）")
    Handover.objects.create(
        worksheet=project,
        from_user=owner,
        to_user=editor,
        date=date(2026, 4, 1),
        memo="特になし",
        snapshot=snapshot,
        status=HandoverStatus.ACKNOWLEDGED,
    )
    save_field(project, "problem", "通院の足がない", 1, editor)

    last, found = changes_since_last_handover(project, worksheet_document(project))

    assert last.snapshot == snapshot and last.to_user == editor
    assert [(d["label"], d["before"], d["after"]) for d in found] == [
        ("何の課題を解決するか？", "通院や買い物の移動手段がない", "通院の足がない")
    ]
    # Printing the handover's own version: there was no handover before it.
    assert changes_since_last_handover(project, snapshot.document, snapshot) == (None, [])


def test_a_pending_handover_is_a_starting_point_and_a_cancelled_one_is_not(project, owner, editor):
    """What the successor must read before confirming: the changes since the version handed over."""
    snapshot = freeze(project, owner)
    pending = Handover.objects.create(
        worksheet=project,
        from_user=owner,
        to_user=editor,
        date=date(2026, 4, 1),
        memo="特になし",
        snapshot=snapshot,
    )
    last, found = changes_since_last_handover(project, worksheet_document(project))
    assert last == pending and found == []

    Handover.objects.filter(pk=pending.pk).update(status=HandoverStatus.CANCELLED)
    last, found = changes_since_last_handover(project, worksheet_document(project))
    assert last is None and all(d["change"] == "added" for d in found)


# --- Query counts -------------------------------------------------------------------------------


def test_the_versions_page_query_count_does_not_grow(
    as_user, project, owner, django_assert_num_queries
):
    client = as_user("viewer")
    freeze(project, owner)
    client.get(index_url(project))
    # session, user (with their organisation), membership, snapshots (with their handovers),
    # handovers
    with django_assert_num_queries(5):
        client.get(index_url(project))
    for n in range(5):
        freeze(project, owner, f"版{n}")
    with django_assert_num_queries(5):
        response = client.get(index_url(project))
    assert response.content.decode().count("版4") == 3  # the list and the two comparison menus


def more_activities(worksheet, user, count: int) -> None:
    steps = list(ProcessStep.objects.order_by("number"))
    for n in range(count):
        ProcessActivity.objects.create(
            worksheet=worksheet,
            step=steps[n % len(steps)],
            date=date(2025, 7, 1 + n),
            lane="municipality",
            department="健康福祉部",
            text=f"取組{n}",
            created_by=user,
        )


def test_a_comparison_reads_the_step_names_once_however_many_activities(
    project, owner, django_assert_num_queries
):
    before = freeze(project, owner).document
    more_activities(project, owner, 3)
    after = worksheet_document(project)
    with django_assert_num_queries(1):  # the eight step names
        assert len(compare_documents(before, after)) == 3
    more_activities(project, owner, 12)
    after = worksheet_document(project)
    with django_assert_num_queries(1):
        assert len(compare_documents(before, after)) == 15


def test_the_comparison_page_query_count_does_not_grow_with_activities(
    as_user, project, owner, django_assert_num_queries
):
    client = as_user("viewer")
    snapshot = freeze(project, owner)
    url = compare_url(project, snapshot.pk)
    client.get(url)
    # session, user (with their organisation), membership, the latest version's id, that
    # version, the live project (16: fields, comments, stakeholders, roles, exchanges, risks,
    # members, self-checks, checklist, process step, activities, effect notes, KPIs (with
    # their agreements), their yearly targets, measurements, their evidence links), the step
    # names, the versions for the menus
    with django_assert_num_queries(23):
        client.get(url)
    more_activities(project, owner, 12)
    with django_assert_num_queries(23):
        response = client.get(url)
    assert "取組11" in response.content.decode()


def test_the_version_page_query_count(as_user, project, owner, django_assert_num_queries):
    client = as_user("viewer")
    snapshot = freeze(project, owner)
    url = reverse("snapshot_detail", args=[project.pk, snapshot.pk])
    client.get(url)
    # session, user (with their organisation), membership, snapshot (with who made it and
    # its handover); nothing of the live worksheet.
    with django_assert_num_queries(4):
        client.get(url)


def test_an_activitys_day_reads_in_the_readers_date_style(project, owner):
    before = freeze(project, owner).document
    more_activities(project, owner, 1)
    after = worksheet_document(project)
    [wareki] = compare_documents(before, after)
    assert wareki["after"].startswith("令和7年7月1日 ") and "2025-07-01" not in wareki["after"]
    [seireki] = compare_documents(before, after, "seireki")
    assert seireki["after"].startswith("2025年7月1日 ")
