// Filters travel as data ({key, values, matchNull, many}); see graphsvc/store/neo4j/rows.py.
// A page is one record (rows collected in id order), read by the same keyset generator as
// stream_entities: find walks every page, page() reads one.
MATCH (n:<<label>> {workspace: $workspace})
WHERE n.id > $after
  AND ($search IS NULL OR n.search CONTAINS $search)
  AND all(f IN $filters WHERE
    (f.matchNull AND n[f.key] IS NULL)
    OR (f.many AND any(v IN coalesce(n[f.key], []) WHERE v IN f.values))
    OR (NOT f.many AND n[f.key] IN f.values))
WITH n
ORDER BY n.id
LIMIT $batch
RETURN collect(n.data) AS rows, count(n) AS n, max(n.id) AS last
