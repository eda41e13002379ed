// Rights are nodes, so a right needs no edge to exist; HOLDS and SCOPED_TO draw the shape.
UNWIND $rows AS row
MERGE (d:DecisionRight {workspace: $workspace, personId: row.personId, scopeId: row.scopeId, areaKey: row.areaKey, role: row.role})
SET d = row.props
WITH d, row
CALL (d, row) {
  MATCH (p:Person {workspace: $workspace, id: row.personId})
  MERGE (p)-[h:HOLDS]->(d)
  SET h.workspace = $workspace
}
CALL (d, row) {
  MATCH (s:Organization|Department {workspace: $workspace, id: row.scopeId})
  MERGE (d)-[e:SCOPED_TO]->(s)
  SET e.workspace = $workspace
}
