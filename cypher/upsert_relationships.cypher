// One edge per key: directed types from -> to, KNOWS from the smaller id to the larger.
// Returns the keys written, so that a missing endpoint is reported instead of ignored.
UNWIND $rows AS row
MATCH (a:Person {workspace: $workspace, id: row.from})
MATCH (b:Person {workspace: $workspace, id: row.to})
MERGE (a)-[r:<<type>>]->(b)
SET r = row.props
RETURN row.from AS from, row.to AS to
