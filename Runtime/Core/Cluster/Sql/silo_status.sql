-- Sets this silo's own status on a graceful stop (leaving, then dead). Parameters: $1 silo_id, $2 status.
-- Never revives a dead member. Returns nothing.
UPDATE nexus_silos SET status = $2 WHERE silo_id = $1 AND status <> 'dead'
