"""The demo enterprise group: a mid-sized Japanese group of companies and queries to try on it.

``demo_document()`` is the generator's output for a fixed seed (about 2,000 people), made at
demo time rather than committed, so the repository stays small and the data is the same on
every machine. ``EXAMPLE_QUERIES`` are real queries that return data on it.
"""

from graphsvc.demo.dataset import (
    DEMO_HOLDING,
    DEMO_LOCALE,
    DEMO_PEOPLE,
    DEMO_SEED,
    DEMO_TODAY,
    demo_document,
)
from graphsvc.demo.queries import EXAMPLE_QUERIES, ExampleQuery

__all__ = [
    "DEMO_HOLDING",
    "DEMO_LOCALE",
    "DEMO_PEOPLE",
    "DEMO_SEED",
    "DEMO_TODAY",
    "EXAMPLE_QUERIES",
    "ExampleQuery",
    "demo_document",
]
