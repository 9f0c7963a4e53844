-- The reminders of one grain, in name order.
SELECT grain_type, grain_key, reminder_name, start_at, period_ms, last_tick_due, version
FROM nexus_reminders
WHERE grain_type = @grain_type AND grain_key = @grain_key
ORDER BY reminder_name;
