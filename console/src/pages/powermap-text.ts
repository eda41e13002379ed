// The power map's own interface text (editing from the panel, the folded view of large maps,
// buying roles), in both languages; the words every page shares stay in i18n.ts.

import { texts } from "../i18n";

const en = {
  editTitle: "Edit",
  readOnly: "Your token may read only (viewer): editing needs an editor token.",
  stanceSelect: "Stance",
  saveStance: "Save stance",
  stanceSaved: (stance: string) => `Stance saved: ${stance}.`,
  linkTitle: "Add or re-weight a relationship",
  linkType: "Type",
  linkDirection: "Direction",
  fromThis: "this person → the other",
  toThis: "the other → this person",
  linkPerson: "Other person (name or id)",
  linkStrength: "Strength (0–1)",
  linkDate: "Last contact",
  saveLink: "Save relationship",
  linkSaved: (other: string) => `Relationship with ${other} saved.`,
  editLink: (other: string) => `Edit the relationship with ${other}`,
  edit: "Edit",
  unknownPerson: (text: string) => `No person of this map is called “${text}”: pick one from the list.`,
  refused: (message: string) => `Not saved: ${message}`,
  saving: "Saving…",
  strength: "strength",
  foldedNote: (shown: number, all: number, depth: number) =>
    `Large map: ${shown} of ${all} people drawn (the top ${depth + 1} levels of the reporting tree); open a person to show their reports. The table lists everyone.`,
  showReports: (count: number) => `Show ${count} reports on the map`,
  hideReports: "Hide their reports",
  foldedMark: (count: number) => `+${count}`,
};

const ja: typeof en = {
  editTitle: "編集",
  readOnly: "このトークンは閲覧専用です（viewer）。編集には editor のトークンが必要です。",
  stanceSelect: "スタンス",
  saveStance: "スタンスを保存",
  stanceSaved: (stance: string) => `スタンスを保存しました：${stance}`,
  linkTitle: "関係の追加・強さの変更",
  linkType: "種類",
  linkDirection: "向き",
  fromThis: "この人 → 相手",
  toThis: "相手 → この人",
  linkPerson: "相手（氏名または ID）",
  linkStrength: "強さ（0〜1）",
  linkDate: "最終接触日",
  saveLink: "関係を保存",
  linkSaved: (other: string) => `${other} との関係を保存しました。`,
  editLink: (other: string) => `${other} との関係を編集`,
  edit: "編集",
  unknownPerson: (text: string) => `このマップに「${text}」という人はいません。一覧から選んでください。`,
  refused: (message: string) => `保存できませんでした：${message}`,
  saving: "保存中…",
  strength: "強さ",
  foldedNote: (shown: number, all: number, depth: number) =>
    `大きなマップ：${all} 人中 ${shown} 人を表示（組織ツリーの上位 ${depth + 1} 階層）。人物を開くと部下を表示できます。表には全員を掲載しています。`,
  showReports: (count: number) => `部下 ${count} 人をマップに表示`,
  hideReports: "部下を隠す",
  foldedMark: (count: number) => `+${count}`,
};

/** The power map's text in the current language. */
export const tt = texts({ en, ja });

