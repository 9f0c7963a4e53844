-- Run once on the writer connection when it opens, outside any transaction.
-- journal_mode = WAL: readers on their own connections see the last committed state and never block the writer.
--   The mode is stored in the database file. The statement returns the mode now in force, which must be 'wal'.
-- synchronous = FULL: in WAL mode every commit syncs the log before it returns, so a completed write survives a
--   power loss. Do not weaken it: callers are told a write is durable when its task completes.
PRAGMA journal_mode = WAL;
PRAGMA synchronous = FULL;
