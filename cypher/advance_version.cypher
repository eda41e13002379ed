// drop_workspace: a dropped workspace's version still grows, so no cached projection of its
// old content is ever taken as current.
MATCH (w:Workspace {workspace: $workspace})
SET w.version = w.version + 1
