// First statement of every non-empty apply: locks the workspace's counter, so concurrent
// writes to one workspace are serialised and every replica sees one version per change.
MERGE (w:Workspace {workspace: $workspace})
SET w.version = coalesce(w.version, 0) + 1
RETURN w.version AS version
