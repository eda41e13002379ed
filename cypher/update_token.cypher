MATCH (t:ApiToken {id: $id})
SET t.data = $data, t.revokedTs = $revokedTs
RETURN t.id AS id
