// Navigation from an organization to its departments, people, systems and opportunities.
CREATE INDEX graphsvc_<<label>>_organization IF NOT EXISTS
FOR (n:<<label>>) ON (n.workspace, n.organizationId)
