from __future__ import annotations

from typing import Any, cast

from django import forms
from django.contrib.auth.forms import UserCreationForm
from django.db.models import Q, QuerySet

from worksheets.content import WORKSHEET_TEMPLATES
from worksheets.inputs import int_or_none
from worksheets.models import (
    Invitation,
    NotificationKind,
    Organization,
    OrganizationKind,
    Role,
    User,
    Worksheet,
)


class WorksheetForm(forms.ModelForm[Worksheet]):
    class Meta:
        model = Worksheet
        fields = ["title", "region", "service_area", "pattern"]
        help_texts = {
            "title": "例：A圏域・B圏域のデマンド交通",
            "region": "例：〇〇市 A圏域・B圏域",
        }


class WorksheetEditForm(WorksheetForm):
    """The basic information, saved only over the version the owner started from."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.initial.setdefault("version", self.instance.info_version)


class InvitationForm(forms.ModelForm[Invitation]):
    organization = forms.ModelChoiceField(
        label="招待する方の所属組織",
        queryset=Organization.objects.all(),
        required=False,
        empty_label="招待された方が選ぶ（登録済みの組織か、新しい組織）",
        help_text="分かっている場合は選んでください。選ばない場合は、招待された方がアカウントを"
        "作るときに選びます。",
    )

    class Meta:
        model = Invitation
        fields = ["role", "organization", "last_name", "first_name", "email", "note"]
        labels = {"role": "招待する役割"}
        help_texts = {
            "role": "招待を受けた人に与える役割です。",
            "email": "任意です。アカウントを作る画面にあらかじめ入ります。",
            "note": "誰に送った招待かを自分たちで見分けるためのメモです（例：〇〇社 企画部 佐藤様）。",
        }

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        email, organization = data.get("email"), data.get("organization")
        if email and organization:
            elsewhere = User.objects.filter(email__iexact=email).exclude(organization=organization)
            if elsewhere.exists():
                self.add_error(
                    "email",
                    "このメールアドレスは、別の組織のアカウントですでに使われています。"
                    "所属の組織かメールアドレスを確かめてください。",
                )
        return data


class MemberRoleForm(forms.Form):
    role = forms.ChoiceField(label="役割", choices=Role.choices)


class NewWorksheetForm(WorksheetForm):
    template = forms.ChoiceField(label="ひな形", required=False, widget=forms.RadioSelect)

    class Meta(WorksheetForm.Meta):
        fields = ["template", *WorksheetForm.Meta.fields]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["template"]).choices = [("", "白紙から始める")] + [
            (key, f"{t['label']} — {t['description']}") for key, t in WORKSHEET_TEMPLATES.items()
        ]


class AccountSettingsForm(forms.ModelForm[User]):
    digest_kinds = forms.MultipleChoiceField(
        label="メールで知らせるお知らせ",
        choices=NotificationKind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="メールアドレスがあり、この sanpuku がメールを送れる場合に、1日1回まとめてお送りします。"
        "お知らせは、ここで外した種類も画面の「お知らせ」には表示されます。",
    )

    class Meta:
        model = User
        fields = ["last_name", "first_name", "department", "email", "fiscal_year_style"]
        help_texts = {
            "department": "例：健康福祉部 高齢福祉課、公共交通担当、新規事業開発部",
            "email": "パスワードの再設定と、お知らせのメールに使います。",
            "fiscal_year_style": "画面に出る日付と年度（KPIの測定期間など）を、どちらの暦で表示するかを選びます。",
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        off = set(self.instance.digest_off or [])
        self.fields["digest_kinds"].initial = [k for k in NotificationKind.values if k not in off]

    def clean_email(self) -> str:
        email = str(self.cleaned_data.get("email", ""))
        taken = User.objects.filter(email__iexact=email).exclude(pk=self.instance.pk)
        if email and taken.exists():
            raise forms.ValidationError(
                "このメールアドレスは、すでに別のアカウントで使われています。"
            )
        return email

    def save(self, commit: bool = True) -> User:
        chosen = set(self.cleaned_data.get("digest_kinds") or [])
        self.instance.digest_off = [k for k in NotificationKind.values if k not in chosen]
        return super().save(commit)


class SignupForm(UserCreationForm[User]):
    """The invitee's own account: name, department, e-mail, user name and password.

    Django's password validators judge the password (in Japanese), against the name typed too.
    """

    class Meta(UserCreationForm.Meta):
        model = User
        fields = ("last_name", "first_name", "department", "email", "username")
        help_texts = {
            "department": "例：健康福祉部 高齢福祉課、新規事業開発部",
            "email": "任意です。パスワードを忘れたときの再設定に使います。",
            "username": "ログインに使います。半角英数字と @ . + - _ が使えます（150文字まで）。",
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["last_name"].required = True
        self.fields["first_name"].required = True
        self.fields["username"].widget.attrs.pop("autofocus", None)
        self.fields["password1"].label = "パスワード"
        self.fields["password2"].label = "パスワード（確認）"

    def clean_email(self) -> str:
        email: str = self.cleaned_data.get("email", "")
        if email and User.objects.filter(email__iexact=email).exists():
            raise forms.ValidationError(
                "このメールアドレスは、すでに別のアカウントで使われています。"
                "アカウントをお持ちの場合は「ログインして参加」からお進みください。"
            )
        return email


class OrganizationChoice:
    EXISTING = "existing"
    NEW = "new"
    CHOICES = [(EXISTING, "登録済みの組織から選ぶ"), (NEW, "新しい組織を登録する")]


class InviteeOrganizationForm(forms.Form):
    """Where an invitee whose invitation names no organisation belongs.

    An existing organisation is found by name and kind (the search narrows the list it offers),
    or a new one is registered. A new name that is already taken, under any kind, is refused:
    the person should choose the registered one, not create a near-duplicate.

    A registered 自治体 cannot be chosen here: belonging to a municipality lets its staff set its
    budget calendar and be managed by its administrator, so only someone who vouches for the
    person (the inviter naming it, or the municipality's administrator) places them there.
    """

    SHOWN = 30

    choice = forms.ChoiceField(
        label="所属組織",
        choices=OrganizationChoice.CHOICES,
        widget=forms.RadioSelect,
        initial=OrganizationChoice.EXISTING,
    )
    query = forms.CharField(label="組織名で探す", required=False, max_length=100)
    query_kind = forms.ChoiceField(
        label="種別で絞り込む",
        required=False,
        choices=[
            ("", "すべての種別"),
            *[
                (k, label)
                for k, label in OrganizationKind.choices
                if k != OrganizationKind.MUNICIPALITY
            ],
        ],
    )
    existing = forms.ModelChoiceField(
        label="登録済みの組織",
        queryset=Organization.objects.none(),
        required=False,
        empty_label="選択してください",
        help_text="自治体の職員として参加する場合は、招待した方に所属の自治体を指定した招待リンクを"
        "依頼するか、自治体の組織の管理者にアカウントの作成を依頼してください。",
    )
    kind = forms.ChoiceField(
        label="新しい組織の種別", required=False, choices=OrganizationKind.choices
    )
    name = forms.CharField(label="新しい組織の名称", required=False, max_length=100)
    prefecture = forms.CharField(
        label="都道府県", required=False, max_length=10, help_text="自治体の場合は必須です。"
    )
    municipality = forms.CharField(
        label="市区町村", required=False, max_length=50, help_text="自治体の場合は必須です。"
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        kind = cast(forms.ChoiceField, self.fields["kind"])
        kind.choices = [("", "選択してください"), *OrganizationKind.choices]
        existing = cast(forms.ModelChoiceField[Organization], self.fields["existing"])
        existing.queryset = self.matching_organizations()

    def _typed(self, name: str) -> str:
        # A search re-shows the form unbound (no errors yet) with what was typed as initial.
        source = self.data if self.is_bound else self.initial
        return str(source.get(name) or "").strip()

    def matching_organizations(self) -> QuerySet[Organization]:
        query, kind = self._typed("query"), self._typed("query_kind")
        organizations = Organization.objects.exclude(kind=OrganizationKind.MUNICIPALITY).order_by(
            "kind", "name"
        )
        if query:
            organizations = organizations.filter(
                Q(name__icontains=query) | Q(municipality__icontains=query)
            )
        if kind:
            organizations = organizations.filter(kind=kind)
        chosen = self._typed("existing")
        shown = list(organizations.values_list("pk", flat=True)[: self.SHOWN])
        # The one already chosen stays selectable when a new search would hide it.
        chosen_id = int_or_none(chosen)
        ids = shown if chosen_id is None else [*shown, chosen_id]
        return (
            Organization.objects.filter(pk__in=ids)
            .exclude(kind=OrganizationKind.MUNICIPALITY)
            .order_by("kind", "name")
        )

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if data.get("choice") == OrganizationChoice.EXISTING:
            if not data.get("existing"):
                self.add_error("existing", "所属の組織を選んでください。")
            return data
        if not data.get("kind"):
            self.add_error("kind", "新しい組織の種別を選んでください。")
        name = (data.get("name") or "").strip()
        if not name:
            self.add_error("name", "新しい組織の名称を入力してください。")
        elif taken := Organization.objects.filter(name=name).first():
            self.add_error(
                "name",
                f"「{name}」は「{taken.get_kind_display()}」としてすでに登録されています。"
                "「登録済みの組織から選ぶ」で選んでください。",
            )
        if data.get("kind") == OrganizationKind.MUNICIPALITY:
            for key, label in [("prefecture", "都道府県"), ("municipality", "市区町村")]:
                if not data.get(key):
                    self.add_error(key, f"自治体の場合は{label}を入力してください。")
        return data

    def organization(self) -> Organization:
        """The chosen organisation, or the new one saved: call inside the sign-up transaction."""
        if self.cleaned_data["choice"] == OrganizationChoice.EXISTING:
            existing: Organization = self.cleaned_data["existing"]
            return existing
        return Organization.objects.create(
            kind=self.cleaned_data["kind"],
            name=self.cleaned_data["name"].strip(),
            prefecture=self.cleaned_data["prefecture"],
            municipality=self.cleaned_data["municipality"],
        )


class ColleagueForm(forms.ModelForm[User]):
    """A new account in the administrator's own organisation; its owner sets the password."""

    class Meta:
        model = User
        fields = ("last_name", "first_name", "department", "email", "username")
        help_texts = {
            "email": "任意です。",
            "username": "ログインに使います。半角英数字と @ . + - _ が使えます（150文字まで）。",
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["last_name"].required = True
        self.fields["first_name"].required = True

    def clean_username(self) -> str:
        username = str(self.cleaned_data.get("username", ""))
        if User.objects.filter(username__iexact=username).exists():
            raise forms.ValidationError("同じユーザー名が既に登録済みです。")
        return username

    def clean_email(self) -> str:
        email = str(self.cleaned_data.get("email", ""))
        if email and User.objects.filter(email__iexact=email).exists():
            raise forms.ValidationError(
                "このメールアドレスは、すでに別のアカウントで使われています。"
            )
        return email


class ColleagueChoiceField(forms.ModelChoiceField[User]):
    """A colleague by name, with the department where one is given."""

    def label_from_instance(self, obj: User) -> str:
        return f"{obj.display_name}（{obj.department}）" if obj.department else obj.display_name


class TransferForm(forms.Form):
    successor = ColleagueChoiceField(
        label="後任者", queryset=User.objects.none(), empty_label="選択してください"
    )

    def __init__(self, *args: Any, departing: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast(ColleagueChoiceField, self.fields["successor"])
        # Only active colleagues of the same organisation: the post stays with the organisation.
        field.queryset = (
            User.objects.filter(organization=departing.organization, is_active=True)
            .exclude(pk=departing.pk)
            .order_by("last_name", "first_name", "username")
        )
