"""Saying facts in the plan's language: the words table, numbers, dates and names."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from graphsvc.domain.enums import BuyingRole, Stance
from graphsvc.services.report.facts import AccountFacts
from graphsvc.services.report.texts import ReportLanguage, role_word, stance_word, words

__all__ = ["Say", "number", "score"]


def number(value: float | None) -> str:
    """A quantity with thousands separators, without decimals when whole; '' when absent."""
    if value is None:
        return ""
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.2f}"


def score(value: float | None) -> str:
    """A strength, score or share on the API's 0–1 scale, two decimals; '' when absent."""
    return "" if value is None else f"{value:.2f}"


@dataclass(frozen=True)
class Say:
    """The facts of one plan and the language it is written in."""

    facts: AccountFacts
    lang: ReportLanguage

    def __call__(self, key: str, **values: Any) -> str:
        """The sentence ``key`` in the plan's language, filled with ``values``."""
        return words(self.lang)[key].format(**values)

    def stance(self, stance: Stance) -> str:
        return stance_word(self.lang, stance)

    def role(self, role: BuyingRole) -> str:
        return role_word(self.lang, role)

    def day(self, day: date | None) -> str:
        return "" if day is None else day.isoformat()

    def person(self, person_id: str) -> str:
        return self.facts.person_name(person_id)

    def organization(self, organization_id: str) -> str:
        return self.facts.organization_name(organization_id)

    def department(self, department_id: str | None) -> str:
        return self.facts.department_name(department_id)

    def or_unknown(self, text: str) -> str:
        return text or self("unknown")
