"""The change log, reviews and what changed in an account (CONTRACT §6).

``service`` answers the queries, ``scope`` decides which changes lie in an organization
scope, ``summary`` reads a window of changes as ``accountChanges``' lists.
"""

from graphsvc.services.history.scope import ChangeScope
from graphsvc.services.history.service import (
    LAST_INDEX,
    MAX_PAGE,
    AccountChanges,
    ChangePage,
    HistoryService,
    parse_kinds,
)
from graphsvc.services.history.summary import (
    AccountSummary,
    Event,
    PersonEvent,
    RelationshipEvent,
    RelationshipMove,
    RightEvent,
    RightMove,
    RoleEvent,
    StageEvent,
    StanceEvent,
)

__all__ = [
    "LAST_INDEX",
    "MAX_PAGE",
    "AccountChanges",
    "AccountSummary",
    "ChangePage",
    "ChangeScope",
    "Event",
    "HistoryService",
    "PersonEvent",
    "RelationshipEvent",
    "RelationshipMove",
    "RightEvent",
    "RightMove",
    "RoleEvent",
    "StageEvent",
    "StanceEvent",
    "parse_kinds",
]
