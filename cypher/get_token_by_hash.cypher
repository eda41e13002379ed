MATCH (t:ApiToken {secretHash: $secretHash})
RETURN t.data AS data
