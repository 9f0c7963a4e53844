-- Records a migration as applied, in the same transaction as the migration itself: either both happen or neither.
-- Parameters: $1 version, $2 name, $3 applied_at.
INSERT INTO nexus_schema_version (version, name, applied_at) VALUES ($1, $2, $3)
