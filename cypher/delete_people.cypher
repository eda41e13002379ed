// The store does not cascade: a deleted person's relationships stay (on a bare :PersonRef)
// until they are deleted themselves; its record, label and structural edges go now.
UNWIND $ids AS id
MATCH (n:Person {workspace: $workspace, id: id})
CALL (n) {
  MATCH (n)-[s:WORKS_AT|WORKS_IN|HOLDS]-()
  DELETE s
}
REMOVE n:Person
SET n = {workspace: $workspace, id: id}
