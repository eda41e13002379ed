// One page of one type's relationships in key order (from, to), after the key
// ($afterFrom, $afterTo): ('', '') for the first page. KNOWS is stored by its sorted pair,
// so its (from, to) is its key too.
MATCH (a:PersonRef {workspace: $workspace})-[r:<<type>>]->(b:PersonRef {workspace: $workspace})
WHERE a.id > $afterFrom OR (a.id = $afterFrom AND b.id > $afterTo)
WITH r, a.id AS from, b.id AS to
ORDER BY from, to
LIMIT $batch
RETURN r.data AS data
