"""Forms of versions, handovers and project files (worksheets/handover_views.py)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone

from cases import japanese_calendar as jc
from worksheets.inputs import int_or_none
from worksheets.models import User


class SnapshotForm(forms.Form):
    label = forms.CharField(
        label="版の名前",
        max_length=100,
        help_text="例：令和8年度 事業計画の合意版（100文字まで）",
        error_messages={
            "required": "版の名前を入力してください。",
            "max_length": "版の名前は100文字以内にしてください（%(show_value)d文字あります）。",
        },
    )

    def clean_label(self) -> str:
        label: str = self.cleaned_data["label"].strip()
        return label


NO_ORGANIZATION = (
    "所属組織が登録されていないため、後任を指定できません。"
    "管理者に所属組織の登録を依頼してください。"
)


class HandoverForm(forms.Form):
    """From the owner filling it in, to a colleague of the same organisation.

    The successor is posted as an id and checked here, not limited by a ModelChoiceField, so
    that each wrong choice gets its own reason rather than 「正しく選択してください」.
    """

    from_post = forms.CharField(
        label="あなたの所属・役職",
        max_length=200,
        required=False,
        help_text="例：健康福祉部 高齢福祉課 主査",
    )
    to_user = forms.CharField(label="後任の方", widget=forms.Select)
    date = forms.DateField(
        label="引き継ぎ日",
        validators=[jc.DayInRange("引き継ぎ日")],
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={
            "required": "引き継ぎ日を入力してください。",
            "invalid": "引き継ぎ日は 2026-04-01 の形で入力してください。",
        },
    )
    memo = forms.CharField(
        label="引き継ぎ事項（未了の事項・注意点など）",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text="後任の方が最初に知るべきこと：進行中の調整、約束した期限、相手先の窓口など。",
        error_messages={
            "required": "引き継ぎ事項を入力してください。特にない場合は「特になし」と書いてください。",
            "max_length": "引き継ぎ事項は5,000文字以内にしてください（%(show_value)d文字あります）。",
        },
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        # Without an organisation there are no colleagues: filtering by None would offer
        # everyone else who has none, i.e. strangers.
        colleagues = (
            User.objects.filter(organization_id=user.organization_id, is_active=True)
            .exclude(pk=user.pk)
            .order_by("last_name", "first_name", "username")
            if user.organization_id is not None
            else User.objects.none()
        )
        self.fields["to_user"].widget.choices = [("", "選んでください")] + [
            (str(c.pk), f"{c.display_name}{f'（{c.department}）' if c.department else ''}")
            for c in colleagues
        ]
        self.fields["to_user"].help_text = (
            f"同じ組織（{user.organization}）で、利用できるアカウントをお持ちの方から選びます。"
            if user.organization_id is not None
            else NO_ORGANIZATION
        )
        self.fields["to_user"].error_messages["required"] = "後任の方を選んでください。"
        if not self.is_bound:
            self.initial.setdefault("from_post", user.department)
            self.initial.setdefault("date", timezone.localdate().isoformat())

    def clean_to_user(self) -> User:
        if self.user.organization_id is None:
            raise forms.ValidationError(NO_ORGANIZATION)
        value = self.cleaned_data["to_user"]
        pk = int_or_none(value)
        successor = User.objects.filter(pk=pk).first() if pk is not None else None
        if successor is None:
            raise forms.ValidationError("後任の方を一覧から選んでください。")
        if successor.pk == self.user.pk:
            raise forms.ValidationError(
                "ご自身を後任に指定することはできません。引き継ぐ相手の方を選んでください。"
            )
        if successor.organization_id != self.user.organization_id:
            raise forms.ValidationError(
                f"後任に指定できるのは、同じ組織（{self.user.organization}）の方だけです。"
                "他の組織の方には、メンバーの招待で参加していただけます。"
            )
        if not successor.is_active:
            raise forms.ValidationError(
                f"{successor.display_name}さんのアカウントは利用停止中のため、後任に指定できません。"
            )
        return successor
