MATCH (d:DecisionRight {workspace: $workspace})
WHERE ($personIds IS NULL OR d.personId IN $personIds)
  AND ($scopeIds IS NULL OR d.scopeId IN $scopeIds)
RETURN d.data AS data
