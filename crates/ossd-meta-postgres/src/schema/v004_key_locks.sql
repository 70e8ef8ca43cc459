-- Per-key write locks (crate docs, "Isolation"): a write of a key's versions holds the bucket
-- row `FOR SHARE` and this row, taken by an `INSERT … ON CONFLICT DO UPDATE` (which locks the
-- row whether it inserts or updates), so writes to different keys of one bucket run at once
-- and writes to one key one after another. The row is only a lock: a delete that leaves the key
-- without versions removes it, DeleteBucket removes the bucket's.
CREATE TABLE key_locks (
    bucket TEXT COLLATE "C" NOT NULL,
    key    BYTEA NOT NULL,
    PRIMARY KEY (bucket, key)
);
