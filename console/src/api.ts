// The console's only way to data: the public GraphQL API at /graphql, with the signed-in
// token as a Bearer header. Errors come back as ApiError with the server's code and words.

import { clearToken, currentToken } from "./token";

/** An error the API answered (or a network failure), with its machine code and message. */
export class ApiError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = "ApiError";
  }
}

/** The token was refused: the caller goes back to sign-in. */
export class SignInNeeded extends ApiError {}

interface GraphQLError {
  message: string;
  extensions?: { code?: string };
}

/** Longest Retry-After (seconds) the console waits out by itself before showing the error. */
const LONGEST_WAIT_S = 20;
/** Times one query is sent again after a 429 or 503 with Retry-After. */
const RETRIES = 2;

/** The seconds a 429 (token budget spent) or 503 (analytic queue full, store unreachable)
 * asks the client to wait, when short enough to wait out; null otherwise. */
function waitAsked(response: Response): number | null {
  if (response.status !== 429 && response.status !== 503) return null;
  const seconds = Number(response.headers.get("retry-after"));
  return Number.isFinite(seconds) && seconds >= 0 && seconds <= LONGEST_WAIT_S ? seconds : null;
}

/** Run a query; resolve its data or reject with ApiError / SignInNeeded. A refusal that says
 * when to come back (CONTRACT §11: 429 RATE_LIMITED, 503 OVERLOADED or STORE_UNAVAILABLE with
 * Retry-After) is sent again after that wait, up to RETRIES times, before it is shown. */
export async function graphql<T>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
  const token = currentToken();
  if (!token) throw new SignInNeeded("UNAUTHENTICATED", "");
  let response: Response;
  for (let attempt = 0; ; attempt++) {
    try {
      response = await fetch("/graphql", {
        method: "POST",
        headers: {
          "content-type": "application/json",
          accept: "application/graphql-response+json, application/json",
          authorization: `Bearer ${token}`,
        },
        body: JSON.stringify({ query, variables }),
      });
    } catch (error) {
      throw new ApiError("NETWORK", String(error));
    }
    const wait = attempt < RETRIES ? waitAsked(response) : null;
    if (wait === null) break;
    await new Promise((resolve) => setTimeout(resolve, wait * 1000));
  }
  let body: { data?: T | null; errors?: GraphQLError[] } = {};
  try {
    body = await response.json();
  } catch {
    throw new ApiError(`HTTP_${response.status}`, `${response.status} ${response.statusText}`);
  }
  const first = body.errors?.[0];
  const code = first?.extensions?.code ?? (response.ok ? "ERROR" : `HTTP_${response.status}`);
  if (response.status === 401 || code === "UNAUTHENTICATED") {
    clearToken();
    throw new SignInNeeded("UNAUTHENTICATED", first?.message ?? "");
  }
  if (first) throw new ApiError(code, first.message);
  if (!response.ok || body.data == null) {
    throw new ApiError(`HTTP_${response.status}`, `${response.status} ${response.statusText}`);
  }
  return body.data;
}
