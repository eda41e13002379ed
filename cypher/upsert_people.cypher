// A person's node may already exist as a bare :PersonRef (a relationship written before the
// record), so people MERGE on :PersonRef and gain the :Person label.
UNWIND $rows AS row
MERGE (n:PersonRef {workspace: $workspace, id: row.id})
SET n = row.props
SET n:Person
