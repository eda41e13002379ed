// graphql-codegen over graphsvc's schema (schema.graphql at the repository's root, the same
// text as `graphsvc schema`): TypeScript types for every GraphQL document written with
// `graphql(...)` in src/, generated into src/gql/ with the client preset. A front end copies
// this folder (or this file), points `schema` at its graphsvc's schema.graphql and
// `documents` at its own sources, and runs `npm run codegen`.
//
// GRAPHSVC_SCHEMA overrides the schema file (the tests use it to show that a schema change
// breaks the build of a document that relied on the old schema).

import type { CodegenConfig } from "@graphql-codegen/cli";

const config: CodegenConfig = {
  schema: process.env.GRAPHSVC_SCHEMA ?? "../../schema.graphql",
  documents: ["src/**/*.ts", "!src/gql/**/*"],
  ignoreNoDocuments: false,
  generates: {
    "src/gql/": {
      preset: "client",
      config: {
        // graphsvc's scalars as they travel in JSON
        scalars: {
          Date: "string",
          DateTime: "string",
          JSON: "unknown",
        },
        enumsAsTypes: true,
        useTypeImports: true,
        strictScalars: true,
      },
      presetConfig: {
        fragmentMasking: false,
      },
    },
  },
};

export default config;
