// Power map (/app/organizations/{id}/power-map): the people of the organization scope drawn
// by influence and stance with the lines between them, filters and search, a side panel per
// person, and a table of the same people (the accessible twin of the graph).
// Two reads: powerMap for the people, the relationships list narrowed to the scope (in pages
// of 500) for the lines; one more per person opened in the panel.

import type { Core } from "cytoscape";
import { SignInNeeded, graphql } from "../api";
import { h, show } from "../dom";
import { t } from "../i18n";
import { pt } from "./person-text";
import { FORCE_LIMIT, STANCE, drawMap, relayout, type MapLine, type MapPerson } from "./powermap-graph";
import { errorPage, notFoundPage } from "./simple";

interface Person extends MapPerson {
  title: string | null;
  seniority: string | null;
  department: { id: string; name: string } | null;
  manager: { id: string; name: string } | null;
}

interface Score {
  influence: number;
  hiddenInfluencer: boolean;
  person: Omit<Person, "influence" | "hiddenInfluencer">;
}

declare global {
  interface Window {
    __cy?: Core;
  }
}

async function loadPeople(id: string, subsidiaries: boolean): Promise<Person[]> {
  const data = await graphql<{ powerMap: Score[] }>(
    `query Map($id: ID!, $subs: Boolean!) { powerMap(organizationId: $id, includeSubsidiaries: $subs) {
       influence hiddenInfluencer
       person { id name title seniority stance department { id name } manager { id name } } } }`,
    { id, subs: subsidiaries },
  );
  return data.powerMap.map((s) => ({ ...s.person, influence: s.influence, hiddenInfluencer: s.hiddenInfluencer }));
}

async function loadLines(id: string, subsidiaries: boolean): Promise<MapLine[]> {
  type Page = {
    relationships: {
      pageInfo: { hasNextPage: boolean; endCursor: string | null };
      edges: { node: { type: MapLine["type"]; from: { id: string }; to: { id: string }; effectiveStrength: number; dotted: boolean } }[];
    };
  };
  const lines: MapLine[] = [];
  let after: string | null = null;
  for (;;) {
    const data: Page = await graphql<Page>(
      `query Lines($id: ID!, $subs: Boolean!, $after: String) {
         relationships(filter: {organizationId: $id, includeSubsidiaries: $subs}, first: 500, after: $after) {
           pageInfo { hasNextPage endCursor }
           edges { node { type from { id } to { id } effectiveStrength dotted } } } }`,
      { id, subs: subsidiaries, after },
    );
    for (const { node } of data.relationships.edges) {
      lines.push({ type: node.type, from: node.from.id, to: node.to.id, effectiveStrength: node.effectiveStrength, dotted: node.dotted });
    }
    if (!data.relationships.pageInfo.hasNextPage) return lines;
    after = data.relationships.pageInfo.endCursor;
  }
}

/** Names compared for search: Unicode-normalised (full-width Latin, half-width kana) and
 * case-folded, so "yamada", "ＹＡＭＡＤＡ" and "山田" each find what they contain. */
const fold = (text: string): string => text.normalize("NFKC").toLocaleLowerCase();

function select(id: string, label: string, options: [string, string][]): HTMLElement {
  return h(
    "label",
    { for: id },
    label,
    " ",
    h("select", { id }, h("option", { value: "" }, t().any), options.map(([value, text]) => h("option", { value }, text))),
  );
}

function stanceText(stance: string): string {
  return `${STANCE[stance]?.glyph ?? "?"} ${t()[stance as keyof ReturnType<typeof t>] ?? stance}`;
}

async function openPanel(panel: HTMLElement, personId: string): Promise<void> {
  panel.hidden = false;
  panel.replaceChildren(h("p", { role: "status" }, t().loading));
  type Detail = {
    person: {
      id: string;
      name: string;
      title: string | null;
      department: { name: string } | null;
      decisionRights: { area: string; role: string; scopeId: string }[];
      relationships: { type: string; dotted: boolean; lastContactOn: string | null; from: { id: string; name: string }; to: { id: string; name: string } }[];
    } | null;
  };
  const { person } = await graphql<Detail>(
    `query Person($id: ID!) { person(id: $id) { id name title department { name }
       decisionRights { area role scopeId }
       relationships { type dotted lastContactOn from { id name } to { id name } } } }`,
    { id: personId },
  );
  if (person === null) return;
  const close = h("button", { type: "button", id: "panel-close" }, t().closePanel);
  close.addEventListener("click", () => {
    panel.hidden = true;
  });
  panel.replaceChildren(
    h("h2", { id: "panel-name" }, person.name),
    h(
      "dl",
      {},
      h("dt", {}, t().title),
      h("dd", { id: "panel-title" }, person.title ?? "–"),
      h("dt", {}, t().department),
      h("dd", {}, person.department?.name ?? "–"),
    ),
    h("p", {}, h("a", { href: `/app/people/${encodeURIComponent(person.id)}`, id: "panel-routes" }, pt().routesLink)),
    h("h3", {}, t().decisionRights),
    person.decisionRights.length === 0
      ? h("p", {}, t().none)
      : h("ul", { id: "panel-rights" }, person.decisionRights.map((r) => h("li", {}, `${r.area}: ${r.role} (${r.scopeId})`))),
    h("h3", {}, t().relationships),
    person.relationships.length === 0
      ? h("p", {}, t().none)
      : h(
          "ul",
          { id: "panel-relationships" },
          person.relationships.map((r) => {
            const other = r.from.id === person.id ? r.to : r.from;
            const arrow = r.from.id === person.id ? "→" : "←";
            const contact = r.lastContactOn ? `${t().lastContact} ${r.lastContactOn}` : t().noLastContact;
            return h("li", {}, `${t()[r.type as "KNOWS"]}${r.dotted ? ` (${t().dottedLine})` : ""} ${arrow} ${other.name} — ${contact}`);
          }),
        ),
    close,
  );
  close.focus();
}

export async function powerMapPage(id: string, subsidiaries = true): Promise<void> {
  const began = performance.now();
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
    const [people, lines] = await Promise.all([loadPeople(id, subsidiaries), loadLines(id, subsidiaries)]);
    document.title = `${t().navPowerMap}: ${org.organization.name} — graphsvc`;
    const byId = new Map(people.map((p) => [p.id, p]));
    const departments = [...new Map(people.filter((p) => p.department).map((p) => [p.department!.id, p.department!.name]))];
    departments.sort((a, b) => a[1].localeCompare(b[1]));
    const seniorities = ["EXECUTIVE", "VP", "DIRECTOR", "MANAGER", "STAFF"].filter((s) => people.some((p) => p.seniority === s));

    const subs = h("input", { type: "checkbox", id: "subsidiaries", checked: subsidiaries });
    const force = h("option", { value: "force" }, t().layoutForce) as HTMLOptionElement;
    const layout = h("select", { id: "layout" }, h("option", { value: "tree" }, t().layoutTree), force);
    const search = h("input", { type: "search", id: "search", autocomplete: "off" }) as HTMLInputElement;
    const shown = h("p", { id: "shown", role: "status" });
    const container = h("div", { id: "map", role: "img", "aria-label": t().graphLabel, "data-layout": "pending" });
    const panel = h("aside", { id: "person-panel", "aria-live": "polite", hidden: true });
    const rows = people.map((p) => {
      const open = h("button", { type: "button", class: "link", "data-person-id": p.id }, p.name);
      open.addEventListener("click", () => void openPanel(panel, p.id).catch(errorPage));
      return h(
        "tr",
        { "data-person-id": p.id },
        h("th", { scope: "row" }, open, p.hiddenInfluencer ? ` ★ ${t().hiddenInfluencer}` : ""),
        h("td", {}, p.manager?.name ?? "–"),
        h("td", { "data-stance": p.stance }, stanceText(p.stance)),
        h("td", { class: "num" }, p.influence.toFixed(2)),
      );
    });
    const table = h(
      "table",
      { id: "people", "aria-labelledby": "people-title" },
      h("thead", {}, h("tr", {}, [t().name, t().manager, t().stance, t().influence].map((c) => h("th", { scope: "col" }, c)))),
      h("tbody", {}, rows),
    );
    show(
      h("h1", { id: "org-name" }, t().powerMapTitle(org.organization.name)),
      h("p", { id: "legend" }, t().powerMapHelp),
      h(
        "div",
        { class: "controls", role: "group", "aria-label": t().layoutLabel },
        h("label", { for: "subsidiaries" }, subs, " ", t().withSubsidiaries),
        h("label", { for: "layout" }, t().layoutLabel, " ", layout),
        select("f-department", t().department, departments),
        select("f-seniority", t().seniority, seniorities.map((s) => [s, t()[s as "STAFF"]])),
        select("f-stance", t().stance, Object.keys(STANCE).map((s) => [s, stanceText(s)])),
        h("label", { for: "search" }, t().searchLabel, " ", search),
      ),
      shown,
      h("div", { class: "map-area" }, container, panel),
      h("h2", { id: "people-title" }, t().peopleTable),
      table,
    );

    const cy = await drawMap(container, people, lines, (personId) => void openPanel(panel, personId).catch(errorPage));
    window.__cy = cy;
    const filterIds = ["f-department", "f-seniority", "f-stance"];
    const apply = (): void => {
      const [dep, sen, stance] = filterIds.map((fid) => (document.getElementById(fid) as HTMLSelectElement).value);
      const needle = fold(search.value.trim());
      let count = 0;
      for (const p of people) {
        const keep =
          (!dep || p.department?.id === dep) &&
          (!sen || p.seniority === sen) &&
          (!stance || p.stance === stance) &&
          (!needle || fold(p.name).includes(needle));
        if (keep) count++;
        cy.$id(p.id).toggleClass("filtered-out", !keep);
        (table.querySelector(`tr[data-person-id="${CSS.escape(p.id)}"]`) as HTMLElement).hidden = !keep;
      }
      shown.textContent = t().shownCount(count, people.length);
      force.disabled = count > FORCE_LIMIT;
      force.textContent = force.disabled ? t().layoutForceLimit(FORCE_LIMIT) : t().layoutForce;
      container.dataset.visibleCount = String(count);
    };
    for (const fid of filterIds) document.getElementById(fid)!.addEventListener("change", apply);
    search.addEventListener("input", apply);
    layout.addEventListener("change", () => {
      container.dataset.layout = "running";
      void relayout(cy, people, lines, (layout as HTMLSelectElement).value as "tree" | "force").then(() => {
        container.dataset.layout = "done";
      });
    });
    subs.addEventListener("change", () => void powerMapPage(id, (subs as HTMLInputElement).checked));
    apply();
    container.dataset.nodeCount = String(cy.nodes().length);
    container.dataset.edgeCount = String(cy.edges().length);
    container.dataset.people = String(byId.size);
    container.dataset.millis = String(Math.round(performance.now() - began));
    container.dataset.layout = "done";
  } catch (error) {
    if (error instanceof SignInNeeded) throw error;
    errorPage(error);
  }
}
