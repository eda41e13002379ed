// Keyset paging over the composite key (personId, scopeId, areaKey, role); a page is one
// record: the rights' data in key order, how many, and the last key to continue after.
MATCH (d:DecisionRight {workspace: $workspace})
WHERE $after IS NULL
  OR d.personId > $after.personId
  OR (d.personId = $after.personId AND (d.scopeId > $after.scopeId
    OR (d.scopeId = $after.scopeId AND (d.areaKey > $after.areaKey
      OR (d.areaKey = $after.areaKey AND d.role > $after.role)))))
WITH d
ORDER BY d.personId, d.scopeId, d.areaKey, d.role
LIMIT $batch
WITH collect(d) AS page
RETURN [d IN page | d.data] AS rows, size(page) AS n,
  CASE size(page)
    WHEN 0 THEN null
    ELSE {personId: page[-1].personId, scopeId: page[-1].scopeId, areaKey: page[-1].areaKey,
      role: page[-1].role}
  END AS last
