// open() checks that every index migrate() creates is there and online.
SHOW INDEXES YIELD name, state
RETURN name, state
