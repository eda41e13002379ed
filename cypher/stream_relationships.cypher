// Key order is (type, from, to): one type at a time, pages of start people in id order.
MATCH (a:PersonRef {workspace: $workspace})
WHERE a.id > $after
WITH a
ORDER BY a.id
LIMIT $batch
OPTIONAL MATCH (a)-[r:<<type>>]->(b:PersonRef {workspace: $workspace})
RETURN a.id AS id, b.id AS to, r.data AS data
ORDER BY id, to
