// Organization overview (/app/organizations/{id}): the whole group as a tree with our
// footprint per company, headline figures of the group, and the changes since the last review.

import { ApiError, SignInNeeded, graphql } from "../api";
import { h, show } from "../dom";
import { asOfFromAddress } from "../asof";
import { currentLang, formatDate, formatNumber, t, texts } from "../i18n";
import { errorPage, notFoundPage } from "./simple";

interface Org {
  id: string;
  name: string;
  kind: string;
  parentId: string | null;
  parentRelation: "SUBSIDIARY" | "AFFILIATE" | null;
  ownership: number | null;
  systems: { ours: boolean }[];
  opportunities: { status: string; amount: number | null }[];
}

const ORG_FIELDS = `id name kind parentId parentRelation ownership
  systems { ours } opportunities { status amount }`;

/** The organization and its ancestors' ids, nearest first (walks up in steps of 5). */
async function groupRoot(id: string): Promise<Org | null> {
  const chain = (depth: number): string => (depth === 0 ? "id parentId" : `id parentId parent { ${chain(depth - 1)} }`);
  type Up = { id: string; parentId: string | null; parent?: Up | null };
  let current = id;
  for (let step = 0; step < 20; step++) {
    const data = await graphql<{ organization: Up | null }>(
      `query Up($id: ID!) { organization(id: $id) { ${chain(5)} } }`,
      { id: current },
    );
    let node = data.organization;
    if (node === null) return null;
    while (node.parent) node = node.parent;
    if (node.parentId === null) {
      const root = await graphql<{ organization: Org | null }>(
        `query Root($id: ID!) { organization(id: $id) { ${ORG_FIELDS} } }`,
        { id: node.id },
      );
      return root.organization;
    }
    current = node.parentId;
  }
  throw new ApiError("INVALID", "the group is deeper than 100 levels");
}

/** Every organization below ``root``, one request per level (50 parents per request). */
async function groupBelow(root: Org): Promise<Org[]> {
  const found: Org[] = [];
  let frontier = [root.id];
  while (frontier.length > 0) {
    const next: string[] = [];
    for (let start = 0; start < frontier.length; start += 50) {
      const chunk = frontier.slice(start, start + 50);
      const params = chunk.map((_, i) => `$i${i}: ID!`).join(", ");
      const fields = chunk.map((_, i) => `o${i}: organization(id: $i${i}) { subsidiaries { ${ORG_FIELDS} } }`);
      const variables = Object.fromEntries(chunk.map((id, i) => [`i${i}`, id]));
      const data = await graphql<Record<string, { subsidiaries: Org[] } | null>>(
        `query Level(${params}) { ${fields.join(" ")} }`,
        variables,
      );
      for (const key of Object.keys(data).sort((a, b) => Number(a.slice(1)) - Number(b.slice(1)))) {
        for (const child of data[key]?.subsidiaries ?? []) {
          found.push(child);
          next.push(child.id);
        }
      }
    }
    frontier = next;
  }
  return found;
}

interface Changes {
  changeCount: number;
  complete: boolean;
  sinceReview: { title: string; at: string } | null;
  [list: string]: unknown;
}

const CHANGE_LISTS = [
  "peopleAdded",
  "peopleRemoved",
  "stanceChanges",
  "roleChanges",
  "relationshipChanges",
  "decisionRightChanges",
  "stageChanges",
] as const;

async function accountChanges(id: string): Promise<Changes> {
  const lists = CHANGE_LISTS.map((name) => `${name} { at }`).join(" ");
  const data = await graphql<{ accountChanges: Changes }>(
    `query Changes($id: ID!) { accountChanges(organizationId: $id) {
       changeCount complete sinceReview { title at } ${lists} } }`,
    { id },
  );
  return data.accountChanges;
}

const footprint = (org: Org) => ({
  ours: org.systems.filter((s) => s.ours).length,
  competitors: org.systems.filter((s) => !s.ours).length,
  open: org.opportunities.filter((o) => o.status === "OPEN").length,
  openAmount: org.opportunities
    .filter((o) => o.status === "OPEN")
    .reduce((sum, o) => sum + (o.amount ?? 0), 0),
});

function groupTable(root: Org, below: Org[], currentId: string): HTMLElement {
  const children = new Map<string, Org[]>();
  for (const org of below) {
    const list = children.get(org.parentId!) ?? [];
    list.push(org);
    children.set(org.parentId!, list);
  }
  const rows: HTMLElement[] = [];
  const visit = (org: Org, level: number) => {
    const f = footprint(org);
    const name =
      org.id === currentId
        ? h("span", { "aria-current": "page" }, h("span", { class: "org-name" }, org.name), " ", h("span", { class: "muted" }, t().current))
        : h("a", { href: `/app/organizations/${encodeURIComponent(org.id)}`, class: "org-name" }, org.name);
    rows.push(
      h(
        "tr",
        {
          "data-org-id": org.id,
          "data-level": level,
          "data-our-systems": f.ours,
          "data-competitor-systems": f.competitors,
          "data-open-opportunities": f.open,
        },
        h("th", { scope: "row", class: `level-${Math.min(level, 6)}` }, name),
        h("td", {}, org.parentRelation ? t()[org.parentRelation] : t().top),
        h("td", { class: "num" }, org.ownership == null ? "–" : `${Math.round(org.ownership * 1000) / 10}%`),
        h("td", { class: "num" }, formatNumber(f.ours)),
        h("td", { class: "num" }, formatNumber(f.competitors)),
        h("td", { class: "num" }, formatNumber(f.open)),
      ),
    );
    for (const child of children.get(org.id) ?? []) visit(child, level + 1);
  };
  visit(root, 0);
  return h(
    "table",
    { id: "group", "aria-labelledby": "group-title" },
    h(
      "thead",
      {},
      h(
        "tr",
        {},
        ...[t().company, t().relation, t().ownership, t().ourSystems, t().competitorSystems, t().openOpportunities].map(
          (label) => h("th", { scope: "col" }, label),
        ),
      ),
    ),
    h("tbody", {}, rows),
  );
}

function figure(id: string, label: string, value: string): HTMLElement {
  return h("div", { class: "figure", id: `figure-${id}` }, h("dt", {}, label), h("dd", {}, value));
}

function changesSection(changes: Changes | ApiError): HTMLElement {
  const title = h("h2", { id: "changes-title" }, t().changes);
  if (changes instanceof ApiError) {
    return h(
      "section",
      { id: "changes", "aria-labelledby": "changes-title" },
      title,
      h("p", { role: "status" }, `${t().changesUnavailable} ${changes.message} (${changes.code})`),
    );
  }
  const review = changes.sinceReview;
  return h(
    "section",
    { id: "changes", "aria-labelledby": "changes-title" },
    title,
    h(
      "p",
      { id: "changes-window" },
      review ? t().changesSince(review.title, formatDate(review.at)) : t().changesNoReview,
    ),
    changes.complete ? null : h("p", {}, t().changesIncomplete),
    h(
      "dl",
      { class: "figures" },
      figure("changeCount", t().changeCount, formatNumber(changes.changeCount)),
      ...CHANGE_LISTS.map((name) => figure(name, t()[name], formatNumber((changes[name] as unknown[]).length))),
    ),
  );
}

const planText = texts({
  en: {
    title: "Account plan",
    help: (day: string) =>
      `The account plan of this company and its group as one document to review and print (as of ${day}), in the interface's language.`,
    html: "Download the plan (HTML, printable)",
    md: "Download the plan (Markdown)",
    writing: "Writing the plan…",
    ready: (file: string) => `Downloaded ${file}.`,
    failed: (why: string) => `The plan could not be written: ${why}`,
  },
  ja: {
    title: "アカウントプラン",
    help: (day: string) => `この会社とグループのアカウントプランを、レビューと印刷用の一つの文書にします（基準日 ${day}、表示言語で）。`,
    html: "プランをダウンロード（HTML・印刷用）",
    md: "プランをダウンロード（Markdown）",
    writing: "プランを作成しています…",
    ready: (file: string) => `${file} をダウンロードしました。`,
    failed: (why: string) => `プランを作成できませんでした：${why}`,
  },
});

/** Buttons that fetch accountPlan with the signed-in token and save it as a file (a plain
 * link could not carry the token, and the console's CSP would not render the plan's inline
 * styles in a tab of its own). */
function planSection(id: string): HTMLElement {
  const asOf = asOfFromAddress();
  const status = h("p", { id: "plan-status", role: "status" });
  const button = (format: "HTML" | "MD"): HTMLElement => {
    const element = h("button", { type: "button", id: `plan-${format.toLowerCase()}` }, format === "HTML" ? planText().html : planText().md);
    element.addEventListener("click", () => {
      status.textContent = planText().writing;
      const lang = currentLang().toUpperCase();
      graphql<{ accountPlan: string }>(
        `query Plan($id: ID!, $format: ReportFormat!, $lang: ReportLanguage!, $asOf: Date!) {
           accountPlan(organizationId: $id, format: $format, lang: $lang, asOf: $asOf) }`,
        { id, format, lang, asOf },
      )
        .then(({ accountPlan }) => {
          const file = `account-plan-${id}-${asOf}.${format === "HTML" ? "html" : "md"}`;
          const type = format === "HTML" ? "text/html;charset=utf-8" : "text/markdown;charset=utf-8";
          const url = URL.createObjectURL(new Blob([accountPlan], { type }));
          const link = h("a", { href: url, download: file, hidden: true });
          document.body.append(link);
          link.click();
          link.remove();
          setTimeout(() => URL.revokeObjectURL(url), 10_000);
          status.textContent = planText().ready(file);
        })
        .catch((error: unknown) => {
          // a refused token: the token is already forgotten; the shell shows the sign-in page
          if (error instanceof SignInNeeded) window.dispatchEvent(new PopStateEvent("popstate"));
          else status.textContent = planText().failed(error instanceof ApiError ? error.message : String(error));
        });
    });
    return element;
  };
  return h(
    "section",
    { id: "plan", "aria-labelledby": "plan-title" },
    h("h2", { id: "plan-title" }, planText().title),
    h("p", { class: "muted" }, planText().help(asOf)),
    h("div", { class: "controls" }, button("HTML"), button("MD")),
    status,
  );
}

export async function overviewPage(id: string): Promise<void> {
  show(h("p", { role: "status" }, t().loading));
  try {
    const root = await groupRoot(id);
    if (root === null) {
      notFoundPage(`organization “${id}”`);
      return;
    }
    const [below, people, changes] = await Promise.all([
      groupBelow(root),
      graphql<{ people: { totalCount: number } }>(
        `query People($id: ID!) { people(filter: {organizationId: $id, includeSubsidiaries: true}, first: 0) { totalCount } }`,
        { id: root.id },
      ),
      accountChanges(id).catch((error: unknown) => {
        if (error instanceof ApiError && !(error instanceof SignInNeeded)) return error;
        throw error;
      }),
    ]);
    const all = [root, ...below];
    const current = all.find((org) => org.id === id)!;
    const totals = all.map(footprint).reduce((a, b) => ({
      ours: a.ours + b.ours,
      competitors: a.competitors + b.competitors,
      open: a.open + b.open,
      openAmount: a.openAmount + b.openAmount,
    }));
    document.title = `${current.name} — graphsvc`;
    show(
      h("h1", { id: "org-name" }, current.name),
      h(
        "section",
        { id: "headline", "aria-labelledby": "headline-title" },
        h("h2", { id: "headline-title" }, `${t().headline}: ${t().group} ${root.name}`),
        h(
          "dl",
          { class: "figures" },
          figure("companies", t().companies, formatNumber(all.length)),
          figure("people", t().people, formatNumber(people.people.totalCount)),
          figure("ourSystems", t().ourSystems, formatNumber(totals.ours)),
          figure("competitorSystems", t().competitorSystems, formatNumber(totals.competitors)),
          figure("openOpportunities", t().openOpportunities, formatNumber(totals.open)),
          figure("openPipeline", t().openPipeline, formatNumber(totals.openAmount)),
        ),
      ),
      h(
        "section",
        { "aria-labelledby": "group-title" },
        h("h2", { id: "group-title" }, t().groupTree),
        groupTable(root, below, id),
      ),
      changesSection(changes),
      current.kind !== "SELF" && planSection(id),
    );
  } catch (error) {
    if (error instanceof SignInNeeded) throw error;
    errorPage(error);
  }
}
