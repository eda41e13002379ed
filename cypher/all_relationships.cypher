MATCH (:PersonRef {workspace: $workspace})-[r:KNOWS|INFLUENCES|REPORTS_TO]->(:PersonRef {workspace: $workspace})
WHERE type(r) IN $types
RETURN r.data AS data
