-- Adds this incarnation of a silo as a member, status joining, heartbeat now by the database's clock.
-- Parameters: $1 host, $2 port, $3 generation. Returns its silo_id, a number no other incarnation ever gets.
-- Fails (unique violation) when the same host, port and generation joined before: a generation names one process life.
INSERT INTO nexus_silos (host, port, generation, status, started_at, last_heartbeat)
VALUES ($1, $2, $3, 'joining', now(), now())
RETURNING silo_id
