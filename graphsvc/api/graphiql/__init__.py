"""The GraphiQL page at ``/graphql`` and the assets it loads, all served by graphsvc itself.

Strawberry's GraphiQL template loads React, GraphiQL and its explorer plugin from a CDN, so
the page stays blank on a machine without internet. graphsvc serves its own copy of that
template (``page.html``) and the same versions of those files from the package
(``static/vendor``, refreshed by ``tools/vendor_graphiql.sh``) under ``/static/graphiql``.

Why a copy rather than Strawberry's template with its addresses rewritten at start-up: the
vendored files and the page that loads them must change together. A rewrite would follow
whatever a Strawberry upgrade puts in its template (new versions, new files, ESM import maps)
and, on the first upgrade that changes them, point at files we do not have, a blank page
again. A copy pins the page to exactly what is vendored; ``manifest.json`` (written by the
script) supplies folder names and SHA-384 digests, so refreshing the assets needs no edit of
the page, and a placeholder naming a file that is not vendored fails at start-up.

The page's scripts and styles are files, not inline, so its Content-Security-Policy allows
the server's own files only, with one exception GraphiQL needs: its dialogs (settings,
short keys) add a ``<style>`` element when they open (Radix's scroll lock), so style
*elements* may be inline (``style-src-elem 'unsafe-inline'``). Style attributes, scripts,
fonts, images and connections stay restricted to the server (fonts and icons of GraphiQL's
stylesheet are ``data:`` URLs inside it). Checked in headless Chromium: running a query,
completion, the docs, history and explorer panes and both dialogs report no violation.
"""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path
from typing import Any

from starlette.responses import HTMLResponse, Response
from starlette.staticfiles import StaticFiles
from starlette.types import Scope

__all__ = [
    "ASSETS_PATH",
    "GRAPHIQL_CSP",
    "AssetMissing",
    "GraphiQLAssets",
    "graphiql_page",
    "graphiql_response",
    "render_page",
]

ASSETS_PATH = "/static/graphiql"
"""Where the GraphiQL page's scripts, styles and icon are served (outside ``/graphql``, so
that a browser loads them without a token: they hold no data)."""

STATIC_DIR = Path(__file__).parent / "static"
_VENDOR = "vendor"

GRAPHIQL_CSP = "; ".join(
    [
        "default-src 'none'",
        "script-src 'self'",
        "style-src 'self'",
        # GraphiQL's dialogs (Radix, through react-remove-scroll-bar) add a <style> element
        # when they open: without this, opening the settings dialog is refused.
        "style-src-elem 'self' 'unsafe-inline'",
        # graphiql.min.css embeds its fonts and icons as data: URLs.
        "font-src 'self' data:",
        "img-src 'self' data:",
        # The queries (HTTP) and subscriptions (WebSocket, same host) go to this server only.
        "connect-src 'self'",
        "base-uri 'none'",
        "form-action 'none'",
        "frame-ancestors 'none'",
    ]
)
"""The Content-Security-Policy of the GraphiQL page: this server's files and nothing else."""

_IMMUTABLE = "public, max-age=31536000, immutable"
"""Vendored files live in folders named with their version: a new version is a new address."""
_REVALIDATE = "no-cache"
"""graphsvc's own page files keep their address across releases: revalidate (ETag) each load."""

_PLACEHOLDER = re.compile(r"\{\{(?:(?P<sri>sri):)?(?P<name>[^|}]+)(?:\|(?P<file>[^}]+))?\}\}")


class AssetMissing(RuntimeError):
    """``page.html`` names a package or file that ``static/vendor`` does not hold."""


def _manifest() -> dict[str, Any]:
    """The vendored packages: version, licence, folder and each file's SHA-384."""
    loaded: dict[str, Any] = json.loads((STATIC_DIR / _VENDOR / "manifest.json").read_text())
    return loaded


def render_page(template: str, manifest: dict[str, Any], base: str) -> str:
    """``template`` with its placeholders filled in, the assets being served at ``base``.

    ``{{static}}`` is ``base``; ``{{package|file}}`` a vendored file's address and
    ``{{sri:package|file}}`` its Subresource-Integrity digest (the browser checks it).
    A placeholder naming a package or file that ``manifest`` lacks raises ``AssetMissing``.
    """

    def fill(match: re.Match[str]) -> str:
        name, file = match["name"], match["file"]
        if name == "static" and file is None:
            return base
        package = manifest.get(name)
        if package is None or file is None or file not in package["files"]:
            raise AssetMissing(
                f"graphiql/page.html names {match[0]}, which static/vendor/manifest.json "
                f"does not list: run tools/vendor_graphiql.sh"
            )
        if match["sri"]:
            return str(package["files"][file])
        return f"{base}/{_VENDOR}/{package['folder']}/{file}"

    return _PLACEHOLDER.sub(fill, template)


@cache
def graphiql_page(root_path: str = "") -> str:
    """The GraphiQL page (``page.html``) for an app mounted at ``root_path``."""
    return render_page(
        (Path(__file__).parent / "page.html").read_text(),
        _manifest(),
        f"{root_path.rstrip('/')}{ASSETS_PATH}",
    )


def graphiql_response(root_path: str = "") -> HTMLResponse:
    """The GraphiQL page with its Content-Security-Policy; never cached stale."""
    return HTMLResponse(
        graphiql_page(root_path),
        headers={
            "Content-Security-Policy": GRAPHIQL_CSP,
            "Cache-Control": _REVALIDATE,
            "X-Content-Type-Options": "nosniff",
        },
    )


class GraphiQLAssets(StaticFiles):
    """The page's files, with a cache header (long for versioned vendor files) and nosniff."""

    def __init__(self) -> None:
        super().__init__(directory=STATIC_DIR)
        graphiql_page()  # at start-up: a page naming a file that is not vendored fails here

    async def get_response(self, path: str, scope: Scope) -> Response:
        """Starlette's file response, plus ``Cache-Control`` and ``X-Content-Type-Options``."""
        response = await super().get_response(path, scope)
        if response.status_code in (200, 304):
            vendored = path.startswith(f"{_VENDOR}/") and path != f"{_VENDOR}/manifest.json"
            response.headers["Cache-Control"] = _IMMUTABLE if vendored else _REVALIDATE
            response.headers["X-Content-Type-Options"] = "nosniff"
        return response
