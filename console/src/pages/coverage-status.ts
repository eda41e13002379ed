// The account's red / amber / green coverage status, from the fields of the coverage query
// alone (CONSOLE.md, after Altify: "red: no supportive key player"). The rule, also written on
// the page and in the README:
//
// - key players are the holders of ECONOMIC_BUYER and DECISION_MAKER rights in the scope;
//   supportive means stance CHAMPION or SUPPORTER;
// - RED when we know nobody in the scope (status NO_CONTACT), or no key player is both
//   supportive and in direct contact with one of our people;
// - else AMBER when the account is single-threaded, when some key player is reached neither
//   directly nor by any route, or when more than a quarter of our contacts are stale;
// - else GREEN.
// tests/console/test_coverage.py computes the same rule in Python from the API's answer.

export type Rag = "RED" | "AMBER" | "GREEN";

export const KEY_ROLES = ["ECONOMIC_BUYER", "DECISION_MAKER"];
export const SUPPORTIVE = ["CHAMPION", "SUPPORTER"];

export interface CoverageFacts {
  status: "NO_CONTACT" | "SINGLE_THREADED" | "MULTI_THREADED";
  contacts: number;
  staleRelationships: number;
  decisionMakers: {
    directContact: boolean;
    bestRouteScore: number | null;
    right: { role: string; person: { id: string; stance: string } };
  }[];
}

/** One condition of the rule: met or not, and the status it costs when not met. */
export interface Check {
  id: "contact" | "supportive-key-player" | "multi-threaded" | "key-players-reachable" | "fresh-contacts";
  met: boolean;
  fails: Exclude<Rag, "GREEN">;
}

export function coverageStatus(c: CoverageFacts): { rag: Rag; checks: Check[] } {
  const keys = c.decisionMakers.filter((d) => KEY_ROLES.includes(d.right.role));
  const checks: Check[] = [
    { id: "contact", met: c.status !== "NO_CONTACT", fails: "RED" },
    {
      id: "supportive-key-player",
      met: keys.some((d) => d.directContact && SUPPORTIVE.includes(d.right.person.stance)),
      fails: "RED",
    },
    { id: "multi-threaded", met: c.status === "MULTI_THREADED", fails: "AMBER" },
    { id: "key-players-reachable", met: keys.every((d) => d.directContact || d.bestRouteScore !== null), fails: "AMBER" },
    { id: "fresh-contacts", met: c.staleRelationships * 4 <= c.contacts, fails: "AMBER" },
  ];
  const failed = checks.filter((check) => !check.met).map((check) => check.fails);
  const rag: Rag = failed.includes("RED") ? "RED" : failed.includes("AMBER") ? "AMBER" : "GREEN";
  return { rag, checks };
}
