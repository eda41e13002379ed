"""Log lines: JSON objects (or plain text) on stderr, with the request id, free of secrets.

Anything shaped like a token or a Bearer credential is scrubbed from every line, whatever
logged it, so that a careless log call elsewhere cannot leak a secret.
"""

from __future__ import annotations

import logging
import re
import sys
from datetime import UTC, datetime
from typing import Any

import orjson

from graphsvc.api.observability.request_context import request_id
from graphsvc.config import Settings

__all__ = ["JsonFormatter", "configure_logging", "redact"]

_SECRETS = (
    (re.compile(r"gsv_[A-Za-z0-9_-]+"), "gsv_[REDACTED]"),
    (re.compile(r"(?i)(bearer)\s+[^\s\"',;]+"), r"\1 [REDACTED]"),
)
_MAY_HOLD_SECRET = re.compile(r"(?i)gsv_|bearer")
"""What every secret above starts with: text without it (most of it) is returned as is, one
search instead of two substitutions per string of every log line."""


def redact(text: str) -> str:
    """``text`` with every token and Bearer credential replaced by a placeholder."""
    if _MAY_HOLD_SECRET.search(text) is None:
        return text
    for pattern, replacement in _SECRETS:
        text = pattern.sub(replacement, text)
    return text


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, request id, extra fields."""

    _STANDARD = frozenset(vars(logging.makeLogRecord({}))) | {"message", "asctime"}

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": redact(record.getMessage()),
        }
        if (rid := request_id()) is not None:
            entry["request_id"] = rid
        for key, value in vars(record).items():
            if key not in self._STANDARD and not key.startswith("_"):
                entry[key] = redact(value) if isinstance(value, str) else value
        if record.exc_info:
            entry["exception"] = redact(self.formatException(record.exc_info))
        return orjson.dumps(entry, default=str).decode()


class _RedactingFormatter(logging.Formatter):
    """Plain-text lines (for a terminal) with the same scrubbing as the JSON lines."""

    def format(self, record: logging.LogRecord) -> str:
        rid = request_id()
        prefix = f"[{rid}] " if rid else ""
        return redact(prefix + super().format(record))


def configure_logging(settings: Settings) -> None:
    """Route every logger (ours, uvicorn's, strawberry's) to stderr in the configured format.

    uvicorn's access log is silenced: it prints query strings, which may carry a GraphiQL
    ``headers`` parameter with a token; ``RequestContextMiddleware`` logs requests instead.
    """
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(
        JsonFormatter()
        if settings.log_json
        else _RedactingFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s")
    )
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(settings.log_level.upper())
    for name in ("uvicorn", "uvicorn.error", "strawberry"):
        logging.getLogger(name).handlers[:] = []
        logging.getLogger(name).propagate = True
    logging.getLogger("uvicorn.access").disabled = True
