"""The KPI app's share of the project document (worksheets/project.py).

Connected in KpisConfig.ready(): the export adds "kpis" and "effect_notes", the import reads
them back into a new worksheet, the comparison reports their differences, and a worksheet
started from a template gets the template's KPIs.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Count, Field, Max, Model, Prefetch
from django.utils import timezone

from cases import japanese_calendar as jc
from cases.content import EFFECT_DIMENSIONS
from kpis import breakdown
from kpis.charts import format_number
from kpis.files import MAX_YEAR_TARGETS
from kpis.forms import KPIS_FULL, worksheet_organizations
from kpis.models import (
    EFFECT_CHOICES,
    Accumulation,
    Direction,
    EffectNote,
    Kpi,
    KpiGroup,
    KpiYearTarget,
    Measurement,
    MeasurementAgreement,
    MeasurementEvidence,
    ResultStatus,
    below_zero_problem,
)
from kpis.periods import Frequency, Period, PeriodKind
from worksheets import limits
from worksheets.models import Organization, User, Worksheet, web_url
from worksheets.portable.compare import difference, pair_up
from worksheets.portable.document import iso_moment, name_of
from worksheets.portable.values import (
    WorksheetFileError,
    choice,
    day,
    entries,
    moment,
    person_name,
    person_named,
    record,
    text,
)
from worksheets.sheet.writes import TooMany

# The keys of a KPI in format 1 of the project file, in the order the file writes them.
KPI_KEYS = (
    "group",
    "name",
    "definition",
    "unit",
    "baseline_value",
    "baseline_date",
    "target_value",
    "target_date",
    "target_fiscal_year",
    "target_text",
    "direction",
    "accumulation",
    "method",
    "frequency",
    "responsible",
    "effect_dimension",
    "breakdown_name",
    "breakdown_categories",
    "year_targets",
    "measurements",
    "agreement",
)
YEAR_TARGET_KEYS = ("fiscal_year", "value")
# What a KPI written before a key existed means by its absence.
KPI_DEFAULTS: dict[str, Any] = {
    "agreement": None,
    "accumulation": Accumulation.PER_PERIOD.value,
    "year_targets": [],
    "breakdown_name": "",
    "breakdown_categories": [],
}
MEASUREMENT_KEYS = (
    "period_kind",
    "period_start",
    "period_label",
    "value",
    "parts",
    "result_text",
    "result_status",
    "note",
    "evidence",
    "entered_by",
    "entered_at",
)
EVIDENCE_KEYS = ("title", "url")
DIMENSION_ORDER = [d["key"] for d in EFFECT_DIMENSIONS]


def _number(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def _day(value: date | None) -> str | None:
    return value.isoformat() if value else None


# --- Export ------------------------------------------------------------------------------------


def export_part(sender: type[Worksheet], worksheet: Worksheet, **kwargs: Any) -> dict[str, Any]:
    """doc["kpis"] and doc["effect_notes"], in the order the KPI pages show them."""
    kpis = (
        Kpi.objects.filter(worksheet=worksheet)
        .select_related("responsible")
        .prefetch_related(
            "year_targets",
            Prefetch(
                "measurements",
                queryset=Measurement.objects.select_related("entered_by").order_by(
                    "period_start", "period_kind", "pk"
                ),
            ),
            # Only the links: evidence files stay in the service, with its access checks.
            Prefetch(
                "measurements__evidence_items",
                queryset=MeasurementEvidence.objects.exclude(url="").order_by("added_at", "pk"),
            ),
        )
        .select_related("agreement__municipality_confirmed_by", "agreement__company_confirmed_by")
        .order_by("position", "pk")
    )
    notes = {n.dimension: n.text for n in EffectNote.objects.filter(worksheet=worksheet)}
    return {
        "kpis": [
            {
                "group": kpi.group,
                "name": kpi.name,
                "definition": kpi.definition,
                "unit": kpi.unit,
                "baseline_value": _number(kpi.baseline_value),
                "baseline_date": _day(kpi.baseline_date),
                "target_value": _number(kpi.target_value),
                "target_date": _day(kpi.target_date),
                "target_fiscal_year": kpi.target_fiscal_year,
                "target_text": kpi.target_text,
                "direction": kpi.direction,
                "accumulation": kpi.accumulation,
                "method": kpi.method,
                "frequency": kpi.frequency,
                "responsible": kpi.responsible.name if kpi.responsible else "",
                "effect_dimension": kpi.effect_dimension,
                "breakdown_name": kpi.breakdown_name,
                "breakdown_categories": list(kpi.breakdown_categories),
                "year_targets": [
                    {"fiscal_year": t.fiscal_year, "value": _number(t.value)}
                    for t in kpi.year_targets.all()
                ],
                "measurements": [
                    {
                        "period_kind": m.period_kind,
                        "period_start": m.period_start.isoformat(),
                        # For readers without the kpis app (the PDF): 令和7年度 第1四半期（4〜6月）.
                        "period_label": m.period.label("wareki"),
                        "value": _number(m.value),
                        # {区分: "12"} in the KPI's order of categories.
                        "parts": breakdown.stored(
                            kpi.breakdown_categories, breakdown.values(m.parts)
                        ),
                        "result_text": m.result_text,
                        "result_status": m.result_status,
                        "note": m.note,
                        "evidence": [
                            {"title": e.title, "url": e.url} for e in m.evidence_items.all()
                        ],
                        "entered_by": name_of(m.entered_by),
                        "entered_at": iso_moment(m.entered_at),
                    }
                    for m in kpi.measurements.all()
                ],
                "agreement": _agreement_part(kpi),
            }
            for kpi in kpis
        ],
        "effect_notes": {key: notes[key] for key in DIMENSION_ORDER if key in notes},
    }


# --- Import ------------------------------------------------------------------------------------


def _agreement_part(kpi: Kpi) -> dict[str, Any] | None:
    """The KPI's measurement agreement and who confirmed it for each side (the PDF shows both)."""
    try:
        agreement = kpi.agreement
    except MeasurementAgreement.DoesNotExist:
        return None
    return {
        **{key: getattr(agreement, key) for key in MeasurementAgreement.TEXT_FIELDS},
        "municipality_confirmed_by": name_of(agreement.municipality_confirmed_by)
        if agreement.municipality_confirmed
        else "",
        "municipality_confirmed_at": iso_moment(agreement.municipality_confirmed_at)
        if agreement.municipality_confirmed_at
        else None,
        "company_confirmed_by": name_of(agreement.company_confirmed_by)
        if agreement.company_confirmed
        else "",
        "company_confirmed_at": iso_moment(agreement.company_confirmed_at)
        if agreement.company_confirmed_at
        else None,
    }


AGREEMENT_KEYS = (
    *MeasurementAgreement.TEXT_FIELDS,
    "municipality_confirmed_by",
    "municipality_confirmed_at",
    "company_confirmed_by",
    "company_confirmed_at",
)
AGREEMENT_LENGTHS = {"data_source": 200, "measured_by": 100, "coverage": 2000}
AGREEMENT_LABELS = {
    "data_source": "データの出どころ",
    "measured_by": "測定する人・部署",
    "coverage": "何をどこまで測るか",
}


def _parse_agreement(value: Any, where: str) -> dict[str, str] | None:
    """The agreement's text; its confirmations are not carried over: in the new project, its
    own owners confirm what they agree to."""
    if value is None:
        return None
    item = record(value, f"{where}の測定の合意", AGREEMENT_KEYS)
    return {
        key: text(
            item[key], f"{where}の測定の合意（{AGREEMENT_LABELS[key]}）", AGREEMENT_LENGTHS[key]
        )
        for key in MeasurementAgreement.TEXT_FIELDS
    }


def _decimal(value: Any, where: str) -> Decimal | None:
    """A number written as a string ("1000.000"), as the export writes it; or null."""
    if value is None:
        return None
    try:
        if not isinstance(value, str):
            raise InvalidOperation
        number = Decimal(value)
        if not number.is_finite():
            raise InvalidOperation
    except InvalidOperation:
        raise WorksheetFileError(
            f'{where}「{value}」は数値として読めません（例："1000"）。'
        ) from None
    return number


def _verbose_name(instance: Model, name: str) -> str:
    # Messages name concrete fields; a reverse relation would have no verbose name.
    model_field = instance._meta.get_field(name)
    return str(model_field.verbose_name) if isinstance(model_field, Field) else name


def _validate(instance: Model, exclude: list[str], where: str) -> None:
    """The model's own rules (lengths, digits, targets), each message naming its place."""
    try:
        instance.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
    except ValidationError as error:
        problems: list[str] = []
        for name, messages in error.message_dict.items():
            label = "" if name == "__all__" else f"「{_verbose_name(instance, name)}」"
            problems.extend(f"{label}{message}" for message in messages)
        raise WorksheetFileError(f"{where}：{' '.join(problems)}") from None


def _parse_kpis(
    document: dict[str, Any],
) -> tuple[list[tuple[dict[str, Any], str, list[dict[str, Any]]]], dict[str, str]]:
    parsed = []
    names: set[str] = set()
    for n, item in enumerate(entries(document.get("kpis", []), "KPI", limits.KPIS), 1):
        where = f"KPI{n}件目"
        if isinstance(item, dict):
            # Written before KPIs had an agreement, a way of adding up, a yearly path.
            item = {**KPI_DEFAULTS, **item}
        item = record(item, where, KPI_KEYS)
        name = text(item["name"], f"{where}の名前", 100, required=True)
        where = f"KPI「{name}」"
        if name in names:
            raise WorksheetFileError(
                f"{where}が2回あります。KPIの名前は重ならないようにしてください。"
            )
        names.add(name)
        fields: dict[str, Any] = {
            "group": choice(item["group"], f"{where}の群", KpiGroup.values),
            "name": name,
            "definition": text(item["definition"], f"{where}の定義", 5000),
            "unit": text(item["unit"], f"{where}の単位", 20),
            "baseline_value": _decimal(item["baseline_value"], f"{where}の基準値"),
            "baseline_date": day(item["baseline_date"], f"{where}の基準日"),
            "target_value": _decimal(item["target_value"], f"{where}の目標値"),
            "target_date": day(item["target_date"], f"{where}の目標日"),
            "target_fiscal_year": _fiscal_year(item["target_fiscal_year"], f"{where}の目標年度"),
            "target_text": text(item["target_text"], f"{where}の目標（文章）", 200),
            "direction": choice(item["direction"], f"{where}の望ましい方向", Direction.values),
            "accumulation": choice(
                item["accumulation"], f"{where}の値の数え方", Accumulation.values
            ),
            "method": text(item["method"], f"{where}の測定方法", 100),
            "frequency": choice(item["frequency"], f"{where}の測定頻度", Frequency.values),
            "effect_dimension": choice(
                item["effect_dimension"],
                f"{where}の裏付ける効果",
                [key for key, _ in EFFECT_CHOICES],
                blank=True,
            ),
            "breakdown_name": text(
                item["breakdown_name"], f"{where}の内訳の分け方", breakdown.NAME_MAX_CHARS
            ),
            "breakdown_categories": [
                text(c, f"{where}の内訳の区分", breakdown.CATEGORY_MAX_CHARS, required=True)
                for c in entries(
                    item["breakdown_categories"],
                    f"{where}の内訳の区分",
                    limits.BREAKDOWN_CATEGORIES,
                )
            ],
        }
        responsible = text(item["responsible"], f"{where}の測定を担当する組織", 100)
        _validate(Kpi(**fields), ["worksheet", "updated_by", "responsible"], where)
        # (the agreement joins `fields` below, after the KPI's own fields are checked)
        measurements, periods = [], set()
        for i, m in enumerate(
            entries(item["measurements"], f"{where}の測定値", limits.MEASUREMENTS_PER_KPI), 1
        ):
            at = f"{where}の測定値{i}件目"
            if isinstance(m, dict) and "evidence_url" in m and "evidence" not in m:
                # Written before a measurement had several evidence items: its one link.
                url = m["evidence_url"]
                m = {k: v for k, v in m.items() if k != "evidence_url"}
                m["evidence"] = [{"title": "", "url": url}] if url else []
            if isinstance(m, dict):
                m = {"parts": {}, **m}  # written before measurements had a breakdown
            m = record(m, at, MEASUREMENT_KEYS)
            text(m["period_label"], f"{at}の期間", 100)
            kind = choice(m["period_kind"], f"{at}の期間の種類", PeriodKind.values)
            start = day(m["period_start"], f"{at}の期間の開始日", required=True)
            try:
                period = Period.checked(kind, start)
            except ValueError as error:
                raise WorksheetFileError(f"{at}：{error}") from None
            if period in periods:
                raise WorksheetFileError(
                    f"{at}：同じ期間（{period.label()}）の測定値が2つあります。"
                )
            periods.add(period)
            value = _decimal(m["value"], f"{at}の測定値")
            if problem := below_zero_problem(fields["unit"], value, f"{at}の測定値"):
                raise WorksheetFileError(problem)
            values: dict[str, Any] = {
                "period_kind": kind,
                "period_start": start,
                "value": value,
                "result_text": text(m["result_text"], f"{at}の結果（文章）", 200),
                "result_status": choice(
                    m["result_status"], f"{at}の達成状況", ResultStatus.values, blank=True
                ),
                "note": text(m["note"], f"{at}のメモ", 5000),
                "entered_at": moment(m["entered_at"], f"{at}の入力日時", required=True),
            }
            _validate(Measurement(**values), ["kpi", "entered_by"], at)
            values["parts"] = _parts(m["parts"], at, fields, value)
            values["entered_by"] = person_name(m["entered_by"], f"{at}の入力者")
            values["evidence"] = _evidence(m["evidence"], at)
            measurements.append(values)
        fields["agreement"] = _parse_agreement(item["agreement"], where)
        fields["year_targets"] = _year_targets(item["year_targets"], where, fields)
        parsed.append((fields, responsible, measurements))

    notes = document.get("effect_notes", {})
    if not isinstance(notes, dict):
        raise WorksheetFileError("「effect_notes」（効果のメモ）の形式が正しくありません。")
    dimensions = dict(EFFECT_CHOICES)
    for key, value in notes.items():
        choice(key, "効果のメモの観点", list(dimensions))
        text(value, f"効果のメモ「{dimensions[key]}」", 200)
    return parsed, notes


def _fiscal_year(value: Any, where: str) -> int | None:
    """A 年度 as a number (2025), as the export writes it, or as people write it (令和7年度)."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, bool) or not (value is None or isinstance(value, int | str)):
        raise WorksheetFileError(f"{where}「{value}」は年度として読めません（例：2025）。")
    try:
        return jc.parse_fiscal_year(value, where)
    except jc.FiscalYearUnreadable as error:
        raise WorksheetFileError(str(error)) from None


def _year_targets(value: Any, where: str, kpi: dict[str, Any]) -> dict[int, Decimal]:
    """The KPI's yearly path towards its final target, {年度: その年度の目標値}."""
    targets: dict[int, Decimal] = {}
    label = f"{where}の年度別の目標"
    for j, t in enumerate(entries(value, label, MAX_YEAR_TARGETS), 1):
        at = f"{label}{j}件目"
        t = record(t, at, YEAR_TARGET_KEYS)
        year = _fiscal_year(t["fiscal_year"], f"{at}の年度")
        amount = _decimal(t["value"], f"{at}の目標値")
        if year is None or amount is None:
            raise WorksheetFileError(f"{at}：年度と目標値の両方を入れてください。")
        if year in targets:
            raise WorksheetFileError(f"{at}：{jc.wareki_fiscal_year(year)}が2回あります。")
        _validate(KpiYearTarget(fiscal_year=year, value=amount), ["kpi"], at)
        targets[year] = amount
    if targets and kpi["target_value"] is None:
        raise WorksheetFileError(f"{label}は、数値の目標（目標値）があるKPIにだけ入れられます。")
    return targets


def _parts(value: Any, at: str, kpi: dict[str, Any], total: Decimal | None) -> dict[str, str]:
    """A measurement's breakdown, {区分: "12"}, checked against its KPI's categories and value."""
    where = f"{at}の内訳"
    if not isinstance(value, dict):
        raise WorksheetFileError(
            f"{where}の形式が正しくありません（項目の組であるべきところです）。"
        )
    numbers = {str(label): _decimal(v, f"{where}「{label}」") for label, v in value.items()}
    given = {label: number for label, number in numbers.items() if number is not None}
    categories = kpi["breakdown_categories"] if kpi["breakdown_name"] else []
    for label, number in given.items():
        if problem := below_zero_problem(kpi["unit"], number, f"{where}「{label}」"):
            raise WorksheetFileError(problem)
        _validate(
            Measurement(value=number),
            ["kpi", "entered_by", "period_kind", "period_start"],
            f"{where}「{label}」",
        )
    if problem := breakdown.parts_problem(kpi["breakdown_name"], categories, total, given):
        raise WorksheetFileError(f"{at}：{problem}")
    return breakdown.stored(categories, given)


def _evidence(value: Any, at: str) -> list[dict[str, str]]:
    """A measurement's evidence links: each an http(s) URL with an optional title."""
    links = []
    where = f"{at}の根拠資料"
    for j, e in enumerate(entries(value, where, limits.EVIDENCE_PER_MEASUREMENT), 1):
        e = record(e, f"{where}{j}件目", EVIDENCE_KEYS)
        link = {
            "title": text(e["title"], f"{where}{j}件目の資料名", 100),
            "url": text(e["url"], f"{where}{j}件目のリンク", 500, required=True),
        }
        try:
            web_url(link["url"])
        except ValidationError:
            raise WorksheetFileError(
                f"{where}{j}件目のリンクは http:// か https:// で始まるURLにしてください。"
            ) from None
        links.append(link)
    return links


def _organization(name: str, candidates: dict[str, Organization]) -> Organization | None:
    """The organisation of that name among those taking part in the new worksheet, or None.

    Names are how the document refers to organisations, and a name alone proves nothing: the
    same name elsewhere in the service is someone else's organisation, and linking it would
    let a document attach any organisation to a KPI. Nor does an import register
    organisations: which organisations exist is decided by their members, not by a file.
    """
    return candidates.get(name) if name else None


def import_part(
    sender: type[Worksheet],
    worksheet: Worksheet,
    document: dict[str, Any],
    user: User,
    **kwargs: Any,
) -> set[str]:
    """Reads "kpis" and "effect_notes" into the new worksheet: all checked before any is written.

    Returns the keys it handled, so that worksheets can refuse keys nobody knows.
    """
    parsed, notes = _parse_kpis(document)
    people = kwargs.get("people") or person_named
    now = timezone.now()
    # The owning organisation first, so that it wins over a member's of the same name.
    taking_part = sorted(
        worksheet_organizations(worksheet), key=lambda o: (o.pk != worksheet.organization_id, o.pk)
    )
    candidates: dict[str, Organization] = {}
    for organization in taking_part:
        candidates.setdefault(organization.name, organization)
    for position, (fields, responsible, measurements) in enumerate(parsed, 1):
        agreement = fields.pop("agreement")
        targets = fields.pop("year_targets")
        kpi = Kpi.objects.create(
            worksheet=worksheet,
            responsible=_organization(responsible, candidates),
            position=position,
            updated_by=user,
            updated_at=now,
            **fields,
        )
        KpiYearTarget.objects.bulk_create(
            KpiYearTarget(kpi=kpi, fiscal_year=year, value=value)
            for year, value in sorted(targets.items())
        )
        if agreement is not None:
            MeasurementAgreement.objects.create(
                kpi=kpi, updated_by=user, updated_at=now, **agreement
            )
        created = Measurement.objects.bulk_create(
            Measurement(
                kpi=kpi,
                **{k: v for k, v in m.items() if k not in ("evidence", "entered_by")},
                entered_by=people(m["entered_by"]),
            )
            for m in measurements
        )
        MeasurementEvidence.objects.bulk_create(
            MeasurementEvidence(measurement=saved, added_by=saved.entered_by, **link)
            for saved, m in zip(created, measurements, strict=True)
            for link in m["evidence"]
        )
    EffectNote.objects.bulk_create(
        EffectNote(worksheet=worksheet, dimension=key, text=value, updated_by=user)
        for key, value in notes.items()
    )
    return {"kpis", "effect_notes"}


# --- Comparison --------------------------------------------------------------------------------

GROUP_LABELS = dict(KpiGroup.choices)
DIRECTION_LABELS = dict(Direction.choices)
ACCUMULATION_LABELS = dict(Accumulation.choices)
FREQUENCY_LABELS = dict(Frequency.choices)
STATUS_LABELS = dict(ResultStatus.choices)
DIMENSION_LABELS = dict(EFFECT_CHOICES)


def _shown(value: str | None, unit: str = "") -> str:
    return "" if value in (None, "") else format_number(Decimal(value)) + unit


def _path_text(kpi: dict[str, Any]) -> str:
    """The yearly targets as one line: 令和7年度 700人、令和8年度 1,000人."""
    return "、".join(
        f"{jc.wareki_fiscal_year(t['fiscal_year'])} {_shown(t['value'], kpi['unit'])}"
        for t in kpi.get("year_targets") or []
    )


def target_summary(kpi: dict[str, Any]) -> str:
    goal = kpi["target_text"] or _shown(kpi["target_value"], kpi["unit"])
    if kpi["target_date"]:
        return f"{goal}（{kpi['target_date']}まで）" if goal else ""
    if kpi["target_fiscal_year"]:
        return f"{goal}（{jc.wareki_fiscal_year(kpi['target_fiscal_year'])}）" if goal else ""
    return goal


def _kpi_text(kpi: dict[str, Any]) -> str:
    return f"{GROUP_LABELS.get(kpi['group'], kpi['group'])}：{kpi['name']}／目標：{target_summary(kpi)}"


def result_summary(m: dict[str, Any] | None, unit: str) -> str:
    if m is None:
        return ""
    parts = [_shown(m["value"], unit) or m["result_text"]]
    if m["value"] is not None and m["result_text"]:
        parts.append(m["result_text"])
    if m["result_status"]:
        parts.append(STATUS_LABELS.get(m["result_status"], m["result_status"]))
    if m.get("parts"):
        parts.append(f"内訳 {breakdown.parts_line(list(m['parts']), m['parts'])}")
    return "／".join(p for p in parts if p) or "（記録あり）"


def compare_part(
    sender: type[Worksheet], old: dict[str, Any], new: dict[str, Any], **kwargs: Any
) -> list[dict[str, Any]]:
    found: list[dict[str, Any] | None] = []
    for o, n in pair_up(old.get("kpis", []), new.get("kpis", []), lambda k: k["name"]):
        if o is None or n is None:
            found.append(
                difference("KPI", "KPI", _kpi_text(o) if o else "", _kpi_text(n) if n else "")
            )
            kpi = o or n
            if n is None:
                continue
        else:
            kpi = n
            name = f"KPI「{n['name']}」"
            found.append(difference("KPI", "KPIの名前", o["name"], n["name"]))
            found.append(difference("KPI", f"{name}の目標", target_summary(o), target_summary(n)))
            for key, label, show in [
                ("group", "群", GROUP_LABELS.get),
                ("definition", "定義", None),
                ("unit", "単位", None),
                ("direction", "望ましい方向", DIRECTION_LABELS.get),
                ("accumulation", "値の数え方", ACCUMULATION_LABELS.get),
                ("method", "測定方法", None),
                ("frequency", "測定頻度", FREQUENCY_LABELS.get),
                ("responsible", "測定を担当する組織", None),
                ("effect_dimension", "裏付ける効果", DIMENSION_LABELS.get),
                ("breakdown_name", "内訳の分け方", None),
            ]:
                # A document frozen before a key existed has its default (KPI_DEFAULTS).
                before = o.get(key, KPI_DEFAULTS.get(key)) or ""
                after = n.get(key, KPI_DEFAULTS.get(key)) or ""
                if show:
                    before, after = show(before, before), show(after, after)
                found.append(difference("KPI", f"{name}の{label}", before, after))
            found.append(difference("KPI", f"{name}の年度別の目標", _path_text(o), _path_text(n)))
            found.append(
                difference(
                    "KPI",
                    f"{name}の内訳の区分",
                    "、".join(o.get("breakdown_categories") or []),
                    "、".join(n.get("breakdown_categories") or []),
                )
            )
            before_base = _shown(o["baseline_value"], o["unit"])
            after_base = _shown(n["baseline_value"], n["unit"])
            found.append(
                difference(
                    "KPI",
                    f"{name}の基準値",
                    f"{before_base}（{o['baseline_date']}）" if before_base else "",
                    f"{after_base}（{n['baseline_date']}）" if after_base else "",
                )
            )
        olds = {(m["period_kind"], m["period_start"]): m for m in (o or {}).get("measurements", [])}
        news = {(m["period_kind"], m["period_start"]): m for m in kpi.get("measurements", [])}
        for period in sorted(olds.keys() | news.keys(), key=lambda k: (k[1], k[0])):
            m = news.get(period) or olds[period]
            found.append(
                difference(
                    "KPIの測定値",
                    f"KPI「{kpi['name']}」の測定値（{m['period_label']}）",
                    result_summary(olds.get(period), (o or kpi)["unit"]),
                    result_summary(news.get(period), kpi["unit"]),
                )
            )
    old_notes, new_notes = old.get("effect_notes", {}), new.get("effect_notes", {})
    for key in DIMENSION_ORDER:
        found.append(
            difference(
                "効果",
                f"効果のメモ「{DIMENSION_LABELS[key]}」",
                old_notes.get(key, ""),
                new_notes.get(key, ""),
            )
        )
    return [d for d in found if d]


# --- Templates ---------------------------------------------------------------------------------


def create_template_kpis(
    sender: type[Worksheet],
    worksheet: Worksheet,
    template: dict[str, Any],
    user: User,
    **kwargs: Any,
) -> None:
    """The template's KPIs, with their targets as written in the guide (a sentence each)."""
    now = timezone.now()
    Kpi.objects.bulk_create(
        Kpi(
            worksheet=worksheet,
            group=item["group"],
            name=item["name"],
            target_text=item["target"],
            position=position,
            updated_by=user,
            updated_at=now,
            created_at=now,
        )
        for position, item in enumerate(template.get("kpis", []), 1)
    )


# What a copied KPI keeps: its definition and targets. Its measurements, evidence and who
# last wrote it stay with the source.
COPIED_KPI_FIELDS = (
    *(
        "responsible_id" if key == "responsible" else key
        for key in KPI_KEYS
        if key not in ("measurements", "agreement", "year_targets")
    ),
    "position",
)


def copy_kpis(
    sender: type[Worksheet],
    source: Worksheet,
    worksheet: Worksheet,
    user: User,
    parts: set[str],
    **kwargs: Any,
) -> list[str]:
    """The source's KPI definitions with their yearly target paths, without measurements, when
    "kpis" was chosen; the names of those left behind.

    `worksheet` may be an existing project (a copy into it): the KPIs come after its own, one
    whose name it already has stays behind (its KPI is somebody's words), and TooMany refuses
    the whole copy past the KPI limit. The organisation responsible for measuring comes along
    only when it takes part in `worksheet` (kpis/forms.py worksheet_organizations, the choices
    of the KPI form): no organisation of the source is named in a project it is not part of.
    """
    if "kpis" not in parts:
        return []
    now = timezone.now()
    there = Kpi.objects.filter(worksheet=worksheet).aggregate(n=Count("pk"), last=Max("position"))
    names = set(Kpi.objects.filter(worksheet=worksheet).values_list("name", flat=True))
    taking_part = set(worksheet_organizations(worksheet).values_list("pk", flat=True))
    found = Kpi.objects.filter(worksheet=source).order_by("position", "pk")
    kept = [name for name in found.values_list("name", flat=True) if name in names]
    rows = [
        dict(zip(("pk", *COPIED_KPI_FIELDS), values, strict=True))
        for values in found.exclude(name__in=names).values_list("pk", *COPIED_KPI_FIELDS)
    ]
    if there["n"] + len(rows) > limits.KPIS:
        raise TooMany(KPIS_FULL)
    for position, row in enumerate(rows, (there["last"] or 0) + 1):
        row["position"] = position
        if row["responsible_id"] not in taking_part:
            row["responsible_id"] = None
    # bulk_create sets the new primary keys on PostgreSQL and SQLite 3.35+ (both required).
    created = Kpi.objects.bulk_create(
        Kpi(
            worksheet=worksheet,
            **{name: row[name] for name in COPIED_KPI_FIELDS},
            updated_by=user,
            updated_at=now,
            created_at=now,
        )
        for row in rows
    )
    new_pk = {row["pk"]: kpi.pk for row, kpi in zip(rows, created, strict=True)}
    KpiYearTarget.objects.bulk_create(
        KpiYearTarget(kpi_id=new_pk[t.kpi_id], fiscal_year=t.fiscal_year, value=t.value)
        for t in KpiYearTarget.objects.filter(kpi_id__in=new_pk).order_by("kpi_id", "fiscal_year")
    )
    # The agreement's text is part of what the KPI measures, as its path is; its confirmations
    # stay behind (as in the project file): the new project's owners confirm what they agree to.
    agreements = MeasurementAgreement.objects.bulk_create(
        MeasurementAgreement(
            kpi_id=new_pk[kpi_id], **dict(zip(TEXT, text, strict=True)), updated_by=user
        )
        for kpi_id, *text in MeasurementAgreement.objects.filter(kpi_id__in=new_pk)
        .order_by("kpi_id")
        .values_list("kpi_id", *TEXT)
    )
    MeasurementAgreement.history.bulk_history_create(
        agreements, default_user=user, default_change_reason=f"「{source.title}」から複製"
    )
    return kept


TEXT = MeasurementAgreement.TEXT_FIELDS
