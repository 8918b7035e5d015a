from __future__ import annotations

from typing import Any

from django import forms

from worksheets.fields import FIELD_MAX_LENGTH
from worksheets.models import Comment, Exchange, Risk, Stakeholder, StakeholderRole


class FieldForm(forms.Form):
    """One text field of the sheet, with the version it was loaded at."""

    text = forms.CharField(
        required=False,
        max_length=FIELD_MAX_LENGTH,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "max_length": "この欄は%(limit_value)s文字までです（現在%(show_value)s文字）。"
            "入力した内容はそのまま残しています。"
        },
    )
    version = forms.IntegerField(
        min_value=0,
        widget=forms.HiddenInput,
        error_messages={
            key: "この画面が覚えている欄の版が読み取れないため、保存しませんでした。"
            "入力した内容はそのまま残しています。内容を控えてから、ページを再読み込みしてください。"
            for key in ("required", "invalid", "min_value")
        },
    )
    # The box holds the writer's own words of that version, not its merge with others' words
    # (worksheets/sheet/writes.py save_field).
    own = forms.BooleanField(required=False, widget=forms.HiddenInput)


class ItemVersionForm(forms.Form):
    version = forms.IntegerField(min_value=0, widget=forms.HiddenInput)


class StakeholderForm(forms.ModelForm[Stakeholder]):
    class Meta:
        model = Stakeholder
        fields = ["name"]


class StakeholderRoleForm(forms.ModelForm[StakeholderRole]):
    class Meta:
        model = StakeholderRole
        fields = ["role"]


class ExchangeForm(forms.ModelForm[Exchange]):
    class Meta:
        model = Exchange
        fields = ["from_party", "to_party", "what"]

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if data.get("from_party") and data.get("from_party") == data.get("to_party"):
            raise forms.ValidationError("提供する側と受け取る側には、異なる主体を選んでください。")
        return data

    def validate_constraints(self) -> None:
        """The model's one check (two different parties) is clean()'s: no query asks it again."""


class RiskForm(forms.ModelForm[Risk]):
    class Meta:
        model = Risk
        fields = ["description", "mitigation", "owner", "status"]


# Each form edits its own kind of item: ModelForm is invariant in its model, hence Any.
ITEM_FORMS: dict[str, type[forms.ModelForm[Any]]] = {
    "stakeholder": StakeholderForm,
    "role": StakeholderRoleForm,
    "exchange": ExchangeForm,
    "risk": RiskForm,
}


class CommentForm(forms.ModelForm[Comment]):
    class Meta:
        model = Comment
        fields = ["body"]
        widgets = {"body": forms.Textarea(attrs={"rows": 2})}
        error_messages = {
            "body": {
                "max_length": "コメントは2,000文字までです。入力した内容はそのまま残しています。"
            }
        }
