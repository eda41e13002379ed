MATCH (t:ApiToken)
WHERE $workspace IS NULL OR t.workspace = $workspace
RETURN t.data AS data
ORDER BY t.createdTs, t.id
