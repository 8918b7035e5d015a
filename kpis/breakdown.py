"""A KPI's optional breakdown (issue 15): its measurements split by one dimension, e.g. 圏域
(北部／中部／南部) or 年代, with the rule the parts and the total keep to.

Declared once here and read by the KPI form, the entry and correction forms, the CSV/XLSX import
(kpis/io.py), the project file (kpis/portable.py), the rows and the PDF.

A category is named by its label: Kpi.breakdown_categories is the list of labels in order, and
Measurement.parts maps a label to its value, written as a number string ("12.5") so that a
decimal stays exact in JSON. A KPI whose categories are changed keeps every recorded part: a
category that has parts cannot be removed or renamed (kpis/views.kpi_edit, the KPI import).

The rule, for a breakdown of something that adds up (people, rides, yen):
- every category given: the parts add up to the measurement's value, exactly;
- only some given: their sum does not exceed the value, as long as the value and the given
  parts are all zero or more. With a negative value or part (a deficit split by 圏域) the
  missing parts may offset, so a partial sum is not checked.
- a count (people, rides: kpis.models.is_count_unit) is never below zero, its parts neither:
  each way in refuses them with the part named (kpis.models.below_zero_problem), so negatives
  reach this rule only for a KPI whose unit is no count (円, %).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from kpis.charts import format_number
from worksheets import limits

NAME_MAX_CHARS = 40
CATEGORY_MAX_CHARS = 40
# Characters that separate the parts in a spreadsheet cell (「北部=12;中部=8」).
RESERVED = ("=", ";", "\n", "\r")

NAME_HELP = "例：圏域、年代。内訳を記録しない場合は空欄のままにします。"
CATEGORIES_HELP = (
    f"1行に1つ、{limits.BREAKDOWN_CATEGORIES}個まで（各{CATEGORY_MAX_CHARS}文字まで）。"
    "例：北部、中部、南部を3行で。人数・件数・金額のように合計できる値に使います"
    "（割合には使えません）。測定値の内訳が記録された区分は、削除や名前の変更ができません。"
)
PARTS_HELP = (
    "内訳は任意です。すべての区分を入力した場合は、その合計が測定値と同じになるようにします。"
    "一部の区分だけ入力した場合は、その合計が測定値を超えないようにします"
    "（マイナスの値を含む場合、一部だけの合計は確認しません）。"
)


def split_lines(text: str) -> list[str]:
    """Categories as typed in a box or a cell: one a line, blanks around and blank lines dropped."""
    return [line.strip() for line in text.splitlines() if line.strip()]


def categories_problem(name: str, categories: Any, *, numeric: bool = True) -> str:
    """Why a breakdown cannot be kept as given, or '' when it can."""
    if not isinstance(categories, list) or not all(isinstance(c, str) for c in categories):
        return "内訳の区分の形式が正しくありません。"
    if not categories:
        return (
            "内訳の区分も入力してください（例：北部、中部、南部を1行に1つずつ）。" if name else ""
        )
    if not name:
        return "内訳の分け方（例：圏域）も入力してください。"
    if len(name) > NAME_MAX_CHARS:
        return f"内訳の分け方は{NAME_MAX_CHARS}文字以内にしてください。"
    if not numeric:
        return "内訳は、数値の目標（目標値）があるKPIにだけ設定できます。"
    if len(categories) > limits.BREAKDOWN_CATEGORIES:
        return (
            f"内訳の区分は{limits.BREAKDOWN_CATEGORIES}個までにしてください"
            f"（{len(categories)}個あります）。"
        )
    if len(categories) < 2:
        return "内訳の区分は2つ以上入力してください。"
    seen: set[str] = set()
    for label in categories:
        if not label.strip() or label != label.strip():
            return "内訳の区分の名前の前後に空白を入れないでください。"
        if len(label) > CATEGORY_MAX_CHARS:
            return f"内訳の区分「{label[:CATEGORY_MAX_CHARS]}…」は{CATEGORY_MAX_CHARS}文字以内にしてください。"
        if any(mark in label for mark in RESERVED):
            return f"内訳の区分「{label}」に「=」「;」は使えません。"
        if label in seen:
            return f"内訳の区分「{label}」が2回あります。"
        seen.add(label)
    return ""


def canonical(value: Decimal) -> str:
    """A part as stored and exported: 12, 12.5 (no trailing zeros, no exponent)."""
    number = value.normalize()
    if number == number.to_integral_value():
        number = number.quantize(Decimal(1))
    return f"{number:f}"


def stored(categories: Iterable[str], parts: Mapping[str, Decimal | None]) -> dict[str, str]:
    """Measurement.parts for the given values, in the categories' order, blanks left out."""
    return {c: canonical(v) for c in categories if (v := parts.get(c)) is not None}


def values(parts: Any) -> dict[str, Decimal]:
    """Measurement.parts read back as numbers; anything unreadable is left out."""
    found: dict[str, Decimal] = {}
    for label, text in (parts or {}).items() if isinstance(parts, dict) else ():
        try:
            found[str(label)] = Decimal(str(text))
        except InvalidOperation:
            continue
    return found


def parts_problem(
    name: str, categories: list[str], total: Decimal | None, parts: Mapping[str, Decimal]
) -> str:
    """Why these parts do not fit the measurement's value, or '' when they do."""
    if not parts:
        return ""
    unknown = [label for label in parts if label not in categories]
    if unknown:
        if not categories:
            return "このKPIには内訳が設定されていません。内訳を空にしてください。"
        return f"内訳の区分「{unknown[0]}」はこのKPIにありません（区分：{'、'.join(categories)}）。"
    if total is None:
        return "内訳を入力する場合は、測定値も入力してください。"
    given = sum(parts.values(), Decimal(0))
    if len(parts) == len(categories):
        if given != total:
            gap = format_number(abs(total - given))
            more_or_less = "多く" if given > total else "少なく"
            return (
                f"{name}別の内訳の合計（{format_number(given)}）が測定値"
                f"（{format_number(total)}）より{gap}{more_or_less}なっています。"
                "すべての区分を入力した場合は、内訳の合計を測定値と同じにしてください。"
            )
        return ""
    nonnegative = total >= 0 and all(v >= 0 for v in parts.values())
    if nonnegative and given > total:
        return (
            f"{name}別の内訳の一部だけを入力した場合、その合計（{format_number(given)}）は"
            f"測定値（{format_number(total)}）以下にしてください"
            f"（{format_number(given - total)}超えています）。"
        )
    return ""


def parts_line(categories: list[str], parts: Any) -> str:
    """「北部 12／中部 8／南部 5」: the given parts in the categories' order; a part of a
    category no longer on the KPI (only data from outside could hold one) comes last."""
    numbers = values(parts)
    ordered = [c for c in categories if c in numbers] + [c for c in numbers if c not in categories]
    return "／".join(f"{label} {format_number(numbers[label])}" for label in ordered)


def parts_cell(categories: list[str], parts: Any) -> str:
    """The spreadsheet cell 内訳: 「北部=12;中部=8」, read back by parse_cell."""
    numbers = values(parts)
    ordered = [c for c in categories if c in numbers] + [c for c in numbers if c not in categories]
    return ";".join(f"{label}={canonical(numbers[label])}" for label in ordered)


def removed_with_parts(kpi_id: int, before: list[str], after: list[str]) -> str:
    """Why a KPI's categories cannot change so, or '': a category with recorded parts stays.

    Called under the worksheet's lock, which every measurement write takes too.
    """
    from kpis.models import Measurement

    removed = [label for label in before if label not in after]
    if not removed:
        return ""
    recorded = list(
        Measurement.objects.filter(kpi_id=kpi_id, parts__has_any_keys=removed).values_list(
            "parts", flat=True
        )
    )
    if not recorded:
        return ""
    used = [label for label in removed if any(label in parts for parts in recorded)]
    names = "」「".join(used)
    return (
        f"内訳の区分「{names}」は{len(recorded):,}件の測定値の内訳に記録されているため、"
        "削除や名前の変更ができません。先にその測定値の内訳を訂正してから変更してください。"
    )


CATEGORIES_CHANGED = (
    "このKPIの内訳の区分が、ほかの方によって変更されました。入力内容はそのまま残しています。"
    "区分を確認して、内訳をもう一度入力してください。"
)


def categories_changed(kpi: Any) -> bool:
    """Whether the KPI's breakdown is no longer the one the parts were entered for.

    Read under the worksheet's lock, which a KPI edit takes too.
    """
    from kpis.models import Kpi

    now = (
        Kpi.objects.filter(pk=kpi.pk).values_list("breakdown_name", "breakdown_categories").first()
    )
    return now is not None and (now[0], now[1]) != (kpi.breakdown_name, kpi.breakdown_categories)
