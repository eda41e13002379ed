// Coverage (/app/organizations/{id}/coverage): how well our people reach the decision-makers
// of the organization scope. A red / amber / green status explained in words (coverage-status
// holds the rule), the decision rights with direct contact or the best route score, the
// threads (single-thread risk) and the stale relationships. One read of `coverage` per scope,
// day and staleness limit (all in the address).

import { graphql } from "../api";
import { h } from "../dom";
import { BUYING_ROLES, buyingRole, formatNumber, t, texts, type BuyingRole } from "../i18n";
import { scopedPage } from "./asof-scope";
import { KEY_ROLES, coverageStatus, type Check, type CoverageFacts, type Rag } from "./coverage-status";
import { figure } from "./pipecov-format";
import { STANCE } from "./powermap-graph";

const STALE_AFTER_DAYS = 90;

const tt = texts({
  en: {
    title: (org: string) => `Coverage: ${org}`,
    help: "How our people reach the decision-makers of the organization and, unless unticked, its subsidiaries.",
    staleAfter: "Stale after (days)",
    status: "Coverage status",
    RED: "Red",
    AMBER: "Amber",
    GREEN: "Green",
    rule:
      "The rule: key players are the economic buyers and decision-makers; supportive means champion or supporter. Red when none of our people knows anyone here, or no key player is both supportive and in direct contact with us. Otherwise amber when the account is single-threaded, a key player is reached neither directly nor by any route, or more than a quarter of our contacts are stale. Otherwise green.",
    met: "met",
    notMet: "not met",
    checkContact: (met: boolean, contacts: number) =>
      met ? `Our people know people here: ${formatNumber(contacts)} contacts.` : "None of our people knows anyone here.",
    checkSupportive: (met: boolean, n: number) =>
      met
        ? `${formatNumber(n)} key players are supportive and in direct contact with us.`
        : "No key player (economic buyer or decision-maker) is both supportive and in direct contact with us.",
    checkThreads: (met: boolean, single: string | null) =>
      met
        ? "Several of our people hold the threads into the account."
        : single
          ? `Single-threaded: every contact goes through ${single}; if they leave, the account is lost.`
          : "There is no thread into the account at all.",
    checkReachable: (met: boolean, n: number) =>
      met ? "Every key player is reached directly or by a route." : `${formatNumber(n)} key players are reached neither directly nor by any route.`,
    checkFresh: (met: boolean, stale: number, contacts: number) =>
      `${formatNumber(stale)} of ${formatNumber(contacts)} contacts are stale${met ? " (a quarter or fewer)." : ": more than a quarter."}`,
    contacts: "Contacts",
    threads: "Threads",
    NO_CONTACT: "No contact",
    SINGLE_THREADED: "Single-threaded",
    MULTI_THREADED: "Multi-threaded",
    singleThread: (name: string) => `through ${name}`,
    staleRelationships: "Stale relationships",
    keyDirect: "Key players in direct contact",
    keyUnreached: "Key players without a route",
    byRole: "Reach by buying role",
    byRoleHelp: "How many decision rights of each role our people reach directly, by a route, or not at all.",
    rights: "Decision rights",
    directCount: "● Direct",
    routeCount: "◐ Route only",
    noneCount: "○ No route",
    decisionMakers: (n: number) => `Decision-makers (${formatNumber(n)} decision rights)`,
    decisionMakersHelp: "Every decision right of the scope, in the API's order (role, seniority, name). Reach: ● direct contact with one of our people, ◐ the best route's score (the product of its link strengths, 0 to 1), ○ no route.",
    noDecisionMakers: "No decision rights are recorded in this scope.",
    person: "Person",
    title2: "Title",
    role: "Role",
    area: "Area",
    scope: "Scope",
    reach: "Reach",
    direct: "● Direct contact",
    route: (score: string) => `◐ Route, score ${score}`,
    noRoute: "○ No route",
    stale: (n: number) => `Stale relationships (${formatNumber(n)})`,
    staleHelp: (days: number, asOf: string) =>
      `Our contacts with no recorded contact, or none in the ${formatNumber(days)} days before ${asOf}: never contacted first, then the oldest.`,
    noStale: "No stale relationships.",
    theirs: "Their person",
    company: "Company",
    ours: "Our person",
    lastContact: "Last contact",
    never: "Never recorded",
    days: "Days since",
    failed: "Coverage could not be loaded:",
  },
  ja: {
    title: (org: string) => `カバレッジ：${org}`,
    help: "組織（チェックを外さない限り子会社を含む）の意思決定者に、当社の誰がどう届いているか。",
    staleAfter: "接触が古いとみなす日数",
    status: "カバレッジの状態",
    RED: "赤",
    AMBER: "黄",
    GREEN: "緑",
    rule:
      "判定ルール：キープレイヤーは予算決裁者と意思決定者、支持的とはチャンピオンまたは支持。当社の誰もこの範囲の人を知らない、または支持的で当社と直接接点のあるキープレイヤーがいなければ赤。そうでなく、シングルスレッド、直接にも経路でも届かないキープレイヤーがいる、または接点の 4 分の 1 超が古い場合は黄。それ以外は緑。",
    met: "満たす",
    notMet: "満たさない",
    checkContact: (met: boolean, contacts: number) =>
      met ? `当社の人がこの範囲の人を知っています：接点 ${formatNumber(contacts)} 件。` : "当社の誰もこの範囲の人を知りません。",
    checkSupportive: (met: boolean, n: number) =>
      met
        ? `支持的で当社と直接接点のあるキープレイヤーが ${formatNumber(n)} 人います。`
        : "支持的で当社と直接接点のあるキープレイヤー（予算決裁者・意思決定者）がいません。",
    checkThreads: (met: boolean, single: string | null) =>
      met
        ? "当社の複数の人がアカウントへの接点を持っています。"
        : single
          ? `シングルスレッド：すべての接点が ${single} 経由です。この人が離れるとアカウントを失います。`
          : "アカウントへの接点がまったくありません。",
    checkReachable: (met: boolean, n: number) =>
      met ? "すべてのキープレイヤーに直接または経路で届きます。" : `${formatNumber(n)} 人のキープレイヤーには、直接にも経路でも届きません。`,
    checkFresh: (met: boolean, stale: number, contacts: number) =>
      `接点 ${formatNumber(contacts)} 件のうち ${formatNumber(stale)} 件が古くなっています${met ? "（4 分の 1 以下）。" : "：4 分の 1 を超えています。"}`,
    contacts: "接点",
    threads: "スレッド",
    NO_CONTACT: "接点なし",
    SINGLE_THREADED: "シングルスレッド",
    MULTI_THREADED: "マルチスレッド",
    singleThread: (name: string) => `${name} 経由`,
    staleRelationships: "古くなった関係",
    keyDirect: "直接接点のあるキープレイヤー",
    keyUnreached: "経路のないキープレイヤー",
    byRole: "役割別の到達状況",
    byRoleHelp: "役割ごとの決裁権のうち、当社の人が直接・経路で届く件数と、届かない件数。",
    rights: "決裁権",
    directCount: "● 直接",
    routeCount: "◐ 経路のみ",
    noneCount: "○ 経路なし",
    decisionMakers: (n: number) => `意思決定者（決裁権 ${formatNumber(n)} 件）`,
    decisionMakersHelp: "この範囲のすべての決裁権（API の順：役割、職位、氏名）。到達：● 当社の人と直接接点、◐ 最良経路のスコア（各リンクの強さの積、0〜1）、○ 経路なし。",
    noDecisionMakers: "この範囲に決裁権の記録はありません。",
    person: "人物",
    title2: "役職",
    role: "役割",
    area: "領域",
    scope: "範囲",
    reach: "到達",
    direct: "● 直接接点",
    route: (score: string) => `◐ 経路、スコア ${score}`,
    noRoute: "○ 経路なし",
    stale: (n: number) => `古くなった関係（${formatNumber(n)} 件）`,
    staleHelp: (days: number, asOf: string) =>
      `接触の記録がない、または ${asOf} までの ${formatNumber(days)} 日間に接触のない当社の接点（記録なしが先、古い順）。`,
    noStale: "古くなった関係はありません。",
    theirs: "先方の人物",
    company: "会社",
    ours: "当社の人物",
    lastContact: "最終接触",
    never: "記録なし",
    days: "経過日数",
    failed: "カバレッジを読み込めませんでした：",
  },
});

interface PersonRef {
  id: string;
  name: string;
}

interface Coverage extends CoverageFacts {
  singleThread: PersonRef | null;
  decisionMakers: {
    directContact: boolean;
    bestRouteScore: number | null;
    right: {
      area: string;
      role: BuyingRole;
      scope: { __typename: "Organization"; name: string } | { __typename: "Department"; name: string; organization: { name: string } } | null;
      person: PersonRef & { stance: string; title: string | null };
    };
  }[];
  staleContacts: {
    lastContactOn: string | null;
    daysSinceContact: number | null;
    ours: PersonRef;
    theirs: PersonRef & { organization: { id: string; name: string } };
  }[];
}

const COVERAGE = `query Coverage($id: ID!, $subs: Boolean!, $asOf: Date!, $days: Int!) {
  coverage(organizationId: $id, includeSubsidiaries: $subs, asOf: $asOf, staleAfterDays: $days) {
    status contacts staleRelationships singleThread { id name }
    decisionMakers { directContact bestRouteScore right { area role
      scope { __typename ... on Organization { name } ... on Department { name organization { name } } }
      person { id name title stance } } }
    staleContacts { lastContactOn daysSinceContact ours { id name }
      theirs { id name organization { id name } } } } }`;

const personLink = (p: PersonRef) => h("a", { href: `/app/people/${encodeURIComponent(p.id)}`, class: "person" }, p.name);

const RAG_MARK: Record<Rag, string> = { RED: "✖", AMBER: "▲", GREEN: "✔" };

function checkText(check: Check, c: Coverage): string {
  const keys = c.decisionMakers.filter((d) => KEY_ROLES.includes(d.right.role));
  switch (check.id) {
    case "contact":
      return tt().checkContact(check.met, c.contacts);
    case "supportive-key-player":
      return tt().checkSupportive(check.met, new Set(keys.filter((d) => d.directContact && ["CHAMPION", "SUPPORTER"].includes(d.right.person.stance)).map((d) => d.right.person.id)).size);
    case "multi-threaded":
      return tt().checkThreads(check.met, c.singleThread?.name ?? null);
    case "key-players-reachable":
      return tt().checkReachable(check.met, new Set(keys.filter((d) => !d.directContact && d.bestRouteScore === null).map((d) => d.right.person.id)).size);
    case "fresh-contacts":
      return tt().checkFresh(check.met, c.staleRelationships, c.contacts);
  }
}

function statusSection(c: Coverage): HTMLElement {
  const { rag, checks } = coverageStatus(c);
  return h(
    "section",
    { id: "coverage-status", "aria-labelledby": "status-title", "data-rag": rag },
    h("h2", { id: "status-title" }, tt().status),
    h("p", { id: "rag", class: `rag rag-${rag.toLowerCase()}` }, `${RAG_MARK[rag]} ${tt()[rag]}`),
    h(
      "ul",
      { id: "rag-checks", class: "checks" },
      checks.map((check) =>
        h(
          "li",
          { "data-check": check.id, "data-met": String(check.met), class: check.met ? "met" : `unmet unmet-${check.fails.toLowerCase()}` },
          h("span", { class: "check-mark" }, check.met ? "✔" : RAG_MARK[check.fails]),
          " ",
          h("span", { class: "visually-hidden" }, `${check.met ? tt().met : tt().notMet}: `),
          checkText(check, c),
        ),
      ),
    ),
    h("p", { id: "rag-rule", class: "muted" }, tt().rule),
  );
}

function reachText(d: Coverage["decisionMakers"][number]): string {
  if (d.directContact) return tt().direct;
  if (d.bestRouteScore !== null) return tt().route(d.bestRouteScore.toFixed(3));
  return tt().noRoute;
}

function scopeName(scope: Coverage["decisionMakers"][number]["right"]["scope"]): string {
  if (scope === null) return "–";
  return scope.__typename === "Department" ? `${scope.organization.name} / ${scope.name}` : scope.name;
}

function decisionMakerTable(c: Coverage): HTMLElement {
  if (c.decisionMakers.length === 0) return h("p", { id: "no-decision-makers" }, tt().noDecisionMakers);
  const head = [tt().person, tt().title2, t().stance, tt().role, tt().area, tt().scope, tt().reach];
  return h(
    "table",
    { id: "decision-makers", "aria-labelledby": "dm-title" },
    h("thead", {}, h("tr", {}, head.map((c) => h("th", { scope: "col" }, c)))),
    h(
      "tbody",
      {},
      c.decisionMakers.map((d) => {
        const p = d.right.person;
        return h(
          "tr",
          {
            "data-person-id": p.id,
            "data-role": d.right.role,
            "data-area": d.right.area,
            "data-direct": String(d.directContact),
            "data-score": d.bestRouteScore ?? "",
            class: KEY_ROLES.includes(d.right.role) ? "key-player" : undefined,
          },
          h("th", { scope: "row" }, personLink(p)),
          h("td", {}, p.title ?? "–"),
          h("td", { "data-stance": p.stance }, `${STANCE[p.stance]?.glyph ?? "?"} ${t()[p.stance as "UNKNOWN"] ?? p.stance}`),
          h("td", {}, buyingRole(d.right.role)),
          h("td", {}, d.right.area),
          h("td", {}, scopeName(d.right.scope)),
          h("td", { class: d.directContact ? "reach direct" : d.bestRouteScore !== null ? "reach route" : "reach none" }, reachText(d)),
        );
      }),
    ),
  );
}

/** Per buying role (in the API's role order), how the rights of that role are reached. */
function roleTable(c: Coverage): HTMLElement | null {
  const roles = BUYING_ROLES
    .map((role) => {
      const rights = c.decisionMakers.filter((d) => d.right.role === role);
      const direct = rights.filter((d) => d.directContact).length;
      const none = rights.filter((d) => !d.directContact && d.bestRouteScore === null).length;
      return { role, rights: rights.length, direct, route: rights.length - direct - none, none };
    })
    .filter((r) => r.rights > 0);
  if (roles.length === 0) return null;
  const head = [tt().role, tt().rights, tt().directCount, tt().routeCount, tt().noneCount];
  return h(
    "section",
    { "aria-labelledby": "roles-title" },
    h("h2", { id: "roles-title" }, tt().byRole),
    h("p", { class: "muted" }, tt().byRoleHelp),
    h(
      "table",
      { id: "roles", "aria-labelledby": "roles-title" },
      h("thead", {}, h("tr", {}, head.map((c) => h("th", { scope: "col" }, c)))),
      h(
        "tbody",
        {},
        roles.map((r) =>
          h(
            "tr",
            { "data-role": r.role, "data-rights": r.rights, "data-direct": r.direct, "data-route": r.route, "data-none": r.none },
            h("th", { scope: "row" }, buyingRole(r.role)),
            ...[r.rights, r.direct, r.route, r.none].map((n) => h("td", { class: "num" }, formatNumber(n))),
          ),
        ),
      ),
    ),
  );
}

function staleTable(c: Coverage): HTMLElement {
  if (c.staleContacts.length === 0) return h("p", { id: "no-stale" }, tt().noStale);
  const head = [tt().theirs, tt().company, tt().ours, tt().lastContact, tt().days];
  return h(
    "table",
    { id: "stale", "aria-labelledby": "stale-title" },
    h("thead", {}, h("tr", {}, head.map((c) => h("th", { scope: "col" }, c)))),
    h(
      "tbody",
      {},
      c.staleContacts.map((s) =>
        h(
          "tr",
          { "data-theirs-id": s.theirs.id, "data-ours-id": s.ours.id, "data-last-contact": s.lastContactOn ?? "", "data-days": s.daysSinceContact ?? "" },
          h("th", { scope: "row" }, personLink(s.theirs)),
          h("td", {}, h("a", { href: `/app/organizations/${encodeURIComponent(s.theirs.organization.id)}` }, s.theirs.organization.name)),
          h("td", {}, s.ours.name),
          h("td", {}, s.lastContactOn ?? tt().never),
          h("td", { class: "num" }, s.daysSinceContact === null ? "–" : formatNumber(s.daysSinceContact)),
        ),
      ),
    ),
  );
}

function results(c: Coverage, days: number, asOf: string): (HTMLElement | null)[] {
  const keys = c.decisionMakers.filter((d) => KEY_ROLES.includes(d.right.role));
  const keyDirect = new Set(keys.filter((d) => d.directContact).map((d) => d.right.person.id)).size;
  const keyUnreached = new Set(keys.filter((d) => !d.directContact && d.bestRouteScore === null).map((d) => d.right.person.id)).size;
  return [
    statusSection(c),
    h(
      "dl",
      { class: "figures", id: "coverage-figures" },
      figure("contacts", tt().contacts, formatNumber(c.contacts)),
      figure(
        "threads",
        tt().threads,
        tt()[c.status],
        c.singleThread ? h("dd", { class: "muted", id: "single-thread" }, tt().singleThread(c.singleThread.name)) : null,
      ),
      figure("staleRelationships", tt().staleRelationships, formatNumber(c.staleRelationships)),
      figure("keyDirect", tt().keyDirect, formatNumber(keyDirect)),
      figure("keyUnreached", tt().keyUnreached, formatNumber(keyUnreached)),
    ),
    roleTable(c),
    h(
      "section",
      { "aria-labelledby": "dm-title" },
      h("h2", { id: "dm-title" }, tt().decisionMakers(c.decisionMakers.length)),
      h("p", { class: "muted" }, tt().decisionMakersHelp),
      // long lists (the demo group has 199 rights) scroll in their own labelled, focusable
      // region with the header in view, so the stale relationships below stay near
      h("div", { class: "scroll-box", role: "region", tabindex: 0, "aria-labelledby": "dm-title" }, decisionMakerTable(c)),
    ),
    h(
      "section",
      { "aria-labelledby": "stale-title" },
      h("h2", { id: "stale-title" }, tt().stale(c.staleRelationships)),
      h("p", { class: "muted" }, tt().staleHelp(days, asOf)),
      h("div", { class: "scroll-box", role: "region", tabindex: 0, "aria-labelledby": "stale-title" }, staleTable(c)),
    ),
  ];
}

export function coveragePage(id: string): Promise<void> {
  return scopedPage<Coverage>(id, {
    key: "coverage",
    navTitle: t().navCoverage,
    title: (name) => tt().title(name),
    help: tt().help,
    defaultDays: STALE_AFTER_DAYS,
    daysLabel: tt().staleAfter,
    failed: tt().failed,
    load: async (orgId, scope) =>
      (await graphql<{ coverage: Coverage }>(COVERAGE, { id: orgId, subs: scope.subsidiaries, asOf: scope.asOf, days: scope.days })).coverage,
    render: (data, scope) => results(data, scope.days, scope.asOf),
  });
}
