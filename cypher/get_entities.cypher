UNWIND $ids AS id
MATCH (n:<<label>> {workspace: $workspace, id: id})
RETURN n.data AS data
