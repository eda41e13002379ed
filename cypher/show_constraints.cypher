// open() checks that every constraint migrate() creates is there.
SHOW CONSTRAINTS YIELD name
RETURN name
