"""Three projects to print, as plain project documents: the guide's example, an ordinary one,
and a large one. Plain data, so the paper tests need no database."""

from __future__ import annotations

from worksheets.content import WORKSHEET_TEMPLATES

EXAMPLE = WORKSHEET_TEMPLATES["guide_example"]


def demo_document() -> dict:
    """The guide's filled example (p.26), which `make run` loads as the demo."""
    return {
        "worksheet": {"title": EXAMPLE["title"], "region": EXAMPLE["region"]},
        "fields": {key: {"text": text} for key, text in EXAMPLE["fields"].items()},
        "stakeholders": [dict(s) for s in EXAMPLE["stakeholders"]],
        "exchanges": [
            {"from_party": flow["from"], "to_party": flow["to"], "what": what}
            for flow in EXAMPLE["exchanges"]
            for what in flow["items"]
        ],
        "risks": [{**r, "status": "open"} for r in EXAMPLE["risks"]],
        "kpis": [
            {"group": k["group"], "name": k["name"], "target_text": k["target"]}
            for k in EXAMPLE["kpis"]
        ],
    }


SENTENCES = (
    "A圏域では、免許を返納した80代の単身高齢者が増えており、通院や買い物の足が課題になっている。",
    "地域包括支援センターの聞き取りでは、週に一度も外出しない人が2割を超えた。",
    "自治会と商店会が停留所の候補を出し、事業者が運行計画を作る。",
    "費用は利用料と市の補助で賄い、3年目に黒字化をめざす。",
)
FLOWS = [
    ("user", "business", "利用料（1回300円）"),
    ("user", "business", "予約の電話"),
    ("business", "user", "移動手段"),
    ("business", "user", "見守りの声かけ"),
    ("user", "region", "ニーズ情報"),
    ("region", "user", "外出の機会"),
    ("region", "business", "ニーズ情報"),
    ("region", "business", "財政的支援（運行補助）"),
    ("business", "region", "運行データ"),
    ("business", "region", "地域の雇用"),
    ("region", "user", "停留所の案内"),
]


def ordinary_document() -> dict:
    """What a new user writes: 8 stakeholders with 15 roles, 11 exchanges, 5 risks, two KPIs
    per group, a few sentences per field."""
    fields = {
        key: {"text": "".join(SENTENCES[: 2 + n % 3])}
        for n, key in enumerate(
            [
                "persona",
                "problem",
                "activity",
                "target_users",
                "user_benefits",
                "business_benefits",
                "region_benefits",
                "evaluation_method",
            ]
        )
    }
    fields["evaluation_frequency"] = {"text": "半年に1回（9月・3月）"}
    fields["evaluation_by"] = {"text": "市の高齢福祉課と事業者の運行担当"}
    role_counts = [2, 2, 2, 2, 2, 2, 2, 1]
    return {
        "worksheet": {
            "title": "A圏域の乗合送迎（ふつうのプロジェクト）",
            "region": "A圏域",
            "organization": {"name": "例示市"},
        },
        "fields": fields,
        "stakeholders": [
            {
                "name": f"関係者{n}（地域の団体）",
                "roles": [
                    f"役割{n}-{m}：停留所の提案と利用の呼びかけ" for m in range(1, count + 1)
                ],
            }
            for n, count in enumerate(role_counts, 1)
        ],
        "exchanges": [{"from_party": a, "to_party": b, "what": what} for a, b, what in FLOWS],
        "risks": [
            {"description": f"リスク{n}：既存のバス・タクシー事業者との役割分担", "status": "open"}
            for n in range(1, 6)
        ],
        "kpis": [
            {
                "group": group,
                "name": f"{group}のKPI{n}（年間の延べ利用者数）",
                "target_text": "延べ1,000人",
            }
            for group in ("common", "regional", "business")
            for n in (1, 2)
        ],
    }


def long_text() -> str:
    """About 5,000 characters, numbered so that any lost piece shows, and full of 。、」）
    so that a line starting with one of them would show too."""
    sentences = []
    number = 0
    while sum(map(len, sentences)) < 5000:
        number += 1
        sentences.append(f"「記録{number:04d}」では、移動（送迎）の希望を聞き取った。")
    return "".join(sentences)[:5000]


def large_document() -> dict:
    """30 stakeholders, a 5,000-character field, 20 KPIs, the rest ordinary."""
    document = ordinary_document()
    document["worksheet"] = {"title": "長文のプロジェクト", "organization": {"name": "例示市"}}
    document["fields"]["persona"] = {"text": long_text()}
    document["stakeholders"] = [
        {"name": f"関係者{n:02d}", "roles": [f"役割{n:02d}-甲", f"役割{n:02d}-乙"]}
        for n in range(1, 31)
    ]
    groups = ("common", "regional", "business")
    document["kpis"] = [
        {
            "group": groups[n % 3],
            "name": f"指標{n:02d}：利用者アンケートで外出が増えたと答えた人の割合",
            "target_text": f"{60 + n}%",
        }
        for n in range(1, 21)
    ]
    return document


MIXED = (
    "Mobility as a Service (MaaS) pilot with WAON/QR payments; see "
    "https://example.lg.jp/mobility/2026/plan.pdf for the WORKING GROUP minutes. ",
    "ＡＢＣ全角英字とｶﾀｶﾅ半角、①②③、〒123-4567、TEL 03-1234-5678、MMMMWWWW mmmmwwww iiiilll ",
    "「かぎかっこ」（丸括弧）【隅付き】『二重』、。、。",
)


def mixed_document() -> dict:
    """Latin words and a URL (kept whole on a line), full- and half-width forms, runs of
    brackets and stops (kinsoku): what the fitting estimate finds hardest to measure."""
    document = ordinary_document()
    document["worksheet"]["title"] = "英数字の多いプロジェクト"
    keys = ["persona", "problem", "activity", "target_users", "user_benefits"]
    keys += ["business_benefits", "region_benefits", "evaluation_method"]
    for n, key in enumerate(keys):
        document["fields"][key] = {"text": MIXED[n % 3] * (3 + n)}
    return document


FIXTURES = {
    "demo": demo_document,
    "ordinary": ordinary_document,
    "large": large_document,
    "mixed": mixed_document,
}


def field_texts(document: dict) -> list[str]:
    """Every value a person wrote, one string each."""
    values = [f["text"] for f in (document.get("fields") or {}).values() if f["text"]]
    for s in document.get("stakeholders") or []:
        values += [s["name"], *s["roles"]]
    values += [e["what"] for e in document.get("exchanges") or []]
    values += [r["description"] for r in document.get("risks") or []]
    for k in document.get("kpis") or []:
        values += [k["name"], k.get("target_text", "")]
    return [v for v in values if v]
