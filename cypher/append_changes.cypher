// apply: one :Change per logged record change, in the write's own transaction; the rows
// carry position, at, kind and key (what reads select on) and data, the change as JSON.
UNWIND $rows AS row
CREATE (c:Change {workspace: $workspace, version: $version})
SET c += row
