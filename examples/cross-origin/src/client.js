// The Apollo Client a front-end tool on another origin uses against graphsvc: persisted
// queries on (Apollo's Automatic Persisted Queries, CONTRACT §10), reads by GET, and the
// user's token as a Bearer header. The same module runs in the browser page (bundled by
// esbuild) and in node (apq-node.mjs), both of which have the Web Crypto API.

import { ApolloClient, HttpLink, InMemoryCache, gql } from "@apollo/client";
import { PersistedQueryLink } from "@apollo/client/link/persisted-queries";

/** The lowercase hex SHA-256 of ``text``: the hash the persisted-query link sends. */
export async function sha256(text) {
  const digest = await globalThis.crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return Array.from(new Uint8Array(digest), (byte) => byte.toString(16).padStart(2, "0")).join("");
}

/**
 * An Apollo Client for the graphsvc API at ``uri`` (…/graphql) with ``token``.
 * Queries go as GET requests carrying only the query's hash; the link sends the text (by POST)
 * when the server answers PERSISTED_QUERY_NOT_FOUND, and the hash alone again afterwards.
 */
export function graphsvcClient({ uri, token, fetch = globalThis.fetch }) {
  const persisted = new PersistedQueryLink({ sha256, useGETForHashedQueries: true });
  const http = new HttpLink({ uri, fetch, headers: { Authorization: `Bearer ${token}` } });
  return new ApolloClient({ link: persisted.concat(http), cache: new InMemoryCache() });
}

/** What the example shows: the first organizations of the workspace and how many there are. */
export const ORGANIZATIONS = gql`
  query ExampleOrganizations($first: Int!) {
    organizations(first: $first) {
      totalCount
      edges {
        node {
          id
          name
        }
      }
    }
  }
`;
