"""Someone without an account opens an invitation, creates one and joins, in one step."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.conftest import make_user
from worksheets.models import Invitation, Membership, Organization, OrganizationKind, Role, User

NEW_PASSWORD = "kyousou-2026-haru"


def signup_data(**overrides) -> dict[str, str]:
    data = {
        "last_name": "中村",
        "first_name": "陽子",
        "department": "地域連携室",
        "email": "nakamura@example.jp",
        "username": "nakamura",
        "password1": NEW_PASSWORD,
        "password2": NEW_PASSWORD,
        "choice": "new",
        "kind": OrganizationKind.COMPANY,
        "name": "ウエルシア薬局",
    }
    return {**data, **overrides}


@pytest.fixture
def invitation(worksheet, owner) -> Invitation:
    return Invitation.objects.create(worksheet=worksheet, role=Role.EDITOR, created_by=owner)


def signup(client, invitation, **overrides):
    return client.post(
        reverse("invitation_signup", args=[invitation.token]), signup_data(**overrides)
    )


def nothing_created(invitation: Invitation) -> bool:
    invitation.refresh_from_db()
    return (
        not User.objects.filter(username="nakamura").exists()
        and not Organization.objects.filter(name="ウエルシア薬局").exists()
        and invitation.accepted_at is None
    )


def test_invitee_creates_an_account_with_a_new_company_and_lands_on_the_worksheet(
    client, invitation, worksheet
):
    response = signup(client, invitation)
    assert response.status_code == 302
    assert response["Location"] == worksheet.get_absolute_url()
    user = User.objects.get(username="nakamura")
    assert (user.last_name, user.first_name, user.department) == ("中村", "陽子", "地域連携室")
    assert user.organization.name == "ウエルシア薬局"
    assert user.organization.kind == OrganizationKind.COMPANY
    assert user.check_password(NEW_PASSWORD)
    assert Membership.objects.get(worksheet=worksheet, user=user).role == Role.EDITOR
    invitation.refresh_from_db()
    assert invitation.accepted_by == user
    assert client.session["_auth_user_id"] == str(user.pk)


def test_the_link_is_used_afterwards_and_a_second_person_gets_410(client, invitation):
    signup(client, invitation)
    client.logout()
    response = signup(client, invitation, username="other", email="", name="別の会社")
    assert response.status_code == 410
    assert "すでに使われています" in response.content.decode()
    assert not User.objects.filter(username="other").exists()
    assert not Organization.objects.filter(name="別の会社").exists()


def test_invitee_joins_an_existing_organisation(client, invitation, company):
    response = signup(client, invitation, choice="existing", existing=str(company.pk), name="")
    assert response.status_code == 302
    assert User.objects.get(username="nakamura").organization == company


def test_an_invitation_that_names_the_organisation_and_person_fills_them_in(
    client, worksheet, owner, center
):
    invitation = Invitation.objects.create(
        worksheet=worksheet,
        created_by=owner,
        role=Role.COMMENTER,
        organization=center,
        last_name="中村",
        first_name="陽子",
        email="nakamura@example.jp",
    )
    page = client.get(invitation.get_absolute_url()).content.decode()
    assert "中部地域包括支援センター（地域包括支援センター）として参加します" in page
    assert 'value="中村"' in page and 'value="nakamura@example.jp"' in page
    assert "新しい組織を登録する" not in page
    response = signup(client, invitation, choice="", kind="", name="")
    assert response.status_code == 302
    user = User.objects.get(username="nakamura")
    assert user.organization == center
    assert Membership.objects.get(worksheet=worksheet, user=user).role == Role.COMMENTER


def test_a_new_municipality_needs_its_prefecture_and_municipality(client, invitation):
    response = signup(client, invitation, kind=OrganizationKind.MUNICIPALITY, name="王寺町")
    assert response.status_code == 400
    content = response.content.decode()
    assert "自治体の場合は都道府県を入力してください。" in content
    assert not Organization.objects.filter(name="王寺町").exists()
    response = signup(
        client,
        invitation,
        kind=OrganizationKind.MUNICIPALITY,
        name="王寺町",
        prefecture="奈良県",
        municipality="王寺町",
    )
    assert response.status_code == 302
    assert Organization.objects.get(name="王寺町").prefecture == "奈良県"


def test_a_taken_user_name_is_refused_with_the_input_kept(client, invitation, owner):
    response = signup(client, invitation, username="owner")
    assert response.status_code == 400
    content = response.content.decode()
    assert "同じユーザー名が既に登録済みです。" in content
    assert 'value="地域連携室"' in content and 'value="ウエルシア薬局"' in content
    assert nothing_created(invitation)


def test_a_weak_password_is_refused_in_japanese(client, invitation):
    response = signup(client, invitation, password1="12345678", password2="12345678")
    assert response.status_code == 400
    content = response.content.decode()
    assert "このパスワードは一般的すぎます。" in content
    assert "数字しか使われていません" in content
    assert 'value="中村"' in content
    assert nothing_created(invitation)


def test_an_email_already_in_use_is_refused(client, invitation, company):
    make_user("someone", company, email="Nakamura@example.jp")
    response = signup(client, invitation)
    assert response.status_code == 400
    assert "このメールアドレスは、すでに別のアカウントで使われています。" in (
        response.content.decode()
    )
    assert nothing_created(invitation)


def test_an_organisation_name_that_exists_with_another_kind_is_refused(client, invitation, company):
    response = signup(client, invitation, kind=OrganizationKind.OTHER, name="アイシン")
    assert response.status_code == 400
    content = response.content.decode()
    assert "「アイシン」は「民間企業」としてすでに登録されています。" in content
    assert Organization.objects.filter(name="アイシン").count() == 1
    assert not User.objects.filter(username="nakamura").exists()


def test_searching_organisations_keeps_what_was_typed_and_shows_no_errors(
    client, invitation, company, center
):
    response = signup(
        client,
        invitation,
        search="1",
        choice="existing",
        query="包括",
        query_kind="",
        username="",
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert "中部地域包括支援センター" in content
    assert f'<option value="{company.pk}"' not in content
    assert 'value="中村"' in content and "この欄は必須です" not in content
    assert nothing_created(invitation)


def test_search_narrows_by_kind(client, invitation, company, center):
    content = signup(
        client, invitation, search="1", query="", query_kind=OrganizationKind.COMPANY
    ).content.decode()
    assert f'<option value="{company.pk}"' in content
    assert f'<option value="{center.pk}"' not in content


def test_an_expired_or_revoked_link_creates_nothing(client, invitation):
    Invitation.objects.filter(pk=invitation.pk).update(revoked_at="2026-01-01T00:00:00Z")
    response = signup(client, invitation)
    assert response.status_code == 410
    assert nothing_created(invitation)


def test_a_logged_in_member_posting_the_signup_goes_to_the_invitation(as_user, invitation):
    response = signup(as_user("outsider"), invitation)
    assert response.status_code == 302
    assert response["Location"] == invitation.get_absolute_url()
    assert nothing_created(invitation)


def test_login_page_from_an_invitation_says_so_and_links_to_the_guide(client, invitation):
    url = f"{reverse('login')}?next={invitation.get_absolute_url()}"
    content = client.get(url).content.decode()
    assert "「A圏域・B圏域のデマンド交通」への招待（山田 花子さんから）からお越しです" in content
    assert reverse("guide_home") in content


def test_plain_login_page_mentions_no_invitation_but_links_to_the_guide(client, db):
    content = client.get(reverse("login")).content.decode()
    assert "からお越しです" not in content
    assert reverse("guide_home") in content


def test_owner_invites_naming_the_person_and_organisation(as_user, worksheet, company):
    response = as_user("owner").post(
        reverse("invitation_create", args=[worksheet.pk]),
        {
            "role": Role.EDITOR,
            "organization": str(company.pk),
            "last_name": "中村",
            "first_name": "陽子",
            "email": "nakamura@example.jp",
            "note": "",
        },
    )
    assert response.status_code == 302
    invitation = Invitation.objects.get(worksheet=worksheet)
    assert (invitation.organization, invitation.invitee_name) == (company, "中村 陽子")


def test_an_invitation_for_an_email_used_in_another_organisation_is_refused(
    as_user, worksheet, company, center
):
    make_user("someone", center, email="nakamura@example.jp")
    response = as_user("owner").post(
        reverse("invitation_create", args=[worksheet.pk]),
        {"role": Role.EDITOR, "organization": str(company.pk), "email": "nakamura@example.jp"},
    )
    assert response.status_code == 400
    content = response.content.decode()
    assert "別の組織のアカウントですでに使われています" in content
    assert 'value="nakamura@example.jp"' in content
    assert not Invitation.objects.filter(worksheet=worksheet).exists()


def test_invitation_list_shows_expiry_and_a_copy_button(as_user, worksheet, invitation):
    content = as_user("owner").get(reverse("members", args=[worksheet.pk])).content.decode()
    assert "有効期限" in content
    assert f'data-copy="invitation-link-{invitation.pk}"' in content
    assert "js/copy.js" in content


def test_a_registered_municipality_cannot_be_chosen_by_the_invitee(client, invitation, city):
    page = client.get(invitation.get_absolute_url()).content.decode()
    assert f'<option value="{city.pk}"' not in page
    response = signup(client, invitation, choice="existing", existing=str(city.pk), name="")
    assert response.status_code == 400
    assert "正しく選択してください" in response.content.decode()
    assert nothing_created(invitation)


def test_a_user_name_taken_at_the_same_moment_creates_nothing_and_keeps_the_input(
    client, invitation, owner, monkeypatch
):
    from worksheets.members.forms import SignupForm

    # As if "owner" had been registered between the form's check and the INSERT.
    monkeypatch.setattr(SignupForm, "clean_username", lambda form: form.cleaned_data["username"])
    monkeypatch.setattr(SignupForm, "validate_unique", lambda form: None)
    response = signup(client, invitation, username="owner")
    assert response.status_code == 409
    content = response.content.decode()
    assert "いま別の方によって登録されました" in content and 'value="ウエルシア薬局"' in content
    assert not Organization.objects.filter(name="ウエルシア薬局").exists()
    invitation.refresh_from_db()
    assert invitation.accepted_at is None


def test_the_organisation_list_follows_the_search_as_a_fragment(
    client, invitation, company, center
):
    url = reverse("invitation_organizations", args=[invitation.token])
    content = client.get(url, {"query": "包括", "query_kind": ""}, **{"HTTP_HX_REQUEST": "true"})
    text = content.content.decode()
    assert f'<option value="{center.pk}"' in text and f'<option value="{company.pk}"' not in text
    assert "<html" not in text


def test_the_organisation_fragment_of_a_used_link_is_404(client, invitation):
    Invitation.objects.filter(pk=invitation.pk).update(revoked_at="2026-01-01T00:00:00Z")
    url = reverse("invitation_organizations", args=[invitation.token])
    assert client.get(url, {"query": "x"}).status_code == 404


def test_the_organisation_fragment_query_count_is_pinned(
    client, invitation, company, center, django_assert_num_queries
):
    url = reverse("invitation_organizations", args=[invitation.token])
    # the invitation, whether its creator is still an owner, the organisations one may not
    # pick, the organisations found
    with django_assert_num_queries(4):
        client.get(url, {"query": "包括", "query_kind": ""}, headers={"HX-Request": "true"})


@pytest.mark.parametrize("sent", ["²", "1" * 4400])
def test_an_existing_organisation_that_is_no_number_is_refused_on_the_page(
    client, invitation, sent
):
    """`str.isdigit()` took 「²」 and 4,400 digits, which int() refuses: a 500 before."""
    response = signup(client, invitation, choice="existing", existing=sent, name="")
    assert response.status_code == 400
    assert "正しく選択してください" in response.content.decode()
    assert nothing_created(invitation)
