// The whitespace page's interface text, in English and Japanese.

import { texts } from "../i18n";

const en = {
  title: (org: string) => `Whitespace and displacement: ${org}`,
  intro:
    "Where across the group we sell next: departments with no footprint of ours, ranked; what each company has per product category; and competitors' contracts as they end.",
  controls: "Whitespace options",
  asOf: "As of",
  asOfShown: (day: string) => `As of ${day}: expiring contracts and days left are counted from this day.`,
  category: "Category",
  allCategories: "All categories",
  withinDays: "Contracts ending within",
  days: (n: number) => `${n} days`,
  rankedTitle: "Whitespace departments, highest priority first",
  rankedCount: (n: number, category: string | null) =>
    `${n} departments without our footprint${category ? ` in ${category}` : ""}.`,
  rank: "Rank",
  department: "Department",
  company: "Company",
  priority: "Priority",
  warmContact: "Warm contact",
  yes: "Yes",
  no: "No",
  reasons: "Reasons",
  competitorContracts: "Competitors' contracts",
  noneListed: "None",
  endsOn: (day: string, left: number | null) =>
    `ends ${day}${left === null ? "" : left < 0 ? ` (${-left} days ago)` : ` (in ${left} days)`}`,
  noEnd: "no end date",
  matrixTitle: "Companies × categories",
  matrixHelp:
    "Each cell: ● ours (a system of ours or a won deal), ◐ open opportunity, ✕ competitor (vendor named), ○ whitespace (nothing there); then how many of the company's departments are whitespace in the category.",
  OURS: "Ours",
  OPEN_OPPORTUNITY: "Open opportunity",
  COMPETITOR: "Competitor",
  WHITESPACE: "Whitespace",
  whitespaceDepartments: (bare: number, all: number) => `${bare}/${all} depts. whitespace`,
  timelineTitle: "Competitors' contracts ending",
  timelineHelp: (days: number) =>
    `Contracts of competitors' systems ending within ${days} days, on a time line (the table below lists the same contracts). Mark: the contract's end; ◆ within 90 days, ● within 180 days, ○ later.`,
  timelineLabel: "Time line of competitors' contract ends (the table below lists the same contracts)",
  windowsTable: "Contracts ending",
  windowsCount: (n: number) => `${n} contracts end in the window.`,
  system: "System",
  vendor: "Vendor",
  endDate: "Contract ends",
  daysLeft: "Days left",
  annualValue: "Annual value",
  noWindows: "No competitor contract ends in this window.",
};

type Strings = typeof en;

const ja: Strings = {
  title: (org: string) => `ホワイトスペースとリプレース機会：${org}`,
  intro:
    "グループのどこに次に売るか：当社のフットプリントがない部署（優先度順）、製品カテゴリごとの各社の状況、そして競合の契約終了の時期。",
  controls: "ホワイトスペースの条件",
  asOf: "基準日",
  asOfShown: (day: string) => `基準日 ${day}：契約終了までの日数はこの日から数えます。`,
  category: "カテゴリ",
  allCategories: "すべてのカテゴリ",
  withinDays: "契約終了の期間",
  days: (n: number) => `${n} 日以内`,
  rankedTitle: "ホワイトスペースの部署（優先度の高い順）",
  rankedCount: (n: number, category: string | null) =>
    `${category ? `${category} で` : ""}当社のフットプリントがない部署：${n} 件。`,
  rank: "順位",
  department: "部署",
  company: "会社",
  priority: "優先度",
  warmContact: "接点",
  yes: "あり",
  no: "なし",
  reasons: "理由",
  competitorContracts: "競合の契約",
  noneListed: "なし",
  endsOn: (day: string, left: number | null) =>
    `${day} 終了${left === null ? "" : left < 0 ? `（${-left} 日前）` : `（あと ${left} 日）`}`,
  noEnd: "終了日なし",
  matrixTitle: "会社 × カテゴリ",
  matrixHelp:
    "各セル：● 当社（当社システムまたは受注済み商談）、◐ 進行中の商談、✕ 競合（ベンダー名）、○ ホワイトスペース（何もない）。続けて、そのカテゴリでホワイトスペースの部署数。",
  OURS: "当社",
  OPEN_OPPORTUNITY: "商談中",
  COMPETITOR: "競合",
  WHITESPACE: "ホワイトスペース",
  whitespaceDepartments: (bare: number, all: number) => `空白部署 ${bare}/${all}`,
  timelineTitle: "競合の契約終了",
  timelineHelp: (days: number) =>
    `${days} 日以内に終了する競合システムの契約を時系列に表示します（下の表に同じ契約を掲載）。印：契約終了日。◆ 90 日以内、● 180 日以内、○ それ以降。`,
  timelineLabel: "競合の契約終了の時系列（下の表に同じ契約を掲載）",
  windowsTable: "終了する契約",
  windowsCount: (n: number) => `期間内に終了する契約：${n} 件。`,
  system: "システム",
  vendor: "ベンダー",
  endDate: "契約終了日",
  daysLeft: "残り日数",
  annualValue: "年間金額",
  noWindows: "この期間に終了する競合の契約はありません。",
};

/** The page's text in the current language. */
export const wt = texts({ en, ja });
