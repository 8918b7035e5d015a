"""Forms of the guide inside a project: self-check, checklist, tracker, budget cycle."""

from __future__ import annotations

from typing import Any

from django import forms

from cases.budget import fiscal_index
from cases.models import ProcessStep
from cases.selfcheck import NO, YES, Question
from worksheets.models import ChecklistState, ProcessActivity, web_url


class SelfCheckForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0, initial=0)

    def __init__(self, *args: Any, questions: list[Question], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.questions = questions
        for question in questions:
            self.fields[question.key] = forms.ChoiceField(
                label=f"問{question.number}　{question.text}",
                choices=[(YES, "はい"), (NO, "いいえ")],
                widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
                error_messages={
                    "required": "この問いにまだ答えていません。",
                    "invalid_choice": "「はい」か「いいえ」を選んでください。",
                },
            )

    def question_fields(self) -> list[tuple[Question, forms.BoundField]]:
        return [(question, self[question.key]) for question in self.questions]

    def missing_questions(self) -> list[Question]:
        return [q for q in self.questions if q.key in self.errors]

    def answers(self) -> dict[str, str]:
        return {q.key: self.cleaned_data[q.key] for q in self.questions}


class WebURLField(forms.URLField):
    """Only http and https: an evidence link is opened by colleagues, never a javascript: URL."""

    default_validators = [web_url]
    default_error_messages = {"invalid": web_url.message}


class ChecklistItemForm(forms.Form):
    state = forms.ChoiceField(label="状況", choices=ChecklistState.choices)
    note = forms.CharField(
        label="メモ",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    evidence_url = WebURLField(
        label="根拠資料のURL",
        required=False,
        max_length=500,
        assume_scheme="https",
        help_text="議事録や資料の置き場所など（http:// または https://）",
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0, initial=0)


class CurrentStepForm(forms.Form):
    current_step = forms.ModelChoiceField(
        label="現在の段階",
        queryset=ProcessStep.objects.all(),
        required=False,
        empty_label="未設定",
    )
    # The version of the progress the editor saw; 0 while the project has none.
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0, initial=0)


class ProcessActivityForm(forms.ModelForm[ProcessActivity]):
    # The version the editor started from; only the create form goes without it.
    version = forms.IntegerField(min_value=0, required=False, widget=forms.HiddenInput)

    class Meta:
        model = ProcessActivity
        fields = ["step", "date", "lane", "department", "text"]
        widgets = {
            "date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "text": forms.Textarea(attrs={"rows": 2}),
        }
        help_texts = {"department": "自治体の取組なら担当部署（例：健康福祉部、公共交通担当）"}


class BudgetStageForm(forms.Form):
    start_month = forms.TypedChoiceField(
        label="開始月", coerce=int, choices=[(m, f"{m}月") for m in (*range(4, 13), 1, 2, 3)]
    )
    end_month = forms.TypedChoiceField(
        label="終了月", coerce=int, choices=[(m, f"{m}月") for m in (*range(4, 13), 1, 2, 3)]
    )
    in_budget_year = forms.TypedChoiceField(
        label="時期",
        coerce=lambda value: value == "1",
        choices=[("0", "予算の前年度"), ("1", "予算の年度中")],
    )
    what_to_bring = forms.CharField(
        label="この時期に持っていくもの・すること",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    # The stage's version when the form was opened; 0 while it follows the default.
    version = forms.IntegerField(min_value=0, required=False, widget=forms.HiddenInput)

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        start, end = data.get("start_month"), data.get("end_month")
        if start and end and fiscal_index(end) < fiscal_index(start):
            raise forms.ValidationError(
                "終了月が開始月より前になっています。年度は4月に始まり3月に終わります。"
            )
        return data
