// Keys arrive as stored: KNOWS with its sorted pair, so one direction matches.
UNWIND $keys AS key
MATCH (:PersonRef {workspace: $workspace, id: key.from})-[r:<<type>>]->(:PersonRef {workspace: $workspace, id: key.to})
DELETE r
