-- Version compare-and-swap, for a write (payload set) or a clear (payload NULL, leaving a tombstone).
-- Guarantees: changes the row only if its version is @expected_version, and then bumps the version by one.
-- Returns the new version, or no row (conflict: nothing was changed).
UPDATE nexus_grain_state
SET payload = @payload, version = version + 1, updated_at = @updated_at
WHERE grain_type = @grain_type AND grain_key = @grain_key AND state_name = @state_name AND version = @expected_version
RETURNING version;
