// compact: the log now starts after $throughVersion (never beyond the current version, and
// never earlier than it already did); runs before the batched deletion of those changes.
MATCH (w:Workspace {workspace: $workspace})
WITH w, CASE WHEN $throughVersion < w.version THEN $throughVersion ELSE w.version END AS upto
SET w.logFrom = CASE WHEN coalesce(w.logFrom, w.version) > upto THEN coalesce(w.logFrom, w.version) ELSE upto END
RETURN w.logFrom AS logFrom
