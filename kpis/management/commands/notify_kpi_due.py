"""Tells the people who enter a KPI's values when a measurement is due or overdue (daily, cron).

Who: the worksheet's owners and editors; where the KPI names the organisation that measures it,
only those of that organisation. Each KPI period and state is told once (a notification key),
so running it every day adds nothing until something new falls due.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.db.models import Prefetch
from django.urls import reverse
from django.utils import timezone

from cases.templatetags.japanese_dates import jdate
from kpis.models import Kpi, Measurement
from kpis.periods import Frequency, due_periods
from kpis.section import MEASUREMENT_ORDER
from worksheets.models import Membership, NotificationKind, Role
from worksheets.notices import notify


class Command(BaseCommand):
    help = "KPIの測定値の入力期限が来た・過ぎたことを、担当の方のお知らせに加えます。"

    def handle(self, *args: Any, **options: Any) -> None:
        today = timezone.localdate()
        added = 0
        kpis = (
            Kpi.objects.exclude(frequency=Frequency.AD_HOC)
            .select_related("worksheet")
            .prefetch_related(
                Prefetch("measurements", queryset=Measurement.objects.order_by(*MEASUREMENT_ORDER))
            )
            .order_by("pk")
        )
        for kpi in kpis:
            taken = {m.period for m in kpi.measurements.all()}
            due = due_periods(kpi.frequency, kpi.first_day, kpi.target_end, taken, today)
            if not due:
                continue
            enterers = Membership.objects.filter(
                worksheet=kpi.worksheet, role__in=[Role.OWNER, Role.EDITOR]
            )
            if kpi.responsible_id:
                enterers = enterers.filter(user__organization_id=kpi.responsible_id)
            people = list(enterers.values_list("user_id", flat=True))
            for item in due:
                state = "overdue" if item.overdue else "due"
                when = (
                    f"入力期限（{jdate(item.deadline)}）を過ぎています"
                    if item.overdue
                    else f"入力を待っています（期限：{jdate(item.deadline)}）"
                )
                added += notify(
                    people,
                    NotificationKind.KPI_DUE,
                    kpi.worksheet,
                    f"「{kpi.worksheet.title}」のKPI「{kpi.name}」の{item.period.label()}の"
                    f"測定値が{when}。",
                    reverse("kpi_monitoring", args=[kpi.worksheet_id]),
                    key=f"kpi:{kpi.pk}:{item.period.kind}:{item.period.start}:{state}",
                )
        self.stdout.write(f"KPIの入力期限のお知らせを{added}件加えました。")
