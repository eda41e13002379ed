MATCH (:Person {workspace: $workspace})-[r:KNOWS|INFLUENCES|REPORTS_TO]->(:Person {workspace: $workspace})
WHERE type(r) IN $types
RETURN r.data AS data
