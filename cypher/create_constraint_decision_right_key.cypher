// A decision right is identified by (person, scope, casefolded area, role) within a workspace.
CREATE CONSTRAINT graphsvc_DecisionRight_key IF NOT EXISTS
FOR (d:DecisionRight) REQUIRE (d.workspace, d.personId, d.scopeId, d.areaKey, d.role) IS UNIQUE
