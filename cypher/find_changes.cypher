// One page of the log in log order after the position ($afterVersion, $afterIndex), read
// through the (workspace, version, index) index. Changes at or below logFrom are hidden:
// compaction raises logFrom first and deletes in batches after, so readers never see a
// half-compacted log. Answers one record: the page's changes as JSON (log_rows).
OPTIONAL MATCH (w:Workspace {workspace: $workspace})
WITH coalesce(w.logFrom, 0) AS logFrom
MATCH (c:Change {workspace: $workspace})
WHERE c.version >= $afterVersion AND c.index IS NOT NULL
  AND (c.version > $afterVersion OR c.index > $afterIndex)
  AND c.version > logFrom
  AND ($untilVersion IS NULL OR c.version <= $untilVersion)
  AND ($kinds IS NULL OR c.kind IN $kinds)
  AND ($atAfter IS NULL OR c.at > $atAfter)
  AND ($atUntil IS NULL OR c.at <= $atUntil)
WITH c
ORDER BY c.version, c.index
LIMIT $batch
RETURN collect(c.data) AS rows
