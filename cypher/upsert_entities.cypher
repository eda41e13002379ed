// SET n = props replaces the whole record (props carry workspace and id again).
UNWIND $rows AS row
MERGE (n:<<label>> {workspace: $workspace, id: row.id})
SET n = row.props
