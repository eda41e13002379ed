// Lints every Cypher statement of the Neo4j store with Neo4j's own parser and semantic
// analysis (@neo4j-cypher/language-support, lintCypherQuery), as Cypher 5 (Neo4j 5.26).
//
// usage: node lint-cypher.mjs CYPHER_DIR PLACEHOLDERS_JSON
//   CYPHER_DIR         the repository's cypher/ directory (one statement per *.cypher file)
//   PLACEHOLDERS_JSON  a file holding {"placeholders": {"label": ["Organization", ...], ...},
//                      "combinations": [{"names": [...], "values": [[...], ...]}]}: the
//                      allowlists of graphsvc.store.neo4j.catalog, written out by the Python test
//
// Each statement is linted once per combination of its placeholders' allowed values (only
// the listed combinations for coupled placeholders), so every variant the store can run
// is checked. Prints one JSON object on stdout:
//   {"files": N, "variants": M, "results": [{"file", "values", "diagnostics": [...]}]}
// with each diagnostic as {"severity": "error"|"warning"|..., "message", "line", "column"}.
// Exit code 0 when it ran (the Python test judges the diagnostics), 2 on bad usage.

import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { lintCypherQuery } from '@neo4j-cypher/language-support';

const [cypherDir, placeholdersFile] = process.argv.slice(2);
if (!cypherDir || !placeholdersFile) {
  process.stderr.write('usage: node lint-cypher.mjs CYPHER_DIR PLACEHOLDERS_JSON\n');
  process.exit(2);
}
const { placeholders, combinations } = JSON.parse(readFileSync(placeholdersFile, 'utf8'));

// What the store's database holds, so semantic analysis can check names, not only syntax.
const schema = {
  defaultLanguage: 'CYPHER 5',
  labels: [
    ...new Set([
      ...placeholders.node,
      ...placeholders.label,
      ...placeholders.target,
      'Workspace',
      'ChangeBlock',
    ]),
  ],
  relationshipTypes: [...placeholders.type, ...placeholders.rel, 'HOLDS', 'SCOPED_TO'],
  propertyKeys: [
    // on every node and relationship
    'workspace', 'id', 'data', 'search',
    // record fields (camelCase as in graph documents)
    'name', 'kind', 'industry', 'employees', 'revenue', 'parentId', 'parentRelation',
    'ownership', 'organizationId', 'function', 'headcount', 'title', 'departmentId',
    'seniority', 'stance', 'category', 'vendor', 'ours', 'departmentIds', 'contractEndsOn',
    'annualValue', 'status', 'stage', 'amount', 'strength', 'lastContactOn', 'dotted',
    'area', 'budgetLimit',
    // keys and bookkeeping
    'personId', 'scopeId', 'areaKey', 'role', 'version', 'secretHash', 'label',
    'createdTs', 'revokedTs', 'format',
    // the change log, reviews and stage model (graphsvc.store.neo4j.history)
    'logFrom', 'pipelineStages', 'first', 'last', 'kinds', 'at', 'atMin', 'atMax',
    // keys of the row maps statements UNWIND
    'from', 'to', 'targets', 'props', 'key', 'values', 'matchNull', 'many',
  ],
  // Every parameter any statement may take, with a value of its type: a statement using a
  // parameter not declared here fails the gate, so the vocabulary stays deliberate.
  parameters: {
    workspace: 'w',
    id: 'id',
    ids: ['id'],
    keys: [{ from: 'a', to: 'b' }],
    rows: [{ id: 'id', props: {}, targets: ['id'] }],
    after: '',
    afterFrom: '',
    afterTo: '',
    afterKey: { personId: 'p', scopeId: 's', areaKey: 'it', role: 'APPROVER' },
    batch: 1,
    search: 'text',
    filters: [{ key: 'kind', values: ['SELF'], matchNull: false, many: false }],
    personIds: ['p'],
    scopeIds: ['s'],
    types: ['KNOWS'],
    props: { id: 'id' },
    secretHash: 'hash',
    data: '{}',
    revokedTs: 0.5,
    version: 1,
    pipelineStages: '[]',
    throughVersion: 1,
    throughPosition: 1,
    afterPosition: -1,
    untilPosition: 1,
    kinds: ['person'],
    atAfter: '2026-01-01T00:00:00.000000+00:00',
    atUntil: '2026-01-01T00:00:00.000000+00:00',
    organizationId: 'o',
    format: 'graphsvc-projection/1',
    snapshot: 'bytes',
  },
};

const SEVERITY = { 1: 'error', 2: 'warning', 3: 'information', 4: 'hint' };
const PLACEHOLDER = /<<(\w+)>>/g;

function variants(text) {
  const names = [...new Set([...text.matchAll(PLACEHOLDER)].map((m) => m[1]))];
  const coupled = combinations.find(
    (c) => c.names.length === names.length && c.names.every((n) => names.includes(n)),
  );
  let combos = [{}];
  if (coupled) {
    combos = coupled.values.map((tuple) =>
      Object.fromEntries(coupled.names.map((n, i) => [n, tuple[i]])),
    );
  }
  for (const name of coupled ? [] : names) {
    const allowed = placeholders[name];
    if (!allowed) throw new Error(`unknown placeholder <<${name}>>`);
    combos = combos.flatMap((combo) => allowed.map((value) => ({ ...combo, [name]: value })));
  }
  return combos.map((values) => ({
    values,
    query: text.replace(PLACEHOLDER, (_, name) => values[name]),
  }));
}

const files = readdirSync(cypherDir)
  .filter((f) => f.endsWith('.cypher'))
  .sort();
const results = [];
for (const file of files) {
  const text = readFileSync(join(cypherDir, file), 'utf8');
  for (const { values, query } of variants(text)) {
    const { diagnostics } = lintCypherQuery(query, schema);
    results.push({
      file,
      values,
      diagnostics: diagnostics.map((d) => ({
        severity: SEVERITY[d.severity] ?? String(d.severity),
        message: d.message,
        line: d.range.start.line + 1,
        column: d.range.start.character + 1,
      })),
    });
  }
}
process.stdout.write(
  JSON.stringify({ files: files.length, variants: results.length, results }, null, 1) + '\n',
);
