"""The change log, reviews and what changed in an account (CONTRACT §6).

``service`` answers the queries, ``scope`` decides which changes lie in an organization
scope, ``summary`` reads a window of changes as ``accountChanges``' lists, ``window`` keeps
a scope's changes between requests, ``feed`` streams new changes to the ``changed``
subscription, and ``retention`` drops old changes (``graphsvc compact``).
"""

from graphsvc.services.history.feed import POLL_SECONDS, ChangeFeed, LogCompacted
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
    "POLL_SECONDS",
    "AccountChanges",
    "AccountSummary",
    "ChangeFeed",
    "ChangePage",
    "ChangeScope",
    "Event",
    "HistoryService",
    "LogCompacted",
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
