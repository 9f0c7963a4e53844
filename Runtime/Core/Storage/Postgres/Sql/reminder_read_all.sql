-- Every reminder, in key order, from one snapshot (a single statement).
SELECT grain_type, grain_key, reminder_name, start_at, period_ms, last_tick_due, version
FROM nexus_reminders
ORDER BY grain_type, grain_key, reminder_name
