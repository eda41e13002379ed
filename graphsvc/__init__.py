"""graphsvc: the stakeholder and power-structure graph of enterprise accounts, over GraphQL."""

__version__ = "0.1.0"
