"""Gzip for answers of ``MINIMUM_BYTES`` and more, when the client accepts it (CONTRACT §10).

A 2,000-row power map is about 700 kB of JSON; gzipped it crosses the wire in a twentieth of
that (figures in ``bench/README.md``). Starlette's ``GZipMiddleware`` does the work (it adds
``Vary: Accept-Encoding`` and compresses bodies of 128 KiB and more in a worker thread, off
the event loop); this wrapper decides when:

- only when ``Accept-Encoding`` lists ``gzip`` with a non-zero quality (``gzip;q=0`` means
  "not gzip", which Starlette's substring test would miss);
- never for WebSockets (subscriptions) nor for streamed media types (``multipart/mixed``,
  which GraphiQL asks for, and ``text/event-stream``): a compressor may hold back a chunk a
  subscriber is waiting for;
- below ``MINIMUM_BYTES`` the body is sent as it is: a gzip header and a round of deflate cost
  more than they save on a small answer.

Brotli is not offered: it needs a package outside the standard library, and every client
accepts gzip. ETags (``api.http_cache``) are weak (``W/``), so one tag
validates both the compressed and the plain representation of an answer. Request logs and
metrics (``api.observability``) sit outside this middleware and count requests, not bytes.
"""

from __future__ import annotations

from starlette.datastructures import Headers
from starlette.middleware.gzip import DEFAULT_EXCLUDED_CONTENT_TYPES, GZipMiddleware
from starlette.types import ASGIApp, Receive, Scope, Send

__all__ = ["COMPRESS_LEVEL", "MINIMUM_BYTES", "Compression", "accepts_gzip"]

MINIMUM_BYTES = 1024
"""Smallest body that is compressed."""
COMPRESS_LEVEL = 6
"""zlib's level: 9 (Starlette's default) took longer for a few percent fewer bytes."""
_STREAMED = ("multipart/mixed", "text/event-stream")


def accepts_gzip(accept_encoding: str) -> bool:
    """True when an ``Accept-Encoding`` value lists ``gzip`` without ``q=0``."""
    for part in accept_encoding.split(","):
        coding, *params = (p.strip() for p in part.split(";"))
        if coding.lower() != "gzip":
            continue
        for param in params:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    return float(value) > 0
                except ValueError:
                    return False
        return True
    return False


class Compression:
    """Gzip large HTTP answers for clients that accept it; see the module."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.gzip = GZipMiddleware(
            app,
            minimum_size=MINIMUM_BYTES,
            compresslevel=COMPRESS_LEVEL,
            exclude_content_types=(*DEFAULT_EXCLUDED_CONTENT_TYPES, *_STREAMED),
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and accepts_gzip(
            Headers(scope=scope).get("accept-encoding", "")
        ):
            await self.gzip(scope, receive, send)
        else:
            await self.app(scope, receive, send)
