// One saved analytic projection per workspace, replaced whole (its data is opaque bytes).
MERGE (s:ProjectionSnapshot {workspace: $workspace})
SET s.version = $version, s.format = $format, s.data = $snapshot
