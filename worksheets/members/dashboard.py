"""The dashboard's search, filters, order and pages: a GET form that works without JavaScript.

Search is a plain `icontains` over the title, the region and the sheet's field texts, with
the words normalised (NFKC: full-width letters and digits, the full-width space) — the same
results on SQLite and PostgreSQL, where full-text search would differ.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import Any, cast

from django import forms
from django.core.paginator import Page, Paginator
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from cases.models import Pattern, ProcessStep, ServiceArea
from worksheets.inputs import int_or_none
from worksheets.models import FieldText, Membership, Organization, Role, User
from worksheets.signals import kpi_status

PER_PAGE = 20

KPI_STATUS_CHOICES = [
    ("", "すべて"),
    ("overdue", "測定の期限切れがある"),
    ("due", "測定の時期が来ている"),
    ("on_track", "予定どおり"),
]
SORT_CHOICES = [("updated", "最終更新が新しい順"), ("title", "プロジェクト名順")]


class DashboardFilterForm(forms.Form):
    q = forms.CharField(
        label="キーワード",
        required=False,
        max_length=100,
        help_text="プロジェクト名・対象地域・ワークシートの記入内容から探します。",
    )
    role = forms.ChoiceField(
        label="あなたの役割", required=False, choices=[("", "すべて"), *Role.choices]
    )
    organization = forms.TypedChoiceField(
        label="主担当の組織", required=False, coerce=int, empty_value=None
    )
    service_area = forms.ChoiceField(
        label="サービス領域", required=False, choices=[("", "すべて"), *ServiceArea.choices]
    )
    pattern = forms.ChoiceField(
        label="創出パターン", required=False, choices=[("", "すべて"), *Pattern.choices]
    )
    step = forms.TypedChoiceField(
        label="創出プロセスの段階", required=False, coerce=int, empty_value=None
    )
    kpi = forms.ChoiceField(label="KPIの測定", required=False, choices=KPI_STATUS_CHOICES)
    sort = forms.ChoiceField(label="並べ順", required=False, choices=SORT_CHOICES)
    archived = forms.BooleanField(label="アーカイブを表示", required=False)

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Only the organisations of my own worksheets: nobody learns of others' projects.
        organizations = Organization.objects.filter(
            pk__in=Membership.objects.filter(user=user).values("worksheet__organization_id")
        ).values_list("pk", "name")
        organization = self.fields["organization"]
        assert isinstance(organization, forms.TypedChoiceField)
        organization.choices = [("", "すべて"), *organizations]
        step = self.fields["step"]
        assert isinstance(step, forms.TypedChoiceField)
        step.choices = [("", "すべて")] + [
            (pk, str(s)) for pk, s in ((s.pk, s) for s in ProcessStep.objects.all())
        ]


def normalised_words(query: str) -> list[str]:
    """The words of a search, NFKC-normalised: 「Ａ圏域　交通」 → ["A圏域", "交通"]."""
    return unicodedata.normalize("NFKC", query).split()


def _full_width(text: str) -> str:
    """ASCII letters, digits and signs as their full-width forms: "A1" → "Ａ１"."""
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in text)


def _variants(word: str) -> set[str]:
    """The forms a word may be stored in: as typed, NFKC, and full-width in either case.

    The stored text is not normalised, so the word is: each form is searched with a plain
    `icontains`, whose ASCII case-folding SQLite and PostgreSQL share; the full-width forms'
    cases are spelt out, since SQLite folds ASCII only.
    """
    plain = unicodedata.normalize("NFKC", word)
    wide = _full_width(plain)
    return {word, plain, wide.upper(), wide.lower()}


def _matches(word: str) -> Q:
    variants = _variants(word)
    found = Q()
    for variant in variants:
        texts = FieldText.objects.filter(worksheet=OuterRef("worksheet"), text__icontains=variant)
        found |= (
            Q(worksheet__title__icontains=variant)
            | Q(worksheet__region__icontains=variant)
            | Q(Exists(texts))
        )
    return found


def my_worksheets(user: User, data: dict[str, Any]) -> QuerySet[Membership]:
    """My memberships that pass the form's cleaned `data`, in its order."""
    rows = Membership.objects.filter(user=user)
    for word in normalised_words(data.get("q") or ""):
        rows = rows.filter(_matches(word))
    if data.get("role"):
        rows = rows.filter(role=data["role"])
    if data.get("organization"):
        rows = rows.filter(worksheet__organization_id=data["organization"])
    if data.get("service_area"):
        rows = rows.filter(worksheet__service_area=data["service_area"])
    if data.get("pattern"):
        rows = rows.filter(worksheet__pattern=data["pattern"])
    if data.get("step"):
        rows = rows.filter(worksheet__process_progress__current_step_id=data["step"])
    if data.get("kpi"):
        rows = rows.filter(worksheet_id__in=_with_kpi_status(user, data["kpi"]))
    if not data.get("archived"):
        rows = rows.filter(worksheet__archived_at=None)
    order = ["worksheet__title", "worksheet__pk"]
    if data.get("sort") != "title":
        order = ["-worksheet__updated_at", "-worksheet__pk"]
    return (
        rows.select_related(
            "worksheet", "worksheet__organization", "worksheet__process_progress__current_step"
        )
        .annotate(member_count=Count("worksheet__memberships"))
        .order_by(*order)
    )


def _with_kpi_status(user: User, wanted: str) -> list[int]:
    """The worksheets whose KPI status (the kpis app answers the signal) is `wanted`."""
    ids: list[int] = []
    for _, answer in kpi_status.send(sender=Membership, user=user, today=timezone.localdate()):
        status = cast(dict[int, str], answer)
        ids += [worksheet_id for worksheet_id, value in status.items() if value == wanted]
    return ids


@dataclass(frozen=True)
class DashboardRow:
    """One row of the page's slice, its links and process step built in Python.

    Rather than looked up by the template: a worksheet without a process step made the
    template's lookup fail (Django then lists the model's attributes to tell a failing property
    from a missing one), and each `{% url %}` costs a tag's argument parsing, per row.
    """

    membership: Membership
    detail_url: str
    copy_url: str  # "" when I may not copy it
    archive_url: str  # "" unless I own it
    step: str  # "" before a process step is chosen


def dashboard_page(
    user: User, params: Any
) -> tuple[DashboardFilterForm, Page[Membership], list[DashboardRow]]:
    """The filter form (bound to the GET parameters), the page it asks for and its rows."""
    form = DashboardFilterForm(params or None, user=user)
    data = form.cleaned_data if form.is_valid() else {}
    paginator = Paginator(my_worksheets(user, data), PER_PAGE)
    # get_page answers the last page for 0 or -1 (an empty page, like one past the end):
    # a number below one is no page at all, so the first page, as for a word.
    number = int_or_none(params.get("page"))
    page = paginator.get_page(number if number is not None and number >= 1 else 1)
    return form, page, [_row(m) for m in page.object_list]


def _row(m: Membership) -> DashboardRow:
    worksheet = m.worksheet
    progress = getattr(worksheet, "process_progress", None)
    step = progress.current_step if progress is not None else None
    return DashboardRow(
        membership=m,
        detail_url=worksheet.get_absolute_url(),
        copy_url=reverse("worksheet_copy", args=[worksheet.pk]) if m.can_edit else "",
        archive_url=reverse("worksheet_archive", args=[worksheet.pk]) if m.is_owner else "",
        step=str(step) if step is not None else "",
    )
