"""Use cases: the only layer that calls both the store and the analytics.

``GraphService`` (``services.graph``) is what the API and the CLI hold: it reads through the
store, validates every write completely against the document rules of CONTRACT §3 (the
document *and* what the store already holds) before it applies anything, and tells its
change listeners (the analytics projection cache) about every applied change.
"""
