-- Write when the writer expects no row (ETag null).
-- Parameters: $1 grain_type, $2 grain_key, $3 state_name, $4 grain_hash, $5 owner_epoch, $6 payload, $7 updated_at.
-- Guarantees: creates the row at version 1 only if no row exists for the key, not even a tombstone. A row that exists,
-- or is being inserted by another connection at the same moment, makes it change nothing (ON CONFLICT DO NOTHING turns
-- the race into a refusal instead of an error that would abort the whole batch).
-- Always returns one row: new_version (NULL = refused) and stored_version, the version the statement's snapshot saw
-- before it ran (NULL when no row was visible yet).
WITH inserted AS (
    INSERT INTO nexus_grain_state (grain_type, grain_key, state_name, grain_hash, owner_epoch, version, payload, updated_at)
    VALUES ($1, $2, $3, $4, $5, 1, $6, $7)
    ON CONFLICT (grain_type, grain_key, state_name) DO NOTHING
    RETURNING version
)
SELECT (SELECT version FROM inserted) AS new_version,
       (SELECT version FROM nexus_grain_state WHERE grain_type = $1 AND grain_key = $2 AND state_name = $3) AS stored_version
