from __future__ import annotations

from collections.abc import Iterable
from typing import Any, cast

from django import forms

from cases.models import Audience, Pattern, ProcessStep, ServiceArea

SEARCH_MAX_LENGTH = 200


class CaseFilterForm(forms.Form):
    """The case library's search and filters; every field may be left empty."""

    q = forms.CharField(
        label="キーワード",
        required=False,
        max_length=SEARCH_MAX_LENGTH,
        error_messages={
            "max_length": f"キーワードは{SEARCH_MAX_LENGTH}文字以内で入力してください"
            "（%(show_value)d文字入力されています）。"
        },
        help_text="例：移動、見守り、介護予防。空白で区切ると、すべてを含む事例を探します。",
    )
    area = forms.ChoiceField(
        label="サービス領域", required=False, choices=[("", "すべて"), *ServiceArea.choices]
    )
    pattern = forms.ChoiceField(
        label="パターン", required=False, choices=[("", "すべて"), *Pattern.choices]
    )
    step = forms.TypedChoiceField(
        label="創出プロセスの段階", required=False, coerce=int, empty_value=None
    )
    audience = forms.ChoiceField(
        label="ポイントの対象",
        required=False,
        choices=[("", "すべて"), *Audience.choices],
        help_text="その立場のポイントが示されている事例に絞ります。",
    )

    def __init__(self, *args: Any, steps: Iterable[ProcessStep] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # self.fields holds the declared field (a copy): a TypedChoiceField, typed as any Field.
        cast(forms.TypedChoiceField, self.fields["step"]).choices = [("", "すべて")] + [
            (step.number, str(step)) for step in steps
        ]
