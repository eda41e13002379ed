// Apollo Client under node against a running graphsvc: asks the same query twice and prints,
// as JSON on stdout, every HTTP exchange the client made (method, whether the query text was
// sent and its text, the persisted-query hash, the status and the error codes of the answer) and the data
// it got each time. tests/clients/test_apollo_node.py checks the APQ round trips from this.
//
// Usage: node apq-node.mjs GRAPHQL_URL TOKEN

import { graphsvcClient, ORGANIZATIONS } from "./src/client.js";

const [uri, token] = process.argv.slice(2);
const exchanges = [];

/** fetch, recording each exchange as the server saw it. */
async function recordingFetch(input, init = {}) {
  const url = new URL(typeof input === "string" ? input : input.url);
  const method = (init.method ?? "GET").toUpperCase();
  const sent = method === "GET" ? Object.fromEntries(url.searchParams) : JSON.parse(init.body);
  const extensions = typeof sent.extensions === "string" ? JSON.parse(sent.extensions) : sent.extensions;
  const response = await fetch(input, init);
  const body = await response.clone().json();
  exchanges.push({
    method,
    sentQuery: typeof sent.query === "string",
    query: sent.query ?? null,
    hash: extensions?.persistedQuery?.sha256Hash ?? null,
    status: response.status,
    codes: (body.errors ?? []).map((error) => error.extensions?.code ?? null),
  });
  return response;
}

const client = graphsvcClient({ uri, token, fetch: recordingFetch });
const answers = [];
for (let round = 0; round < 2; round++) {
  const { data } = await client.query({
    query: ORGANIZATIONS,
    variables: { first: 5 },
    fetchPolicy: "network-only",
  });
  answers.push(data);
}
process.stdout.write(JSON.stringify({ exchanges, answers }));
