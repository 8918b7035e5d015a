"""The pages `make bench` measures. A new page is added here, and only here.

Each entry of PAGES is a Bench: the name printed in the table, and a `prepare` function. prepare
runs once, inside a Django process against the throwaway database (after migrate, `load_guide`
and the shared bench data), receives a Context and returns the Request to measure. The harness
sends that same Request `BENCH_REQUESTS` times (200 by default) after a warm-up, logged in as
`ctx.user`, and prints its median, p95, ratio to the floor and the size of its answer.

The first entry is the floor: a view that does nothing but pass the middleware. Keep it first.

To add, say, "worksheet page (10 stakeholders)":

    def worksheet_page(ctx: Context) -> Request:
        worksheet = ctx.worksheets[0]
        for n in range(10):
            Stakeholder.objects.create(worksheet=worksheet, name=f"関係者{n}", position=n + 1)
        return Request(reverse("worksheet_detail", args=[worksheet.pk]))

    PAGES.append(Bench("worksheet page (10 stakeholders)", worksheet_page))

Import models inside the function (Django is set up before prepare runs, not when this module is
imported). More shapes:

- A POST (autosave of one field): `Request(path, method="POST",
  body=urlencode({"value": "…"}).encode(), content_type="application/x-www-form-urlencoded",
  headers={"HX-Request": "true"})`. The harness adds the CSRF header, Origin and Referer. The
  same body is posted every time, so the view must answer 2xx to a repeat (an autosave that
  compares versions should be given a body it accepts again, e.g. the same value).
- An upload (XLSX import of 1,000 rows): build the workbook with openpyxl, then
  `body = django.test.client.encode_multipart(BOUNDARY, {"file": ...})` with
  `content_type=MULTIPART_CONTENT`. Slow pages set `max_requests=20` so that the run stays
  within its time limit.
- A download (handover packet, a PDF): nothing special; every answer's size is printed, a
  page's HTML as much as a file.
- Search or filters: put the query string in the path.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

from django.urls import reverse

if TYPE_CHECKING:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from worksheets.models import Organization, User, Worksheet


@dataclass(frozen=True)
class Request:
    """What to send: a path on the app, and for a POST its body and content type."""

    path: str
    method: str = "GET"
    body: bytes = b""
    content_type: str = ""
    headers: dict[str, str] = field(default_factory=dict)
    # With `numbered`, every "{n}" in the body becomes 0, 1, 2, … per request of this page, so a
    # compare-and-set save can be measured as a real write: version n → n + 1, again and again.
    numbered: bool = False
    # A body per request, in order (warm-up included; after the last, the last again), for a
    # write whose every request must differ in more than a number.
    bodies: tuple[bytes, ...] = ()


@dataclass(frozen=True)
class Context:
    """The shared bench data every prepare function may build on (see prepare.py).

    `user` owns every worksheet in `worksheets` (each with four more members: a colleague, a
    company editor, a care-centre commenter and a viewer); other worksheets exist that `user` is
    not a member of. `organization` is the user's municipality, `company` the partner company.
    """

    user: User
    password: str
    organization: Organization
    company: Organization
    worksheets: list[Worksheet]
    var_dir: Path


@dataclass(frozen=True)
class Bench:
    name: str
    prepare: Callable[[Context], Request]
    # A cap for pages too slow for the full count (imports, PDFs); None measures them all.
    max_requests: int | None = None
    # What the median may take, in ms (for a worst case, at the limits of worksheets/limits.py):
    # printed beside the measurement as within or OVER. The bench still judges no timing.
    budget_ms: float | None = None
    # Its data takes a minute to build: left out with BENCH_WORST_CASES=0 (the suite's run).
    worst_case: bool = False


def hello_world(ctx: Context) -> Request:
    return Request(reverse("hello"))


def dashboard_with_kpis(ctx: Context) -> Request:
    """My dashboard with 50 worksheets: 40 more, each with 2 monthly KPIs measured for five
    years from 2016 and awaited since (issue 16: the due list once walked every month)."""
    from worksheets.models import Membership, Role, Worksheet

    for n in range(40):
        worksheet = Worksheet.objects.create(
            title=f"KPIのあるプロジェクト{n}", organization=ctx.organization, created_by=ctx.user
        )
        Membership.objects.create(worksheet=worksheet, user=ctx.user, role=Role.OWNER)
        _kpis_with_monthly_measurements(worksheet, ctx.user, kpis=2, months=60, since=2016)
    return Request(reverse("dashboard"))


def worksheet_page(ctx: Context) -> Request:
    """The guide's filled example, plus stakeholders and risks up to 10 each and every field full."""
    from worksheets.fields import FIELD_KEYS
    from worksheets.sheet.writes import ITEM_KINDS, add_item, apply_template, save_field

    worksheet = ctx.worksheets[0]
    apply_template(worksheet, "guide_example", ctx.user)
    for key in FIELD_KEYS:
        save_field(
            worksheet,
            key,
            "高齢者の移動と買い物を支える取組。" * 20,
            1 if key in _filled(worksheet) else 0,
            ctx.user,
        )
    for n in range(worksheet.stakeholders.count(), 10):
        s = add_item(
            worksheet, ITEM_KINDS["stakeholder"], worksheet, {"name": f"関係者{n}"}, ctx.user
        )
        add_item(worksheet, ITEM_KINDS["role"], s, {"role": "ニーズ調査への協力"}, ctx.user)
    for n in range(worksheet.risks.count(), 10):
        add_item(
            worksheet,
            ITEM_KINDS["risk"],
            worksheet,
            {
                "description": f"リスク{n}",
                "mitigation": "調整会議で合意",
                "owner": "自治体",
                "status": "open",
            },
            ctx.user,
        )
    return Request(reverse("worksheet_detail", args=[worksheet.pk]))


def _filled(worksheet: Worksheet) -> set[str]:
    return set(worksheet.texts.values_list("key", flat=True))


def autosave(ctx: Context) -> Request:
    """One field saved from the version the page holds: a real write, history row included."""
    from urllib.parse import urlencode

    worksheet = ctx.worksheets[1]
    body = urlencode({"text": "A圏域の独居高齢者（版{n}）", "version": "{n}"}).encode()
    body = body.replace(b"%7Bn%7D", b"{n}")
    return Request(
        reverse("field_save", args=[worksheet.pk, "persona"]),
        method="POST",
        body=body,
        content_type="application/x-www-form-urlencoded",
        headers={"HX-Request": "true"},
        numbered=True,
    )


# Sentences of the field the merge bench saves into: one per request, so that no two overlap.
MERGE_SENTENCES = 600


def autosave_with_merge(ctx: Context) -> Request:
    """A save from a version others have saved over since: three-way merged, history included.

    The field holds MERGE_SENTENCES short sentences (about 6,000 characters). Every request
    starts from the same old version 1 and fills in a sentence of its own, while the field has
    moved on with the previous requests' sentences: each is a merge of the same kind as two
    people's edits of different sentences, and reads the base from history.
    """
    from urllib.parse import urlencode

    from worksheets.sheet.writes import save_field

    worksheet = ctx.worksheets[8]
    sentences = [f"項目{k}：未記入。" for k in range(MERGE_SENTENCES)]
    save_field(worksheet, "problem", "".join(sentences), 0, ctx.user)
    colleague = worksheet.memberships.exclude(user=ctx.user).first()
    assert colleague is not None
    theirs = [*sentences[:-1], "最後の項目：同僚が記入。"]
    save_field(worksheet, "problem", "".join(theirs), 1, colleague.user)
    bodies = []
    for n in range(MERGE_SENTENCES - 1):
        mine = list(sentences)
        mine[n] = f"項目{n}：記入済み。"
        bodies.append(urlencode({"text": "".join(mine), "version": "1"}).encode())
    return Request(
        reverse("field_save", args=[worksheet.pk, "problem"]),
        method="POST",
        content_type="application/x-www-form-urlencoded",
        headers={"HX-Request": "true"},
        bodies=tuple(bodies),
    )


def idle_checkin(ctx: Context) -> Request:
    """The poll of an open worksheet page that nothing has changed: answered 204."""
    from worksheets.sheet.checkin import _presence_key

    worksheet = ctx.worksheets[6]
    query = f"?rev={worksheet.revision}&p={_presence_key([])}&editing="
    return Request(reverse("checkin", args=[worksheet.pk]) + query, headers={"HX-Request": "true"})


def comment_posted(ctx: Context) -> Request:
    """A comment posted: the fragment of its section comes back."""
    from urllib.parse import urlencode

    return Request(
        reverse("comment_add", args=[ctx.worksheets[7].pk]),
        method="POST",
        body=urlencode({"section": "problem", "body": "確認させてください"}).encode(),
        content_type="application/x-www-form-urlencoded",
        headers={"HX-Request": "true"},
    )


def case_library_search(ctx: Context) -> Request:
    """A search that matches several cases, combined with a filter."""
    return Request(reverse("case_list") + "?q=%E7%A7%BB%E5%8B%95&area=mobility")


def selfcheck_page(ctx: Context) -> Request:
    """The self-check of a worksheet whose municipality side has answered (level and checklist)."""
    from cases.content import SELF_CHECK_QUESTIONS
    from cases.selfcheck import level_for
    from worksheets.models import SelfCheck

    worksheet = ctx.worksheets[2]
    answers = {q["key"]: "yes" for q in SELF_CHECK_QUESTIONS if q["audience"] == "welfare"}
    level, _ = level_for("welfare", answers)
    SelfCheck.objects.create(
        worksheet=worksheet, side="welfare", answers=answers, level=level, answered_by=ctx.user
    )
    return Request(reverse("selfcheck", args=[worksheet.pk]))


def handover_packet(ctx: Context) -> Request:
    """The PDF packet (A3 sheet + A4 pages) of the guide's example with a year of measurements."""
    from datetime import date
    from decimal import Decimal

    from kpis.models import Kpi, Measurement
    from worksheets.models import Comment
    from worksheets.sheet.writes import apply_template

    worksheet = ctx.worksheets[5]
    apply_template(worksheet, "guide_example", ctx.user)
    kpi = Kpi.objects.get(worksheet=worksheet, name="利用者数（年間）")
    kpi.target_text, kpi.target_value, kpi.target_fiscal_year = "", Decimal(1000), 2027
    kpi.unit, kpi.frequency = "人", "quarterly"
    kpi.save(
        update_fields=["target_text", "target_value", "target_fiscal_year", "unit", "frequency"]
    )
    for n, month in enumerate([4, 7, 10, 1], 1):
        year = 2026 if month >= 4 else 2027
        Measurement.objects.create(
            kpi=kpi, period_kind="quarter", period_start=date(year, month, 1), value=120 * n
        )
    Comment.objects.create(
        worksheet=worksheet, section="risks", author=ctx.user, body="タクシー協会との協議日程を確認"
    )
    return Request(reverse("worksheet_pdf", args=[worksheet.pk]))


def large_handover_packet(ctx: Context) -> Request:
    """The packet of a large project: 30 stakeholders, a 5,000-character field, 20 KPIs (issue
    #12 asks for ≤ 2 s and ≤ 1 MB; #16 for ≤ 2 s of render time).

    PDFs are rendered by the worker (worksheets/handover/pdf_queue.py), not in this request:
    it builds the packet's inputs (the worksheet's document and its changes since the last
    handover), digests them into the render's key, finds or queues that render and redirects
    to its status page. No worker runs in the bench, so after the first request every one finds
    the same queued render: the row measures what a person waits before the status page, and
    its budget, 200 ms (ten times what it took when queued, a tenth of the render's target),
    is OVER when the render or anything of its size is back on the request path. The render
    itself is timed by the bench's part 2 (tests/bench/pdf.py) against #16's 2 s.
    """
    from kpis.models import Kpi
    from worksheets.models import FieldText, Stakeholder, StakeholderRole

    worksheet = ctx.worksheets[6]
    text = "".join(f"「記録{n:04d}」では、移動（送迎）の希望を聞き取った。" for n in range(1, 190))
    FieldText.objects.create(worksheet=worksheet, key="persona", text=text[:5000])
    for n in range(1, 31):
        stakeholder = Stakeholder.objects.create(
            worksheet=worksheet, name=f"関係者{n:02d}", position=n
        )
        for m, suffix in enumerate(["甲", "乙"], 1):
            StakeholderRole.objects.create(
                stakeholder=stakeholder, role=f"役割{n:02d}-{suffix}", position=m
            )
    for n in range(1, 21):
        Kpi.objects.create(
            worksheet=worksheet,
            group=("common", "regional", "business")[n % 3],
            name=f"指標{n:02d}：外出が増えたと答えた人の割合",
            target_text=f"{60 + n}%",
            position=n,
        )
    return Request(reverse("worksheet_pdf", args=[worksheet.pk]))


def _kpis_with_monthly_measurements(
    worksheet: Worksheet, user: User, kpis: int, months: int, since: int = 2024
) -> None:
    """`kpis` monthly KPIs measured every month from April of `since` for `months` months."""
    from datetime import date
    from decimal import Decimal

    from kpis.models import Kpi, Measurement

    for k in range(kpis):
        kpi = Kpi.objects.create(
            worksheet=worksheet,
            group=["common", "regional", "business"][k % 3],
            name=f"利用者数{k}",
            unit="人",
            baseline_value=Decimal(100),
            baseline_date=date(since, 3, 31),
            target_value=Decimal(1000),
            target_date=date(since + (months + 11) // 12 + 1, 3, 31),
            direction="up",
            frequency="monthly",
            position=k,
            updated_by=user,
        )
        Measurement.objects.bulk_create(
            Measurement(
                kpi=kpi,
                period_kind="month",
                period_start=date(since + (3 + m) // 12, (3 + m) % 12 + 1, 1),
                value=Decimal(100 + 5 * m),
                entered_by=user,
            )
            for m in range(months)
        )


def monitoring_page(ctx: Context) -> Request:
    worksheet = ctx.worksheets[3]
    _kpis_with_monthly_measurements(worksheet, ctx.user, kpis=20, months=24)
    return Request(reverse("kpi_monitoring", args=[worksheet.pk]))


def _well_measured_worksheet(ctx: Context) -> Worksheet:
    """A worksheet of ctx.user's with 100 monthly KPIs measured for 60 months each (issue 16:
    the monitoring page once rendered all 6,000 measurements), made once for the benches that
    read it."""
    from worksheets.models import Membership, Role, Worksheet

    title = "KPIの多いプロジェクト（100 KPI × 60か月）"
    worksheet = Worksheet.objects.filter(title=title).first()
    if worksheet is None:
        worksheet = Worksheet.objects.create(
            title=title, organization=ctx.organization, created_by=ctx.user
        )
        Membership.objects.create(worksheet=worksheet, user=ctx.user, role=Role.OWNER)
        _kpis_with_monthly_measurements(worksheet, ctx.user, kpis=100, months=60, since=2022)
    return worksheet


def large_monitoring_page(ctx: Context) -> Request:
    """The monitoring page of 100 KPIs × 60 months: its HTML size is printed too (≤ 500 KB)."""
    worksheet = _well_measured_worksheet(ctx)
    return Request(reverse("kpi_monitoring", args=[worksheet.pk]))


def monitoring_table(ctx: Context) -> Request:
    """One KPI's measurement table on that page, as htmx loads it: its latest 年度."""
    worksheet = _well_measured_worksheet(ctx)
    kpi = worksheet.kpis.order_by("position").last()
    assert kpi is not None
    url = reverse("kpi_monitoring", args=[worksheet.pk]) + f"?kpi={kpi.pk}"
    return Request(url, headers={"HX-Request": "true"})


def xlsx_import(ctx: Context) -> Request:
    """The measurements sheet of 10 KPIs × 100 months, exported and imported back."""
    from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart

    from kpis import io

    worksheet = ctx.worksheets[4]
    _kpis_with_monthly_measurements(worksheet, ctx.user, kpis=10, months=100, since=2016)
    data = io.to_xlsx("measurements", worksheet, "wareki")
    upload = io_bytes(data, "測定値.xlsx")
    return Request(
        reverse("kpi_import", args=[worksheet.pk]),
        method="POST",
        body=encode_multipart(BOUNDARY, {"file": upload}),
        content_type=MULTIPART_CONTENT,
    )


def _lists_at_the_limits(worksheet: Worksheet, user: User) -> None:
    """Every list of the worksheet as long as worksheets/limits.py allows."""
    from worksheets import limits
    from worksheets.models import Comment, Exchange, Risk, Stakeholder, StakeholderRole

    stakeholders = Stakeholder.objects.bulk_create(
        Stakeholder(worksheet=worksheet, name=f"関係者{n:03d}", position=n, updated_by=user)
        for n in range(1, limits.STAKEHOLDERS + 1)
    )
    StakeholderRole.objects.bulk_create(
        StakeholderRole(stakeholder=s, role=f"{s.name}の役割{m:02d}", position=m, updated_by=user)
        for s in stakeholders
        for m in range(1, limits.ROLES_PER_STAKEHOLDER + 1)
    )
    parties = ["user", "business", "region"]
    Exchange.objects.bulk_create(
        Exchange(
            worksheet=worksheet,
            from_party=parties[n % 3],
            to_party=parties[(n + 1) % 3],
            what=f"やり取り{n:03d}：送迎の予約情報",
            position=n,
            updated_by=user,
        )
        for n in range(1, limits.EXCHANGES + 1)
    )
    Risk.objects.bulk_create(
        Risk(
            worksheet=worksheet,
            description=f"リスク{n:03d}：運転手の確保",
            mitigation="協議会で検討",
            position=n,
            updated_by=user,
        )
        for n in range(1, limits.RISKS + 1)
    )
    Comment.objects.bulk_create(
        Comment(worksheet=worksheet, section="problem", author=user, body=f"確認事項{n:04d}")
        for n in range(limits.COMMENTS)
    )


def worst_case_project_import(ctx: Context) -> Request:
    """A project file with every list at its limit, KPIs included, and as many measurements as
    the 5 MB file limit leaves room for: imported as a new project each time."""
    from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart

    from kpis.models import Kpi, Measurement
    from worksheets import limits
    from worksheets.models import Worksheet
    from worksheets.portable.document import export_bytes
    from worksheets.portable.importer import IMPORT_MAX_BYTES

    source = Worksheet.objects.create(
        title="上限まで書き込んだプロジェクト", organization=ctx.organization, created_by=ctx.user
    )
    _lists_at_the_limits(source, ctx.user)
    _kpis_with_monthly_measurements(source, ctx.user, kpis=limits.KPIS, months=0, since=1950)
    kpis = list(Kpi.objects.filter(worksheet=source))

    def add_months(first: int, count: int) -> None:
        Measurement.objects.bulk_create(
            Measurement(
                kpi=kpi,
                period_kind="month",
                period_start=date(1950 + (3 + m) // 12, (3 + m) % 12 + 1, 1),
                value=Decimal(100 + m),
                entered_by=ctx.user,
            )
            for kpi in kpis
            for m in range(first, first + count)
        )

    # A year of months per KPI tells what a month costs in the file; then as many months as
    # the 5 MB limit leaves room for, one fewer year if the estimate was short.
    empty = len(export_bytes(source))
    add_months(0, 12)
    per_month = (len(export_bytes(source)) - empty) / 12
    months = min(
        int((IMPORT_MAX_BYTES - empty) / per_month) // 12 * 12, limits.MEASUREMENTS_PER_KPI
    )
    add_months(12, months - 12)
    while len(data := export_bytes(source)) > IMPORT_MAX_BYTES:
        months -= 12
        Measurement.objects.filter(
            kpi__in=kpis,
            period_start__gte=date(1950 + (3 + months) // 12, (3 + months) % 12 + 1, 1),
        ).delete()
    upload = io_bytes(data, "上限.json")
    return Request(
        reverse("worksheet_import"),
        method="POST",
        body=encode_multipart(BOUNDARY, {"file": upload}),
        content_type=MULTIPART_CONTENT,
    )


def worst_case_csv_import(ctx: Context) -> Request:
    """A CSV of 5,000 measurement rows (the row limit) for 5 KPIs: re-imported, all unchanged."""
    from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart

    from kpis import files, io

    worksheet = ctx.worksheets[9]
    per_kpi = files.MAX_DATA_ROWS // 5
    _kpis_with_monthly_measurements(worksheet, ctx.user, kpis=5, months=per_kpi, since=1950)
    data = io.to_csv("measurements", worksheet, "wareki")
    upload = io_bytes(data, "測定値.csv")
    return Request(
        reverse("kpi_import", args=[worksheet.pk]),
        method="POST",
        body=encode_multipart(BOUNDARY, {"file": upload}),
        content_type=MULTIPART_CONTENT,
    )


def worst_case_checkin(ctx: Context) -> Request:
    """The poll of a page 20,000 changes behind (rev=0) on a worksheet with every list at its
    limit, every list and field changed meanwhile and a KPI saved last: the page is sent the
    fields and told which lists and sections to fetch again, instead of the changes."""
    from worksheets.fields import FIELD_KEYS
    from worksheets.models import Change, Exchange, Risk, StakeholderRole
    from worksheets.sheet.checkin import _presence_key

    worksheet = ctx.worksheets[9]
    _lists_at_the_limits(worksheet, ctx.user)
    role = StakeholderRole.objects.filter(stakeholder__worksheet=worksheet).first()
    assert role is not None
    items = [
        ("stakeholder", role.stakeholder_id),
        ("role", role.pk),
        ("exchange", Exchange.objects.filter(worksheet=worksheet).values_list("pk")[0][0]),
        ("risk", Risk.objects.filter(worksheet=worksheet).values_list("pk")[0][0]),
    ]
    touched = [("field", key) for key in FIELD_KEYS] + items
    Change.objects.bulk_create(
        Change(
            worksheet=worksheet,
            revision=n,
            kind=touched[n % len(touched)][0],
            key=str(touched[n % len(touched)][1]),
            label="課題の把握",
            action="edit",
            old={"text": ""},
            new={"text": f"版{n}"},
            user=ctx.user,
        )
        for n in range(1, 20_001)
    )
    # 20,001: the last revision is a KPI's (writes.touch), which has no Change.
    type(worksheet).objects.filter(pk=worksheet.pk).update(revision=20_001)
    query = f"?rev=0&p={_presence_key([])}&editing="
    return Request(reverse("checkin", args=[worksheet.pk]) + query, headers={"HX-Request": "true"})


def io_bytes(data: bytes, name: str) -> SimpleUploadedFile:
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data)


PAGES: list[Bench] = [
    Bench("hello-world (floor)", hello_world),
    # The user's dashboard with 50 worksheets (prepare data is shared: one entry, not two).
    Bench("dashboard, 50 worksheets × 2 KPIs × 60 months", dashboard_with_kpis),
    Bench("worksheet page (10 stakeholders, 10 risks, full text)", worksheet_page),
    Bench("autosave of one field", autosave),
    Bench("autosave merged with others' edits (6,000 characters)", autosave_with_merge),
    Bench("idle check-in (204)", idle_checkin),
    Bench("comment posted (fragment)", comment_posted, max_requests=60),
    Bench("case library search", case_library_search),
    Bench("self-check page", selfcheck_page),
    Bench("monitoring page, 20 KPIs × 24 measurements", monitoring_page, max_requests=40),
    Bench("monitoring page, 100 KPIs × 60 measurements", large_monitoring_page, max_requests=20),
    Bench("monitoring: one KPI's table (fragment), 100 KPIs × 60 measurements", monitoring_table),
    Bench("XLSX import of 1,000 rows", xlsx_import, max_requests=10),
    Bench("handover packet", handover_packet, max_requests=20),
    Bench("handover packet, large project", large_handover_packet, max_requests=20, budget_ms=200),
    Bench(
        "worst-case project-file import (every list at its limit, 5 MB)",
        worst_case_project_import,
        max_requests=5,
        budget_ms=10_000,
        worst_case=True,
    ),
    Bench(
        "worst-case CSV import (5,000 rows)",
        worst_case_csv_import,
        max_requests=5,
        budget_ms=5_000,
        worst_case=True,
    ),
    Bench(
        "worst-case check-in (20,000 changes behind, lists at their limits)",
        worst_case_checkin,
        max_requests=20,
        budget_ms=1_000,
        worst_case=True,
    ),
]
