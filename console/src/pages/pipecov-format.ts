// Small formatting pieces the pipeline and coverage pages share.

import { ApiError } from "../api";
import { h } from "../dom";
import { currentLang } from "../i18n";

/** One headline figure (a dt/dd pair in a .figures list), found by id `figure-<id>`. */
export function figure(id: string, label: string, value: string, extra: HTMLElement | null = null): HTMLElement {
  return h("div", { class: "figure", id: `figure-${id}` }, h("dt", {}, label), h("dd", {}, value), extra);
}

/** A share (0 to 1) as a percentage with at most one decimal. */
export function percent(share: number): string {
  return new Intl.NumberFormat(currentLang() === "ja" ? "ja-JP" : "en-US", {
    style: "percent",
    maximumFractionDigits: 1,
  }).format(share);
}

/** An API error in words, with its code. */
export function apiErrorText(error: unknown): string {
  return error instanceof ApiError ? `${error.message} (${error.code})` : String(error);
}
