"""The language-neutral vocabulary of the generator: business functions, systems, vendors.

Everything a locale must translate (names, unit names, titles) lives in ``locales``; this
module holds what is the same in every language: which functions a company has, which
system categories each function buys, which vendors sell them, and which decision areas
each function owns.
"""

from __future__ import annotations

from dataclasses import dataclass

OUR_VENDOR = "Nexa Systems"
"""The vendor name of every system that is ours (the SELF organization's products)."""

OUR_PRODUCTS: dict[str, str] = {
    "SFA": "Nexa SFA",
    "CRM": "Nexa CRM",
    "BI": "Nexa Insight",
    "HR": "Nexa People",
    "Security": "Nexa Shield",
}
"""What we sell, by category: the only categories where a system can be ours."""

VENDORS: dict[str, tuple[tuple[str, str], ...]] = {
    "ERP": (
        ("SAP", "SAP S/4HANA"),
        ("Oracle", "Oracle Fusion Cloud ERP"),
        ("OBIC", "OBIC7"),
        ("Microsoft", "Dynamics 365 Finance"),
    ),
    "CRM": (
        ("Salesforce", "Service Cloud"),
        ("Microsoft", "Dynamics 365 Customer Service"),
        ("Zendesk", "Zendesk Suite"),
        ("HubSpot", "HubSpot Service Hub"),
    ),
    "SFA": (
        ("Salesforce", "Sales Cloud"),
        ("Microsoft", "Dynamics 365 Sales"),
        ("Softbrain", "eSales Manager"),
        ("Cybozu", "kintone"),
    ),
    "HR": (
        ("Workday", "Workday HCM"),
        ("SAP", "SAP SuccessFactors"),
        ("SmartHR", "SmartHR"),
        ("Works Human Intelligence", "COMPANY"),
    ),
    "BI": (
        ("Salesforce", "Tableau"),
        ("Microsoft", "Power BI"),
        ("WingArc1st", "MotionBoard"),
        ("Qlik", "Qlik Sense"),
    ),
    "Security": (
        ("CrowdStrike", "Falcon"),
        ("Zscaler", "Zscaler Internet Access"),
        ("Trend Micro", "Trend Vision One"),
        ("Okta", "Okta Workforce Identity"),
    ),
    "Collaboration": (
        ("Microsoft", "Microsoft 365"),
        ("Google", "Google Workspace"),
        ("Cybozu", "Garoon"),
        ("Box", "Box Enterprise"),
    ),
    "ITSM": (
        ("ServiceNow", "ServiceNow ITSM"),
        ("Atlassian", "Jira Service Management"),
    ),
    "MA": (
        ("Adobe", "Marketo Engage"),
        ("Salesforce", "Account Engagement"),
        ("HubSpot", "Marketing Hub"),
    ),
    "SCM": (
        ("SAP", "SAP IBP"),
        ("Oracle", "Oracle SCM Cloud"),
        ("Blue Yonder", "Blue Yonder Luminate"),
    ),
    "Procurement": (
        ("Coupa", "Coupa BSM"),
        ("SAP", "SAP Ariba"),
    ),
    "Expense": (
        ("SAP", "SAP Concur"),
        ("Rakus", "Rakuraku Seisan"),
    ),
    "CLM": (
        ("LegalOn Technologies", "LegalOn Cloud"),
        ("DocuSign", "DocuSign CLM"),
    ),
    "PLM": (
        ("Siemens", "Teamcenter"),
        ("PTC", "Windchill"),
        ("Dassault Systemes", "3DEXPERIENCE"),
    ),
}
"""Competitors' products by system category: (vendor, product)."""

ANNUAL_VALUE: dict[str, int] = {
    "ERP": 60_000_000,
    "CRM": 15_000_000,
    "SFA": 12_000_000,
    "HR": 10_000_000,
    "BI": 6_000_000,
    "Security": 9_000_000,
    "Collaboration": 8_000_000,
    "ITSM": 7_000_000,
    "MA": 5_000_000,
    "SCM": 25_000_000,
    "Procurement": 6_000_000,
    "Expense": 3_000_000,
    "CLM": 2_000_000,
    "PLM": 20_000_000,
}
"""Typical yearly contract value in yen of a category at a company of 1,000 people."""


@dataclass(frozen=True)
class Function:
    """A business function: what its departments are called and what they buy.

    ``key`` is the ``function`` field of departments; ``chief`` the C-level title heading it
    in large companies (empty when none); ``weight`` its share of a company's people;
    ``categories`` the systems its departments run; ``areas`` the decision areas it owns.
    """

    key: str
    chief: str
    weight: float
    categories: tuple[str, ...]
    areas: tuple[str, ...]


FUNCTIONS: tuple[Function, ...] = (
    Function("IT", "CIO", 0.08, ("Security", "ITSM", "BI"), ("IT", "Security")),
    Function("Sales", "CSO", 0.22, ("SFA", "CRM"), ("SFA", "CRM")),
    Function("Finance", "CFO", 0.06, ("Expense", "BI"), ("Finance",)),
    Function("HR", "CHRO", 0.05, ("HR",), ("HR",)),
    Function("Operations", "COO", 0.25, ("SCM",), ("Operations",)),
    Function("Marketing", "CMO", 0.06, ("MA", "BI"), ("Marketing", "BI")),
    Function("Procurement", "", 0.04, ("Procurement",), ()),
    Function("R&D", "CTO", 0.14, ("PLM",), ("R&D",)),
    Function("Legal", "", 0.03, ("CLM",), ("Legal",)),
    Function("Corporate Planning", "", 0.07, (), ()),
)
"""Every function, in the order small companies acquire them (IT and Sales first)."""

FUNCTION_BY_KEY: dict[str, Function] = {f.key: f for f in FUNCTIONS}

SHARED_SYSTEMS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("ERP", ("Finance", "Procurement", "Operations")),
    ("Collaboration", tuple(f.key for f in FUNCTIONS)),
)
"""Company-wide systems and the functions whose top departments use them."""

OPPORTUNITY_STAGES: tuple[str, ...] = (
    "PROSPECTING",
    "QUALIFICATION",
    "DISCOVERY",
    "PROPOSAL",
    "NEGOTIATION",
)
"""The default stage model's stages (``domain.pipeline.DEFAULT_STAGES``), in order. A won or
lost deal keeps the stage it ended in."""

OPEN_STAGE_WEIGHTS: tuple[float, ...] = (0.22, 0.26, 0.22, 0.18, 0.12)
"""How open deals spread over the stages: a funnel, most of them early."""

LOST_STAGE_WEIGHTS: tuple[float, ...] = (0.1, 0.3, 0.3, 0.2, 0.1)
"""Where lost deals were lost: mostly once qualified, in discovery or on the proposal."""

STAGE_CRITERIA: dict[str, tuple[str, ...]] = {
    "PROSPECTING": ("Pain confirmed by a contact", "Meeting booked with the owner of the need"),
    "QUALIFICATION": ("Budget range confirmed", "Decision maker identified", "Timeline agreed"),
    "DISCOVERY": ("Requirements documented", "Champion engaged", "Technical fit confirmed"),
    "PROPOSAL": ("Proposal presented to the economic buyer", "Business case accepted"),
    "NEGOTIATION": ("Commercial terms agreed", "Legal review done", "Procurement approved"),
}
"""The exit criteria of each stage: what must be true to move the deal on."""
