from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from cases import japanese_calendar as jc
from cases.content import EFFECT_DIMENSIONS
from kpis.periods import KIND_FOR_FREQUENCY, Frequency, Period, PeriodKind
from worksheets.models import Organization, Worksheet, web_url
from worksheets.versioning import Versioned


class KpiGroup(models.TextChoices):
    COMMON = "common", "地域課題・ビジネス共通のKPI"
    REGIONAL = "regional", "地域課題に関するKPI"
    BUSINESS = "business", "ビジネスへの効果に関するKPI"


class Direction(models.TextChoices):
    UP = "up", "増えるほど良い"
    DOWN = "down", "減るほど良い"


class Accumulation(models.TextChoices):
    """How the measurements of a numeric KPI add up (issue 15).

    A cumulative KPI counts, e.g., rides per month: its values add up within each 年度 and the
    sum is what meets the 年度's target. A per-period KPI (a rate, a headcount) stands alone:
    its latest value is what counts.
    """

    PER_PERIOD = "period", "期間ごと（最新の値で判定）"
    CUMULATIVE = "cumulative", "累計（年度内の合計で判定）"


class ResultStatus(models.TextChoices):
    """The verdict a person records for a text target, e.g. a survey result."""

    ACHIEVED = "achieved", "達成"
    NOT_ACHIEVED = "not_achieved", "未達成"


# The guide's effects framework (p.28): three effects on the region, four on the business.
EFFECT_CHOICES = [(d["key"], d["name"]) for d in EFFECT_DIMENSIONS]
EFFECT_GROUP = {d["key"]: d["group"] for d in EFFECT_DIMENSIONS}

# Enough for yen amounts in the hundreds of billions and percentages with three decimals.
MAX_DIGITS, DECIMAL_PLACES = 15, 3

EVIDENCE_MAX_BYTES = 10 * 1024 * 1024

# A count is never below zero (issue 15: 「−3人」 was saved and the chart ran to −500). Declared
# once here, by the KPI's unit, and read by the entry and correction forms, the CSV/XLSX import,
# the project file, the breakdown rule (kpis/breakdown.py) and the chart (kpis/charts.py). A unit
# that is no count (円, %, ポイント, blank) keeps negative values: a deficit, a change.
COUNT_UNITS = frozenset(
    [
        "人",
        "名",
        "件",
        "回",
        "台",
        "便",
        "本",
        "世帯",
        "戸",
        "社",
        "者",
        "団体",
        "事業者",
        "箇所",
        "か所",
        "ヶ所",
        "カ所",
        "校",
        "施設",
        "店",
        "店舗",
        "枚",
        "冊",
        "個",
        "人日",
        "人回",
        "人泊",
        "泊",
        "食",
        "組",
        "隻",
        "機",
        "基",
        "路線",
        "地区",
        "自治体",
        "市町村",
    ]
)
# 「延べ人」「千人」「人/月」「人（延べ）」 count people too.
_UNIT_PREFIXES = ("延べ", "延", "のべ", "千", "万", "百")


def is_count_unit(unit: str) -> bool:
    core = unit.strip()
    for mark in ("/", "／", "（", "("):
        core = core.split(mark, 1)[0].strip()
    for prefix in _UNIT_PREFIXES:
        if core.startswith(prefix) and core != prefix:
            core = core[len(prefix) :]
            break
    return core in COUNT_UNITS


def below_zero_problem(unit: str, value: Decimal | None, field: str) -> str:
    """Why `value` cannot be recorded for a KPI of `unit`, or '': a count is 0 or more."""
    if value is None or value >= 0 or not is_count_unit(unit):
        return ""
    return (
        f"{jc.field_subject(field)}は0以上にしてください（単位「{unit.strip()}」は数のため、"
        f"マイナスの値（{value.normalize():f}）は記録できません）。"
    )


def validate_evidence_size(file: File[bytes]) -> None:
    if file.size > EVIDENCE_MAX_BYTES:
        raise ValidationError("根拠資料のファイルは10MB以下にしてください。")


class Kpi(Versioned):
    worksheet = models.ForeignKey(Worksheet, on_delete=models.CASCADE, related_name="kpis")
    group = models.CharField("KPIの群", max_length=10, choices=KpiGroup.choices)
    name = models.CharField("KPI名", max_length=100)
    definition = models.TextField("定義", blank=True)
    unit = models.CharField("単位", max_length=20, blank=True)
    baseline_value = models.DecimalField(
        "基準値", max_digits=MAX_DIGITS, decimal_places=DECIMAL_PLACES, null=True, blank=True
    )
    baseline_date = models.DateField(
        "基準日", null=True, blank=True, validators=[jc.DayInRange("基準日")]
    )
    target_value = models.DecimalField(
        "目標値", max_digits=MAX_DIGITS, decimal_places=DECIMAL_PLACES, null=True, blank=True
    )
    target_date = models.DateField(
        "目標日", null=True, blank=True, validators=[jc.DayInRange("目標日")]
    )
    target_fiscal_year = models.PositiveSmallIntegerField(
        "目標年度", null=True, blank=True, validators=[jc.FiscalYearInRange("目標年度")]
    )
    target_text = models.CharField("目標（文章）", max_length=200, blank=True)
    direction = models.CharField(
        "望ましい方向", max_length=4, choices=Direction.choices, default=Direction.UP
    )
    accumulation = models.CharField(
        "値の数え方", max_length=10, choices=Accumulation.choices, default=Accumulation.PER_PERIOD
    )
    method = models.CharField("測定方法", max_length=100, blank=True)
    frequency = models.CharField(
        "測定頻度", max_length=10, choices=Frequency.choices, default=Frequency.YEARLY
    )
    responsible = models.ForeignKey(
        Organization,
        verbose_name="測定を担当する組織",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    effect_dimension = models.CharField(
        "裏付ける効果", max_length=20, choices=EFFECT_CHOICES, blank=True
    )
    position = models.PositiveIntegerField("表示順", default=0)
    # The optional breakdown of its measurements (kpis/breakdown.py): e.g. 圏域 and its labels.
    breakdown_name = models.CharField("内訳の分け方", max_length=40, blank=True)
    breakdown_categories = models.JSONField("内訳の区分", default=list, blank=True)
    created_at = models.DateTimeField("作成日時", default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    updated_at = models.DateTimeField("最終更新", default=timezone.now)

    # Not columns: the KPI section sets them (kpis/section.py): the measurements its progress is
    # judged by and its two URLs. `year_targets` may be set by a caller that read them already.
    latest: list[Measurement]
    edit_url: str
    delete_url: str

    class Meta:
        verbose_name = "KPI"
        verbose_name_plural = "KPI"
        # The column, not the relation: "worksheet" would join it to sort by -updated_at.
        ordering = ["worksheet_id", "position", "pk"]
        constraints = [
            # Spreadsheets name a KPI by its name, so the name identifies it within a worksheet.
            models.UniqueConstraint(fields=["worksheet", "name"], name="kpi_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_cumulative(self) -> bool:
        return self.accumulation == Accumulation.CUMULATIVE

    @property
    def is_count(self) -> bool:
        """Whether its values are counts, never below zero (is_count_unit)."""
        return is_count_unit(self.unit)

    @property
    def is_text_target(self) -> bool:
        return self.target_value is None and bool(self.target_text)

    @property
    def target_end(self) -> date | None:
        """The day the target should be reached: the target date, or the last day of its 年度."""
        if self.target_date:
            return self.target_date
        if self.target_fiscal_year:
            return jc.fiscal_year_bounds(self.target_fiscal_year)[1]
        return None

    @property
    def first_day(self) -> date:
        """The first day measured against the baseline: the day after the baseline date.

        Without a baseline date, the day the KPI was set.
        """
        if self.baseline_date:
            return self.baseline_date + timedelta(days=1)
        return timezone.localtime(self.created_at).date()

    def period_problem(self, period: Period, *, check_kind: bool = True) -> str:
        """Why a period cannot be recorded for this KPI, or '' when it can."""
        kind = KIND_FOR_FREQUENCY[Frequency(self.frequency)]
        if check_kind and period.kind != kind:
            return (
                f"このKPIの測定頻度は「{self.get_frequency_display()}」のため、期間は"
                f"「{PeriodKind(kind).label}」で入力してください"
                f"（「{PeriodKind(period.kind).label}」が指定されました）。"
            )
        if self.baseline_date and period.end <= self.baseline_date:
            return f"期間がこのKPIの基準日（{self.baseline_date:%Y-%m-%d}）以前です。"
        end = self.target_end
        if end and period.start > end:
            return f"期間がこのKPIの目標期限（{end:%Y-%m-%d}）より後です。"
        return ""

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.target_value is None and not self.target_text:
            errors["target_value"] = (
                "目標を数値（目標値）か文章（目標（文章））で入力してください。"
            )
        if self.target_value is not None and self.target_text:
            errors["target_text"] = (
                "目標は数値か文章のどちらか一方にしてください。文章の目標は数値の目標がない場合に使います。"
            )
        if self.target_value is not None and not (self.target_date or self.target_fiscal_year):
            errors["target_date"] = "数値の目標には、目標日か目標年度のどちらかを入力してください。"
        if self.target_date and self.target_fiscal_year:
            errors["target_fiscal_year"] = "目標日と目標年度は、どちらか一方だけ入力してください。"
        if self.baseline_value is not None and not self.baseline_date:
            errors["baseline_date"] = "基準値を入力した場合は、その基準日も入力してください。"
        for name, label in (("baseline_value", "基準値"), ("target_value", "目標値")):
            if problem := below_zero_problem(self.unit, getattr(self, name), label):
                errors.setdefault(name, problem)
        end = self.target_end
        if self.baseline_date and end and end <= self.baseline_date:
            errors["target_date" if self.target_date else "target_fiscal_year"] = (
                "目標の期限は基準日より後にしてください。"
            )
        # Here, not at the top: kpis.breakdown formats numbers with kpis.charts, which reads models.
        from kpis import breakdown

        if problem := breakdown.categories_problem(
            self.breakdown_name, self.breakdown_categories, numeric=self.target_value is not None
        ):
            errors["breakdown_categories"] = problem
        if errors:
            raise ValidationError(errors)


class KpiYearTarget(models.Model):
    """One step of a KPI's optional yearly path towards its final target: the 年度's target.

    Written only together with its KPI, under the KPI's compare-and-set (kpis/views.kpi_edit),
    so the KPI's version covers its path.
    """

    kpi = models.ForeignKey(Kpi, on_delete=models.CASCADE, related_name="year_targets")
    fiscal_year = models.PositiveSmallIntegerField(
        "年度", validators=[jc.FiscalYearInRange("年度")]
    )
    value = models.DecimalField(
        "その年度の目標値", max_digits=MAX_DIGITS, decimal_places=DECIMAL_PLACES
    )

    class Meta:
        verbose_name = "年度別の目標"
        verbose_name_plural = "年度別の目標"
        ordering = ["kpi", "fiscal_year"]
        constraints = [
            models.UniqueConstraint(fields=["kpi", "fiscal_year"], name="kpiyeartarget_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.kpi} {self.fiscal_year}年度"


class Measurement(Versioned):
    """One period's value of a KPI. Corrected in place by compare-and-set (kpis/correction.py);
    the history keeps every state with who wrote it, so a correction shows old → new."""

    kpi = models.ForeignKey(Kpi, on_delete=models.CASCADE, related_name="measurements")
    period_kind = models.CharField("期間の種類", max_length=12, choices=PeriodKind.choices)
    period_start = models.DateField("期間の開始日", validators=[jc.DayInRange("期間の開始日")])
    value = models.DecimalField(
        "測定値", max_digits=MAX_DIGITS, decimal_places=DECIMAL_PLACES, null=True, blank=True
    )
    result_text = models.CharField("結果（文章）", max_length=200, blank=True)
    result_status = models.CharField(
        "達成状況", max_length=12, choices=ResultStatus.choices, blank=True
    )
    note = models.TextField("メモ", blank=True)
    # {区分: "12"} by the KPI's breakdown (kpis/breakdown.py); in the history with the value.
    parts = models.JSONField("内訳", default=dict, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="入力した人",
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    entered_at = models.DateTimeField("入力日時", default=timezone.now)
    history = HistoricalRecords(verbose_name="測定値の履歴")

    # Not columns: the monitoring page sets them for its template (kpis/views.py, _card).
    label: str
    delete_url: str
    evidence_url: str
    edit_url: str
    history_url: str
    running: Decimal | None  # a cumulative KPI's running total in the 年度 (kpis.cards)

    class Meta:
        verbose_name = "測定値"
        verbose_name_plural = "測定値"
        # Columns, not relations: "kpi" would sort through Kpi's ordering and its worksheet.
        ordering = ["kpi_id", "period_start", "period_kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["kpi", "period_kind", "period_start"], name="measurement_unique_period"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kpi} {self.period.label()}"

    @property
    def period(self) -> Period:
        return Period(self.period_kind, self.period_start)

    @property
    def corrections(self) -> int:
        """How often it was corrected since it was entered, read off its version: every write
        after the entry is a correction and moves the version on (the correction's
        compare_and_set, the import's UPDATE), and each leaves a history row. No query: each
        row of the monitoring page shows it (訂正履歴（N件）)."""
        return self.version - 1


def frequency_kept(kpi_id: int, before: str, after: str) -> str:
    """Why a KPI's frequency cannot change so, or '': a measured KPI keeps its frequency.

    Its values are filed by the period kind of its frequency, and its due periods (the KPI's
    page, the dashboard's 期限超過) read only the current kind: after 月次 → 四半期 every quarter
    of twelve monthly values would count as 未入力. Called by the form for a quick answer and
    again under the worksheet's lock, which every measurement write takes too.
    """
    if before == after:
        return ""
    count = Measurement.objects.filter(kpi_id=kpi_id).count()
    if not count:
        return ""
    return (
        f"測定値が{count:,}件あるため、測定頻度は変えられません。"
        "頻度を変えるには、新しいKPIを作ってください。"
    )


class MeasurementEvidence(models.Model):
    """One evidence file or link of a measurement: a report, minutes, a survey's table.

    A measurement may have several (limits.EVIDENCE_PER_MEASUREMENT); each is a file kept for
    the members only (served by kpis.views.evidence_download) or a link, never both.
    """

    measurement = models.ForeignKey(
        Measurement, on_delete=models.CASCADE, related_name="evidence_items"
    )
    file = models.FileField(
        "根拠資料のファイル",
        upload_to="kpi_evidence/%Y/%m/",
        max_length=200,
        blank=True,
        validators=[validate_evidence_size],
    )
    url = models.CharField("根拠資料のリンク", max_length=500, blank=True, validators=[web_url])
    title = models.CharField("資料名", max_length=100, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="追加した人",
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    added_at = models.DateTimeField("追加日時", default=timezone.now)
    # Who added and who removed which file or link, and when: a removed item leaves its list,
    # not the record (the evidence list shows both to every member).
    history = HistoricalRecords(verbose_name="根拠資料の履歴")

    class Meta:
        verbose_name = "根拠資料"
        verbose_name_plural = "根拠資料"
        ordering = ["measurement_id", "added_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(file="") & ~Q(url="")) | (~Q(file="") & Q(url="")),
                name="evidence_file_or_url",
            ),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def file_name(self) -> str:
        return (self.file.name or "").rsplit("/", 1)[-1]

    @property
    def label(self) -> str:
        """What the list shows: the title, else the file's name, else the link itself."""
        return self.title or self.file_name or self.url


def delete_evidence_file(
    sender: type[MeasurementEvidence], instance: MeasurementEvidence, using: str, **kwargs: Any
) -> None:
    """post_delete: the stored evidence file goes with its row, also in a cascade from its
    measurement, KPI or worksheet (connected in KpisConfig.ready).

    Only once the deletion is committed: a rolled-back deletion keeps its file. robust: a file
    that cannot be removed is logged, and the deletion the user asked for still answers.
    """
    name = instance.file.name
    if not name:
        return
    storage = instance.file.storage
    transaction.on_commit(lambda: storage.delete(name), using=using, robust=True)


class EffectNote(Versioned):
    """The short free text of one cell of a worksheet's effects matrix."""

    worksheet = models.ForeignKey(Worksheet, on_delete=models.CASCADE, related_name="effect_notes")
    dimension = models.CharField("効果", max_length=20, choices=EFFECT_CHOICES)
    text = models.CharField("メモ", max_length=200, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    updated_at = models.DateTimeField("最終更新", default=timezone.now)

    class Meta:
        verbose_name = "効果のメモ"
        verbose_name_plural = "効果のメモ"
        constraints = [
            models.UniqueConstraint(fields=["worksheet", "dimension"], name="effectnote_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.worksheet} / {self.get_dimension_display()}"


class AgreementSide(models.TextChoices):
    """The two sides that confirm a measurement agreement, as Organization.side() tells them."""

    MUNICIPALITY = "welfare", "自治体側"
    COMPANY = "company", "企業側"


class MeasurementAgreement(Versioned):
    """What both sides agreed to measure for one KPI, and how (the guide, p.16: 「何をどこまで
    測るか」を事前に合意する).

    How it is measured and how often are the KPI's own `method` and `frequency`; the agreement
    adds where the data comes from, who measures, and what it covers. Each side's owner confirms;
    any change to the text (or to the KPI's method or frequency) withdraws both confirmations.
    """

    kpi = models.OneToOneField(Kpi, on_delete=models.CASCADE, related_name="agreement")
    data_source = models.CharField("データの出どころ", max_length=200, blank=True)
    measured_by = models.CharField("測定する人・部署", max_length=100, blank=True)
    coverage = models.TextField("何をどこまで測るか", max_length=2000, blank=True)
    municipality_confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="自治体側の確認者",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    municipality_confirmed_at = models.DateTimeField("自治体側の確認日時", null=True, blank=True)
    company_confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="企業側の確認者",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    company_confirmed_at = models.DateTimeField("企業側の確認日時", null=True, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    updated_at = models.DateTimeField("最終更新", default=timezone.now)
    history = HistoricalRecords(verbose_name="測定の合意の履歴")

    TEXT_FIELDS = ("data_source", "measured_by", "coverage")

    class Meta:
        verbose_name = "測定の合意"
        verbose_name_plural = "測定の合意"

    def __str__(self) -> str:
        return f"{self.kpi}の測定の合意"

    @property
    def municipality_confirmed(self) -> bool:
        return self.municipality_confirmed_at is not None

    @property
    def company_confirmed(self) -> bool:
        return self.company_confirmed_at is not None


# The columns a change of the agreement's text empties: both sides confirm again.
UNCONFIRMED = {
    "municipality_confirmed_by": None,
    "municipality_confirmed_at": None,
    "company_confirmed_by": None,
    "company_confirmed_at": None,
}
