// Authentication looks a token up by the hash of its secret on every request.
CREATE CONSTRAINT graphsvc_ApiToken_secretHash IF NOT EXISTS
FOR (t:ApiToken) REQUIRE t.secretHash IS UNIQUE
