// One page of the log in log order after $afterPosition, read in the order of the
// (workspace, position) index: a position is one integer, version * 2^32 + index, so "after
// (version, index)" is one range the index answers in order (ORDER BY names both so the
// planner uses that order instead of sorting every change after the position).
// Answers one record: the page's changes as JSON (log_rows).
MATCH (c:Change {workspace: $workspace})
WHERE c.position > $afterPosition
  AND ($untilPosition IS NULL OR c.position <= $untilPosition)
  AND ($kinds IS NULL OR c.kind IN $kinds)
  AND ($atAfter IS NULL OR c.at > $atAfter)
  AND ($atUntil IS NULL OR c.at <= $atUntil)
WITH c
ORDER BY c.workspace, c.position
LIMIT $batch
RETURN collect(c.data) AS rows
