// CREATE, not MERGE: a reused id or secret hash is a constraint violation (Conflict).
CREATE (t:ApiToken)
SET t = $props
