-- The stored version of one state row, or no row. Used after a refused compare-and-swap to report the stored ETag,
-- and for a clear that expects no row. Runs under the writer's lock, so it is exact.
SELECT version
FROM nexus_grain_state
WHERE grain_type = @grain_type AND grain_key = @grain_key AND state_name = @state_name;
