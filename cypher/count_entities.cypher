MATCH (n:<<label>> {workspace: $workspace})
WHERE ($search IS NULL OR n.search CONTAINS $search)
  AND all(f IN $filters WHERE
    (f.matchNull AND n[f.key] IS NULL)
    OR (f.many AND any(v IN coalesce(n[f.key], []) WHERE v IN f.values))
    OR (NOT f.many AND n[f.key] IN f.values))
RETURN count(n) AS count
