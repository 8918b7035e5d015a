"""Comments per section: who may write, one level of replies, resolve and reopen."""

from __future__ import annotations

import pytest
from django.urls import reverse

from worksheets.models import Comment

HX = {"HTTP_HX_REQUEST": "true"}


def post_comment(client, worksheet, body="確認させてください", section="problem", parent=""):
    return client.post(
        reverse("comment_add", args=[worksheet.pk]),
        {"section": section, "body": body, "parent": parent},
        **HX,
    )


@pytest.mark.parametrize("name", ["owner", "editor", "company_editor", "commenter"])
def test_commenters_and_above_comment(as_user, worksheet, name):
    response = post_comment(as_user(name), worksheet)
    assert response.status_code == 200
    assert "確認させてください" in response.content.decode()
    assert Comment.objects.get().section == "problem"


def test_viewer_cannot_comment(as_user, worksheet):
    assert post_comment(as_user("viewer"), worksheet).status_code == 403
    assert not Comment.objects.exists()


def test_outsider_gets_404(as_user, worksheet):
    assert post_comment(as_user("outsider"), worksheet).status_code == 404


def test_commenter_sees_no_edit_controls(as_user, worksheet):
    content = as_user("commenter").get(worksheet.get_absolute_url()).content.decode()
    assert '<textarea class="form-control sheet-textarea' not in content
    assert "コメントする" in content


def test_unknown_section_is_404(as_user, worksheet):
    assert post_comment(as_user("owner"), worksheet, section="x").status_code == 404


def test_a_reply_hangs_under_its_comment_one_level_deep(as_user, worksheet):
    client = as_user("owner")
    post_comment(client, worksheet, "最初")
    first = Comment.objects.get()
    post_comment(client, worksheet, "返信です", parent=first.pk)
    reply = Comment.objects.get(body="返信です")
    assert reply.parent == first
    post_comment(client, worksheet, "返信への返信", parent=reply.pk)
    assert not Comment.objects.filter(body="返信への返信").exists()


@pytest.mark.parametrize("parent", ["²", "9" * 5000])
def test_a_reply_to_a_parent_that_is_no_number_is_refused_not_a_500(as_user, worksheet, parent):
    response = as_user("owner").post(
        reverse("comment_add", args=[worksheet.pk]),
        {"section": "problem", "body": "返信です", "parent": parent},
        follow=True,
    )
    assert response.status_code == 200
    assert "返信先のコメントが見つかりません" in response.content.decode()
    assert not Comment.objects.exists()


def test_empty_comment_is_refused_and_overlong_is_kept(as_user, worksheet):
    client = as_user("owner")
    response = post_comment(client, worksheet, "")
    assert "この欄は必須です" in response.content.decode()
    long_body = "長" * 2001
    response = post_comment(client, worksheet, long_body)
    assert "2,000文字まで" in response.content.decode()
    assert long_body in response.content.decode()
    assert not Comment.objects.exists()


def test_resolve_and_reopen(as_user, worksheet, commenter):
    client = as_user("commenter")
    post_comment(client, worksheet, "要確認")
    comment = Comment.objects.get()
    url = reverse("comment_resolve", args=[worksheet.pk, comment.pk])
    content = client.post(url, {"action": "resolve"}, **HX).content.decode()
    comment.refresh_from_db()
    assert comment.resolved_by == commenter
    assert "解決済み" in content and "再開する" in content
    client.post(url, {"action": "reopen"}, **HX)
    comment.refresh_from_db()
    assert comment.resolved_at is None


def test_viewer_cannot_resolve(as_user, worksheet, owner):
    comment = Comment.objects.create(worksheet=worksheet, section="problem", body="x", author=owner)
    url = reverse("comment_resolve", args=[worksheet.pk, comment.pk])
    assert as_user("viewer").post(url, {"action": "resolve"}).status_code == 403


def test_comments_are_shown_as_literal_text(as_user, worksheet):
    client = as_user("owner")
    post_comment(client, worksheet, "<b>太字</b><script>1</script>")
    page = client.get(worksheet.get_absolute_url()).content.decode()
    assert "&lt;b&gt;太字&lt;/b&gt;" in page and "<script>1</script>" not in page


def test_without_javascript_a_comment_redirects_back(as_user, worksheet):
    response = as_user("owner").post(
        reverse("comment_add", args=[worksheet.pk]), {"section": "risks", "body": "よろしく"}
    )
    assert response.status_code == 302
    assert response["Location"].endswith("#comments-risks")


def test_a_refused_reply_to_a_deleted_comment_keeps_the_typed_text(as_user, worksheet):
    client = as_user("owner")
    post_comment(client, worksheet, "最初")
    first_pk = Comment.objects.get().pk
    Comment.objects.all().delete()
    response = client.post(
        reverse("comment_add", args=[worksheet.pk]),
        {"section": "problem", "body": "消える前に書いた返信", "parent": first_pk},
        HTTP_HX_REQUEST="true",
    )
    content = response.content.decode()
    assert "返信先のコメントが見つかりません" in content
    assert "消える前に書いた返信" in content  # back in the section's comment box
    assert not Comment.objects.exists()


def test_resolving_a_comment_someone_already_resolved_says_so_and_keeps_their_name(
    as_user, worksheet, owner, commenter
):
    comment = Comment.objects.create(
        worksheet=worksheet, section="problem", author=owner, body="運行ルートは？"
    )
    url = reverse("comment_resolve", args=[worksheet.pk, comment.pk])
    as_user("owner").post(url, {"action": "resolve"}, **HX)
    first = Comment.objects.get(pk=comment.pk).resolved_at

    content = as_user("commenter").post(url, {"action": "resolve"}, **HX).content.decode()

    assert "このコメントは、山田 花子さんがすでに解決済みにしています。" in content
    comment.refresh_from_db()
    assert (comment.resolved_by, comment.resolved_at) == (owner, first)


def test_reopening_a_comment_someone_already_reopened_says_so(as_user, worksheet, owner):
    comment = Comment.objects.create(
        worksheet=worksheet, section="problem", author=owner, body="運行ルートは？"
    )
    url = reverse("comment_resolve", args=[worksheet.pk, comment.pk])

    content = as_user("commenter").post(url, {"action": "reopen"}, **HX).content.decode()

    assert "このコメントは、別の方がすでに再開しています。" in content
    assert Comment.objects.get(pk=comment.pk).resolved_at is None
