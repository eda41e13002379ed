// The change log in log order: reading after a position, compacting, dropping.
CREATE INDEX graphsvc_ChangeBlock_last IF NOT EXISTS
FOR (b:ChangeBlock) ON (b.workspace, b.last)
