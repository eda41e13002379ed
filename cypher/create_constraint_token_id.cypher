// Token ids are unique across the store (tokens live outside workspaces' graph data).
CREATE CONSTRAINT graphsvc_ApiToken_id IF NOT EXISTS
FOR (t:ApiToken) REQUIRE t.id IS UNIQUE
