"""The value-exchange diagram of a worksheet: what passes between 利用者・事業者・地域 (guide p.25–26).

Two pure functions over the six flows: `balance_issues` checks that every party both gives and
gets (the guide asks that each party's gains and contributions balance), and `exchange_svg` draws
the three parties and the six flows as an SVG rendered on the server, so the worksheet page and
the handover PDF show the same picture.

The SVG carries presentation attributes only (fill, stroke, font-size…): the CSP forbids
style="" and <style>, and WeasyPrint gets the SVG without our stylesheet. The CSS classes only let
static/css/diagram.css refine it on screen. Every item is user input, so all text goes through
XML escaping and loses the characters XML 1.0 cannot hold.
"""

from __future__ import annotations

import math
import re
import unicodedata
import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

from django.utils.safestring import SafeString, mark_safe

from worksheets.fields import FLOWS, PAIRS, Party

# The order is the reading order everywhere: checks, descriptions, drawing.
PARTIES = dict(Party.choices)
Flows = Mapping[tuple[str, str], Sequence[str]]

# The six directed flows in the order the guide lists the pairs (worksheets/fields.py).
FLOW_ORDER: tuple[tuple[str, str], ...] = tuple((f.from_party, f.to_party) for f in FLOWS)

_ADVICE = "各主体の得るものと提供するものが釣り合うよう見直しましょう（ポイント集 p.26）。"


@dataclass(frozen=True)
class BalanceIssue:
    party: str  # "user" | "business" | "region"
    kind: str  # "gives_only" | "gets_only"
    message: str


# Everything XML 1.0 allows; the rest (control characters, lone surrogates, U+FFFE/FFFF) would make
# the whole SVG unparseable, so it is dropped rather than escaped (it cannot be escaped).
_XML_ILLEGAL = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _clean_text(text: str) -> str:
    """The text as it can be drawn: XML-legal, whitespace runs collapsed to one space."""
    return " ".join(_XML_ILLEGAL.sub("", str(text)).split())


def _clean_flows(flows: Flows) -> dict[tuple[str, str], tuple[str, ...]]:
    """All six flows, each with its non-blank items; an unknown pair is a programming error."""
    cleaned: dict[tuple[str, str], tuple[str, ...]] = {flow: () for flow in FLOW_ORDER}
    for flow, items in flows.items():
        if flow not in cleaned:
            raise ValueError(f"unknown flow {flow!r}: expected one of {FLOW_ORDER}")
        if isinstance(items, str):  # a lone string would otherwise be drawn letter by letter
            items = [items]
        cleaned[flow] = tuple(text for text in map(_clean_text, items) if text)
    return cleaned


def balance_issues(flows: Flows) -> list[BalanceIssue]:
    """Parties that give without getting or get without giving, in PARTIES order.

    A party with no flows at all is not flagged: nothing has been drawn for it yet.
    """
    cleaned = _clean_flows(flows)
    issues = []
    for party, name in PARTIES.items():
        gives = any(items for (source, _), items in cleaned.items() if source == party)
        gets = any(items for (_, target), items in cleaned.items() if target == party)
        if gives and not gets:
            issues.append(
                BalanceIssue(
                    party,
                    "gives_only",
                    f"{name}は提供するものがありますが、受け取るものがありません。{_ADVICE}",
                )
            )
        elif gets and not gives:
            issues.append(
                BalanceIssue(
                    party,
                    "gets_only",
                    f"{name}は受け取るものがありますが、提供するものがありません。{_ADVICE}",
                )
            )
    return issues


# --- Text measuring and wrapping -------------------------------------------------------------
# The server cannot measure glyphs, so widths are estimated in em: CJK is one em in every Japanese
# font, Latin a little over half. The estimate errs wide so labels never run into an arrow.

_WIDE_LATIN = frozenset("MWmw@%")
# Characters that may not start a line in Japanese (kinsoku): they hang on the previous line.
_NO_LINE_START = frozenset("、。，．,.:;!?)]}）」』】〕〉》！？ーゝゞヽヾ々…・")
_TOKENS = re.compile(r"[!-~]+|[ァ-ヺー]+|[ｦ-ﾟ]+|\s|.")
_MAX_ITEM_LINES = 3
_MAX_LABEL_LINES = 8
_LABEL_EM = 11.0


def _char_em(char: str) -> float:
    if unicodedata.combining(char):
        return 0.0
    if char in _WIDE_LATIN:
        return 0.9
    width = unicodedata.east_asian_width(char)
    if width in ("W", "F", "A"):
        return 1.0
    if width == "H":
        return 0.5
    return 0.62


def _em(text: str) -> float:
    return sum(_char_em(char) for char in text)


def _wrap(text: str, max_em: float) -> list[str]:
    """Greedy wrapping that breaks Japanese anywhere but keeps a Latin word or a katakana word
    (ニーズ, センター) whole when it fits on a line."""
    lines: list[str] = []
    line, width = "", 0.0

    def flush() -> None:
        nonlocal line, width
        if line.strip():
            lines.append(line.strip())
        line, width = "", 0.0

    for token in _TOKENS.findall(text):
        token_em = _em(token)
        if token.isspace():
            if line:
                line, width = line + " ", width + token_em
            continue
        if width + token_em <= max_em or token in _NO_LINE_START:
            line, width = line + token, width + token_em
            continue
        flush()
        if token_em <= max_em:
            line, width = token, token_em
            continue
        for char in token:  # a word longer than a whole line: cut it between characters
            if line and width + _char_em(char) > max_em:
                flush()
            line, width = line + char, width + _char_em(char)
    flush()
    return lines


def _item_lines(text: str, max_em: float) -> list[str]:
    """An item's lines, at most _MAX_ITEM_LINES; a longer item ends in … (its <title> keeps it all)."""
    lines = _wrap(text, max_em)
    if len(lines) <= _MAX_ITEM_LINES:
        return lines
    last = lines[_MAX_ITEM_LINES - 1]
    while last and _em(last) + 1 > max_em:
        last = last[:-1]
    return [*lines[: _MAX_ITEM_LINES - 1], last.rstrip() + "…"]


@dataclass(frozen=True)
class _Line:
    text: str
    indent: bool  # continuation of a bulleted item, drawn one em in
    more: bool = False  # the 「ほか N 件」 line


def _label_lines(items: Sequence[str]) -> list[_Line]:
    """The lines of one flow's label: whole items only, then 「ほか N 件」 if they do not all fit."""
    bulleted = len(items) > 1
    lines: list[_Line] = []
    shown = 0
    for index, item in enumerate(items):
        wrapped = _item_lines(item, _LABEL_EM - (1 if bulleted else 0))
        reserve = 1 if index < len(items) - 1 else 0  # room for 「ほか N 件」 after this item
        if len(lines) + len(wrapped) + reserve > _MAX_LABEL_LINES:
            break
        for number, text in enumerate(wrapped):
            first = number == 0
            lines.append(
                _Line(("・" + text) if bulleted and first else text, bulleted and not first)
            )
        shown += 1
    if shown < len(items):
        lines.append(_Line(f"ほか {len(items) - shown} 件", False, more=True))
    return lines


# --- Geometry ---------------------------------------------------------------------------------

Point = tuple[float, float]
Rect = tuple[float, float, float, float]  # x0, y0, x1, y1

# Arrows that run clockwise round the triangle (利用者 → 地域 → 事業者 → 利用者) are drawn on the
# outer side of their pair, their partners on the inner side; labels sit on their arrow's side.
_CLOCKWISE = frozenset({("user", "region"), ("region", "business"), ("business", "user")})
_EDGES: tuple[tuple[str, str], ...] = tuple(pair for _question, pair in PAIRS)
# Where along its pair a label may sit (fraction from the pair's first party), best first.
_OUTER_STOPS = (0.5, 0.45, 0.55, 0.4, 0.6)
_INNER_STOPS = (0.55, 0.5, 0.6, 0.45, 0.65, 0.4, 0.7, 0.35, 0.75)


@dataclass(frozen=True)
class _Look:
    font_size: float
    name_size: float
    radius: float
    colors: Mapping[str, str]  # per party: the arrow and outline colour
    fills: Mapping[str, str]  # per party: the circle's fill
    text: str
    muted: str
    empty: str
    warning: str


# Screen: one hue per party, each dark enough for text contrast on white (WCAG AA, ≥ 4.5:1).
_SCREEN = _Look(
    font_size=15,
    name_size=22,
    radius=60,
    colors={"user": "#1d4ed8", "business": "#b45309", "region": "#047857"},
    fills={"user": "#e8effd", "business": "#fcf1e3", "region": "#e3f4ec"},
    text="#212529",
    muted="#495057",
    empty="#adb5bd",
    warning="#b02a37",
)
# Print: black and white with larger type, since A4 shrinks the drawing to the text column.
_PRINT = _Look(
    font_size=20,
    name_size=26,
    radius=64,
    colors={"user": "#000000", "business": "#000000", "region": "#000000"},
    fills={"user": "#ffffff", "business": "#ffffff", "region": "#ffffff"},
    text="#000000",
    muted="#333333",
    empty="#999999",
    warning="#000000",
)

_ARROW_OFFSET = 11.0  # half the distance between the two arrows of a pair
_GAP = 9.0  # free space between a label and any line or shape
_FONT_FAMILY = '"Noto Sans CJK JP", "IPAexGothic", "Yu Gothic", "Meiryo", sans-serif'


@dataclass
class _Layout:
    centers: dict[str, Point]
    labels: dict[tuple[str, str], Rect]
    notes: dict[str, Rect]


def _centers(height: float) -> dict[str, Point]:
    half_width = height * 0.74
    return {"user": (0.0, 0.0), "business": (-half_width, height), "region": (half_width, height)}


def _unit(a: Point, b: Point) -> Point:
    length = math.dist(a, b)
    return ((b[0] - a[0]) / length, (b[1] - a[1]) / length)


def _outward(edge: tuple[str, str], centers: Mapping[str, Point]) -> Point:
    """The unit normal of a pair's line pointing away from the triangle's centre."""
    a, b = centers[edge[0]], centers[edge[1]]
    ux, uy = _unit(a, b)
    normal = (-uy, ux)
    cx = sum(x for x, _ in centers.values()) / 3
    cy = sum(y for _, y in centers.values()) / 3
    middle = ((a[0] + b[0]) / 2, (a[1] + b[1]) / 2)
    if (middle[0] - cx) * normal[0] + (middle[1] - cy) * normal[1] < 0:
        normal = (-normal[0], -normal[1])
    return normal


def _edge_of(flow: tuple[str, str]) -> tuple[str, str]:
    return flow if flow in _EDGES else (flow[1], flow[0])


def _side(flow: tuple[str, str]) -> int:
    return 1 if flow in _CLOCKWISE else -1


def _overlap(a: Rect, b: Rect) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _grow(rect: Rect, by: float) -> Rect:
    return (rect[0] - by, rect[1] - by, rect[2] + by, rect[3] + by)


def _crosses(rect: Rect, a: Point, b: Point, clearance: float) -> bool:
    """Whether a segment passes within `clearance` of a rectangle (sampled every few units)."""
    x0, y0, x1, y1 = _grow(rect, clearance)
    steps = max(2, int(math.dist(a, b) / 3))
    for step in range(steps + 1):
        t = step / steps
        x, y = a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t
        if x0 <= x <= x1 and y0 <= y <= y1:
            return True
    return False


def _note_rect(center: Point, above: bool, text: str, look: _Look) -> Rect:
    size = look.font_size * 0.9
    width = _em(text) * size
    top = center[1] - look.radius - 14 - size * 1.3 if above else center[1] + look.radius + 14
    return (center[0] - width / 2, top, center[0] + width / 2, top + size * 1.3)


def _note_text(kind: str) -> str:
    return (
        "要確認：受け取るものがありません"
        if kind == "gives_only"
        else "要確認：提供するものがありません"
    )


def _layout(
    sizes: Mapping[tuple[str, str], tuple[float, float]],
    flagged: Mapping[str, str],
    look: _Look,
) -> _Layout:
    """Place the parties and labels, enlarging the triangle until no label touches another thing.

    Outer labels have the whole outside to themselves; the inner ones share the triangle, so each
    tries a few spots along its pair before the triangle grows. Real worksheets fit at the first
    size; eight-line labels on every inner arrow need a few rounds.
    """
    height = 380.0
    layout = _Layout({}, {}, {})
    for _ in range(30):
        centers = _centers(height)
        layout = _Layout(centers, {}, {})
        obstacles: list[Rect] = []
        for party, kind in flagged.items():
            above = centers[party][1] < height / 2
            layout.notes[party] = _note_rect(centers[party], above, _note_text(kind), look)
        obstacles.extend(layout.notes.values())
        for x, y in centers.values():
            r = look.radius + 6
            obstacles.append((x - r, y - r, x + r, y + r))
        order = sorted(sizes, key=lambda flow: (_side(flow) < 0, _edge_of(flow) != _EDGES[2]))
        fits = True
        for flow in order:
            rect = _place(flow, sizes[flow], layout.centers, obstacles, look)
            if rect is None:
                fits = False
                break
            layout.labels[flow] = rect
            obstacles.append(rect)
        if fits:
            return layout
        height *= 1.08
    # Unreachable with at most eight lines per label; kept so an odd font never loops forever.
    for flow in sizes:
        layout.labels[flow] = _candidate(flow, sizes[flow], layout.centers, 0.5)
    return layout


def _candidate(
    flow: tuple[str, str], size: tuple[float, float], centers: Mapping[str, Point], stop: float
) -> Rect:
    """The label's rectangle beside its arrow at `stop`, just clear of the arrow line.

    The centre sits along the normal at the arrow's offset plus the gap plus the rectangle's own
    reach in that direction, so no corner of it can cross the arrow, whatever the slope.
    """
    edge = _edge_of(flow)
    a, b = centers[edge[0]], centers[edge[1]]
    nx, ny = _outward(edge, centers)
    side = _side(flow)
    nx, ny = nx * side, ny * side
    width, height = size
    reach = abs(nx) * width / 2 + abs(ny) * height / 2
    distance = _ARROW_OFFSET + _GAP + reach
    x = a[0] + (b[0] - a[0]) * stop + nx * distance
    y = a[1] + (b[1] - a[1]) * stop + ny * distance
    return (x - width / 2, y - height / 2, x + width / 2, y + height / 2)


def _place(
    flow: tuple[str, str],
    size: tuple[float, float],
    centers: Mapping[str, Point],
    obstacles: Sequence[Rect],
    look: _Look,
) -> Rect | None:
    stops = _OUTER_STOPS if _side(flow) > 0 else _INNER_STOPS
    other_edges = [edge for edge in _EDGES if edge != _edge_of(flow)]
    for stop in stops:
        rect = _candidate(flow, size, centers, stop)
        if any(_overlap(_grow(rect, _GAP), other) for other in obstacles):
            continue
        if any(
            _crosses(rect, centers[a], centers[b], _ARROW_OFFSET + _GAP) for a, b in other_edges
        ):
            continue
        return rect
    return None


# --- SVG --------------------------------------------------------------------------------------


def _n(value: float) -> str:
    """A coordinate, short: one decimal at most."""
    return f"{value:.1f}".removesuffix(".0")


def _attrs(**attributes: object) -> str:
    """Attributes from keyword arguments (trailing _ dropped, other _ → -), values quoted."""
    parts = []
    for name, value in attributes.items():
        if value is None:
            continue
        text = _n(value) if isinstance(value, float) else str(value)
        parts.append(f"{name.rstrip('_').replace('_', '-')}={quoteattr(text)}")
    return " ".join(parts)


def _flow_words(flow: tuple[str, str]) -> str:
    return f"{PARTIES[flow[0]]}→{PARTIES[flow[1]]}"


def _describe(
    cleaned: Mapping[tuple[str, str], Sequence[str]], issues: Iterable[BalanceIssue]
) -> str:
    drawn = [flow for flow in FLOW_ORDER if cleaned[flow]]
    if not drawn:
        return (
            "利用者・事業者・地域の間でやり取りされるものは、まだ記入されていません。"
            "ワークシートの「やり取りされるものは何か？」に記入すると、矢印で図に表れます。"
        )
    sentences = ["利用者・事業者・地域の三者の間でやり取りされるものを矢印で表した図です。"]
    sentences += [f"{_flow_words(flow)}：{'、'.join(cleaned[flow])}。" for flow in drawn]
    blank = [_flow_words(flow) for flow in FLOW_ORDER if not cleaned[flow]]
    if blank:
        sentences.append(f"記入なし：{'、'.join(blank)}。")
    sentences += [issue.message for issue in issues]
    return "".join(sentences)


def exchange_svg(
    flows: Flows, *, title: str = "価値のやり取り", for_print: bool = False
) -> SafeString:
    """The three parties in a triangle (利用者 top, 事業者 bottom left, 地域 bottom right) and the
    six flows as arrows, two per pair, each labelled with its items.

    Flows without items are drawn as faint dashed arrows without a label rather than left out:
    the empty slot reminds the team that something could pass there, and the <desc> names them.
    """
    look = _PRINT if for_print else _SCREEN
    cleaned = _clean_flows(flows)
    issues = balance_issues(flows)
    flagged = {issue.party: issue.kind for issue in issues}
    prefix = f"xd-{uuid.uuid4().hex[:12]}"
    line_height = look.font_size * 1.4

    label_lines = {flow: _label_lines(items) for flow, items in cleaned.items() if items}
    sizes = {
        flow: (
            max(_em(line.text) + (1 if line.indent else 0) for line in lines) * look.font_size,
            len(lines) * line_height,
        )
        for flow, lines in label_lines.items()
    }
    layout = _layout(sizes, flagged, look)
    centers = layout.centers

    body: list[str] = []
    # Arrows first, then labels and parties on top of them.
    for flow in FLOW_ORDER:
        body.append(_arrow(flow, cleaned[flow], centers, prefix, look))
    for flow in FLOW_ORDER:
        if flow in layout.labels:
            body.append(
                _label(flow, cleaned[flow], label_lines[flow], layout.labels[flow], centers, look)
            )
    for party, name in PARTIES.items():
        body.append(_party(party, name, centers[party], flagged.get(party), layout, look))
    if not label_lines:
        cx = sum(x for x, _ in centers.values()) / 3
        cy = sum(y for _, y in centers.values()) / 3 + look.font_size * 1.6
        body.append(
            f"<text {_attrs(class_='xd-empty-note', x=cx, y=cy, text_anchor='middle', fill=look.muted, font_size=float(look.font_size))}>"
            "やり取りはまだ記入されていません</text>"
        )

    # The drawing's extent: every shape and label, plus a margin.
    boxes = [*layout.labels.values(), *layout.notes.values()]
    boxes += [
        (x - look.radius - 8, y - look.radius - 8, x + look.radius + 8, y + look.radius + 8)
        for x, y in centers.values()
    ]
    margin = 16.0
    x0 = min(box[0] for box in boxes) - margin
    y0 = min(box[1] for box in boxes) - margin
    width = max(box[2] for box in boxes) + margin - x0
    height = max(box[3] for box in boxes) + margin - y0

    root = _attrs(
        xmlns="http://www.w3.org/2000/svg",
        class_="exchange-diagram" + (" exchange-diagram--print" if for_print else ""),
        viewBox=f"{_n(x0)} {_n(y0)} {_n(width)} {_n(height)}",
        # On screen the stylesheet makes it fluid; in print it fills the text column, since
        # WeasyPrint gets no stylesheet and the natural size is wider than A4.
        width="100%" if for_print else _n(width),
        height=None if for_print else _n(height),
        preserveAspectRatio="xMidYMid meet",
        role="img",
        aria_labelledby=f"{prefix}-title {prefix}-desc",
        font_family=_FONT_FAMILY,
        font_size=float(look.font_size),
    )
    clean_title = _clean_text(title) or "価値のやり取り"
    head = [
        f"<svg {root}>",
        f"<title {_attrs(id=f'{prefix}-title')}>{escape(clean_title)}</title>",
        f"<desc {_attrs(id=f'{prefix}-desc')}>{escape(_describe(cleaned, issues))}</desc>",
        "<defs>",
        *_markers(prefix, look),
        "</defs>",
    ]
    return mark_safe("".join([*head, *body, "</svg>"]))  # noqa: S308 — every text is escaped above


def _marker_id(prefix: str, key: str) -> str:
    return f"{prefix}-arrow-{key}"


def _markers(prefix: str, look: _Look) -> list[str]:
    colors = {**look.colors, "empty": look.empty}
    markers = []
    for key, color in colors.items():
        size = 9.0 if key == "empty" else 13.0
        markers.append(
            f"<marker {_attrs(id=_marker_id(prefix, key), viewBox='0 0 10 10', refX='9', refY='5', markerWidth=size, markerHeight=size, markerUnits='userSpaceOnUse', orient='auto')}>"
            f"<path {_attrs(d='M0,0.5 L10,5 L0,9.5 z', fill=color)}/></marker>"
        )
    return markers


def _arrow(
    flow: tuple[str, str],
    items: Sequence[str],
    centers: Mapping[str, Point],
    prefix: str,
    look: _Look,
) -> str:
    source, target = flow
    a, b = centers[source], centers[target]
    ux, uy = _unit(a, b)
    nx, ny = _outward(_edge_of(flow), centers)
    offset = _ARROW_OFFSET * _side(flow)
    # Where the offset line meets each circle, so arrows start and end on the outlines.
    along = math.sqrt(look.radius**2 - _ARROW_OFFSET**2)
    start = (a[0] + ux * (along + 3) + nx * offset, a[1] + uy * (along + 3) + ny * offset)
    end = (b[0] - ux * (along + 4) + nx * offset, b[1] - uy * (along + 4) + ny * offset)
    words = _flow_words(flow)
    extra: dict[str, object]
    if items:
        color, marker, extra = look.colors[source], source, {"stroke_width": 3.0}
        group_class = f"xd-flow xd-flow--from-{source}"
        tooltip = f"{words}：{'、'.join(items)}"
    else:
        color, marker = look.empty, "empty"
        extra = {"stroke_width": 1.5, "stroke_dasharray": "6 5"}
        group_class = "xd-flow xd-flow--empty"
        tooltip = f"{words}：（記入なし）"
    line = _attrs(
        class_="xd-arrow",
        x1=start[0],
        y1=start[1],
        x2=end[0],
        y2=end[1],
        stroke=color,
        marker_end=f"url(#{_marker_id(prefix, marker)})",
        **extra,
    )
    return f"<g {_attrs(class_=group_class)}><title>{escape(tooltip)}</title><line {line}/></g>"


def _label(
    flow: tuple[str, str],
    items: Sequence[str],
    lines: Sequence[_Line],
    rect: Rect,
    centers: Mapping[str, Point],
    look: _Look,
) -> str:
    """The items of one flow beside its arrow, in the arrow's colour so the two read as one."""
    line_height = look.font_size * 1.4
    # The baseline sits so that the em box is centred in its line.
    first_baseline = rect[1] + (line_height - look.font_size) / 2 + look.font_size * 0.88
    # A single item left of a slanted arrow is right-aligned to hug it; a bulleted list stays
    # left-aligned, since ragged bullets are harder to scan.
    normal_x = _outward(_edge_of(flow), centers)[0] * _side(flow)
    hug_right = normal_x < -0.3 and not any(
        line.indent or line.text.startswith("・") for line in lines
    )
    spans = []
    for number, line in enumerate(lines):
        x = rect[2] if hug_right else rect[0] + (look.font_size if line.indent else 0)
        attributes = _attrs(
            x=float(x),
            y=first_baseline + number * line_height,
            fill=look.muted if line.more else None,
            class_="xd-more" if line.more else None,
        )
        spans.append(f"<tspan {attributes}>{escape(line.text)}</tspan>")
    tooltip = f"{_flow_words(flow)}：{'、'.join(items)}"
    text = _attrs(
        class_="xd-label-text",
        fill=look.colors[flow[0]],
        text_anchor="end" if hug_right else None,
    )
    return (
        f"<g {_attrs(class_=f'xd-label xd-label--from-{flow[0]}')}><title>{escape(tooltip)}</title>"
        f"<text {text}>{''.join(spans)}</text></g>"
    )


def _party(
    party: str, name: str, center: Point, kind: str | None, layout: _Layout, look: _Look
) -> str:
    x, y = center
    parts = [
        f"<g {_attrs(class_=f'xd-party xd-party--{party}' + (' xd-party--flagged' if kind else ''))}>"
    ]
    if kind:
        parts.append(
            f"<circle {_attrs(class_='xd-warning-ring', cx=x, cy=y, r=look.radius + 7.0, fill='none', stroke=look.warning, stroke_width=2.5, stroke_dasharray='7 4')}/>"
        )
    parts.append(
        f"<circle {_attrs(cx=x, cy=y, r=float(look.radius), fill=look.fills[party], stroke=look.colors[party], stroke_width=3.0)}/>"
    )
    parts.append(
        f"<text {_attrs(x=x, y=y + look.name_size * 0.36, text_anchor='middle', font_size=float(look.name_size), font_weight='bold', fill=look.colors[party] if look.colors[party] != '#000000' else look.text)}>{escape(name)}</text>"
    )
    if kind:
        note = layout.notes[party]
        size = look.font_size * 0.9
        parts.append(
            f"<text {_attrs(class_='xd-warning', x=x, y=note[1] + size * 1.05, text_anchor='middle', font_size=size, font_weight='bold', fill=look.warning)}>{escape(_note_text(kind))}</text>"
        )
    parts.append("</g>")
    return "".join(parts)
