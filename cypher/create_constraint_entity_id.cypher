// One record per id and kind in a workspace; also the index behind every id lookup and keyset page.
CREATE CONSTRAINT graphsvc_<<label>>_id IF NOT EXISTS
FOR (n:<<label>>) REQUIRE (n.workspace, n.id) IS UNIQUE
