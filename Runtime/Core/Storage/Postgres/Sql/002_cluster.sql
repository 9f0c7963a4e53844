-- Schema version 2 (PostgreSQL): cluster membership, partition leases and the cluster's fixed settings.
--
-- Guarantees this schema gives the statements that use it:
--   * nexus_cluster_settings holds at most one row (singleton is the primary key and must be true). Its
--     partition_count is written once, by the first silo that joins, and never changes: every silo compares its own
--     configured count with it and refuses to start on a mismatch, because a grain's partition is its hash modulo
--     that count.
--   * nexus_silos has one row per incarnation of a silo (host, port, generation). silo_id is a number no other
--     incarnation ever gets (an identity column), so a lease that names it names exactly one process life.
--     last_heartbeat is always written with the database's now(), and expiry is always judged against the
--     database's now(), so clocks of the silos never enter into it.
--   * nexus_partition_leases has one row per partition. epoch is the fencing token: the trigger below refuses any
--     change that lowers it, and every acquisition raises it by one in the same UPDATE that names the new owner, so
--     each (partition, epoch) names one tenure of one owner. A released lease keeps its epoch and has no owner.
--   * State and reminder writes of a cluster lock their partition's lease row FOR KEY SHARE and check the epoch in the
--     same statement. (partition, epoch) has a unique index, which makes epoch a key column: an UPDATE that raises it
--     (a takeover) takes the FOR UPDATE row lock and so serializes with those writes, and a stale owner's write is
--     refused; a renewal, which changes only lease_expires_at, takes the weaker FOR NO KEY UPDATE and never blocks them.

CREATE TABLE nexus_cluster_settings (
    singleton        boolean     PRIMARY KEY DEFAULT true CHECK (singleton),
    partition_count  integer     NOT NULL CHECK (partition_count > 0),
    created_at       timestamptz NOT NULL
);

CREATE TABLE nexus_silos (
    silo_id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    host            text COLLATE "C" NOT NULL,
    port            integer          NOT NULL CHECK (port >= 0 AND port <= 65535),
    generation      bigint           NOT NULL,
    status          text             NOT NULL CHECK (status IN ('joining', 'active', 'leaving', 'dead')),
    started_at      timestamptz      NOT NULL,
    last_heartbeat  timestamptz      NOT NULL,
    UNIQUE (host, port, generation)
);

-- Dead-silo detection and the live view both select by status.
CREATE INDEX nexus_silos_by_status ON nexus_silos (status);

CREATE TABLE nexus_partition_leases (
    partition         integer     PRIMARY KEY CHECK (partition >= 0),
    owner_silo        bigint      REFERENCES nexus_silos (silo_id),
    epoch             bigint      NOT NULL DEFAULT 0 CHECK (epoch >= 0),
    lease_expires_at  timestamptz,
    CHECK ((owner_silo IS NULL) = (lease_expires_at IS NULL)),
    UNIQUE (partition, epoch)
);

CREATE FUNCTION nexus_partition_epoch_only_grows() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.epoch < OLD.epoch THEN
        RAISE EXCEPTION 'partition % epoch may only grow (from % to %)', OLD.partition, OLD.epoch, NEW.epoch;
    END IF;
    RETURN NEW;
END
$$;

CREATE TRIGGER nexus_partition_epoch_only_grows BEFORE UPDATE ON nexus_partition_leases
    FOR EACH ROW EXECUTE FUNCTION nexus_partition_epoch_only_grows();
