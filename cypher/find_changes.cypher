// Up to $batch blocks of the log holding changes after $afterPosition, in log order, read in
// the order of the (workspace, last) index (ORDER BY names both so the planner uses that
// order instead of sorting every later block). Blocks that cannot hold a change the query
// wants (kinds, time, until) are skipped; the store filters the changes of the others.
// Answers one record: [first position, changes as JSON] per block.
MATCH (b:ChangeBlock {workspace: $workspace})
WHERE b.last > $afterPosition
  AND ($untilPosition IS NULL OR b.first <= $untilPosition)
  AND ($kinds IS NULL OR any(kind IN b.kinds WHERE kind IN $kinds))
  AND ($atAfter IS NULL OR b.atMax > $atAfter)
  AND ($atUntil IS NULL OR b.atMin <= $atUntil)
WITH b
ORDER BY b.workspace, b.last
LIMIT $batch
RETURN collect([b.first, b.data]) AS blocks
