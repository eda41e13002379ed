// Key order is (type, from, to): one type at a time, pages of start people in id order.
// A page is one record: its relationships' data in key order (collect skips the nulls of
// start people without such a relationship), how many start people it covered, the last.
MATCH (a:PersonRef {workspace: $workspace})
WHERE a.id > $after
WITH a
ORDER BY a.id
LIMIT $batch
OPTIONAL MATCH (a)-[r:<<type>>]->(b:PersonRef {workspace: $workspace})
WITH a, b, r
ORDER BY a.id, b.id
RETURN collect(r.data) AS rows, count(DISTINCT a) AS n, max(a.id) AS last
