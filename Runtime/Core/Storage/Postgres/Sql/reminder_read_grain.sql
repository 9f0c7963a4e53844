-- The reminders of one grain, in name order. Parameters: $1 grain_type, $2 grain_key.
SELECT grain_type, grain_key, reminder_name, start_at, period_ms, last_tick_due, version
FROM nexus_reminders
WHERE grain_type = $1 AND grain_key = $2
ORDER BY reminder_name
