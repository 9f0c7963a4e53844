-- Version compare-and-swap, for a write ($5 payload set) or a clear ($5 NULL, leaving a tombstone).
-- Parameters: $1 grain_type, $2 grain_key, $3 state_name, $4 expected version, $5 payload, $6 updated_at.
-- Guarantees: changes the row only if its version is $4, and then bumps the version by one. Under READ COMMITTED an
-- UPDATE that waited for another transaction's change re-checks the version on the row that transaction committed, so two
-- writers from the same version can never both succeed.
-- Always returns one row: new_version (NULL = conflict, nothing changed) and stored_version as the statement's
-- snapshot saw it (it may lag a change committed while this statement waited).
WITH updated AS (
    UPDATE nexus_grain_state
    SET payload = $5, version = version + 1, updated_at = $6
    WHERE grain_type = $1 AND grain_key = $2 AND state_name = $3 AND version = $4
    RETURNING version
)
SELECT (SELECT version FROM updated) AS new_version,
       (SELECT version FROM nexus_grain_state WHERE grain_type = $1 AND grain_key = $2 AND state_name = $3) AS stored_version
