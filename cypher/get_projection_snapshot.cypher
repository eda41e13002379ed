// The workspace's saved analytic projection, if any (the newest, should two servers have
// saved their first one at once: there is no constraint to merge them).
MATCH (s:ProjectionSnapshot {workspace: $workspace})
RETURN s.version AS version, s.format AS format, s.data AS data
ORDER BY version DESC
LIMIT 1
