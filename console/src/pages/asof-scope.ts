// The pipeline and coverage pages' shared frame (scopedPage) and controls: the organization scope (with
// subsidiaries or not), the day the date-relative queries count to ("as of"), and a number of
// days (stalled after / stale after). They live in the address (?asOf=…&subsidiaries=false&days=…),
// so a shared link shows the same figures; changing one goes through the console's router
// (as the browser's back button does) and gives focus back to the control that changed.

import { SignInNeeded, graphql } from "../api";
import { asOfFromAddress, rememberAsOf, today } from "../asof";
import { h, show } from "../dom";
import { t, texts } from "../i18n";
import { apiErrorText } from "./pipecov-format";
import { errorPage, notFoundPage } from "./simple";

const tt = texts({
  en: {
    withSubsidiaries: "Include subsidiaries",
    asOf: "As of",
    asOfHelp: (day: string) => `Days are counted to ${day} (default: the day last chosen in this tab, else today in this browser's time zone).`,
    settings: "Scope and day",
  },
  ja: {
    withSubsidiaries: "子会社を含める",
    asOf: "基準日",
    asOfHelp: (day: string) => `日数は ${day} までで数えます（既定：このタブで最後に選んだ日、なければこのブラウザのタイムゾーンの今日）。`,
    settings: "範囲と基準日",
  },
});

export interface Scope {
  subsidiaries: boolean;
  /** YYYY-MM-DD, always given to the API (never left to the server's clock). */
  asOf: string;
  days: number;
}

const ISO_DAY = /^\d{4}-\d{2}-\d{2}$/;

/** The scope the address asks for, with the defaults for what it does not say. */
export function scopeFromAddress(defaultDays: number): Scope {
  const params = new URLSearchParams(location.search);
  const days = params.get("days");
  const scope = {
    subsidiaries: params.get("subsidiaries") !== "false",
    asOf: asOfFromAddress(),
    days: days !== null && /^-?\d+$/.test(days) ? Number(days) : defaultDays,
  };
  // the address names the day used when it is not today (a tab's remembered one), so a copied
  // link shows the same figures
  history.replaceState(null, "", addressOf(scope, defaultDays));
  return scope;
}

/** The address of the same page with ``scope`` (defaults left out, so links stay short). */
function addressOf(scope: Scope, defaultDays: number): string {
  const params = new URLSearchParams();
  if (scope.asOf !== today()) params.set("asOf", scope.asOf);
  if (!scope.subsidiaries) params.set("subsidiaries", "false");
  if (scope.days !== defaultDays) params.set("days", String(scope.days));
  const query = params.toString();
  return location.pathname + (query ? `?${query}` : "");
}

/** The control that changed last: focused again once the page is drawn anew. */
let refocus: string | null = null;

/** The labelled controls of ``scope``; a change puts it in the address and re-routes. */
export function scopeControls(scope: Scope, defaultDays: number, daysLabel: string): HTMLElement {
  const subs = h("input", { type: "checkbox", id: "subsidiaries", checked: scope.subsidiaries }) as HTMLInputElement;
  const asOf = h("input", { type: "date", id: "as-of", value: scope.asOf, required: true }) as HTMLInputElement;
  const days = h("input", { type: "number", id: "days", value: scope.days, step: 1, min: 0 }) as HTMLInputElement;
  const apply = (event: Event): void => {
    const next: Scope = {
      subsidiaries: subs.checked,
      asOf: ISO_DAY.test(asOf.value) ? asOf.value : scope.asOf,
      days: /^-?\d+$/.test(days.value.trim()) ? Number(days.value) : scope.days,
    };
    refocus = (event.target as HTMLElement).id;
    rememberAsOf(next.asOf);
    history.pushState(null, "", addressOf(next, defaultDays));
    window.dispatchEvent(new PopStateEvent("popstate"));
  };
  const again = [subs, asOf, days].find((control) => control.id === refocus);
  refocus = null;
  // the controls are in the document once the page has shown them, right after this returns
  if (again) queueMicrotask(() => again.focus());
  subs.addEventListener("change", apply);
  asOf.addEventListener("change", apply);
  days.addEventListener("change", apply);
  return h(
    "div",
    { class: "controls", role: "group", "aria-label": tt().settings },
    h("label", { for: "subsidiaries" }, subs, " ", tt().withSubsidiaries),
    h("label", { for: "as-of" }, tt().asOf, " ", asOf),
    h("label", { for: "days" }, daysLabel, " ", days),
    h("p", { id: "as-of-help", class: "muted" }, tt().asOfHelp(scope.asOf)),
  );
}

/** A page of an organization scope on a day: its heading, the shared controls, and an area
 * that ``load`` fills through ``render`` (or an error in words, the controls staying usable).
 * The area's data-state (loading, done, error) and data-* scope attributes let the browser
 * tests wait for it. */
export interface ScopedPage<T> {
  /** The area's id (its error paragraph is ``<key>-error``). */
  key: string;
  navTitle: string;
  title(orgName: string): string;
  help: string;
  defaultDays: number;
  daysLabel: string;
  failed: string;
  load(id: string, scope: Scope): Promise<T>;
  render(data: T, scope: Scope): (HTMLElement | null)[];
}

export async function scopedPage<T>(id: string, page: ScopedPage<T>): Promise<void> {
  show(h("p", { role: "status" }, t().loading));
  try {
    const org = await graphql<{ organization: { name: string } | null }>(
      `query Org($id: ID!) { organization(id: $id) { name } }`,
      { id },
    );
    if (org.organization === null) {
      notFoundPage(`organization “${id}”`);
      return;
    }
    const scope = scopeFromAddress(page.defaultDays);
    const area = h(
      "div",
      { id: page.key, "data-state": "loading", "data-subsidiaries": String(scope.subsidiaries), "data-as-of": scope.asOf, "data-days": scope.days },
      h("p", { role: "status" }, t().loading),
    );
    document.title = `${page.navTitle}: ${org.organization.name} — graphsvc`;
    show(
      h("h1", { id: "page-title" }, page.title(org.organization.name)),
      h("p", {}, page.help),
      scopeControls(scope, page.defaultDays, page.daysLabel),
      area,
    );
    try {
      const data = await page.load(id, scope);
      area.replaceChildren(...page.render(data, scope).filter((e): e is HTMLElement => e !== null));
      area.dataset.state = "done";
    } catch (error) {
      if (error instanceof SignInNeeded) throw error;
      area.replaceChildren(h("p", { id: `${page.key}-error`, role: "alert" }, `${page.failed} ${apiErrorText(error)}`));
      area.dataset.state = "error";
    }
  } catch (error) {
    if (error instanceof SignInNeeded) throw error;
    errorPage(error);
  }
}
