// The stage funnel of the pipeline page, drawn in SVG (attributes, not inline styles, so the
// page's 'self'-only CSP allows it): one centred bar per stage of the model, its length the
// stage's open amount, a darker inner bar its weighted amount; the bottleneck is outlined
// and labelled in words, so colour is never the only signal. The table under it is its twin.

import { formatNumber } from "../i18n";

const SVG = "http://www.w3.org/2000/svg";

export interface FunnelStage {
  stage: string;
  count: number;
  amount: number;
  weightedAmount: number;
}

export interface FunnelText {
  deals: (count: number) => string;
  weighted: (amount: string) => string;
  bottleneck: string;
  label: string;
}

function svg(tag: string, attrs: Record<string, string | number>, text?: string): SVGElement {
  const element = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attrs)) element.setAttribute(name, String(value));
  if (text !== undefined) element.textContent = text;
  return element;
}

const ROW = 58;
const BAR_LEFT = 200;
const BAR_WIDTH = 380;

/** The funnel of ``stages`` (model order) with ``bottleneck`` marked. */
export function drawFunnel(stages: FunnelStage[], bottleneck: string | null, text: FunnelText): SVGElement {
  const largest = Math.max(0, ...stages.map((s) => s.amount));
  const root = svg("svg", {
    id: "funnel",
    viewBox: `0 0 800 ${Math.max(1, stages.length) * ROW + 8}`,
    role: "img",
    "aria-label": text.label,
    "data-stage-count": stages.length,
  });
  const centre = BAR_LEFT + BAR_WIDTH / 2;
  stages.forEach((s, i) => {
    const top = i * ROW + 6;
    const outer = largest > 0 ? Math.max(2, (BAR_WIDTH * s.amount) / largest) : 2;
    const inner = largest > 0 ? (BAR_WIDTH * s.weightedAmount) / largest : 0;
    const isBottleneck = s.stage === bottleneck;
    const row = svg("g", {
      class: isBottleneck ? "funnel-stage bottleneck" : "funnel-stage",
      "data-stage": s.stage,
      "data-count": s.count,
      "data-amount": s.amount,
      "data-weighted-amount": s.weightedAmount,
    });
    row.append(
      svg("text", { x: 0, y: top + 18, class: "funnel-name" }, s.stage),
      svg("text", { x: 0, y: top + 38, class: "funnel-sub" }, isBottleneck ? `${text.deals(s.count)} · ⚠ ${text.bottleneck}` : text.deals(s.count)),
      svg("rect", { x: centre - outer / 2, y: top, width: outer, height: 44, rx: 3, class: "funnel-amount" }),
      svg("rect", { x: centre - inner / 2, y: top + 10, width: inner, height: 24, rx: 2, class: "funnel-weighted" }),
      svg("text", { x: BAR_LEFT + BAR_WIDTH + 16, y: top + 18, class: "funnel-value" }, formatNumber(s.amount)),
      svg("text", { x: BAR_LEFT + BAR_WIDTH + 16, y: top + 38, class: "funnel-sub" }, text.weighted(formatNumber(s.weightedAmount))),
    );
    root.append(row);
  });
  return root;
}
