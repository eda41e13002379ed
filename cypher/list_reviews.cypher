// A workspace's reviews (of one organization when $organizationId is given), oldest first;
// the id predicate lets the (workspace, id) constraint's index find them.
MATCH (r:Review {workspace: $workspace})
WHERE r.id IS NOT NULL AND ($organizationId IS NULL OR r.organizationId = $organizationId)
RETURN properties(r) AS props
ORDER BY r.version, r.at, r.id
