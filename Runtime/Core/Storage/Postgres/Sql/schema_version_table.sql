-- Creates the table that records applied migrations, if it is missing. Runs after schema_lock.sql in the same
-- transaction: CREATE TABLE IF NOT EXISTS alone is not safe when two connections race on a new database.
CREATE TABLE IF NOT EXISTS nexus_schema_version (
    version     integer     NOT NULL PRIMARY KEY,
    name        text        NOT NULL,
    applied_at  timestamptz NOT NULL
)
