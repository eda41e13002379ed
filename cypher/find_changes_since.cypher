// find_changes for a query bounded in time ($atAfter given): seeks the (workspace, at)
// index, so "what changed since Monday" reads only that week's changes, not the whole log.
OPTIONAL MATCH (w:Workspace {workspace: $workspace})
WITH coalesce(w.logFrom, 0) AS logFrom
MATCH (c:Change {workspace: $workspace})
USING INDEX c:Change(workspace, at)
WHERE c.at > $atAfter
  AND c.version >= $afterVersion
  AND (c.version > $afterVersion OR c.index > $afterIndex)
  AND c.version > logFrom
  AND ($untilVersion IS NULL OR c.version <= $untilVersion)
  AND ($kinds IS NULL OR c.kind IN $kinds)
  AND ($atUntil IS NULL OR c.at <= $atUntil)
WITH c
ORDER BY c.version, c.index
LIMIT $batch
RETURN collect(c.data) AS rows
