"""The guide's content, in our own words, loaded by `manage.py load_guide`."""

from __future__ import annotations

from typing import TypedDict

# --- The shape of each entry (only for the type checker: the data below are plain dicts) ------


class StanceData(TypedDict):
    title: str
    body: str
    page: int


class AudienceData(TypedDict):
    key: str  # Audience value: "welfare" / "company"
    name: str
    stances: list[StanceData]


class LevelData(TypedDict):
    audience: str
    number: int
    title: str
    summary: str
    phase: str  # Phase value of the checkpoints to read next
    page: int


class SelfCheckQuestionData(TypedDict):
    audience: str
    key: str
    text: str
    level_if_no: int


class CheckpointExampleData(TypedDict):
    text: str
    case: str  # a slug in CASES
    case_page: int | None
    case_point: int | None


class PointData(TypedDict):
    audience: str
    phase: str
    number: int
    title: str
    qualifier: str
    explanation: str
    page: int
    examples: list[CheckpointExampleData]


class MonitoringItemData(TypedDict):
    audience: str
    category: str
    name: str
    page: int


class ProcessStepData(TypedDict):
    number: int
    name: str
    description: str
    page: int


class ServiceAreaData(TypedDict):
    key: str
    name: str


class PatternData(TypedDict):
    key: str
    name: str
    description: str
    page: int


class EffectDimensionData(TypedDict):
    group: str  # "regional" / "business"
    key: str
    name: str


class MunicipalityData(TypedDict):
    prefecture: str
    name: str


class CaseFactData(TypedDict):
    label: str
    value: str
    as_of: str


class CaseStakeholderData(TypedDict):
    name: str
    role: str


class CaseActivityData(TypedDict):
    step: int  # a number in PROCESS_STEPS
    lane: str
    department: str
    text: str


class CasePointData(TypedDict):
    audience: str
    number: int
    title: str
    text: str


class CaseData(TypedDict):
    slug: str
    kind: str  # "main" / "reference"
    number: int
    title: str
    companies: list[str]
    municipalities: list[MunicipalityData]
    pattern: str  # a key in PATTERNS
    areas: list[str]  # keys in SERVICE_AREAS
    summary: str
    overview: str
    facts: list[CaseFactData]
    stakeholders: list[CaseStakeholderData]
    relations: str
    process: list[CaseActivityData]
    points: list[CasePointData]
    effects: dict[str, str]  # EFFECT_DIMENSIONS key → text
    page: int
    pages: str
    keywords: list[str]


# A checkpoint by (audience, phase, number).
PointKey = tuple[str, str, int]


# --- The content --------------------------------------------------------------------------------

# 基本的な考え方: 福祉関係者向け p.9、民間企業向け p.10。
AUDIENCES: list[AudienceData] = [
    {
        "key": "welfare",
        "name": "福祉関係者",
        "stances": [
            {
                "title": "企業は課題解決の重要なパートナー",
                "body": (
                    "民間企業は、地域の高齢者の課題を解くための手段の一つであり、"
                    "欠かせない協力相手だと捉えます。"
                ),
                "page": 9,
            },
            {
                "title": "企業の利点とつまずきを織り込んだ設計",
                "body": (
                    "企業が事業を続けられるよう、企業にとっての利点も考えて事業を組み立てます。"
                    "最初の実証で成果が出ないことも多いため、失敗を前提に計画しておきます。"
                ),
                "page": 9,
            },
            {
                "title": "効果は他の施策と合わせて総合的に判断",
                "body": (
                    "一つの事業だけで住民の健康などへの効果を示すのは難しいため、"
                    "ほかの施策の実施状況も踏まえて全体として評価します。"
                ),
                "page": 9,
            },
        ],
    },
    {
        "key": "company",
        "name": "民間企業",
        "stances": [
            {
                "title": "地域の高齢者課題の解決という視点",
                "body": (
                    "自社の事業の成功だけでなく、地域の高齢者の課題をどう解決するかを軸に自治体と検"
                    "討します。必要に応じて地元の企業や商店も巻き込み、事業を組み立てます。"
                ),
                "page": 10,
            },
            {
                "title": "自治体の方針とルールの理解",
                "body": (
                    "連携にあたっては、自治体の計画や目標、予算のスケジュールなど、"
                    "行政の方針と決まりごとを把握しておきます。"
                ),
                "page": 10,
            },
        ],
    },
]

# 取組レベル（p.9, p.10）。phase は次に読むべき確認ポイントの段階。
LEVELS: list[LevelData] = [
    {
        "audience": "welfare",
        "number": 1,
        "title": "地域課題の解決に向けた議論に課題",
        "summary": (
            "生活支援・自立支援をめぐる高齢者の課題について、解決策を話し合う場や、"
            "担い手となる企業等がまだ見つかっていない段階です。まず連携のポイント（p.12–13）"
            "を確認しましょう。"
        ),
        "phase": "partnering",
        "page": 9,
    },
    {
        "audience": "welfare",
        "number": 2,
        "title": "担い手と協働した事業設計に課題",
        "summary": (
            "担い手となりそうな企業等はいるものの、一緒に事業計画をまとめられていない段階です。"
            "事業設計のポイント（p.14）が参考になります。"
        ),
        "phase": "design",
        "page": 9,
    },
    {
        "audience": "welfare",
        "number": 3,
        "title": "事業の実装や事業継続に課題",
        "summary": (
            "企業等と事業計画は立てたものの、計画どおりの実装や継続に向けた検討が進んでいない段階で"
            "す。実装・継続のポイント（p.15–16）を確認しましょう。"
        ),
        "phase": "implementation",
        "page": 9,
    },
    {
        "audience": "welfare",
        "number": 4,
        "title": "戦略的に民間企業等と連携",
        "summary": (
            "企業等と戦略的に連携できている、目標とする状態です（例：豊明市×アイシン、"
            "行田市×ウエルシア）。事例集の工夫を参考に、取組の改善や拡大を続けましょう。"
        ),
        "phase": "",
        "page": 9,
    },
    {
        "audience": "company",
        "number": 1,
        "title": "地域課題の解決に向けた議論に課題",
        "summary": (
            "地域の高齢者の課題について、自治体と解決策を話し合う関係がまだない段階です。"
            "自治体との連携のポイント（p.18–19）から始めましょう。"
        ),
        "phase": "partnering",
        "page": 10,
    },
    {
        "audience": "company",
        "number": 2,
        "title": "担い手と協働した事業設計に課題",
        "summary": (
            "自治体との接点はあるものの、地域の関係者と一緒に事業計画を作れていない段階です。"
            "事業設計のポイント（p.20–21）を確認しましょう。"
        ),
        "phase": "design",
        "page": 10,
    },
    {
        "audience": "company",
        "number": 3,
        "title": "事業の実装や事業継続に課題",
        "summary": (
            "事業計画はあるものの、実装や事業の継続に向けた検討が進んでいない段階です。実装・"
            "継続のポイント（p.22–23）が参考になります。"
        ),
        "phase": "implementation",
        "page": 10,
    },
    {
        "audience": "company",
        "number": 4,
        "title": "戦略的に民間企業等と連携",
        "summary": (
            "自治体等と戦略的に連携できている、目標とする状態です。"
            "他地域への展開や効果の検証も視野に、事例集（p.29–）の取組を参考にしましょう。"
        ),
        "phase": "",
        "page": 10,
    },
]

# 上から順に答え、最初に「いいえ」となった問いの level_if_no がレベル。
# すべて「はい」ならレベル4。
SELF_CHECK_QUESTIONS: list[SelfCheckQuestionData] = [
    {
        "audience": "welfare",
        "key": "discussion_started",
        "text": (
            "高齢者の生活支援・自立支援の課題について、庁内や関係者と解決策を話し合っていますか？"
        ),
        "level_if_no": 1,
    },
    {
        "audience": "welfare",
        "key": "partner_found",
        "text": "解決策の担い手になりそうな企業・団体が見つかっていますか？",
        "level_if_no": 1,
    },
    {
        "audience": "welfare",
        "key": "plan_agreed",
        "text": "担い手の企業等と、事業の目的・役割分担・目標を含む事業計画をまとめましたか？",
        "level_if_no": 2,
    },
    {
        "audience": "welfare",
        "key": "existing_services_settled",
        "text": "バス・タクシーなど地域の既存サービスとの調整の方針は決まっていますか？",
        "level_if_no": 2,
    },
    {
        "audience": "welfare",
        "key": "implemented",
        "text": "事業計画に沿ってサービスを始め、利用者を確保できていますか？",
        "level_if_no": 3,
    },
    {
        "audience": "welfare",
        "key": "kpi_reviewed",
        "text": "企業と共通のKPIを定期的に確認し、事業の継続・改善に生かしていますか？",
        "level_if_no": 3,
    },
    {
        "audience": "company",
        "key": "plan_understood",
        "text": "連携したい自治体の行政計画や高齢者福祉の目標を把握していますか？",
        "level_if_no": 1,
    },
    {
        "audience": "company",
        "key": "dialogue_started",
        "text": "自治体の担当部署と、地域の高齢者の課題について話し合えていますか？",
        "level_if_no": 1,
    },
    {
        "audience": "company",
        "key": "design_agreed",
        "text": "自治体と、事業の目的・役割分担・目標（KPI）を合意した事業計画がありますか？",
        "level_if_no": 2,
    },
    {
        "audience": "company",
        "key": "needs_data",
        "text": "事業設計に必要な住民ニーズ等の情報を、自治体を通じて得られていますか？",
        "level_if_no": 2,
    },
    {
        "audience": "company",
        "key": "running",
        "text": "事業を実装し、自治体の負担を抑えた運営体制で続けられていますか？",
        "level_if_no": 3,
    },
    {
        "audience": "company",
        "key": "kpi_shared",
        "text": "自治体と共通のKPIの進捗を定期的に共有し、改善に生かしていますか？",
        "level_if_no": 3,
    },
]

# 確認ポイント 25 件（ガイドの順）。examples の case_page/case_point は出典の事例ページ。
POINTS: list[PointData] = [
    {
        "audience": "welfare",
        "phase": "partnering",
        "number": 1,
        "title": "共創を生み出す機運の醸成",
        "qualifier": "",
        "explanation": (
            "地域課題に取り組みたい企業・団体・個人を、幅広く仲間として迎え入れる姿勢が大切です。"
            "ゆるやかなアライアンスや包括連携協定のような参加しやすい枠組みを用意すると、"
            "評判が評判を呼んで新しい参加者も増えていきます。自治体は「地域づくりの仲間」として、"
            "地域課題や高齢者ニーズの情報、施設やネットワークを積極的に開きましょう。"
        ),
        "page": 12,
        "examples": [
            {
                "text": (
                    "豊明市には、地域課題の解決には民間との連携が必要だという共通認識と、"
                    "企業を応援する風土がありました。"
                ),
                "case": "choisoko",
                "case_page": 30,
                "case_point": 1,
            },
            {
                "text": (
                    "行田市にも同じような風土があり、"
                    "企業の側からも積極的な提案や協力が寄せられています。"
                ),
                "case": "welcia",
                "case_page": 34,
                "case_point": 1,
            },
        ],
    },
    {
        "audience": "welfare",
        "phase": "partnering",
        "number": 2,
        "title": "積極的なタッチポイントづくり",
        "qualifier": "",
        "explanation": (
            "日頃から企業と接点を持ち、対話や情報共有を重ねて信頼を築くことが出発点です。"
            "互いの期待がかみ合いそうだと感じたら、事業化の検討に進みましょう。"
            "生活支援コーディネーターが企業と地域・住民の橋渡し役になると、連携の入口が広がります。"
            "対話の前にワークシート（p.25）で考えを整理しておけば、提案書としても使えます。"
        ),
        "page": 12,
        "examples": [
            {
                "text": "行田市はウエルシアと協働体制をつくり、健康講座などを一緒に開いています。",
                "case": "welcia",
                "case_page": 34,
                "case_point": 3,
            },
        ],
    },
    {
        "audience": "welfare",
        "phase": "partnering",
        "number": 3,
        "title": "連携の目的とビジョンの理解",
        "qualifier": "",
        "explanation": (
            "企業がなぜこの事業に加わるのか、将来どうしたいのかを自治体がきちんと理解することが重要"
            "です。互いの立場や制約を共有しながら試行錯誤し、"
            "企業の経営方針を踏まえてどこまで長く連携できるかを話し合いましょう。"
            "企業の動機や覚悟を知ることで、継続性を見据えた判断ができます。"
        ),
        "page": 12,
        "examples": [
            {
                "text": (
                    "豊明市はチョイソコのサービスコンセプトを固めるため、"
                    "企業と約半年間で10回の会議を重ねました。"
                ),
                "case": "choisoko",
                "case_page": 30,
                "case_point": 3,
            },
        ],
    },
    {
        "audience": "welfare",
        "phase": "partnering",
        "number": 4,
        "title": "分野横断的に地域課題に対応するための多部署連携",
        "qualifier": "",
        "explanation": (
            "地域課題は福祉部門だけでは解決できないため、庁内の他部署との連携が欠かせません。商工、"
            "交通、住宅、地域振興、まちづくり、デジタルなど各部門の専門性と資源を持ち寄り、"
            "企業にも情報を共有しながら、それぞれの強みを生かして取り組みます。"
        ),
        "page": 13,
        "examples": [
            {
                "text": (
                    "豊明市では福祉部門と公共交通部門が連携し、"
                    "公共交通の担当者が法的な整理や既存の交通事業者との利害調整を受け持ちました。"
                ),
                "case": "choisoko",
                "case_page": 30,
                "case_point": None,
            },
        ],
    },
    {
        "audience": "welfare",
        "phase": "partnering",
        "number": 5,
        "title": "圏域レベルの地域課題の把握と住民の巻き込み",
        "qualifier": "",
        "explanation": (
            "住民アンケートやヒアリングで地域課題を正確につかみ、生活支援コーディネーター・"
            "民生委員・自治会員などとも意見を交わして理解を深めます。"
            "集めた情報はデータとして整理し、他部署とも共有・活用できるようにしておきましょう。"
            "調査を通じて自治会や住民を巻き込み、課題を分かりやすく示すことが、"
            "協力と継続につながります。"
        ),
        "page": 13,
        "examples": [
            {
                "text": "王寺町は住民アンケートで地域課題を把握しました。",
                "case": "green_slow_mobility",
                "case_page": 38,
                "case_point": 1,
            },
            {
                "text": "王寺町は自治会も加わった運行チームをつくり、協働で事業を進めています。",
                "case": "green_slow_mobility",
                "case_page": 38,
                "case_point": 3,
            },
        ],
    },
    {
        "audience": "welfare",
        "phase": "design",
        "number": 1,
        "title": "地域課題に関する情報提供",
        "qualifier": "",
        "explanation": (
            "利用者が集まり、課題解決に役立つ事業にするには、"
            "利用者となる高齢者のニーズ情報が欠かせません（移動支援なら適切なルート設定に必要です）"
            "。どんなデータが要るかを企業に確かめ、自治体が持つ情報は積極的に提供しましょう。"
            "新たに住民調査をするときは、自治体が前に出ると信頼を得やすくなります。"
        ),
        "page": 14,
        "examples": [
            {
                "text": (
                    "行田市は各自治会に移動販売の需要を聞き取り、"
                    "その結果を販売ルートの設定に生かしました。"
                ),
                "case": "welcia",
                "case_page": 34,
                "case_point": 4,
            },
        ],
    },
    {
        "audience": "welfare",
        "phase": "design",
        "number": 2,
        "title": "地域課題、事業目的・役割分担、目標の共有",
        "qualifier": "",
        "explanation": (
            "事業設計の段階から関係者で定期的に打合せを行い、"
            "目的や基本的な合意事項を見失わないようにします。目的、役割分担、中長期の日程、"
            "事業内容と目標（KPI）、達成のための戦略を話し合い、"
            "自治会や住民も加えた運営体制をつくると継続に役立ちます。"
            "合意した内容はワークシート（p.25）に一覧にしておきましょう。"
        ),
        "page": 14,
        "examples": [
            {
                "text": (
                    "ウエルシアと行田市は打合せで事業の目的や役割分担をすり合わせ、「集客」"
                    "を共通の目標に据えて事業を設計しました。"
                ),
                "case": "welcia",
                "case_page": 35,
                "case_point": 3,
            },
        ],
    },
    {
        "audience": "welfare",
        "phase": "design",
        "number": 3,
        "title": "地域の既存サービスとの調整",
        "qualifier": "",
        "explanation": (
            "行政が関わる事業では、既存の民間事業者を圧迫しないよう配慮が必要な場合があります（移動"
            "支援ならバスやタクシー）。既存事業者への説明や交渉には、"
            "自治体も当事者として同席するのが望ましいでしょう。対策には、"
            "運行ルートなどの事業範囲を分ける方法と、既存事業者を事業に組み込む方法があります。"
        ),
        "page": 14,
        "examples": [
            {
                "text": (
                    "チョイソコでは、地元のバス会社とはサービスの範囲を分け、"
                    "タクシー会社には事業に加わってもらう形で調整しました。"
                ),
                "case": "choisoko",
                "case_page": 31,
                "case_point": 2,
            },
            {
                "text": (
                    "王寺町のグリスロ事業では、既存のバス路線などと共存できるように運行ルートを決め"
                    "ました。"
                ),
                "case": "green_slow_mobility",
                "case_page": 38,
                "case_point": 2,
            },
        ],
    },
    {
        "audience": "welfare",
        "phase": "implementation",
        "number": 1,
        "title": "無理のないリソース・アセットの活用",
        "qualifier": "",
        "explanation": (
            "公的資金や設備など行政の資源が必要になる場面は多い一方、"
            "負担が重すぎると財政事情で削られ、事業が止まるおそれがあります。"
            "今だけでなく将来も無理なく続けられる負担の形を考えましょう。たとえば、"
            "事業で置き換わる既存の公共サービスの予算を振り向けるなど、"
            "説明しやすい金額にする方法があります。"
        ),
        "page": 15,
        "examples": [
            {
                "text": (
                    "豊明市は、運行エリアから撤退したコミュニティバスにかかっていた費用を、"
                    "チョイソコへの負担金に充てました。"
                ),
                "case": "choisoko",
                "case_page": 30,
                "case_point": 4,
            },
        ],
    },
    {
        "audience": "welfare",
        "phase": "implementation",
        "number": 2,
        "title": "地域への事業の浸透に向けた協力",
        "qualifier": "",
        "explanation": (
            "利用者を十分に確保するには、高齢者や地域包括支援センターなどの福祉関係者に、"
            "事業の意義と信頼性を納得してもらう必要があります。"
            "自治体自身による周知はとても効果的で、広報誌へのチラシ折り込み、自治会向けの説明会、"
            "福祉関係者への案内などが考えられます。"
        ),
        "page": 15,
        "examples": [
            {
                "text": (
                    "新上五島町では、実証にあたって町が自ら住民説明会を開き、"
                    "利用者登録も手伝いました（社名・事例集非公表）。"
                ),
                "case": "",
                "case_page": None,
                "case_point": None,
            },
        ],
    },
    {
        "audience": "welfare",
        "phase": "implementation",
        "number": 3,
        "title": "事業の改善・拡大等への継続的な協力",
        "qualifier": "",
        "explanation": (
            "新たな企業・団体・住民を巻き込んで担い手や実施地域を広げると、事業が続きやすくなり、"
            "地域への効果も大きくなります。関係者が増える段階でも、"
            "自治体が設計時と同じように関わり続けることが支えになります。担当者が異動するときは、"
            "ワークシート（p.25）などで事業の目的や自治体の役割を確実に引き継ぎましょう。"
        ),
        "page": 15,
        "examples": [
            {
                "text": (
                    "豊明市では「企業連携に協力的な市」という評判が広がり、"
                    "連携企業が別の企業を紹介してくれるようになりました。"
                ),
                "case": "choisoko",
                "case_page": 30,
                "case_point": 2,
            },
        ],
    },
    {
        "audience": "welfare",
        "phase": "implementation",
        "number": 4,
        "title": "事業継続・改善のためのモニタリングの実施",
        "qualifier": "",
        "explanation": (
            "事業の成果についてKPIを定め、定期的に測って改善と継続に生かします。"
            "できれば事業がもたらす効果の検証にも取り組みましょう。"
            "地元の大学との連携も有力な方法です。数字だけでなく、"
            "利用者の満足やコミュニティが育つ様子を意思決定者が現場で見ることも効果的です。"
        ),
        "page": 16,
        "examples": [],
    },
    {
        "audience": "welfare",
        "phase": "implementation",
        "number": 5,
        "title": "連携主体間の目標の理解・共通のKPIの設定・進捗確認",
        "qualifier": "",
        "explanation": (
            "企業には自治体とは別のビジネス上の目標があり、"
            "測定に求める厳密さも異なることがあります。何をどこまで測るかを事前に合意し、"
            "双方が共通して追うKPIを持ちましょう。進捗を定期的に共有し、"
            "課題や成功要因を話し合います。「利用者数」のように双方の成果に関わる指標は、"
            "共通のKPIにしやすい例です。"
        ),
        "page": 16,
        "examples": [
            {
                "text": (
                    "行田市とウエルシアは「集客数」を共通の指標とし、"
                    "集客の方法を一緒に考えることで取組を続けています。"
                ),
                "case": "welcia",
                "case_page": 35,
                "case_point": 3,
            },
        ],
    },
    {
        "audience": "company",
        "phase": "partnering",
        "number": 1,
        "title": "自治体の行政計画・目標等の理解",
        "qualifier": "",
        "explanation": (
            "自治体の行政計画や目標をよく理解し、事業がその方針の一部として位置づくよう意識します。"
            "高齢者福祉などの担当部署が目指す方向をつかみ、"
            "目標の達成に役立つ事業内容や連携の形を提案しましょう。"
            "計画に沿った提案は受け入れられやすく、長く続く協働関係につながります。"
        ),
        "page": 18,
        "examples": [
            {
                "text": (
                    "ウエルシアは、行田市が進める地域共生社会づくりの一環として移動販売事業を提案し"
                    "ました。"
                ),
                "case": "welcia",
                "case_page": 35,
                "case_point": 2,
            },
        ],
    },
    {
        "audience": "company",
        "phase": "partnering",
        "number": 2,
        "title": "自治体の予算スケジュールの理解",
        "qualifier": "",
        "explanation": (
            "自治体の予算編成には決まった時期があります。その時期を把握して提案や相談をすると、"
            "事業を年度内に計画どおり進めやすくなります。予算と事業の日程を理解し、"
            "適切なタイミングで働きかけることが、官民連携を実現させる近道です。"
        ),
        "page": 18,
        "examples": [
            {
                "text": (
                    "アイシンは各自治体の予算編成の日程を押さえたうえで、"
                    "複数の自治体へのヒアリングや営業を行っています。"
                ),
                "case": "choisoko",
                "case_page": 31,
                "case_point": 3,
            },
        ],
    },
    {
        "audience": "company",
        "phase": "partnering",
        "number": 3,
        "title": "機動力のある社内意思決定体制の構築",
        "qualifier": "（特に大企業の場合）",
        "explanation": (
            "産福共創を経営方針に結びつけ、素早く判断できる社内体制を整えて積極的に取り組みます。"
            "十分なリソースを投じて組織全体で迅速に動けば、"
            "自治体との協議や提案の見直しに柔軟に対応できます。"
            "費用負担やリスク分担のような重要な判断を速く下せることも、信頼関係を深めます。"
        ),
        "page": 19,
        "examples": [
            {
                "text": (
                    "アイシンは社長直下のプロジェクトとして素早く判断できる体制を整え、"
                    "提案の改善や実証費用の負担をすばやく決めました。"
                ),
                "case": "choisoko",
                "case_page": 31,
                "case_point": 1,
            },
        ],
    },
    {
        "audience": "company",
        "phase": "partnering",
        "number": 4,
        "title": "地域実態に基づく取組のための体制構築",
        "qualifier": "（特に大企業の場合）",
        "explanation": (
            "担当者が地域に入り込み、自治体や住民と信頼関係を築きながら現地の体制をつくることが大切"
            "です。住民をはじめさまざまな立場の声を聞いて地域特有のニーズを取り入れ、"
            "実情に合った事業内容と進め方を自治体と一緒に具体化しましょう。"
        ),
        "page": 19,
        "examples": [
            {
                "text": (
                    "A社は導入時に担当者を現地に派遣し、"
                    "自治体や住民の声を直接聞きながら事業設計と実装を進めました（社名・"
                    "事例集非公表）。"
                ),
                "case": "",
                "case_page": None,
                "case_point": None,
            },
        ],
    },
    {
        "audience": "company",
        "phase": "design",
        "number": 1,
        "title": "事業設計に必要な情報の自治体を通じた収集",
        "qualifier": "",
        "explanation": (
            "事業設計には顧客となる高齢者のニーズ情報が必要ですが、"
            "企業だけで十分なデータを集めるのは難しいことが多いものです。"
            "自治体は住民ニーズのデータをある程度持っているので、"
            "どんなデータが役立つかを企業から伝え、提供を依頼しましょう。"
            "新たに住民調査をするときは、自治体に前面に立ってもらうと回答者の信頼を得やすくなります"
            "。"
        ),
        "page": 20,
        "examples": [
            {
                "text": (
                    "A社はデマンド交通の設計にあたり、"
                    "現地担当者が自治体などへのヒアリングで情報を集め、"
                    "運行エリアを決めました（社名・事例集非公表）。"
                ),
                "case": "",
                "case_page": None,
                "case_point": None,
            },
        ],
    },
    {
        "audience": "company",
        "phase": "design",
        "number": 2,
        "title": "地域課題、事業目的・役割分担、目標の共有",
        "qualifier": "",
        "explanation": (
            "事業の目的や合意した事項を関係者が見失わないよう、"
            "設計段階から定期的な打合せを設けます。目的・役割分担・中長期の日程・"
            "事業内容と目標（KPI）・達成に向けた戦略を話し合い、"
            "自治会や住民も加えた運営体制を築くと、その後の継続に役立ちます。"
            "合意したことはワークシート（p.25）にまとめておきましょう。"
        ),
        "page": 20,
        "examples": [
            {
                "text": (
                    "ウエルシアと行田市は打合せで事業の目的や役割分担をすり合わせ、「集客」"
                    "を共通の目標に据えて事業を設計しました。"
                ),
                "case": "welcia",
                "case_page": 35,
                "case_point": 3,
            },
        ],
    },
    {
        "audience": "company",
        "phase": "design",
        "number": 3,
        "title": "地域の既存のサービスとの調整",
        "qualifier": "",
        "explanation": (
            "行政が関与する事業では、既存の民間事業者を圧迫しない配慮が求められることがあります（移"
            "動支援ならバス・タクシー事業者など）。既存事業者への説明や交渉は、"
            "こうした事情を理解し、自治体と相談したうえで臨みましょう。方法としては、"
            "ルートなど事業範囲の棲み分けと、既存事業者を巻き込んだ設計があります。"
        ),
        "page": 21,
        "examples": [
            {
                "text": (
                    "チョイソコでは、地元のバス会社とはサービスの範囲を分け、"
                    "タクシー会社には事業に加わってもらう形で調整しました。"
                ),
                "case": "choisoko",
                "case_page": 31,
                "case_point": 2,
            },
            {
                "text": (
                    "王寺町のグリスロ事業では、既存のバス路線などと共存できるように運行ルートを決め"
                    "ました。"
                ),
                "case": "green_slow_mobility",
                "case_page": 38,
                "case_point": 2,
            },
        ],
    },
    {
        "audience": "company",
        "phase": "design",
        "number": 4,
        "title": "横展開を念頭に置いたマーケティング戦略等",
        "qualifier": "（特に大企業の場合）",
        "explanation": (
            "設計の段階から他地域への展開を見据え、"
            "マーケティング戦略や営業支援体制を含むビジネスモデルを組み立てると、"
            "企業として取り組む意義が大きくなります。自治体ごとの課題やニーズを把握し、"
            "他地域でも使える運営モデルと支援体制を用意しておくと、事業の発展と継続、"
            "社会的な波及につながります。"
        ),
        "page": 21,
        "examples": [
            {
                "text": (
                    "ヤマハ発動機はグリスロ事業をBtoGビジネスと位置づけ、"
                    "マーケティング戦略や営業支援のコンテンツを整えています。"
                ),
                "case": "green_slow_mobility",
                "case_page": 39,
                "case_point": 1,
            },
        ],
    },
    {
        "audience": "company",
        "phase": "implementation",
        "number": 1,
        "title": "自社のリソース活用等による自治体負担の軽減",
        "qualifier": "",
        "explanation": (
            "自治体の負担をできるだけ小さくすることが、実装と継続の鍵です。"
            "予算の確保を自治体任せにすると財政事情で削られやすく、"
            "設備投資や担い手の育成も企業の力でより円滑に進む場合があります。"
            "実装のしやすさとその後の継続の両方を考えて、"
            "自治体の負担が軽くなる役割分担を検討しましょう。"
        ),
        "page": 22,
        "examples": [
            {
                "text": (
                    "チョイソコでは、アイシンとフランチャイズ先が導入を全体的に支え、"
                    "自治体の手間を減らしています。"
                ),
                "case": "choisoko",
                "case_page": 31,
                "case_point": 4,
            },
            {
                "text": "ウエルシアは移動販売のための車両と人材を自社で用意しています。",
                "case": "welcia",
                "case_page": 35,
                "case_point": 4,
            },
            {
                "text": "ヤマハ発動機は、運行者となる自治体にドライバー講習などを提供しています。",
                "case": "green_slow_mobility",
                "case_page": 39,
                "case_point": 2,
            },
        ],
    },
    {
        "audience": "company",
        "phase": "implementation",
        "number": 2,
        "title": "継続的な運営体制の構築",
        "qualifier": "（特に地域外の事業者の場合）",
        "explanation": (
            "地域外の企業がシステムなどを開発して導入する場合、"
            "運用を現地の自治体などに任せきりにせず、"
            "現地の声にすぐ応えられる体制をつくると事業が長続きします。"
            "実装後の改善まで含めた継続的な契約を自治体と結ぶ、"
            "現地でサービスを運営する事業者を置いて自治体と契約してもらう、といった方法があります。"
        ),
        "page": 22,
        "examples": [
            {
                "text": (
                    "A社のデマンド交通システムを導入した地域では、"
                    "住民の問い合わせや現場の課題に素早く応えるため運営事業者が設立され、"
                    "自治体からの委託で運営しています（社名・事例集非公表）。"
                ),
                "case": "",
                "case_page": None,
                "case_point": None,
            },
        ],
    },
    {
        "audience": "company",
        "phase": "implementation",
        "number": 3,
        "title": "事業継続・改善のためのモニタリングの実施",
        "qualifier": "",
        "explanation": (
            "KPIは自治体と一緒に定め（p.16参照）、定期的に測って改善と継続に生かします。"
            "企業からは事業性の視点を補いましょう。事業単体での黒字化が必須とは限らないため、"
            "収益性、本業への効果、企業イメージへの効果など、"
            "自社が求める効果に応じて幅広く評価します。"
        ),
        "page": 23,
        "examples": [],
    },
    {
        "audience": "company",
        "phase": "implementation",
        "number": 4,
        "title": "連携主体間の目標の理解・共通のKPIの設定・進捗確認",
        "qualifier": "",
        "explanation": (
            "自治体には地域課題や行政計画に基づく社会的な目標があり、"
            "測定に求める厳密さが企業と異なることもあります。何をどこまで測るかを前もって合意し、"
            "共通のKPIを持って状況を客観的に把握しましょう。定期的に進捗を共有し、"
            "課題や成功要因を話し合います。「利用者数」"
            "のように双方の成果に関わる指標は共通のKPIに向いています。"
        ),
        "page": 23,
        "examples": [
            {
                "text": (
                    "行田市とウエルシアは「集客数」を共通の指標とし、"
                    "集客の方法を一緒に考えることで取組を続けています。"
                ),
                "case": "welcia",
                "case_page": 35,
                "case_point": 3,
            },
        ],
    },
]

# 測定項目の例: 福祉関係者向け p.16、民間企業向け p.23。
MONITORING_ITEMS: list[MonitoringItemData] = [
    {
        "audience": "welfare",
        "category": "事業の成果のモニタリング",
        "name": "事業の利用者数",
        "page": 16,
    },
    {
        "audience": "welfare",
        "category": "事業の成果のモニタリング",
        "name": "地域高齢者の利用者率",
        "page": 16,
    },
    {
        "audience": "welfare",
        "category": "事業の成果のモニタリング",
        "name": "利用者の満足度",
        "page": 16,
    },
    {
        "audience": "welfare",
        "category": "事業がもたらす効果の検証",
        "name": "利用者の外出頻度や行動範囲の増加",
        "page": 16,
    },
    {
        "audience": "welfare",
        "category": "事業がもたらす効果の検証",
        "name": "利用者の主観的な健康度の向上",
        "page": 16,
    },
    {
        "audience": "welfare",
        "category": "事業がもたらす効果の検証",
        "name": "利用者の要介護度の低下",
        "page": 16,
    },
    {
        "audience": "welfare",
        "category": "現場での体感",
        "name": "利用者の満足の様子",
        "page": 16,
    },
    {
        "audience": "welfare",
        "category": "現場での体感",
        "name": "コミュニティ形成の様子",
        "page": 16,
    },
    {
        "audience": "company",
        "category": "事業の収益性",
        "name": "事業の利用者数",
        "page": 23,
    },
    {
        "audience": "company",
        "category": "事業の収益性",
        "name": "事業収益",
        "page": 23,
    },
    {
        "audience": "company",
        "category": "本業への効果",
        "name": "事業経由での本業の集客数の増加",
        "page": 23,
    },
    {
        "audience": "company",
        "category": "本業への効果",
        "name": "事業利用者の本業での顧客単価の増加",
        "page": 23,
    },
    {
        "audience": "company",
        "category": "企業イメージへの効果",
        "name": "地域における企業知名度・イメージの向上",
        "page": 23,
    },
    {
        "audience": "company",
        "category": "企業イメージへの効果",
        "name": "事業に対する株主総会の反応",
        "page": 23,
    },
]

# 産福共創モデルの創出プロセス（p.28）。
PROCESS_STEPS: list[ProcessStepData] = [
    {
        "number": 1,
        "name": "組織的土壌",
        "description": "企業との連携を受け入れ、後押しできる組織の風土や体制を整えます。",
        "page": 28,
    },
    {
        "number": 2,
        "name": "課題の把握",
        "description": "地域の高齢者が抱える課題やニーズをつかみます。",
        "page": 28,
    },
    {
        "number": 3,
        "name": "巻き込み／共創",
        "description": "担い手となる企業や地域の関係者を巻き込み、一緒に取組を考えます。",
        "page": 28,
    },
    {
        "number": 4,
        "name": "事業設計",
        "description": "目的・役割分担・目標を共有し、事業の中身と仕組みを組み立てます。",
        "page": 28,
    },
    {
        "number": 5,
        "name": "トライアル実証",
        "description": "小さく試して、ニーズや運営方法を確かめます。",
        "page": 28,
    },
    {
        "number": 6,
        "name": "運用設計／仕組み化",
        "description": "本格運用に向けて関係者と調整し、運営のルールや仕組みを固めます。",
        "page": 28,
    },
    {
        "number": 7,
        "name": "実装／展開",
        "description": "事業を本格的に始め、他の地域にも広げます。",
        "page": 28,
    },
    {
        "number": 8,
        "name": "継続／改善",
        "description": "効果や利用状況を測り、事業を改善しながら続けます。",
        "page": 28,
    },
]

# サービス領域（p.6, p.27）。
SERVICE_AREAS: list[ServiceAreaData] = [
    {
        "key": "prevention",
        "name": "介護予防・社会参加支援",
    },
    {
        "key": "mobility",
        "name": "日常生活支援（移動支援）",
    },
    {
        "key": "daily_life",
        "name": "日常生活支援（移動支援以外）",
    },
    {
        "key": "care",
        "name": "生活機能維持・療養支援",
    },
]

# 産福共創のパターン（p.5）。
PATTERNS: list[PatternData] = [
    {
        "key": "customize",
        "name": "既存事業を高齢者向けにカスタマイズ",
        "description": (
            "企業がすでに提供している事業を、福祉関係者と一緒に高齢者向けに作り変えるパターンです（"
            "参照事例：事例③グリスロ）。"
        ),
        "page": 5,
    },
    {
        "key": "new_business",
        "name": "新規事業を開発",
        "description": (
            "企業等と福祉関係者が、地域課題を解決するための新しい事業を共同で開発するパターンです（"
            "参照事例：事例①チョイソコ、事例②うえたん号）。"
        ),
        "page": 5,
    },
    {
        "key": "implement",
        "name": "地域課題解決に必要なサービス等を実装",
        "description": (
            "企業等と福祉関係者が協力し、地域課題の解決に欠かせないサービスなどを地域に導入するパタ"
            "ーンです（令和7年度産福共創モデル創出事業にて検証中）。"
        ),
        "page": 5,
    },
]

# 効果の整理の枠組み（p.28）。
EFFECT_DIMENSIONS: list[EffectDimensionData] = [
    {
        "group": "regional",
        "key": "behaviour",
        "name": "住民の意識・行動の変化",
    },
    {
        "group": "regional",
        "key": "health",
        "name": "住民の健康状態の変化",
    },
    {
        "group": "regional",
        "key": "care_cost",
        "name": "地域の要介護認定率・介護給付費の変化",
    },
    {
        "group": "business",
        "key": "profitability",
        "name": "当該事業の収益黒字化",
    },
    {
        "group": "business",
        "key": "core_customers",
        "name": "本業への集客増加",
    },
    {
        "group": "business",
        "key": "image",
        "name": "企業全体のイメージ向上",
    },
    {
        "group": "business",
        "key": "revenue",
        "name": "企業全体の収益増加",
    },
]

# 事例集: 主要事例 3 件（p.29–40）と参考事例 10 件（p.41–42）。
CASES: list[CaseData] = [
    {
        "slug": "choisoko",
        "kind": "main",
        "number": 1,
        "title": "チョイソコ",
        "companies": ["アイシン"],
        "municipalities": [
            {
                "prefecture": "愛知県",
                "name": "豊明市",
            },
            {
                "prefecture": "愛知県",
                "name": "岡崎市",
            },
            {
                "prefecture": "岐阜県",
                "name": "各務原市",
            },
        ],
        "pattern": "new_business",
        "areas": ["mobility"],
        "summary": (
            "アイシンが開発・運営する予約制の乗合送迎サービスで、"
            "移動に困る高齢者の足をエリアスポンサーの協賛を受けながら民間主体で支えています。"
            "豊明市での実証を経て全国に広がりました。"
        ),
        "overview": (
            "地域の交通不便者や高齢者を対象に、アイシンが提供するオンデマンド型の交通サービスです。"
            "予約があると運行し、AIが経路と相乗りの組合せを計算して、"
            "決められた停留所の間を効率よく結びます。"
            "地元の企業や店舗がエリアスポンサーとして協賛し、"
            "地域経済と結びついた持続的な運営をめざしています。"
            "電話予約のようなアナログな手段も残してIT機器に不慣れな高齢者に配慮し、"
            "外出を促すイベントや健康づくりと組み合わせた「コトづくり」にも取り組んでいます。"
            "利用は会員登録制で、対象地域に住む小学生以上が使え、"
            "運賃は地域によって異なりますが片道数百円程度です。"
        ),
        "facts": [
            {
                "label": "導入自治体数",
                "value": "全国66自治体",
                "as_of": "2024年7月",
            },
            {
                "label": "主な導入エリア",
                "value": "愛知県豊明市、愛知県岡崎市、岐阜県各務原市など",
                "as_of": "",
            },
            {
                "label": "運賃",
                "value": "片道数百円程度（地域により異なる）",
                "as_of": "",
            },
            {
                "label": "利用対象",
                "value": "対象地域に在住する小学生以上（会員登録制）",
                "as_of": "",
            },
            {
                "label": "サービスコンセプトの検討",
                "value": "約半年間で10回の会議",
                "as_of": "",
            },
        ],
        "stakeholders": [
            {
                "name": "アイシン",
                "role": (
                    "事業主体です。サービスを開発・運営し、トライアル実証の費用も負担しました。"
                ),
            },
            {
                "name": "豊明市（健康福祉部・公共交通担当）",
                "role": (
                    "課題の把握、住民への説明、停留所の検討、法的な整理や交通事業者との調整を担い、"
                    "負担金を拠出しています。"
                ),
            },
            {
                "name": "エリアスポンサー（自治体や地元企業・店舗など）",
                "role": "協賛金や広告料で運営費の一部を支えています。",
            },
            {
                "name": "スギ薬局",
                "role": (
                    "以前から付き合いのあったアイシンに豊明市の移動の課題を伝え、"
                    "市への提案にも協力しました。"
                ),
            },
            {
                "name": "地元タクシー会社",
                "role": "豊明市・アイシンとの3者の協定を結び、事業に加わっています。",
            },
            {
                "name": "トヨタ・ダイハツの販売店",
                "role": "遠方の地域でフランチャイズとして導入を支援しています。",
            },
        ],
        "relations": (
            "民間企業のアイシンが事業主体となり、自治体や地域の事業者がエリアスポンサーとして出す協"
            "賛金・広告料で運営費の一部を賄っています。豊明市は負担金を出すとともに、"
            "住民や交通事業者との調整を通じて事業を支えています。"
        ),
        "process": [
            {
                "step": 1,
                "lane": "municipality",
                "department": "健康福祉部",
                "text": "店舗を訪ねたり人づてに紹介を受けたりして、企業との連携を重ねた",
            },
            {
                "step": 2,
                "lane": "municipality",
                "department": "健康福祉部",
                "text": "地域ケア会議を通じて、移動や買い物の課題に気づいた",
            },
            {
                "step": 3,
                "lane": "municipality",
                "department": "健康福祉部",
                "text": "アイシンのライドシェア連携の提案に対し、市から共同運行を逆に提案した",
            },
            {
                "step": 4,
                "lane": "joint",
                "department": "健康福祉部・公共交通担当",
                "text": "約半年間で10回の会議を開き、サービスのコンセプトを磨き上げた",
            },
            {
                "step": 4,
                "lane": "municipality",
                "department": "公共交通担当",
                "text": "法的な整理と、既存の公共交通機関との利害調整を受け持った",
            },
            {
                "step": 5,
                "lane": "municipality",
                "department": "健康福祉部",
                "text": "住民説明会を開き、ヒアリングでニーズを確かめた",
            },
            {
                "step": 6,
                "lane": "municipality",
                "department": "健康福祉部",
                "text": "停留所の配置を検討した",
            },
            {
                "step": 6,
                "lane": "municipality",
                "department": "公共交通担当",
                "text": "タクシー会社を巻き込み、地域公共交通会議で合意を形成した",
            },
            {
                "step": 7,
                "lane": "municipality",
                "department": "公共交通担当",
                "text": "運行エリアのコミュニティバスを撤退させ、その費用を負担金に充てた",
            },
            {
                "step": 8,
                "lane": "municipality",
                "department": "公共交通担当",
                "text": (
                    "運行エリアの追加に向けた試行やヒアリングを行い、"
                    "マッチング率や乗り合い率を改善した"
                ),
            },
            {
                "step": 1,
                "lane": "company",
                "department": "",
                "text": "自社のシーズを生かした新サービスを検討していた",
            },
            {
                "step": 2,
                "lane": "company",
                "department": "",
                "text": "取引のあったスギ薬局から、豊明市の移動の課題を知った",
            },
            {
                "step": 3,
                "lane": "company",
                "department": "",
                "text": "スギ薬局と協力し、豊明市に連携を提案した",
            },
            {
                "step": 4,
                "lane": "joint",
                "department": "",
                "text": "自治体との議論を踏まえ、提案の改善を繰り返した",
            },
            {
                "step": 5,
                "lane": "company",
                "department": "",
                "text": "トライアル実証は自社が費用を負担し、無償で運行した",
            },
            {
                "step": 6,
                "lane": "company",
                "department": "",
                "text": "バス会社と調整するため、サービス内容をすり合わせた",
            },
            {
                "step": 6,
                "lane": "joint",
                "department": "",
                "text": "豊明市とともにタクシー会社を巻き込み、3者の協定で運用を始めた",
            },
            {
                "step": 7,
                "lane": "company",
                "department": "",
                "text": "他自治体への展開に向け、近隣の自治体からヒアリングや営業を始めた",
            },
            {
                "step": 7,
                "lane": "company",
                "department": "",
                "text": (
                    "遠方の地域では、トヨタやダイハツの販売店がフランチャイズとして導入を支援してい"
                    "る"
                ),
            },
            {
                "step": 8,
                "lane": "company",
                "department": "",
                "text": "複数の自治体の事業でコールセンターを共有し、効率を高めた",
            },
        ],
        "points": [
            {
                "audience": "welfare",
                "number": 1,
                "title": "企業を応援する風土",
                "text": (
                    "地域課題への貢献と収益性をともに備えた事業を後押しする風土が市にありました（他"
                    "の自治体では心理的な抵抗があることもあります）。"
                ),
            },
            {
                "audience": "welfare",
                "number": 2,
                "title": "企業が企業を紹介する好循環",
                "text": (
                    "企業連携に協力的な市だという評判が企業の間で広がり、"
                    "企業から別の企業が紹介されるようになりました。"
                ),
            },
            {
                "audience": "welfare",
                "number": 3,
                "title": "企業の目的と覚悟の理解",
                "text": (
                    "企業の目的や覚悟を理解し、事業の継続性も見込めたため、"
                    "緑ナンバーで公共交通を担ってもらうと判断できました。"
                ),
            },
            {
                "audience": "welfare",
                "number": 4,
                "title": "継続／改善への自治体の協力",
                "text": "公共交通として続けていけるよう、市も継続・改善に協力しています。",
            },
            {
                "audience": "company",
                "number": 1,
                "title": "社長直下プロジェクトによる機動力",
                "text": (
                    "社長直下のプロジェクトとして、リソース投入などを素早く決められる体制をつくり、"
                    "事業化に熱意をもって取り組みました。"
                ),
            },
            {
                "audience": "company",
                "number": 2,
                "title": "自治体とともにステークホルダーと調整",
                "text": "関係者との調整には自治体と一緒に当たり、サービス内容をすり合わせました。",
            },
            {
                "audience": "company",
                "number": 3,
                "title": "予算作成のタイミングを逃さない展開",
                "text": (
                    "行政の予算作成の時期に間に合うよう、"
                    "豊明市での実装と並行して他の自治体への声掛けを始めました。"
                ),
            },
            {
                "audience": "company",
                "number": 4,
                "title": "自治体の手間を抑える導入支援",
                "text": (
                    "自社とフランチャイズ先が導入を全面的に支え、"
                    "自治体側の手間をできるだけ減らしています。"
                ),
            },
        ],
        "effects": {
            "behaviour": "豊明市では利用者数・乗車数が増え、外出頻度も増えています。",
            "health": (
                "チョイソコなどの能動的な移動手段を持つ高齢者は、"
                "乗せてもらうだけで移動する高齢者よりIADLが低下するリスクが低いことが確かめられてい"
                "ます。"
            ),
            "care_cost": (
                "市はさまざまな介護予防の施策を組み合わせているため、"
                "チョイソコ単体の効果を測るのは難しいとされています。"
            ),
            "profitability": (
                "自治体ごとに乗車数の目標値を決めて達成をめざし、"
                "複数地域への展開で黒字化を狙っています。"
            ),
            "core_customers": "",
            "image": "自治体や国土交通省からの認知が高まったと実感しています。",
            "revenue": (
                "企業全体の収益への直接の寄与はなく、"
                "存在感や社会的意義の面での役割が大きいと捉えています。"
            ),
        },
        "page": 29,
        "pages": "29–32",
        "keywords": [
            "移動",
            "移動支援",
            "交通",
            "デマンド交通",
            "オンデマンド",
            "乗合",
            "送迎",
            "買い物",
            "外出",
            "エリアスポンサー",
            "コールセンター",
            "フランチャイズ",
            "コトづくり",
        ],
    },
    {
        "slug": "welcia",
        "kind": "main",
        "number": 2,
        "title": "ウエルシア移動販売「うえたん号」・ウエルカフェ",
        "companies": ["ウエルシア薬局"],
        "municipalities": [
            {
                "prefecture": "埼玉県",
                "name": "行田市",
            },
            {
                "prefecture": "静岡県",
                "name": "島田市",
            },
            {
                "prefecture": "千葉県",
                "name": "市川市",
            },
        ],
        "pattern": "new_business",
        "areas": ["daily_life", "prevention"],
        "summary": (
            "ウエルシア薬局が行田市で、店舗内のコミュニティスペース「ウエルカフェ」"
            "と移動販売車「うえたん号」を展開する事例です。行田市はローカルマーケティングを支え、"
            "両者は集客を共通の目標にしています。"
        ),
        "overview": (
            "行田市では、交流の場が少ないことや高齢者の買い物の不便が地域課題でした。"
            "ウエルカフェは薬局内に設けた地域協働のコミュニティスペースで、健康増進・福祉・"
            "文化の活動に無料で開放され、市や市社会福祉協議会との共催で健康サロンや講座も開かれてい"
            "ます。うえたん号は市とウエルシア薬局の協定に基づき2023年12月に走り始めた移動販売車で、"
            "食品や日用品のほか、化粧品や一般用医薬品（第一類を含み、要事前注文）も扱います。"
            "車に積んだ大型モニターで、店舗の薬剤師や管理栄養士にオンラインで健康相談ができるのも特"
            "徴です。"
        ),
        "facts": [
            {
                "label": "協定",
                "value": "「地域福祉の推進及び健康増進に関する協定」（行田市・ウエルシア薬局）",
                "as_of": "",
            },
            {
                "label": "うえたん号の運行開始",
                "value": "2023年12月",
                "as_of": "",
            },
            {
                "label": "稼働状況",
                "value": "全国29自治体にて31台",
                "as_of": "2025年1月",
            },
            {
                "label": "導入自治体数",
                "value": "全国35自治体",
                "as_of": "2025年7月",
            },
            {
                "label": "主な導入エリア",
                "value": "埼玉県行田市、静岡県島田市、千葉県市川市など",
                "as_of": "",
            },
            {
                "label": "移動販売の収支",
                "value": "事業開始2年時点で黒字化未達、5年経過以降に黒字化の見込み",
                "as_of": "",
            },
        ],
        "stakeholders": [
            {
                "name": "ウエルシア薬局",
                "role": (
                    "移動販売の車両と人材を用意して運行し、店舗内にウエルカフェを設けています。"
                ),
            },
            {
                "name": "行田市（高齢者福祉課・地域共生社会推進課）",
                "role": (
                    "協定を結び、自治会への需要の聞き取りや集客など、"
                    "地域に根ざした販売を後押しします。"
                ),
            },
            {
                "name": "行田市社会福祉協議会",
                "role": "ウエルカフェで健康サロンや講座を共催しています。",
            },
            {
                "name": "自治会",
                "role": "移動販売の需要の聞き取りに協力しています。",
            },
            {
                "name": "店舗の薬剤師・管理栄養士",
                "role": "移動販売車のモニター越しに、利用者の健康相談に応じます。",
            },
        ],
        "relations": (
            "行田市とウエルシア薬局が協定を結び、企業は売り場・車両・専門職を、"
            "市は住民ニーズの情報と集客の協力を持ち寄ります。社会福祉協議会や自治会も加わり、"
            "集客数を共通の指標として事業を続けています。"
        ),
        "process": [
            {
                "step": 1,
                "lane": "municipality",
                "department": "高齢者福祉課・地域共生社会推進課・社会福祉協議会",
                "text": (
                    "地域課題の解決には民間との連携が必要だという共通認識と、"
                    "企業を応援する風土があった"
                ),
            },
            {
                "step": 2,
                "lane": "municipality",
                "department": "高齢者福祉課・地域共生社会推進課・社会福祉協議会",
                "text": "交流の場の不足や高齢者の買い物の不便を地域課題として捉えていた",
            },
            {
                "step": 3,
                "lane": "joint",
                "department": "高齢者福祉課・地域共生社会推進課・社会福祉協議会",
                "text": "協働体制を築き、健康講座などを共同で開いた",
            },
            {
                "step": 4,
                "lane": "municipality",
                "department": "高齢者福祉課・地域共生社会推進課・社会福祉協議会",
                "text": "各自治会に需要を聞き取り、移動販売のルート設定に役立てた",
            },
            {
                "step": 4,
                "lane": "joint",
                "department": "高齢者福祉課・地域共生社会推進課・社会福祉協議会",
                "text": "打合せで事業目的や役割分担を共有し、集客を共通の目標に定めた",
            },
            {
                "step": 7,
                "lane": "joint",
                "department": "高齢者福祉課・地域共生社会推進課・社会福祉協議会",
                "text": "協定を結び、2023年12月にうえたん号の運行を始めた",
            },
            {
                "step": 8,
                "lane": "joint",
                "department": "高齢者福祉課・地域共生社会推進課・社会福祉協議会",
                "text": "集客数を共通の指標とし、集客の方法を一緒に検討している",
            },
            {
                "step": 1,
                "lane": "company",
                "department": "",
                "text": (
                    "店舗内にウエルカフェを設け、健康・福祉・文化の活動に無料で場を提供してきた"
                ),
            },
            {
                "step": 3,
                "lane": "company",
                "department": "",
                "text": "行田市がめざす地域共生社会づくりの一環として、移動販売を提案した",
            },
            {
                "step": 7,
                "lane": "company",
                "department": "",
                "text": "移動販売に必要な車両と人材を自社で用意した",
            },
        ],
        "points": [
            {
                "audience": "welfare",
                "number": 1,
                "title": "民間との連携が必要という共通認識",
                "text": (
                    "地域課題の解決には民間との連携が欠かせないという認識が共有されていました。"
                ),
            },
            {
                "audience": "welfare",
                "number": 2,
                "title": "企業を応援する風土",
                "text": (
                    "民間事業者を応援する風土があり、企業の側からも積極的な提案や協力がありました。"
                ),
            },
            {
                "audience": "welfare",
                "number": 3,
                "title": "企業との積極的なかかわり",
                "text": "ウエルシアとの協働体制をつくり、健康講座などを一緒に開いています。",
            },
            {
                "audience": "welfare",
                "number": 4,
                "title": "住民ニーズを企業と共有",
                "text": (
                    "市が各自治会に需要を聞き取り、その結果を移動販売のルート設定に役立てました。"
                ),
            },
            {
                "audience": "company",
                "number": 2,
                "title": "地域共生社会づくりの一環としての提案",
                "text": (
                    "行田市がめざす地域共生社会づくりの一部として、移動販売事業を提案しました。"
                ),
            },
            {
                "audience": "company",
                "number": 3,
                "title": "集客という共通の目標",
                "text": (
                    "打合せで目的や役割分担を共有し、「集客数」"
                    "を市と共通の指標に据えて集客の方法を一緒に考えています。"
                ),
            },
            {
                "audience": "company",
                "number": 4,
                "title": "車両と人材の提供",
                "text": "移動販売に必要な車両と人材を自社で用意し、市の負担を抑えています。",
            },
        ],
        "effects": {
            "behaviour": (
                "事業を続けるのに必要な目標集客数に見合う住民が移動販売を利用しています。"
                "外出が増え、利用者どうしの会話や助け合いも増えました。"
                "販売の前後に自主的に体操をするなど、コミュニティづくりにも役立っています。"
            ),
            "health": (
                "実測データでは示せないものの、歩いて販売場所へ行くことや、"
                "自分で考えて買い物をすることが心身と認知面の健康につながると期待されています。"
            ),
            "care_cost": "移動販売による直接の影響を示すのは難しいとされています。",
            "profitability": (
                "移動販売は事業開始から2年の時点では黒字化していませんが、"
                "5年経過以降の黒字化を見込んでいます。"
            ),
            "core_customers": (
                "ウエルカフェやイベントの参加者が店舗の買い物客・"
                "処方箋客になる例があり（専門職の対応も寄与）、"
                "移動販売で店名が知られて初めて来店する住民も増えています。"
            ),
            "image": (
                "移動販売事業は株主などから高く支持されています。報道や中央省庁からの発信もあり、"
                "住民からの信用が高まっていると感じています。"
            ),
            "revenue": "本業のドラッグストア店舗で顧客が増え、収益が伸びることが期待できます。",
        },
        "page": 33,
        "pages": "33–36",
        "keywords": [
            "移動販売",
            "買い物",
            "買い物支援",
            "薬局",
            "ドラッグストア",
            "健康相談",
            "オンライン健康相談",
            "居場所",
            "交流",
            "コミュニティスペース",
            "介護予防",
            "体操教室",
            "オレンジカフェ",
            "地域共生社会",
        ],
    },
    {
        "slug": "green_slow_mobility",
        "kind": "main",
        "number": 3,
        "title": "グリーンスローモビリティ",
        "companies": ["ヤマハ発動機"],
        "municipalities": [
            {
                "prefecture": "奈良県",
                "name": "王寺町",
            },
            {
                "prefecture": "静岡県",
                "name": "磐田市",
            },
            {
                "prefecture": "大分県",
                "name": "別府市",
            },
        ],
        "pattern": "customize",
        "areas": ["mobility"],
        "summary": (
            "公道を時速20km未満で走れる小型EV（通称「グリスロ」）を使った移動サービスで、"
            "車両はヤマハ発動機が開発・提供しています。自治体が運行主体となり、"
            "地域の事業者等が車両の管理と運行を担って、住民や観光客の移動を支えています。"
        ),
        "overview": (
            "ゴルフカーの技術をもとにした電動車で、低床で乗り降りしやすく、車体が小さく、"
            "静かでCO2の排出も少ないのが強みです。操作が簡単で安全性が高く、"
            "高齢者や運転に不安のある人にも使いやすいよう設計されています。"
            "窓のない開放的なつくりのため、乗ったまま沿道の人と言葉を交わしやすいのも特徴です。"
            "バスが入れない地域の移動、観光地めぐり、買い物が不便な地域の生活支援、"
            "イベントなどに使われ、全国220以上の地域で導入・実証されています。"
            "千葉大学との共同研究で、利用者の行動や健康への良い影響が確認されています。"
        ),
        "facts": [
            {
                "label": "速度",
                "value": "時速20km未満で公道走行が可能な小型EV",
                "as_of": "",
            },
            {
                "label": "導入・実証地域",
                "value": "全国220以上の地域",
                "as_of": "",
            },
            {
                "label": "主な導入エリア",
                "value": "奈良県王寺町、静岡県磐田市、大分県別府市など",
                "as_of": "",
            },
            {
                "label": "効果の検証",
                "value": "千葉大学との共同研究",
                "as_of": "",
            },
            {
                "label": "事業性確保への挑戦",
                "value": "SIB/PFSを適用したモデルの構築・拡大に挑戦中",
                "as_of": "",
            },
        ],
        "stakeholders": [
            {
                "name": "ヤマハ発動機",
                "role": (
                    "車両を開発・提供し、マーケティングや営業支援、"
                    "ドライバー講習で自治体を支えます。"
                ),
            },
            {
                "name": "王寺町（政策推進課）",
                "role": (
                    "運行主体として、住民アンケートで課題をつかみ、"
                    "既存の交通と共存するルートを決めました。連携当初は観光施策担当課が窓口でした。"
                ),
            },
            {
                "name": "地域事業者等",
                "role": "車両の管理と運行を担います。",
            },
            {
                "name": "自治会",
                "role": "運行チームに加わり、町と協働しています。",
            },
            {
                "name": "千葉大学",
                "role": "共同研究で、利用者の行動や健康への効果を検証しました。",
            },
        ],
        "relations": (
            "ヤマハ発動機が車両と運行のノウハウを提供し、自治体が運行主体となります。"
            "車両の管理や運行は地域の事業者等が担い、"
            "王寺町では自治会も加わった運行チームで地域ぐるみの運行を続けています。"
        ),
        "process": [
            {
                "step": 1,
                "lane": "municipality",
                "department": "観光施策担当課",
                "text": "連携の当初は、観光施策担当課が企業との窓口になった",
            },
            {
                "step": 2,
                "lane": "municipality",
                "department": "政策推進課",
                "text": (
                    "政策推進課として地域課題に触れる機会があり、住民アンケートで課題を把握した"
                ),
            },
            {
                "step": 3,
                "lane": "joint",
                "department": "政策推進課",
                "text": "自治会も含めた運行チームをつくり、協働で進めた",
            },
            {
                "step": 4,
                "lane": "municipality",
                "department": "政策推進課",
                "text": "スーパーや既存のバス路線などの地域資源と共存する運行ルートを設定した",
            },
            {
                "step": 7,
                "lane": "municipality",
                "department": "政策推進課",
                "text": "事業の実施にあたり、政策推進課が観光施策担当課から引き継いだ",
            },
            {
                "step": 1,
                "lane": "company",
                "department": "",
                "text": (
                    "グリスロをBtoGビジネスと位置づけ、マーケティング戦略と営業支援の素材を整えた"
                ),
            },
            {
                "step": 3,
                "lane": "company",
                "department": "",
                "text": "自治体ごとの困りごとに合わせて対話を重ねた",
            },
            {
                "step": 6,
                "lane": "company",
                "department": "",
                "text": "運行者となる自治体にドライバー講習などを提供し、負担を抑えた",
            },
            {
                "step": 8,
                "lane": "company",
                "department": "",
                "text": (
                    "千葉大学との共同研究の成果を生かし、SIB/PFSを適用したモデルづくりに挑んでいる"
                ),
            },
        ],
        "points": [
            {
                "audience": "welfare",
                "number": 1,
                "title": "住民アンケートによる地域課題の把握",
                "text": "住民アンケートを通じて、地域の課題をつかみました。",
            },
            {
                "audience": "welfare",
                "number": 2,
                "title": "既存の地域資源と共存するルート設定",
                "text": "スーパーや既存のバス路線などと共存できるように運行ルートを決めました。",
            },
            {
                "audience": "welfare",
                "number": 3,
                "title": "自治会も含めた運行チーム",
                "text": "事業の実施にあたって、自治会も加わる運行チームをつくり協働しています。",
            },
            {
                "audience": "company",
                "number": 1,
                "title": "BtoGビジネスとしてのマーケティング戦略",
                "text": (
                    "グリスロをBtoGビジネスと位置づけ、"
                    "マーケティング戦略や営業支援の素材を整えています。"
                ),
            },
            {
                "audience": "company",
                "number": 2,
                "title": "ドライバー講習等による自治体負担の軽減",
                "text": (
                    "運行者となる自治体にドライバー講習などを提供し、導入のハードルを下げています。"
                ),
            },
        ],
        "effects": {
            "behaviour": (
                "グリスロの利用者は外出の頻度と行動範囲が広がり、他者との交流も増えました。"
            ),
            "health": (
                "利用者の要支援・要介護リスク点数が下がり、楽しさや明るい気持ち、"
                "自尊心といった前向きな変化も見られます。乗車中の会話が楽しいという声もあります。"
            ),
            "care_cost": "グリスロによる直接の影響を示すのは難しいとされています。",
            "profitability": (
                "車両の販売だけで事業性を確保するのは難しい状況です。確かめられた健康増進・"
                "介護予防の効果を生かし、SIB/PFSを使ったモデルの構築と拡大に挑戦しています。"
            ),
            "core_customers": "",
            "image": "介護予防の効果が知られることで、企業イメージの向上につながっています。",
            "revenue": "",
        },
        "page": 37,
        "pages": "37–40",
        "keywords": [
            "移動",
            "移動支援",
            "交通",
            "グリスロ",
            "電動カート",
            "小型EV",
            "観光",
            "外出",
            "交流",
            "介護予防",
            "SIB",
            "PFS",
            "千葉大学",
        ],
    },
    {
        "slug": "dementia_supporter",
        "kind": "reference",
        "number": 1,
        "title": "認知症サポーター養成講座の企業開催",
        "companies": ["多摩信用金庫"],
        "municipalities": [
            {
                "prefecture": "神奈川県",
                "name": "横浜市",
            },
            {
                "prefecture": "千葉県",
                "name": "千葉市",
            },
            {
                "prefecture": "青森県",
                "name": "八戸市",
            },
        ],
        "pattern": "",
        "areas": ["care"],
        "summary": (
            "企業や団体の希望に応じて自治体が講師（キャラバン・メイト）を派遣し、"
            "従業員向けに認知症サポーター養成講座を開く取組です。"
        ),
        "overview": (
            "多摩信用金庫は自治体と連携し、従業員向けに講座を開きました。"
            "八王子市の後押しで地域包括支援センターとの連携も円滑に進み、全店で実施しています。"
            "受講した職員は窓口などで認知症の人や家族に寄り添った応対ができるようになり、"
            "気がかりな顧客について地域包括支援センターに相談するなど、"
            "地域ぐるみの支援体制づくりが進んでいます。"
        ),
        "facts": [
            {
                "label": "分野",
                "value": "認知症共生・理解促進",
                "as_of": "",
            },
            {
                "label": "実施自治体",
                "value": "神奈川県横浜市、千葉県千葉市、青森県八戸市など事例多数",
                "as_of": "",
            },
        ],
        "stakeholders": [
            {
                "name": "自治体",
                "role": "講師（キャラバン・メイト）を派遣します。",
            },
            {
                "name": "多摩信用金庫",
                "role": "従業員向けに講座を開き、窓口での応対に生かしています。",
            },
            {
                "name": "地域包括支援センター",
                "role": "支援が必要そうな顧客についての相談先になっています。",
            },
        ],
        "relations": "",
        "process": [],
        "points": [],
        "effects": {},
        "page": 41,
        "pages": "41",
        "keywords": [
            "認知症",
            "認知症サポーター",
            "キャラバン・メイト",
            "従業員研修",
            "金融機関",
            "地域包括支援センター",
        ],
    },
    {
        "slug": "dementia_watch",
        "kind": "reference",
        "number": 2,
        "title": "認知症高齢者等の見守り",
        "companies": [],
        "municipalities": [
            {
                "prefecture": "兵庫県",
                "name": "",
            },
            {
                "prefecture": "新潟県",
                "name": "湯沢市",
            },
            {
                "prefecture": "群馬県",
                "name": "沼田市",
            },
        ],
        "pattern": "",
        "areas": ["daily_life", "care"],
        "summary": (
            "認知症などで行方不明になる高齢者を早く見つけて保護できるよう、"
            "地域の企業や団体も加わって見守り体制を整える取組です。"
        ),
        "overview": (
            "本人や家族があらかじめ自治体に情報を登録しておき、行方不明になったときは警察や消防、"
            "地域包括支援センター、介護事業所に加え、商店街、公共交通機関、郵便局、銀行、"
            "コンビニといった地域の企業・団体に情報が届きます。協力企業の従業員は、"
            "ふだんの仕事の中で高齢者の異変や行方不明の兆しに気づいたら通報などを行います。"
            "名称や運用は自治体ごとに工夫されています。"
        ),
        "facts": [
            {
                "label": "分野",
                "value": "認知症共生・理解促進",
                "as_of": "",
            },
            {
                "label": "実施自治体",
                "value": "兵庫県、新潟県湯沢市、群馬県沼田市など事例多数",
                "as_of": "",
            },
        ],
        "stakeholders": [],
        "relations": "",
        "process": [],
        "points": [],
        "effects": {},
        "page": 41,
        "pages": "41",
        "keywords": ["見守り", "認知症", "行方不明", "徘徊", "早期発見", "見守りネットワーク"],
    },
    {
        "slug": "health_event",
        "kind": "reference",
        "number": 3,
        "title": "健康イベントの開催",
        "companies": [],
        "municipalities": [
            {
                "prefecture": "大阪府",
                "name": "堺市",
            },
            {
                "prefecture": "福島県",
                "name": "桑折町",
            },
            {
                "prefecture": "神奈川県",
                "name": "",
            },
        ],
        "pattern": "",
        "areas": ["prevention"],
        "summary": (
            "市と地元企業、医療団体などが協力し、ショッピングモールなどを会場に、健康の測定・"
            "相談や運動の指導、介護予防の体操を行うイベントを開く取組です。"
        ),
        "overview": (
            "堺市は「健康増進に関する連携協定」をショッピングモール・生命保険会社・製薬会社と結び、"
            "年に1～2回、がん検診の受診率向上などの取組や地域の健康課題について話し合っています。"
            "がん相談支援センターや理学療法士会とも顔の見える関係を築いており、"
            "より多くの住民に健康情報を届けたいという思いから、"
            "ショッピングモールで健康フェスティバルを開いています。"
        ),
        "facts": [
            {
                "label": "分野",
                "value": "健康づくり・介護予防",
                "as_of": "",
            },
            {
                "label": "実施自治体",
                "value": "大阪府堺市、福島県桑折町、神奈川県など事例多数",
                "as_of": "",
            },
            {
                "label": "堺市の協定",
                "value": "「健康増進に関する連携協定」（年に1～2回の取組・意見交換）",
                "as_of": "",
            },
        ],
        "stakeholders": [
            {
                "name": "堺市",
                "role": "連携協定を結び、地域の健康課題を共有します。",
            },
            {
                "name": "ショッピングモール・生命保険会社・製薬会社",
                "role": "協定に基づき、健康イベントを共に開きます。",
            },
            {
                "name": "がん相談支援センター・理学療法士会",
                "role": "疾患の情報共有や事業の実施に協力します。",
            },
        ],
        "relations": "",
        "process": [],
        "points": [],
        "effects": {},
        "page": 41,
        "pages": "41",
        "keywords": [
            "健康づくり",
            "健康イベント",
            "健康測定",
            "健康相談",
            "介護予防",
            "ショッピングモール",
            "がん検診",
        ],
    },
    {
        "slug": "health_point",
        "kind": "reference",
        "number": 4,
        "title": "健康ポイント事業",
        "companies": [],
        "municipalities": [
            {
                "prefecture": "群馬県",
                "name": "",
            },
            {
                "prefecture": "兵庫県",
                "name": "西脇市",
            },
            {
                "prefecture": "静岡県",
                "name": "磐田市",
            },
        ],
        "pattern": "",
        "areas": ["prevention"],
        "summary": (
            "健康に良い行動をアプリで記録・見える化し、"
            "住民の行動変容と健康づくりの継続を促す取組です。"
        ),
        "overview": (
            "兵庫県西脇市を含む4市町は、健康への関心が薄い層に向けて「健康ポイントプログラム」"
            "を実施しています。参加者は活動量計を身につけて歩いたり健康イベントに参加したりしてポイ"
            "ントをため、商品券などに交換できるため、地域経済の活性化にもつながります。"
            "ICTの活用により、自治体はエビデンスに基づく施策展開（EBPM）ができるようになりました。"
        ),
        "facts": [
            {
                "label": "分野",
                "value": "健康づくり・介護予防",
                "as_of": "",
            },
            {
                "label": "実施自治体",
                "value": "群馬県、兵庫県西脇市、静岡県磐田市など事例多数",
                "as_of": "",
            },
            {
                "label": "西脇市の取組",
                "value": "4市町による「健康ポイントプログラム」",
                "as_of": "",
            },
        ],
        "stakeholders": [],
        "relations": "",
        "process": [],
        "points": [],
        "effects": {},
        "page": 41,
        "pages": "41",
        "keywords": ["健康づくり", "健康ポイント", "アプリ", "活動量計", "行動変容", "EBPM", "ICT"],
    },
    {
        "slug": "iwaki_meal_delivery",
        "kind": "reference",
        "number": 5,
        "title": "いわき市配食サービス事業",
        "companies": [],
        "municipalities": [
            {
                "prefecture": "福島県",
                "name": "いわき市",
            },
        ],
        "pattern": "",
        "areas": ["daily_life"],
        "summary": (
            "民間事業者に委託した配食で、配達員が食事を手渡ししながら高齢者の安否を確かめる、"
            "見守りを兼ねた取組です。"
        ),
        "overview": (
            "65歳以上の高齢者や重度身体障害者が対象で、利用者の負担は1日1食、1食350円です。"
            "利用者は年々増え、令和3年時点で1,000人以上が利用しています。"
            "配達のときに異変があればすぐに関係機関へ連絡し、救出につながった例もあります。"
        ),
        "facts": [
            {
                "label": "分野",
                "value": "見守り・安否確認",
                "as_of": "",
            },
            {
                "label": "実施期間",
                "value": "平成12年～",
                "as_of": "",
            },
            {
                "label": "対象",
                "value": "65歳以上の高齢者や重度身体障害者",
                "as_of": "",
            },
            {
                "label": "利用者負担",
                "value": "1日1食・1食350円",
                "as_of": "",
            },
            {
                "label": "利用者数",
                "value": "1,000人以上",
                "as_of": "令和3年",
            },
        ],
        "stakeholders": [],
        "relations": "",
        "process": [],
        "points": [],
        "effects": {},
        "page": 42,
        "pages": "42",
        "keywords": ["見守り", "安否確認", "配食", "食事", "委託"],
    },
    {
        "slug": "assabu_watch_robot",
        "kind": "reference",
        "number": 6,
        "title": "見守りロボット設置事業",
        "companies": [],
        "municipalities": [
            {
                "prefecture": "北海道",
                "name": "厚沢部町",
            },
        ],
        "pattern": "",
        "areas": ["daily_life"],
        "summary": (
            "厚沢部町が、見守りロボットを使って一人で暮らす高齢者を見守るシステムを導入した事例です"
            "。"
        ),
        "overview": (
            "町外に親族が住む高齢者が増え、見守り活動の担い手も足りなくなったことから導入しました。"
            "ロボットは健康チェックや予定の管理、情報提供のほか、"
            "親族や支援センターとビデオ通話をする機能を備え、"
            "緊急時には離れた場所から映像を確認することもできます。"
        ),
        "facts": [
            {
                "label": "分野",
                "value": "見守り・安否確認",
                "as_of": "",
            },
            {
                "label": "実証実験",
                "value": "平成30年度",
                "as_of": "",
            },
            {
                "label": "本格実施",
                "value": "令和3年度～",
                "as_of": "",
            },
        ],
        "stakeholders": [],
        "relations": "",
        "process": [],
        "points": [],
        "effects": {},
        "page": 42,
        "pages": "42",
        "keywords": ["見守り", "安否確認", "見守りロボット", "ビデオ通話", "健康チェック", "ICT"],
    },
    {
        "slug": "sakai_ashita",
        "kind": "reference",
        "number": 7,
        "title": "「あ・し・た」プロジェクト",
        "companies": [],
        "municipalities": [
            {
                "prefecture": "大阪府",
                "name": "堺市",
            },
        ],
        "pattern": "",
        "areas": ["prevention"],
        "summary": (
            "堺市が、要介護状態ではない元気な高齢者の介護予防を、"
            "SIB/PFSの仕組みで民間企業と進めた事例です。"
        ),
        "overview": (
            "「歩く」「喋る」「食べる」（身体活動・社会参加・食生活）の三つを軸に、"
            "介護予防につながる行動の変化を促します。民間企業から新しい手法のアイデアを募り、"
            "効果が見込める事業は公募で事業者を選んで24か月間実施し、"
            "効果の検証と成果の見える化を行いました。"
        ),
        "facts": [
            {
                "label": "分野",
                "value": "健康増進・介護予防",
                "as_of": "",
            },
            {
                "label": "実施期間",
                "value": "令和元年度～",
                "as_of": "",
            },
            {
                "label": "事業期間",
                "value": "24か月間",
                "as_of": "",
            },
            {
                "label": "手法",
                "value": "SIB/PFS（成果連動型民間委託）",
                "as_of": "",
            },
        ],
        "stakeholders": [],
        "relations": "",
        "process": [],
        "points": [],
        "effects": {},
        "page": 42,
        "pages": "42",
        "keywords": ["介護予防", "健康増進", "SIB", "PFS", "成果連動", "社会参加", "食生活"],
    },
    {
        "slug": "choco_zap",
        "kind": "reference",
        "number": 8,
        "title": "官民連携コンビニジム",
        "companies": ["RIZAP"],
        "municipalities": [
            {
                "prefecture": "兵庫県",
                "name": "養父市",
            },
            {
                "prefecture": "静岡県",
                "name": "牧之原市",
            },
        ],
        "pattern": "",
        "areas": ["prevention"],
        "summary": (
            "RIZAPが自治体と提携し、余っているスペースを生かしてコンビニジム「chocoZAP」を出店し、"
            "住民の健康づくりを支える取組です。"
        ),
        "overview": (
            "運動できる場所を地域に用意するとともに、自治体向けの「成果報酬型」"
            "健康増進プログラムとして、住民が参加する3か月間のプログラムも提供しています。"
        ),
        "facts": [
            {
                "label": "分野",
                "value": "健康増進・介護予防",
                "as_of": "",
            },
            {
                "label": "実施期間",
                "value": "令和5年度～",
                "as_of": "",
            },
            {
                "label": "健康増進プログラム",
                "value": "地域住民向けの3か月間のプログラム（成果報酬型）",
                "as_of": "",
            },
        ],
        "stakeholders": [],
        "relations": "",
        "process": [],
        "points": [],
        "effects": {},
        "page": 42,
        "pages": "42",
        "keywords": ["運動", "ジム", "chocoZAP", "健康増進", "介護予防", "成果報酬"],
    },
    {
        "slug": "gber",
        "kind": "reference",
        "number": 9,
        "title": "GBER",
        "companies": [],
        "municipalities": [
            {
                "prefecture": "千葉県",
                "name": "柏市",
            },
            {
                "prefecture": "神奈川県",
                "name": "鎌倉市",
            },
        ],
        "pattern": "",
        "areas": ["prevention", "daily_life"],
        "summary": (
            "働きたい高齢者と人手不足の事業者をITで結ぶ地域マッチングプラットフォームで、"
            "高齢者の就労や社会参加を支えます。"
        ),
        "overview": (
            "フレイル予防による健康維持と地域の活性化を同時にめざしています。"
            "庭木の剪定や電球の交換、掃除といった仕事も仲介され、"
            "高齢者の日常生活を支える仕組みとしても機能しています。"
        ),
        "facts": [
            {
                "label": "分野",
                "value": "日常生活支援",
                "as_of": "",
            },
            {
                "label": "実施期間",
                "value": "平成28年～実証実験、本格導入",
                "as_of": "",
            },
        ],
        "stakeholders": [],
        "relations": "",
        "process": [],
        "points": [],
        "effects": {},
        "page": 42,
        "pages": "42",
        "keywords": ["就労", "社会参加", "マッチング", "フレイル予防", "生活支援", "IT"],
    },
    {
        "slug": "tenri_mimamoriai",
        "kind": "reference",
        "number": 10,
        "title": "みまもりあいプロジェクト",
        "companies": [],
        "municipalities": [
            {
                "prefecture": "奈良県",
                "name": "天理市",
            },
        ],
        "pattern": "",
        "areas": ["daily_life"],
        "summary": (
            "天理市が、ICTを使った多世代の見守りと地域ボランティアとのマッチングで、"
            "高齢者の日常の困りごとや孤独・孤立に対応する取組です。"
        ),
        "overview": (
            "認知症や体の弱った高齢者の迷子、孤独・孤立、"
            "掃除や買い物といった軽い生活上の困りごとの解決をめざしています。"
            "見守りとボランティアによる支え合いを組み合わせ、"
            "住み慣れた地域で暮らし続けられる環境づくりを進めています。"
        ),
        "facts": [
            {
                "label": "分野",
                "value": "日常生活支援",
                "as_of": "",
            },
            {
                "label": "実施期間",
                "value": "令和3年度実証、その後本格運用",
                "as_of": "",
            },
        ],
        "stakeholders": [],
        "relations": "",
        "process": [],
        "points": [],
        "effects": {},
        "page": 42,
        "pages": "42",
        "keywords": ["見守り", "みまもり", "ICT", "ボランティア", "孤独・孤立", "多世代", "互助"],
    },
]

# 両方の対象に同じ趣旨で書かれている確認ポイント（福祉関係者側, 民間企業側）。
# 二者の見え方の差（ギャップ）を、同じ論点どうしで並べて比べるために使う。
SHARED_POINTS: list[tuple[PointKey, PointKey]] = [
    (("welfare", "design", 2), ("company", "design", 2)),  # 目的・役割分担・目標の共有 p.14 / p.20
    (("welfare", "design", 3), ("company", "design", 3)),  # 既存サービスとの調整 p.14 / p.21
    (
        ("welfare", "implementation", 4),
        ("company", "implementation", 3),
    ),  # モニタリング p.16 / p.23
    (("welfare", "implementation", 5), ("company", "implementation", 4)),  # 共通のKPI p.16 / p.23
]
