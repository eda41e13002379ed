// compact and drop_workspace delete changes in bounded transactions; the caller repeats
// until nothing is left. The index predicate lets the (workspace, version, index) index
// find them.
MATCH (c:Change {workspace: $workspace})
WHERE c.version <= $throughVersion AND c.index IS NOT NULL
WITH c LIMIT $batch
DELETE c
RETURN count(*) AS deleted
