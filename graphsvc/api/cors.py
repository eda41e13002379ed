"""CORS for ``/graphql``: browser tools on the origins in ``GRAPHSVC_CORS_ORIGINS`` may call it.

CONTRACT §10. A CRM side panel or an internal portal runs on another origin and sends the
user's token in ``Authorization``, which makes the browser ask first (a preflight
``OPTIONS``). Starlette's ``CORSMiddleware`` answers: an origin in the list gets
``Access-Control-Allow-Origin`` (its own origin, never ``*``), the methods GET and POST, the
headers ``Authorization``, ``Content-Type`` and ``X-Request-ID``, and
``Access-Control-Max-Age`` (``MAX_AGE_SECONDS``: browsers cache the grant that long; Chrome
caps it at two hours); every other origin gets no ``Access-Control-Allow-Origin`` at all, on
preflights (answered 400) and on requests, so its page cannot read an answer. Answers say
``Vary: Origin``. ``ETag``, ``Retry-After``, ``WWW-Authenticate`` and ``X-Request-ID`` are
exposed to the page's script.

The middleware sits outside authentication: a preflight carries no token (browsers never
send one), so it is answered here instead of being refused with 401, and a 401 to a real
request from an allowed origin still carries the grant, so the page can read why. Cookies
play no part (the token travels in a header), so no ``Access-Control-Allow-Credentials``
is sent. An allowed origin is also granted Chrome's Private Network Access (a page on the
internet calling a server on the company network): listing the origin is that decision.

Only ``/graphql`` gets CORS: the console (``/app``), GraphiQL, ``/healthz``, ``/readyz``
and ``/metrics`` are same-origin pages or served to tools that are not browsers.

``*`` is refused at start-up (``cors_origins``): a wildcard would let any web page a signed-in
user visits call the API with a token that page got hold of, and browsers refuse ``*`` with
credentials anyway. Each origin is checked to be exactly ``scheme://host[:port]``, as browsers
send it, so a path or a typo is reported instead of silently never matching.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from starlette.middleware.cors import CORSMiddleware
from starlette.types import ASGIApp, Receive, Scope, Send

from graphsvc.config import Settings
from graphsvc.errors import ErrorCode, GraphsvcError

__all__ = [
    "ALLOWED_HEADERS",
    "EXPOSED_HEADERS",
    "MAX_AGE_SECONDS",
    "CorsConfigurationError",
    "CrossOriginGraphQL",
    "cors_origins",
]

ALLOWED_HEADERS = ("Authorization", "Content-Type", "X-Request-ID")
"""Request headers a page on an allowed origin may send (besides the CORS-safelisted ones)."""
EXPOSED_HEADERS = ("ETag", "Retry-After", "WWW-Authenticate", "X-Request-ID")
"""Response headers the page's script may read (besides the CORS-safelisted ones)."""
MAX_AGE_SECONDS = 3600
"""How long a browser may reuse a preflight's grant."""

_DEFAULT_PORTS = {"http": 80, "https": 443}


class CorsConfigurationError(GraphsvcError):
    """``GRAPHSVC_CORS_ORIGINS`` holds something that is not an exact browser origin."""

    code = ErrorCode.INVALID


def _origin(value: str) -> str:
    """``value`` as browsers send it in ``Origin`` (lower case, no default port, no slash)."""
    if "*" in value:
        raise CorsConfigurationError(
            f"GRAPHSVC_CORS_ORIGINS may not contain a wildcard ({value!r}): API tokens are "
            "credentials, so list each origin allowed to call the API, e.g. "
            "GRAPHSVC_CORS_ORIGINS=https://crm.example.com,https://portal.example.com"
        )
    try:
        parts = urlsplit(value)
        port = parts.port
    except ValueError as bad:
        raise CorsConfigurationError(
            f"GRAPHSVC_CORS_ORIGINS: {value!r} is not an origin ({bad})"
        ) from None
    if (
        parts.scheme.lower() not in _DEFAULT_PORTS
        or not parts.hostname
        or parts.path not in ("", "/")
        or parts.query
        or parts.fragment
        or parts.username is not None
    ):
        raise CorsConfigurationError(
            f"GRAPHSVC_CORS_ORIGINS: {value!r} is not an origin: write "
            "scheme://host[:port] with http or https and nothing after it, "
            "e.g. https://crm.example.com or http://localhost:3000"
        )
    scheme = parts.scheme.lower()
    host = parts.hostname.lower()
    if ":" in host:  # an IPv6 address, bracketed in an origin
        host = f"[{host}]"
    shown_port = "" if port is None or port == _DEFAULT_PORTS[scheme] else f":{port}"
    return f"{scheme}://{host}{shown_port}"


def cors_origins(settings: Settings) -> tuple[str, ...]:
    """The origins ``settings`` allow, normalised; ``CorsConfigurationError`` on a bad one."""
    listed = (part.strip() for part in settings.cors_origins.split(","))
    return tuple(dict.fromkeys(_origin(value) for value in listed if value))


class CrossOriginGraphQL:
    """Starlette's ``CORSMiddleware`` for ``path`` (``/graphql``) only; see the module."""

    def __init__(self, app: ASGIApp, *, origins: tuple[str, ...], path: str = "/graphql") -> None:
        self.app = app
        self.path = path
        self.cors = CORSMiddleware(
            app,
            allow_origins=origins,
            allow_methods=("GET", "POST"),
            allow_headers=ALLOWED_HEADERS,
            expose_headers=EXPOSED_HEADERS,
            allow_private_network=True,
            max_age=MAX_AGE_SECONDS,
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and str(scope.get("path", "")).startswith(self.path):
            await self.cors(scope, receive, send)
        else:
            await self.app(scope, receive, send)
