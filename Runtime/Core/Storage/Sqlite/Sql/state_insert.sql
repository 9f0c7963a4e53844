-- Write when the writer expects no row (ETag null).
-- Guarantees: creates the row at version 1 only if no row exists for the key, not even a tombstone. Otherwise it
-- changes nothing and returns no row: a conflict. The writer connection holds the write lock (BEGIN IMMEDIATE),
-- so nothing can change between this check and the commit.
INSERT INTO nexus_grain_state (grain_type, grain_key, state_name, grain_hash, owner_epoch, version, payload, updated_at)
VALUES (@grain_type, @grain_key, @state_name, @grain_hash, @owner_epoch, 1, @payload, @updated_at)
ON CONFLICT (grain_type, grain_key, state_name) DO NOTHING
RETURNING version;
