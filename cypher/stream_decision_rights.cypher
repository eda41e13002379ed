// Keyset paging over the composite key (personId, scopeId, areaKey, role).
MATCH (d:DecisionRight {workspace: $workspace})
WHERE $afterKey IS NULL
  OR d.personId > $afterKey.personId
  OR (d.personId = $afterKey.personId AND (d.scopeId > $afterKey.scopeId
    OR (d.scopeId = $afterKey.scopeId AND (d.areaKey > $afterKey.areaKey
      OR (d.areaKey = $afterKey.areaKey AND d.role > $afterKey.role)))))
RETURN d.personId AS personId, d.scopeId AS scopeId, d.areaKey AS areaKey, d.role AS role, d.data AS data
ORDER BY personId, scopeId, areaKey, role
LIMIT $batch
