"""A deterministic generator of realistic enterprise groups, for demos and benchmarks.

``write_generated(out, people=N, seed=S, locale="ja")`` streams a CONTRACT §3 graph document
of about N people: our own account team (the SELF organization) and a group of companies
(a holding, subsidiaries and affiliates) with nested departments, seniority pyramids,
reporting lines, informal influence, contacts, systems, decision rights and opportunities.
The same arguments always give byte-identical output; memory does not grow with N.
"""

from graphsvc.generator.document import SECTIONS, Progress, write_generated
from graphsvc.generator.group import MIN_PEOPLE, base_date
from graphsvc.generator.locales import LOCALES

__all__ = ["LOCALES", "MIN_PEOPLE", "SECTIONS", "Progress", "base_date", "write_generated"]
