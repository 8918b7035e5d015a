from __future__ import annotations

from django import forms

from worksheets.content import WORKSHEET_TEMPLATES
from worksheets.models import Invitation, Role, User, Worksheet


class WorksheetForm(forms.ModelForm):
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

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.initial.setdefault("version", self.instance.info_version)


class InvitationForm(forms.ModelForm):
    class Meta:
        model = Invitation
        fields = ["role", "note"]
        labels = {"role": "招待する役割"}
        help_texts = {
            "role": "招待を受けた人に与える役割です。",
            "note": "誰に送った招待かを自分たちで見分けるためのメモです（例：〇〇社 企画部 佐藤様）。",
        }


class MemberRoleForm(forms.Form):
    role = forms.ChoiceField(label="役割", choices=Role.choices)


class NewWorksheetForm(WorksheetForm):
    template = forms.ChoiceField(label="ひな形", required=False, widget=forms.RadioSelect)

    class Meta(WorksheetForm.Meta):
        fields = ["template", *WorksheetForm.Meta.fields]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["template"].choices = [("", "白紙から始める")] + [
            (key, f"{t['label']} — {t['description']}") for key, t in WORKSHEET_TEMPLATES.items()
        ]


class AccountSettingsForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["last_name", "first_name", "department", "fiscal_year_style"]
        help_texts = {
            "department": "例：健康福祉部 高齢福祉課、公共交通担当、新規事業開発部",
            "fiscal_year_style": "KPIの測定期間などの年度を、どちらの書き方で表示するかを選びます。",
        }
