-- Deletes one reminder. Parameters: $1 grain_type, $2 grain_key, $3 reminder_name.
-- Always returns one row: the number of rows deleted (1 = it existed, 0 = it did not).
WITH deleted AS (
    DELETE FROM nexus_reminders
    WHERE grain_type = $1 AND grain_key = $2 AND reminder_name = $3
    RETURNING 1
)
SELECT count(*)::integer AS affected FROM deleted
