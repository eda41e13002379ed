"""CSV bundles (CONTRACT §8): reading folders and zips of CSV files as graph documents, and
writing a workspace as one.

``read_source`` reads a bundle, graphsvc's own (``reader``, optionally under a TOML
``--mapping``, ``mapping``) or Salesforce's exports (``salesforce``), into a
``BundleDocument``: the very graph document the JSON path reads, with the origin of every
record. ``import_bundle`` imports it through ``GraphService.import_document``, so the rules
and the atomicity of a JSON import apply unchanged, and reports every problem at its
``file:line`` and column. ``write_bundle`` exports.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from graphsvc.domain.models import GraphDocument
from graphsvc.errors import InvalidDocument, Issue
from graphsvc.services.bundle.departments import match_departments
from graphsvc.services.bundle.document import BundleDocument, Origin
from graphsvc.services.bundle.mapping import BundleMapping, load_mapping
from graphsvc.services.bundle.reader import read_bundle, set_self
from graphsvc.services.bundle.salesforce import read_salesforce
from graphsvc.services.bundle.text import is_bundle, load_files
from graphsvc.services.bundle.writer import write_bundle
from graphsvc.services.graph import GraphService, ImportSummary

__all__ = [
    "SALESFORCE",
    "BundleDocument",
    "BundleImport",
    "Origin",
    "import_bundle",
    "is_bundle",
    "read_source",
    "write_bundle",
]

SALESFORCE = "salesforce"
"""The name of the built-in mapping for Salesforce's exports (``--mapping salesforce``)."""

Progress = Callable[[str, int, int], None]


def read_source(
    source: str,
    *,
    mapping: str | None = None,
    encoding: str | None = None,
    self_id: str | None = None,
    progress: Progress | None = None,
) -> BundleDocument:
    """The bundle at ``source`` (a folder or a ``.zip``) as a graph document.

    ``mapping`` is ``salesforce`` or the path of a TOML mapping; ``encoding`` overrides
    detection; ``self_id`` names the organization that is ours (kind SELF). Problems of the
    mapping or of reading (``OSError``, ``InvalidDocument``) are raised; problems of the data
    are collected in the result's ``issues``.
    """
    rules: BundleMapping | None = None
    if mapping is not None and mapping != SALESFORCE:
        rules = load_mapping(mapping, Path(mapping).read_bytes())
    files = load_files(source)
    if not files:
        raise InvalidDocument([_no_files(source)])
    if mapping == SALESFORCE:
        bundle = read_salesforce(files, encoding, progress)
    else:
        bundle = read_bundle(files, rules, encoding, progress)
    if self_id is not None:
        set_self(bundle, self_id)
    return bundle


def _no_files(source: str) -> Issue:
    return Issue(source, "", "holds no .csv file; a bundle holds organizations.csv, people.csv …")


@dataclass(frozen=True)
class BundleImport:
    """What ``import_bundle`` did, and the document it imported (for the summary's counts)."""

    summary: ImportSummary
    document: GraphDocument = field(repr=False)
    """Left out of ``repr``: Python 3.11's ``asyncio.run`` formats the main task, result and
    all, when it ends (``signal.getsignal`` checks its SIGINT handler), and a whole
    document's repr took 7 s of a 100k-person import."""


async def import_bundle(
    graph: GraphService,
    workspace: str,
    bundle: BundleDocument,
    progress: Progress | None = None,
) -> BundleImport:
    """Import ``bundle`` atomically; every problem, of reading, of a record or across
    records, is raised in one ``InvalidDocument`` at its place in the files.

    Departments made from a CRM's department names join the workspace's departments of the
    same organization and name first (``departments.match_departments``). The bundle's
    records are released once parsed (its origins stay, to locate problems).
    """
    await match_departments(graph.store, workspace, bundle)
    parsed = bundle.parsed()
    bundle.release()
    try:
        summary = await graph.import_document(workspace, parsed, progress)
    except InvalidDocument as refused:
        raise InvalidDocument(bundle.located(refused.issues)) from None
    return BundleImport(summary, parsed.document)
