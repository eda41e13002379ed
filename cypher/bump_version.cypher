// First statement of every non-empty apply: locks the workspace's counter, so concurrent
// writes to one workspace are serialised and every replica sees one version per change.
// The SET reads the version under that lock, so the store checks an expected version
// against what this returns (minus one) and rolls the transaction back on a mismatch.
MERGE (w:Workspace {workspace: $workspace})
SET w.version = coalesce(w.version, 0) + 1
RETURN w.version AS version
