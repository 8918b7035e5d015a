"""The one table of the sheet (ポイント集 p.25): its sections, its text fields, its lists, its flows.

Models, forms, the page, the PDF, the project file and the tests all read these declarations,
so that the screen, the paper and the exports can never disagree about what the sheet holds,
in which order and under which question. Hints and examples are our own words (p.26's notes).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models


class Section(models.TextChoices):
    """The worksheet's sections, in the guide's order (p.25), as comments attach to them."""

    PROBLEM = "problem", "課題の把握"
    STAKEHOLDERS = "stakeholders", "巻き込み／共創"
    DESIGN = "design", "事業設計／運用・実装に向けた検討事項"
    RISKS = "risks", "解決すべきリスク"
    EVALUATION = "evaluation", "継続／改善"
    KPI = "kpi", "KPI"


class Party(models.TextChoices):
    """The three parties between which things pass (p.25)."""

    USER = "user", "利用者"
    BUSINESS = "business", "事業者"
    REGION = "region", "地域"


@dataclass(frozen=True)
class Question:
    """A question of the sheet with our writing hint and a short example."""

    label: str
    hint: str = ""
    example: str = ""
    page: int | None = None


@dataclass(frozen=True)
class SheetField:
    """One text box of the sheet. `key` is stable: URLs, history and project files use it."""

    key: str
    section: str
    label: str
    hint: str = ""
    example: str = ""
    page: int | None = None


# The text boxes, in the guide's order. The three 継続／改善 boxes answer one question of the
# guide; its hint goes with the first of them.
FIELDS: tuple[SheetField, ...] = (
    SheetField(
        "persona",
        Section.PROBLEM,
        "誰にとっての課題を解決するか？",
        hint="「高齢者」とまとめず、住んでいる地域・暮らしぶり・困っている場面まで、一人の人物像（ペルソナ）として具体的に書きましょう。",
        example="C団地に一人で暮らす80代の女性。足腰が弱り、坂の上のスーパーまで歩けない。",
        page=26,
    ),
    SheetField(
        "problem",
        Section.PROBLEM,
        "何の課題を解決するか？",
        hint="上の人物にとって何が解決すべき課題なのかを一文で書きます。目指す状態が分かるように「〜できるようにする」の形にすると伝わりやすくなります。",
        example="買い物が難しい高齢者が、週に一度は自分で食料品を選んで買えるようにする。",
        page=26,
    ),
    SheetField(
        "activity",
        Section.DESIGN,
        "なにを実施するか？",
        hint="把握した住民ニーズを踏まえ、誰が何をどのように提供するのかをできるだけ具体的に書きます。",
        example="地元スーパーと組み、週2回、集会所の前で移動販売を行う。",
        page=26,
    ),
    SheetField(
        "target_users",
        Section.DESIGN,
        "想定する利用者はだれか？",
        hint="人物像（ペルソナ）と対応させ、地域・年齢・状況などで利用者の範囲を具体的に示します。",
        example="C団地とその周辺に住む、車を使わない65歳以上の住民",
        page=26,
    ),
    SheetField(
        "user_benefits",
        Section.DESIGN,
        "利用者へのメリットはなにか？",
        hint="住民ニーズに照らし、利用者の生活が具体的にどう良くなるかを書きます。",
        example="近くで食料品が買える／買い物のついでに近所の人と話せる",
        page=26,
    ),
    SheetField(
        "business_benefits",
        Section.DESIGN,
        "事業者へのメリットはなにか？",
        hint="各主体が得るものと差し出すものが見合っているかを意識して書きます。売上だけでなく、本業への集客や企業イメージも候補になります。",
        example="移動販売の売上／店舗の新しい顧客の獲得",
        page=26,
    ),
    SheetField(
        "region_benefits",
        Section.DESIGN,
        "地域へのメリットはなにか？",
        hint="地域（自治体）が得る効果と、その分提供できる支援が釣り合うように書きます。たとえば既存サービスの縮小で浮く費用を財政支援に回す、という考え方です。",
        example="高齢者の外出と交流の増加／閉じこもりの予防",
        page=26,
    ),
    SheetField(
        "evaluation_method",
        Section.EVALUATION,
        "どのような方法で効果測定とサービス改善を図るか？",
        hint="いつ（頻度）、どうやって（方法）、誰が測り、結果をどう改善につなげるかをなるべく具体的に書きます。",
        example="毎月の販売件数を市と共有し、半年ごとに自治会で聞き取りをして停車場所を見直す。",
        page=26,
    ),
    SheetField("evaluation_frequency", Section.EVALUATION, "測定・見直しの頻度"),
    SheetField("evaluation_by", Section.EVALUATION, "測定・見直しの担当"),
)
FIELD_KEYS: tuple[str, ...] = tuple(field.key for field in FIELDS)
FIELDS_BY_KEY: dict[str, SheetField] = {field.key: field for field in FIELDS}
FIELD_LABELS: dict[str, str] = {field.key: field.label for field in FIELDS}
FIELD_MAX_LENGTH = 10_000


def fields_of(section: str) -> list[SheetField]:
    return [field for field in FIELDS if field.section == section]


# The questions of the sheet's lists, by list (as list_of names them in worksheets/sheet/).
LIST_QUESTIONS: dict[str, Question] = {
    "stakeholders": Question(
        "この事業に関わってほしいステークホルダーと、各々の役割は何か？",
        hint="今の担当者も後任者も全体像をつかめるよう、関わる主体ごとに役割を並べます。企業・自治体だけでなく、自治会や地域包括支援センターなども忘れずに。",
        example="D社：車両と運転手の手配／市：住民への周知と需要の調査／自治会：停車場所の提供",
        page=26,
    ),
    "exchanges": Question(
        "やり取りされるものは何か？",
        hint="利用者・事業者・地域の三者の間で、それぞれ何を渡し何を受け取るのかを書き出します。どの主体も一方的に負担していないかを確かめましょう。",
        example="利用者→事業者：商品の代金／地域→事業者：需要の情報、停車場所",
        page=26,
    ),
    "risks": Question(
        "事業実装にあたってどんなリスクを解決しておくべきか？",
        hint="既存の民間事業者との競合（民業圧迫）や行政サービスとの重複など、始める前に手当てすべき点と、その対応・担当を書きます。",
        example="近くの商店の売上を奪わないよう、販売場所と品ぞろえを調整する。",
        page=25,
    ),
}


@dataclass(frozen=True)
class Flow:
    """One direction in which something passes, e.g. 利用者→事業者."""

    from_party: str
    to_party: str

    @property
    def label(self) -> str:
        return f"{Party(self.from_party).label}→{Party(self.to_party).label}"


# The guide's three pairs (利用者⇄事業者, 利用者⇄地域, 事業者⇄地域), each with its question on paper.
PAIRS: tuple[tuple[str, tuple[str, str]], ...] = (
    ("利用者・事業者間でやり取りされるものは何か？", (Party.USER, Party.BUSINESS)),
    ("利用者・地域間でやり取りされるものは何か？", (Party.USER, Party.REGION)),
    ("事業者・地域間でやり取りされるものは何か？", (Party.BUSINESS, Party.REGION)),
)
# The six directed flows, both ways of each pair in that order: the screen, the PDF, the
# diagram and the balance check all list them so.
FLOWS: tuple[Flow, ...] = tuple(
    Flow(a, b)
    for _question, (first, second) in PAIRS
    for a, b in ((first, second), (second, first))
)

# The guide's check points (p.12–23) that say how to fill each section well, for each side:
# (audience, phase, number) of cases.content.POINTS. The hints cite the sheet's own pages
# (p.25–26); these link the section to the points behind it.
RELATED_POINTS: dict[str, tuple[tuple[str, str, int], ...]] = {
    Section.PROBLEM: (
        ("welfare", "partnering", 5),
        ("welfare", "design", 1),
        ("company", "design", 1),
    ),
    Section.STAKEHOLDERS: (("welfare", "partnering", 4), ("company", "partnering", 4)),
    Section.DESIGN: (("welfare", "design", 2), ("company", "design", 2)),
    Section.RISKS: (("welfare", "design", 3), ("company", "design", 3)),
    Section.EVALUATION: (("welfare", "implementation", 4), ("company", "implementation", 3)),
    Section.KPI: (("welfare", "implementation", 5), ("company", "implementation", 4)),
}
