"""Use cases: the only layer that calls both the store and the analytics.

``container.build_services(settings)`` is the composition root: it wires, over one store,
``GraphService`` (validated, atomic writes and lookups; the write path is ``writes/``),
``ListingService`` (pages of records for the list queries), ``AnalyticsService`` (the
analytic queries over a projection kept current by the graph service's writes) and
``TokenService`` (API tokens). The API and the CLI get everything through it.
"""
