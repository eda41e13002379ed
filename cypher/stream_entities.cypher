// Keyset paging: no SKIP, each page starts where the previous one ended.
MATCH (n:<<label>> {workspace: $workspace})
WHERE n.id > $after
RETURN n.id AS id, n.data AS data
ORDER BY n.id
LIMIT $batch
