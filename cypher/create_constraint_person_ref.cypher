// Relationships hang between :PersonRef nodes (every :Person is one), unique per workspace.
CREATE CONSTRAINT graphsvc_PersonRef_id IF NOT EXISTS
FOR (n:PersonRef) REQUIRE (n.workspace, n.id) IS UNIQUE
