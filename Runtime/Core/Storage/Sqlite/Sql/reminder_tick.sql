-- Records the due time of a delivered tick, only while the row still has version @version (not re-registered or
-- removed since). Leaves the version unchanged. Rows affected: 1 = recorded, 0 = the row is gone or has another version.
UPDATE nexus_reminders
SET last_tick_due = @last_tick_due, updated_at = @updated_at
WHERE grain_type = @grain_type AND grain_key = @grain_key AND reminder_name = @reminder_name AND version = @version;
