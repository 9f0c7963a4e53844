-- Schema version 1 (PostgreSQL): grain state, reminders, and the sequence that numbers reminder versions.
--
-- Guarantees this schema gives the statements that use it:
--   * nexus_grain_state has one row per (grain type, grain key, state name). version is the ETag. A clear sets
--     payload to NULL and bumps version (a tombstone), so a key's versions only ever grow and an old ETag can never
--     match again (no ABA).
--   * nexus_reminders has one row per (grain type, grain key, reminder name). Its version is drawn from
--     nexus_reminder_version_seq, which never goes back (not even on rollback), so a reminder that is removed and
--     registered again never gets back an ETag that was handed out before.
--   * Key columns use the "C" collation: byte-wise comparison, the same in every database whatever its locale.
--   * Times are timestamptz written with millisecond precision, so they read back exactly as written.
--
-- grain_hash (GrainId.StableHash) and owner_epoch (always 0 on a single silo) are carried on every row so that a
-- cluster can later assign rows to partitions by hash and fence writers: a write carrying an owner epoch older than
-- the row's will be refused. Adding that check changes the statements, not these tables.

CREATE TABLE nexus_grain_state (
    grain_type   text COLLATE "C" NOT NULL,
    grain_key    text COLLATE "C" NOT NULL,
    state_name   text COLLATE "C" NOT NULL,
    grain_hash   integer          NOT NULL,
    owner_epoch  bigint           NOT NULL DEFAULT 0,
    version      bigint           NOT NULL CHECK (version > 0),
    payload      bytea,
    updated_at   timestamptz      NOT NULL,
    PRIMARY KEY (grain_type, grain_key, state_name)
);

CREATE TABLE nexus_reminders (
    grain_type     text COLLATE "C" NOT NULL,
    grain_key      text COLLATE "C" NOT NULL,
    reminder_name  text COLLATE "C" NOT NULL,
    grain_hash     integer          NOT NULL,
    owner_epoch    bigint           NOT NULL DEFAULT 0,
    start_at       timestamptz      NOT NULL,
    period_ms      bigint           NOT NULL CHECK (period_ms >= 0),
    last_tick_due  timestamptz,
    version        bigint           NOT NULL CHECK (version > 0),
    updated_at     timestamptz      NOT NULL,
    PRIMARY KEY (grain_type, grain_key, reminder_name)
);

-- The reminder service of a cluster loads reminders one hash range at a time.
CREATE INDEX nexus_reminders_by_hash ON nexus_reminders (grain_hash);

CREATE SEQUENCE nexus_reminder_version_seq AS bigint START WITH 1;
