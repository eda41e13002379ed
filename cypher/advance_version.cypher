// drop_workspace: a dropped workspace's version still grows, so no cached projection of its
// old content is ever taken as current. Its log (already deleted) now starts after that
// version, so a replica behind it rebuilds instead of replaying; its stage model goes too.
MATCH (w:Workspace {workspace: $workspace})
SET w.version = w.version + 1
SET w.logFrom = w.version
REMOVE w.pipelineStages
