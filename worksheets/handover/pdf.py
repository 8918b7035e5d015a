"""The handover packet: the project document (worksheets/portable/document.py) as a print-ready PDF.

Page 1 is the 認識共有ワークシート in the guide's layout (p.25): A3 landscape, or A4 landscape
on request, always one page of fixed boxes (handover/layout.py fits the text to them). The
appendix (別紙) follows on A4 portrait, bound left, one part after another: what did not fit a
box in full, the lists, the diagram, the KPIs and the history.
Everything is rendered from the plain document, never from live models, so a snapshot prints
exactly like the live worksheet did when it was confirmed.

Every value is user input. The template engine escapes it, and WeasyPrint gets no base URL and
a fetcher that refuses every URL: nothing in a field can make the server read a file or open a
connection, whatever it contains.
"""

from __future__ import annotations

from datetime import date, datetime
from functools import cache
from pathlib import Path
from typing import Any, NoReturn

from django.template.loader import render_to_string
from django.utils import timezone

from cases import japanese_calendar as jc
from cases.models import Audience, Lane, Level, Pattern, Phase, ProcessStep, ServiceArea
from worksheets.fields import FIELD_KEYS, FIELD_LABELS, PAIRS, Section
from worksheets.handover.layout import build_sheet, geometry_css
from worksheets.models import ChecklistState, RiskStatus, Role
from worksheets.sheet.diagram import FLOW_ORDER, PARTIES, balance_issues, exchange_svg

PAPERS = ("A3", "A4")
LIVE_LABEL = "最新（確定前）"
STYLESHEETS = [
    Path(__file__).resolve().parent / "pdf_css" / name for name in ("packet.css", "sheet.css")
]


class RefusingFetcher:
    """Stands in for WeasyPrint's URL fetcher and refuses everything.

    The packet needs no external resource: fonts come from fontconfig, the stylesheet is passed
    as a string and the SVGs are inline. A URL can only come from somebody's input, so any
    request is refused rather than fetched. `attempts` lists what was asked for (tests count it).
    """

    _fail_on_errors = False  # read by weasyprint.urls.fetch: refuse quietly, render the rest

    def __init__(self) -> None:
        self.attempts: list[str] = []

    def __call__(self, url: str, *args: Any, **kwargs: Any) -> NoReturn:
        self.attempts.append(url)
        raise ValueError(f"外部の資源は読み込みません: {url[:80]}")


@cache
def _stylesheet_text(paper: str) -> str:
    """The packet's stylesheets, then page 1's geometry for `paper` (handover/layout.py)."""
    files = [path.read_text(encoding="utf-8") for path in STYLESHEETS]
    return "\n".join([*files, geometry_css(paper)])


def _lines(text: str) -> list[str]:
    return [line.strip() for line in str(text or "").splitlines() if line.strip()]


def _day(value: str | None) -> str:
    """An ISO date or moment as 令和8年4月1日（2026年4月1日）; '' when missing or unreadable."""
    if not value:
        return ""
    try:
        moment = datetime.fromisoformat(value)
        # The day in Japan, whatever offset the moment was written with.
        day = (timezone.localtime(moment) if timezone.is_aware(moment) else moment).date()
        return jc.both_date_labels(day)
    except (ValueError, OverflowError):  # unreadable, out of range, or before 明治
        return str(value)


def _fields(document: dict[str, Any]) -> dict[str, dict[str, Any]]:
    fields = document.get("fields") or {}
    return {
        key: {
            "key": key,
            "label": FIELD_LABELS[key],
            "lines": _lines((fields.get(key) or {}).get("text", "")),
        }
        for key in FIELD_KEYS
    }


def _flows(document: dict[str, Any]) -> dict[tuple[str, str], list[str]]:
    flows: dict[tuple[str, str], list[str]] = {flow: [] for flow in FLOW_ORDER}
    for exchange in document.get("exchanges") or []:
        flow = (exchange.get("from_party"), exchange.get("to_party"))
        if flow in flows and str(exchange.get("what", "")).strip():
            flows[flow].append(str(exchange["what"]))
    return flows


def _exchange_boxes(flows: dict[tuple[str, str], list[str]]) -> list[dict[str, Any]]:
    boxes = []
    for label, (a, b) in PAIRS:
        directions = [
            {"words": f"{PARTIES[source]}→{PARTIES[target]}", "items": flows[(source, target)]}
            for source, target in ((a, b), (b, a))
        ]
        boxes.append({"label": label, "directions": [d for d in directions if d["items"]]})
    return boxes


def _guide(document: dict[str, Any]) -> dict[str, Any] | None:
    """The self-check summary and the eight-step tracker, or None when neither was used."""
    guide = document.get("guide") or {}
    selfchecks = guide.get("selfchecks") or []
    checklist = guide.get("checklist") or []
    process = guide.get("process") or {}
    activities = process.get("activities") or []
    current = process.get("current_step")
    if not (selfchecks or checklist or activities or current):
        return None
    # Titles and names as the screen shows them: from the database, where an operator may have
    # corrected them (load_guide keeps such edits), not from the content module.
    level_titles = {
        (audience, number): title
        for audience, number, title in Level.objects.values_list("audience", "number", "title")
    }
    sides = {audience.value: audience.side_label for audience in Audience}
    states = dict(ChecklistState.choices)
    audiences = dict(Audience.choices)
    phases = dict(Phase.choices)
    tallies: dict[tuple[str, str], dict[str, int]] = {}
    for item in checklist:
        key = (item.get("audience", ""), item.get("phase", ""))
        tally = tallies.setdefault(key, {state: 0 for state in states})
        if item.get("state") in tally:
            tally[item["state"]] += 1
    steps = [
        {
            "number": step.number,
            "name": step.name,
            "current": step.number == current,
            "activities": [
                {
                    "date": _day(a.get("date")),
                    "lane": dict(Lane.choices).get(a.get("lane"), a.get("lane", "")),
                    "department": a.get("department", ""),
                    "text": a.get("text", ""),
                }
                for a in activities
                if a.get("step") == step.number
            ],
        }
        for step in ProcessStep.objects.order_by("number")
    ]
    return {
        "selfchecks": [
            {
                "side": sides.get(s.get("side"), s.get("side", "")),
                "level": s.get("level"),
                "title": level_titles.get((s.get("side", ""), s.get("level")), ""),
                "answered_by": s.get("answered_by", ""),
                "answered_at": _day(s.get("answered_at")),
            }
            for s in selfchecks
        ],
        "checklist": [
            {
                "audience": audiences.get(audience, audience),
                "phase": phases.get(phase, phase),
                "counts": [(states[state], count) for state, count in tally.items()],
            }
            for (audience, phase), tally in tallies.items()
        ],
        "steps": steps,
        "current": next((s["name"] for s in steps if s["current"]), ""),
    }


def packet_context(
    document: dict[str, Any],
    *,
    paper: str,
    label: str,
    printed_at: datetime,
    changes: list[dict[str, Any]],
    since: str = "",
    handover: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """What the packet template needs, all of it plain text taken from `document`.

    With `handover` (see `handover_cover`), the packet is a 引継書: it begins with the handover.
    """
    project = document.get("worksheet") or {}
    flows = _flows(document)
    sections = dict(Section.choices)
    statuses = dict(RiskStatus.choices)
    day = (timezone.localtime(printed_at) if timezone.is_aware(printed_at) else printed_at).date()
    context: dict[str, Any] = {
        "paper": paper,
        "project": {
            "title": project.get("title", ""),
            "region": project.get("region", ""),
            "organization": (project.get("organization") or {}).get("name", ""),
            "service_area": dict(ServiceArea.choices).get(project.get("service_area", ""), ""),
            "pattern": dict(Pattern.choices).get(project.get("pattern", ""), ""),
        },
        "label": label or LIVE_LABEL,
        "printed": jc.both_date_labels(day),
        "sections": sections,
        "fields": _fields(document),
        "stakeholders": [
            {"name": s.get("name", ""), "roles": [r for r in s.get("roles") or [] if r]}
            for s in document.get("stakeholders") or []
        ],
        "exchange_boxes": _exchange_boxes(flows),
        "diagram": exchange_svg(flows, title="価値のやり取り", for_print=True),
        "balance": balance_issues(flows),
        "has_flows": any(flows.values()),
        "risks": [
            {
                "description": r.get("description", ""),
                "mitigation": r.get("mitigation", ""),
                "owner": r.get("owner", ""),
                "status": statuses.get(r.get("status"), r.get("status", "")),
            }
            for r in document.get("risks") or []
        ],
        "kpis": document.get("kpis") or [],
        "effect_notes": document.get("effect_notes") or {},
        "guide": _guide(document),
        "open_comments": [
            {
                "section": sections.get(c.get("section"), c.get("section", "")),
                "author": c.get("author", ""),
                "created_at": _day(c.get("created_at")),
                "body": c.get("body", ""),
                "replies": [
                    {
                        "author": r.get("author", ""),
                        "created_at": _day(r.get("created_at")),
                        "body": r.get("body", ""),
                    }
                    for r in c.get("replies") or []
                ],
            }
            for c in document.get("comments") or []
            if not c.get("resolved_at")
        ],
        # 「前回の引き継ぎからの変更」: `since` names that handover; without one there is no record.
        "changes": changes,
        "since": since,
    }
    context["sheet"] = build_sheet(context, paper)
    context["today"] = day
    if handover is not None:
        context["handover"] = handover
        context["open_risks"] = [
            r for r in context["risks"] if r["status"] != statuses[RiskStatus.SETTLED]
        ]
        context["contacts"] = _contacts(document)
    return context


def _contacts(document: dict[str, Any]) -> list[dict[str, Any]]:
    """The project's members by organisation, the owner's organisation first, then by name."""
    roles = dict(Role.choices)
    lead = ((document.get("worksheet") or {}).get("organization") or {}).get("name", "")
    by_organization: dict[str, list[dict[str, str]]] = {}
    for m in document.get("members") or []:
        by_organization.setdefault(m.get("organization") or "（所属なし）", []).append(
            {
                "name": m.get("name", ""),
                "department": m.get("department", ""),
                "role": roles.get(m.get("role", ""), m.get("role", "")),
            }
        )
    order = sorted(by_organization, key=lambda name: (name != lead, name))
    return [{"organization": name, "members": by_organization[name]} for name in order]


def handover_cover(
    *,
    from_name: str,
    from_post: str,
    to_name: str,
    to_post: str,
    day: date,
    memo: str,
    status: str,
    version: str,
    stamps: list[str],
) -> dict[str, Any]:
    """The 引継書's first part, as plain text: who hands over to whom, when, and what."""
    return {
        "from_name": from_name,
        "from_post": from_post,
        "to_name": to_name,
        "to_post": to_post,
        "date": jc.both_date_labels(day),
        "memo": _lines(memo),
        "status": status,
        "version": version,
        "stamps": stamps,
    }


def render_html(context: dict[str, Any]) -> str:
    return render_to_string("worksheets/handover/pdf/packet.html", context)


def scope_table_headers(_document: Any, pdf: Any) -> None:
    """WeasyPrint's finisher: give every table header cell a /Scope (PDF/UA-1 7.5).

    WeasyPrint tags cells and links data cells to their headers by /Headers, but leaves /Scope
    off the headers, which PDF/UA checkers and some screen readers need. The packet's tables
    are simple: a row of nothing but headers heads columns; a header among data cells (the
    「項目」 of a facts table, an organisation in the contacts) heads its row.
    """
    import pydyf  # comes with WeasyPrint

    by_reference: dict[bytes, Any] = {
        obj.reference: obj for obj in pdf.objects if isinstance(obj, pydyf.Dictionary)
    }
    for row in by_reference.values():
        if row.get("S") != "/TR":
            continue
        found = [by_reference.get(kid) for kid in row.get("K", [])]
        cells: list[Any] = [c for c in found if c is not None and c.get("S") in ("/TH", "/TD")]
        scope = "/Column" if all(c["S"] == "/TH" for c in cells) else "/Row"
        for cell in cells:
            if cell["S"] == "/TH":
                attributes = cell.setdefault("A", pydyf.Dictionary({"O": "/Table"}))
                attributes["Scope"] = scope


def html_to_pdf(html: str, paper: str, fetcher: RefusingFetcher | None = None) -> bytes:
    """The PDF of `html` with the packet's stylesheet and nothing fetched from anywhere."""
    from weasyprint import CSS, HTML  # heavy (Pango, HarfBuzz): loaded only when printing

    fetcher = fetcher or RefusingFetcher()
    css = _stylesheet_text(paper)
    stylesheet = CSS(string=css, base_url=None, url_fetcher=fetcher)
    document = HTML(string=html, base_url=None, url_fetcher=fetcher)
    # PDF/UA-1: tagged, with the language (html lang) and the title (<title>) shown as the
    # window's title; the tags follow the HTML's order, which is the reading order.
    pdf: bytes = document.write_pdf(
        stylesheets=[stylesheet], pdf_variant="pdf/ua-1", finisher=scope_table_headers
    )
    return pdf


def render_packet(
    document: dict[str, Any],
    *,
    paper: str = "A3",
    label: str = "",
    printed_at: datetime,
    changes: list[dict[str, Any]],
    since: str = "",
    handover: dict[str, Any] | None = None,
    fetcher: RefusingFetcher | None = None,
) -> bytes:
    """The whole packet as PDF bytes. `paper` is the size of page 1 (the sheet): A3 or A4.

    `changes` are the lines of 「前回の引き継ぎからの変更」 (label, before, after) and `since`
    names that handover, e.g. 令和8年4月1日の引き継ぎ; without it the packet says there is none.
    """
    if paper not in PAPERS:
        raise ValueError(f"paper must be one of {PAPERS}, not {paper!r}")
    context = packet_context(
        document,
        paper=paper,
        label=label,
        printed_at=printed_at,
        changes=changes,
        since=since,
        handover=handover,
    )
    return html_to_pdf(render_html(context), paper, fetcher)
