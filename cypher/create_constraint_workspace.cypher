// One version counter per workspace, so that concurrent first writes MERGE the same node.
CREATE CONSTRAINT graphsvc_Workspace_workspace IF NOT EXISTS
FOR (w:Workspace) REQUIRE w.workspace IS UNIQUE
