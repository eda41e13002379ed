// The drawing of the routes to a person: the routes' people and links in Cytoscape, laid out
// left to right (our people in the first column, the target in the last), one route
// highlighted at a time. Cytoscape is loaded only when the page draws (dynamic import).

import { redrawWhenFontsLoad, withPageFont } from "../canvas-font";
import type { Core, ElementDefinition, StylesheetJson } from "cytoscape";
import { STANCE } from "./powermap-graph";

export interface RoutePerson {
  id: string;
  name: string;
  title: string | null;
  stance: string;
  organization: { id: string; name: string };
}

export interface RouteHop {
  type: "KNOWS" | "INFLUENCES" | "REPORTS_TO";
  strength: number;
  from: { id: string };
  to: { id: string };
}

export interface Route {
  score: number;
  explanation: string;
  entryPoint: { id: string; name: string } | null;
  weakestLink: RouteHop;
  hops: RouteHop[];
  people: RoutePerson[];
}

/** The drawing's id of the link between two people, whichever way a route walks it. */
export function linkId(a: string, b: string): string {
  return a < b ? `${a}|${b}` : `${b}|${a}`;
}

const X_GAP = 190;
const Y_GAP = 90;

/** Columns by place on the routes (the farthest place a person has on any route; the target
 * last), rows by the order in which the routes, best first, meet the people of a column. */
export function routePositions(routes: Route[], targetId: string): Map<string, { x: number; y: number }> {
  const column = new Map<string, number>();
  const last = Math.max(1, ...routes.map((r) => r.people.length - 1));
  for (const route of routes) {
    route.people.forEach((p, i) => {
      if (p.id !== targetId) column.set(p.id, Math.max(column.get(p.id) ?? 0, Math.min(i, last - 1)));
    });
  }
  column.set(targetId, last);
  const rows = new Map<number, string[]>();
  for (const route of routes) {
    for (const p of route.people) {
      const col = column.get(p.id)!;
      const list = rows.get(col) ?? [];
      if (!list.includes(p.id)) list.push(p.id);
      rows.set(col, list);
    }
  }
  const placed = new Map<string, { x: number; y: number }>();
  for (const [col, ids] of rows) {
    ids.forEach((id, row) => placed.set(id, { x: col * X_GAP, y: (row - (ids.length - 1) / 2) * Y_GAP }));
  }
  return placed;
}

function elements(routes: Route[], targetId: string, ours: Set<string>): ElementDefinition[] {
  const people = new Map<string, RoutePerson>();
  const links = new Map<string, RouteHop>();
  for (const route of routes) {
    for (const p of route.people) people.set(p.id, p);
    for (const hop of route.hops) {
      const id = linkId(hop.from.id, hop.to.id);
      if (!links.has(id)) links.set(id, hop);
    }
  }
  return [
    ...[...people.values()].map((p) => ({
      group: "nodes" as const,
      data: {
        id: p.id,
        label: `${STANCE[p.stance]?.glyph ?? "?"} ${p.name}`,
        fill: (STANCE[p.stance] ?? STANCE.UNKNOWN).fill,
      },
      classes: p.id === targetId ? "target" : ours.has(p.id) ? "ours" : "",
    })),
    ...[...links.entries()].map(([id, hop]) => ({
      group: "edges" as const,
      data: {
        id,
        source: hop.from.id,
        target: hop.to.id,
        width: 1 + 5 * hop.strength,
        label: hop.strength.toFixed(2),
      },
      classes: hop.type.toLowerCase().replace("_", "-"),
    })),
  ];
}

const STYLE: StylesheetJson = [
  {
    selector: "node",
    style: {
      width: 30,
      height: 30,
      "background-color": "data(fill)",
      "border-width": 1,
      "border-color": "#1d2330",
      label: "data(label)",
      "font-size": 12,
      "text-valign": "bottom",
      "text-margin-y": 4,
      color: "#1d2330",
      "text-background-color": "#ffffff",
      "text-background-opacity": 0.85,
    },
  },
  { selector: "node.ours", style: { shape: "round-rectangle" } },
  { selector: "node.target", style: { shape: "star", width: 40, height: 40 } },
  {
    selector: "edge",
    style: {
      width: "data(width)",
      "curve-style": "bezier",
      "line-color": "#b8bcc6",
      label: "data(label)",
      "font-size": 10,
      color: "#475067",
      "text-background-color": "#ffffff",
      "text-background-opacity": 0.85,
    },
  },
  { selector: "edge.influences", style: { "line-style": "dashed" } },
  { selector: "edge.reports-to", style: { "line-style": "dotted" } },
  { selector: "node.on", style: { "border-width": 4, "border-color": "#f0a500" } },
  { selector: "edge.on", style: { "line-color": "#f0a500", "z-index": 10 } },
  { selector: ".off", style: { opacity: 0.35 } },
];

/** Draw ``routes`` in ``container``; ``onPick`` gets the id of a person clicked or tapped. */
export async function drawRoutes(
  container: HTMLElement,
  routes: Route[],
  targetId: string,
  ours: Set<string>,
  onPick: (id: string) => void,
): Promise<Core> {
  const { default: cytoscape } = await import("cytoscape");
  // As on the power map: a <meta> with this id keeps Cytoscape from adding a <style> element
  // that the page's CSP would block (style.css carries its one rule for #route-map).
  if (!document.getElementById("__________cytoscape_stylesheet")) {
    document.head.append(Object.assign(document.createElement("meta"), { id: "__________cytoscape_stylesheet" }));
  }
  const cy = cytoscape({
    container,
    elements: elements(routes, targetId, ours),
    style: withPageFont(STYLE),
    layout: { name: "preset", positions: Object.fromEntries(routePositions(routes, targetId)), fit: true, padding: 40 },
    userZoomingEnabled: false,
    maxZoom: 1.5,
  });
  cy.on("tap", "node", (event) => onPick(event.target.id()));
  redrawWhenFontsLoad(cy);
  return cy;
}

/** Highlight route ``index`` (its people and links); the others fade. */
export function highlightRoute(cy: Core, route: Route | undefined): void {
  cy.elements().removeClass("on off");
  if (!route) return;
  const on = new Set([...route.people.map((p) => p.id), ...route.hops.map((h) => linkId(h.from.id, h.to.id))]);
  cy.elements().forEach((element) => {
    element.addClass(on.has(element.id()) ? "on" : "off");
  });
}
