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
  comingSoon: "Coming soon: this page is part of the next release of the console.",
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
  comingSoon: "近日公開：このページはコンソールの次のリリースに含まれます。",
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
