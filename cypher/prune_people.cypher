// A bare :PersonRef (no record) with no relationship left is deleted.
UNWIND $ids AS id
MATCH (n:PersonRef {workspace: $workspace, id: id})
WHERE NOT n:Person AND NOT EXISTS { (n)-[:KNOWS|INFLUENCES|REPORTS_TO]-() }
DELETE n
