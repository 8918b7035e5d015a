"""Notifications: made by the action that causes them, seen only by their addressees."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from tests.conftest import make_user
from worksheets.models import (
    Comment,
    Invitation,
    Membership,
    Notification,
    NotificationKind,
    Role,
)

HX = {"HTTP_HX_REQUEST": "true"}


def post_comment(client, worksheet, body="確認させてください", section="problem", parent=""):
    return client.post(
        reverse("comment_add", args=[worksheet.pk]),
        {"section": section, "body": body, "parent": parent},
        **HX,
    )


def kinds_of(user) -> list[str]:
    return list(Notification.objects.filter(recipient=user).values_list("kind", flat=True))


def test_a_comment_tells_those_who_took_part_in_the_section_but_not_its_author(
    as_user, worksheet, owner, editor, viewer, outsider
):
    post_comment(as_user("editor"), worksheet, "先に書きます")
    post_comment(as_user("owner"), worksheet, "あとから書きます")
    assert kinds_of(editor) == [NotificationKind.COMMENT]
    assert kinds_of(owner) == []  # the first comment had nobody to tell; nobody hears of their own
    assert kinds_of(viewer) == [] and kinds_of(outsider) == []
    [note] = Notification.objects.filter(recipient=editor)
    assert "山田 花子さんがコメントしました" in note.text
    assert note.url == f"{worksheet.get_absolute_url()}#comments-problem"


def test_a_reply_tells_the_author_of_the_comment_replied_to(as_user, worksheet, editor):
    post_comment(as_user("editor"), worksheet, "質問です")
    parent = Comment.objects.get()
    post_comment(as_user("owner"), worksheet, "お答えします", parent=str(parent.pk))
    assert kinds_of(editor) == [NotificationKind.REPLY]


def test_a_comment_in_another_section_tells_nobody(as_user, worksheet, editor):
    post_comment(as_user("editor"), worksheet, section="problem")
    post_comment(as_user("owner"), worksheet, section="risks")
    assert kinds_of(editor) == []


def test_someone_who_left_the_worksheet_is_not_told(as_user, worksheet, editor):
    post_comment(as_user("editor"), worksheet, "先に書きます")
    Membership.objects.filter(worksheet=worksheet, user=editor).delete()
    post_comment(as_user("owner"), worksheet)
    assert kinds_of(editor) == []


def test_a_role_change_tells_the_member(as_user, worksheet, viewer):
    member = Membership.objects.get(worksheet=worksheet, user=viewer)
    as_user("owner").post(
        reverse("member_role", args=[worksheet.pk, member.pk]), {"role": "editor"}
    )
    [note] = Notification.objects.filter(recipient=viewer)
    assert note.kind == NotificationKind.ROLE_CHANGED
    assert "「編集者」になりました（山田 花子さんが変更）" in note.text


def test_a_handover_tells_the_successor(as_user, worksheet, editor):
    as_user("owner").post(
        reverse("handover_create", args=[worksheet.pk]),
        {"from_post": "主査", "to_user": str(editor.pk), "date": "2026-04-01", "memo": "よろしく"},
    )
    [note] = Notification.objects.filter(recipient=editor)
    assert note.kind == NotificationKind.HANDOVER and "あなたの確認を待っています" in note.text


def test_an_invitation_to_an_accounts_email_tells_that_person(as_user, worksheet, company):
    person = make_user("tanaka", company, email="tanaka@example.jp")
    as_user("owner").post(
        reverse("invitation_create", args=[worksheet.pk]),
        {"role": Role.EDITOR, "organization": str(company.pk), "email": "tanaka@example.jp"},
    )
    [note] = Notification.objects.filter(recipient=person)
    assert note.kind == NotificationKind.INVITED
    assert note.url == Invitation.objects.get().get_absolute_url()


def test_kpi_due_tells_the_measuring_organisations_editors_once(
    worksheet, owner, editor, company_editor, viewer, city
):
    from kpis.models import Direction, Kpi, KpiGroup
    from kpis.periods import Frequency

    Kpi.objects.create(
        worksheet=worksheet,
        group=KpiGroup.COMMON,
        name="利用者数（年間）",
        baseline_value=Decimal(100),
        baseline_date=date(2024, 3, 31),
        target_value=Decimal(1000),
        target_fiscal_year=2026,
        direction=Direction.UP,
        frequency=Frequency.YEARLY,
        responsible=city,
        updated_by=owner,
    )
    call_command("notify_kpi_due", stdout=StringIO())
    assert kinds_of(owner) and set(kinds_of(editor)) == {NotificationKind.KPI_DUE}
    assert kinds_of(company_editor) == [] and kinds_of(viewer) == []
    count = Notification.objects.count()
    call_command("notify_kpi_due", stdout=StringIO())
    assert Notification.objects.count() == count


def test_the_list_shows_only_my_own_and_opening_one_marks_it_read(
    as_user, worksheet, editor, owner
):
    post_comment(as_user("editor"), worksheet, "先に書きます")
    post_comment(as_user("owner"), worksheet)
    note = Notification.objects.get(recipient=editor)
    assert "山田 花子さんがコメントしました" not in (
        as_user("viewer").get(reverse("notification_list")).content.decode()
    )
    assert as_user("viewer").get(reverse("notification_open", args=[note.pk])).status_code == 404
    client = as_user("editor")
    assert (
        "山田 花子さんがコメントしました"
        in client.get(reverse("notification_list")).content.decode()
    )
    assert "1<span" in client.get(reverse("notification_bell")).content.decode()
    response = client.get(reverse("notification_open", args=[note.pk]))
    assert response["Location"] == note.url
    note.refresh_from_db()
    assert note.read_at is not None
    assert client.get(reverse("notification_bell")).content.decode().strip() == ""


def test_notification_list_query_count_is_pinned(as_user, worksheet, django_assert_num_queries):
    client = as_user("editor")
    client.get(reverse("notification_list"))
    with django_assert_num_queries(3):  # session, user, notifications with their worksheets
        client.get(reverse("notification_list"))


@pytest.fixture
def mailed(settings):
    settings.EMAIL_ENABLED = True
    settings.SITE_URL = "https://sanpuku.example.lg.jp"
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}


def test_digest_sends_one_message_per_person_with_two_kinds(
    mailed, as_user, worksheet, editor, viewer, outsider
):
    editor.email, outsider.email = "suzuki@example.jp", "watanabe@example.jp"
    editor.save(update_fields=["email"])
    outsider.save(update_fields=["email"])
    post_comment(as_user("editor"), worksheet, "先に書きます")
    post_comment(as_user("owner"), worksheet)
    member = Membership.objects.get(worksheet=worksheet, user=editor)
    as_user("owner").post(
        reverse("member_role", args=[worksheet.pk, member.pk]), {"role": "viewer"}
    )
    # An outsider's stray notification (from a worksheet they are not in) is never mailed.
    Notification.objects.create(
        recipient=outsider, kind=NotificationKind.COMMENT, worksheet=worksheet, text="x", url="/"
    )
    out = StringIO()
    call_command("send_digest", stdout=out)
    assert out.getvalue().splitlines() == [
        "editor: 2件（参加したセクションへのコメント・自分の役割の変更）",
        "1人に、合わせて2件のお知らせを送りました。",
    ]
    [message] = mail.outbox
    assert message.to == ["suzuki@example.jp"] and message.subject == "【sanpuku】お知らせ2件"
    assert f"https://sanpuku.example.lg.jp{worksheet.get_absolute_url()}#comments-problem" in (
        message.body
    )
    call_command("send_digest", stdout=StringIO())
    assert len(mail.outbox) == 1  # nothing is mailed twice


def test_digest_leaves_out_kinds_switched_off(mailed, as_user, worksheet, editor):
    editor.email = "suzuki@example.jp"
    editor.digest_off = [NotificationKind.COMMENT]
    editor.save(update_fields=["email", "digest_off"])
    post_comment(as_user("editor"), worksheet, "先に書きます")
    post_comment(as_user("owner"), worksheet)
    call_command("send_digest", stdout=StringIO())
    assert mail.outbox == []


def test_digest_without_mail_configured_sends_nothing(as_user, worksheet):
    out = StringIO()
    call_command("send_digest", stdout=out)
    assert "送りません" in out.getvalue() and mail.outbox == []


def test_settings_switch_a_kind_off(as_user, editor):
    client = as_user("editor")
    page = client.get(reverse("account_settings")).content.decode()
    assert "メールで知らせるお知らせ" in page
    kept = [k for k in NotificationKind.values if k != NotificationKind.KPI_DUE]
    response = client.post(
        reverse("account_settings"),
        {
            "last_name": "鈴木",
            "first_name": "一郎",
            "department": "公共交通担当",
            "email": "suzuki@example.jp",
            "fiscal_year_style": "wareki",
            "digest_kinds": kept,
        },
    )
    assert response.status_code == 302
    editor.refresh_from_db()
    assert editor.digest_off == [NotificationKind.KPI_DUE] and editor.email == "suzuki@example.jp"


def test_bell_query_count_is_pinned(as_user, worksheet, django_assert_num_queries):
    client = as_user("editor")
    client.get(reverse("notification_bell"))
    with django_assert_num_queries(3):  # session, user, the unread count
        client.get(reverse("notification_bell"))
