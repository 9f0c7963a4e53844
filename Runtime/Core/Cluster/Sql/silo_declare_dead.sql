-- Declares dead every member whose last heartbeat is older than DeadAfter by the database's clock; whoever runs it
-- first writes the status. Parameters: $1 DeadAfter in milliseconds.
-- Guarantees: a dead member's leases have expired too, because a lease is renewed in the same transaction as the
-- heartbeat and LeaseDuration is at most DeadAfter; so declaring it dead never makes a live lease free.
-- Always returns one row: how many were declared dead now, and who (NULL when none).
WITH dead AS (
    UPDATE nexus_silos SET status = 'dead'
    WHERE status IN ('joining', 'active', 'leaving')
      AND last_heartbeat < now() - $1 * interval '1 millisecond'
    RETURNING host || ':' || port || '@' || generation AS member
)
SELECT count(*)::integer AS declared, string_agg(member, ', ') AS members FROM dead
