"""The Neo4j store (Neo4j 5.26 LTS, Community edition) on the official async driver.

The graph model, every node and relationship carrying ``workspace`` (every statement
matches on it, so workspaces never meet):

- ``(:Organization|Department|Person|System|Opportunity {workspace, id, data, search, …})``:
  one node per record; ``data`` is the record's JSON (exact round trips), the record's
  fields are also plain properties (dates as ISO strings) for filters and for people
  exploring the graph; ``search`` is the casefolded text ``ListQuery.search`` looks into.
- Structural edges drawn from reference fields, for the shape of the account:
  ``(:Organization)-[:OWNED_BY]->(:Organization)`` (parentId, subsidiary or affiliate),
  ``(:Department)-[:PART_OF]->(:Organization)``, ``(:Department)-[:SUB_UNIT_OF]->(:Department)``,
  ``(:Person)-[:WORKS_AT]->(:Organization)``, ``(:Person)-[:WORKS_IN]->(:Department)``,
  ``(:System)-[:INSTALLED_AT]->(:Organization)``, ``(:System)-[:USED_BY]->(:Department)``,
  ``(:Opportunity)-[:FOR_ORGANIZATION|FOR_DEPARTMENT]->``. Reads never depend on them.
- ``(:PersonRef)-[:KNOWS|INFLUENCES|REPORTS_TO {workspace, data, strength, …}]->(:PersonRef)``:
  the relationships, one edge per key; KNOWS is mutual and stored once, from the smaller
  id of its sorted pair to the larger (``data`` keeps the from/to as written). Every
  ``:Person`` node is also a ``:PersonRef``; since the store does not validate or cascade
  (``ChangeSet``), a relationship to a person without a record ends at a bare
  ``:PersonRef {workspace, id}``, which disappears with its last relationship.
- ``(:DecisionRight {workspace, personId, scopeId, areaKey, role, data})``, unique on that
  key (``areaKey`` is the casefolded area), with ``(:Person)-[:HOLDS]->`` and
  ``-[:SCOPED_TO]->(:Organization|Department)``.
- ``(:Workspace {workspace, version, logFrom, pipelineStages})``: the change counter,
  incremented in the same transaction as every non-empty apply, so all replicas agree when
  to rebuild projections; dropping a workspace keeps it and increments it once more. It
  also holds where the change log starts and the workspace's stage model (JSON).
- ``(:ChangeBlock {workspace, version, first, last, kinds, atMin, atMax, data})``: the
  change log, blocks of consecutive changes appended in each apply's transaction, and
  ``(:Review {workspace, id, organizationId, title, notes, version, at, actor})``
  (``history`` describes both).
- ``(:ApiToken {id, workspace, secretHash, createdTs, data})``: tokens, outside the graph.

Modules: ``store`` (the ``GraphStore``, with its whole-workspace reads in ``streams`` and
its API tokens in ``tokens``), ``engine`` (the driver: reads go to readers,
writes run in managed write transactions, streams page by key), ``catalog`` (every statement
comes from ``cypher/`` through it), ``rows`` (records to parameters and back), ``write``
(the one transaction of ``apply``), ``history`` and ``log_rows`` (the change log, reviews
and stage model), ``schema`` (constraints and indexes), ``errors`` (driver
errors to graphsvc errors, the one place that knows them).

Named ``neo4j`` like the driver package: imports are absolute, so ``import neo4j`` anywhere
(this package included) is the driver, and this package is ``graphsvc.store.neo4j``.
"""

from __future__ import annotations

from graphsvc.store.neo4j.store import Neo4jStore

__all__ = ["Neo4jStore"]
