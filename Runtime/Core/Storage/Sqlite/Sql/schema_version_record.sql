-- Records a migration as applied, in the same transaction as the migration itself: either both happen or neither.
-- The primary key makes recording the same version twice an error rather than a silent duplicate.
INSERT INTO nexus_schema_version (version, name, applied_at) VALUES (@version, @name, @applied_at);
