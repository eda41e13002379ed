UNWIND $keys AS key
MATCH (:PersonRef {workspace: $workspace, id: key.from})-[r:<<type>>]->(:PersonRef {workspace: $workspace, id: key.to})
RETURN r.data AS data
