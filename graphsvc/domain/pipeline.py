"""The stage model of a workspace's pipeline (CONTRACT §7): ordered stages and their odds.

A workspace without a stage model of its own uses ``DEFAULT_STAGES``; one is set through
the API (``setPipelineStages``) or a graph document's ``pipelineStages``, and replaces the
previous model whole. ``PipelineStage``, ``StageEntry`` and ``Criterion`` are defined with
the records in ``domain.models`` (a graph document holds them) and re-exported here.
"""

from __future__ import annotations

from graphsvc.domain.models import Criterion, PipelineStage, StageEntry

__all__ = ["DEFAULT_STAGES", "Criterion", "PipelineStage", "StageEntry"]

DEFAULT_STAGES: tuple[PipelineStage, ...] = (
    PipelineStage(name="PROSPECTING", probability=0.05),
    PipelineStage(name="QUALIFICATION", probability=0.1),
    PipelineStage(name="DISCOVERY", probability=0.25),
    PipelineStage(name="PROPOSAL", probability=0.5),
    PipelineStage(name="NEGOTIATION", probability=0.75),
)
"""A common B2B stage model. Winning or losing is an opportunity's ``status``, not a stage:
a won deal stays in the stage it was won from."""
