-- Schema version 1 (SQLite): grain state, reminders, and the counter that numbers reminder versions.
--
-- Guarantees this schema gives the statements that use it:
--   * nexus_grain_state has one row per (grain type, grain key, state name). version is the ETag. A clear sets
--     payload to NULL and bumps version (a tombstone), so a key's versions only ever grow and an old ETag can never
--     match again (no ABA).
--   * nexus_reminders has one row per (grain type, grain key, reminder name). Its version is drawn from the
--     'reminder_version' counter, which only grows, so a reminder that is removed and registered again never gets
--     back an ETag that was handed out before.
--   * Times are Unix milliseconds (UTC) in INTEGER columns, so they read back exactly as written.
--
-- grain_hash (GrainId.StableHash) and owner_epoch (always 0 on a single silo) are carried on every row so that a
-- cluster can later assign rows to partitions by hash and fence writers: a write carrying an owner epoch older than
-- the row's will be refused. Adding that check changes the statements, not these tables.
--
-- STRICT tables: SQLite enforces the declared column types instead of coercing values.

CREATE TABLE nexus_grain_state (
    grain_type   TEXT    NOT NULL,
    grain_key    TEXT    NOT NULL,
    state_name   TEXT    NOT NULL,
    grain_hash   INTEGER NOT NULL,
    owner_epoch  INTEGER NOT NULL DEFAULT 0,
    version      INTEGER NOT NULL CHECK (version > 0),
    payload      BLOB,
    updated_at   INTEGER NOT NULL,
    PRIMARY KEY (grain_type, grain_key, state_name)
) STRICT;

CREATE TABLE nexus_reminders (
    grain_type     TEXT    NOT NULL,
    grain_key      TEXT    NOT NULL,
    reminder_name  TEXT    NOT NULL,
    grain_hash     INTEGER NOT NULL,
    owner_epoch    INTEGER NOT NULL DEFAULT 0,
    start_at       INTEGER NOT NULL,
    period_ms      INTEGER NOT NULL CHECK (period_ms >= 0),
    last_tick_due  INTEGER,
    version        INTEGER NOT NULL CHECK (version > 0),
    updated_at     INTEGER NOT NULL,
    PRIMARY KEY (grain_type, grain_key, reminder_name)
) STRICT;

-- The reminder service of a cluster loads reminders one hash range at a time.
CREATE INDEX nexus_reminders_by_hash ON nexus_reminders (grain_hash);

CREATE TABLE nexus_counters (
    name   TEXT    NOT NULL PRIMARY KEY,
    value  INTEGER NOT NULL
) STRICT;

INSERT INTO nexus_counters (name, value) VALUES ('reminder_version', 0);
