// Relationships touching the given people at either end, of the given types.
UNWIND $personIds AS personId
MATCH (:PersonRef {workspace: $workspace, id: personId})-[r:KNOWS|INFLUENCES|REPORTS_TO]-(:PersonRef {workspace: $workspace})
WHERE type(r) IN $types
RETURN DISTINCT r.data AS data
