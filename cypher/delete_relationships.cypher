// Keys arrive as stored: KNOWS with its sorted pair, so one direction matches.
UNWIND $keys AS key
MATCH (:Person {workspace: $workspace, id: key.from})-[r:<<type>>]->(:Person {workspace: $workspace, id: key.to})
DELETE r
