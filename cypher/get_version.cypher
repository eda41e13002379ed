OPTIONAL MATCH (w:Workspace {workspace: $workspace})
RETURN coalesce(w.version, 0) AS version
