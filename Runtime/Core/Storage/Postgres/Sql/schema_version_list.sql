-- Every applied migration number. Read while holding the schema lock, so the answer stays true until commit.
SELECT version FROM nexus_schema_version ORDER BY version
