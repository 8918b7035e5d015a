"""A project with something in every part, for the snapshot, handover and export tests."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.utils import timezone

from cases.models import Checkpoint, ProcessStep
from cases.selfcheck import questions_for
from kpis.models import Direction, EffectNote, Kpi, KpiGroup, Measurement, MeasurementEvidence
from kpis.periods import Frequency, PeriodKind
from worksheets.models import (
    ChecklistItem,
    Comment,
    ProcessActivity,
    ProcessProgress,
    SelfCheck,
    Worksheet,
)
from worksheets.sheet.writes import ITEM_KINDS, add_item, save_field, save_item


def fill_worksheet(worksheet: Worksheet, owner, editor, company_editor, city) -> dict:
    """Fields, lists, comments, KPIs with measurements, effects, self-check, checklist, steps.

    Written through the sheet's own functions, so the history is real too.
    """
    save_field(worksheet, "persona", "A圏域に住む、免許を返納した80代の独居高齢者", 0, owner)
    save_field(worksheet, "problem", "通院や買い物の移動手段がない", 0, editor)
    save_field(worksheet, "activity", "予約制の乗合送迎\n停留所は自治会と決める", 0, company_editor)
    bus = add_item(worksheet, ITEM_KINDS["stakeholder"], worksheet, {"name": "交通事業者"}, owner)
    add_item(worksheet, ITEM_KINDS["role"], bus, {"role": "運行"}, owner)
    add_item(worksheet, ITEM_KINDS["role"], bus, {"role": "予約受付"}, owner)
    council = add_item(worksheet, ITEM_KINDS["stakeholder"], worksheet, {"name": "自治会"}, editor)
    add_item(worksheet, ITEM_KINDS["role"], council, {"role": "停留所の提案"}, editor)
    fee = add_item(
        worksheet,
        ITEM_KINDS["exchange"],
        worksheet,
        {"from_party": "user", "to_party": "business", "what": "利用料"},
        owner,
    )
    save_item(
        worksheet,
        ITEM_KINDS["exchange"],
        fee.pk,
        {"from_party": "user", "to_party": "business", "what": "利用料（1回300円）"},
        1,
        owner,
    )
    add_item(
        worksheet,
        ITEM_KINDS["exchange"],
        worksheet,
        {"from_party": "region", "to_party": "business", "what": "ニーズ情報・財政的支援"},
        owner,
    )
    add_item(
        worksheet,
        ITEM_KINDS["risk"],
        worksheet,
        {
            "description": "民業圧迫にならないための棲み分け",
            "mitigation": "タクシー協会と協議",
            "owner": "公共交通担当",
            "status": "in_progress",
        },
        editor,
    )
    question = Comment.objects.create(
        worksheet=worksheet, section="problem", author=editor, body="通院先の一覧はありますか？"
    )
    Comment.objects.create(
        worksheet=worksheet,
        section="problem",
        parent=question,
        author=owner,
        body="地域包括支援センターに確認します。",
    )
    Comment.objects.create(
        worksheet=worksheet,
        section="risks",
        author=company_editor,
        body="協会との協議日程を決めましょう。",
        resolved_at=timezone.now(),
        resolved_by=owner,
    )
    users = Kpi.objects.create(
        worksheet=worksheet,
        group=KpiGroup.COMMON,
        name="利用者数（年間）",
        unit="人",
        baseline_value=Decimal(100),
        baseline_date=date(2025, 3, 31),
        target_value=Decimal(1000),
        target_fiscal_year=2027,
        direction=Direction.UP,
        method="運行記録",
        frequency=Frequency.YEARLY,
        responsible=city,
        effect_dimension="behaviour",
        position=1,
        updated_by=owner,
    )
    measured = Measurement.objects.create(
        kpi=users,
        period_kind=PeriodKind.FISCAL_YEAR,
        period_start=date(2025, 4, 1),
        value=Decimal("412.5"),
        note="4月から運行開始",
        entered_by=editor,
    )
    for title, url in [("運行実績", "https://example.jp/report.pdf"), ("", "https://example.jp/b")]:
        MeasurementEvidence.objects.create(
            measurement=measured, title=title, url=url, added_by=editor
        )
    survey = Kpi.objects.create(
        worksheet=worksheet,
        group=KpiGroup.REGIONAL,
        name="利用者の外出頻度増加",
        target_text="利用者アンケートで「週1回以上増えた」の回答80%",
        target_fiscal_year=2027,
        method="利用者アンケート",
        frequency=Frequency.YEARLY,
        position=2,
        updated_by=owner,
    )
    Measurement.objects.create(
        kpi=survey,
        period_kind=PeriodKind.FISCAL_YEAR,
        period_start=date(2025, 4, 1),
        result_text="「週1回以上増えた」72%",
        result_status="not_achieved",
        entered_by=owner,
    )
    EffectNote.objects.create(
        worksheet=worksheet, dimension="behaviour", text="外出が増えた", updated_by=owner
    )
    SelfCheck.objects.create(
        worksheet=worksheet,
        side="welfare",
        answers={q.key: "yes" for q in questions_for("welfare")},
        level=4,
        answered_by=owner,
    )
    ChecklistItem.objects.create(
        worksheet=worksheet,
        checkpoint=Checkpoint.objects.get(audience="welfare", phase="design", number=2),
        state="done",
        note="合意書に記載",
        evidence_url="https://example.jp/agreement",
        updated_by=editor,
    )
    ProcessProgress.objects.create(
        worksheet=worksheet, current_step=ProcessStep.objects.get(number=5), updated_by=owner
    )
    ProcessActivity.objects.create(
        worksheet=worksheet,
        step=ProcessStep.objects.get(number=2),
        date=date(2025, 6, 10),
        lane="municipality",
        department="健康福祉部",
        text="地域ケア会議で移動の課題を共有",
        created_by=owner,
    )
    return {"users_kpi": users, "survey_kpi": survey}
