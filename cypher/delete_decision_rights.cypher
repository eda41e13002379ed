UNWIND $keys AS key
MATCH (d:DecisionRight {workspace: $workspace, personId: key.personId, scopeId: key.scopeId, areaKey: key.areaKey, role: key.role})
DETACH DELETE d
