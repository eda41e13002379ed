// The changes of a time window ("since Monday") without reading the whole log.
CREATE INDEX graphsvc_Change_at IF NOT EXISTS
FOR (c:Change) ON (c.workspace, c.at)
