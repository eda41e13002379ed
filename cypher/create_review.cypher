// CREATE, not MERGE: a reused id is a constraint violation (Conflict); save_review checks
// first in the same transaction to say which id.
CREATE (r:Review {workspace: $workspace})
SET r += $props
