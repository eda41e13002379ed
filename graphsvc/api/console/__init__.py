"""The account-plan console (CONTRACT §9): the built single-page app, served under ``/app``.

The app is built from ``console/`` (TypeScript, Vite) into ``dist/`` next to this module and
ships in the Python package, so a ``pip install`` serves it without node. Every stable
address of §9 answers the app's ``index.html`` and the app routes in the browser; addresses
outside §9 answer the same page with status 404 (the app shows its not-found page). The
shell holds no data, so it needs no token: the app sends the user's token to ``/graphql``.

Assets have content-hashed names and are cached for a year; ``index.html`` is revalidated on
every load, so a new build is picked up at once. The Content-Security-Policy allows only
the server's own origin (the offline rule of §9: nothing is loaded from elsewhere).
"""

from __future__ import annotations

import re
from pathlib import Path

from fastapi import APIRouter
from fastapi.responses import FileResponse, PlainTextResponse, Response

__all__ = ["CONTENT_SECURITY_POLICY", "DIST", "console_router"]

DIST = Path(__file__).parent / "dist"
"""The built console (``make console`` rebuilds it from ``console/src``)."""

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; "
    "form-action 'self'; frame-ancestors 'none'"
)

_PAGES = re.compile(
    r"/app/?|/app/organizations/[^/]+(/(power-map|whitespace|pipeline|coverage))?/?|/app/people/[^/]+/?"
)
"""The stable addresses of CONTRACT §9 (and the console's start page)."""

_SECURITY_HEADERS = {
    "content-security-policy": CONTENT_SECURITY_POLICY,
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
}


def _not_built() -> Response:
    return PlainTextResponse(
        "the console is not built: run 'make console' in a source checkout", status_code=503
    )


def console_router(dist: Path = DIST) -> APIRouter:
    """Routes of ``/app``: the hashed assets of ``dist`` and ``index.html`` for every page."""
    router = APIRouter(include_in_schema=False)
    assets = dist / "assets"
    index = dist / "index.html"

    @router.get("/app/assets/{name}")
    async def asset(name: str) -> Response:
        # Only files directly in assets/ by their exact name: no path ever leaves the folder.
        known = {path.name for path in assets.iterdir()} if assets.is_dir() else set()
        if name not in known:
            return PlainTextResponse(f"no console asset {name!r}", status_code=404)
        return FileResponse(
            assets / name,
            # Not every system's mime table knows woff2 (the bundled Japanese font's pieces).
            media_type="font/woff2" if name.endswith(".woff2") else None,
            headers={"cache-control": "public, max-age=31536000, immutable", **_SECURITY_HEADERS},
        )

    async def page(path: str) -> Response:
        if not index.is_file():
            return _not_built()
        return FileResponse(
            index,
            status_code=200 if _PAGES.fullmatch(path) else 404,
            headers={"cache-control": "no-cache", **_SECURITY_HEADERS},
            media_type="text/html; charset=utf-8",
        )

    @router.get("/app")
    async def start() -> Response:
        return await page("/app")

    @router.get("/app/{rest:path}")
    async def any_page(rest: str) -> Response:
        return await page(f"/app/{rest}")

    return router
