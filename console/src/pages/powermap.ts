// Power map (/app/organizations/{id}/power-map): the people of the organization scope drawn
// by influence and stance with the lines between them, filters and search, a side panel per
// person, and a table of the same people (the accessible twin of the graph).
// Two reads at once: powerMap for the people, powerMapLines for the lines between them; one
// more per person opened in the panel, where editors change a stance or a line and the map
// follows without reloading. Maps above FOLD_ABOVE people open folded (powermap-folding.ts).

import type { Core } from "cytoscape";
import { SignInNeeded, graphql } from "../api";
import { h, show } from "../dom";
import { t } from "../i18n";
import { FOLD_ABOVE, Folding } from "./powermap-folding";
import {
  FORCE_LIMIT,
  STANCE,
  addLines,
  drawMap,
  lineElement,
  lineId,
  loadCytoscape,
  nodeClasses,
  nodeData,
  relayout,
  type MapLine,
  type MapPerson,
} from "./powermap-graph";
import { openPanel, panelError, type PanelHost } from "./powermap-panel";
import { tt } from "./powermap-text";
import { errorPage, notFoundPage } from "./simple";

interface Person extends MapPerson {
  seniority: string | null;
  department: { id: string; name: string } | null;
  manager: { id: string; name: string } | null;
}

interface Score {
  influence: number;
  hiddenInfluencer: boolean;
  person: Omit<Person, "influence" | "hiddenInfluencer" | "manager" | "department"> & { departmentId: string | null };
}

declare global {
  interface Window {
    __cy?: Core;
  }
}

const PEOPLE_QUERY = `query Map($id: ID!, $subs: Boolean!) { powerMap(organizationId: $id, includeSubsidiaries: $subs) {
  influence hiddenInfluencer person { id name seniority stance departmentId } } }`;

// One request for every line of the scope, by ids only (no person looked up per end): the
// paged relationships list took 9 sequential requests (~2 s) on the demo's 1,978-person group.
const LINES_QUERY = `query Lines($id: ID!, $subs: Boolean!) { powerMapLines(organizationId: $id, includeSubsidiaries: $subs) {
  type fromId toId effectiveStrength dotted } }`;

async function loadPeople(id: string, subsidiaries: boolean): Promise<Score[]> {
  const data = await graphql<{ powerMap: Score[] }>(PEOPLE_QUERY, { id, subs: subsidiaries });
  return data.powerMap;
}

async function loadLines(id: string, subsidiaries: boolean): Promise<MapLine[]> {
  type Lines = { powerMapLines: { type: MapLine["type"]; fromId: string; toId: string; effectiveStrength: number; dotted: boolean }[] };
  const data = await graphql<Lines>(LINES_QUERY, { id, subs: subsidiaries });
  return data.powerMapLines.map((l) => ({ type: l.type, from: l.fromId, to: l.toId, effectiveStrength: l.effectiveStrength, dotted: l.dotted }));
}

/** The people with their departments and solid-line managers, from the REPORTS_TO lines
 * already read (asking powerMap for manager { id name } looked every manager up again: +0.47 s
 * on the demo's group). */
function withManagers(scores: Score[], lines: MapLine[], departments: Map<string, { name: string }>): Person[] {
  const people = scores.map(({ person: { departmentId, ...person }, influence, hiddenInfluencer }) => ({
    ...person,
    influence,
    hiddenInfluencer,
    department: departmentId === null ? null : { id: departmentId, name: departments.get(departmentId)?.name ?? departmentId },
  }));
  const names = new Map(people.map((p) => [p.id, p.name]));
  const manager = new Map<string, { id: string; name: string }>();
  for (const l of lines) {
    if (l.type === "REPORTS_TO" && !l.dotted && !manager.has(l.from) && names.has(l.to)) {
      manager.set(l.from, { id: l.to, name: names.get(l.to)! });
    }
  }
  return people.map((p) => ({ ...p, manager: manager.get(p.id) ?? null }));
}

/** The scope's departments with their companies, read beside the people (asking each person
 * for department { id name } resolved a department per person: ~0.5 s at 10,000 people). The
 * filter names each department's company: a group's companies often share department names
 * (営業部 in every subsidiary). */
async function loadDepartments(id: string, subsidiaries: boolean): Promise<Map<string, { name: string; company: string }>> {
  type Page = {
    departments: {
      pageInfo: { hasNextPage: boolean; endCursor: string | null };
      edges: { node: { id: string; name: string; organization: { name: string } } }[];
    };
  };
  const found = new Map<string, { name: string; company: string }>();
  let after: string | null = null;
  for (;;) {
    const data: Page = await graphql<Page>(
      `query Departments($id: ID!, $subs: Boolean!, $after: String) {
         departments(filter: {organizationId: $id, includeSubsidiaries: $subs}, first: 500, after: $after) {
           pageInfo { hasNextPage endCursor } edges { node { id name organization { name } } } } }`,
      { id, subs: subsidiaries, after },
    );
    for (const { node } of data.departments.edges) found.set(node.id, { name: node.name, company: node.organization.name });
    if (!data.departments.pageInfo.hasNextPage) return found;
    after = data.departments.pageInfo.endCursor;
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

/** Lines added to the map per frame (~0.25 s of Cytoscape's work each on this box). */
const LINES_PER_FRAME = 1000;

/** Until the next frame has been drawn (Cytoscape draws in animation frames). */
const nextFrame = (): Promise<void> => new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve)));

export async function powerMapPage(id: string, subsidiaries = true): Promise<void> {
  const began = performance.now();
  show(h("p", { role: "status" }, t().loading));
  try {
    // Everything at once: the organization, its people, its lines and the drawing library.
    const library = loadCytoscape();
    const reads = Promise.all([loadPeople(id, subsidiaries), loadLines(id, subsidiaries), loadDepartments(id, subsidiaries)]);
    reads.catch(() => undefined); // an unknown organization is answered by the first read
    const org = await graphql<{ organization: { name: string } | null; viewer: { canWrite: boolean } }>(
      `query Org($id: ID!) { organization(id: $id) { name } viewer { canWrite } }`,
      { id },
    );
    if (org.organization === null) {
      notFoundPage(`organization “${id}”`);
      return;
    }
    const [scored, lines, departmentOf] = await reads;
    performance.mark("map:data");
    const people = withManagers(scored, lines, departmentOf);
    document.title = `${t().navPowerMap}: ${org.organization.name} — graphsvc`;
    const byId = new Map(people.map((p) => [p.id, p]));
    const companies = new Set([...departmentOf.values()].map((d) => d.company));
    const departmentText = (dep: { id: string; name: string }): string => {
      const company = departmentOf.get(dep.id)?.company;
      return companies.size > 1 && company ? `${dep.name} — ${company}` : dep.name;
    };
    const departments = [...new Map(people.filter((p) => p.department).map((p) => [p.department!.id, departmentText(p.department!)]))];
    departments.sort((a, b) => a[1].localeCompare(b[1]));
    const seniorities = ["EXECUTIVE", "VP", "DIRECTOR", "MANAGER", "STAFF"].filter((s) => people.some((p) => p.seniority === s));
    const folding = people.length > FOLD_ABOVE ? new Folding(people, lines) : null;

    const subs = h("input", { type: "checkbox", id: "subsidiaries", checked: subsidiaries });
    const force = h("option", { value: "force" }, t().layoutForce) as HTMLOptionElement;
    const layout = h("select", { id: "layout" }, h("option", { value: "tree" }, t().layoutTree), force);
    const search = h("input", { type: "search", id: "search", autocomplete: "off" }) as HTMLInputElement;
    const shown = h("p", { id: "shown", role: "status" });
    const note = h("p", { id: "folded-note" });
    const container = h("div", { id: "map", role: "img", "aria-label": t().graphLabel, "data-layout": "pending" });
    const panel = h("aside", { id: "person-panel", "aria-live": "polite", hidden: true });
    let host: PanelHost | null = null; // set once the map is drawn
    let asked: string | null = null; // a person clicked before that, opened then
    const open = (personId: string): void => {
      if (host) void openPanel(panel, personId, host).catch(panelError(panel));
      else asked = personId;
    };
    const rowOf = new Map<string, HTMLElement>();
    const stanceCell = new Map<string, HTMLElement>();
    const rows = people.map((p) => {
      const button = h("button", { type: "button", class: "link", "data-person-id": p.id }, p.name);
      button.addEventListener("click", () => open(p.id));
      const cell = h("td", { "data-stance": p.stance }, stanceText(p.stance));
      const row = h(
        "tr",
        { "data-person-id": p.id },
        h("th", { scope: "row" }, button, p.hiddenInfluencer ? ` ★ ${t().hiddenInfluencer}` : ""),
        h("td", {}, p.manager?.name ?? "–"),
        cell,
        h("td", { class: "num" }, p.influence.toFixed(2)),
      );
      rowOf.set(p.id, row);
      stanceCell.set(p.id, cell);
      return row;
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
      folding ? note : null,
      h("div", { class: "map-area" }, container, panel),
      h("h2", { id: "people-title" }, t().peopleTable),
      table,
    );

    performance.mark("map:table");
    await library;
    performance.mark("map:library");
    const drawn = (): MapPerson[] => (folding ? people.filter((p) => folding.isShown(p.id)) : people);
    const folded = (personId: string): number => folding?.hidden(personId) ?? 0;
    const cy = await drawMap(container, drawn(), lines, open, folded);
    window.__cy = cy;
    performance.mark("map:built");

    const filterIds = ["f-department", "f-seniority", "f-stance"];
    const filteredOut = new Set<string>();
    const apply = (): void => {
      const [dep, sen, stance] = filterIds.map((fid) => (document.getElementById(fid) as HTMLSelectElement).value);
      const needle = fold(search.value.trim());
      let count = 0;
      cy.batch(() => {
        for (const p of people) {
          const keep =
            (!dep || p.department?.id === dep) &&
            (!sen || p.seniority === sen) &&
            (!stance || p.stance === stance) &&
            (!needle || fold(p.name).includes(needle));
          if (keep) count++;
          // Only what changes is touched: restyling 2,000 nodes per keystroke is visible.
          if (keep === filteredOut.has(p.id)) {
            if (keep) filteredOut.delete(p.id);
            else filteredOut.add(p.id);
            cy.$id(p.id).toggleClass("filtered-out", !keep);
            rowOf.get(p.id)!.hidden = !keep;
          }
        }
      });
      shown.textContent = t().shownCount(count, people.length);
      force.disabled = count > FORCE_LIMIT;
      force.textContent = force.disabled ? t().layoutForceLimit(FORCE_LIMIT) : t().layoutForce;
      container.dataset.visibleCount = String(count);
    };
    const counts = (): void => {
      container.dataset.nodeCount = String(cy.nodes().length);
      container.dataset.edgeCount = String(cy.edges().length);
      if (folding) note.textContent = tt().foldedNote(cy.nodes().length, people.length, folding.depth);
    };
    for (const fid of filterIds) document.getElementById(fid)!.addEventListener("change", apply);
    search.addEventListener("input", apply);
    const layoutNow = (): Promise<void> => {
      container.dataset.layout = "running";
      return relayout(cy, drawn(), lines, (layout as HTMLSelectElement).value as "tree" | "force").then(() => {
        container.dataset.layout = "done";
      });
    };
    layout.addEventListener("change", () => void layoutNow());
    subs.addEventListener("change", () => void powerMapPage(id, (subs as HTMLInputElement).checked));

    // What the panel changes, the map and the table follow (no reload).
    const lineOf = new Map(lines.map((l) => [lineId(l), l]));
    const sameLine = (l: MapLine): MapLine | undefined =>
      lineOf.get(lineId(l)) ?? (l.type === "KNOWS" ? lineOf.get(lineId({ ...l, from: l.to, to: l.from })) : undefined);
    host = {
      canWrite: org.viewer.canWrite,
      names: new Map(people.map((p) => [p.id, p.name])),
      stanceOf: (personId) => byId.get(personId)?.stance ?? "UNKNOWN",
      stanceChanged(personId, stance) {
        const p = byId.get(personId)!;
        p.stance = stance;
        cy.$id(personId).data(nodeData(p, folded(personId)));
        const cell = stanceCell.get(personId)!;
        cell.dataset.stance = stance;
        cell.textContent = stanceText(stance);
        apply();
      },
      lineSaved(line) {
        const known = sameLine(line);
        if (known) {
          known.effectiveStrength = line.effectiveStrength;
          cy.$id(lineId(known)).data("width", lineElement(known).data.width);
          return;
        }
        lines.push(line);
        lineOf.set(lineId(line), line);
        if (cy.$id(line.from).nonempty() && cy.$id(line.to).nonempty()) cy.add(lineElement(line));
        counts();
      },
      folding: folding
        ? {
            hidden: (personId) => folding.hidden(personId),
            shown: (personId) => folding.reportsShown(personId),
            toggle(personId) {
              folding.toggle(personId);
              const wanted = new Set(drawn().map((p) => p.id));
              cy.batch(() => {
                cy.nodes().filter((n) => !wanted.has(n.id())).remove();
                const present = new Set(cy.nodes().map((n) => n.id()));
                const added = [...wanted].filter((pid) => !present.has(pid));
                cy.add(
                  added.map((pid) => ({
                    group: "nodes" as const,
                    data: nodeData(byId.get(pid)!, folded(pid)),
                    classes: `${nodeClasses(byId.get(pid)!, folded(pid))}${filteredOut.has(pid) ? " filtered-out" : ""}`,
                  })),
                );
                addLines(cy, lines.filter((l) => wanted.has(l.from) && wanted.has(l.to)));
                // Only the person unfolded or folded changes its mark (+N, dashed border).
                const node = cy.$id(personId);
                node.data("label", nodeData(byId.get(personId)!, folded(personId)).label);
                node.toggleClass("folded", folded(personId) > 0);
              });
              counts();
              void layoutNow();
            },
          }
        : undefined,
    };

    if (asked !== null) open(asked);
    apply();
    // Cytoscape draws on the next animation frame: the people answer clicks once that is done.
    // The lines follow, LINES_PER_FRAME at a time, so clicks are answered meanwhile too;
    // data-layout says "done" once every line is drawn.
    await nextFrame();
    performance.mark("map:drawn");
    for (let i = 0; i < lines.length; i += LINES_PER_FRAME) {
      addLines(cy, lines.slice(i, i + LINES_PER_FRAME));
      await nextFrame();
    }
    performance.mark("map:lines");
    counts();
    container.dataset.people = String(byId.size);
    container.dataset.millis = String(Math.round(performance.now() - began));
    container.dataset.layout = "done";
  } catch (error) {
    if (error instanceof SignInNeeded) throw error;
    errorPage(error);
  }
}
