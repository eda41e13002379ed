// A review's id is unique within its workspace.
CREATE CONSTRAINT graphsvc_Review_id IF NOT EXISTS
FOR (r:Review) REQUIRE (r.workspace, r.id) IS UNIQUE
