// find_changes for a query bounded in time ($atAfter given): seeks the (workspace, at)
// index, so "what changed since Monday" reads only that week's changes, not the whole log.
MATCH (c:Change {workspace: $workspace})
USING INDEX c:Change(workspace, at)
WHERE c.at > $atAfter
  AND c.position > $afterPosition
  AND ($untilPosition IS NULL OR c.position <= $untilPosition)
  AND ($kinds IS NULL OR c.kind IN $kinds)
  AND ($atUntil IS NULL OR c.at <= $atUntil)
WITH c
ORDER BY c.position
LIMIT $batch
RETURN collect(c.data) AS rows
