// GraphQL-over-HTTP conformance: run graphql-http's auditServer against a live server.
//
// Usage: node audit-graphql-http.mjs URL
// The Bearer token, if any, comes from the GRAPHSVC_AUDIT_TOKEN environment variable (never
// from the command line, where other users of the machine could read it). Prints one JSON
// array of {id, name, status, reason} to stdout; the Python test decides what fails. Exits
// non-zero only when the audit itself cannot run.

import { auditServer } from 'graphql-http';

const url = process.argv[2];
if (!url) {
  console.error('usage: node audit-graphql-http.mjs URL');
  process.exit(2);
}
const token = process.env.GRAPHSVC_AUDIT_TOKEN;

// Every audit request carries the token, as a real client would.
function fetchWithToken(input, init = {}) {
  const headers = new Headers(init.headers ?? {});
  if (token) headers.set('authorization', `Bearer ${token}`);
  return fetch(input, { ...init, headers });
}

try {
  const results = await auditServer({ url, fetchFn: fetchWithToken });
  const summary = [];
  for (const result of results) {
    const entry = { id: result.id, name: result.name, status: result.status };
    if (result.status !== 'ok') {
      entry.reason = result.reason;
      entry.httpStatus = result.response?.status;
    }
    summary.push(entry);
  }
  process.stdout.write(JSON.stringify(summary, null, 2) + '\n');
} catch (error) {
  console.error(`audit could not run: ${error?.stack ?? error}`);
  process.exit(3);
}
