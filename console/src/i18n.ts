// Interface text in English and Japanese: the browser's language picks one, the switch in
// the header overrides it (remembered in localStorage). Data (names, titles) is shown as stored.

export type Lang = "en" | "ja";

const en = {
  language: "Language",
  signOut: "Sign out",
  navPages: "Pages",
  navOverview: "Overview",
  navPowerMap: "Power map",
  navWhitespace: "Whitespace",
  navPipeline: "Pipeline",
  navCoverage: "Coverage",
  signInTitle: "Sign in",
  signInHelp: "Paste an API token (graphsvc token create, or the one graphsvc demo prints).",
  tokenLabel: "API token",
  signInButton: "Sign in",
  signInRejected: "The token was refused (wrong, expired or revoked). Sign in again.",
  signInEmpty: "Enter a token.",
  orgLabel: "Organization id",
  openButton: "Open",
  homeTitle: "Open an organization",
  loading: "Loading…",
  notFoundTitle: "Not found",
  notFoundText: (what: string) => `There is no ${what} in this workspace.`,
  pageNotFound: "This address is not a page of the console.",
  backHome: "Back to the start page",
  errorTitle: "The API answered with an error",
  group: "Group",
  groupTree: "Companies of the group",
  headline: "Headline figures",
  companies: "Companies",
  people: "People",
  ourSystems: "Our systems",
  competitorSystems: "Competitors' systems",
  openOpportunities: "Open opportunities",
  openPipeline: "Open pipeline amount",
  company: "Company",
  relation: "Relation",
  ownership: "Ownership",
  current: "(this page)",
  top: "Top of the group",
  SUBSIDIARY: "Subsidiary",
  AFFILIATE: "Affiliate",
  changes: "Changes since the last review",
  changesNoReview: "No review recorded yet: changes since the start of the log.",
  changesSince: (title: string, at: string) => `Since the review “${title}” of ${at}`,
  changesIncomplete: "Some older changes were compacted away; the counts may be lower.",
  changeCount: "Changes in total",
  peopleAdded: "People added",
  peopleRemoved: "People removed",
  stanceChanges: "Stance changes",
  roleChanges: "Role changes",
  relationshipChanges: "Relationship changes",
  decisionRightChanges: "Decision-right changes",
  stageChanges: "Opportunity stage changes",
  changesUnavailable: "Changes could not be loaded:",
  powerMapTitle: (org: string) => `Power map: ${org}`,
  powerMapHelp:
    "Size: influence. Fill and label: stance (++ champion, + supporter, = neutral, − skeptic, −− blocker, ? unknown). ★: hidden influencer. Lines: thin KNOWS, arrow INFLUENCES, solid and dashed REPORTS_TO (dashed: dotted line); width: strength.",
  withSubsidiaries: "Include subsidiaries",
  layoutLabel: "Layout",
  layoutTree: "Reporting tree",
  layoutForce: "Force",
  layoutForceLimit: (limit: number) => `Force (filter to ${limit} people or fewer)`,
  department: "Department",
  seniority: "Seniority",
  stance: "Stance",
  any: "Any",
  searchLabel: "Search by name",
  shownCount: (shown: number, all: number) => `${shown} of ${all} people shown`,
  graphLabel: "Power map graph (the table below lists the same people)",
  peopleTable: "People of the map",
  name: "Name",
  manager: "Manager",
  influence: "Influence",
  title: "Title",
  decisionRights: "Decision rights",
  relationships: "Relationships",
  lastContact: "last contact",
  noLastContact: "no contact logged",
  none: "None",
  closePanel: "Close",
  hiddenInfluencer: "hidden influencer",
  openPerson: "Show details",
  CHAMPION: "Champion",
  SUPPORTER: "Supporter",
  NEUTRAL: "Neutral",
  SKEPTIC: "Skeptic",
  BLOCKER: "Blocker",
  UNKNOWN: "Unknown",
  EXECUTIVE: "Executive",
  VP: "VP",
  DIRECTOR: "Director",
  MANAGER: "Manager",
  STAFF: "Staff",
  KNOWS: "knows",
  INFLUENCES: "influences",
  REPORTS_TO: "reports to",
  dottedLine: "dotted line",
};

type Strings = typeof en;

const ja: Strings = {
  language: "言語",
  signOut: "サインアウト",
  navPages: "ページ",
  navOverview: "概要",
  navPowerMap: "パワーマップ",
  navWhitespace: "ホワイトスペース",
  navPipeline: "パイプライン",
  navCoverage: "カバレッジ",
  signInTitle: "サインイン",
  signInHelp: "API トークンを貼り付けてください（graphsvc token create、または graphsvc demo が表示するもの）。",
  tokenLabel: "API トークン",
  signInButton: "サインイン",
  signInRejected: "トークンが拒否されました（誤り・期限切れ・失効）。もう一度サインインしてください。",
  signInEmpty: "トークンを入力してください。",
  orgLabel: "組織 ID",
  openButton: "開く",
  homeTitle: "組織を開く",
  loading: "読み込み中…",
  notFoundTitle: "見つかりません",
  notFoundText: (what: string) => `このワークスペースに ${what} はありません。`,
  pageNotFound: "このアドレスはコンソールのページではありません。",
  backHome: "最初のページへ戻る",
  errorTitle: "API がエラーを返しました",
  group: "グループ",
  groupTree: "グループ会社",
  headline: "主な数値",
  companies: "会社数",
  people: "人数",
  ourSystems: "当社システム",
  competitorSystems: "競合システム",
  openOpportunities: "進行中の商談",
  openPipeline: "進行中の商談金額",
  company: "会社",
  relation: "関係",
  ownership: "出資比率",
  current: "（このページ）",
  top: "グループの頂点",
  SUBSIDIARY: "子会社",
  AFFILIATE: "関連会社",
  changes: "前回レビュー以降の変更",
  changesNoReview: "レビューの記録はまだありません：ログの最初からの変更です。",
  changesSince: (title: string, at: string) => `レビュー「${title}」（${at}）以降`,
  changesIncomplete: "古い変更の一部は圧縮で削除されたため、件数が少なく出ることがあります。",
  changeCount: "変更の合計",
  peopleAdded: "追加された人",
  peopleRemoved: "削除された人",
  stanceChanges: "スタンスの変更",
  roleChanges: "役職の変更",
  relationshipChanges: "関係の変更",
  decisionRightChanges: "決裁権の変更",
  stageChanges: "商談ステージの変更",
  changesUnavailable: "変更を読み込めませんでした：",
  powerMapTitle: (org: string) => `パワーマップ：${org}`,
  powerMapHelp:
    "大きさ：影響力。色とラベル：スタンス（++ チャンピオン、+ 支持、= 中立、− 懐疑、−− 反対、? 不明）。★：隠れたキーマン。線：細線 KNOWS、矢印 INFLUENCES、実線と破線 REPORTS_TO（破線：点線の上司）。太さ：強さ。",
  withSubsidiaries: "子会社を含める",
  layoutLabel: "レイアウト",
  layoutTree: "組織ツリー",
  layoutForce: "力学モデル",
  layoutForceLimit: (limit: number) => `力学モデル（${limit} 人以下に絞り込むと利用可）`,
  department: "部署",
  seniority: "職位",
  stance: "スタンス",
  any: "すべて",
  searchLabel: "名前で検索",
  shownCount: (shown: number, all: number) => `${all} 人中 ${shown} 人を表示`,
  graphLabel: "パワーマップの図（下の表に同じ人を掲載）",
  peopleTable: "マップの人物",
  name: "氏名",
  manager: "上司",
  influence: "影響力",
  title: "役職",
  decisionRights: "決裁権",
  relationships: "関係",
  lastContact: "最終接触",
  noLastContact: "接触記録なし",
  none: "なし",
  closePanel: "閉じる",
  hiddenInfluencer: "隠れたキーマン",
  openPerson: "詳細を表示",
  CHAMPION: "チャンピオン",
  SUPPORTER: "支持",
  NEUTRAL: "中立",
  SKEPTIC: "懐疑",
  BLOCKER: "反対",
  UNKNOWN: "不明",
  EXECUTIVE: "役員",
  VP: "本部長",
  DIRECTOR: "部長",
  MANAGER: "課長",
  STAFF: "担当",
  KNOWS: "知人",
  INFLUENCES: "影響を与える",
  REPORTS_TO: "報告先",
  dottedLine: "点線",
};

const LANG_KEY = "graphsvc.lang";
const tables: Record<Lang, Strings> = { en, ja };

function initialLang(): Lang {
  const chosen = localStorage.getItem(LANG_KEY);
  if (chosen === "en" || chosen === "ja") return chosen;
  return navigator.language.toLowerCase().startsWith("ja") ? "ja" : "en";
}

let lang: Lang = initialLang();

export function currentLang(): Lang {
  return lang;
}

export function setLang(next: Lang): void {
  lang = next;
  localStorage.setItem(LANG_KEY, next);
  document.documentElement.lang = next;
}

/** Buying roles in the order of CONTRACT §4 (decisionMakers' order), and their names: one
 * table for every page (and the same Japanese words as the account plan's). */
export const BUYING_ROLES = [
  "ECONOMIC_BUYER",
  "DECISION_MAKER",
  "APPROVER",
  "TECHNICAL_EVALUATOR",
  "PROCUREMENT",
  "GATEKEEPER",
  "INFLUENCER",
  "USER",
] as const;
export type BuyingRole = (typeof BUYING_ROLES)[number];

const ROLE_NAMES: Record<Lang, Record<BuyingRole, string>> = {
  en: {
    ECONOMIC_BUYER: "Economic buyer",
    DECISION_MAKER: "Decision-maker",
    APPROVER: "Approver",
    TECHNICAL_EVALUATOR: "Technical evaluator",
    PROCUREMENT: "Procurement",
    GATEKEEPER: "Gatekeeper",
    INFLUENCER: "Influencer",
    USER: "User",
  },
  ja: {
    ECONOMIC_BUYER: "決裁者",
    DECISION_MAKER: "意思決定者",
    APPROVER: "承認者",
    TECHNICAL_EVALUATOR: "技術評価者",
    PROCUREMENT: "購買部門",
    GATEKEEPER: "ゲートキーパー",
    INFLUENCER: "影響者",
    USER: "利用者",
  },
};

/** A buying role in words (ECONOMIC_BUYER → "Economic buyer" / 決裁者); unknown ones as given. */
export function buyingRole(role: string): string {
  return (ROLE_NAMES[lang] as Record<string, string | undefined>)[role] ?? role;
}

/** Interface text owned by one page, in its own module (``const tt = texts({ en, ja })``,
 * then ``tt().heading``): the shared table above keeps the shell's and common words. */
export function texts<S>(table: Record<Lang, S>): () => S {
  return () => table[lang];
}

/** The interface text of the current language. */
export function t(): Strings {
  return tables[lang];
}

export function formatNumber(value: number): string {
  return new Intl.NumberFormat(lang === "ja" ? "ja-JP" : "en-US").format(value);
}

export function formatDate(iso: string): string {
  return new Intl.DateTimeFormat(lang === "ja" ? "ja-JP" : "en-US", {
    dateStyle: "medium",
    timeStyle: "short",
  }).format(new Date(iso));
}
