"""The worksheet's writing hints and starting templates."""

from __future__ import annotations

from typing import TypedDict

# --- The shape of each entry (only for the type checker: the data below are plain dicts) ------


class FieldGuidanceData(TypedDict):
    label: str
    hint: str
    example: str
    page: int


class TemplateStakeholderData(TypedDict):
    name: str
    roles: list[str]


# "from" is a Python keyword, hence the functional form.
TemplateExchangeData = TypedDict(
    "TemplateExchangeData", {"from": str, "to": str, "items": list[str]}
)


class TemplateRiskData(TypedDict):
    description: str
    mitigation: str
    owner: str


class TemplateKpiData(TypedDict):
    group: str
    name: str
    target: str


class WorksheetTemplateData(TypedDict):
    label: str
    description: str
    title: str
    region: str
    service_area: str
    pattern: str
    fields: dict[str, str]  # field key → text
    stakeholders: list[TemplateStakeholderData]
    exchanges: list[TemplateExchangeData]
    risks: list[TemplateRiskData]
    kpis: list[TemplateKpiData]


# --- The content --------------------------------------------------------------------------------

# 新規作成時のひな形。guide_example は p.26 の記入例をそのまま収録（比較テストあり）。
WORKSHEET_TEMPLATES: dict[str, WorksheetTemplateData] = {
    "guide_example": {
        "label": "ポイント集の記入例（p.26 デマンド交通）",
        "description": (
            "ポイント集p.26の記入例（A圏域・B圏域のデマンド交通）をそのまま収録したひな形です。"
        ),
        "title": "A圏域・B圏域のデマンド交通",
        "region": "A圏域・B圏域",
        "service_area": "mobility",
        "pattern": "new_business",
        "fields": {
            "persona": (
                "A圏域とB圏域に住む独居高齢者\n"
                "運転免許を返納済みだがまだアクティブで、買い物や仲間内の集まりに行きたい\n"
                "隣町に暮らす家族の送迎に頼っている"
            ),
            "problem": (
                "遠隔地であるA圏域・B圏域に居住する高齢者が、"
                "家族に頼らず中心地に移動するための移動手段を確保する。"
            ),
            "activity": "〇〇社の遊休車両を活用したデマンド交通の提供",
            "target_users": "A圏域・B圏域に居住する免許返納後の高齢者",
            "user_benefits": "中心地までの移動手段の確保\n外出と対話の機会増加による健康度の向上",
            "business_benefits": "事業収益\n地域での企業知名度・イメージ向上、本業での売り上げ向上",
            "region_benefits": (
                "地域高齢者の健康度の向上\n要支援・介護度の抑制による社会保障費の抑制\n"
                "現行の行政サービスの縮小"
            ),
            "evaluation_method": (
                "右記のKPIを1年に1回（可能なものは都度）測定する。\n"
                "特に「利用者数」を最優先の共通KPIとして測定と改善を図る。\n"
                "そのために、自治体主導で1年に1回ほど各自治会へのヒアリングを行う。\n"
                "その結果をもとに、事業者と自治体で、"
                "運行済みの圏域での課題と新たな運行エリアの企画を行う。"
            ),
            "evaluation_frequency": "",
            "evaluation_by": "",
        },
        "stakeholders": [
            {
                "name": "〇〇社",
                "roles": ["サービスの運行", "設備の提供・メンテナンス", "人材の確保・教育"],
            },
            {
                "name": "自治体",
                "roles": ["地域ニーズの把握・情報提供", "集客", "事業実装初期段階の財政支援"],
            },
            {
                "name": "A,B自治会・〇〇地域包括支援センター",
                "roles": ["ニーズ調査への協力"],
            },
            {
                "name": "地元タクシー事業者",
                "roles": ["補完的な車両・ドライバーの提供"],
            },
        ],
        "exchanges": [
            {
                "from": "user",
                "to": "business",
                "items": ["利用料"],
            },
            {
                "from": "business",
                "to": "user",
                "items": ["移動手段"],
            },
            {
                "from": "user",
                "to": "region",
                "items": ["ニーズ情報"],
            },
            {
                "from": "region",
                "to": "business",
                "items": ["ニーズ情報", "財政的支援"],
            },
        ],
        "risks": [
            {
                "description": "行政が既に提供している福祉交通サービスとの役割分担が必要",
                "mitigation": "",
                "owner": "",
            },
            {
                "description": "民間交通事業者への民業圧迫にならないための棲み分け・調整が必要",
                "mitigation": "",
                "owner": "",
            },
        ],
        "kpis": [
            {
                "group": "common",
                "name": "利用者数（年間）",
                "target": "延べ1,000人、実人数500人",
            },
            {
                "group": "regional",
                "name": "利用者の外出頻度増加",
                "target": "利用者アンケートにおける「週1回以上増えた」の回答80%",
            },
            {
                "group": "regional",
                "name": "利用者の主観的健康度の向上",
                "target": "利用者アンケートにおける「利用前より健康になったと思う」の回答90%",
            },
            {
                "group": "business",
                "name": "企業知名度の向上",
                "target": "利用者アンケートにおける「初めて知った」の回答30%",
            },
            {
                "group": "business",
                "name": "本事業経由での顧客獲得",
                "target": (
                    "利用者アンケートにおける「移動サービスを利用してから使うようになった」"
                    "の回答10%"
                ),
            },
        ],
    },
    "choisoko": {
        "label": "事例から始める：チョイソコ（豊明市×アイシン）",
        "description": "予約制の乗合送迎（事例①）を題材に、各欄の埋め方を示したひな形です。",
        "title": "予約制乗合送迎による高齢者の外出支援",
        "region": "愛知県豊明市",
        "service_area": "mobility",
        "pattern": "new_business",
        "fields": {
            "persona": (
                "市内に住み、車の運転をやめた高齢者\n"
                "バス停まで歩くのが負担で、通院や買い物は家族の送迎に頼りがち\n"
                "気軽に出かけられる手段があれば、集まりや買い物にもっと出かけたい"
            ),
            "problem": (
                "路線バスやコミュニティバスだけでは移動しにくい地域の高齢者が、通院・買い物・"
                "集いの場へ自分で出かけられる手段を確保する。"
            ),
            "activity": (
                "予約に応じて運行し、AIが経路と相乗りを計算する乗合送迎サービスを、"
                "決まった停留所の間で運行する。電話予約も受け付け、外出を促すイベント（コトづくり）"
                "と組み合わせる。"
            ),
            "target_users": (
                "運行エリアに住む会員登録者（小学生以上）。主に、運転をしない・"
                "やめた高齢者を想定する。"
            ),
            "user_benefits": (
                "片道数百円程度で、自宅近くの停留所から目的地まで移動できる\n"
                "外出の機会が増え、生活機能の維持につながる"
            ),
            "business_benefits": (
                "運賃とエリアスポンサーの協賛金・広告料による収入\n"
                "自治体や国からの認知の向上と、他地域への展開の足がかり"
            ),
            "region_benefits": (
                "高齢者の外出の増加と、生活機能（IADL）の低下の抑制\n"
                "撤退したコミュニティバスの費用を振り向けた、負担の少ない移動手段の確保\n"
                "協賛する地元の店舗への来客の増加"
            ),
            "evaluation_method": (
                "乗車数・利用者数を集計し、マッチング率や乗り合い率を見ながら運行を改善する。\n"
                "利用者アンケートで外出頻度の変化を確かめる。\n"
                "運行エリアの追加は、試行運行と住民へのヒアリングで判断する。"
            ),
            "evaluation_frequency": "乗車数は毎月、アンケートは年1回",
            "evaluation_by": "豊明市（健康福祉部・公共交通担当）とアイシンが共同で",
        },
        "stakeholders": [
            {
                "name": "アイシン",
                "roles": [
                    "サービスの開発・運営",
                    "トライアル実証の費用負担",
                    "コールセンターの運営",
                ],
            },
            {
                "name": "豊明市 健康福祉部",
                "roles": [
                    "地域ケア会議などによる課題の把握",
                    "住民説明会・ヒアリングの実施",
                    "停留所の検討",
                ],
            },
            {
                "name": "豊明市 公共交通担当",
                "roles": [
                    "法的な整理",
                    "既存の公共交通機関との利害調整",
                    "地域公共交通会議での合意形成",
                    "負担金の拠出",
                ],
            },
            {
                "name": "エリアスポンサー（地元企業・店舗など）",
                "roles": ["協賛金・広告料による運営費の支援"],
            },
            {
                "name": "地元タクシー会社",
                "roles": ["3者の協定に基づく事業への参加"],
            },
        ],
        "exchanges": [
            {
                "from": "user",
                "to": "business",
                "items": ["運賃（片道数百円程度）"],
            },
            {
                "from": "business",
                "to": "user",
                "items": ["予約制の乗合送迎"],
            },
            {
                "from": "user",
                "to": "region",
                "items": ["移動や外出に関するニーズ情報"],
            },
            {
                "from": "region",
                "to": "user",
                "items": ["説明会での利用案内"],
            },
            {
                "from": "region",
                "to": "business",
                "items": ["住民ニーズの情報", "負担金"],
            },
            {
                "from": "business",
                "to": "region",
                "items": ["乗車数などの運行データ"],
            },
        ],
        "risks": [
            {
                "description": "既存のバス路線とサービスが重なる",
                "mitigation": "サービス内容をすり合わせ、バス路線と範囲を分ける",
                "owner": "アイシン・公共交通担当",
            },
            {
                "description": "タクシー事業者の経営を圧迫する",
                "mitigation": "タクシー会社を事業に巻き込み、3者の協定を結んで運行する",
                "owner": "公共交通担当",
            },
            {
                "description": "IT機器に不慣れな高齢者が予約できない",
                "mitigation": "電話予約を残し、住民説明会で使い方を案内する",
                "owner": "アイシン・健康福祉部",
            },
            {
                "description": "自治体の負担が膨らみ、事業が続かなくなる",
                "mitigation": (
                    "撤退したコミュニティバスの費用を負担金に充て、協賛収入で運営費を補う"
                ),
                "owner": "公共交通担当",
            },
        ],
        "kpis": [
            {
                "group": "common",
                "name": "乗車数（年間）",
                "target": "自治体と合意した目標値を達成する",
            },
            {
                "group": "regional",
                "name": "利用者の外出頻度",
                "target": "アンケートで外出が増えたと答える人の割合を前年度より高める",
            },
            {
                "group": "regional",
                "name": "利用者の生活機能（IADL）",
                "target": "利用者のIADLを維持する",
            },
            {
                "group": "business",
                "name": "エリアスポンサー数",
                "target": "前年度より増やす",
            },
            {
                "group": "business",
                "name": "マッチング率・乗り合い率",
                "target": "前年度より改善する",
            },
        ],
    },
    "welcia": {
        "label": "事例から始める：うえたん号・ウエルカフェ（行田市×ウエルシア）",
        "description": (
            "移動販売とコミュニティスペース（事例②）を題材に、各欄の埋め方を示したひな形です。"
        ),
        "title": "移動販売と店舗内の居場所づくりによる買い物・交流支援",
        "region": "埼玉県行田市",
        "service_area": "daily_life",
        "pattern": "new_business",
        "fields": {
            "persona": (
                "市内の店が遠い地域に一人で暮らす高齢者\n"
                "車を使えず、日々の食料品や薬の買い物に困っている\n"
                "人と話す機会が少なく、家にこもりがち"
            ),
            "problem": (
                "買い物が不便な地域の高齢者が、身近な場所で食料品や日用品・薬を買え、"
                "健康の相談や人との交流もできるようにする。"
            ),
            "activity": (
                "移動販売車「うえたん号」で食品・日用品・一般用医薬品を販売し、"
                "車載モニターで薬剤師や管理栄養士へのオンライン健康相談を提供する。"
                "店舗内のウエルカフェで、市・社会福祉協議会と健康講座やサロンを開く。"
            ),
            "target_users": (
                "移動販売の停車場所の近くに住む高齢者と、ウエルカフェの講座に参加する住民"
            ),
            "user_benefits": (
                "歩いて行ける場所で買い物ができる\n薬剤師や管理栄養士に気軽に相談できる\n"
                "利用者どうしの会話や助け合いが生まれる"
            ),
            "business_benefits": (
                "移動販売の売上（5年経過以降の黒字化を見込む）\n店舗の買い物客・処方箋客の増加\n"
                "株主や地域住民からの信頼と企業イメージの向上"
            ),
            "region_benefits": (
                "高齢者の外出と交流の機会が増える\n買い物の支援と健康相談を通じて介護予防に役立つ\n"
                "地域共生社会づくりが進む"
            ),
            "evaluation_method": (
                "停車場所ごとの集客数を記録し、市と共有する。\n"
                "集客が伸びない場所は自治会に聞き取りを行い、ルートや停車時間を見直す。\n"
                "利用者の声や、販売前後の交流・体操の様子も確かめる。"
            ),
            "evaluation_frequency": "集客数は毎月、ルートの見直しは半年ごと",
            "evaluation_by": "行田市（高齢者福祉課・地域共生社会推進課）とウエルシア薬局が共同で",
        },
        "stakeholders": [
            {
                "name": "ウエルシア薬局",
                "roles": [
                    "移動販売の車両と人材の提供",
                    "ウエルカフェのスペースの無料提供",
                    "薬剤師・管理栄養士によるオンライン健康相談",
                ],
            },
            {
                "name": "行田市（高齢者福祉課・地域共生社会推進課）",
                "roles": ["協定の締結", "自治会への需要の聞き取り", "集客の支援"],
            },
            {
                "name": "行田市社会福祉協議会",
                "roles": ["ウエルカフェでのサロン・講座の共催"],
            },
            {
                "name": "自治会",
                "roles": ["需要の聞き取りへの協力", "停車場所の周知"],
            },
        ],
        "exchanges": [
            {
                "from": "user",
                "to": "business",
                "items": ["商品の代金"],
            },
            {
                "from": "business",
                "to": "user",
                "items": ["商品", "健康相談"],
            },
            {
                "from": "user",
                "to": "region",
                "items": ["買い物や健康に関するニーズ情報"],
            },
            {
                "from": "region",
                "to": "user",
                "items": ["講座・サロンの案内"],
            },
            {
                "from": "region",
                "to": "business",
                "items": ["自治会ごとの需要の情報", "集客の協力"],
            },
            {
                "from": "business",
                "to": "region",
                "items": ["集客数の報告", "講座やサロンの会場"],
            },
        ],
        "risks": [
            {
                "description": "地元の商店と競合する",
                "mitigation": "停車場所とルートを地元の店と重ならないよう市と調整する",
                "owner": "行田市",
            },
            {
                "description": "集客が足りず、赤字が続く",
                "mitigation": "集客数を共通の指標とし、集客の方法を市と一緒に考える",
                "owner": "ウエルシア薬局・行田市",
            },
            {
                "description": "医薬品を適切に販売できない",
                "mitigation": "一般用医薬品は事前注文とし、専門職が対応する",
                "owner": "ウエルシア薬局",
            },
        ],
        "kpis": [
            {
                "group": "common",
                "name": "集客数（停車場所ごと）",
                "target": "事業継続に必要な目標集客数を満たす",
            },
            {
                "group": "regional",
                "name": "利用者の外出頻度",
                "target": "アンケートで外出が増えたと答える人の割合を高める",
            },
            {
                "group": "regional",
                "name": "利用者どうしの交流",
                "target": "販売の前後に自主的な活動が生まれる停車場所を増やす",
            },
            {
                "group": "business",
                "name": "移動販売事業の収支",
                "target": "5年経過以降に黒字化する",
            },
            {
                "group": "business",
                "name": "移動販売をきっかけとした店舗の新規顧客",
                "target": "前年度より増やす",
            },
        ],
    },
    "green_slow_mobility": {
        "label": "事例から始める：グリーンスローモビリティ（王寺町×ヤマハ発動機）",
        "description": (
            "小型EVによる移動サービス（事例③）を題材に、各欄の埋め方を示したひな形です。"
        ),
        "title": "グリスロによる近距離の移動と交流の支援",
        "region": "奈良県王寺町",
        "service_area": "mobility",
        "pattern": "customize",
        "fields": {
            "persona": (
                "町内の住宅地に住む高齢者\nバス停まで歩くのが負担で、買い物や外出を控えがち\n"
                "近所の人と話す機会が減っている"
            ),
            "problem": (
                "バスが通りにくい住宅地の高齢者が、"
                "スーパーや駅など身近な目的地へ気軽に出かけられる移動手段を確保する。"
            ),
            "activity": (
                "時速20km未満の小型EV（グリスロ）を、"
                "スーパーや既存のバス路線と共存するルートで運行する。"
                "自治会を含む運行チームで運行を担う。"
            ),
            "target_users": "運行ルート沿いに住む高齢者と、運転に不安のある住民",
            "user_benefits": (
                "近所への移動が楽になり、外出の頻度と範囲が広がる\n乗車中の会話で人との交流が増える"
            ),
            "business_benefits": (
                "車両の販売\n介護予防の効果が知られることによる企業イメージの向上\n"
                "SIB/PFSを適用したモデルづくりに向けた実績"
            ),
            "region_benefits": (
                "住民の要支援・要介護リスクの低下\n外出や交流の増加と前向きな気持ちの変化\n"
                "スーパーやバス路線など既存の地域資源の利用促進"
            ),
            "evaluation_method": (
                "運行ごとの乗車人数を記録する。\n"
                "利用者アンケートで外出頻度・交流・気持ちの変化を確かめる。\n"
                "大学と連携し、要支援・要介護リスクの変化を検証する。"
            ),
            "evaluation_frequency": "乗車人数は毎月、アンケートは年1回",
            "evaluation_by": "王寺町（政策推進課）が運行チーム・ヤマハ発動機と協力して",
        },
        "stakeholders": [
            {
                "name": "ヤマハ発動機",
                "roles": [
                    "車両の開発・提供",
                    "ドライバー講習の提供",
                    "他地域の知見や営業支援の素材の共有",
                ],
            },
            {
                "name": "王寺町（政策推進課）",
                "roles": [
                    "運行主体",
                    "住民アンケートによる課題の把握",
                    "ルートの設定と既存事業者との調整",
                ],
            },
            {
                "name": "自治会",
                "roles": ["運行チームへの参加", "住民への周知"],
            },
            {
                "name": "地域事業者等",
                "roles": ["車両の管理・運行"],
            },
            {
                "name": "千葉大学",
                "roles": ["健康への効果の共同研究"],
            },
        ],
        "exchanges": [
            {
                "from": "user",
                "to": "region",
                "items": ["利用の感想・移動のニーズ"],
            },
            {
                "from": "region",
                "to": "user",
                "items": ["グリスロによる移動手段"],
            },
            {
                "from": "region",
                "to": "business",
                "items": ["車両の購入費", "運行と効果のデータ"],
            },
            {
                "from": "business",
                "to": "region",
                "items": ["車両", "ドライバー講習"],
            },
        ],
        "risks": [
            {
                "description": "既存のバス路線やタクシーと競合する",
                "mitigation": "既存路線と共存するルートを設定する",
                "owner": "王寺町",
            },
            {
                "description": "ドライバーの確保と安全な運行",
                "mitigation": "講習を受けた運行チームで運行する",
                "owner": "王寺町・ヤマハ発動機",
            },
            {
                "description": "車両費などの財政負担が続けられない",
                "mitigation": "効果の検証結果をもとに、SIB/PFSなど成果に連動する仕組みを検討する",
                "owner": "王寺町・ヤマハ発動機",
            },
        ],
        "kpis": [
            {
                "group": "common",
                "name": "乗車人数（年間）",
                "target": "前年度より増やす",
            },
            {
                "group": "regional",
                "name": "利用者の外出頻度・行動範囲",
                "target": "アンケートで増えたと答える人の割合を高める",
            },
            {
                "group": "regional",
                "name": "利用者の要支援・要介護リスク点数",
                "target": "利用者の点数を下げる",
            },
            {
                "group": "business",
                "name": "導入・実証地域数",
                "target": "横展開により増やす",
            },
            {
                "group": "business",
                "name": "SIB/PFSを適用したモデル",
                "target": "モデルを構築し、導入地域を広げる",
            },
        ],
    },
}
