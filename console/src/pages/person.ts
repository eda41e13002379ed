// Person and routes (/app/people/{id}): who the person is (title, department, organization,
// stance, seniority, decision rights, relationships with last contact) and the best warm
// routes to them from our people (person-routes.ts). Reads: the person, our (SELF)
// organization's people, then contactRouteSearch on every change of the route options.

import { SignInNeeded, graphql } from "../api";
import { h, show } from "../dom";
import { buyingRole, t } from "../i18n";
import { pt } from "./person-text";
import { routesSection, type OurPerson } from "./person-routes";
import { STANCE } from "./powermap-graph";
import { errorPage, notFoundPage } from "./simple";

interface PersonDetail {
  id: string;
  name: string;
  title: string | null;
  seniority: string | null;
  stance: string;
  organization: { id: string; name: string };
  department: { name: string } | null;
  decisionRights: {
    area: string;
    role: string;
    budgetLimit: number | null;
    scopeId: string;
    scope: { name: string } | null;
  }[];
  relationships: {
    type: "KNOWS" | "INFLUENCES" | "REPORTS_TO";
    dotted: boolean;
    effectiveStrength: number;
    lastContactOn: string | null;
    from: { id: string; name: string };
    to: { id: string; name: string };
  }[];
}

const PERSON = `query Person($id: ID!) {
  person(id: $id) {
    id name title seniority stance organization { id name } department { name }
    decisionRights { area role budgetLimit scopeId
      scope { ... on Organization { name } ... on Department { name } } }
    relationships { type dotted effectiveStrength lastContactOn from { id name } to { id name } } }
  organizations(filter: {kind: [SELF]}, first: 50) { edges { node { id } } } }`;

/** Every person of our (SELF) organizations, 500 a page. */
async function ourPeople(orgIds: string[]): Promise<OurPerson[]> {
  type Page = {
    people: {
      pageInfo: { hasNextPage: boolean; endCursor: string | null };
      edges: { node: OurPerson }[];
    };
  };
  const found: OurPerson[] = [];
  for (const orgId of orgIds) {
    let after: string | null = null;
    for (;;) {
      const data: Page = await graphql<Page>(
        `query Ours($org: ID!, $after: String) {
           people(filter: {organizationId: $org}, first: 500, after: $after) {
             pageInfo { hasNextPage endCursor } edges { node { id name title } } } }`,
        { org: orgId, after },
      );
      found.push(...data.people.edges.map((e) => e.node));
      if (!data.people.pageInfo.hasNextPage) break;
      after = data.people.pageInfo.endCursor;
    }
  }
  return found;
}

export function stanceWords(stance: string): string {
  return `${STANCE[stance]?.glyph ?? "?"} ${t()[stance as "UNKNOWN"] ?? stance}`;
}

const personLink = (p: { id: string; name: string }): HTMLElement =>
  h("a", { href: `/app/people/${encodeURIComponent(p.id)}`, "data-person-id": p.id }, p.name);

function header(person: PersonDetail): HTMLElement[] {
  const org = `/app/organizations/${encodeURIComponent(person.organization.id)}`;
  const facts: [string, Node | string][] = [
    [t().title, person.title ?? "–"],
    [t().department, person.department?.name ?? "–"],
    [
      pt().organization,
      h(
        "span",
        {},
        person.organization.name,
        " (",
        h("a", { href: org, id: "org-overview" }, pt().overviewLink),
        ", ",
        h("a", { href: `${org}/power-map`, id: "org-power-map" }, pt().powerMapLink),
        ")",
      ),
    ],
    [t().stance, h("span", { id: "person-stance", "data-stance": person.stance }, stanceWords(person.stance))],
    [t().seniority, person.seniority ? t()[person.seniority as "STAFF"] : "–"],
  ];
  const rights =
    person.decisionRights.length === 0
      ? h("p", { id: "person-rights" }, t().none)
      : h(
          "table",
          { id: "person-rights", "aria-labelledby": "rights-title" },
          h("thead", {}, h("tr", {}, [pt().area, pt().role, pt().scope, pt().budgetLimit].map((c) => h("th", { scope: "col" }, c)))),
          h(
            "tbody",
            {},
            person.decisionRights.map((r) =>
              h(
                "tr",
                {},
                h("th", { scope: "row" }, r.area),
                h("td", { "data-role": r.role }, buyingRole(r.role)),
                h("td", {}, r.scope?.name ?? r.scopeId),
                h("td", { class: "num" }, r.budgetLimit === null ? "–" : r.budgetLimit.toLocaleString()),
              ),
            ),
          ),
        );
  const relationships =
    person.relationships.length === 0
      ? h("p", { id: "person-relationships" }, t().none)
      : h(
          "table",
          { id: "person-relationships", "aria-labelledby": "relationships-title" },
          h(
            "thead",
            {},
            h("tr", {}, [pt().with, pt().type, pt().strength, pt().lastContact].map((c) => h("th", { scope: "col" }, c))),
          ),
          h(
            "tbody",
            {},
            person.relationships.map((r) => {
              const outgoing = r.from.id === person.id;
              const other = outgoing ? r.to : r.from;
              return h(
                "tr",
                {},
                h("th", { scope: "row" }, personLink(other)),
                h("td", {}, `${outgoing ? "→" : "←"} ${t()[r.type]}${r.dotted ? ` (${t().dottedLine})` : ""}`),
                h("td", { class: "num" }, r.effectiveStrength.toFixed(2)),
                h("td", {}, r.lastContactOn ?? t().noLastContact),
              );
            }),
          ),
        );
  return [
    h("h1", { id: "person-name" }, person.name),
    h(
      "dl",
      { id: "person-facts", class: "facts" },
      facts.map(([term, value]) => [h("dt", {}, term), h("dd", {}, value)]).flat(),
    ),
    h(
      "details",
      { id: "person-details", open: person.relationships.length + person.decisionRights.length <= 12 },
      h("summary", {}, `${t().decisionRights} (${person.decisionRights.length}) · ${t().relationships} (${person.relationships.length})`),
      h("h2", { id: "rights-title" }, t().decisionRights),
      rights,
      h("h2", { id: "relationships-title" }, t().relationships),
      relationships,
    ),
  ];
}

export async function personPage(id: string): Promise<void> {
  show(h("p", { role: "status" }, t().loading));
  try {
    const data = await graphql<{ person: PersonDetail | null; organizations: { edges: { node: { id: string } }[] } }>(
      PERSON,
      { id },
    );
    if (data.person === null) {
      notFoundPage(`person “${id}”`);
      return;
    }
    const person = data.person;
    const ours = await ourPeople(data.organizations.edges.map((e) => e.node.id));
    document.title = `${person.name} — graphsvc`;
    const routes = h("section", { id: "routes-section", "aria-labelledby": "routes-title" });
    show(...header(person), routes);
    await routesSection(routes, person, ours);
  } catch (error) {
    if (error instanceof SignInNeeded) throw error;
    errorPage(error);
  }
}
