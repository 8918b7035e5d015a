from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any, cast

from django import forms
from django.core.files import File
from django.db.models import Q, QuerySet
from django.utils.functional import classproperty

from cases import japanese_calendar as jc
from kpis import breakdown
from kpis.models import (
    DECIMAL_PLACES,
    EFFECT_CHOICES,
    MAX_DIGITS,
    Accumulation,
    EffectNote,
    Kpi,
    Measurement,
    MeasurementEvidence,
    ResultStatus,
    below_zero_problem,
    frequency_kept,
    validate_evidence_size,
)
from kpis.periods import KIND_FOR_FREQUENCY, Frequency, Period, PeriodKind, periods_between
from worksheets import limits
from worksheets.models import Organization, Worksheet, web_url

IMPORT_MAX_BYTES = 2 * 1024 * 1024


def fiscal_year_choices(style: str, around: int) -> list[tuple[str, str]]:
    return [("", "未設定")] + [
        (str(year), jc.fiscal_year_label(year, style)) for year in range(around - 10, around + 11)
    ]


def worksheet_organizations(worksheet: Worksheet) -> QuerySet[Organization]:
    """The organisations taking part: the lead organisation and every member's."""
    return Organization.objects.filter(
        Q(pk=worksheet.organization_id) | Q(users__memberships__worksheet=worksheet)
    ).distinct()


class CategoriesField(forms.CharField):
    """The breakdown's categories as a list, typed one a line in a box."""

    widget = forms.Textarea(attrs={"rows": 3})

    def prepare_value(self, value: Any) -> Any:
        return "\n".join(value) if isinstance(value, list) else value

    def to_python(self, value: Any) -> list[str]:  # type: ignore[override]
        return breakdown.split_lines(str(value or ""))


class KpiForm(forms.ModelForm[Kpi]):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    breakdown_categories = CategoriesField(
        label="内訳の区分", required=False, help_text=breakdown.CATEGORIES_HELP
    )
    target_fiscal_year = forms.TypedChoiceField(
        label="目標年度", required=False, coerce=int, empty_value=None
    )

    class Meta:
        model = Kpi
        # The order a person fills the form in. The spreadsheet (kpis/io.py KPI_COLUMNS, Japanese
        # headers) and the project file (kpis/portable.py KPI_KEYS, a fixed format) list the same
        # KPI in their own stable orders: changing one must never reorder another's file.
        fields = [
            "group",
            "name",
            "definition",
            "unit",
            "direction",
            "accumulation",
            "baseline_value",
            "baseline_date",
            "target_value",
            "target_date",
            "target_fiscal_year",
            "target_text",
            "method",
            "frequency",
            "responsible",
            "effect_dimension",
            "breakdown_name",
            "breakdown_categories",
            "position",
        ]
        widgets = {
            "definition": forms.Textarea(attrs={"rows": 2}),
            "baseline_date": forms.DateInput(attrs={"type": "date"}),
            "target_date": forms.DateInput(attrs={"type": "date"}),
        }
        help_texts = {
            "name": "例：利用者数（年間）",
            "definition": "何をどう数えるか。後任の方が同じ数え方を続けられるように書きます。",
            "unit": "例：人、%、円",
            "target_value": "数値で表せる目標。目標日か目標年度も入力します。",
            "target_fiscal_year": "年度末（3月31日）までに達成する目標の場合に選びます。",
            "target_text": "数値にしにくい目標の場合に。例：利用者アンケートで「週1回以上増えた」の回答80%",
            "method": "例：利用者アンケート、運行記録",
            "baseline_date": "基準値を測った日。",
            "breakdown_name": breakdown.NAME_HELP,
        }

    def __init__(self, *args: Any, worksheet: Worksheet, style: str, **kwargs: Any) -> None:
        # Ids unique on the page: an edit form and an add form may be open side by side.
        instance = kwargs.get("instance")
        group = (kwargs.get("initial") or {}).get("group", "")
        key = f"kpi{instance.pk}" if instance and instance.pk else f"kpi-new{group}"
        kwargs.setdefault("auto_id", key + "-%s")
        super().__init__(*args, **kwargs)
        self.instance.worksheet = worksheet
        responsible = cast(forms.ModelChoiceField[Organization], self.fields["responsible"])
        responsible.queryset = worksheet_organizations(worksheet)
        responsible.empty_label = "未設定"
        effect = cast(forms.ChoiceField, self.fields["effect_dimension"])
        effect.choices = [("", "未設定"), *EFFECT_CHOICES]
        choices = fiscal_year_choices(style, jc.fiscal_year(date.today()))
        if self.instance.target_fiscal_year:
            # A 年度 outside the offered range stays selectable when editing an old KPI.
            year = self.instance.target_fiscal_year
            choice = (str(year), jc.fiscal_year_label(year, style))
            if choice not in choices:
                choices.append(choice)
        cast(forms.ChoiceField, self.fields["target_fiscal_year"]).choices = choices
        # A form opened before the field existed (or a script) may leave it out: per period,
        # as every KPI counted before it.
        self.fields["accumulation"].required = False

    def clean_accumulation(self) -> str:
        return str(self.cleaned_data.get("accumulation") or Accumulation.PER_PERIOD)

    def clean_frequency(self) -> str:
        frequency = str(self.cleaned_data["frequency"])
        # The instance holds the stored value until the form is valid; checked again under the
        # worksheet's lock by the view.
        if self.instance.pk and (
            problem := frequency_kept(self.instance.pk, self.instance.frequency, frequency)
        ):
            raise forms.ValidationError(problem)
        return frequency

    def clean_name(self) -> str:
        name: str = self.cleaned_data["name"].strip()
        clash = Kpi.objects.filter(worksheet=self.instance.worksheet, name=name)
        if self.instance.pk:
            clash = clash.exclude(pk=self.instance.pk)
        if clash.exists():
            raise forms.ValidationError("同じ名前のKPIがこのワークシートにすでにあります。")
        return name


# Counted by the views under the worksheet's lock (kpis/views.py): two adds at the limit would
# otherwise both pass the count. The measurement form also checks its periods for a quick answer.
KPIS_FULL = (
    f"1つのワークシートに登録できるKPIは{limits.KPIS:,}件までです。"
    "使っていないKPIを削除してから追加してください。"
)
MEASUREMENTS_FULL = (
    f"1つのKPIに記録できる測定値は{limits.MEASUREMENTS_PER_KPI:,}件までです。"
    "測定頻度を見直すか、不要な測定値を削除してください。"
)

EVIDENCE_FILE_HELP = "PDF・Excel・画像など、10MB以下。メンバーだけが開けます。"
EVIDENCE_URL_HELP = "例：https://www.city.example.lg.jp/report.html"


def fit_result_fields(fields: dict[str, forms.Field], kpi: Kpi) -> None:
    """A measurement's result as its KPI takes it: a number (in its unit) or a text and verdict.

    One rule for entering a measurement and for correcting it.
    """
    if kpi.is_text_target:
        del fields["value"]
        fields["result_status"].required = True
        cast(forms.ChoiceField, fields["result_status"]).choices = ResultStatus.choices
    else:
        del fields["result_text"]
        del fields["result_status"]
        fields["value"].required = True
        fields["value"].label = f"測定値（{kpi.unit}）" if kpi.unit else "測定値"
        fields["value"].localize = False
        # The parts follow the value they split, before the note and the evidence.
        names = list(fields)
        moved = {name: fields.pop(name) for name in names[names.index("value") + 1 :]}
        for i, label in enumerate(kpi.breakdown_categories if kpi.breakdown_name else []):
            fields[f"part_{i}"] = forms.DecimalField(
                label=f"内訳：{kpi.breakdown_name}「{label}」",
                required=False,
                max_digits=MAX_DIGITS,
                decimal_places=DECIMAL_PLACES,
                localize=False,
                help_text=breakdown.PARTS_HELP if i == 0 else "",
                error_messages={
                    "invalid": f"「{label}」の内訳は数値で入力してください（例：12）。"
                },
            )
        fields.update(moved)


def clean_parts(form: forms.BaseForm, kpi: Kpi) -> dict[str, str]:
    """The parts the form was given, checked against its value; Measurement.parts to save.

    A refusal names the difference; what was typed stays in the boxes.
    """
    data = form.cleaned_data
    categories = kpi.breakdown_categories if kpi.breakdown_name else []
    given = {
        label: value
        for i, label in enumerate(categories)
        if (value := data.get(f"part_{i}")) is not None
    }
    if any(f"part_{i}" in form.errors for i in range(len(categories))) or "value" in form.errors:
        return {}
    # A count is 0 or more (kpis.models.below_zero_problem), each part as the total.
    below = [
        (name, problem)
        for name in ["value", *(f"part_{i}" for i in range(len(categories)))]
        if name in form.fields
        and (problem := below_zero_problem(kpi.unit, data.get(name), str(form.fields[name].label)))
    ]
    for name, problem in below:
        form.add_error(name, problem)
    if below:
        return {}
    if problem := breakdown.parts_problem(kpi.breakdown_name, categories, data.get("value"), given):
        form.add_error(None, problem)
    return breakdown.stored(categories, given)


def parts_initial(kpi: Kpi, measurement: Measurement) -> dict[str, Any]:
    """The part_N boxes' values of a saved measurement, for the correction form."""
    numbers = breakdown.values(measurement.parts)
    return {
        f"part_{i}": numbers[label]
        for i, label in enumerate(kpi.breakdown_categories)
        if label in numbers
    }


class MeasurementForm(forms.ModelForm[Measurement]):
    # A select, but checked by clean_period, so a period outside the list gets its own reason.
    period = forms.CharField(label="期間", widget=forms.Select)
    # The first evidence file and link, entered with the value; more are added on the
    # measurement's evidence list (EvidenceForm).
    evidence = forms.FileField(
        label="根拠資料",
        required=False,
        help_text=EVIDENCE_FILE_HELP,
        validators=[validate_evidence_size],
    )
    evidence_url = forms.CharField(
        label="根拠資料のリンク",
        required=False,
        max_length=500,
        help_text=EVIDENCE_URL_HELP,
        validators=[web_url],
    )

    class Meta:
        model = Measurement
        fields = ["value", "result_text", "result_status", "note"]
        widgets = {"note": forms.Textarea(attrs={"rows": 2})}

    def evidence_items(self) -> list[MeasurementEvidence]:
        """The evidence rows the valid form asks for, not yet saved (no measurement yet)."""
        items = []
        if file := self.cleaned_data.get("evidence"):
            items.append(MeasurementEvidence(file=file))
        if url := self.cleaned_data.get("evidence_url"):
            items.append(MeasurementEvidence(url=url))
        return items

    def __init__(
        self, *args: Any, kpi: Kpi, style: str, today: date, taken: set[Period], **kwargs: Any
    ) -> None:
        kwargs.setdefault("auto_id", f"m{kpi.pk}-%s")
        super().__init__(*args, **kwargs)
        self.kpi = kpi
        self.taken = taken
        self.fields["period"].widget.choices = period_choices(kpi, style, today, taken)
        fit_result_fields(self.fields, kpi)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        self.instance.parts = clean_parts(self, self.kpi)
        return data

    def clean_period(self) -> Period:
        try:
            period = Period.from_key(self.cleaned_data["period"])
        except ValueError as error:
            raise forms.ValidationError(str(error)) from None
        if problem := self.kpi.period_problem(period):
            raise forms.ValidationError(problem)
        if len(self.taken) >= limits.MEASUREMENTS_PER_KPI:
            raise forms.ValidationError(MEASUREMENTS_FULL)
        if period in self.taken:
            raise forms.ValidationError(
                "この期間の測定値はすでに入力されています。直す場合は、一覧の「訂正」から直してください。"
            )
        return period


class CorrectionForm(forms.ModelForm[Measurement]):
    """A correction of a measurement in place: its value (or result and verdict) and note.

    The period stays: a value entered for the wrong period is deleted and entered again.
    """

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Measurement
        fields = ["value", "result_text", "result_status", "note"]
        widgets = {"note": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args: Any, kpi: Kpi, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", f"c{kwargs['instance'].pk}-%s")
        kwargs["initial"] = parts_initial(kpi, kwargs["instance"]) | kwargs.get("initial", {})
        super().__init__(*args, **kwargs)
        self.kpi = kpi
        fit_result_fields(self.fields, kpi)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        self.parts = clean_parts(self, self.kpi)
        return data

    def values(self) -> dict[str, Any]:
        """The columns a valid correction writes, its parts with them."""
        names = [name for name in self._meta.fields or () if name in self.fields]
        return {name: self.cleaned_data[name] for name in names} | {"parts": self.parts}


class EvidenceForm(forms.ModelForm[MeasurementEvidence]):
    """One more evidence file or link for a measurement, within the measurement's limit."""

    class Meta:
        model = MeasurementEvidence
        fields = ["title", "file", "url"]
        help_texts = {
            "title": "例：令和7年度 運行実績報告書。空欄ならファイル名かリンクを表示します。",
            "file": EVIDENCE_FILE_HELP,
            "url": EVIDENCE_URL_HELP,
        }

    @classproperty
    def FULL(cls) -> str:  # noqa: N802 - read like the other refusals
        return (
            f"1つの測定値に登録できる根拠資料は{limits.EVIDENCE_PER_MEASUREMENT}件までです。"
            "不要な根拠資料を削除してから追加してください。"
        )

    def __init__(self, *args: Any, measurement: Measurement, count: int, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", f"ev{measurement.pk}-%s")
        super().__init__(*args, **kwargs)
        self.measurement = measurement
        self.count = count

    def clean(self) -> dict[str, Any]:
        super().clean()
        file, url = self.cleaned_data.get("file"), self.cleaned_data.get("url")
        if self.errors:
            return self.cleaned_data
        if not file and not url:
            raise forms.ValidationError("ファイルを選ぶか、リンクを入力してください。")
        if file and url:
            raise forms.ValidationError(
                "ファイルとリンクは1件ずつ追加してください。どちらか一方を空にしてください。"
            )
        if self.count >= limits.EVIDENCE_PER_MEASUREMENT:
            raise forms.ValidationError(self.FULL)
        return self.cleaned_data


def period_choices(
    kpi: Kpi, style: str, today: date, taken: set[Period]
) -> list[tuple[str, str | list[tuple[str, str]]]]:
    """The periods a value may be entered for, newest first, grouped by 年度, with 年度 labels.

    They run from the KPI's first period (without a baseline, two 年度 back) to the period containing today (or the target's end,
    if earlier); periods already entered are left out.
    """
    kind = KIND_FOR_FREQUENCY[Frequency(kpi.frequency)]
    last = min(today, kpi.target_end) if kpi.target_end else today
    # Without a baseline date, results of the last few 年度 may still be entered afterwards.
    first = kpi.first_day if kpi.baseline_date else date(jc.fiscal_year(today) - 2, 4, 1)
    first = min(first, last)
    periods = [p for p in periods_between(kind, first, last) if p not in taken]
    periods.reverse()
    if kind == PeriodKind.FISCAL_YEAR:
        return [(p.key, p.label(style)) for p in periods]
    groups: dict[int, list[tuple[str, str]]] = {}
    for period in periods:
        groups.setdefault(period.fiscal_year, []).append((period.key, period.label(style)))
    return [(jc.fiscal_year_label(year, style), choices) for year, choices in groups.items()]


class EffectNoteForm(forms.ModelForm[EffectNote]):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = EffectNote
        fields = ["text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 3, "maxlength": 200})}


class ImportForm(forms.Form):
    file = forms.FileField(
        label="読み込むファイル",
        help_text="CSV（.csv）またはExcel（.xlsx）、2MBまで。",
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
    )

    def clean_file(self) -> File[bytes]:
        file: File[bytes] = self.cleaned_data["file"]
        if file.size > IMPORT_MAX_BYTES:
            raise forms.ValidationError(
                "ファイルが大きすぎます（2MBまで）。KPIごとや年度ごとに分けて読み込んでください。"
            )
        return file


# A path has one row per 年度 between the baseline and the target; 30 covers any KPI's span.
YEAR_TARGETS_MAX = 30


class YearTargetForm(forms.Form):
    """One row of a KPI's yearly target path: a 年度 and its target value."""

    fiscal_year = forms.TypedChoiceField(label="年度", required=False, coerce=int, empty_value=None)
    value = forms.DecimalField(
        label="その年度の目標",
        required=False,
        max_digits=MAX_DIGITS,
        decimal_places=DECIMAL_PLACES,
        localize=False,
        error_messages={"invalid": "目標値は数値で入力してください（例：120、3.5）。"},
    )

    def __init__(self, *args: Any, choices: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["fiscal_year"]).choices = choices

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        year, value = data.get("fiscal_year"), data.get("value")
        if self.errors:
            return data
        if year is not None and (problem := jc.fiscal_year_problem(year, "年度")):
            self.add_error("fiscal_year", problem)
        if year is None and value is not None:
            self.add_error("fiscal_year", "目標値を入力した行の年度を選んでください。")
        if year is not None and value is None:
            self.add_error("value", "この年度の目標値を入力してください。")
        return data


class BaseYearTargetFormSet(forms.BaseFormSet[YearTargetForm]):
    style = "wareki"
    # A post without the path's rows (a form opened before they existed, or a script) leaves
    # the saved path as it is.
    keep = False

    def rows(self) -> dict[int, Decimal]:
        """The path the valid formset asks for: {年度: value}, rows marked for removal left out."""
        path: dict[int, Decimal] = {}
        for form in self.forms:
            data = form.cleaned_data
            if not data or data.get("DELETE") or data.get("fiscal_year") is None:
                continue
            path[data["fiscal_year"]] = data["value"]
        return path

    def check_against(self, kpi: Kpi) -> bool:
        """Whether the path fits the KPI as entered: unique 年度 within baseline..target."""
        seen: set[int] = set()
        first = jc.fiscal_year(kpi.baseline_date + timedelta(days=1)) if kpi.baseline_date else None
        end = kpi.target_end
        last = jc.fiscal_year(end) if end else None
        ok = True
        for form in self.forms:
            data = form.cleaned_data
            year = data.get("fiscal_year") if data and not data.get("DELETE") else None
            if year is None:
                continue
            label = jc.fiscal_year_label(year, self.style)
            problem = ""
            if kpi.target_value is None:
                problem = "年度別の目標は、数値の目標（目標値）があるKPIにだけ入力できます。"
            elif year in seen:
                problem = f"{label}が2回入力されています。1つの年度に1行にしてください。"
            elif first is not None and year < first:
                problem = f"{label}は基準日より前です。{jc.fiscal_year_label(first, self.style)}以降にしてください。"
            elif last is not None and year > last:
                problem = f"{label}は目標の期限より後です。{jc.fiscal_year_label(last, self.style)}までにしてください。"
            if problem:
                form.add_error("fiscal_year", problem)
                ok = False
            seen.add(year)
        return ok


YearTargetFormSet = forms.formset_factory(
    YearTargetForm,
    formset=BaseYearTargetFormSet,
    extra=2,
    can_delete=True,
    max_num=YEAR_TARGETS_MAX,
    validate_max=True,
)


def year_target_formset(
    data: Any, *, kpi: Kpi | None, style: str, rows: int = 0
) -> BaseYearTargetFormSet:
    """The path's rows: the saved ones (or the posted ones) and two blank rows to add to."""
    key = f"kpi{kpi.pk}" if kpi and kpi.pk else "kpi-new"
    keep = data is not None and "yt-TOTAL_FORMS" not in data
    if keep:
        data = None
    saved = list(kpi.year_targets.all()) if kpi and kpi.pk and data is None and not keep else []
    initial = [{"fiscal_year": t.fiscal_year, "value": t.value} for t in saved]
    years = {t.fiscal_year for t in saved}
    choices = fiscal_year_choices(style, jc.fiscal_year(date.today()))
    offered = {value for value, _ in choices}
    choices += [
        (str(year), jc.fiscal_year_label(year, style))
        for year in sorted(years)
        if str(year) not in offered
    ]
    formset = cast(type[BaseYearTargetFormSet], YearTargetFormSet)(
        data,
        initial=initial,
        prefix="yt",
        auto_id=f"{key}-%s",
        form_kwargs={"choices": choices},
    )
    formset.style = style
    formset.keep = keep
    return formset
