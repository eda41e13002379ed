// Relationships touching the given people at either end, of the given types.
UNWIND $personIds AS personId
MATCH (:Person {workspace: $workspace, id: personId})-[r:KNOWS|INFLUENCES|REPORTS_TO]-(:Person {workspace: $workspace})
WHERE type(r) IN $types
RETURN DISTINCT r.data AS data
