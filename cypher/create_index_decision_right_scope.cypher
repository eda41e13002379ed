// decisionMakers, coverage: the rights scoped to an organization or its departments.
CREATE INDEX graphsvc_DecisionRight_scope IF NOT EXISTS
FOR (d:DecisionRight) ON (d.workspace, d.scopeId)
