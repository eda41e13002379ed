// A workspace's reviews (of one organization when $organizationId is given), oldest first.
MATCH (r:Review {workspace: $workspace})
WHERE $organizationId IS NULL OR r.organizationId = $organizationId
RETURN properties(r) AS props
ORDER BY r.version, r.at, r.id
