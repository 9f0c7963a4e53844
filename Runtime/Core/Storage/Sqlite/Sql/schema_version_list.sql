-- Every applied migration number. Read under the write lock of BEGIN IMMEDIATE, so the answer stays true until commit.
SELECT version FROM nexus_schema_version ORDER BY version;
