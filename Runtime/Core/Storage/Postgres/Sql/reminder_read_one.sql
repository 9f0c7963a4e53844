-- One reminder, or no row. Parameters: $1 grain_type, $2 grain_key, $3 reminder_name.
SELECT grain_type, grain_key, reminder_name, start_at, period_ms, last_tick_due, version
FROM nexus_reminders
WHERE grain_type = $1 AND grain_key = $2 AND reminder_name = $3
