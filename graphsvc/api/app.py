"""The FastAPI application: GraphQL at ``/graphql`` (GraphiQL in a browser, its scripts and
styles under ``/static/graphiql``), the console at ``/app``, ``/healthz``, ``/readyz`` and
``/metrics``.

``create_app`` is the one factory (``graphsvc serve``, tests). Without ``services`` it builds
them from the settings (``services.container``), opening the store on startup and closing it
on shutdown; with them (tests, embedding) it uses them as they are and leaves their
lifecycle to the caller.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.responses import Response

from graphsvc.api.auth import AuthMiddleware, check_auth_setting
from graphsvc.api.collector import set_aside_long_lived
from graphsvc.api.compression import Compression
from graphsvc.api.console import console_router
from graphsvc.api.cors import CrossOriginGraphQL, cors_origins
from graphsvc.api.graphiql import ASSETS_PATH, GraphiQLAssets
from graphsvc.api.graphql.context import get_context
from graphsvc.api.graphql.schema import build_schema
from graphsvc.api.http_cache import HttpCache, server_fingerprint
from graphsvc.api.limits import limit_extensions
from graphsvc.api.limits.body_size import BodySizeLimit
from graphsvc.api.media import GraphQLResponseMedia
from graphsvc.api.observability.metrics import (
    MetricsExtension,
    metrics_response,
    record_projection_build,
)
from graphsvc.api.observability.readiness import readiness_response
from graphsvc.api.observability.request_context import RequestContextMiddleware
from graphsvc.api.persisted_queries import PersistedQueries
from graphsvc.api.router import GraphsvcRouter
from graphsvc.config import Settings, get_settings
from graphsvc.services.container import Services, build_services

__all__ = ["create_app"]


def create_app(
    settings: Settings | None = None,
    *,
    services: Services | None = None,
    serving: bool = False,
    saves_snapshots: bool = True,
) -> FastAPI:
    """The API for ``settings`` (default: the environment), serving ``services`` if given.

    ``serving``: the app is what this process serves until it exits (``graphsvc serve`` and
    its workers, not tests): once the start-up projection builds are done, what lives as
    long as the process is set aside from garbage collection (``api.collector``).
    ``saves_snapshots=False``: with ``projection_snapshots`` on, load the store's projection
    snapshots but leave saving them to another process (the other workers of ``serve
    --workers N``: ``api.workers``).
    """
    settings = settings or get_settings()
    check_auth_setting(settings)  # refuse auth=off on a network address before anything runs
    origins = cors_origins(settings)  # refuse a wildcard or a malformed origin likewise

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if services is not None:
            async with _observed(services):
                app.state.services = services
                yield
            return
        async with (
            build_services(settings) as built,
            _observed(built),
            _warmed(
                built,
                settings,
                then=set_aside_long_lived if serving else None,
                saves=settings.projection_snapshots and saves_snapshots,
            ),
        ):
            app.state.services = built
            yield

    app = FastAPI(
        title="graphsvc",
        summary="Stakeholder and power-structure graph of enterprise accounts, over GraphQL.",
        lifespan=lifespan,
    )
    app.state.settings = settings
    router = _graphql_router(settings)
    app.include_router(router, prefix="/graphql")
    if settings.graphiql:
        app.mount(ASSETS_PATH, GraphiQLAssets(), name="graphiql-assets")
    # The console (CONTRACT §9): a static shell outside the authenticated /graphql prefix;
    # its data comes through /graphql with the user's token.
    app.include_router(console_router())

    @app.get("/healthz", summary="Liveness: the process serves requests.")
    async def healthz() -> dict[str, str]:
        return {"status": "ok"}

    @app.get(
        "/readyz",
        summary="Readiness: the store answers and the start-up projection builds are done.",
        response_model=None,
    )
    async def readyz() -> Response:
        services = app.state.services
        return await readiness_response(services.store, warming=services.analytics.warming)

    @app.get("/metrics", summary="Prometheus metrics.", include_in_schema=False)
    async def metrics() -> Response:
        return metrics_response()

    # Outermost last: request id and access log; CORS (answering token-less preflights, and
    # granting allowed origins on every answer, 401s too); gzip of large answers; then
    # authentication; the body limit (so that an unauthenticated client cannot make the
    # server buffer a body); ETags and 304s of reads over GET (after authentication: a
    # revoked token gets 401, never 304); the graphql-response+json media type around the
    # GraphQL router (inside the ETag check, which tags only what the client finally gets).
    app.add_middleware(GraphQLResponseMedia)
    app.add_middleware(
        HttpCache,
        services=lambda: app.state.services,
        fingerprint=server_fingerprint(router.schema.as_str(), settings),
        persisted=router.persisted_queries,
    )
    app.add_middleware(BodySizeLimit, max_bytes=settings.max_body_bytes)
    app.add_middleware(AuthMiddleware, settings=settings, tokens=lambda: app.state.services.tokens)
    app.add_middleware(Compression)
    if origins:  # CORS outside authentication: preflights carry no token (api.cors)
        app.add_middleware(CrossOriginGraphQL, origins=origins)
    app.add_middleware(RequestContextMiddleware)
    return app


@asynccontextmanager
async def _observed(services: Services) -> AsyncIterator[None]:
    """Count the projection builds of ``services`` in the metrics while the app serves them."""
    observers = services.analytics.projections.build_observers
    observers.append(record_projection_build)
    try:
        yield
    finally:
        observers.remove(record_projection_build)


_LISTING_SECONDS = 2.0
"""Longest the server's start waits for the list of workspaces the warm start builds."""


@asynccontextmanager
async def _warmed(
    services: Services,
    settings: Settings,
    *,
    then: Callable[[], object] | None = None,
    saves: bool = False,
) -> AsyncIterator[None]:
    """With ``warm_start``, build the workspaces' projections in the background while the
    app serves (issue 14, item 4): requests meanwhile wait for the build under way. ``then``
    is called once the builds are done (or at once without ``warm_start``).

    With ``saves``, the projections built at start-up are saved as snapshots once no
    request waits, and, either way, at shutdown, those served that moved since their
    snapshot, so that the next start, warm or not, catches up less.
    """
    if not settings.warm_start:
        if then is not None:
            then()
        try:
            yield
        finally:
            await _save_snapshots(services, saves)
        return

    async def warm_up() -> None:
        await services.analytics.warm_up()
        if then is None and not saves:
            return
        # Not in the way of the first requests, which waited for these builds: a full
        # collection over the new projection (``then``: ~0.1 s at 100k people) and encoding
        # its snapshot (~1 s) hold the GIL, the latter the projection lock too.
        await services.analytics.projections.until_idle()
        if then is not None:
            then()
        await _save_snapshots(services, saves)

    warming = asyncio.ensure_future(warm_up())
    # Listen once the builds are known (one quick read), so that /readyz says "starting"
    # from the first request on; a store slower than that is reported by /readyz itself.
    listed = asyncio.ensure_future(services.analytics.projections.listed.wait())
    await asyncio.wait(
        [listed, warming], timeout=_LISTING_SECONDS, return_when=asyncio.FIRST_COMPLETED
    )
    listed.cancel()
    try:
        yield
    finally:
        warming.cancel()
        await asyncio.gather(warming, return_exceptions=True)
        await _save_snapshots(services, saves)


async def _save_snapshots(services: Services, saves: bool) -> None:
    """Save the served projections that moved since their snapshot, if this process saves."""
    if saves:
        await services.analytics.projections.save_snapshots()


def _graphql_router(settings: Settings) -> GraphsvcRouter:
    """Strawberry's router over the schema, one context per request, one persisted-query
    cache per server process."""
    return GraphsvcRouter(
        build_schema(
            extensions=[*limit_extensions(settings), MetricsExtension],
            analytic_timeout_seconds=settings.analytic_timeout_seconds,
        ),
        context_getter=get_context,
        graphql_ide="graphiql" if settings.graphiql else None,
        persisted_queries=PersistedQueries(settings.persisted_query_cache_size),
    )
