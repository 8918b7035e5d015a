from __future__ import annotations

from django import forms

from worksheets.models import Invitation, Role, Worksheet


class WorksheetForm(forms.ModelForm):
    class Meta:
        model = Worksheet
        fields = ["title", "region", "service_area", "pattern"]
        help_texts = {
            "title": "例：A圏域・B圏域のデマンド交通",
            "region": "例：〇〇市 A圏域・B圏域",
        }


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
