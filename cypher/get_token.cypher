MATCH (t:ApiToken {id: $id})
RETURN t.data AS data
