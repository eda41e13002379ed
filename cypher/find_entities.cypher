// Filters travel as data ({key, values, matchNull, many}); see graphsvc/store/neo4j/rows.py.
MATCH (n:<<label>> {workspace: $workspace})
WHERE n.id > $after
  AND ($search IS NULL OR n.search CONTAINS $search)
  AND all(f IN $filters WHERE
    (f.matchNull AND n[f.key] IS NULL)
    OR (f.many AND any(v IN coalesce(n[f.key], []) WHERE v IN f.values))
    OR (NOT f.many AND n[f.key] IN f.values))
RETURN n.data AS data
ORDER BY n.id
LIMIT $limit
