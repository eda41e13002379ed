"""Answers given while the store cannot be reached, noted per request so the API can say so.

During a store outage (``StoreUnavailable`` on the version check) ``ProjectionCache.get``
serves a workspace's projection as of the last version this process saw instead of failing
(README, "When the store is down"). Such an answer may miss writes made elsewhere since,
so the caller must learn that it was not confirmed current: ``note_unconfirmed`` records
it in the current request's ``UnconfirmedAnswers`` (a context variable, so a service deep
in a resolver needs no handle on the request), and the API reports them in the response
(``extensions.projection``).
"""

from __future__ import annotations

from contextvars import ContextVar
from dataclasses import dataclass, field

__all__ = ["UnconfirmedAnswers", "note_unconfirmed", "track_unconfirmed"]


@dataclass
class UnconfirmedAnswers:
    """The projection versions one request was answered from without the store's word,
    by workspace (the lowest, should a request see several)."""

    versions: dict[str, int] = field(default_factory=dict)

    def add(self, workspace: str, version: int) -> None:
        """Note that ``workspace``'s projection at ``version`` answered unconfirmed."""
        seen = self.versions.get(workspace)
        self.versions[workspace] = version if seen is None else min(seen, version)


_CURRENT: ContextVar[UnconfirmedAnswers | None] = ContextVar("unconfirmed_answers", default=None)


def track_unconfirmed() -> UnconfirmedAnswers:
    """Start noting unconfirmed answers for the request running in this context; the
    record to read when it is done (tasks it starts share it)."""
    answers = UnconfirmedAnswers()
    _CURRENT.set(answers)
    return answers


def note_unconfirmed(workspace: str, version: int) -> None:
    """Record that ``workspace``'s projection at ``version`` answered while the store could
    not confirm it current (nothing happens outside a tracked request, e.g. in the CLI)."""
    answers = _CURRENT.get()
    if answers is not None:
        answers.add(workspace, version)
