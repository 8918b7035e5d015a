"""An organisation's portfolio: all of its projects on one page, for its administrators
(and, read-only, for every one of its staff when the organisation decides so).

Every project the organisation leads or one of its staff takes part in, with where it stands:
the self-check level of each side, the process step, the KPI status (the kpis app answers the
kpi_status signal), the next budget deadline of the municipality's own calendar, the last
activity and the handovers still waiting. Printable on A4 landscape; also an .xlsx file.
"""

from __future__ import annotations

import calendar
import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, cast
from unicodedata import east_asian_width

import openpyxl
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST
from openpyxl.styles import Alignment
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet as Tab

from cases import budget as budget_cycle
from cases import japanese_calendar as jc
from cases.models import Audience, BudgetStageKind
from worksheets.access import (
    AuthenticatedHttpRequest,
    require_org_admin,
    require_portfolio_reader,
)
from worksheets.cells import write_cell
from worksheets.models import (
    BudgetStage,
    HandoverStatus,
    Membership,
    Organization,
    OrganizationKind,
    SelfCheck,
    Worksheet,
)
from worksheets.signals import kpi_status

KPI_STATUS_LABELS = {
    "overdue": "測定の期限切れあり",
    "due": "測定の時期",
    "on_track": "予定どおり",
    "": "—",
}


@dataclass
class Deadline:
    stage: str
    budget_year: int
    day: date

    @property
    def text(self) -> str:
        return f"{jc.both_fiscal_year_labels(self.budget_year)}予算の{self.stage}：{jc.both_date_labels(self.day)}まで"


@dataclass
class PortfolioRow:
    worksheet: Worksheet
    leads: bool
    levels: dict[str, int] = field(default_factory=dict)
    kpi: str = ""
    deadline: Deadline | None = None
    pending_handovers: int = 0

    @property
    def level_text(self) -> str:
        welfare = self.levels.get(Audience.WELFARE)
        company = self.levels.get(Audience.COMPANY)
        return (
            f"自治体側 {f'レベル{welfare}' if welfare else '未回答'}／"
            f"企業側 {f'レベル{company}' if company else '未回答'}"
        )

    @property
    def kpi_text(self) -> str:
        return KPI_STATUS_LABELS[self.kpi]

    @property
    def step_text(self) -> str:
        progress = getattr(self.worksheet, "process_progress", None)
        step = progress.current_step if progress else None
        return str(step) if step else "未設定"


def next_deadline(plans: list[budget_cycle.StagePlan], today: date) -> Deadline | None:
    """The stage of the budget cycle that ends next (execution, a whole 年度, aside)."""
    first = jc.fiscal_year(today)
    found: list[Deadline] = []
    for budget_year in (first, first + 1, first + 2):
        for plan in plans:
            if plan.stage == BudgetStageKind.EXECUTION:
                continue
            held_in = budget_year if plan.in_budget_year else budget_year - 1
            month = budget_cycle.month_at(held_in, budget_cycle.fiscal_index(plan.end_month))
            end = month.replace(day=calendar.monthrange(month.year, month.month)[1])
            if end >= today:
                found.append(Deadline(plan.label, budget_year, end))
    return min(found, key=lambda d: d.day) if found else None


def portfolio_rows(organization: Organization, today: date) -> list[PortfolioRow]:
    """The organisation's projects, latest activity first. A fixed number of queries."""
    worksheets = list(
        Worksheet.objects.filter(
            Q(organization=organization) | Q(memberships__user__organization=organization)
        )
        .distinct()
        .select_related("organization", "process_progress__current_step")
        .annotate(
            pending=Count(
                "handovers", filter=Q(handovers__status=HandoverStatus.PENDING), distinct=True
            )
        )
        .order_by("-updated_at", "-pk")
    )
    ids = [ws.pk for ws in worksheets]
    rows = {
        ws.pk: PortfolioRow(
            ws, leads=ws.organization_id == organization.pk, pending_handovers=ws.pending
        )
        for ws in worksheets
    }
    for worksheet_id, side, level in SelfCheck.objects.filter(worksheet_id__in=ids).values_list(
        "worksheet_id", "side", "level"
    ):
        rows[worksheet_id].levels[side] = level
    for _, answer in kpi_status.send(sender=Worksheet, today=today, worksheet_ids=ids):
        for worksheet_id, status in cast(dict[int, str], answer).items():
            rows[worksheet_id].kpi = status
    _add_deadlines(rows, worksheets, today)
    return list(rows.values())


def _add_deadlines(
    rows: dict[int, PortfolioRow], worksheets: Sequence[Worksheet], today: date
) -> None:
    """Each project's municipality (its own organisation, or a member municipality, as the
    budget calendar page reads it) and that municipality's calendar: two queries."""
    municipality: dict[int, int | None] = {
        ws.pk: ws.organization_id if ws.organization.kind == OrganizationKind.MUNICIPALITY else None
        for ws in worksheets
    }
    members = (
        Membership.objects.filter(
            worksheet_id__in=[pk for pk, found in municipality.items() if found is None],
            user__organization__kind=OrganizationKind.MUNICIPALITY,
        )
        .order_by("user__organization_id")
        .values_list("worksheet_id", "user__organization_id")
    )
    for worksheet_id, member_organization_id in members:
        if municipality[worksheet_id] is None:
            municipality[worksheet_id] = member_organization_id
    own: dict[int | None, dict[str, BudgetStage]] = {}
    for stage in BudgetStage.objects.filter(
        organization_id__in={pk for pk in municipality.values() if pk is not None}
    ):
        own.setdefault(stage.organization_id, {})[stage.stage] = stage
    for worksheet_id, organization_id in municipality.items():
        stages = own.get(organization_id, {})
        plans = [
            budget_cycle.StagePlan(
                s.stage, s.start_month, s.end_month, s.in_budget_year, s.what_to_bring
            )
            if (s := stages.get(default.stage))
            else default
            for default in budget_cycle.DEFAULT_CYCLE
        ]
        rows[worksheet_id].deadline = next_deadline(plans, today)


HEADER = [
    "プロジェクト名",
    "対象地域",
    "主担当の組織",
    "取組レベル（セルフチェック）",
    "創出プロセス",
    "KPIの測定",
    "次の予算の節目",
    "最終更新",
    "確認待ちの引き継ぎ",
    "アーカイブ",
]


def _values(row: PortfolioRow) -> list[Any]:
    ws = row.worksheet
    updated: datetime = timezone.localtime(ws.updated_at)
    return [
        ws.title,
        ws.region,
        ws.organization.name,
        row.level_text,
        row.step_text,
        row.kpi_text,
        row.deadline.text if row.deadline else "",
        updated.date(),
        row.pending_handovers,
        "アーカイブ済み" if ws.archived_at else "",
    ]


@login_required
@require_GET
def portfolio(request: AuthenticatedHttpRequest) -> HttpResponse:
    organization = _readable_organization(request)
    today = timezone.localdate()
    rows = portfolio_rows(organization, today)
    context = {"organization": organization, "rows": rows, "today": today}
    return render(request, "worksheets/members/portfolio.html", context)


def _readable_organization(request: AuthenticatedHttpRequest) -> Organization:
    organization_id = require_portfolio_reader(request)
    organization = request.user.organization
    assert organization is not None and organization.pk == organization_id
    return organization


@login_required
@require_POST
def portfolio_audience(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The administrator opens the portfolio to every colleague (read-only), or closes it."""
    organization_id = require_org_admin(request)
    wanted = request.POST.get("for_staff") == "on"
    # Compare-and-set on the state the page showed: a second press after another
    # administrator's says so instead of flipping it back.
    seen = request.POST.get("seen") == "on"
    changed = Organization.objects.filter(pk=organization_id, portfolio_for_staff=seen).update(
        portfolio_for_staff=wanted
    )
    if not changed:
        messages.warning(
            request, "別の管理者の方が先に公開範囲を変更しました。現在の設定を確かめてください。"
        )
    elif wanted:
        messages.success(request, "プロジェクト一覧を職員全員が閲覧できるようにしました。")
    else:
        messages.success(request, "プロジェクト一覧を組織の管理者だけが閲覧できるようにしました。")
    return redirect("org_portfolio")


# Excel's column width counts narrow characters; a full-width one takes two. The widest
# column (a title, the next budget deadline in both calendars) stops at this and wraps.
MAX_COLUMN_WIDTH = 80


def _fit_columns(sheet: Tab) -> None:
    """Each column as wide as its longest cell (the header too), within MAX_COLUMN_WIDTH."""
    for column, cells in enumerate(sheet.iter_cols(), 1):
        longest = max(_shown_width(cell.value) for cell in cells)
        width = min(MAX_COLUMN_WIDTH, max(8, longest + 2))
        sheet.column_dimensions[get_column_letter(column)].width = width
        if longest + 2 > MAX_COLUMN_WIDTH:
            for cell in cells[1:]:
                cell.alignment = Alignment(wrap_text=True, vertical="top")


def _shown_width(value: object) -> int:
    if value is None:
        return 0
    if isinstance(value, date):
        return len("2026-04-01")
    return sum(1 if east_asian_width(c) in "NaH" else 2 for c in str(value))


@login_required
@require_GET
def portfolio_xlsx(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The same table as one Excel table: one header row, one value per cell."""
    organization = _readable_organization(request)
    today = timezone.localdate()
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "プロジェクト一覧"
    for column, title in enumerate(HEADER, 1):
        write_cell(sheet.cell(row=1, column=column), title)
    for number, row in enumerate(portfolio_rows(organization, today), 2):
        for column, value in enumerate(_values(row), 1):
            write_cell(sheet.cell(row=number, column=column), value)
    _fit_columns(sheet)
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    out = io.BytesIO()
    book.save(out)
    response = HttpResponse(
        out.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    filename = f"portfolio-{today:%Y%m%d}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
