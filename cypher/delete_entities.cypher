// DETACH: a deleted person's relationships and a record's structural edges go with it.
UNWIND $ids AS id
MATCH (n:<<label>> {workspace: $workspace, id: id})
DETACH DELETE n
