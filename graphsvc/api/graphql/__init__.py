"""The GraphQL schema: types, inputs, connections, queries, mutations and their plumbing.

Resolvers read through per-request DataLoaders (``loaders``) and write through
``GraphService``; they never touch a store connection. ``schema.schema`` is the served schema
and ``schema.sdl()`` its text (``schema.graphql``).
"""
