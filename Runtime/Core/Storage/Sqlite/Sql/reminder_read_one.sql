-- One reminder, or no row.
SELECT grain_type, grain_key, reminder_name, start_at, period_ms, last_tick_due, version
FROM nexus_reminders
WHERE grain_type = @grain_type AND grain_key = @grain_key AND reminder_name = @reminder_name;
