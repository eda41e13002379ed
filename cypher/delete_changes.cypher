// compact and drop_workspace delete blocks of changes in bounded transactions; the caller
// repeats until no block is left. Blocks never span versions, so a version bound never
// splits one. Found through the (workspace, last) index.
MATCH (b:ChangeBlock {workspace: $workspace})
WHERE b.last <= $throughPosition
WITH b LIMIT $batch
WITH b, size(b.data) AS changes
DELETE b
RETURN count(*) AS blocks, sum(changes) AS deleted
