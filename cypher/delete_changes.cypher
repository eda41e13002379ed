// compact and drop_workspace delete changes in bounded transactions; the caller repeats
// until nothing is left; found through the (workspace, position) index.
MATCH (c:Change {workspace: $workspace})
WHERE c.position <= $throughPosition
WITH c LIMIT $batch
DELETE c
RETURN count(*) AS deleted
