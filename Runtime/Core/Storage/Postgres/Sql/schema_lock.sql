-- Serializes schema migration across every silo that starts against this database. The lock is held until the
-- transaction ends (commit or rollback) and cannot leak past it. The key is an arbitrary constant reserved for this
-- purpose ('NXSCHEMA' in ASCII).
SELECT pg_advisory_xact_lock(5645353681349332289)
