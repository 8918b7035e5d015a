"""Whole-project JSON: export, import as a new project, and refusal of bad files."""

from __future__ import annotations

import json
import logging
from unittest import mock

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError
from django.urls import reverse

from tests.cases.conftest import guide  # noqa: F401
from tests.conftest import make_user
from tests.worksheets.worksheet_builder import fill_worksheet
from worksheets.models import (
    Change,
    Comment,
    FieldText,
    Membership,
    Organization,
    OrganizationKind,
    Role,
    User,
    Worksheet,
)
from worksheets.portable.document import export_bytes
from worksheets.portable.importer import IMPORT_MAX_BYTES, import_worksheet, read_worksheet_file
from worksheets.portable.values import WorksheetFileError
from worksheets.sheet.writes import ITEM_KINDS, delete_item

pytestmark = pytest.mark.usefixtures("guide")


@pytest.fixture
def project(worksheet, owner, editor, company_editor, city):
    fill_worksheet(worksheet, owner, editor, company_editor, city)
    return worksheet


def export_url(worksheet, history=False) -> str:
    return reverse("worksheet_export", args=[worksheet.pk]) + ("?history=1" if history else "")


def upload(client, data: bytes, name: str = "project.json"):
    return client.post(
        reverse("worksheet_import"), {"file": SimpleUploadedFile(name, data, "application/json")}
    )


def row_counts() -> dict[str, int]:
    """Rows of every model that an import could write."""
    models = [
        *apps.get_app_config("worksheets").get_models(),
        *apps.get_app_config("kpis").get_models(),
    ]
    return {m.__name__: m.objects.count() for m in models}


def exported(client, worksheet, history=True) -> bytes:
    response = client.get(export_url(worksheet, history))
    assert response.status_code == 200
    return b"".join(response.streaming_content) if response.streaming else response.content


# --- Export -------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["owner", "editor", "company_editor", "commenter", "viewer"])
def test_every_member_can_export_the_project(as_user, project, name):
    response = as_user(name).get(export_url(project))
    assert response["Content-Type"] == "application/json; charset=utf-8"
    document = json.loads(response.content)
    assert document["format"] == "sanpuku-project"
    assert document["worksheet"]["title"] == "A圏域・B圏域のデマンド交通"


def test_outsider_gets_404_for_the_export(as_user, project):
    assert as_user("outsider").get(export_url(project)).status_code == 404


def test_anonymous_is_sent_to_log_in_for_the_export(client, project):
    response = client.get(export_url(project))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_file_is_named_by_the_title_and_the_date(as_user, project):
    response = as_user("viewer").get(export_url(project))
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    # The title is Japanese, so it travels in the RFC 5987 form.
    assert "filename*=utf-8''" in disposition
    assert "A%E5%9C%8F%E5%9F%9F" in disposition  # 「A圏域」
    assert ".json" in disposition


def test_the_file_holds_every_part_and_history_only_when_asked(as_user, project):
    client = as_user("viewer")
    without = json.loads(exported(client, project, history=False))
    with_history = json.loads(exported(client, project, history=True))
    assert "history" not in without
    assert [c["label"] for c in with_history["history"]][:2] == [
        "誰にとっての課題を解決するか？",
        "何の課題を解決するか？",
    ]
    assert without["fields"]["persona"]["text"].startswith("A圏域に住む")
    assert without["stakeholders"][0] == {"name": "交通事業者", "roles": ["運行", "予約受付"]}
    assert without["exchanges"][0]["what"] == "利用料（1回300円）"
    assert without["risks"][0]["status"] == "in_progress"
    assert without["comments"][0]["replies"][0]["author"] == "山田 花子"
    assert [k["name"] for k in without["kpis"]] == ["利用者数（年間）", "利用者の外出頻度増加"]
    assert without["kpis"][0]["measurements"][0]["value"] == "412.500"
    assert without["kpis"][0]["responsible"] == "豊明市"
    assert without["effect_notes"] == {"behaviour": "外出が増えた"}
    assert without["guide"]["selfchecks"][0]["level"] == 4
    assert without["guide"]["checklist"][0]["state"] == "done"
    assert without["guide"]["process"]["current_step"] == 5
    # Accounts do not travel: who may see the project is each installation's own business.
    assert "members" not in without


def test_the_export_is_deterministic(as_user, project):
    client = as_user("viewer")
    assert exported(client, project) == exported(client, project)


# --- The round trip ----------------------------------------------------------------------------


def test_export_import_into_an_empty_database_and_export_again_gives_the_same_file(
    as_user, client, project
):
    first = exported(as_user("viewer"), project)
    # An empty installation: no project, no user, no organisation; only the guide's content.
    Worksheet.objects.all().delete()
    User.objects.all().delete()
    Organization.objects.all().delete()
    assert row_counts()["Worksheet"] == 0 and User.objects.count() == 0
    # The same municipality, on its new installation, with a new account.
    city = Organization.objects.create(
        kind=OrganizationKind.MUNICIPALITY,
        name="豊明市",
        prefecture="愛知県",
        municipality="豊明市",
    )
    importer = make_user("successor", city, last_name="中村", first_name="優")
    client.force_login(importer)

    response = upload(client, first)

    imported = Worksheet.objects.get()
    assert response.status_code == 302 and response["Location"] == imported.get_absolute_url()
    assert Membership.objects.get(worksheet=imported).user == importer
    assert Membership.objects.get(worksheet=imported).role == Role.OWNER
    second = exported(client, imported)
    assert second == first


def test_names_stay_names_on_the_new_installation(as_user, client, project, city):
    data = exported(as_user("viewer"), project)
    stranger_org = Organization.objects.create(kind=OrganizationKind.MUNICIPALITY, name="行田市")
    client.force_login(make_user("gyoda", stranger_org, last_name="小林", first_name="茂"))

    upload(client, data)

    imported = Worksheet.objects.get(organization=stranger_org)
    comment = Comment.objects.get(worksheet=imported, parent=None, section="problem")
    assert comment.author.display_name == "鈴木 一郎"
    # A person known only by name: no organisation, cannot log in, not the real 鈴木さん.
    assert comment.author.pk != User.objects.get(username="editor").pk
    assert not comment.author.is_active and comment.author.organization is None
    assert not comment.author.has_usable_password()
    history = client.get(reverse("history", args=[imported.pk])).content.decode()
    assert "鈴木 一郎" in history and "佐藤 健" in history


def test_display_names_of_the_longest_allowed_length_round_trip(as_user, client, project, city):
    editor = User.objects.get(username="editor")
    editor.last_name, editor.first_name = "長" * 150, "名" * 150
    editor.save(update_fields=["last_name", "first_name"])
    first = exported(as_user("viewer"), project)
    stranger_org = Organization.objects.create(kind=OrganizationKind.MUNICIPALITY, name="行田市")
    client.force_login(make_user("gyoda", stranger_org, last_name="小林", first_name="茂"))

    response = upload(client, first)

    assert response.status_code == 302, response.content.decode()[:3000]
    imported = Worksheet.objects.get(organization=stranger_org)
    comment = Comment.objects.get(worksheet=imported, parent=None, section="problem")
    assert comment.author.display_name == f"{'長' * 150} {'名' * 150}"
    again = json.loads(exported(client, imported))
    assert json.dumps(again["comments"], ensure_ascii=False) == json.dumps(
        json.loads(first)["comments"], ensure_ascii=False
    )


def test_restoring_an_imported_item_edit_explains_instead_of_failing(as_user, client, project):
    data = exported(as_user("viewer"), project)
    client.force_login(User.objects.get(username="owner"))
    upload(client, data)
    imported = Worksheet.objects.exclude(pk=project.pk).get()
    edit = Change.objects.get(worksheet=imported, kind="exchange", action="edit")

    response = client.post(reverse("restore", args=[imported.pk, edit.pk]), follow=True)

    assert "すでに削除されているため、復元できません" in response.content.decode()


def test_an_imported_role_deletion_points_at_no_stakeholder_of_this_installation(
    as_user, client, project, owner
):
    bus = project.stakeholders.get(name="交通事業者")
    role = bus.roles.get(role="予約受付")
    delete_item(project, ITEM_KINDS["role"], role.pk, role.version, owner)
    data = exported(as_user("viewer"), project)
    assert '"_parent"' not in data.decode()  # an id of this installation's row
    client.force_login(owner)

    upload(client, data)

    imported = Worksheet.objects.exclude(pk=project.pk).get()
    deletion = Change.objects.get(worksheet=imported, kind="role", action="delete")
    assert deletion.old == {"role": "予約受付"}


def test_a_role_deletion_from_an_older_file_forgets_the_foreign_stakeholder_id(
    as_user, client, good, owner
):
    # Files exported before ids were left out carry the stakeholder's id of the other
    # installation; here it may be the id of an unrelated stakeholder.
    good["history"].append(
        {
            **good["history"][-1],
            "kind": "role",
            "field_key": "",
            "label": "役割（交通事業者）：予約受付",
            "action": "delete",
            "old": {"role": "予約受付", "_parent": 1},
            "new": {},
        }
    )
    client.force_login(owner)
    upload(client, as_file(good))

    imported = Worksheet.objects.exclude(title="A圏域・B圏域のデマンド交通").get()
    deletion = Change.objects.get(worksheet=imported, kind="role", action="delete")
    assert deletion.old == {"role": "予約受付"}
    roles = row_counts()["StakeholderRole"]
    response = client.post(reverse("restore", args=[imported.pk, deletion.pk]), follow=True)
    assert "元のステークホルダーが削除されているため" in response.content.decode()
    assert row_counts()["StakeholderRole"] == roles


def test_an_imported_stakeholder_deletion_restores_with_its_roles(as_user, client, project, owner):
    bus = project.stakeholders.get(name="交通事業者")
    delete_item(project, ITEM_KINDS["stakeholder"], bus.pk, bus.version, owner)
    data = exported(as_user("viewer"), project)
    client.force_login(owner)

    assert upload(client, data).status_code == 302

    imported = Worksheet.objects.exclude(pk=project.pk).get()
    deletion = Change.objects.get(worksheet=imported, kind="stakeholder", action="delete")
    assert deletion.old == {"name": "交通事業者", "_roles": ["運行", "予約受付"]}
    client.post(reverse("restore", args=[imported.pk, deletion.pk]))
    restored = imported.stakeholders.get(name="交通事業者")
    assert list(restored.roles.values_list("role", flat=True)) == ["運行", "予約受付"]


@pytest.mark.parametrize(
    ("kind", "old", "reason"),
    [
        ("stakeholder", {"name": "交通事業者", "_roles": "運行"}, "役割の一覧の形式"),
        ("stakeholder", {"name": "交通事業者", "_roles": [3]}, "文字列にしてください"),
        ("stakeholder", {"name": "交通事業者", "_roles": ["あ" * 301]}, "長すぎます（301文字）"),
        ("risk", {"description": "x", "_roles": ["運行"]}, "不明な項目「_roles」"),
        ("role", {"role": "運行", "_id": 3}, "不明な項目「_id」"),
    ],
)
def test_a_bad_deleted_item_in_the_history_is_refused(as_user, good, kind, old, reason):
    good["history"].append(
        {
            **good["history"][-1],
            "kind": kind,
            "field_key": "",
            "action": "delete",
            "old": old,
            "new": {},
        }
    )
    refused(as_user("owner"), as_file(good), reason)


# --- Import: a new project, never an overwrite ------------------------------------------------


def test_an_import_with_a_taken_title_becomes_a_new_project_and_says_so(as_user, project):
    client = as_user("owner")
    data = exported(client, project)
    before = FieldText.objects.get(worksheet=project, key="persona").text

    response = upload(client, data)

    imported = Worksheet.objects.exclude(pk=project.pk).get()
    assert imported.title == "A圏域・B圏域のデマンド交通（取り込み）"
    assert imported.organization == project.organization
    page = client.get(response["Location"]).content.decode()
    assert "同じ名前のプロジェクトがすでにあるため" in page
    assert "既存のプロジェクトは変更していません" in page
    project.refresh_from_db()
    assert project.title == "A圏域・B圏域のデマンド交通"
    assert FieldText.objects.get(worksheet=project, key="persona").text == before
    # A second import of the same file again makes a new one.
    upload(client, data)
    assert Worksheet.objects.filter(title="A圏域・B圏域のデマンド交通（取り込み2）").exists()


def test_the_import_page_states_the_size_limit(as_user):
    content = as_user("viewer").get(reverse("worksheet_import")).content.decode()
    assert "5MBまで" in content


def test_a_user_without_an_organisation_cannot_import(client, db):
    admin = User.objects.create_user("admin", password="x")
    client.force_login(admin)
    assert client.get(reverse("worksheet_import")).status_code == 404


def test_anonymous_is_sent_to_log_in_for_the_import(client, db):
    response = client.get(reverse("worksheet_import"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_no_file_is_asked_for(as_user):
    response = as_user("owner").post(reverse("worksheet_import"), {})
    assert response.status_code == 400
    assert "読み込むファイルを選んでください" in response.content.decode()


# --- Import: bad files are refused whole --------------------------------------------------------


def refused(client, data: bytes, reason: str) -> None:
    before = row_counts()
    users = User.objects.count()
    response = upload(client, data)
    assert response.status_code == 400
    content = response.content.decode()
    assert "取り込めませんでした。何も取り込んでいません。" in content
    assert reason in content, content
    assert row_counts() == before
    assert User.objects.count() == users


@pytest.fixture
def good(as_user, project) -> dict:
    return json.loads(exported(as_user("viewer"), project))


def as_file(document) -> bytes:
    return json.dumps(document, ensure_ascii=False).encode()


def test_a_lone_surrogate_anywhere_is_refused(as_user, good):
    good["worksheet"]["title"] = "デマンド交通\ud800"
    refused(as_user("owner"), json.dumps(good).encode(), "対になっていないサロゲート")


def test_a_lone_surrogate_in_a_key_is_refused(as_user, good):
    good["fields"]["\udfff"] = "x"
    refused(as_user("owner"), json.dumps(good).encode(), "対になっていないサロゲート")


def test_a_nul_character_anywhere_is_refused(as_user, good):
    good["comments"][0]["text"] = "前半\x00後半"
    refused(as_user("owner"), as_file(good), "保存できない文字（NUL")


def test_a_display_name_longer_than_two_name_columns_is_refused(as_user, good):
    good["comments"][0]["author"] = "長" * 200  # no space to split 姓 from 名 at
    refused(as_user("owner"), as_file(good), "投稿者の名前が長すぎます（200文字）")


def test_damaged_json_is_refused(as_user, good):
    data = as_file(good)[:-40]
    refused(as_user("owner"), data, "JSONとして読めません")


def test_a_file_not_in_utf8_is_refused(as_user, good):
    data = json.dumps(good, ensure_ascii=False).encode("cp932", errors="replace")
    refused(as_user("owner"), data, "文字コードがUTF-8ではない")


@pytest.mark.parametrize(
    "foreign",
    [
        {"name": "my-package", "version": "1.0.0"},
        [1, 2, 3],
        {"format": "other-app", "format_version": 1},
    ],
)
def test_a_foreign_json_file_is_refused(as_user, project, foreign):
    refused(as_user("owner"), as_file(foreign), "sanpukuのプロジェクトファイルではありません")


def test_a_newer_format_is_refused(as_user, good):
    good["format_version"] = 2
    refused(as_user("owner"), as_file(good), "新しい形式（形式番号2）")


def test_a_file_over_the_limit_is_refused(as_user, good):
    data = as_file(good)
    data = data[:-1] + b" " * (IMPORT_MAX_BYTES + 1 - len(data)) + b"}"
    assert len(data) == IMPORT_MAX_BYTES + 1
    refused(as_user("owner"), data, "読み込めるのは5MBまでです")


# Each damage of an otherwise good file, and what the refusal must say.
DAMAGES = [
    (
        lambda d: d["fields"].update(mood={"text": "", "updated_by": "", "updated_at": None}),
        "記入欄「mood」はこのsanpukuのワークシートにありません",
    ),
    (
        lambda d: d["exchanges"].append({"from_party": "user", "to_party": "city", "what": "x"}),
        "やり取り3件目の受け取る側の値「city」",
    ),
    (lambda d: d["exchanges"][0].update(to_party="user"), "提供する側と受け取る側が同じです"),
    (lambda d: d["risks"][0].update(status="forgotten"), "リスク1件目の状況"),
    (
        lambda d: d["stakeholders"].append({"name": "あ" * 201, "roles": []}),
        "ステークホルダー3件目の名前が長すぎます（201文字）",
    ),
    (
        lambda d: d["stakeholders"][1].update(roles="停留所の提案"),
        "ステークホルダー2件目の役割の形式が正しくありません",
    ),
    (lambda d: d["stakeholders"][0].update(colour="red"), "不明な項目「colour」"),
    (
        lambda d: d["comments"][0].update(created_at="yesterday"),
        "日時「yesterday」が読めません",
    ),
    # Readable, but out of range once in UTC or in Japan's time: refused, not a 500.
    (
        lambda d: d["comments"][0].update(created_at="0001-01-01T00:00:00+09:00"),
        "コメント1件目の投稿日時「0001-01-01T00:00:00+09:00」は、扱える範囲",
    ),
    (
        lambda d: d["worksheet"].update(updated_at="9999-12-31T23:00:00+00:00"),
        "最終更新「9999-12-31T23:00:00+00:00」は、扱える範囲",
    ),
    (
        lambda d: d["history"][0].update(at="9999-12-31T23:59:59-09:00"),
        "変更履歴1件目の日時「9999-12-31T23:59:59-09:00」は、扱える範囲",
    ),
    # Outside the one range of dates that every form and import accepts.
    (
        lambda d: d["comments"][0].update(created_at="1800-01-01T00:00:00+09:00"),
        "コメント1件目の投稿日時「1800-01-01T00:00:00+09:00」は、扱える範囲の外です"
        "（1900年1月1日から2200年12月31日まで",
    ),
    (
        lambda d: d["kpis"][0].update(baseline_date="0202-04-01"),
        "KPI「利用者数（年間）」の基準日の日付「0202-04-01」は、扱える範囲の外です",
    ),
    (
        lambda d: d["kpis"][0].update(target_fiscal_year=1800),
        "KPI「利用者数（年間）」の目標年度は1900年度から2200年度までにしてください（1800年度）",
    ),
    (
        lambda d: d["kpis"][0]["measurements"][0].update(value="-5"),
        "の測定値は0以上にしてください（単位「人」は数のため",
    ),
    (
        lambda d: d["kpis"][0]["measurements"][0].update(period_start="1800-04-01"),
        "期間の開始日の日付「1800-04-01」は、扱える範囲の外です",
    ),
    (
        lambda d: d["guide"]["process"]["activities"][0].update(date="2201-01-01"),
        "創出プロセスの取組1件目の日付の日付「2201-01-01」は、扱える範囲の外です",
    ),
    (
        lambda d: d["guide"]["process"]["activities"][0].update(date="0001-01-01"),
        "創出プロセスの取組1件目の日付の日付「0001-01-01」は、扱える範囲の外です",
    ),
    (lambda d: d["worksheet"].update(title=12), "プロジェクト名は文字列にしてください"),
    (
        lambda d: d["kpis"][0].update(target_value="たくさん"),
        "KPI「利用者数（年間）」の目標値「たくさん」は数値として読めません",
    ),
    (
        lambda d: d["kpis"][0].update(baseline_date="2025-02-30"),
        "日付「2025-02-30」が読めません",
    ),
    # A date in another shape is refused too, not read as "no date".
    (
        lambda d: d["kpis"][0].update(baseline_date="2025-4-1"),
        "KPI「利用者数（年間）」の基準日の日付「2025-4-1」が読めません",
    ),
    (
        lambda d: d["kpis"][0]["measurements"][0].update(period_start=None),
        "期間の開始日の日付「None」が読めません",
    ),
    (
        lambda d: d["guide"]["process"]["activities"][0].update(date=20250401),
        "日付「20250401」が読めません",
    ),
    (
        lambda d: d["kpis"][0]["measurements"][0].update(period_start="2025-05-01"),
        "年度の初日ではありません",
    ),
    (lambda d: d["kpis"][1].update(target_text=""), "目標を数値（目標値）か文章"),
    (lambda d: d["kpis"][0].update(group="other"), "KPI「利用者数（年間）」の群"),
    (lambda d: d["effect_notes"].update(fame="有名になった"), "効果のメモの観点の値「fame」"),
    (
        lambda d: d["guide"]["selfchecks"][0].update(level=2),
        "回答から決まるレベル（4）と合いません",
    ),
    (lambda d: d["guide"]["checklist"][0].update(number=99), "がこのsanpukuにありません"),
    (lambda d: d["history"][0]["new"].update(text=["not", "text"]), "文字列にしてください"),
    (lambda d: d.update(extra={"x": 1}), "ファイルに不明な項目「extra」があります"),
]


@pytest.mark.parametrize(("damage", "reason"), DAMAGES)
def test_a_partly_valid_file_is_refused_whole_with_the_reason(as_user, good, damage, reason):
    damage(good)
    refused(as_user("owner"), as_file(good), reason)


def brackets_problem(message: str) -> str:
    """What is wrong with the message's 「」 and （）, or '': every bracket closes the last one
    opened, and a 「」 holds no other (a quote within a quote would be 『』)."""
    pairs = {"」": "「", "）": "（"}
    opened: list[str] = []
    for position, character in enumerate(message):
        if character == "「" and "「" in opened:
            return f"「 inside 「」 at {position}"
        if character in "「（":
            opened.append(character)
        elif character in pairs and (not opened or opened.pop() != pairs[character]):
            return f"{character} at {position} closes nothing"
    return f"{''.join(opened)} left open" if opened else ""


@pytest.mark.parametrize(("damage", "reason"), DAMAGES)
def test_every_refusal_of_a_project_file_has_balanced_brackets(good, owner, damage, reason):
    damage(good)

    with pytest.raises(WorksheetFileError) as refusal:
        import_worksheet(read_worksheet_file(as_file(good)), owner)

    assert reason in refusal.value.message
    assert brackets_problem(refusal.value.message) == "", refusal.value.message


def test_the_export_function_and_the_view_give_the_same_bytes(as_user, project):
    assert exported(as_user("viewer"), project) == export_bytes(project, include_history=True)


def test_an_item_kind_unknown_to_the_history_is_refused(as_user, good):
    assert "risk" in ITEM_KINDS
    good["history"][0]["kind"] = "budget"
    refused(as_user("owner"), as_file(good), "変更履歴1件目の種類")


@pytest.mark.parametrize(
    "name", ["owner", "editor", "company_editor", "commenter", "viewer", "outsider"]
)
def test_anyone_with_an_organisation_may_open_the_import_page(as_user, name):
    response = as_user(name).get(reverse("worksheet_import"))
    assert response.status_code == 200
    assert "新しいプロジェクト" in response.content.decode()


def test_a_value_the_database_refuses_is_explained_and_logged(as_user, project, caplog):
    data = export_bytes(project)
    with (
        mock.patch("worksheets.portable.views.import_worksheet", side_effect=IntegrityError("x")),
        caplog.at_level(logging.ERROR, "worksheets.portable.views"),
    ):
        response = upload(as_user("owner"), data)

    assert response.status_code == 400
    assert "このsanpukuに保存できない値がありました" in response.content.decode()
    assert "Project import refused by the database" in caplog.text


@pytest.mark.parametrize("history", [True, False])
def test_the_streamed_export_is_the_document_byte_for_byte(as_user, project, history):
    from worksheets.portable.document import export_chunks

    streamed = b"".join(export_chunks(project, include_history=history))
    assert streamed == export_bytes(project, include_history=history)
    assert json.loads(streamed)  # and it is JSON


def test_an_export_without_history_entries_streams_an_empty_list(worksheet):
    from worksheets.portable.document import export_chunks

    streamed = b"".join(export_chunks(worksheet, include_history=True))
    assert streamed == export_bytes(worksheet, include_history=True)
    assert json.loads(streamed)["history"] == []


def test_the_export_view_streams(as_user, project):
    response = as_user("viewer").get(export_url(project, history=True))
    assert response.streaming
