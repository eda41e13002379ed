// drop_workspace deletes in bounded transactions; the caller repeats until nothing is left.
MATCH (n:<<node>> {workspace: $workspace})
WITH n LIMIT $batch
DETACH DELETE n
RETURN count(*) AS deleted
