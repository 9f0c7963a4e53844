-- Inserts or replaces one reminder.
-- Parameters: $1 grain_type, $2 grain_key, $3 reminder_name, $4 grain_hash, $5 owner_epoch, $6 start_at,
-- $7 period_ms, $8 last_tick_due, $9 updated_at.
-- Guarantees: the row gets a fresh version from nexus_reminder_version_seq, so every upsert yields an ETag no earlier
-- upsert of any reminder returned, even one since removed. ON CONFLICT makes concurrent upserts of the same reminder
-- from several connections serialize instead of failing. Always returns one row: the new version.
INSERT INTO nexus_reminders
    (grain_type, grain_key, reminder_name, grain_hash, owner_epoch, start_at, period_ms, last_tick_due, version, updated_at)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, nextval('nexus_reminder_version_seq'), $9)
ON CONFLICT (grain_type, grain_key, reminder_name) DO UPDATE SET
    start_at = excluded.start_at,
    period_ms = excluded.period_ms,
    last_tick_due = excluded.last_tick_due,
    version = excluded.version,
    updated_at = excluded.updated_at
RETURNING version
