// The example page: a front-end tool served from its own origin, calling graphsvc on another
// one with Apollo Client (persisted queries on). The API's address and the token come in the
// address fragment: #api=http://127.0.0.1:8000/graphql&token=…
// It shows the organizations it got, or the error, and marks <body data-done>.

import { graphsvcClient, ORGANIZATIONS } from "./client.js";

const params = new URLSearchParams(location.hash.slice(1));
const status = document.getElementById("status");
const list = document.getElementById("organizations");

async function show() {
  const client = graphsvcClient({ uri: params.get("api"), token: params.get("token") });
  try {
    const { data } = await client.query({ query: ORGANIZATIONS, variables: { first: 5 } });
    const { totalCount, edges } = data.organizations;
    status.textContent = `${totalCount} organizations`;
    for (const { node } of edges) {
      const item = document.createElement("li");
      item.textContent = node.name;
      item.dataset.id = node.id;
      list.append(item);
    }
    document.body.dataset.done = "answer";
  } catch (error) {
    status.textContent = `The API could not be reached: ${error.message}`;
    document.body.dataset.done = "error";
  }
}

show();
