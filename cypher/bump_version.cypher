// First statement of every non-empty apply: locks the workspace's counter, so concurrent
// writes to one workspace are serialised and every replica sees one version per change.
// The SET reads the version under that lock, so the store checks an expected version
// against what this returns (minus one) and rolls the transaction back on a mismatch.
// logFrom (where the change log starts) is the version before the first logged write: 0
// for a new workspace, the version it had for one written before the log existed.
// $pipelineStages (JSON, or null to keep it) replaces the stage model in the same write.
MERGE (w:Workspace {workspace: $workspace})
SET w.version = coalesce(w.version, 0) + 1
SET w.logFrom = coalesce(w.logFrom, w.version - 1)
SET w.pipelineStages = coalesce($pipelineStages, w.pipelineStages)
RETURN w.version AS version
