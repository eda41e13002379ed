// Listing a workspace's tokens in creation order.
CREATE INDEX graphsvc_ApiToken_workspace IF NOT EXISTS
FOR (t:ApiToken) ON (t.workspace, t.createdTs)
