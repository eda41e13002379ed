// Large maps open folded: only the top levels of the reporting tree are drawn, and a person's
// reports are unfolded on demand (from the side panel). Browsers draw ~2,000 people fluidly;
// a 10,000-person group drawn whole takes seconds per frame, folded it stays interactive.
// The twin table still lists everyone, and search and filters work on the table in full.

import type { MapLine, MapPerson } from "./powermap-graph";

/** Maps of more people than this open folded. */
export const FOLD_ABOVE = 3000;

/** Levels below the top drawn when a map opens folded (0: the heads only). */
export const FOLD_DEPTH = 2;

export class Folding {
  readonly depth = FOLD_DEPTH;
  private readonly reports = new Map<string, string[]>();
  private readonly shown = new Set<string>();

  constructor(people: MapPerson[], lines: MapLine[]) {
    const known = new Set(people.map((p) => p.id));
    const manager = new Map<string, string>();
    for (const l of lines) {
      if (l.type !== "REPORTS_TO" || l.dotted || !known.has(l.to) || !known.has(l.from) || manager.has(l.from)) continue;
      manager.set(l.from, l.to);
      const list = this.reports.get(l.to) ?? [];
      list.push(l.from);
      this.reports.set(l.to, list);
    }
    // Breadth first from the heads (nobody above them in the map), FOLD_DEPTH levels down;
    // people only a cycle of lines reaches are heads too.
    let level = people.filter((p) => !manager.has(p.id)).map((p) => p.id);
    for (let depth = 0; depth <= FOLD_DEPTH && level.length > 0; depth++) {
      for (const id of level) this.shown.add(id);
      level = level.flatMap((id) => this.reports.get(id) ?? []).filter((id) => !this.shown.has(id));
    }
    const reached = new Set(this.shown);
    const walk = [...reached];
    while (walk.length > 0) for (const r of this.reports.get(walk.pop()!) ?? []) if (!reached.has(r)) reached.add(r), walk.push(r);
    for (const p of people) if (!reached.has(p.id)) this.shown.add(p.id);
  }

  isShown(personId: string): boolean {
    return this.shown.has(personId);
  }

  /** How many direct reports of the person are folded away. */
  hidden(personId: string): number {
    return (this.reports.get(personId) ?? []).filter((r) => !this.shown.has(r)).length;
  }

  /** Whether the person has reports and they are all drawn. */
  reportsShown(personId: string): boolean {
    const list = this.reports.get(personId) ?? [];
    return list.length > 0 && list.every((r) => this.shown.has(r));
  }

  /** Unfold the person's direct reports, or fold everyone below the person away. */
  toggle(personId: string): void {
    if (!this.reportsShown(personId)) {
      for (const r of this.reports.get(personId) ?? []) this.shown.add(r);
      return;
    }
    const below = [...(this.reports.get(personId) ?? [])];
    const seen = new Set<string>([personId]);
    while (below.length > 0) {
      const id = below.pop()!;
      if (seen.has(id)) continue;
      seen.add(id);
      this.shown.delete(id);
      below.push(...(this.reports.get(id) ?? []));
    }
  }
}
