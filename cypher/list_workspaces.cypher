// A workspace is listed while any record of it remains (a counter alone does not count).
MATCH (w:Workspace)
WHERE EXISTS { MATCH (n:Organization|Department|PersonRef|System|Opportunity|DecisionRight {workspace: w.workspace}) }
RETURN w.workspace AS workspace
ORDER BY workspace
