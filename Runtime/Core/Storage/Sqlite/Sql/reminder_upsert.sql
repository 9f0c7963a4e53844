-- Inserts or replaces one reminder.
-- Guarantees: the row gets a version taken from the 'reminder_version' counter, which the first statement bumps,
-- so every upsert yields an ETag that no earlier upsert of any reminder returned, even one since removed.
-- Both statements run in the writer's transaction: either both happen or neither. Returns the new version.
UPDATE nexus_counters SET value = value + 1 WHERE name = 'reminder_version';
INSERT INTO nexus_reminders
    (grain_type, grain_key, reminder_name, grain_hash, owner_epoch, start_at, period_ms, last_tick_due, version, updated_at)
VALUES
    (@grain_type, @grain_key, @reminder_name, @grain_hash, @owner_epoch, @start_at, @period_ms, @last_tick_due,
     (SELECT value FROM nexus_counters WHERE name = 'reminder_version'), @updated_at)
ON CONFLICT (grain_type, grain_key, reminder_name) DO UPDATE SET
    start_at = excluded.start_at,
    period_ms = excluded.period_ms,
    last_tick_due = excluded.last_tick_due,
    version = excluded.version,
    updated_at = excluded.updated_at
RETURNING version;
