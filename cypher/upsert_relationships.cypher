// One edge per key: directed types from -> to, KNOWS from the smaller id to the larger.
// The store does not validate: an endpoint without a person record is a bare :PersonRef.
UNWIND $rows AS row
MERGE (a:PersonRef {workspace: $workspace, id: row.from})
MERGE (b:PersonRef {workspace: $workspace, id: row.to})
MERGE (a)-[r:<<type>>]->(b)
SET r = row.props
