"""KPI definitions and measurements to and from CSV and Excel, with the same columns both ways.

Municipal staff keep their numbers in Excel; an export opened, edited and read back must change
exactly what was edited and nothing else. Hence:
- CSV is written as UTF-8 with a BOM, which Japanese Excel needs to open it; a CSV saved by
  Excel as Shift_JIS (CP932) is read too, and the page says which encoding was read;
- text that a spreadsheet would run as a formula (starting with = + - @, a tab or a carriage
  return) is neutralised: in CSV by a leading apostrophe, which the import removes again; in
  Excel by storing it as a string cell;
- an import checks every row first and writes nothing unless every row is right; each problem is
  reported with its row number (as the spreadsheet numbers it, the header being row 1).
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

import openpyxl
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import F, Prefetch
from django.utils import timezone
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet as Tab

from cases import japanese_calendar as jc
from kpis import breakdown
from kpis.agreement import record_history, withdraw_confirmations
from kpis.files import (
    AGREEMENT_COLUMNS,
    AGREEMENT_SHEET_COLUMNS,
    AGREEMENT_SHEET_TITLE,
    KPI_COLUMNS,
    MAX_YEAR_TARGETS,
    MEASUREMENT_COLUMNS,
    SHEET_TITLES,
    TABLES,
    ImportRefused,
    confirmations_text,
    detect_columns,
    read_upload,
)
from kpis.forms import worksheet_organizations
from kpis.models import (
    DECIMAL_PLACES,
    EFFECT_CHOICES,
    MAX_DIGITS,
    UNCONFIRMED,
    Accumulation,
    Direction,
    Kpi,
    KpiGroup,
    KpiYearTarget,
    Measurement,
    MeasurementAgreement,
    MeasurementEvidence,
    ResultStatus,
    below_zero_problem,
    frequency_kept,
)
from kpis.periods import Frequency, Period, PeriodKind
from worksheets import limits
from worksheets.cells import neutralise, write_cell
from worksheets.inputs import int_or_none
from worksheets.models import User, Worksheet, web_url
from worksheets.sheet.writes import lock_worksheet, touch
from worksheets.versioning import compare_and_set, save_versioned

# --- Cells ---------------------------------------------------------------------------------


def number_text(value: Decimal | None) -> str:
    if value is None:
        return ""
    normalized = value.normalize()
    if normalized == normalized.to_integral_value():
        normalized = normalized.quantize(Decimal(1))
    return f"{normalized:f}"


def fiscal_year_text(year: int | None, style: str) -> str:
    return jc.fiscal_year_label(year, style) if year else ""


def year_targets_text(targets: dict[int, Decimal], style: str) -> str:
    """The cell 年度別の目標: one 年度 a line, 「令和7年度：120」."""
    return "\n".join(
        f"{jc.fiscal_year_label(year, style)}：{number_text(value)}"
        for year, value in sorted(targets.items())
    )


def _label(choices: Iterable[tuple[str, str]], value: str) -> str:
    return dict(choices).get(value, "") if value else ""


# --- Export --------------------------------------------------------------------------------


# A cell of an exported row, written by write_cell (XLSX) or _csv_cell (CSV).
type Cell = str | int | Decimal | date | None


def _kpis_with_agreements(worksheet: Worksheet) -> models.QuerySet[Kpi]:
    return (
        Kpi.objects.filter(worksheet=worksheet)
        .select_related(
            "responsible",
            "agreement__municipality_confirmed_by",
            "agreement__company_confirmed_by",
        )
        .prefetch_related("year_targets")
    )


def agreement_of(kpi: Kpi) -> MeasurementAgreement | None:
    try:
        return kpi.agreement
    except MeasurementAgreement.DoesNotExist:
        return None


def _sides(agreement: MeasurementAgreement | None) -> list[tuple[str | None, date | None]]:
    """自治体側 then 企業側: who confirmed (None if nobody has) and on which day."""
    if agreement is None:
        return [(None, None), (None, None)]
    return [
        (
            (by.display_name if by else "—") if at else None,
            timezone.localtime(at).date() if at else None,
        )
        for by, at in (
            (agreement.municipality_confirmed_by, agreement.municipality_confirmed_at),
            (agreement.company_confirmed_by, agreement.company_confirmed_at),
        )
    ]


def _day_label(style: str) -> Callable[[date], str]:
    return jc.seireki_date if style == "seireki" else jc.wareki_date


def kpi_rows(worksheet: Worksheet, style: str) -> Iterable[list[Cell]]:
    for kpi in _kpis_with_agreements(worksheet):
        agreement = agreement_of(kpi)
        yield [
            kpi.name,
            kpi.get_group_display(),
            kpi.definition,
            kpi.unit,
            kpi.get_direction_display(),
            kpi.baseline_value,
            kpi.baseline_date,
            kpi.target_value,
            kpi.target_date,
            fiscal_year_text(kpi.target_fiscal_year, style),
            kpi.target_text,
            kpi.method,
            kpi.get_frequency_display(),
            kpi.responsible.name if kpi.responsible else "",
            _label(EFFECT_CHOICES, kpi.effect_dimension),
            kpi.position,
            kpi.get_accumulation_display(),
            year_targets_text({t.fiscal_year: t.value for t in kpi.year_targets.all()}, style),
            *(getattr(agreement, name) if agreement else "" for name in AGREEMENT_COLUMNS.values()),
            confirmations_text(_sides(agreement), _day_label(style)) if agreement else "",
            kpi.breakdown_name,
            "\n".join(kpi.breakdown_categories),
        ]


def agreement_sheet_rows(worksheet: Worksheet) -> Iterable[list[Cell]]:
    """The tab 測定の合意 of the KPIs' Excel file: every KPI, its agreement in full."""
    for kpi in _kpis_with_agreements(worksheet):
        agreement = agreement_of(kpi)
        sides = [cell for who, day in _sides(agreement) for cell in (who or "", day)]
        yield [
            kpi.name,
            agreement.data_source if agreement else "",
            kpi.method,
            agreement.measured_by if agreement else "",
            kpi.get_frequency_display(),
            agreement.coverage if agreement else "",
            *sides,
        ]


def measurement_rows(worksheet: Worksheet, style: str) -> Iterable[list[Cell]]:
    links = Prefetch(
        "evidence_items",
        queryset=MeasurementEvidence.objects.exclude(url="").order_by("added_at", "pk"),
        to_attr="links",
    )
    measurements = (
        Measurement.objects.filter(kpi__worksheet=worksheet)
        .select_related("kpi")
        .prefetch_related(links)
        .order_by("kpi__position", "kpi__pk", "period_start", "period_kind")
    )
    for m in measurements:
        yield [
            m.kpi.name,
            m.get_period_kind_display(),
            m.period_start,
            m.value,
            m.result_text,
            m.get_result_status_display() if m.result_status else "",
            m.note,
            # One link a line; the files stay in the service (members only).
            "\n".join(item.url for item in m.links),
            m.period.label(style),
            breakdown.parts_cell(m.kpi.breakdown_categories, m.parts),
        ]


def rows_for(table: str, worksheet: Worksheet, style: str) -> Iterable[list[Cell]]:
    return kpi_rows(worksheet, style) if table == "kpis" else measurement_rows(worksheet, style)


def to_csv(table: str, worksheet: Worksheet, style: str) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(TABLES[table])
    for row in rows_for(table, worksheet, style):
        writer.writerow([_csv_cell(value) for value in row])
    return out.getvalue().encode("utf-8-sig")


def _csv_cell(value: Cell) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return number_text(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, int):
        return str(value)
    return neutralise(value)


def to_xlsx(table: str, worksheet: Worksheet, style: str) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    assert isinstance(sheet, Tab)  # a new workbook's one sheet
    _fill(sheet, SHEET_TITLES[table], TABLES[table], rows_for(table, worksheet, style))
    if table == "kpis":
        _fill(
            book.create_sheet(),
            AGREEMENT_SHEET_TITLE,
            AGREEMENT_SHEET_COLUMNS,
            agreement_sheet_rows(worksheet),
        )
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _fill(sheet: Tab, title: str, columns: list[str], rows: Iterable[list[Cell]]) -> None:
    sheet.title = title
    sheet.append(columns)
    for row_number, row in enumerate(rows, start=2):
        for column, value in enumerate(row, start=1):
            write_cell(sheet.cell(row=row_number, column=column), value)
    for column, heading in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = max(12, len(heading) * 2 + 2)
    sheet.freeze_panes = "A2"


# --- Parsing values --------------------------------------------------------------------------


class BadValue(Exception):
    pass


def _text(value: object) -> str:
    """A key, a choice or a number as text, without surrounding blanks."""
    return _free_text(value).strip()


def _free_text(value: object) -> str:
    """Free text exactly as written: a leading tab or a line break is part of it."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


# A number as people type it in a spreadsheet, after NFKC has turned full-width digits and
# signs into ASCII: digits with an optional sign, decimal point and exponent (Excel writes large
# numbers as 1.2E+15). Only ASCII digits: Decimal() itself would also read other scripts' digits.
NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?", re.ASCII)
LIMIT = Decimal(10) ** (MAX_DIGITS - DECIMAL_PLACES)
PLACES = Decimal(1).scaleb(-DECIMAL_PLACES)


def _decimal(value: object, column: str) -> Decimal | None:
    """A number the model can store, or BadValue.

    Full-width digits (「１２３」) and thousands separators are read as Excel users type them.
    NaN, Infinity and numbers too large or too precise are refused with the reason; the magnitude
    is checked before rounding, because rounding 1e30 to three places needs more digits than the
    decimal context has and raises InvalidOperation.
    """
    if value is None or _text(value) == "":
        return None
    not_a_number = f"「{column}」は数値で入力してください（「{value}」）。"
    if isinstance(value, bool):
        raise BadValue(not_a_number)
    if isinstance(value, int | float):
        number = Decimal(str(value))
    else:
        cleaned = unicodedata.normalize("NFKC", str(value)).strip().replace(",", "")
        cleaned = cleaned.replace("\u2212", "-")  # the minus sign of Japanese IMEs and Word
        if not NUMBER.fullmatch(cleaned):
            raise BadValue(not_a_number)
        number = Decimal(cleaned)
    if not number.is_finite():
        raise BadValue(not_a_number)
    if number.is_zero():  # also "-0" and "0E+999": zero, stored and exported as 0
        return Decimal(0).quantize(PLACES)
    # By the exponent, not abs(): arithmetic on 1e999999999999 overflows the context.
    if number.adjusted() >= MAX_DIGITS - DECIMAL_PLACES:
        raise BadValue(
            f"「{column}」の値が大きすぎます（「{value}」）。絶対値が{LIMIT:,}未満の数にしてください。"
        )
    try:
        rounded = number.quantize(PLACES)
    except InvalidOperation:  # defensive: the checks above leave no case that raises
        raise BadValue(not_a_number) from None
    if rounded != number:
        raise BadValue(f"「{column}」の小数は{DECIMAL_PLACES}桁までにしてください。")
    return rounded


DATE_TEXT = re.compile(r"(\d{4})[-/年](\d{1,2})[-/月](\d{1,2})日?", re.ASCII)


def _date(value: object, column: str) -> date | None:
    if value is None or _text(value) == "":
        return None
    if isinstance(value, datetime):
        day = value.date()
    elif isinstance(value, date):
        day = value
    else:
        text = unicodedata.normalize("NFKC", str(value)).strip()
        match = DATE_TEXT.fullmatch(text)
        if match:
            try:
                day = date(*(int(part) for part in match.groups()))
            except ValueError:
                raise BadValue(f"「{column}」の日付「{value}」は存在しません。") from None
        else:
            # 和暦 as people type it: 令和7年4月1日, R7.4.1.
            try:
                era_day = jc.parse_era_date(text)
            except ValueError as error:
                raise BadValue(f"「{column}」の{error}") from None
            if era_day is None:
                raise BadValue(
                    f"「{column}」は 2025-04-01 か 令和7年4月1日 の形で入力してください"
                    f"（「{value}」）。"
                )
            day = era_day
    if problem := jc.day_problem(day, column):
        raise BadValue(problem)
    return day


def _fiscal_year(value: object, column: str) -> int | None:
    """A 年度 in any form cases/japanese_calendar reads (令和7年度, R7, 2025年度…)."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    try:
        return jc.parse_fiscal_year(value, column)
    except jc.FiscalYearUnreadable as error:
        raise BadValue(str(error)) from None


def _period_start(value: object, kind: str) -> date | None:
    """The cell 期間の開始日: a date; for a 年度's measurement also the 年度 itself (令和7年度)."""
    column = "期間の開始日"
    try:
        return _date(value, column)
    except BadValue:
        # A date that is one, but wrong (out of range, 2025-02-30), is refused as a date.
        text = unicodedata.normalize("NFKC", _text(value))
        if (
            kind != PeriodKind.FISCAL_YEAR
            or isinstance(value, date)
            or DATE_TEXT.fullmatch(text)
            or jc.ERA_DATE.fullmatch(text.strip())
        ):
            raise
    try:
        year = jc.parse_fiscal_year(value, column)
    except jc.FiscalYearUnreadable:
        raise BadValue(
            f"「{column}」は 2025-04-01 の形か、年度の測定値なら{jc.FISCAL_YEAR_EXAMPLES}"
            f"の形で入力してください（「{value}」）。"
        ) from None
    return None if year is None else jc.fiscal_year_bounds(year)[0]


def _year_targets(value: object) -> dict[int, Decimal]:
    """The cell 年度別の目標: one 「年度：目標値」 a line (令和7年度：120 or 2025年度:120)."""
    column = "年度別の目標"
    targets: dict[int, Decimal] = {}
    lines = [line.strip() for line in _free_text(value).splitlines()]
    lines = [line for line in lines if line]
    if len(lines) > MAX_YEAR_TARGETS:
        raise BadValue(f"「{column}」は{MAX_YEAR_TARGETS}年度分までにしてください。")
    for line in lines:
        year_text, colon, number = unicodedata.normalize("NFKC", line).rpartition(":")
        if not colon:
            raise BadValue(
                f"「{column}」は1行に1年度ずつ「令和7年度：120」の形で入力してください（「{line}」）。"
            )
        year = _fiscal_year(year_text, column)
        amount = _decimal(number, column)
        if year is None or amount is None:
            raise BadValue(
                f"「{column}」は1行に1年度ずつ「令和7年度：120」の形で入力してください（「{line}」）。"
            )
        if year in targets:
            raise BadValue(
                f"「{column}」に{jc.wareki_fiscal_year(year)}が2回あります（「{line}」）。"
            )
        targets[year] = amount
    return targets


def _choice(
    value: object, column: str, choices: Sequence[tuple[str, str]], required: bool = True
) -> str:
    """A choice given by its Japanese label (as exported) or by its stored key."""
    text = _text(value)
    if not text:
        if required:
            raise BadValue(f"「{column}」を入力してください。")
        return ""
    for key, label in choices:
        if text in (label, key):
            return key
    options = "」「".join(label for _, label in choices)
    raise BadValue(f"「{column}」は「{options}」のいずれかにしてください（「{text}」）。")


def _position(value: object) -> int:
    text = unicodedata.normalize("NFKC", _text(value))
    if not text:
        return 0
    if (number := int_or_none(text)) is None:
        raise BadValue(f"「表示順」は0以上の整数で入力してください（「{value}」）。")
    return number


def _check(instance: models.Model, exclude: list[str]) -> None:
    """The model's own validation of one row, each message naming its column."""
    try:
        instance.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
    except ValidationError as error:
        messages = []
        for name, problems in error.message_dict.items():
            if name == "__all__":
                messages.extend(problems)
                continue
            # Messages name concrete fields; a reverse relation would have no verbose name.
            model_field = instance._meta.get_field(name)
            column = model_field.verbose_name if isinstance(model_field, models.Field) else name
            messages.extend(f"「{column}」: {problem}" for problem in problems)
        raise BadValue(" ".join(messages)) from None


# --- Import --------------------------------------------------------------------------------


@dataclass
class ImportResult:
    table: str
    encoding: str = ""
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)

    @property
    def table_label(self) -> str:
        return "KPIの一覧" if self.table == "kpis" else "測定値の一覧"


def import_file(name: str, data: bytes, worksheet: Worksheet, user: User) -> ImportResult:
    """Reads and checks every row, then writes all of them in one transaction, or none."""
    sheet = read_upload(name, data)
    table, columns = detect_columns(list(sheet.header))
    result = ImportResult(table, sheet.encoding)
    if not sheet.rows:
        raise ImportRefused("見出しの行しかありません。読み込むデータの行を入れてください。")
    # Each row by its columns' names: a column an older file lacks reads as blank.
    rows = [
        (number, {column: cells[i] if i < len(cells) else None for i, column in enumerate(columns)})
        for number, cells in sheet.rows
    ]
    if table == "kpis":
        _import_kpis(rows, worksheet, user, result)
    else:
        _import_measurements(rows, worksheet, user, result)
    return result


KPI_FIELDS = [
    "group",
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
    "responsible_id",
    "effect_dimension",
    "position",
    "breakdown_name",
    "breakdown_categories",
]


# The write happens a moment after the rows were checked, and people keep working meanwhile.
# It reads the KPIs and measurements again inside its transaction, locked, and goes on only if
# each row it is about to write is still as the check saw it: otherwise it refuses the whole
# file rather than write over a change nobody has seen.
CHANGED_MEANWHILE = (
    "読み込みの途中で、ほかの方が{what}。何も読み込んでいません。"
    "画面で最新の内容を確認してから、もう一度読み込んでください。"
)
ADDED_MEANWHILE = CHANGED_MEANWHILE.format(
    what="同じKPIまたは同じ期間の測定値を追加したか、KPIを削除しました"
)


def _import_kpis(
    rows: list[tuple[int, dict[str, object]]],
    worksheet: Worksheet,
    user: User,
    result: ImportResult,
) -> None:
    # The version of each KPI as the rows are checked: the write is a compare-and-set on it.
    checked = dict(Kpi.objects.filter(worksheet=worksheet).values_list("name", "version"))
    # Each KPI's categories and frequency as the rows are checked: a category with recorded
    # parts stays, and so does a measured KPI's frequency.
    as_checked = list(
        Kpi.objects.filter(worksheet=worksheet).values_list(
            "name", "pk", "breakdown_categories", "frequency"
        )
    )
    categories = {name: (pk, labels) for name, pk, labels, _ in as_checked}
    frequencies = {name: (pk, frequency) for name, pk, _, frequency in as_checked}
    organizations = {org.name: org.pk for org in worksheet_organizations(worksheet)}
    seen: dict[str, int] = {}
    # Each KPI's yearly path as the rows are checked; a changed path is an update.
    paths: dict[int, dict[int, Decimal]] = {}
    for kpi_id, year, value in KpiYearTarget.objects.filter(kpi__worksheet=worksheet).values_list(
        "kpi_id", "fiscal_year", "value"
    ):
        paths.setdefault(kpi_id, {})[year] = value
    # Each agreement's text and version as the rows are checked; a file from before the
    # agreement's columns leaves every agreement as it is.
    with_agreement = AGREEMENT_COLUMNS.keys() <= rows[0][1].keys()
    agreements = {
        a.kpi_id: (a.version, _agreement_text(a))
        for a in MeasurementAgreement.objects.filter(kpi__worksheet=worksheet)
    }
    parsed: list[tuple[str, dict[str, Any], dict[int, Decimal], dict[str, str] | None]] = []
    for number, cells in rows:
        values = dict.fromkeys(KPI_COLUMNS) | cells
        name = _text(values["KPI名"])
        try:
            if not name:
                raise BadValue("「KPI名」を入力してください。")
            if len(name) > 100:
                raise BadValue("「KPI名」は100文字以内にしてください。")
            if name in seen:
                raise BadValue(f"KPI「{name}」が{seen[name]}行目と重複しています。")
            seen[name] = number
            org_name = _text(values["測定を担当する組織"])
            if org_name and org_name not in organizations:
                raise BadValue(
                    f"測定を担当する組織「{org_name}」は、このプロジェクトの参加組織にありません。"
                )
            fields: dict[str, Any] = {
                "group": _choice(values["KPIの群"], "KPIの群", KpiGroup.choices),
                "definition": _free_text(values["定義"]),
                "unit": _free_text(values["単位"]),
                "direction": _choice(values["望ましい方向"], "望ましい方向", Direction.choices),
                "accumulation": _accumulation(values["値の数え方"]),
                "baseline_value": _decimal(values["基準値"], "基準値"),
                "baseline_date": _date(values["基準日"], "基準日"),
                "target_value": _decimal(values["目標値"], "目標値"),
                "target_date": _date(values["目標日"], "目標日"),
                "target_fiscal_year": _fiscal_year(values["目標年度"], "目標年度"),
                "target_text": _free_text(values["目標（文章）"]),
                "method": _free_text(values["測定方法"]),
                "frequency": _choice(values["測定頻度"], "測定頻度", Frequency.choices),
                "responsible_id": organizations.get(org_name),
                "effect_dimension": _choice(
                    values["裏付ける効果"], "裏付ける効果", EFFECT_CHOICES, required=False
                ),
                "position": _position(values["表示順"]),
                "breakdown_name": _text(values["内訳の分け方"]),
                "breakdown_categories": breakdown.split_lines(_free_text(values["内訳の区分"])),
            }
            if name in categories and (
                problem := breakdown.removed_with_parts(
                    *categories[name], fields["breakdown_categories"]
                )
            ):
                raise BadValue(problem)
            if name in frequencies and (
                problem := frequency_kept(*frequencies[name], fields["frequency"])
            ):
                raise BadValue(problem)
            targets = _year_targets(values["年度別の目標"])
            if targets and fields["target_value"] is None:
                raise BadValue(
                    "「年度別の目標」は、数値の目標（目標値）があるKPIに入力してください。"
                )
            _check(Kpi(worksheet=worksheet, name=name, **fields), ["worksheet", "updated_by"])
            text = None
            if with_agreement:
                text = {
                    field: _free_text(values[column]) for column, field in AGREEMENT_COLUMNS.items()
                }
                _check(MeasurementAgreement(**text), ["kpi", "updated_by"])
        except BadValue as problem:
            result.errors.append((number, str(problem)))
            continue
        parsed.append((name, fields, targets, text))
    if result.errors:
        return
    if (count := len(checked.keys() | {name for name, *_ in parsed})) > limits.KPIS:
        raise ImportRefused(
            f"読み込むとKPIが{count:,}件になります。1つのワークシートに登録できるKPIは"
            f"{limits.KPIS:,}件までです。何も読み込んでいません。"
        )
    now = timezone.now()
    try:
        with transaction.atomic():
            # The worksheet's row first, as every KPI write: a KPI added on the screen meanwhile
            # is counted here, not past the limit.
            lock_worksheet(worksheet)
            current = {
                kpi.name: kpi for kpi in Kpi.objects.select_for_update().filter(worksheet=worksheet)
            }
            if (count := len(current.keys() | {name for name, *_ in parsed})) > limits.KPIS:
                raise ImportRefused(
                    f"読み込むとKPIが{count:,}件になります。1つのワークシートに登録できるKPIは"
                    f"{limits.KPIS:,}件までです。何も読み込んでいません。"
                )
            for name, fields, targets, text in parsed:
                kpi = current.get(name)
                if kpi is None and name in checked:
                    what = f"KPI「{name}」を削除したか、名前を変えました"
                    raise ImportRefused(CHANGED_MEANWHILE.format(what=what))
                if kpi is None:
                    kpi = Kpi.objects.create(
                        worksheet=worksheet, name=name, updated_by=user, updated_at=now, **fields
                    )
                    _write_year_targets(kpi, targets, replace=False)
                    if text and any(text.values()):
                        _write_agreement(kpi, text, None, user, now)
                    result.created += 1
                    continue
                if name not in checked:
                    what = f"KPI「{name}」を追加しました"
                    raise ImportRefused(CHANGED_MEANWHILE.format(what=what))
                stored = agreements.get(kpi.pk)
                agreed = text is not None and text != (stored[1] if stored else BLANK_AGREEMENT)
                if agreed and not _write_agreement(kpi, text or {}, stored, user, now):
                    what = f"KPI「{name}」の測定の合意を更新しました"
                    raise ImportRefused(CHANGED_MEANWHILE.format(what=what))
                measured_as = (kpi.method, kpi.frequency)
                if (
                    any(getattr(kpi, key) != value for key, value in fields.items())
                    or paths.get(kpi.pk, {}) != targets
                ):
                    # Checked again under the lock: a part entered meanwhile stays.
                    if kept := breakdown.removed_with_parts(
                        kpi.pk, kpi.breakdown_categories, fields["breakdown_categories"]
                    ):
                        raise ImportRefused(f"KPI「{name}」：{kept}何も読み込んでいません。")
                    # And a measurement entered meanwhile keeps the frequency.
                    if kept := frequency_kept(kpi.pk, kpi.frequency, fields["frequency"]):
                        raise ImportRefused(f"KPI「{name}」：{kept}何も読み込んでいません。")
                    # The path is written under the KPI's compare-and-set, as on the screen.
                    if not compare_and_set(
                        Kpi.objects.filter(pk=kpi.pk),
                        checked[name],
                        **fields,
                        updated_by=user,
                        updated_at=now,
                    ):
                        what = f"KPI「{name}」を更新しました"
                        raise ImportRefused(CHANGED_MEANWHILE.format(what=what))
                    if paths.get(kpi.pk, {}) != targets:
                        _write_year_targets(kpi, targets, replace=True)
                    # As on the screen: how and how often it is measured are part of what the
                    # two sides confirmed.
                    if measured_as != (fields["method"], fields["frequency"]):
                        withdraw_confirmations(kpi, user)
                    result.updated += 1
                elif agreed:
                    result.updated += 1
                else:
                    result.unchanged += 1
            if result.created or result.updated:
                touch(worksheet)
    except IntegrityError:
        # A row that appeared between the locked read and the insert (a lock cannot cover
        # rows that do not exist yet), or a KPI deleted under a measurement.
        raise ImportRefused(ADDED_MEANWHILE) from None


BLANK_AGREEMENT = dict.fromkeys(MeasurementAgreement.TEXT_FIELDS, "")


def _agreement_text(agreement: MeasurementAgreement) -> dict[str, str]:
    return {name: getattr(agreement, name) for name in MeasurementAgreement.TEXT_FIELDS}


def _write_agreement(
    kpi: Kpi,
    text: dict[str, str],
    stored: tuple[int, dict[str, str]] | None,
    user: User,
    now: datetime,
) -> bool:
    """The agreement's text from the file, by compare-and-set on its version as the rows were
    checked. As on the screen, a change withdraws both sides' confirmations: a file can change
    what was agreed, never confirm it (the confirmations' column is not read)."""
    version = stored[0] if stored else 0
    saved = save_versioned(
        MeasurementAgreement,
        {"kpi": kpi},
        version,
        **text,
        **UNCONFIRMED,
        updated_by=user,
        updated_at=now,
    )
    if saved:
        record_history(
            kpi, user, "ファイルから内容を変更（両側の確認を取り消し）", created=not version
        )
    return bool(saved)


def _accumulation(value: object) -> str:
    """The cell 値の数え方: 「期間ごと」 or 「累計」 (the label's first word is enough); blank, or a
    file from before the column, is 期間ごと."""
    text = _text(value)
    if not text:
        return str(Accumulation.PER_PERIOD)
    for key, label in Accumulation.choices:
        if text in (key, label, label.split("（")[0]):
            return str(key)
    raise BadValue(f"「値の数え方」は「期間ごと」か「累計」にしてください（「{text}」）。")


def _write_year_targets(kpi: Kpi, targets: dict[int, Decimal], *, replace: bool) -> None:
    if replace:
        KpiYearTarget.objects.filter(kpi=kpi).delete()
    KpiYearTarget.objects.bulk_create(
        KpiYearTarget(kpi=kpi, fiscal_year=year, value=value)
        for year, value in sorted(targets.items())
    )


def _import_measurements(
    rows: list[tuple[int, dict[str, object]]],
    worksheet: Worksheet,
    user: User,
    result: ImportResult,
) -> None:
    kpis = {kpi.name: kpi for kpi in Kpi.objects.filter(worksheet=worksheet)}
    # Each measurement as the rows are checked; the write goes on only if it is still so.
    checked = {
        (m.kpi_id, m.period): _state(m)
        for m in Measurement.objects.filter(kpi__worksheet=worksheet).order_by(
            "kpi_id", "period_start", "period_kind"
        )
    }
    seen: dict[tuple[int, Period], int] = {}
    parsed: list[tuple[Kpi, Period, dict[str, Any], list[str]]] = []
    for number, cells in rows:
        values = dict.fromkeys(MEASUREMENT_COLUMNS) | cells
        try:
            name = _text(values["KPI名"])
            kpi = kpis.get(name)
            if kpi is None:
                raise BadValue(
                    f"KPI「{name}」はこのワークシートにありません。先にKPIの一覧を読み込むか、画面で追加してください。"
                    if name
                    else "「KPI名」を入力してください。"
                )
            kind = _choice(values["期間の種類"], "期間の種類", PeriodKind.choices)
            start = _period_start(values["期間の開始日"], kind)
            if start is None:
                raise BadValue("「期間の開始日」を入力してください。")
            try:
                period = Period.checked(kind, start)
            except ValueError as error:
                raise BadValue(str(error)) from None
            # A row already stored (the KPI's frequency changed since) round-trips as it is.
            if problem := kpi.period_problem(period, check_kind=(kpi.pk, period) not in checked):
                raise BadValue(problem)
            if (kpi.pk, period) in seen:
                raise BadValue(
                    f"KPI「{name}」の同じ期間（{period.label()}）が{seen[(kpi.pk, period)]}行目にもあります。"
                )
            seen[(kpi.pk, period)] = number
            value = _decimal(values["測定値"], "測定値")
            if problem := below_zero_problem(kpi.unit, value, "測定値"):
                raise BadValue(problem)
            fields: dict[str, Any] = {
                "value": value,
                "result_text": _free_text(values["結果（文章）"]),
                "result_status": _choice(
                    values["達成状況"], "達成状況", ResultStatus.choices, required=False
                ),
                "note": _free_text(values["メモ"]),
            }
            fields["parts"] = _parts(values["内訳"], kpi, value)
            urls = _links(values["根拠資料のリンク"])
            if kpi.is_text_target and not fields["result_status"]:
                raise BadValue(
                    f"KPI「{name}」は文章の目標のため、「達成状況」（達成／未達成）を入力してください。"
                )
            if not kpi.is_text_target and fields["value"] is None:
                raise BadValue(f"KPI「{name}」の「測定値」を入力してください。")
            candidate = Measurement(
                kpi=kpi, period_kind=period.kind, period_start=period.start, **fields
            )
            _check(candidate, ["kpi", "entered_by"])
        except BadValue as problem:
            result.errors.append((number, str(problem)))
            continue
        parsed.append((kpi, period, fields, urls))
    if result.errors:
        return
    after: dict[int, set[Period]] = {}
    for kpi_id, period in [*checked, *((kpi.pk, period) for kpi, period, _, _ in parsed)]:
        after.setdefault(kpi_id, set()).add(period)
    for kpi in kpis.values():
        if len(after.get(kpi.pk, ())) > limits.MEASUREMENTS_PER_KPI:
            raise ImportRefused(
                f"読み込むとKPI「{kpi.name}」の測定値が{len(after[kpi.pk]):,}件になります。"
                f"1つのKPIに記録できる測定値は{limits.MEASUREMENTS_PER_KPI:,}件までです。"
                "何も読み込んでいません。"
            )
    now = timezone.now()
    try:
        with transaction.atomic():
            lock_worksheet(worksheet)
            # The rows were checked against these KPIs' baselines, targets and kinds of target.
            used = {kpi.pk: kpi for kpi, _, _, _ in parsed}
            versions = dict(
                Kpi.objects.select_for_update().filter(pk__in=used).values_list("pk", "version")
            )
            for pk, kpi in used.items():
                if versions.get(pk) != kpi.version:
                    what = f"KPI「{kpi.name}」を更新または削除しました"
                    raise ImportRefused(CHANGED_MEANWHILE.format(what=what))
            current = {
                (m.kpi_id, m.period): m
                for m in Measurement.objects.select_for_update(of=("self",)).filter(
                    kpi__worksheet=worksheet
                )
            }
            # Counted again under the lock: a measurement entered on the screen meanwhile counts.
            periods: dict[int, set[Period]] = {}
            for kpi_id, period in [*current, *((kpi.pk, period) for kpi, period, _, _ in parsed)]:
                periods.setdefault(kpi_id, set()).add(period)
            for pk, kpi in used.items():
                if (total := len(periods[pk])) > limits.MEASUREMENTS_PER_KPI:
                    raise ImportRefused(
                        f"読み込むとKPI「{kpi.name}」の測定値が{total:,}件になります。"
                        f"1つのKPIに記録できる測定値は{limits.MEASUREMENTS_PER_KPI:,}件までです。"
                        "何も読み込んでいません。"
                    )
            linked = {
                (item.measurement_id, item.url)
                for item in MeasurementEvidence.objects.filter(
                    measurement__kpi__worksheet=worksheet
                ).exclude(url="")
            }
            corrected: list[Measurement] = []
            for kpi, period, fields, urls in parsed:
                measurement = current.get((kpi.pk, period))
                if _state(measurement) != checked.get((kpi.pk, period)):
                    what = f"KPI「{kpi.name}」の{period.label()}の測定値を入力・変更・削除しました"
                    raise ImportRefused(CHANGED_MEANWHILE.format(what=what))
                if measurement is None:
                    measurement = Measurement.objects.create(
                        kpi=kpi,
                        period_kind=period.kind,
                        period_start=period.start,
                        entered_by=user,
                        entered_at=now,
                        **fields,
                    )
                    result.created += 1
                    new_links = urls
                else:
                    # A link the file adds joins the measurement's evidence; none is removed
                    # (files and links added on the screen stay).
                    new_links = [url for url in urls if (measurement.pk, url) not in linked]
                    if any(getattr(measurement, key) != value for key, value in fields.items()):
                        # The version moves on: a correction opened before the import loses.
                        Measurement.objects.filter(pk=measurement.pk).update(
                            **fields, entered_by=user, entered_at=now, version=F("version") + 1
                        )
                        for key, value in fields.items():
                            setattr(measurement, key, value)
                        measurement.version += 1
                        corrected.append(measurement)
                        result.updated += 1
                    elif new_links:
                        result.updated += 1
                    else:
                        result.unchanged += 1
                MeasurementEvidence.objects.bulk_create(
                    MeasurementEvidence(
                        measurement=measurement, url=url, added_by=user, added_at=now
                    )
                    for url in new_links
                )
            # An UPDATE sends no signal: the history records each corrected value (old → new).
            Measurement.history.bulk_history_create(
                corrected, update=True, default_user=user, default_change_reason="ファイルから訂正"
            )
            if result.created or result.updated:
                touch(worksheet)
    except IntegrityError:
        raise ImportRefused(ADDED_MEANWHILE) from None


MEASUREMENT_FIELDS = ["value", "parts", "result_text", "result_status", "note"]


def _parts(value: object, kpi: Kpi, total: Decimal | None) -> dict[str, str]:
    """The cell 内訳: 「北部=12;中部=8」 (full-width ＝ and ； read too), checked against the
    KPI's categories and the measurement's value (kpis/breakdown.py)."""
    column = "内訳"
    text = _free_text(value).replace("＝", "=").replace("；", ";")
    categories = kpi.breakdown_categories if kpi.breakdown_name else []
    given: dict[str, Decimal] = {}
    items = [item.strip() for item in text.split(";") if item.strip()]
    if len(items) > limits.BREAKDOWN_CATEGORIES:
        raise BadValue(f"「{column}」は{limits.BREAKDOWN_CATEGORIES}区分までにしてください。")
    for item in items:
        label, equals, number = item.partition("=")
        label = label.strip()
        if not equals or not label:
            raise BadValue(
                f"「{column}」は「北部=12;中部=8」のように、区分=値 を ; で区切って入力してください"
                f"（「{item}」）。"
            )
        if label in given:
            raise BadValue(f"「{column}」に区分「{label}」が2回あります。")
        amount = _decimal(number, f"{column}（{label}）")
        if problem := below_zero_problem(kpi.unit, amount, f"{column}（{label}）"):
            raise BadValue(problem)
        if amount is not None:
            given[label] = amount
    if problem := breakdown.parts_problem(kpi.breakdown_name, categories, total, given):
        raise BadValue(problem)
    return breakdown.stored(categories, given)


def _links(value: object) -> list[str]:
    """The cell 根拠資料のリンク: one http(s) link a line, each at most 500 characters."""
    urls = list(dict.fromkeys(line.strip() for line in _free_text(value).splitlines()))
    urls = [url for url in urls if url]
    if len(urls) > limits.EVIDENCE_PER_MEASUREMENT:
        raise BadValue(
            f"「根拠資料のリンク」は1つの測定値に{limits.EVIDENCE_PER_MEASUREMENT}件までです。"
        )
    for url in urls:
        try:
            if len(url) > 500:
                raise ValidationError("too long")
            web_url(url)
        except ValidationError:
            raise BadValue(
                "「根拠資料のリンク」は http:// か https:// で始まる500文字までのURLを、"
                "1行に1つずつ入力してください。"
            ) from None
    return urls


def _state(measurement: Measurement | None) -> tuple[object, ...] | None:
    """What the import compares and writes of a measurement (it has no version to compare)."""
    if measurement is None:
        return None
    return (measurement.pk, *(getattr(measurement, key) for key in MEASUREMENT_FIELDS))
