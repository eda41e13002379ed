"""A hand-worked pipeline (CONTRACT §7): a small graph document and its figures, by hand.

Default stage model, positions P0 PROSPECTING 0.05, Q1 QUALIFICATION 0.1, D2 DISCOVERY 0.25,
R3 PROPOSAL 0.5, N4 NEGOTIATION 0.75. ``AS_OF`` is 2026-03-31. Organizations: ``us`` (SELF,
owner ``s1``), ``acme`` with its subsidiary ``acme-sub``, ``other`` (outside acme's scope) and
``tie-co`` (a scope of its own for the tie rule).

    deal  org       status  stage          amount   prob  history (path)             entered
    o1    acme      OPEN    PROPOSAL       100000   -     P 01-01, Q 01-15, R 01-30   60 d
    o2    acme      OPEN    PROPOSAL        40000   0.8   D 02-01, R 03-11           20 d
    o3    acme-sub  OPEN    DISCOVERY       20000   -     Q 02-10, D 02-20           39 d
    o4    acme      WON     NEGOTIATION    200000   -     R 2025-11-01, N 2025-12-01
    o5    acme      LOST    QUALIFICATION   10000   -     P 2025-12-01, Q 2025-12-15
    o6    acme      OPEN    NEGOTIATION     50000   0.9   N 03-01                    30 d
    o7    other     OPEN    PROPOSAL          999   -     R 01-01  (not in acme's scope)
    t1    tie-co    LOST    PROSPECTING      1000   -     P 2026-01-01
    t2    tie-co    LOST    QUALIFICATION    1000   -     Q 2026-01-01

Days: 01-30 → 03-31 is 1 + 28 + 31 = 60; 03-11 → 03-31 is 20; 02-20 → 03-31 is 8 + 31 = 39;
03-01 → 03-31 is 30.

pipeline(acme), stalledAfterDays 30, over o1–o6 (OPEN ones per stage):

    stage          count  amount   weighted                         median
    PROSPECTING    0      0        0                                null
    QUALIFICATION  0      0        0  (o5 is LOST)                  null
    DISCOVERY      1      20000    20000 × 0.25 = 5000              39
    PROPOSAL       2      140000   100000 × 0.5 + 40000 × 0.8 = 82000   (60 + 20) / 2 = 40
    NEGOTIATION    1      50000    50000 × 0.9 = 45000              30

Conversion (entered → later a later stage, or WON): paths o1 P Q R, o2 D R, o3 Q D, o4 R N
(WON), o5 P Q (LOST), o6 N.

    PROSPECTING    o1, o5 entered; both went on to Q                 2/2 = 1
    QUALIFICATION  o1, o3, o5; o1 (R) and o3 (D) went on              2/3
    DISCOVERY      o2, o3; o2 went on (R)                            1/2
    PROPOSAL       o1, o2, o4; only o4 (N, and WON)                  1/3
    NEGOTIATION    o4, o6; o4 WON                                    1/2

Stalled (> 30 days): o1 (60, PROPOSAL), o3 (39, DISCOVERY), longest first; o6 at exactly 30
is not. Bottleneck candidates: left a stage P (o1, o5), Q (o1, o3), D (o2), R (o4); lost in Q
(o5); stalled in R, D. NEGOTIATION qualifies for none (o4 won in it). Lowest rate among P 1,
Q 2/3, D 1/2, R 1/3: PROPOSAL.

pipeline(acme, includeSubsidiaries: false) drops o3: QUALIFICATION entered by o1, o5 → 1/2,
DISCOVERY entered by o2 → 1/1, DISCOVERY's count 0; stalled just o1; bottleneck PROPOSAL.

pipeline(tie-co): PROSPECTING 0/1 (lost in it), QUALIFICATION 0/1 (lost in it): a tie at 0,
and the earlier stage wins: PROSPECTING.

Won and lost (any stage, any close date): acme won o4 (200000) and lost o5 (10000), win rate
1 / 2 = 0.5, with or without acme-sub (o3 is open); tie-co won none and lost t1 and t2 (2000),
win rate 0.
"""

from __future__ import annotations

from datetime import date
from typing import Any

AS_OF = date(2026, 3, 31)


def _deal(
    id: str,
    org: str,
    status: str,
    stage: str,
    amount: float,
    history: list[tuple[str, str]],
    probability: float | None = None,
) -> dict[str, Any]:
    record: dict[str, Any] = {
        "id": id,
        "name": f"Deal {id}",
        "organizationId": org,
        "category": "CRM",
        "stage": stage,
        "amount": amount,
        "status": status,
        "ownerId": "s1",
        "stageHistory": [{"stage": s, "enteredOn": d} for s, d in history],
    }
    if probability is not None:
        record["probability"] = probability
    return record


def pipeline_document() -> dict[str, Any]:
    """The graph document of the table above."""
    return {
        "format": "graphsvc/v1",
        "organizations": [
            {"id": "us", "name": "Us", "kind": "SELF"},
            {"id": "acme", "name": "Acme", "kind": "CUSTOMER"},
            {"id": "acme-sub", "name": "Acme Sub", "kind": "CUSTOMER", "parentId": "acme"},
            {"id": "other", "name": "Other", "kind": "PROSPECT"},
            {"id": "tie-co", "name": "Tie Co", "kind": "PROSPECT"},
        ],
        "people": [
            {"id": "s1", "name": "Sato", "organizationId": "us"},
            {"id": "c1", "name": "Chen", "organizationId": "acme"},
        ],
        "opportunities": [
            _deal(
                "o1",
                "acme",
                "OPEN",
                "PROPOSAL",
                100000,
                [
                    ("PROSPECTING", "2026-01-01"),
                    ("QUALIFICATION", "2026-01-15"),
                    ("PROPOSAL", "2026-01-30"),
                ],
            ),
            _deal(
                "o2",
                "acme",
                "OPEN",
                "PROPOSAL",
                40000,
                [("DISCOVERY", "2026-02-01"), ("PROPOSAL", "2026-03-11")],
                probability=0.8,
            ),
            _deal(
                "o3",
                "acme-sub",
                "OPEN",
                "DISCOVERY",
                20000,
                [("QUALIFICATION", "2026-02-10"), ("DISCOVERY", "2026-02-20")],
            ),
            _deal(
                "o4",
                "acme",
                "WON",
                "NEGOTIATION",
                200000,
                [("PROPOSAL", "2025-11-01"), ("NEGOTIATION", "2025-12-01")],
            ),
            _deal(
                "o5",
                "acme",
                "LOST",
                "QUALIFICATION",
                10000,
                [("PROSPECTING", "2025-12-01"), ("QUALIFICATION", "2025-12-15")],
            ),
            _deal(
                "o6",
                "acme",
                "OPEN",
                "NEGOTIATION",
                50000,
                [("NEGOTIATION", "2026-03-01")],
                probability=0.9,
            ),
            _deal("o7", "other", "OPEN", "PROPOSAL", 999, [("PROPOSAL", "2026-01-01")]),
            _deal("t1", "tie-co", "LOST", "PROSPECTING", 1000, [("PROSPECTING", "2026-01-01")]),
            _deal("t2", "tie-co", "LOST", "QUALIFICATION", 1000, [("QUALIFICATION", "2026-01-01")]),
        ],
    }


ACME_STAGES = [
    # stage, count, amount, weightedAmount, medianDaysInStage, conversionRate, entered, advanced
    ("PROSPECTING", 0, 0.0, 0.0, None, 1.0, 2, 2),
    ("QUALIFICATION", 0, 0.0, 0.0, None, round(2 / 3, 6), 3, 2),
    ("DISCOVERY", 1, 20000.0, 5000.0, 39.0, 0.5, 2, 1),
    ("PROPOSAL", 2, 140000.0, 82000.0, 40.0, round(1 / 3, 6), 3, 1),
    ("NEGOTIATION", 1, 50000.0, 45000.0, 30.0, 0.5, 2, 1),
]
"""pipeline(acme) per stage, as worked out above (rates rounded as the API rounds them)."""

ACME_STALLED = [("o1", "PROPOSAL", 60), ("o3", "DISCOVERY", 39)]
