// A typed request to graphsvc's /graphql: the answer's type and the variables' type come from
// the document (a TypedDocumentNode made by the generated `graphql()`), so a field the
// schema does not have, a missing variable or a wrong type fails the TypeScript build.

import type { TypedDocumentNode } from "@graphql-typed-document-node/core";
import { print } from "graphql";

/** One GraphQL error as graphsvc reports it (`extensions.code`: NOT_FOUND, LIMIT_EXCEEDED, …). */
export interface GraphsvcError {
  message: string;
  path?: (string | number)[];
  extensions?: { code?: string };
}

/** The data of `document` run with `variables` at `url` (…/graphql) as `token`'s holder. */
export async function request<Result, Variables>(
  url: string,
  token: string,
  document: TypedDocumentNode<Result, Variables>,
  variables: Variables,
): Promise<Result> {
  const response = await fetch(url, {
    method: "POST",
    headers: { "Content-Type": "application/json", Authorization: `Bearer ${token}` },
    body: JSON.stringify({ query: print(document), variables }),
  });
  const body = (await response.json()) as { data?: Result | null; errors?: GraphsvcError[] };
  if (body.errors?.length || body.data == null) {
    const first = body.errors?.[0];
    throw new Error(`${first?.extensions?.code ?? response.status}: ${first?.message ?? "no data"}`);
  }
  return body.data;
}
