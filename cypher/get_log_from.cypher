// A workspace written before the change log existed (no logFrom yet) has no change up to
// its current version; an unknown workspace starts at 0.
OPTIONAL MATCH (w:Workspace {workspace: $workspace})
RETURN coalesce(w.logFrom, w.version, 0) AS logFrom
