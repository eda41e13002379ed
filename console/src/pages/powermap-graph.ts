// The power map's drawing: a tidy tree of the solid REPORTS_TO lines (computed here in linear
// time, handed to Cytoscape as preset positions) or Cytoscape's force layout (cose). Cytoscape
// is loaded only by this page (dynamic import), so the overview's bundle stays small.

import { redrawWhenFontsLoad, withPageFont } from "../canvas-font";
import type { Core, ElementDefinition, StylesheetJson } from "cytoscape";

export interface MapPerson {
  id: string;
  name: string;
  stance: string;
  influence: number;
  hiddenInfluencer: boolean;
}

export interface MapLine {
  type: "KNOWS" | "INFLUENCES" | "REPORTS_TO";
  from: string;
  to: string;
  effectiveStrength: number;
  dotted: boolean;
}

/** Diverging stance scale (green: for us, red: against, grey: unknown) and its text glyph,
 * so that colour is never the only signal. */
export const STANCE: Record<string, { fill: string; glyph: string }> = {
  CHAMPION: { fill: "#1a7f37", glyph: "++" },
  SUPPORTER: { fill: "#7cc47f", glyph: "+" },
  NEUTRAL: { fill: "#f2f2e6", glyph: "=" },
  SKEPTIC: { fill: "#f4a259", glyph: "−" },
  BLOCKER: { fill: "#c0392b", glyph: "−−" },
  UNKNOWN: { fill: "#b8bcc6", glyph: "?" },
};

/** The force layout (cose) costs the square of the people shown per step: above this many
 * (1,978 in the demo's largest group: 90 s) it is offered only once filters narrow the map. */
export const FORCE_LIMIT = 300;

const X_GAP = 90;
const Y_GAP = 130;

/** Tidy-tree positions over the solid REPORTS_TO lines (child → manager): each subtree gets
 * as many columns as it has leaves, a manager sits above the middle of its reports, roots
 * side by side. Every person and line is visited a constant number of times; a cycle of
 * lines is cut where the walk meets a person already placed. */
export function treePositions(people: MapPerson[], lines: MapLine[]): Map<string, { x: number; y: number }> {
  const known = new Set(people.map((p) => p.id));
  const manager = new Map<string, string>();
  for (const line of lines) {
    if (line.type !== "REPORTS_TO" || line.dotted || !known.has(line.to)) continue;
    if (!manager.has(line.from)) manager.set(line.from, line.to);
  }
  const reports = new Map<string, string[]>();
  for (const [child, boss] of manager) {
    const list = reports.get(boss) ?? [];
    list.push(child);
    reports.set(boss, list);
  }
  const placed = new Map<string, { x: number; y: number }>();
  let column = 0;
  // Roots first (no manager in the map), then whatever a cycle left unplaced.
  const starts = [...people.filter((p) => !manager.has(p.id)), ...people].map((p) => p.id);
  for (const root of starts) {
    if (placed.has(root)) continue;
    // Iterative post-order walk: a leaf takes the next column, a manager the middle of its
    // placed reports.
    const stack: { id: string; depth: number; next: number }[] = [{ id: root, depth: 0, next: 0 }];
    placed.set(root, { x: 0, y: 0 });
    while (stack.length > 0) {
      const top = stack[stack.length - 1];
      const children = reports.get(top.id) ?? [];
      if (top.next < children.length) {
        const child = children[top.next++];
        if (placed.has(child)) continue;
        placed.set(child, { x: 0, y: 0 });
        stack.push({ id: child, depth: top.depth + 1, next: 0 });
        continue;
      }
      stack.pop();
      const own = children.map((c) => placed.get(c)!).filter((p) => p.y === (top.depth + 1) * Y_GAP);
      const x = own.length > 0 ? (own[0].x + own[own.length - 1].x) / 2 : column++ * X_GAP;
      placed.set(top.id, { x, y: top.depth * Y_GAP });
    }
  }
  return placed;
}

/** A person's node data: label (stance glyph, name, ★ for a hidden influencer, +N for reports
 * folded away), size by influence, fill by stance. */
export function nodeData(p: MapPerson, folded = 0): { id: string; label: string; size: number; fill: string } {
  return {
    id: p.id,
    label: `${STANCE[p.stance]?.glyph ?? "?"} ${p.name}${p.hiddenInfluencer ? " ★" : ""}${folded > 0 ? ` +${folded}` : ""}`,
    size: 24 + 46 * p.influence,
    fill: (STANCE[p.stance] ?? STANCE.UNKNOWN).fill,
  };
}

/** A person's node classes: hidden influencer, reports folded away. */
export function nodeClasses(p: MapPerson, folded = 0): string {
  return [p.hiddenInfluencer ? "hidden-influencer" : "", folded > 0 ? "folded" : ""].join(" ").trim();
}

/** The map's id of a line: TYPE|from|to, as the relationships list names its ends. */
export const lineId = (l: MapLine): string => `${l.type}|${l.from}|${l.to}`;

export function lineElement(l: MapLine): ElementDefinition {
  return {
    group: "edges",
    data: { id: lineId(l), source: l.from, target: l.to, width: 1 + 4 * l.effectiveStrength },
    classes: l.type === "REPORTS_TO" ? (l.dotted ? "reports dotted" : "reports") : l.type.toLowerCase(),
  };
}

function nodes(people: MapPerson[], folded: (id: string) => number): ElementDefinition[] {
  return people.map((p) => ({ group: "nodes", data: nodeData(p, folded(p.id)), classes: nodeClasses(p, folded(p.id)) }));
}

/** Draw the lines between the people already on the map (after the people: see drawMap). */
export function addLines(cy: Core, lines: MapLine[]): void {
  const present = new Set(cy.nodes().map((n) => n.id()));
  const known = new Set(cy.edges().map((e) => e.id()));
  cy.add(lines.filter((l) => present.has(l.from) && present.has(l.to) && !known.has(lineId(l))).map(lineElement));
}

const STYLE: StylesheetJson = [
  {
    selector: "node",
    style: {
      width: "data(size)",
      height: "data(size)",
      "background-color": "data(fill)",
      "border-width": 1,
      "border-color": "#1d2330",
      label: "data(label)",
      "font-size": 11,
      "text-valign": "bottom",
      "text-margin-y": 3,
      color: "#1d2330",
      "text-background-color": "#ffffff",
      "text-background-opacity": 0.8,
      // Labels smaller than this on screen are not drawn: a whole 2,000-person map shows
      // shapes, zooming in shows names (and drawing 2,000 unreadable labels cost ~0.5 s).
      "min-zoomed-font-size": 7,
    },
  },
  { selector: "node.hidden-influencer", style: { "border-width": 4, "border-style": "double", "border-color": "#6a1b9a" } },
  { selector: "node.folded", style: { "border-width": 3, "border-style": "dashed" } },
  { selector: "node:selected", style: { "border-width": 4, "border-color": "#f0a500" } },
  { selector: "node.filtered-out", style: { display: "none" } },
  // Straight "haystack" lines for the many KNOWS and solid REPORTS_TO lines (bezier curves
  // cost ~1 s to lay out for the demo's 4,000 lines); arrows and dashes need "straight".
  { selector: "edge", style: { width: "data(width)", "curve-style": "haystack", "haystack-radius": 0.3, "line-color": "#8a93a6" } },
  { selector: "edge.knows", style: { "line-color": "#b8bcc6" } },
  {
    selector: "edge.influences",
    style: {
      "curve-style": "straight",
      "line-color": "#6a1b9a",
      "target-arrow-shape": "triangle",
      "target-arrow-color": "#6a1b9a",
    },
  },
  { selector: "edge.reports", style: { "line-color": "#1d2b4f", "line-style": "solid" } },
  { selector: "edge.dotted", style: { "curve-style": "straight", "line-style": "dashed" } },
];

const importCytoscape = () => import("cytoscape");
let library: ReturnType<typeof importCytoscape> | null = null;

/** Cytoscape, loaded once and only by this page (started while the page's data loads). */
export function loadCytoscape(): ReturnType<typeof importCytoscape> {
  library ??= importCytoscape();
  return library;
}

/** Draw ``people`` (and the lines between them) in ``container``; ``onPick`` gets the id of a
 * person clicked or tapped; ``folded`` tells how many reports of a person are not drawn. */
export async function drawMap(
  container: HTMLElement,
  people: MapPerson[],
  lines: MapLine[],
  onPick: (id: string) => void,
  folded: (id: string) => number = () => 0,
): Promise<Core> {
  const { default: cytoscape } = await loadCytoscape();
  // Cytoscape adds a <style> element unless one with this id exists; the page's CSP (style-src
  // 'self') would block it, and style.css carries its one rule (#map is position: relative).
  if (!document.getElementById("__________cytoscape_stylesheet")) {
    document.head.append(Object.assign(document.createElement("meta"), { id: "__________cytoscape_stylesheet" }));
  }
  const positions = treePositions(people, lines);
  const cy = cytoscape({
    container,
    // The people only: the page adds the lines a frame later (addLines), so the map answers
    // clicks on people before Cytoscape has styled the 4,000 lines of the demo's group.
    elements: nodes(people, folded),
    style: withPageFont(STYLE),
    layout: { name: "preset", positions: Object.fromEntries(positions), fit: true, padding: 30 },
    wheelSensitivity: 0.3,
    // Pan and zoom move a snapshot of the map without its lines, then redraw: a 2,000-person
    // map stays fluid. (The WebGL renderer was slower here: headless Chromium draws WebGL
    // in software.)
    hideEdgesOnViewport: true,
    textureOnViewport: true,
    webgl: false,
  });
  cy.on("tap", "node", (event) => onPick(event.target.id()));
  redrawWhenFontsLoad(cy);
  return cy;
}

/** Lay the map out again: ``tree`` (preset positions) or ``force`` (cose); resolves when done. */
export function relayout(cy: Core, people: MapPerson[], lines: MapLine[], kind: "tree" | "force"): Promise<void> {
  const positions = kind === "tree" ? treePositions(people, lines) : null;
  return new Promise((resolve) => {
    const visible = cy.elements().not(".filtered-out");
    const layout =
      kind === "tree"
        ? visible.layout({
            name: "preset",
            positions: Object.fromEntries(positions!),
            fit: true,
            padding: 30,
          })
        : visible.layout({ name: "cose", animate: false, fit: true, padding: 30, randomize: false, numIter: 500 } as never);
    layout.one("layoutstop", () => resolve());
    layout.run();
  });
}
