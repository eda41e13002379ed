// apply: the write's changes in blocks of consecutive changes (log_rows.change_blocks), in
// the write's own transaction: {first, last, kinds, atMin, atMax, data}.
UNWIND $rows AS row
CREATE (b:ChangeBlock {workspace: $workspace, version: $version})
SET b += row
