UNWIND $keys AS key
MATCH (:Person {workspace: $workspace, id: key.from})-[r:<<type>>]->(:Person {workspace: $workspace, id: key.to})
RETURN r.data AS data
