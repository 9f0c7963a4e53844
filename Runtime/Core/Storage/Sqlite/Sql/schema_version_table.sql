-- Creates the table that records applied migrations, if it is missing. Run inside the migration transaction
-- (BEGIN IMMEDIATE), so two processes opening a new file at once cannot both create it.
CREATE TABLE IF NOT EXISTS nexus_schema_version (
    version     INTEGER NOT NULL PRIMARY KEY,
    name        TEXT    NOT NULL,
    applied_at  INTEGER NOT NULL
) STRICT;
