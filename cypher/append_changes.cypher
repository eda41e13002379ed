// apply: one :Change per logged record change, in the write's own transaction; the rows
// carry index, at, actor, kind, key, operation, fields, before and after (JSON or null).
UNWIND $rows AS row
CREATE (c:Change {workspace: $workspace, version: $version})
SET c += row
