-- Every reminder, in key order. Reads one consistent snapshot (a single statement on a WAL read connection).
SELECT grain_type, grain_key, reminder_name, start_at, period_ms, last_tick_due, version
FROM nexus_reminders
ORDER BY grain_type, grain_key, reminder_name;
