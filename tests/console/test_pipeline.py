"""The pipeline page in headless Chromium (``console/e2e/pipeline.mjs``) against the API.

The page is opened on the demo world's today (``?asOf=``), as the API is asked here.
"""

from __future__ import annotations

from typing import Any

import pytest

from graphsvc.demo import DEMO_TODAY
from tests.console.conftest import ConsoleDemo

pytestmark = pytest.mark.slow

PIPELINE = """query($id: ID!, $subs: Boolean!, $asOf: Date!) {
  pipeline(organizationId: $id, includeSubsidiaries: $subs, asOf: $asOf) {
    asOf bottleneck won { count amount } lost { count amount } winRate
    stages { stage count amount weightedAmount conversionRate entered advanced }
    stalled { stage daysInStage opportunity { id name amount
      organization { name } department { name } owner { name } } } } }"""


def money(value: float) -> str:
    """An amount as the page writes it in English (grouped, no decimals for whole numbers)."""
    return f"{value:,.0f}" if value == int(value) else f"{value:,}"


def expected_view(pipeline: dict[str, Any]) -> dict[str, Any]:
    """What the page must show of ``pipeline``: per stage in order, the stalled deals in order."""
    stages = [
        {
            "stage": s["stage"],
            "count": s["count"],
            "amount": s["amount"],
            "weightedAmount": s["weightedAmount"],
        }
        for s in pipeline["stages"]
    ]
    stalled = [
        {
            "id": s["opportunity"]["id"],
            "daysInStage": s["daysInStage"],
            "cells": [
                s["opportunity"]["name"],
                s["opportunity"]["organization"]["name"],
                (s["opportunity"]["department"] or {}).get("name", "–"),
                s["stage"],
                f"{s['daysInStage']:,}",
                (s["opportunity"]["owner"] or {}).get("name", "–"),
                "–" if s["opportunity"]["amount"] is None else money(s["opportunity"]["amount"]),
                f"{s['daysInStage']:,} days in {s['stage']}, more than 30",
            ],
        }
        for s in pipeline["stalled"]
    ]
    rate = pipeline["winRate"]
    closed = {
        kind: f"{pipeline[kind]['count']:,} · {money(pipeline[kind]['amount'])}"
        for kind in ("won", "lost")
    }
    return {
        "stages": stages,
        "stalled": stalled,
        "bottleneck": pipeline["bottleneck"],
        "closed": {**closed, "winRate": "–" if rate is None else f"{round(rate * 100, 1):g}%"},
    }


def shown_view(seen: dict[str, Any]) -> dict[str, Any]:
    """The same, as the page showed it: the funnel, its twin table and the stalled table."""
    keys = ("stage", "count", "amount", "weightedAmount")
    funnel = [{k: s[k] for k in keys} for s in seen["funnel"]]
    table = [{k: s[k] for k in keys} for s in seen["table"]]
    assert funnel == table, "the funnel and its twin table differ"
    return {
        "stages": funnel,
        "stalled": [{k: s[k] for k in ("id", "daysInStage", "cells")} for s in seen["stalled"]],
        "bottleneck": seen["bottleneck"] or None,
        "closed": {k: seen["figures"][k] for k in ("won", "lost", "winRate")},
    }


def test_the_pipeline_page_shows_the_funnel_bottleneck_and_stalled_deals_the_api_returns(
    console: ConsoleDemo,
) -> None:
    # given the pipeline of the holding company with and without its subsidiaries on the
    # demo's today, and the API's answer to a negative stall limit
    day = DEMO_TODAY.isoformat()
    with_subs = console.graphql(PIPELINE, id=console.org_id, subs=True, asOf=day)["pipeline"]
    without = console.graphql(PIPELINE, id=console.org_id, subs=False, asOf=day)["pipeline"]
    assert with_subs["stalled"], "the demo should have stalled deals"
    assert without != with_subs, "the demo's group should differ from its holding company"
    assert with_subs["won"]["count"], "the demo should have won deals"

    # when the browser script opens the page and uses its controls
    seen = console.browse("pipeline.mjs", AS_OF=day)

    # then the funnel and its twin table show every stage in model order with the API's
    # count, amount and weighted amount, the bottleneck is the API's, and the stalled deals
    # are the API's, in its order, each with what makes it stalled
    page = seen["withSubsidiaries"]
    assert page["asOfInput"] == day
    assert page["area"]["asOf"] == day
    assert shown_view(page) == expected_view(with_subs)
    neck = with_subs["bottleneck"]
    assert [s["stage"] for s in page["funnel"] if s["bottleneck"]] == [neck]
    assert page["figures"]["bottleneck"] == neck
    assert page["bottleneckText"].startswith(f"Bottleneck: {neck}.")
    [figures] = [s for s in with_subs["stages"] if s["stage"] == neck]
    assert f"({figures['advanced']} of {figures['entered']} deals" in page["bottleneckText"]
    assert page["figures"]["openDeals"] == f"{sum(s['count'] for s in with_subs['stages']):,}"
    assert page["figures"]["openAmount"] == money(sum(s["amount"] for s in with_subs["stages"]))
    assert page["figures"]["stalledDeals"] == f"{len(with_subs['stalled']):,}"
    assert page["stalledHelp"] == (
        f"Open deals that have been in their stage for more than 30 days on {day}, longest first."
    )
    # the switch (pressed from the keyboard) shows the API's answer without subsidiaries,
    # keeps the focus on itself and puts the choice in the address
    page = seen["withoutSubsidiaries"]
    assert page["area"]["subsidiaries"] == "false"
    assert shown_view(page) == expected_view(without)
    assert seen["focusAfterSwitch"] == "subsidiaries"
    assert seen["addressWithout"] == (
        f"{console.base}/app/organizations/{console.org_id}/pipeline?asOf={day}&subsidiaries=false"
    )
    # Japanese headings; the API's refusal in words; an unknown organization is not found
    assert seen["japanese"] == {
        "heading": f"パイプライン：{page['heading'].removeprefix('Pipeline: ')}",
        "funnelTitle": "ステージ別ファネル",
    }
    assert seen["errorText"] == (
        "The pipeline could not be loaded: stalledAfterDays must not be negative, got -1 (INVALID)"
    )
    assert "no-such-organization" in seen["notFoundText"]
    print(f"pipeline browser script: {seen['seconds']:.1f} s (one chromium launch)")
    assert set(seen["axe"]) == {"pipeline", "pipeline-ja"}
    assert len(seen["screenshots"]) == 5
