// Structural edges follow the record's reference fields: the old ones go, the new ones are
// drawn to whichever targets exist (references are validated before a change set is built).
UNWIND $rows AS row
MATCH (n:<<label>> {workspace: $workspace, id: row.id})
CALL (n) {
  MATCH (n)-[old:<<rel>>]->()
  DELETE old
}
WITH n, row
UNWIND row.targets AS targetId
MATCH (t:<<target>> {workspace: $workspace, id: targetId})
MERGE (n)-[e:<<rel>>]->(t)
SET e.workspace = $workspace
