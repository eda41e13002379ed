MATCH (r:Review {workspace: $workspace, id: $id})
RETURN properties(r) AS props
