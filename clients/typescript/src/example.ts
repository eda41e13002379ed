// The example documents of the kit and how their types are used. CI generates the types and
// type-checks this file (tests/clients/test_typed_client_kit.py): if the schema drops or
// changes a field these documents use, the build fails there, not in a user's browser.

import { graphql } from "./gql";
import { request } from "./request";

/** Who holds power in an account: CONTRACT §4's powerMap with each person's name and title. */
export const PowerMapOfAccount = graphql(`
  query PowerMapOfAccount($organizationId: ID!, $includeSubsidiaries: Boolean = true) {
    powerMap(organizationId: $organizationId, includeSubsidiaries: $includeSubsidiaries) {
      influence
      formalRank
      brokerage
      hiddenInfluencer
      person {
        id
        name
        title
      }
    }
  }
`);

/** The best warm introductions to a person (contactRoutes), with the weakest link named. */
export const RoutesToPerson = graphql(`
  query RoutesToPerson($to: ID!, $k: Int = 3, $metric: RouteMetric = STRENGTH) {
    contactRoutes(to: $to, k: $k, metric: $metric) {
      score
      explanation
      people {
        id
        name
      }
      weakestLink {
        type
        strength
      }
    }
  }
`);

/** The hidden influencers of an account, strongest first: typed end to end. */
export async function hiddenInfluencers(url: string, token: string, organizationId: string) {
  const { powerMap } = await request(url, token, PowerMapOfAccount, { organizationId });
  return powerMap
    .filter((row) => row.hiddenInfluencer)
    .sort((a, b) => b.influence - a.influence)
    .map((row) => `${row.person.name} (${row.person.title ?? "no title"}): ${row.influence.toFixed(2)}`);
}

/** The introductions to `to`, each as a line a seller reads. */
export async function introductions(url: string, token: string, to: string) {
  const { contactRoutes } = await request(url, token, RoutesToPerson, { to, metric: "HOPS" });
  // @ts-expect-error a route has no `length` field in the schema: the types know it
  void contactRoutes[0]?.length;
  // @ts-expect-error `metric` takes STRENGTH or HOPS only
  void request(url, token, RoutesToPerson, { to, metric: "SHORTEST" });
  return contactRoutes.map(
    (route) =>
      `${route.people.map((person) => person.name).join(" → ")} ` +
      `(score ${route.score.toFixed(2)}, weakest: ${route.weakestLink.type} ${route.weakestLink.strength})`,
  );
}
