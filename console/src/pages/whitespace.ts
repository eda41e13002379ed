// Whitespace and displacement (/app/organizations/{id}/whitespace): the organization scope's
// whitespace departments ranked by the API's priority with its reasons, the companies ×
// categories view (categoryFootprint), and competitors' contracts ending in a window
// (displacementWindows) on a time line with its twin table.
//
// The options live in the address, so a link shows the same page: ?asOf=YYYY-MM-DD (default:
// the browser's today; the page says which day it used), category, within (days, default
// 365) and subsidiaries=false. A change of an option re-reads only the sections it affects.

import { ApiError, SignInNeeded, graphql } from "../api";
import { asOfFromAddress, rememberAsOf, today } from "../asof";
import { h, show } from "../dom";
import { formatNumber, t } from "../i18n";
import { errorPage, notFoundPage } from "./simple";
import { wt } from "./whitespace-text";
import { drawTimeline, urgency, type ContractWindow } from "./whitespace-timeline";

export const WITHIN_CHOICES = [90, 180, 365, 730];
const DEFAULT_WITHIN = 365;

interface Options {
  asOf: string;
  category: string;
  withinDays: number;
  subsidiaries: boolean;
}

function readOptions(): Options {
  const q = new URLSearchParams(location.search);
  const within = Number(q.get("within"));
  return {
    asOf: asOfFromAddress(),
    category: q.get("category") ?? "",
    withinDays: Number.isInteger(within) && within > 0 ? within : DEFAULT_WITHIN,
    subsidiaries: q.get("subsidiaries") !== "false",
  };
}

/** Keep the options in the address (only those not at their default). */
function writeOptions(o: Options): void {
  const q = new URLSearchParams();
  if (o.asOf !== today()) q.set("asOf", o.asOf);
  if (o.category) q.set("category", o.category);
  if (o.withinDays !== DEFAULT_WITHIN) q.set("within", String(o.withinDays));
  if (!o.subsidiaries) q.set("subsidiaries", "false");
  const search = q.toString();
  history.replaceState(null, "", `${location.pathname}${search ? `?${search}` : ""}`);
}

// ---- the data, from the public API only ---------------------------------------------------

interface System {
  id: string;
  name: string;
  vendor: string | null;
  contractEndsOn: string | null;
  daysLeft: number | null;
  annualValue: number | null;
}

interface Ranked {
  priority: number;
  hasContact: boolean;
  reasons: string[];
  department: { id: string; name: string };
  organization: { id: string; name: string };
  competitorSystems: System[];
}

async function loadRanked(id: string, o: Options): Promise<Ranked[]> {
  const data = await graphql<{ whitespace: Ranked[] }>(
    `query Whitespace($id: ID!, $category: String, $subs: Boolean!, $asOf: Date!) {
       whitespace(organizationId: $id, category: $category, includeSubsidiaries: $subs, asOf: $asOf) {
         priority hasContact reasons department { id name } organization { id name }
         competitorSystems { id name vendor contractEndsOn daysLeft annualValue } } }`,
    { id, category: o.category || null, subs: o.subsidiaries, asOf: o.asOf },
  );
  return data.whitespace;
}

type State = "OURS" | "OPEN_OPPORTUNITY" | "COMPETITOR" | "WHITESPACE";

interface Cell {
  organization: { id: string };
  category: string;
  state: State;
  departments: number;
  whitespaceDepartments: number;
  ourSystems: { name: string }[];
  wonOpportunities: { name: string }[];
  openOpportunities: { name: string }[];
  competitorSystems: { name: string; vendor: string | null }[];
}

interface Footprint {
  categories: string[];
  organizations: { id: string; name: string }[];
  cells: Cell[];
}

async function loadFootprint(id: string, o: Options): Promise<Footprint> {
  const data = await graphql<{ categoryFootprint: Footprint }>(
    `query Footprint($id: ID!, $subs: Boolean!) {
       categoryFootprint(organizationId: $id, includeSubsidiaries: $subs) {
         categories organizations { id name }
         cells { organization { id } category state departments whitespaceDepartments
                 ourSystems { name } wonOpportunities { name } openOpportunities { name }
                 competitorSystems { name vendor } } } }`,
    { id, subs: o.subsidiaries },
  );
  return data.categoryFootprint;
}

async function loadWindows(id: string, o: Options): Promise<ContractWindow[]> {
  const data = await graphql<{ displacementWindows: ContractWindow[] }>(
    `query Windows($id: ID!, $within: Int!, $subs: Boolean!, $asOf: Date!) {
       displacementWindows(organizationId: $id, withinDays: $within, includeSubsidiaries: $subs, asOf: $asOf) {
         id name vendor category contractEndsOn daysLeft annualValue organization { id name } } }`,
    { id, within: o.withinDays, subs: o.subsidiaries, asOf: o.asOf },
  );
  return data.displacementWindows;
}

// ---- drawing --------------------------------------------------------------------------------

/** The table scrolls sideways when the categories are many: a labelled, focusable region so
 * that keyboard users can scroll it too. */
const MATRIX_BOX = { class: "ws-matrix-box", role: "region", tabindex: 0, "aria-labelledby": "ws-matrix-title" };

const GLYPH: Record<State, string> = { OURS: "●", OPEN_OPPORTUNITY: "◐", COMPETITOR: "✕", WHITESPACE: "○" };

function systemText(s: System): string {
  const vendor = s.vendor ? ` (${s.vendor})` : "";
  return `${s.name}${vendor}: ${s.contractEndsOn ? wt().endsOn(s.contractEndsOn, s.daysLeft) : wt().noEnd}`;
}

function rankedTable(rows: Ranked[], category: string | null): HTMLElement[] {
  const table = h(
    "table",
    { id: "ws-ranked", "aria-labelledby": "ws-ranked-title" },
    h(
      "thead",
      {},
      h(
        "tr",
        {},
        [wt().rank, wt().department, wt().company, wt().priority, wt().warmContact, wt().reasons, wt().competitorContracts].map(
          (label) => h("th", { scope: "col" }, label),
        ),
      ),
    ),
    h(
      "tbody",
      {},
      rows.map((w, i) =>
        h(
          "tr",
          {
            "data-department-id": w.department.id,
            "data-org-id": w.organization.id,
            "data-priority": w.priority,
            "data-has-contact": String(w.hasContact),
          },
          h("td", { class: "num" }, String(i + 1)),
          h("th", { scope: "row", class: "ws-department" }, w.department.name),
          h("td", {}, h("a", { href: `/app/organizations/${encodeURIComponent(w.organization.id)}` }, w.organization.name)),
          h("td", { class: "num" }, w.priority.toFixed(2)),
          h("td", {}, w.hasContact ? `✓ ${wt().yes}` : `– ${wt().no}`),
          h("td", {}, h("ul", { class: "ws-reasons" }, w.reasons.map((r) => h("li", {}, r)))),
          h(
            "td",
            {},
            w.competitorSystems.length === 0
              ? wt().noneListed
              : h(
                  "ul",
                  { class: "ws-systems" },
                  w.competitorSystems.map((s) => h("li", { "data-system-id": s.id }, systemText(s))),
                ),
          ),
        ),
      ),
    ),
  );
  // The list scrolls within its box (headers stay in view), so the table and the time line
  // below stay near; a labelled, focusable region, so keyboard users can scroll it too.
  return [
    h("p", { id: "ws-ranked-count", role: "status" }, wt().rankedCount(rows.length, category)),
    h("div", { class: "ws-ranked-box", role: "region", tabindex: 0, "aria-labelledby": "ws-ranked-title" }, table),
  ];
}

function footprintTable(f: Footprint): HTMLElement {
  const byKey = new Map(f.cells.map((c) => [`${c.organization.id}\u0000${c.category}`, c]));
  return h(
    "table",
    { id: "ws-matrix", "aria-labelledby": "ws-matrix-title" },
    h(
      "thead",
      {},
      h("tr", {}, h("th", { scope: "col" }, wt().company), f.categories.map((c) => h("th", { scope: "col", "data-category": c }, c))),
    ),
    h(
      "tbody",
      {},
      f.organizations.map((org) =>
        h(
          "tr",
          { "data-org-id": org.id },
          h("th", { scope: "row" }, org.name),
          f.categories.map((category) => {
            const c = byKey.get(`${org.id}\u0000${category}`);
            if (!c) return h("td", {}, "–");
            const vendors = [...new Set(c.competitorSystems.map((s) => s.vendor ?? s.name))];
            const detail =
              c.state === "OURS"
                ? [...c.ourSystems, ...c.wonOpportunities].map((x) => x.name)
                : c.state === "OPEN_OPPORTUNITY"
                  ? c.openOpportunities.map((x) => x.name)
                  : c.state === "COMPETITOR"
                    ? vendors
                    : [];
            return h(
              "td",
              {
                class: `ws-cell ws-${c.state.toLowerCase().replace("_", "-")}`,
                "data-org-id": org.id,
                "data-category": category,
                "data-state": c.state,
                "data-vendors": vendors.join("|"),
                "data-departments": c.departments,
                "data-whitespace-departments": c.whitespaceDepartments,
              },
              h("span", { class: "ws-state" }, `${GLYPH[c.state]} ${wt()[c.state]}`),
              detail.length ? h("span", { class: "ws-detail" }, detail.join(", ")) : null,
              c.state !== "COMPETITOR" && vendors.length
                ? h("span", { class: "ws-detail" }, `${GLYPH.COMPETITOR} ${vendors.join(", ")}`)
                : null,
              c.departments > 0
                ? h("span", { class: "ws-detail muted" }, wt().whitespaceDepartments(c.whitespaceDepartments, c.departments))
                : null,
            );
          }),
        ),
      ),
    ),
  );
}

function windowsSection(windows: ContractWindow[], o: Options): HTMLElement[] {
  const rows = windows.map((w) =>
    h(
      "tr",
      { "data-system-id": w.id, "data-ends-on": w.contractEndsOn },
      h("th", { scope: "row" }, w.name),
      h("td", {}, w.vendor ?? "–"),
      h("td", {}, w.category),
      h("td", {}, w.organization.name),
      h("td", {}, `${urgency(w.daysLeft ?? 0).glyph} ${w.contractEndsOn}`),
      h("td", { class: "num" }, w.daysLeft === null ? "–" : formatNumber(w.daysLeft)),
      h("td", { class: "num" }, w.annualValue == null ? "–" : formatNumber(w.annualValue)),
    ),
  );
  return [
    h("p", { id: "ws-timeline-help" }, wt().timelineHelp(o.withinDays)),
    h("div", { class: "ws-timeline-box" }, drawTimeline(windows, o.asOf, o.withinDays, wt().timelineLabel)),
    h("h3", { id: "ws-windows-title" }, wt().windowsTable),
    h("p", { id: "ws-windows-count", role: "status" }, windows.length ? wt().windowsCount(windows.length) : wt().noWindows),
    h(
      "table",
      { id: "ws-windows", "aria-labelledby": "ws-windows-title" },
      h(
        "thead",
        {},
        h(
          "tr",
          {},
          [wt().system, wt().vendor, wt().category, wt().company, wt().endDate, wt().daysLeft, wt().annualValue].map((c) =>
            h("th", { scope: "col" }, c),
          ),
        ),
      ),
      h("tbody", {}, rows),
    ),
  ];
}

// ---- the page -------------------------------------------------------------------------------

/** A section that re-reads its data: data-state is "loading" until it is drawn ("done") or
 * the API answered an error, which it shows in words ("error"). */
async function refresh(section: HTMLElement, heading: HTMLElement, fill: () => Promise<HTMLElement[]>): Promise<void> {
  section.dataset.state = "loading";
  section.setAttribute("aria-busy", "true");
  try {
    const body = await fill();
    section.replaceChildren(heading, ...body);
    section.dataset.state = "done";
  } catch (error) {
    if (error instanceof SignInNeeded) {
      // The token is gone (api.ts cleared it): the shell's router shows the sign-in page.
      window.dispatchEvent(new PopStateEvent("popstate"));
      return;
    }
    const text = error instanceof ApiError ? `${error.message} (${error.code})` : String(error);
    section.replaceChildren(heading, h("p", { role: "alert", class: "ws-error" }, text));
    section.dataset.state = "error";
  } finally {
    section.removeAttribute("aria-busy");
  }
}

export async function whitespacePage(id: string): Promise<void> {
  show(h("p", { role: "status" }, t().loading));
  const o = readOptions();
  writeOptions(o); // the address names the day used when it is not today (a tab's remembered one)
  try {
    const org = await graphql<{ organization: { name: string } | null; categories: string[] }>(
      `query Org($id: ID!) { organization(id: $id) { name } categories }`,
      { id },
    );
    if (org.organization === null) {
      notFoundPage(`organization “${id}”`);
      return;
    }
    const name = org.organization.name;
    const known = org.categories.some((c) => c === o.category);
    if (o.category && !known) o.category = "";
    const [ranked, footprint, windows] = await Promise.all([loadRanked(id, o), loadFootprint(id, o), loadWindows(id, o)]);
    document.title = `${t().navWhitespace}: ${name} — graphsvc`;

    const asOf = h("input", { type: "date", id: "ws-as-of", value: o.asOf, required: true }) as HTMLInputElement;
    const asOfShown = h("p", { id: "ws-as-of-shown", role: "status", "data-as-of": o.asOf }, wt().asOfShown(o.asOf));
    const subs = h("input", { type: "checkbox", id: "ws-subsidiaries", checked: o.subsidiaries }) as HTMLInputElement;
    const category = h(
      "select",
      { id: "ws-category" },
      h("option", { value: "" }, wt().allCategories),
      org.categories.map((c) => h("option", { value: c, selected: c === o.category }, c)),
    ) as HTMLSelectElement;
    const within = h(
      "select",
      { id: "ws-within" },
      [...new Set([...WITHIN_CHOICES, o.withinDays])]
        .sort((a, b) => a - b)
        .map((n) => h("option", { value: n, selected: n === o.withinDays }, wt().days(n))),
    ) as HTMLSelectElement;

    const rankedHeading = h("h2", { id: "ws-ranked-title" }, wt().rankedTitle);
    const matrixHeading = h("h2", { id: "ws-matrix-title" }, wt().matrixTitle);
    const timelineHeading = h("h2", { id: "ws-timeline-title" }, wt().timelineTitle);
    const rankedSection = h(
      "section",
      { id: "ws-ranked-section", "aria-labelledby": "ws-ranked-title", "data-state": "done" },
      rankedHeading,
      ...rankedTable(ranked, o.category || null),
    );
    const matrixSection = h(
      "section",
      { id: "ws-matrix-section", "aria-labelledby": "ws-matrix-title", "data-state": "done" },
      matrixHeading,
      h("p", { id: "ws-matrix-help" }, wt().matrixHelp),
      h("div", MATRIX_BOX, footprintTable(footprint)),
    );
    const timelineSection = h(
      "section",
      { id: "ws-timeline-section", "aria-labelledby": "ws-timeline-title", "data-state": "done" },
      timelineHeading,
      ...windowsSection(windows, o),
    );

    const reloadRanked = () =>
      refresh(rankedSection, rankedHeading, async () => rankedTable(await loadRanked(id, o), o.category || null));
    const reloadMatrix = () =>
      refresh(matrixSection, matrixHeading, async () => [
        h("p", { id: "ws-matrix-help" }, wt().matrixHelp),
        h("div", MATRIX_BOX, footprintTable(await loadFootprint(id, o))),
      ]);
    const reloadTimeline = () => refresh(timelineSection, timelineHeading, async () => windowsSection(await loadWindows(id, o), o));

    asOf.addEventListener("change", () => {
      if (!asOf.value) return;
      o.asOf = asOf.value;
      rememberAsOf(o.asOf);
      asOfShown.textContent = wt().asOfShown(o.asOf);
      asOfShown.dataset.asOf = o.asOf;
      writeOptions(o);
      void reloadRanked();
      void reloadTimeline();
    });
    subs.addEventListener("change", () => {
      o.subsidiaries = subs.checked;
      writeOptions(o);
      void reloadRanked();
      void reloadMatrix();
      void reloadTimeline();
    });
    category.addEventListener("change", () => {
      o.category = category.value;
      writeOptions(o);
      void reloadRanked();
    });
    within.addEventListener("change", () => {
      o.withinDays = Number(within.value);
      writeOptions(o);
      void reloadTimeline();
    });

    show(
      h("h1", { id: "ws-title" }, wt().title(name)),
      h("p", {}, wt().intro),
      h(
        "div",
        { class: "controls", role: "group", "aria-label": wt().controls },
        h("label", { for: "ws-as-of" }, wt().asOf, " ", asOf),
        h("label", { for: "ws-subsidiaries" }, subs, " ", t().withSubsidiaries),
        h("label", { for: "ws-category" }, wt().category, " ", category),
        h("label", { for: "ws-within" }, wt().withinDays, " ", within),
      ),
      asOfShown,
      rankedSection,
      matrixSection,
      timelineSection,
    );
  } catch (error) {
    if (error instanceof SignInNeeded) throw error;
    errorPage(error);
  }
}
