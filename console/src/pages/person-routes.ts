// The routes part of the person page: options (starting people, avoided people, number of
// routes, most links), the routes written out (the drawing's accessible twin) and drawn.
// The options live in the address (?from=a,b&avoid=c&k=5&maxHops=4), so a link reproduces
// the view; each change pushes a new address and asks contactRouteSearch again.
//
// Avoiding: anyone on a route but the target can be avoided (the target is what the routes
// lead to). An avoided person of ours neither starts a route nor relays one (the API never
// uses someone in `avoid` as a source); their starting checkbox is disabled while avoided.

import type { Core } from "cytoscape";
import { ApiError, SignInNeeded, graphql } from "../api";
import { h } from "../dom";
import { currentLang } from "../i18n";
import { drawRoutes, highlightRoute, type Route, type RouteHop } from "./person-graph";
import { pt, ptWord } from "./person-text";

export interface OurPerson {
  id: string;
  name: string;
  title: string | null;
}

interface Options {
  /** null: every person of ours (the API's default). */
  from: string[] | null;
  avoid: string[];
  k: number;
  maxHops: number;
}

export const DEFAULT_K = 3;
export const DEFAULT_MAX_HOPS = 6;

declare global {
  interface Window {
    __cy?: Core;
  }
}

/** A list of ids in the address: each id URI-encoded (so a comma in an id is %2C), joined by commas. */
const idList = (raw: string): string[] => (raw === "" ? [] : raw.split(",").map(decodeURIComponent));

function bounded(raw: string | undefined, fallback: number): number {
  const value = Number(raw);
  return Number.isInteger(value) && value >= 1 && value <= 10 ? value : fallback;
}

/** The options written in ``search`` (location.search); what is missing takes its default. */
export function readOptions(search: string): Options {
  const raw = new Map<string, string>();
  for (const part of search.replace(/^\?/, "").split("&")) {
    if (!part) continue;
    const at = part.indexOf("=");
    raw.set(at < 0 ? part : part.slice(0, at), at < 0 ? "" : part.slice(at + 1));
  }
  return {
    from: raw.has("from") ? idList(raw.get("from")!) : null,
    avoid: raw.has("avoid") ? idList(raw.get("avoid")!) : [],
    k: bounded(raw.get("k"), DEFAULT_K),
    maxHops: bounded(raw.get("maxHops"), DEFAULT_MAX_HOPS),
  };
}

export function writeOptions(options: Options): string {
  const parts: string[] = [];
  const list = (ids: string[]): string => ids.map(encodeURIComponent).join(",");
  if (options.from !== null) parts.push(`from=${list(options.from)}`);
  if (options.avoid.length > 0) parts.push(`avoid=${list(options.avoid)}`);
  if (options.k !== DEFAULT_K) parts.push(`k=${options.k}`);
  if (options.maxHops !== DEFAULT_MAX_HOPS) parts.push(`maxHops=${options.maxHops}`);
  return parts.length > 0 ? `?${parts.join("&")}` : "";
}

const ROUTES = `query Routes($to: ID!, $from: [ID!], $avoid: [ID!], $k: Int!, $maxHops: Int!, $lang: ExplanationLanguage!) {
  contactRouteSearch(to: $to, from: $from, avoid: $avoid, k: $k, maxHops: $maxHops, distinctEntry: true) {
    emptyReason
    routes {
      score explanation(language: $lang) entryPoint { id name }
      weakestLink { type strength from { id } to { id } }
      hops { type strength from { id } to { id } }
      people { id name title stance organization { id name } } } } }`;

const linkWords = (hop: RouteHop): string =>
  `${ptWord(`link${hop.type}`)} ${hop.strength.toFixed(2)}`;

/** One route written out: score, links, entry point, weakest link, explanation, and the
 * chain of people with the link before each and an Avoid button (not for the target). */
function routeItem(
  route: Route,
  index: number,
  targetId: string,
  onHighlight: (index: number) => void,
  onAvoid: (id: string) => void,
): HTMLElement {
  const names = new Map(route.people.map((p) => [p.id, p.name]));
  const weak = route.weakestLink;
  const show = h("button", { type: "button", class: "route-show", "aria-pressed": "false" }, pt().highlight);
  show.addEventListener("click", () => onHighlight(index));
  const chain = h(
    "ol",
    { class: "chain", "aria-label": pt().chain },
    route.people.map((p, i) => {
      const avoid =
        p.id === targetId
          ? null
          : h("button", { type: "button", class: "avoid", "data-person-id": p.id, "aria-label": pt().avoidLabel(p.name) }, pt().avoid);
      avoid?.addEventListener("click", () => onAvoid(p.id));
      return h(
        "li",
        { "data-person-id": p.id },
        i > 0 ? h("span", { class: "hop", "data-type": route.hops[i - 1].type }, `— ${linkWords(route.hops[i - 1])} → `) : null,
        h("a", { href: `/app/people/${encodeURIComponent(p.id)}`, class: "person" }, p.name),
        h(
          "span",
          { class: "muted" },
          ` (${[p.title, p.organization.name].filter(Boolean).join(", ")})`,
          i === 0 ? ` · ${pt().start}` : "",
          p.id === targetId ? ` · ${pt().target}` : "",
        ),
        avoid ? " " : null,
        avoid,
      );
    }),
  );
  return h(
    "li",
    { class: "route", "data-route": index },
    h("h3", {}, `${pt().route(index + 1)} · ${pt().score} ${route.score.toFixed(3)} · ${pt().hops(route.hops.length)}`, " ", show),
    chain,
    h(
      "dl",
      { class: "route-facts" },
      h("dt", {}, pt().entryPoint),
      h("dd", { class: "entry-point", "data-person-id": route.entryPoint?.id ?? "" }, route.entryPoint?.name ?? pt().noEntryPoint),
      h("dt", {}, pt().weakestLink),
      h(
        "dd",
        { class: "weakest-link", "data-from": weak.from.id, "data-to": weak.to.id },
        `${names.get(weak.from.id) ?? weak.from.id} — ${names.get(weak.to.id) ?? weak.to.id}: ${linkWords(weak)}`,
      ),
      h("dt", {}, pt().explanation),
      h("dd", { class: "explanation" }, route.explanation),
    ),
  );
}

/** Fill ``section`` with the route options, the routes written out and their drawing. */
export async function routesSection(
  section: HTMLElement,
  target: { id: string; name: string },
  ours: OurPerson[],
): Promise<void> {
  let options = readOptions(location.search);
  const oursById = new Map(ours.map((p) => [p.id, p]));
  const names = new Map<string, string>(ours.map((p) => [p.id, p.name]));
  const checked = new Set(options.from ?? ours.map((p) => p.id));

  const k = h("input", { type: "number", id: "route-k", min: 1, max: 10, value: options.k }) as HTMLInputElement;
  const hops = h("input", { type: "number", id: "route-max-hops", min: 1, max: 10, value: options.maxHops }) as HTMLInputElement;
  const boxes = ours.map(
    (p) => h("input", { type: "checkbox", id: `from-${p.id}`, value: p.id, checked: checked.has(p.id) }) as HTMLInputElement,
  );
  const allButton = h("button", { type: "button", id: "from-all" }, pt().allOurs);
  const noneButton = h("button", { type: "button", id: "from-none" }, pt().noneOurs);
  const fromSet = h(
    "fieldset",
    { id: "from" },
    h("legend", {}, pt().fromLegend),
    h("p", { class: "muted" }, pt().fromHelp, " ", allButton, " ", noneButton),
    h(
      "ul",
      { class: "from-list" },
      ours.map((p, i) =>
        h(
          "li",
          {},
          h("label", { for: boxes[i].id }, boxes[i], " ", p.name, p.title ? h("span", { class: "muted" }, ` (${p.title})`) : null),
          h("span", { class: "avoided-mark", "data-person-id": p.id, hidden: true }, ` · ${pt().avoidedMark}`),
        ),
      ),
    ),
  );
  const avoided = h("ul", { id: "avoided", "aria-labelledby": "avoided-title" });
  const status = h("p", { id: "routes-status", role: "status" });
  const list = h("ol", { id: "routes", "aria-label": pt().routesTitle });
  const legend = h("p", { id: "route-legend", class: "muted" }, pt().legend);
  const summary = h("summary", {}, pt().fromLegend);
  const drawing = h("div", { id: "route-map", role: "img", "aria-label": pt().graphLabel, "data-state": "pending" });

  section.replaceChildren(
    h("h2", { id: "routes-title" }, pt().routesTitle),
    h("p", {}, pt().routesHelp),
    h(
      "div",
      { class: "route-options", role: "group", "aria-label": pt().options },
      h(
        "div",
        { class: "controls" },
        h("label", { for: "route-k" }, pt().kLabel, " ", k),
        h("label", { for: "route-max-hops" }, pt().maxHopsLabel, " ", hops),
      ),
      h("details", { id: "from-details", open: options.from !== null }, summary, fromSet),
      h("h3", { id: "avoided-title" }, pt().avoidedTitle),
      avoided,
    ),
    status,
    legend,
    drawing,
    list,
  );

  let cy: Core | null = null;
  let routes: Route[] = [];
  let asked = 0;

  const highlight = (index: number): void => {
    for (const item of list.querySelectorAll<HTMLElement>("li.route")) {
      const on = Number(item.dataset.route) === index;
      item.classList.toggle("highlighted", on);
      item.querySelector(".route-show")!.setAttribute("aria-pressed", String(on));
    }
    drawing.dataset.highlighted = String(index);
    if (cy) highlightRoute(cy, routes[index]);
  };

  const renderOptions = (): void => {
    avoided.replaceChildren(
      ...(options.avoid.length === 0
        ? [h("li", { class: "muted" }, pt().avoidedNone)]
        : options.avoid.map((id) => {
            const name = names.get(id) ?? id;
            const remove = h("button", { type: "button", class: "unavoid", "data-person-id": id, "aria-label": pt().unavoid(name) }, "×");
            remove.addEventListener("click", () => change({ avoid: options.avoid.filter((a) => a !== id) }));
            return h("li", { "data-person-id": id }, name, " ", remove);
          })),
    );
    summary.textContent = pt().fromSummary(boxes.filter((b) => b.checked).length, boxes.length);
    boxes.forEach((box) => {
      const isAvoided = options.avoid.includes(box.value);
      box.disabled = isAvoided;
      (fromSet.querySelector(`.avoided-mark[data-person-id="${CSS.escape(box.value)}"]`) as HTMLElement).hidden = !isAvoided;
    });
  };

  const search = async (): Promise<void> => {
    const mine = ++asked;
    renderOptions();
    drawing.dataset.state = "running";
    if (options.from !== null && options.from.length === 0) {
      routes = [];
      list.replaceChildren();
      cy?.destroy();
      cy = null;
      status.textContent = pt().noStart;
      status.dataset.reason = "NO_START";
      drawing.hidden = legend.hidden = true;
      drawing.dataset.state = "done";
      return;
    }
    status.textContent = pt().searching;
    delete status.dataset.reason;
    let answer: { contactRouteSearch: { emptyReason: string | null; routes: Route[] } };
    try {
      answer = await graphql(ROUTES, {
        to: target.id,
        from: options.from,
        avoid: options.avoid,
        k: options.k,
        maxHops: options.maxHops,
        lang: currentLang() === "ja" ? "JA" : "EN",
      });
    } catch (error) {
      if (error instanceof SignInNeeded) throw error;
      if (mine !== asked) return;
      const words = error instanceof ApiError ? `${error.message} (${error.code})` : String(error);
      routes = [];
      list.replaceChildren();
      status.textContent = `${pt().routesError} ${words}`;
      status.dataset.reason = "ERROR";
      drawing.hidden = legend.hidden = true;
      drawing.dataset.state = "done";
      return;
    }
    if (mine !== asked) return;
    const found = answer.contactRouteSearch;
    routes = found.routes;
    for (const route of routes) for (const p of route.people) names.set(p.id, p.name);
    renderOptions();
    list.replaceChildren(...routes.map((route, i) => routeItem(route, i, target.id, highlight, avoid)));
    if (found.emptyReason) {
      status.textContent = `${pt().empty} ${ptWord(found.emptyReason)}`;
      status.dataset.reason = found.emptyReason;
    } else {
      status.textContent = pt().routeCount(routes.length);
    }
    cy?.destroy();
    cy = null;
    drawing.hidden = legend.hidden = routes.length === 0;
    if (routes.length > 0) {
      const drawn = await drawRoutes(drawing, routes, target.id, new Set(oursById.keys()), (id) => avoid(id));
      if (mine !== asked) {
        drawn.destroy();
        return;
      }
      cy = drawn;
      window.__cy = cy;
      highlight(0);
      drawing.dataset.nodeCount = String(cy.nodes().length);
      drawing.dataset.edgeCount = String(cy.edges().length);
    }
    drawing.dataset.routes = String(routes.length);
    drawing.dataset.state = "done";
  };

  function change(next: Partial<Options>): void {
    options = { ...options, ...next };
    const address = location.pathname + writeOptions(options);
    if (address !== location.pathname + location.search) history.pushState(null, "", address);
    void search();
  }

  function avoid(id: string): void {
    if (id === target.id) {
      status.textContent = pt().targetNotAvoidable;
      return;
    }
    if (!options.avoid.includes(id)) change({ avoid: [...options.avoid, id] });
  }

  const fromChanged = (): void => {
    const ids = boxes.filter((b) => b.checked).map((b) => b.value);
    change({ from: ids.length === ours.length ? null : ids });
  };
  for (const box of boxes) box.addEventListener("change", fromChanged);
  allButton.addEventListener("click", () => {
    for (const box of boxes) box.checked = true;
    fromChanged();
  });
  noneButton.addEventListener("click", () => {
    for (const box of boxes) box.checked = false;
    fromChanged();
  });
  k.addEventListener("change", () => change({ k: bounded(k.value, DEFAULT_K) }));
  hops.addEventListener("change", () => change({ maxHops: bounded(hops.value, DEFAULT_MAX_HOPS) }));

  // Names of people avoided in a shared link who are on no route (and not ours).
  const unnamed = options.avoid.filter((id) => !names.has(id));
  if (unnamed.length > 0) {
    const fields = unnamed.map((_, i) => `p${i}: person(id: $i${i}) { id name }`).join(" ");
    const params = unnamed.map((_, i) => `$i${i}: ID!`).join(", ");
    const found = await graphql<Record<string, { id: string; name: string } | null>>(
      `query Names(${params}) { ${fields} }`,
      Object.fromEntries(unnamed.map((id, i) => [`i${i}`, id])),
    );
    for (const p of Object.values(found)) if (p) names.set(p.id, p.name);
  }
  await search();
}
