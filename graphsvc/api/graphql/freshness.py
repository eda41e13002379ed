"""``extensions.projection``: marks an answer given from the analytic projection while the
store could not be reached (README, "When the store is down").

During a store outage analytic fields answer from the projection as of the last version
this process saw (``services.outage``); such an answer may miss writes made through other
processes since. The response then carries
``"extensions": {"projection": {"version": N, "storeReachable": false}}``: ``N`` is the
workspace version the answer reflects. Responses the store confirmed carry nothing, so a
client need only look for the key.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from strawberry.extensions import SchemaExtension

from graphsvc.api.observability.metrics import count_unconfirmed_answer
from graphsvc.services.outage import UnconfirmedAnswers, track_unconfirmed

__all__ = ["ProjectionFreshness"]


class ProjectionFreshness(SchemaExtension):
    """Tracks unconfirmed projection answers per operation and reports them."""

    _answers: UnconfirmedAnswers | None = None

    def on_operation(self) -> Iterator[None]:
        self._answers = track_unconfirmed()
        yield

    def get_results(self) -> dict[str, Any]:
        answers = self._answers
        if answers is None or not answers.versions:
            return {}
        version = min(answers.versions.values())
        count_unconfirmed_answer()
        return {"projection": {"version": version, "storeReachable": False}}
