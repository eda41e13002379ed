// The whitespace page's time line of competitors' contract ends: months along the axis from
// the as-of day to the end of the window, one row per contract (in the API's order, soonest
// first) with a bar from the as-of day to a mark at its end date, labelled with the system,
// vendor, company and annual value. Plain SVG with presentation attributes only (the page's
// CSP allows no style attributes); every mark carries data-* attributes for the browser test.

import { currentLang, formatNumber } from "../i18n";

export interface ContractWindow {
  id: string;
  name: string;
  vendor: string | null;
  category: string;
  contractEndsOn: string;
  daysLeft: number | null;
  annualValue: number | null;
  organization: { id: string; name: string };
}

const SVG = "http://www.w3.org/2000/svg";
const WIDTH = 1000;
const LEFT = 16;
const RIGHT = 16;
const TOP = 34;
const ROW = 24;
const DAY = 86_400_000;

function el(tag: string, attrs: Record<string, string | number>, text?: string): SVGElement {
  const node = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attrs)) node.setAttribute(name, String(value));
  if (text !== undefined) node.textContent = text;
  return node;
}

/** Days since 1970 of an ISO date, in UTC (so no time zone moves a date). */
const dayNumber = (iso: string): number => Date.parse(`${iso}T00:00:00Z`) / DAY;

/** Urgency by days left, drawn as a shape as well as a colour (never colour only). */
export function urgency(daysLeft: number): { mark: "soon" | "mid" | "late"; glyph: string } {
  if (daysLeft <= 90) return { mark: "soon", glyph: "◆" };
  if (daysLeft <= 180) return { mark: "mid", glyph: "●" };
  return { mark: "late", glyph: "○" };
}

/** The label of one contract: system (vendor) — company, annual value. */
export function windowLabel(w: ContractWindow): string {
  const vendor = w.vendor ? ` (${w.vendor})` : "";
  const value = w.annualValue == null ? "" : `, ${formatNumber(w.annualValue)}`;
  return `${w.name}${vendor} — ${w.organization.name}${value}`;
}

export function drawTimeline(windows: ContractWindow[], asOf: string, withinDays: number, label: string): SVGElement {
  const start = dayNumber(asOf);
  const span = Math.max(withinDays, 1);
  const x = (day: number): number => LEFT + ((day - start) / span) * (WIDTH - LEFT - RIGHT);
  const height = TOP + Math.max(windows.length, 1) * ROW + 8;
  const svg = el("svg", {
    id: "ws-timeline",
    viewBox: `0 0 ${WIDTH} ${height}`,
    width: "100%",
    role: "img",
    "aria-label": label,
    "data-as-of": asOf,
    "data-within-days": withinDays,
    "data-mark-count": windows.length,
  });
  // Month ticks: the first day of each month inside the window; labels thinned to at most 12.
  const axis = el("g", { class: "ws-axis" });
  const first = new Date(`${asOf}T00:00:00Z`);
  const months: Date[] = [];
  for (let m = new Date(Date.UTC(first.getUTCFullYear(), first.getUTCMonth() + 1, 1)); ; ) {
    const day = m.getTime() / DAY;
    if (day > start + span) break;
    months.push(m);
    m = new Date(Date.UTC(m.getUTCFullYear(), m.getUTCMonth() + 1, 1));
  }
  const every = Math.max(1, Math.ceil(months.length / 12));
  const monthName = new Intl.DateTimeFormat(currentLang() === "ja" ? "ja-JP" : "en-US", {
    year: "2-digit",
    month: "short",
    timeZone: "UTC",
  });
  months.forEach((m, i) => {
    const at = x(m.getTime() / DAY);
    axis.append(el("line", { x1: at, x2: at, y1: TOP - 10, y2: height - 4, class: "ws-tick" }));
    if (i % every === 0) axis.append(el("text", { x: at + 3, y: TOP - 16, class: "ws-month" }, monthName.format(m)));
  });
  axis.append(el("line", { x1: LEFT, x2: WIDTH - RIGHT, y1: TOP - 10, y2: TOP - 10, class: "ws-axis-line" }));
  svg.append(axis);
  windows.forEach((w, i) => {
    const y = TOP + i * ROW + ROW / 2;
    const end = x(dayNumber(w.contractEndsOn));
    const left = (w.daysLeft ?? dayNumber(w.contractEndsOn) - start) as number;
    const { mark, glyph } = urgency(left);
    const g = el("g", {
      class: `ws-mark ws-${mark}`,
      "data-system-id": w.id,
      "data-ends-on": w.contractEndsOn,
      "data-org-id": w.organization.id,
      "data-vendor": w.vendor ?? "",
    });
    g.append(el("title", {}, `${windowLabel(w)}: ${w.contractEndsOn}`));
    g.append(el("line", { x1: x(start), x2: end, y1: y, y2: y, class: "ws-bar" }));
    if (mark === "soon") {
      g.append(el("rect", { x: end - 6, y: y - 6, width: 12, height: 12, transform: `rotate(45 ${end} ${y})`, class: "ws-dot" }));
    } else {
      g.append(el("circle", { cx: end, cy: y, r: 6, class: "ws-dot" }));
    }
    // The label sits right of the mark, or left of it in the right half of the axis.
    const rightHalf = end > WIDTH / 2;
    g.append(
      el(
        "text",
        { x: rightHalf ? end - 10 : end + 10, y: y + 4, "text-anchor": rightHalf ? "end" : "start", class: "ws-label" },
        `${glyph} ${w.contractEndsOn} ${windowLabel(w)}`,
      ),
    );
    svg.append(g);
  });
  return svg;
}
