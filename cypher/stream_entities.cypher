// Keyset paging: no SKIP, each page starts where the previous one ended. A page is one
// record (its rows collected in id order): the async driver pays per record received.
MATCH (n:<<label>> {workspace: $workspace})
WHERE n.id > $after
WITH n
ORDER BY n.id
LIMIT $batch
RETURN collect(n.data) AS rows, count(n) AS n, max(n.id) AS last
