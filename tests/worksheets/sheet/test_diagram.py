"""The value-exchange diagram: the balance check and the SVG, read back with an XML parser."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest
from django.utils.safestring import SafeString

from worksheets.sheet.diagram import PARTIES, BalanceIssue, _em, balance_issues, exchange_svg

SVG = "{http://www.w3.org/2000/svg}"
# Everything the diagram may contain; anything else in the tree would be injected markup.
ALLOWED_TAGS = {
    f"{SVG}{name}"
    for name in ("svg", "title", "desc", "defs", "marker", "path", "g", "line", "circle", "text")
} | {f"{SVG}tspan"}

# The filled example of the guide, p.26.
GUIDE_EXAMPLE = {
    ("user", "business"): ["利用料"],
    ("business", "user"): ["移動手段"],
    ("user", "region"): ["ニーズ情報"],
    ("region", "business"): ["ニーズ情報", "財政的支援"],
}
# The same, but the region only gives: nothing flows to it.
REGION_ONLY_GIVES = {
    ("user", "business"): ["利用料"],
    ("business", "user"): ["移動手段"],
    ("region", "business"): ["ニーズ情報", "財政的支援"],
}
HOSTILE = [
    "</text><script>alert(1)</script>",
    '<svg onload="alert(1)"><a href="http://evil.example/">x</a></svg>',
    "<b>太字</b> & <i>斜体</i>",
    "url(http://x) @import 'evil.css'; background: red",
    "]]><![CDATA[ <style>* { display: none }</style>",
    "\"quotes\" and 'apostrophes' &amp; &lt;",
    '<text style="fill:red">x</text>',
]


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)


def drawn_text(root: ET.Element) -> str:
    """The text a person sees: the <text> elements, without tooltips and description."""
    return "\n".join("".join(text.itertext()) for text in root.iter(f"{SVG}text"))


def titles(root: ET.Element) -> list[str]:
    return ["".join(title.itertext()) for title in root.iter(f"{SVG}title")]


def desc(root: ET.Element) -> str:
    element = root.find(f"{SVG}desc")
    assert element is not None
    return "".join(element.itertext())


# --- Balance check ---------------------------------------------------------------------------


def test_the_guides_example_is_balanced():
    # 利用者 gives 利用料・ニーズ情報 and gets 移動手段; 事業者 gets 利用料・ニーズ情報・財政的支援 and
    # gives 移動手段; 地域 gets ニーズ情報 and gives ニーズ情報・財政的支援.
    assert balance_issues(GUIDE_EXAMPLE) == []


def test_a_party_that_gives_but_gets_nothing_is_flagged():
    assert balance_issues(REGION_ONLY_GIVES) == [
        BalanceIssue(
            "region",
            "gives_only",
            "地域は提供するものがありますが、受け取るものがありません。"
            "各主体の得るものと提供するものが釣り合うよう見直しましょう（ポイント集 p.26）。",
        )
    ]


def test_a_party_that_gets_but_gives_nothing_is_flagged():
    flows = {
        ("user", "business"): ["利用料"],
        ("business", "user"): ["移動手段"],
        ("business", "region"): ["運行データ"],
    }

    [issue] = balance_issues(flows)

    assert (issue.party, issue.kind) == ("region", "gets_only")
    assert issue.message.startswith("地域は受け取るものがありますが、提供するものがありません。")


def test_a_one_way_flow_flags_both_ends_in_party_order():
    issues = balance_issues({("region", "user"): ["健康づくりの支援"]})

    assert [(issue.party, issue.kind) for issue in issues] == [
        ("user", "gets_only"),
        ("region", "gives_only"),
    ]


def test_a_party_with_no_flows_at_all_is_not_flagged():
    flows = {("user", "business"): ["利用料"], ("business", "user"): ["移動手段"]}

    assert balance_issues(flows) == []


def test_blank_items_count_as_nothing():
    flows = {**GUIDE_EXAMPLE, ("user", "region"): ["  ", "\n\t", ""]}

    [issue] = balance_issues(flows)

    assert (issue.party, issue.kind) == ("region", "gives_only")


def test_nothing_written_yet_is_not_an_issue():
    assert balance_issues({}) == []
    assert balance_issues({("user", "business"): [" "]}) == []


def test_an_unknown_flow_is_refused():
    with pytest.raises(ValueError, match="unknown flow"):
        balance_issues({("user", "user"): ["x"]})
    with pytest.raises(ValueError, match="unknown flow"):
        exchange_svg({("user", "city"): ["x"]})


# --- The drawing -----------------------------------------------------------------------------


def test_the_svg_is_safe_markup_that_parses_as_standalone_svg():
    svg = exchange_svg(GUIDE_EXAMPLE)

    assert isinstance(svg, SafeString)
    root = parse(svg)
    assert root.tag == f"{SVG}svg"
    assert root.get("viewBox")
    assert "Noto Sans CJK JP" in root.get("font-family")


def test_every_party_and_item_is_drawn():
    text = drawn_text(parse(exchange_svg(GUIDE_EXAMPLE)))

    for name in PARTIES.values():
        assert name in text
    for items in GUIDE_EXAMPLE.values():
        for item in items:
            assert item in text
    assert text.count("ニーズ情報") == 2


def test_each_drawn_flow_has_an_arrow_with_an_arrowhead_defined_in_the_same_svg():
    root = parse(exchange_svg(GUIDE_EXAMPLE))
    ids = {element.get("id") for element in root.iter() if element.get("id")}

    lines = list(root.iter(f"{SVG}line"))
    solid = [line for line in lines if not line.get("stroke-dasharray")]
    assert len(lines) == 6
    assert len(solid) == 4
    for line in lines:
        target = re.fullmatch(r"url\(#([\w-]+)\)", line.get("marker-end")).group(1)
        assert target in ids


def test_the_svg_is_labelled_by_its_title_and_a_description_of_every_flow():
    root = parse(exchange_svg(GUIDE_EXAMPLE, title="チョイソコのやり取り"))
    title_id, desc_id = root.get("aria-labelledby").split()

    assert root.get("role") == "img"
    assert root.find(f"{SVG}title").get("id") == title_id
    assert root.find(f"{SVG}title").text == "チョイソコのやり取り"
    assert root.find(f"{SVG}desc").get("id") == desc_id
    description = desc(root)
    for words in (
        "利用者→事業者：利用料",
        "事業者→利用者：移動手段",
        "利用者→地域：ニーズ情報",
        "地域→事業者：ニーズ情報、財政的支援",
        "記入なし：地域→利用者、事業者→地域",
    ):
        assert words in description


def test_ids_differ_between_two_diagrams_on_one_page():
    first, second = parse(exchange_svg(GUIDE_EXAMPLE)), parse(exchange_svg(GUIDE_EXAMPLE))

    def ids(root: ET.Element) -> set[str]:
        return {element.get("id", "") for element in root.iter() if element.get("id")}

    assert ids(first)
    assert ids(first).isdisjoint(ids(second))


@pytest.mark.parametrize("hostile", HOSTILE)
def test_hostile_input_is_shown_as_literal_text_and_never_as_markup(hostile):
    flows = {("user", "business"): [hostile], ("business", "user"): ["移動手段"]}
    svg = exchange_svg(flows, title=hostile)
    root = parse(svg)

    # The whole item is in the tooltip and the description, and drawn (perhaps over two lines).
    assert any(hostile in title for title in titles(root))
    assert hostile in desc(root)
    assert hostile.replace(" ", "")[:8] in drawn_text(root).replace("\n", "").replace(" ", "")
    for element in root.iter():
        assert element.tag in ALLOWED_TAGS
        assert "style" not in element.attrib
        assert not any(name.startswith("on") for name in element.attrib)
        for name, value in element.attrib.items():
            if name.endswith("href"):
                assert value.startswith("#")
            assert "http:" not in value or name == "xmlns"
            assert "url(" not in value or re.fullmatch(r"url\(#[\w-]+\)", value)
    assert "<script" not in svg
    assert "<style" not in svg


def test_characters_xml_cannot_hold_are_dropped():
    flows = {
        ("user", "business"): ["利用\x00料\x08\x1b\x7f\ufffe"],
        ("business", "user"): ["\x0b移動手段\x0c"],
    }

    root = parse(exchange_svg(flows, title="題\x01名"))

    assert "利用料\x7f" in drawn_text(root)  # DEL is legal XML and stays
    assert "移動手段" in drawn_text(root)
    assert root.find(f"{SVG}title").text == "題名"


def test_a_lone_string_is_one_item_not_a_list_of_letters():
    root = parse(exchange_svg({("user", "business"): "利用料"}))

    assert "利用料" in drawn_text(root)
    assert "・" not in drawn_text(root)


def test_twenty_items_are_all_kept_in_the_tooltip_and_description():
    items = [f"項目{number:02d}" for number in range(1, 21)]
    root = parse(exchange_svg({("region", "business"): items, ("business", "region"): ["x"]}))

    [label] = [g for g in root.iter(f"{SVG}g") if "xd-label--from-region" in g.get("class")]
    drawn_lines = list(label.iter(f"{SVG}tspan"))
    tooltip = "".join(label.find(f"{SVG}title").itertext())
    assert len(drawn_lines) <= 8
    assert drawn_lines[-1].text == f"ほか {20 - (len(drawn_lines) - 1)} 件"
    for item in items:
        assert item in tooltip
        assert item in desc(root)


def test_a_long_item_is_shortened_in_the_drawing_but_whole_in_its_tooltip():
    long_item = "地域の高齢者が買い物や通院に出かけるための移動手段を、" * 6

    root = parse(exchange_svg({("business", "user"): [long_item], ("user", "business"): ["x"]}))

    [label] = [g for g in root.iter(f"{SVG}g") if "xd-label--from-business" in g.get("class")]
    lines = [tspan.text for tspan in label.iter(f"{SVG}tspan")]
    assert len(lines) == 3
    assert lines[-1].endswith("…")
    assert all(_em(line) <= 11 for line in lines)
    assert long_item in "".join(label.find(f"{SVG}title").itertext())


def test_a_latin_word_is_not_split_when_it_fits_on_a_line():
    root = parse(
        exchange_svg({("user", "business"): ["予約データと Bluetooth ビーコンの位置情報"]})
    )

    assert any("Bluetooth" in line.text for line in root.iter(f"{SVG}tspan"))


def test_with_nothing_written_the_svg_is_still_valid_and_says_what_to_do():
    root = parse(exchange_svg({("user", "business"): ["  "]}))

    assert "まだ記入されていません" in desc(root)
    assert "やり取りされるものは何か？" in desc(root)
    assert "やり取りはまだ記入されていません" in drawn_text(root)
    lines = list(root.iter(f"{SVG}line"))
    assert len(lines) == 6
    assert all(line.get("stroke-dasharray") for line in lines)


def test_a_flagged_party_is_marked_in_the_drawing_and_the_description():
    root = parse(exchange_svg(REGION_ONLY_GIVES))

    [party] = [g for g in root.iter(f"{SVG}g") if "xd-party--flagged" in (g.get("class") or "")]
    assert "xd-party--region" in party.get("class")
    assert "要確認：受け取るものがありません" in drawn_text(root)
    assert "地域は提供するものがありますが、受け取るものがありません。" in desc(root)


def test_the_print_version_is_black_and_white_and_fills_the_text_column():
    screen = parse(exchange_svg(GUIDE_EXAMPLE))
    printed = parse(exchange_svg(REGION_ONLY_GIVES, for_print=True))

    colours = {
        value
        for element in printed.iter()
        for name, value in element.attrib.items()
        if name in ("fill", "stroke") and value != "none"
    }
    assert colours
    assert all(value[1:3] == value[3:5] == value[5:7] for value in colours), colours
    assert printed.get("width") == "100%"
    assert float(printed.get("font-size")) > float(screen.get("font-size"))


def test_eight_line_labels_on_all_six_flows_do_not_overlap():
    flows = {
        flow: [f"とても長い項目の名前その{n}、説明つき" for n in range(20)]
        for flow in GUIDE_EXAMPLE
    }
    flows |= {(b, a): items for (a, b), items in flows.items()}
    root = parse(exchange_svg(flows))
    size = float(root.get("font-size"))

    boxes = []
    for text in root.iter(f"{SVG}text"):
        spans = list(text.iter(f"{SVG}tspan"))
        if not spans:
            continue
        xs = [float(span.get("x")) for span in spans]
        ys = [float(span.get("y")) for span in spans]
        width = max(_em(span.text) for span in spans) * size
        boxes.append((min(xs), min(ys) - size, min(xs) + width, max(ys)))
    for circle in root.iter(f"{SVG}circle"):
        x, y, r = (float(circle.get(key)) for key in ("cx", "cy", "r"))
        boxes.append((x - r, y - r, x + r, y + r))

    assert len(boxes) == 6 + 3
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            assert not (a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]), (a, b)
