// The change log in log order: reading after a position, compacting, dropping.
CREATE INDEX graphsvc_Change_log IF NOT EXISTS
FOR (c:Change) ON (c.workspace, c.position)
