"""What the generator writes in words, per locale: names of people, companies, units, titles.

A ``Locale`` is plain data; ``LOCALES`` maps the ``--locale`` option to one. Japanese
companies name units 本部 > 部 > 課 > グループ and title their heads after them
(情報システム本部長, インフラ部長, ネットワーク課長); English ones use Division > Department >
Section > Team and VP / Director / Manager / Team Lead.
"""

from __future__ import annotations

from dataclasses import dataclass


def _words(text: str) -> tuple[str, ...]:
    """Space-separated words as a tuple (keeps long vocabularies compact)."""
    return tuple(text.split())


def _items(text: str) -> tuple[str, ...]:
    """Comma-separated items as a tuple, for items that contain spaces."""
    return tuple(item.strip() for item in text.split(",") if item.strip())


@dataclass(frozen=True)
class Locale:
    """Every word the generator needs in one language.

    ``units[f]`` is (top unit stem, sub-unit stems) for function ``f``; ``unit_suffix`` and
    ``head_title`` are indexed by unit rank (0 division … 3 team) and ``head_title`` entries
    are formats over ``{unit}`` (the unit's full name) and ``{stem}``.
    """

    code: str
    family_names: tuple[str, ...]
    given_names: tuple[str, ...]
    name_format: str
    self_name: str
    company_stems: tuple[str, ...]
    businesses: tuple[tuple[str, str], ...]
    regions: tuple[str, ...]
    holdings_format: str
    subsidiary_format: str
    regional_format: str
    affiliate_format: str
    units: dict[str, tuple[str, tuple[str, ...]]]
    unit_suffix: tuple[str, str, str, str]
    unit_format: str
    numbered_format: str
    head_title: tuple[str, str, str, str]
    deputy_title: str
    chief_title: str
    ceo_title: str
    staff_titles: dict[str, tuple[str, ...]]
    generic_staff_titles: tuple[str, ...]
    self_units: tuple[str, str, str, str]
    self_titles: dict[str, str]
    opportunity_format: str
    yen_per_unit: int


_JA_BUSINESSES = (
    ("ロジスティクス", "Logistics"),
    ("ソリューションズ", "IT Services"),
    ("精機", "Manufacturing"),
    ("化学", "Chemicals"),
    ("電機", "Electronics"),
    ("不動産", "Real Estate"),
    ("フィナンシャル", "Financial Services"),
    ("エンジニアリング", "Engineering"),
    ("商事", "Trading"),
    ("メディカル", "Healthcare"),
    ("食品", "Food"),
    ("建設", "Construction"),
    ("エナジー", "Energy"),
    ("リース", "Leasing"),
    ("ビジネスサービス", "Business Services"),
    ("テクノロジーズ", "Technology"),
)

_EN_BUSINESSES = (
    ("Logistics", "Logistics"),
    ("Solutions", "IT Services"),
    ("Precision", "Manufacturing"),
    ("Chemicals", "Chemicals"),
    ("Electric", "Electronics"),
    ("Realty", "Real Estate"),
    ("Financial", "Financial Services"),
    ("Engineering", "Engineering"),
    ("Trading", "Trading"),
    ("Medical", "Healthcare"),
    ("Foods", "Food"),
    ("Construction", "Construction"),
    ("Energy", "Energy"),
    ("Leasing", "Leasing"),
    ("Business Services", "Business Services"),
    ("Technologies", "Technology"),
)

JA = Locale(
    code="ja",
    family_names=_words(
        "佐藤 鈴木 高橋 田中 伊藤 渡辺 山本 中村 小林 加藤 吉田 山田 佐々木 "
        "山口 松本 井上 木村 林 斎藤 清水 山崎 森 池田 橋本 阿部 石川 山下 "
        "中島 石井 小川 前田 岡田 長谷川 藤田 後藤 近藤 村上 遠藤 青木 坂本 "
        "斉藤 福田 太田 西村 藤井 金子 岡本 藤原 中野 三浦"
    ),
    given_names=_words(
        "健 翔 大輔 拓也 直樹 誠 浩 隆 剛 亮 陽介 健太 和也 達也 悠斗 蓮 "
        "大樹 修 聡 学 美咲 陽子 恵 真由美 愛 彩 由美 裕子 直美 明美 花子 "
        "結衣 葵 さくら 舞 麻衣 千尋 智子 京子 優子"
    ),
    name_format="{family} {given}",
    self_name="ネクサシステムズ",
    company_stems=_words(
        "海塔 東邦 北斗 瑞穂 大和 翠峰 朝陽 白鷺 青葉 光洋 千代田 明和 日輪 若葉 富岳 紅陽"
    ),
    businesses=_JA_BUSINESSES,
    regions=_words("北海道 東北 関東 中部 関西 中国 四国 九州 東日本 西日本 アジア 北米 欧州"),
    holdings_format="{stem}ホールディングス",
    subsidiary_format="{stem}{business}",
    regional_format="{parent}{region}",
    affiliate_format="{other}{business}",
    units={
        "IT": (
            "情報システム",
            _words("インフラ アプリケーション開発 セキュリティ データ基盤 IT企画 ヘルプデスク"),
        ),
        "Sales": ("営業", _words("第一営業 第二営業 法人営業 海外営業 営業企画 代理店営業")),
        "Finance": ("財務経理", _words("経理 財務 管理会計 税務 IR")),
        "HR": ("人事", _words("人事企画 労務 人材開発 採用 給与厚生")),
        "Operations": ("生産", _words("生産管理 品質保証 物流 製造技術 調達物流 工場管理")),
        "Marketing": (
            "マーケティング",
            _words("ブランド戦略 デジタルマーケティング 広報 市場調査"),
        ),
        "Procurement": ("購買", _words("購買企画 資材調達 間接材購買")),
        "R&D": ("研究開発", _words("基礎研究 製品開発 設計 技術企画 知的財産")),
        "Legal": ("法務", _words("法務 コンプライアンス 契約管理")),
        "Corporate Planning": ("経営企画", _words("経営戦略 事業開発 グループ管理")),
    },
    unit_suffix=("本部", "部", "課", "グループ"),
    unit_format="{stem}{suffix}",
    numbered_format="{stem}第{n}",
    head_title=("{unit}長", "{unit}長", "{unit}長", "{stem}グループリーダー"),
    deputy_title="{unit} 副{suffix}長",
    chief_title="執行役員 {chief}",
    ceo_title="代表取締役社長",
    staff_titles={
        "IT": ("システムエンジニア", "インフラエンジニア", "主任", "担当"),
        "Sales": ("営業担当", "主任", "アカウントマネージャー"),
        "Finance": ("経理担当", "主任", "財務担当"),
        "HR": ("人事担当", "主任", "労務担当"),
        "Operations": ("生産管理担当", "主任", "技師"),
        "Marketing": ("マーケティング担当", "主任", "プランナー"),
        "Procurement": ("購買担当", "バイヤー", "主任"),
        "R&D": ("研究員", "主任研究員", "設計エンジニア"),
        "Legal": ("法務担当", "主任"),
    },
    generic_staff_titles=("担当", "主任", "係長"),
    self_units=(
        "営業本部",
        "エンタープライズ営業部",
        "インサイドセールス部",
        "ソリューション技術部",
    ),
    self_titles={
        "CEO": "代表取締役社長",
        "CRO": "執行役員 CRO",
        "CTO": "執行役員 CTO",
        "AE": "アカウントエグゼクティブ",
        "BDR": "インサイドセールス（BDR）",
        "SE": "セールスエンジニア",
    },
    opportunity_format="{product} 導入",
    yen_per_unit=1,
)

EN = Locale(
    code="en",
    family_names=_words(
        "Smith Johnson Williams Brown Jones Garcia Miller Davis "
        "Rodriguez Martinez Hernandez Lopez Wilson Anderson Thomas "
        "Taylor Moore Jackson Martin Lee Thompson White Harris Clark "
        "Lewis Robinson Walker Young Allen King Wright Scott Green "
        "Baker Adams Nelson Hill Campbell Mitchell Carter"
    ),
    given_names=_words(
        "James Mary Robert Patricia John Jennifer Michael Linda David "
        "Elizabeth William Barbara Richard Susan Joseph Jessica "
        "Thomas Sarah Daniel Karen Matthew Emily Anthony Olivia Mark "
        "Emma Steven Sophia Andrew Grace Kevin Chloe"
    ),
    name_format="{given} {family}",
    self_name="Nexa Systems",
    company_stems=_words(
        "Kaito Northstar Meridian Bluefield Harbor Summit Crescent "
        "Evergreen Ironwood Silverline Redwood Lakeshore Granite "
        "Aurora"
    ),
    businesses=_EN_BUSINESSES,
    regions=_items(
        "West,East,Central,South,North,Pacific,Atlantic,Asia Pacific,"
        "North America,Europe,Latin America"
    ),
    holdings_format="{stem} Holdings",
    subsidiary_format="{stem} {business}",
    regional_format="{parent} {region}",
    affiliate_format="{other} {business}",
    units={
        "IT": (
            "IT",
            _items(
                "Infrastructure, Application Development, Security, Data Platform, "
                "IT Planning, Service Desk"
            ),
        ),
        "Sales": (
            "Sales",
            _items(
                "Enterprise Sales, Commercial Sales, Global Sales, Channel Sales, Sales Operations"
            ),
        ),
        "Finance": ("Finance", _items("Accounting, Treasury, FP&A, Tax, Investor Relations")),
        "HR": (
            "Human Resources",
            _items("HR Planning, Labor Relations, Learning, Recruiting, Payroll & Benefits"),
        ),
        "Operations": (
            "Operations",
            _items(
                "Production Control, Quality Assurance, Logistics, "
                "Manufacturing Engineering, Plant Management"
            ),
        ),
        "Marketing": (
            "Marketing",
            _items("Brand Strategy, Digital Marketing, Communications, Market Research"),
        ),
        "Procurement": (
            "Procurement",
            _items("Sourcing, Direct Procurement, Indirect Procurement"),
        ),
        "R&D": ("R&D", _items("Research, Product Development, Design, Technology Planning, IP")),
        "Legal": ("Legal", _items("Corporate Legal, Compliance, Contracts")),
        "Corporate Planning": (
            "Corporate Planning",
            _items("Strategy, Business Development, Group Management"),
        ),
    },
    unit_suffix=("Division", "Department", "Section", "Team"),
    unit_format="{stem} {suffix}",
    numbered_format="{stem} {n}",
    head_title=("VP of {stem}", "Director of {stem}", "{stem} Manager", "{stem} Team Lead"),
    deputy_title="VP of {stem}",
    chief_title="{chief}",
    ceo_title="Chief Executive Officer",
    staff_titles={
        "IT": ("Systems Engineer", "Infrastructure Engineer", "IT Specialist", "Analyst"),
        "Sales": ("Account Manager", "Sales Representative", "Senior Account Manager"),
        "Finance": ("Accountant", "Financial Analyst", "Senior Accountant"),
        "HR": ("HR Specialist", "HR Generalist", "Recruiter"),
        "Operations": ("Production Planner", "Engineer", "Operations Specialist"),
        "Marketing": ("Marketing Specialist", "Content Manager", "Marketing Analyst"),
        "Procurement": ("Buyer", "Procurement Specialist", "Category Analyst"),
        "R&D": ("Research Scientist", "Design Engineer", "Senior Engineer"),
        "Legal": ("Legal Counsel", "Paralegal", "Compliance Specialist"),
    },
    generic_staff_titles=("Specialist", "Analyst", "Coordinator"),
    self_units=("Sales Division", "Enterprise Sales", "Inside Sales", "Solutions Engineering"),
    self_titles={
        "CEO": "Chief Executive Officer",
        "CRO": "Chief Revenue Officer",
        "CTO": "Chief Technology Officer",
        "AE": "Account Executive",
        "BDR": "Business Development Representative",
        "SE": "Solutions Engineer",
    },
    opportunity_format="{product} rollout",
    yen_per_unit=150,
)

LOCALES: dict[str, Locale] = {"ja": JA, "en": EN}
"""The locales ``graphsvc generate --locale`` accepts."""
