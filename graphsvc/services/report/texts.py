"""The account plan's own words in English and Japanese (names and data are never translated).

``words(lang)`` returns the table of one language; a key missing from one language is a
bug caught by the tests (both tables have the same keys). Enum values (stance, role,
seniority) are said in the reader's language too.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum

from graphsvc.domain.enums import BuyingRole, ParentRelation, Stance

__all__ = ["ReportLanguage", "relation_word", "role_word", "stance_word", "words"]


class ReportLanguage(StrEnum):
    """The plan's language: English or Japanese."""

    EN = "en"
    JA = "ja"


_EN: dict[str, str] = {
    "title": "Account plan: {name}",
    "as_of": "As of {date}",
    "scope": "Scope: {name} and {count} group companies below it",
    "scope_alone": "Scope: {name} (no group companies below it)",
    "generated": "Built by graphsvc from the stakeholder graph (version {version})",
    "s_company": "Company information",
    "s_people": "Org chart, key persons and power structure",
    "s_systems": "System map",
    "s_competition": "Competitive situation and displacement windows",
    "s_whitespace": "Cross-sell whitespace across the group",
    "s_approach": "Approach scenario",
    "s_pipeline": "Pipeline",
    "s_coverage": "Coverage risks",
    "s_changes": "Changes since the last review",
    "company": "Company",
    "relation": "Relation",
    "ownership": "Ownership",
    "industry": "Industry",
    "employees": "Employees",
    "revenue": "Revenue",
    "this_company": "this account",
    "parent_line": "Parent: {name} ({relation}{ownership})",
    "under": "{relation} of {name}",
    "SUBSIDIARY": "subsidiary",
    "AFFILIATE": "affiliate",
    "org_line": "{name}: {industry}, {employees} employees, revenue {revenue}.",
    "unknown": "unknown",
    "people_line": "{people} people in the scope; the picture shows the {shown} key persons: "
    "the most influential and every economic buyer and decision-maker, drawn under their "
    "nearest manager among them.",
    "hidden_line": "Hidden influencers (informal influence far above their rank): {names}.",
    "no_hidden": "No hidden influencer in the scope.",
    "no_people": "No person is recorded in the scope yet.",
    "name": "Name",
    "title_col": "Title",
    "department": "Department",
    "stance": "Stance",
    "influence": "Influence",
    "rank": "Rank",
    "brokerage": "Brokerage",
    "roles": "Buying roles",
    "hidden": "Hidden influencer",
    "yes": "yes",
    "picture_alt": "Power map of {name}: key persons in their reporting lines, coloured by "
    "stance, hidden influencers marked with ★",
    "legend_hidden": "★ hidden influencer",
    "ours": "Our systems",
    "theirs": "Competitors' systems",
    "whole_org": "(whole organization)",
    "no_systems": "No installed system is recorded in the scope.",
    "ends": "ends {date}",
    "vendor": "Vendor",
    "systems": "Systems",
    "role_area": "{role} ({area})",
    "title_sep": "{title}, ",
    "departments": "Departments",
    "changes": "Changes",
    "annual_value": "Annual value",
    "next_end": "Next contract end",
    "system": "System",
    "category": "Category",
    "contract_ends": "Contract ends",
    "days_left": "Days left",
    "no_competitors": "No competitor system is recorded in the scope.",
    "windows_line": "Displacement windows: competitor contracts ending within {days} days of "
    "{date}.",
    "no_windows": "No competitor contract ends within {days} days of {date}.",
    "contact": "Warm contact",
    "priority": "Priority",
    "reasons": "Why",
    "no_whitespace": "Every department of the scope has a footprint of ours.",
    "more": "… and {count} more.",
    "and_more": "… and {count} more",
    "approach_intro": "The best distinct routes (one per way into the account) from our "
    "people to each economic buyer and decision-maker.",
    "target_line": "{name} ({title}{organization}): {roles}",
    "ask": "Ask {ours} to introduce you to {entry}.",
    "ask_direct": "{ours} knows {target} directly: ask {ours} to set up the meeting.",
    "route": "Route (score {score}): {explanation}.",
    "weakest": "Weakest link: {a} – {b} (strength {strength}).",
    "no_route": "No warm route: {reason}.",
    "more_targets": "{count} more economic buyers and decision-makers are not shown.",
    "no_targets": "No economic buyer or decision-maker is recorded in the scope.",
    "stage": "Stage",
    "count": "Deals",
    "amount": "Amount",
    "weighted": "Weighted",
    "median_days": "Median days in stage",
    "conversion": "Conversion",
    "stalled_line": "Stalled deals (longer than {days} days in their stage):",
    "stalled_item": "{name} ({organization}): {stage}, {days} days",
    "no_stalled": "No stalled deal.",
    "bottleneck": "Bottleneck: {stage}.",
    "no_bottleneck": "No bottleneck yet.",
    "no_pipeline": "No opportunity is recorded in the scope.",
    "unreached": "Decision-makers without a direct contact of ours:",
    "unreached_item": "{name} ({role}, {area}): best route score {score}",
    "unreachable": "no warm route",
    "all_reached": "Every decision-maker has a direct contact of ours.",
    "no_rights": "No decision right is recorded in the scope.",
    "single_thread": "Single-threaded: every contact into the account goes through {name}.",
    "multi_thread": "{people} of our people hold the {contacts} contacts into the account.",
    "no_contacts": "We have no contact into the account.",
    "stale_line": "{count} stale relationships (no contact for more than {days} days, or never "
    "recorded):",
    "stale_item": "{ours} – {theirs}: {when}",
    "never": "no contact recorded",
    "days_ago": "{days} days ago",
    "no_stale": "No stale relationship.",
    "since_review": "Since the review {title} of {date} (version {version}).",
    "since_start": "No review is recorded yet: everything since the start of the change log.",
    "incomplete": "The change log was compacted: older changes are no longer known.",
    "changes_count": "{count} changes in the scope up to {date}.",
    "people_added": "People added",
    "people_removed": "People removed",
    "stance_changes": "Stance changes",
    "role_changes": "Role changes",
    "relationship_changes": "Relationship changes",
    "right_changes": "Decision right changes",
    "stage_changes": "Stage changes",
    "kind": "Kind",
    "stance_item": "{name}: {before} → {after}",
    "stage_item": "{name}: {before} → {after}",
    "none": "none",
}

_JA: dict[str, str] = {
    "title": "アカウントプラン：{name}",
    "as_of": "{date} 時点",
    "scope": "対象範囲：{name} とその配下のグループ会社 {count} 社",
    "scope_alone": "対象範囲：{name}（配下のグループ会社なし）",
    "generated": "graphsvc がステークホルダーグラフから作成（バージョン {version}）",
    "s_company": "企業情報",
    "s_people": "組織図・キーマン・パワーストラクチャー",
    "s_systems": "システムマップ",
    "s_competition": "競合状況とリプレース機会",
    "s_whitespace": "グループ横断のホワイトスペース（クロスセル余地）",
    "s_approach": "アプローチシナリオ",
    "s_pipeline": "パイプライン",
    "s_coverage": "カバレッジ上のリスク",
    "s_changes": "前回レビューからの変化",
    "company": "会社",
    "relation": "関係",
    "ownership": "出資比率",
    "industry": "業種",
    "employees": "従業員数",
    "revenue": "売上高",
    "this_company": "本アカウント",
    "parent_line": "親会社：{name}（{relation}{ownership}）",
    "under": "{name} の{relation}",
    "SUBSIDIARY": "子会社",
    "AFFILIATE": "関連会社",
    "org_line": "{name}：業種 {industry}、従業員 {employees} 名、売上高 {revenue}。",
    "unknown": "不明",
    "people_line": "対象範囲の人物は {people} 名。図は主要人物 {shown} 名（影響力の上位者と、"
    "すべての決裁者・意思決定者）を、その中で最も近い上司の下に描いています。",
    "hidden_line": "隠れた影響者（役職を大きく超える非公式な影響力）：{names}。",
    "no_hidden": "対象範囲に隠れた影響者はいません。",
    "no_people": "対象範囲にはまだ人物が登録されていません。",
    "name": "氏名",
    "title_col": "役職",
    "department": "部署",
    "stance": "スタンス",
    "influence": "影響力",
    "rank": "職位",
    "brokerage": "媒介性",
    "roles": "購買上の役割",
    "hidden": "隠れた影響者",
    "yes": "はい",
    "picture_alt": "{name} のパワーマップ：主要人物をレポートラインに沿って配置し、スタンスで"
    "色分け、隠れた影響者に ★ を付けています",
    "legend_hidden": "★ 隠れた影響者",
    "ours": "自社システム",
    "theirs": "競合システム",
    "whole_org": "（全社）",
    "no_systems": "対象範囲に導入システムは登録されていません。",
    "ends": "{date} 契約満了",
    "vendor": "ベンダー",
    "systems": "システム",
    "role_area": "{role}（{area}）",
    "title_sep": "{title}、",
    "departments": "部署数",
    "changes": "件数",
    "annual_value": "年間金額",
    "next_end": "直近の契約満了",
    "system": "システム",
    "category": "カテゴリ",
    "contract_ends": "契約満了日",
    "days_left": "残り日数",
    "no_competitors": "対象範囲に競合システムは登録されていません。",
    "windows_line": "リプレース機会：{date} から {days} 日以内に満了する競合の契約。",
    "no_windows": "{date} から {days} 日以内に満了する競合の契約はありません。",
    "contact": "接点",
    "priority": "優先度",
    "reasons": "理由",
    "no_whitespace": "対象範囲のすべての部署に自社の足場があります。",
    "more": "…ほか {count} 件。",
    "and_more": "…ほか {count} 名",
    "approach_intro": "自社メンバーから各決裁者・意思決定者への最良のルート"
    "（アカウントへの入口ごとに 1 本）。",
    "target_line": "{name}（{title}{organization}）：{roles}",
    "ask": "{ours} に依頼して {entry} を紹介してもらう。",
    "ask_direct": "{ours} は {target} と直接の面識がある：{ours} に面談を設定してもらう。",
    "route": "ルート（スコア {score}）：{explanation}",
    "weakest": "最も弱いつながり：{a} – {b}（強さ {strength}）。",
    "no_route": "ウォームなルートなし：{reason}。",
    "more_targets": "ほか {count} 名の決裁者・意思決定者は省略しています。",
    "no_targets": "対象範囲に決裁者・意思決定者は登録されていません。",
    "stage": "ステージ",
    "count": "件数",
    "amount": "金額",
    "weighted": "加重金額",
    "median_days": "滞留日数（中央値）",
    "conversion": "移行率",
    "stalled_line": "停滞案件（同じステージに {days} 日超）：",
    "stalled_item": "{name}（{organization}）：{stage}、{days} 日",
    "no_stalled": "停滞案件はありません。",
    "bottleneck": "ボトルネック：{stage}。",
    "no_bottleneck": "ボトルネックはまだありません。",
    "no_pipeline": "対象範囲に商談は登録されていません。",
    "unreached": "自社と直接の接点がない意思決定者：",
    "unreached_item": "{name}（{role}、{area}）：最良ルートのスコア {score}",
    "unreachable": "ウォームなルートなし",
    "all_reached": "すべての意思決定者に自社の直接の接点があります。",
    "no_rights": "対象範囲に決裁権限は登録されていません。",
    "single_thread": "シングルスレッド：アカウントへの接点はすべて {name} 経由です。",
    "multi_thread": "アカウントへの接点 {contacts} 件を自社メンバー {people} 名が持っています。",
    "no_contacts": "アカウントへの接点がありません。",
    "stale_line": "疎遠になった関係 {count} 件（{days} 日超接触なし、または記録なし）：",
    "stale_item": "{ours} – {theirs}：{when}",
    "never": "接触記録なし",
    "days_ago": "{days} 日前",
    "no_stale": "疎遠になった関係はありません。",
    "since_review": "{date} のレビュー「{title}」（バージョン {version}）以降。",
    "since_start": "レビューはまだ記録されていません：変更履歴の最初からの変化です。",
    "incomplete": "変更履歴は圧縮済みのため、それ以前の変化は分かりません。",
    "changes_count": "{date} までに対象範囲で {count} 件の変更。",
    "people_added": "追加された人物",
    "people_removed": "削除された人物",
    "stance_changes": "スタンスの変化",
    "role_changes": "役職・所属の変化",
    "relationship_changes": "関係の変化",
    "right_changes": "決裁権限の変化",
    "stage_changes": "ステージの変化",
    "kind": "種類",
    "stance_item": "{name}：{before} → {after}",
    "stage_item": "{name}：{before} → {after}",
    "none": "なし",
}

_STANCES = {
    ReportLanguage.EN: {s: s.value.lower() for s in Stance},
    ReportLanguage.JA: {
        Stance.CHAMPION: "推進者",
        Stance.SUPPORTER: "支持者",
        Stance.NEUTRAL: "中立",
        Stance.SKEPTIC: "懐疑的",
        Stance.BLOCKER: "反対者",
        Stance.UNKNOWN: "不明",
    },
}

_ROLES = {
    ReportLanguage.EN: {r: r.value.replace("_", " ").lower() for r in BuyingRole},
    ReportLanguage.JA: {
        BuyingRole.ECONOMIC_BUYER: "決裁者",
        BuyingRole.DECISION_MAKER: "意思決定者",
        BuyingRole.APPROVER: "承認者",
        BuyingRole.TECHNICAL_EVALUATOR: "技術評価者",
        BuyingRole.USER: "利用者",
        BuyingRole.INFLUENCER: "影響者",
        BuyingRole.GATEKEEPER: "ゲートキーパー",
        BuyingRole.PROCUREMENT: "購買部門",
    },
}


def words(lang: ReportLanguage) -> Mapping[str, str]:
    """The plan's words in ``lang``."""
    return _JA if lang is ReportLanguage.JA else _EN


def stance_word(lang: ReportLanguage, stance: Stance) -> str:
    """A stance in the reader's language."""
    return _STANCES[lang][stance]


def role_word(lang: ReportLanguage, role: BuyingRole) -> str:
    """A buying role in the reader's language."""
    return _ROLES[lang][role]


def relation_word(lang: ReportLanguage, relation: ParentRelation | None) -> str:
    """How a group company hangs below its parent (SUBSIDIARY when not said)."""
    return words(lang)[(relation or ParentRelation.SUBSIDIARY).value]
