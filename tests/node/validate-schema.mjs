// Validates a GraphQL SDL file with graphql-js, the reference implementation that
// front-end tooling (Apollo, Relay, codegen) builds on: `node validate-schema.mjs FILE`.
// Exit 0 and one summary line on stdout when the schema is valid; exit 1 with every
// problem on stderr otherwise.
import { readFileSync } from "node:fs";
import { buildSchema, validateSchema } from "graphql";

const file = process.argv[2];
if (!file) {
  console.error("usage: node validate-schema.mjs SCHEMA.graphql");
  process.exit(2);
}

let schema;
try {
  schema = buildSchema(readFileSync(file, "utf8"));
} catch (error) {
  console.error(`${file}: ${error.message}`);
  process.exit(1);
}

const errors = validateSchema(schema);
if (errors.length > 0) {
  for (const error of errors) console.error(`${file}: ${error.message}`);
  process.exit(1);
}

const types = Object.keys(schema.getTypeMap()).filter((name) => !name.startsWith("__"));
const query = schema.getQueryType();
const mutation = schema.getMutationType();
if (!query || !mutation) {
  console.error(`${file}: the schema needs both a Query and a Mutation type`);
  process.exit(1);
}
console.log(
  `${file}: valid (${types.length} types, ${Object.keys(query.getFields()).length} queries, ` +
    `${Object.keys(mutation.getFields()).length} mutations)`,
);
