"""Page 1 of the packet: the sheet as fixed boxes, and how much of each text fits in its box.

The guide's sheet (p.25) is a form: four columns under two bands (産福共創モデルの創出 over the
first three, 効果検証 over the fourth), each column a stack of boxes. On paper the boxes never
move: a long text does not push the next box down or into the next column. Instead its type
shrinks, step by step, down to a legible minimum (7 pt on A3, 6 pt on A4); whatever still does
not fit is cut at the box's last line, which says 「（続きは別紙 p.N）」, and the whole text
is printed on the appendix.

WeasyPrint cannot tell us before rendering whether a text fits, so the fit is estimated here from
the characters' widths: full width (1 em) for Japanese and other wide characters, narrower for
Latin letters and digits, with the line-breaking rules Japanese needs (kinsoku: a closing mark
never starts a line, an opening one never ends it) and Latin words kept whole. The estimate errs
on the side of too many lines, so a box may end a line or two early but never overflows;
tests/worksheets/handover/test_pdf_sheet.py checks it against WeasyPrint's own layout.

Everything here is plain data and arithmetic (millimetres and points); pdf.py renders it.
"""

from __future__ import annotations

import math
import unicodedata
from dataclasses import dataclass
from functools import cache
from typing import Any

from worksheets.fields import FIELD_KEYS, PAIRS

PT_MM = 25.4 / 72  # one point in millimetres

# Kinsoku: characters that may not start a line, and those that may not end one.
NO_START = set(
    "、。，．・：；？！ー々ぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮヵヶ」』）］｝〕〉》】〙〗〟’”,.:;?!)]}%"
)
NO_END = set("「『（［｛〔〈《【〘〖〝‘“([{")

MARKER_PROTOTYPE = "（続きは別紙 p.00）"  # the widest the marker gets: two-digit pages


def char_em(ch: str) -> float:
    """The advance of `ch` in em, as Noto Sans CJK JP sets it, rounded up."""
    if ch == " ":
        return 0.3
    if ch == "\u3000":
        return 1.0
    width = unicodedata.east_asian_width(ch)
    if width in ("W", "F", "A"):  # ambiguous (→, ○, ※) prints full width in Japanese text
        return 1.0
    if width == "H":  # half-width katakana
        return 0.5
    if ch in "MW@mw%&":
        return 0.95
    if ch.isupper() or ch.isdigit():
        return 0.68
    if ch in "il.,:;'|!()[]{}":
        return 0.35
    return 0.6


def _tokens(text: str) -> list[str]:
    """Units that a line break never splits: a Latin word, or one Japanese character with the
    closing marks after it and the opening marks before it (kinsoku)."""
    tokens: list[str] = []
    pending = ""  # opening marks waiting for the character they belong to
    word = ""
    for ch in text:
        if ch.isascii() and not ch.isspace() and ch not in NO_END and ch not in NO_START:
            word += ch
            continue
        if word:
            tokens.append(pending + word)
            pending, word = "", ""
        if ch in NO_START and tokens and not pending:
            tokens[-1] += ch
        elif ch in NO_END:
            pending += ch
        else:
            tokens.append(pending + ch)
            pending = ""
    if word or pending:
        tokens.append(pending + word)
    return tokens


def text_em(text: str) -> float:
    return sum(char_em(ch) for ch in text)


def count_lines(text: str, width_em: float) -> int:
    """How many lines `text` takes in a line `width_em` wide (at least one, even when empty)."""
    if width_em <= 1:
        return max(1, len(text))
    lines, used = 1, 0.0
    for token in _tokens(text):
        advance = text_em(token)
        if used + advance <= width_em:
            used += advance
            continue
        if token.isspace():
            continue  # a space at a break is dropped
        if advance > width_em:  # a word longer than the line breaks anywhere
            for ch in token:
                step = char_em(ch)
                if used + step > width_em:
                    lines, used = lines + 1, 0.0
                used += step
            continue
        lines, used = lines + 1, advance
    return lines


@dataclass(frozen=True)
class Block:
    """One paragraph of a box: a line of a field, a stakeholder's name, one of its roles…

    `indent` is the hanging indent in em (a bullet's text lines up after the bullet).
    """

    text: str
    indent: float = 0.0
    strong: bool = False


@dataclass(frozen=True)
class Rect:
    x: float
    y: float
    w: float
    h: float


@dataclass(frozen=True)
class Paper:
    """A sheet's paper: page and margins (mm), type sizes (pt), and a scale for the geometry,
    which is drawn for A3 and shrunk for A4 (A4 is A3 halved, √2 smaller each way)."""

    name: str
    page_w: float
    page_h: float
    margin: tuple[float, float, float, float]  # top, right, bottom, left
    scale: float
    sizes: tuple[float, ...]  # body sizes to try, largest first; the last is the minimum
    label_pt: float
    heading_pt: float
    title_pt: tuple[float, float]  # largest and smallest project title
    meta_pt: float

    @property
    def content_w(self) -> float:
        return self.page_w - self.margin[1] - self.margin[3]

    @property
    def content_h(self) -> float:
        return self.page_h - self.margin[0] - self.margin[2]

    @property
    def minimum(self) -> float:
        return self.sizes[-1]


def _steps(start: float, stop: float, step: float) -> tuple[float, ...]:
    count = round((start - stop) / step)
    return tuple(round(start - n * step, 2) for n in range(count + 1))


A3 = Paper(
    name="A3",
    page_w=420,
    page_h=297,
    margin=(8, 8, 11, 8),
    scale=1.0,
    sizes=_steps(9.5, 7.0, 0.5),
    label_pt=7.5,
    heading_pt=10,
    title_pt=(15, 9),
    meta_pt=7.5,
)
_S = 297 / 420
A4 = Paper(
    name="A4",
    page_w=297,
    page_h=210,
    margin=(6, 6, 8.5, 6),
    scale=_S,
    sizes=_steps(7.5, 6.0, 0.25),
    label_pt=6,
    heading_pt=7.5,
    title_pt=(11.5, 7),
    meta_pt=6,
)
PAPERS = {"A3": A3, "A4": A4}

# The box's inside, in mm at A3 (scaled for A4): label strip padding, body padding, border.
LINE_HEIGHT = 1.3
LABEL_LINE_HEIGHT = 1.25
LABEL_PAD_Y = 0.7
PAD_X = 1.5
PAD_Y = 1.0
BORDER = 0.6 * PT_MM
# Geometry of page 1 at A3, in mm from the top left of the page's content area.
HEADER_H = 15.0
BAND_Y, BAND_H = 16.5, 5.5
COLUMNS_Y = 23.5
COLUMN_GAP = 4.0
HEADING_H = 6.0
BOX_GAP = 1.5
# Safety: the estimate uses this share of the line, for what Pango does that we do not model
# (justification never, but proportional Latin, punctuation squeezing, rounding).
WIDTH_SHARE = 0.96


@dataclass(frozen=True)
class Slot:
    """A place on the sheet: a section heading, or a box with a share of its column's height."""

    key: str
    kind: str  # "heading" | "box"
    weight: float = 1.0


# The four columns of p.25. Keys of boxes: the sheet's fields, and the lists.
COLUMNS: tuple[tuple[Slot, ...], ...] = (
    (
        Slot("problem-section", "heading"),
        Slot("persona", "box", 1.25),
        Slot("problem", "box", 1.0),
        Slot("stakeholders-section", "heading"),
        Slot("stakeholders", "box", 2.45),
    ),
    (
        Slot("design-section", "heading"),
        Slot("activity", "box", 1.1),
        Slot("target_users", "box", 0.95),
        Slot("user_benefits", "box", 1.0),
        Slot("business_benefits", "box", 1.0),
        Slot("region_benefits", "box", 1.0),
    ),
    (
        Slot("exchange-section", "heading"),
        Slot("exchange-user-business", "box", 1.0),
        Slot("exchange-user-region", "box", 1.0),
        Slot("exchange-business-region", "box", 1.0),
        Slot("risks-section", "heading"),
        Slot("risks", "box", 1.9),
    ),
    (
        Slot("evaluation-section", "heading"),
        Slot("evaluation_method", "box", 1.7),
        Slot("evaluation_frequency", "box", 0.45),
        Slot("evaluation_by", "box", 0.45),
        Slot("kpi-section", "heading"),
        Slot("kpi-common", "box", 1.0),
        Slot("kpi-regional", "box", 1.0),
        Slot("kpi-business", "box", 1.0),
    ),
)
BOX_KEYS = tuple(slot.key for column in COLUMNS for slot in column if slot.kind == "box")
HEADING_KEYS = tuple(slot.key for column in COLUMNS for slot in column if slot.kind == "heading")


@cache
def geometry(paper_name: str) -> dict[str, Rect]:
    """Every slot's rectangle on page 1 (mm, from the content area's top left), plus the
    header, the two bands and the columns."""
    paper = PAPERS[paper_name]
    s = paper.scale
    width = paper.content_w
    column_w = (width - 3 * COLUMN_GAP * s) / 4
    bottom = paper.content_h - 0.5 * s  # half a millimetre spare: no rounding makes a page 2
    left_w, right_w = width * 0.68, width * 0.3
    rects: dict[str, Rect] = {
        "header": Rect(0, 0, width, HEADER_H * s),
        "head-kind": Rect(0, 0, left_w, 3.4 * s),
        "head-title": Rect(0, 3.4 * s, left_w, 7.0 * s),
        "head-meta": Rect(0, 10.6 * s, left_w, 3.8 * s),
        "head-label": Rect(width - right_w, 6.6 * s, right_w, 3.8 * s),
        "head-printed": Rect(width - right_w, 10.6 * s, right_w, 3.8 * s),
        "band-create": Rect(0, BAND_Y * s, 3 * column_w + 2 * COLUMN_GAP * s, BAND_H * s),
        "band-verify": Rect(3 * (column_w + COLUMN_GAP * s), BAND_Y * s, column_w, BAND_H * s),
    }
    for number, column in enumerate(COLUMNS):
        x = number * (column_w + COLUMN_GAP * s)
        headings = sum(1 for slot in column if slot.kind == "heading")
        boxes = [slot for slot in column if slot.kind == "box"]
        free = bottom - COLUMNS_Y * s - headings * HEADING_H * s - len(boxes) * BOX_GAP * s
        total = sum(slot.weight for slot in boxes)
        y = COLUMNS_Y * s
        for slot in column:
            if slot.kind == "heading":
                h = HEADING_H * s
                rects[slot.key] = Rect(x, y, column_w, h)
                y += h
            else:
                h = free * slot.weight / total
                rects[slot.key] = Rect(x, y + BOX_GAP * s, column_w, h)
                y += h + BOX_GAP * s
    return rects


@dataclass
class FittedBox:
    """A box as it will print: its label, the blocks that fit, at which size, and whether the
    rest continues on the appendix (`continued`)."""

    key: str
    label: str
    size: float
    blocks: list[Block]
    continued: bool
    empty: bool
    rect: Rect
    anchor: str  # the appendix part that holds the whole content: id cont-<anchor>

    @property
    def size_class(self) -> str:
        return size_class(self.size)


def _lines_of(blocks: list[Block], width_mm: float, size: float) -> list[int]:
    em_mm = size * PT_MM
    usable = width_mm * WIDTH_SHARE / em_mm
    return [count_lines(b.text, usable - b.indent) for b in blocks]


def label_lines(label: str, rect: Rect, paper: Paper) -> int:
    inner = rect.w - 2 * (PAD_X * paper.scale + BORDER)
    return count_lines(label, inner * WIDTH_SHARE / (paper.label_pt * PT_MM))


def body_space(rect: Rect, paper: Paper, label_line_count: int) -> tuple[float, float]:
    """The width and height (mm) left for the text inside a box under its label."""
    s = paper.scale
    label_h = label_line_count * paper.label_pt * PT_MM * LABEL_LINE_HEIGHT + 2 * LABEL_PAD_Y * s
    width = rect.w - 2 * (PAD_X * s + BORDER)
    height = rect.h - label_h - 2 * PAD_Y * s - 2 * BORDER
    return width, height


def _cut(block: Block, lines: int, usable_em: float) -> Block | None:
    """The longest beginning of `block` that takes at most `lines` lines, or None."""
    if lines <= 0:
        return None
    low, high = 0, len(block.text)
    while low < high:
        middle = (low + high + 1) // 2
        if count_lines(block.text[:middle], usable_em - block.indent) <= lines:
            low = middle
        else:
            high = middle - 1
    return Block(block.text[:low], block.indent, block.strong) if low else None


def fit_box(
    key: str, label: str, blocks: list[Block], paper_name: str, anchor: str = ""
) -> FittedBox:
    """The largest size at which `blocks` fit the box `key`; at the minimum, as many as fit.

    `anchor` names the appendix section where the whole content is (id cont-<anchor>).
    """
    paper = PAPERS[paper_name]
    rect = geometry(paper_name)[key]
    label_count = label_lines(label, rect, paper)
    width, height = body_space(rect, paper, label_count)
    shown = blocks or [Block("（未記入）")]
    for size in paper.sizes:
        line_mm = size * PT_MM * LINE_HEIGHT
        capacity = math.floor(height / line_mm + 1e-6)
        if sum(_lines_of(shown, width, size)) <= capacity:
            return FittedBox(key, label, size, shown, False, not blocks, rect, anchor or key)
    size = paper.minimum
    line_mm = size * PT_MM * LINE_HEIGHT
    usable = width * WIDTH_SHARE / (size * PT_MM)
    capacity = math.floor(height / line_mm + 1e-6) - count_lines(MARKER_PROTOTYPE, usable)
    kept: list[Block] = []
    for block, lines in zip(blocks, _lines_of(blocks, width, size), strict=True):
        if lines <= capacity:
            kept.append(block)
            capacity -= lines
            continue
        part = _cut(block, capacity, usable)
        if part is not None:
            kept.append(part)
        break
    return FittedBox(key, label, size, kept, True, False, rect, anchor or key)


def fit_line(text: str, width_mm: float, largest: float, smallest: float) -> float:
    """The largest size, in steps of half a point, at which `text` stays on one line."""
    size = largest
    while size > smallest and count_lines(text, width_mm * WIDTH_SHARE / (size * PT_MM)) > 1:
        size = round(size - 0.5, 2)
    return max(size, smallest)


def cut_to_lines(text: str, width_mm: float, size: float, lines: int) -> str:
    """`text` shortened with … to take at most `lines` lines at `size`."""
    usable = width_mm * WIDTH_SHARE / (size * PT_MM)
    if count_lines(text, usable) <= lines:
        return text
    part = _cut(Block(text), lines, usable - text_em("…"))
    return (part.text if part else "") + "…"


def size_class(size: float) -> str:
    return f"fs-{round(size * 100)}"


def sizes_css() -> str:
    """One class per type size (quarter points, 5–16 pt): boxes and title name theirs, since
    the packet, like the site, has no inline styles."""
    sizes = _steps(16, 5, 0.25)
    return "\n".join(f".{size_class(size)} {{ font-size: {size}pt; }}" for size in sizes)


def geometry_css(paper_name: str) -> str:
    """Page 1's positions and the sizes the estimate above assumed, for the packet's
    stylesheet: the numbers live here once, so the estimate and the print cannot drift."""
    paper = PAPERS[paper_name]
    s = paper.scale
    top, right, bottom, left = paper.margin
    rules = [
        f"@page sheet {{ size: {paper.name} landscape; "
        f"margin: {top}mm {right}mm {bottom}mm {left}mm; }}",
        f".sheet {{ width: {paper.content_w:.2f}mm; height: {paper.content_h - 0.5 * s:.2f}mm; }}",
        f".box {{ border-width: {BORDER:.3f}mm; }}",
        f".box-label {{ font-size: {paper.label_pt}pt; line-height: {LABEL_LINE_HEIGHT}; "
        f"padding: {LABEL_PAD_Y * s:.2f}mm {PAD_X * s:.2f}mm; }}",
        f".box-body {{ line-height: {LINE_HEIGHT}; padding: {PAD_Y * s:.2f}mm {PAD_X * s:.2f}mm; }}",
        f".block-title {{ font-size: {paper.heading_pt}pt; }}",
        f".phase {{ font-size: {paper.heading_pt}pt; }}",
        f".head-part {{ font-size: {paper.meta_pt}pt; }}",
    ]
    for key, rect in geometry(paper_name).items():
        rules.append(
            f"#slot-{key} {{ left: {rect.x:.2f}mm; top: {rect.y:.2f}mm; "
            f"width: {rect.w:.2f}mm; height: {rect.h:.2f}mm; }}"
        )
    rules.append(sizes_css())  # last: a box's or the title's own size wins
    return "\n".join(rules)


# --- What goes in the boxes ------------------------------------------------------------------

STAKEHOLDERS_LABEL = "この事業に関わってほしいステークホルダーと、各々の役割は何か？"
RISKS_LABEL = "事業実装にあたってどんなリスクを解決しておくべきか？"


def line_blocks(lines: list[str]) -> list[Block]:
    """A field's lines: one paragraph as it is, several as a list with bullets."""
    if len(lines) == 1:
        return [Block(lines[0])]
    return [Block(f"・{line}", indent=1) for line in lines]


def stakeholder_blocks(stakeholders: list[dict[str, Any]]) -> list[Block]:
    blocks: list[Block] = []
    for s in stakeholders:
        blocks.append(Block(s["name"] or "（名称未記入）", strong=True))
        blocks += [Block(f"・{role}", indent=2) for role in s["roles"]]
    return blocks


def exchange_blocks(box: dict[str, Any]) -> list[Block]:
    return [Block(f"{d['words']}：{'、'.join(d['items'])}", indent=1) for d in box["directions"]]


def risk_blocks(risks: list[dict[str, Any]]) -> list[Block]:
    return [Block(f"・{r['description']}", indent=1) for r in risks if r["description"]]


def kpi_blocks(kpis: list[dict[str, Any]]) -> list[Block]:
    """A KPI group: each KPI's name, and its target under it. Each dict has name and target."""
    blocks: list[Block] = []
    for k in kpis:
        blocks.append(Block(f"・{k['name']}", indent=1))
        if k.get("target"):
            blocks.append(Block(f"目標：{k['target']}", indent=2))
    return blocks


@dataclass
class Header:
    kind: str
    title: str
    title_size: float
    meta: str

    @property
    def title_class(self) -> str:
        return size_class(self.title_size)

    label: str
    printed: str


def header(
    paper_name: str, *, kind: str, title: str, meta: list[tuple[str, str]], label: str, printed: str
) -> Header:
    """The sheet's head: each part on one line, shrunk (the title) or cut with … (the rest),
    so that none reaches the rule under it. The appendix repeats what was cut."""
    paper = PAPERS[paper_name]
    rects = geometry(paper_name)
    line = paper.meta_pt
    title_size = fit_line(title, rects["head-title"].w, *paper.title_pt)
    meta_text = "　".join(f"{name}：{value}" for name, value in meta if value)
    return Header(
        kind=cut_to_lines(kind, rects["head-kind"].w, line, 1),
        title=cut_to_lines(title, rects["head-title"].w, title_size, 1),
        title_size=title_size,
        meta=cut_to_lines(meta_text, rects["head-meta"].w, line, 1),
        label=cut_to_lines(f"版：{label}", rects["head-label"].w, line, 1),
        printed=cut_to_lines(f"印刷日：{printed}", rects["head-printed"].w, line, 1),
    )


# Every field of worksheets/fields.py has its box in the geometry above, under its key: a new
# field without a box fails the packet's tests rather than going missing from paper.
TEXT_BOXES = FIELD_KEYS
EXCHANGE_KEYS = tuple(f"exchange-{a}-{b}" for _question, (a, b) in PAIRS)
DOC_KIND = "【福祉関係者・民間企業共通】事業設計・継続のための認識共有ワークシート"


def build_sheet(context: dict[str, Any], paper_name: str) -> dict[str, Any]:
    """Page 1 from the packet's context (worksheets/handover/pdf.py packet_context): the head and every
    box but the KPI boxes, which the kpis app fits ({% kpi_sheet %}). Keys use underscores, for
    templates. `continued` lists the boxes whose content goes on in the appendix."""
    project = context["project"]
    boxes: dict[str, FittedBox] = {}
    for key in TEXT_BOXES:
        f = context["fields"][key]
        boxes[key] = fit_box(key, f["label"], line_blocks(f["lines"]), paper_name)
    boxes["stakeholders"] = fit_box(
        "stakeholders", STAKEHOLDERS_LABEL, stakeholder_blocks(context["stakeholders"]), paper_name
    )
    for key, box in zip(EXCHANGE_KEYS, context["exchange_boxes"], strict=True):
        boxes[key] = fit_box(key, box["label"], exchange_blocks(box), paper_name, "exchanges")
    boxes["risks"] = fit_box("risks", RISKS_LABEL, risk_blocks(context["risks"]), paper_name)
    head = header(
        paper_name,
        kind=DOC_KIND,
        title=project["title"] or "（プロジェクト名なし）",
        meta=[
            ("対象地域", project["region"]),
            ("主担当", project["organization"]),
            ("サービス領域", project["service_area"]),
            ("創出パターン", project["pattern"]),
        ],
        label=context["label"],
        printed=context["printed"],
    )
    return {
        "header": head,
        "boxes": {key.replace("-", "_"): box for key, box in boxes.items()},
        "continued_fields": [context["fields"][k] for k in TEXT_BOXES if boxes[k].continued],
    }
