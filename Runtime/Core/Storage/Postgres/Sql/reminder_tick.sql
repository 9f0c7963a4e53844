-- Records the due time of a delivered tick, only while the row still has version $4 (not re-registered or removed
-- since). Leaves the version unchanged.
-- Parameters: $1 grain_type, $2 grain_key, $3 reminder_name, $4 version, $5 last_tick_due, $6 updated_at.
-- Always returns one row: rows updated (1 = recorded, 0 = the row is gone or has another version).
WITH ticked AS (
    UPDATE nexus_reminders
    SET last_tick_due = $5, updated_at = $6
    WHERE grain_type = $1 AND grain_key = $2 AND reminder_name = $3 AND version = $4
    RETURNING 1
)
SELECT count(*)::integer AS affected FROM ticked
