// The workspace's own stage model as JSON, or null when it uses the default.
OPTIONAL MATCH (w:Workspace {workspace: $workspace})
RETURN w.pipelineStages AS stages
