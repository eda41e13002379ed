"""The HTTP API: a FastAPI app serving the GraphQL schema (``api.graphql``) and health checks."""
