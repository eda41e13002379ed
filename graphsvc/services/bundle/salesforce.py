"""``--mapping salesforce``: Salesforce's standard exports as a graph document (CONTRACT §8).

Reads ``Account.csv``, ``Contact.csv`` and ``Opportunity.csv`` (any of them), as Data Loader
or a report export writes them: headers match the API names in any case and with spaces
(``AccountId``, ``ACCOUNTID`` and ``Account ID`` alike); other columns are left out.

- **Account** → organizations: ``Id``, ``Name``, ``ParentId`` (a subsidiary), ``Industry``,
  ``NumberOfEmployees``, ``AnnualRevenue``; kind CUSTOMER (``--self ID`` makes one ours).
- **Contact** → people of the organization ``AccountId``, with ``Title``. The name joins
  ``FirstName`` and ``LastName`` in the order of the name's language: family name first
  with one space for Japanese, Chinese or Korean script (``佐藤 健``), given name first
  otherwise (``Anna Schmidt``). ``Department`` becomes a department of the account, one per
  distinct name, with the id ``<AccountId>/<Department>`` (the same on every import, so a
  second import updates it), unless the workspace already holds a department of that
  account with that name (``departments``). ``ReportsToId`` becomes the contact's solid manager.
- **Opportunity** → opportunities of ``AccountId``: ``Name``, ``Amount`` (thousands
  separators allowed), ``CloseDate`` (``2026-03-31``, ``2026/03/31`` or ``3/31/2026``),
  ``Probability`` in percent (``40`` or ``40%`` is 0.4); status WON when ``IsWon``, LOST when
  ``IsClosed`` and not won, else OPEN (without those columns, from the ``Closed Won`` and
  ``Closed Lost`` stages). ``StageName`` maps onto the default stage model where it is one
  of Salesforce's standard stages or one of the model's names; other stages are kept as
  written; the closed stages set no stage. The category is the ``Type`` column when the
  export has one, else ``General`` (an opportunity needs one).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from graphsvc.domain.pipeline import DEFAULT_STAGES
from graphsvc.errors import InvalidDocument
from graphsvc.services.bundle.document import BundleDocument, Origin
from graphsvc.services.bundle.text import BundleFile, decode, rows

__all__ = ["FILES", "read_salesforce"]

Progress = Callable[[str, int, int], None]

FILES = ("Account.csv", "Contact.csv", "Opportunity.csv")

DEFAULT_CATEGORY = "General"

STAGES: dict[str, str | None] = {
    "prospecting": "PROSPECTING",
    "qualification": "QUALIFICATION",
    "needs analysis": "DISCOVERY",
    "value proposition": "DISCOVERY",
    "id. decision makers": "DISCOVERY",
    "perception analysis": "DISCOVERY",
    "proposal/price quote": "PROPOSAL",
    "negotiation/review": "NEGOTIATION",
    "closed won": None,
    "closed lost": None,
    **{stage.name.lower(): stage.name for stage in DEFAULT_STAGES},
}
"""Salesforce's standard stages (and the model's own names) onto the default stage model."""

_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af]")
_TRUE = frozenset({"true", "1", "yes"})
_FALSE = frozenset({"false", "0", "no", ""})


def _key(column: str) -> str:
    """A header as compared: lower case, letters and digits only (``Account ID``: accountid)."""
    return re.sub(r"[^0-9a-z]", "", column.lower())


def person_name(first: str, last: str) -> str:
    """The full name in the order its script uses (see the module docstring)."""
    parts = [first.strip(), last.strip()]
    if _CJK.search("".join(parts)):
        parts.reverse()
    return " ".join(part for part in parts if part)


class _Sheet:
    """One export file's rows, each cell found by API name."""

    def __init__(self, bundle: BundleDocument, file: BundleFile, encoding: str | None) -> None:
        self.name = file.name
        records = rows(file.name, decode(file, encoding))
        header = next(records, None)
        self.header = [] if header is None else [cell.strip() for cell in header.cells]
        self.index = {_key(column): i for i, column in enumerate(self.header)}
        self.records = list(records)
        self.bundle = bundle

    def has(self, api_name: str) -> bool:
        return _key(api_name) in self.index

    def origin(self, line: int, fields: dict[str, str]) -> Origin:
        """Where a record came from: each field's column as written in this file."""
        written = {
            field: self.header[self.index[_key(api)]] if self.has(api) else api
            for field, api in fields.items()
        }
        return Origin(self.name, line, written)


def _cell(sheet: _Sheet, cells: list[str], api_name: str) -> str:
    index = sheet.index.get(_key(api_name))
    return cells[index].strip() if index is not None and index < len(cells) else ""


def read_salesforce(
    files: list[BundleFile], encoding: str | None = None, progress: Progress | None = None
) -> BundleDocument:
    """The graph document of Salesforce exports ``files`` (see the module docstring)."""
    bundle = BundleDocument(departments_by_name=True)
    by_name = {file.name.lower(): file for file in files}
    bundle.files = [file.name for file in files]
    bundle.files.sort(key=lambda n: FILES.index(n) if n in FILES else len(FILES))
    for file in files:
        if file.name.lower() not in {name.lower() for name in FILES}:
            bundle.problem(
                file.name, 1, None, f"not a Salesforce export; expected {', '.join(FILES)}"
            )
    readers = (_accounts, _contacts, _opportunities)
    for name, read in zip(FILES, readers, strict=True):
        found = by_name.get(name.lower())
        if found is None:
            continue
        try:
            sheet = _Sheet(bundle, found, encoding)
        except InvalidDocument as refused:
            bundle.issues.extend(refused.issues)
            continue
        read(sheet)
        if progress is not None:
            progress(f"read {found.name}", len(sheet.records), len(sheet.records))
    return bundle


ACCOUNT_FIELDS = {
    "id": "Id",
    "name": "Name",
    "parentId": "ParentId",
    "industry": "Industry",
    "employees": "NumberOfEmployees",
    "revenue": "AnnualRevenue",
}


def _accounts(sheet: _Sheet) -> None:
    for row in sheet.records:
        record: dict[str, Any] = {"kind": "CUSTOMER"}
        for field, api in ACCOUNT_FIELDS.items():
            value = _cell(sheet, row.cells, api)
            if value:
                record[field] = _number(value) if field in ("employees", "revenue") else value
        sheet.bundle.add("organizations", record, sheet.origin(row.line, ACCOUNT_FIELDS))


CONTACT_FIELDS = {
    "id": "Id",
    "organizationId": "AccountId",
    "name": "LastName",
    "title": "Title",
    "departmentId": "Department",
    "reportsToId": "ReportsToId",
}


def _contacts(sheet: _Sheet) -> None:
    departments: set[str] = set()
    for row in sheet.records:
        cells = row.cells
        account = _cell(sheet, cells, "AccountId")
        department = _cell(sheet, cells, "Department")
        record: dict[str, Any] = {"id": _cell(sheet, cells, "Id")}
        name = person_name(_cell(sheet, cells, "FirstName"), _cell(sheet, cells, "LastName"))
        for field, value in (
            ("name", name),
            ("organizationId", account),
            ("title", _cell(sheet, cells, "Title")),
            ("reportsToId", _cell(sheet, cells, "ReportsToId")),
        ):
            if value:
                record[field] = value
        if not record["id"]:
            del record["id"]
        if account and department:
            department_id = f"{account}/{department}"
            record["departmentId"] = department_id
            if department_id not in departments:
                departments.add(department_id)
                unit = {"id": department_id, "organizationId": account, "name": department}
                origin = sheet.origin(
                    row.line,
                    {"id": "Department", "organizationId": "AccountId", "name": "Department"},
                )
                sheet.bundle.add("departments", unit, origin)
        sheet.bundle.add("people", record, sheet.origin(row.line, CONTACT_FIELDS))


OPPORTUNITY_FIELDS = {
    "id": "Id",
    "organizationId": "AccountId",
    "name": "Name",
    "stage": "StageName",
    "amount": "Amount",
    "closeDate": "CloseDate",
    "status": "IsWon",
    "probability": "Probability",
    "category": "Type",
}


def _opportunities(sheet: _Sheet) -> None:
    for row in sheet.records:
        cells = row.cells
        record: dict[str, Any] = {}
        for field in ("id", "organizationId", "name"):
            value = _cell(sheet, cells, OPPORTUNITY_FIELDS[field])
            if value:
                record[field] = value
        record["category"] = _cell(sheet, cells, "Type") or DEFAULT_CATEGORY
        stage = _cell(sheet, cells, "StageName")
        if stage:
            mapped = STAGES.get(stage.lower(), stage)
            if mapped is not None:
                record["stage"] = mapped
        amount = _cell(sheet, cells, "Amount")
        if amount:
            record["amount"] = _number(amount)
        close = _cell(sheet, cells, "CloseDate")
        if close:
            record["closeDate"] = _date(close)
        origin = sheet.origin(row.line, OPPORTUNITY_FIELDS)
        status = _status(sheet, row.line, cells, stage)
        if status is not None:
            record["status"] = status
        probability = _cell(sheet, cells, "Probability")
        if probability:
            record["probability"] = _probability(sheet, row.line, probability)
        sheet.bundle.add("opportunities", record, origin)


def _status(sheet: _Sheet, line: int, cells: list[str], stage: str) -> str | None:
    """WON, LOST or OPEN from IsWon and IsClosed (or the closed stages when they are absent)."""
    if not sheet.has("IsClosed") and not sheet.has("IsWon"):
        return {"closed won": "WON", "closed lost": "LOST"}.get(stage.lower(), "OPEN")
    flags: dict[str, bool] = {}
    for api in ("IsClosed", "IsWon"):
        text = _cell(sheet, cells, api)
        if text.lower() not in _TRUE | _FALSE:
            sheet.bundle.problem(
                sheet.name, line, api, f"{api} must be true or false, not {text!r}"
            )
            return None
        flags[api] = text.lower() in _TRUE
    if flags["IsWon"]:
        return "WON"
    return "LOST" if flags["IsClosed"] else "OPEN"


def _probability(sheet: _Sheet, line: int, text: str) -> Any:
    """A percentage as a fraction (``40`` or ``40%`` is 0.4); other text as written, for the
    model to refuse with its own message."""
    try:
        percent = float(text.rstrip("%").strip())
    except ValueError:
        return text
    if not 0 <= percent <= 100:
        sheet.bundle.problem(
            sheet.name, line, "Probability", f"Probability {text} is not a percentage from 0 to 100"
        )
        return None
    return round(percent / 100, 6)


def _number(text: str) -> str:
    """``1,200,000`` as ``1200000``: thousands separators out; the model converts the rest."""
    return text.replace(",", "")


def _date(text: str) -> str:
    """``2026/03/31`` and ``3/31/2026`` as ISO ``2026-03-31``; other text as written."""
    match = re.fullmatch(r"(\d{4})[/.](\d{1,2})[/.](\d{1,2})", text)
    if match:
        return f"{match[1]}-{int(match[2]):02d}-{int(match[3]):02d}"
    match = re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{4})", text)
    if match:
        return f"{match[3]}-{int(match[1]):02d}-{int(match[2]):02d}"
    return text
