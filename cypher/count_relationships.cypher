// How many relationships of the given types the workspace holds.
MATCH (:PersonRef {workspace: $workspace})-[r:KNOWS|INFLUENCES|REPORTS_TO]->(:PersonRef {workspace: $workspace})
WHERE type(r) IN $types
RETURN count(r) AS count
