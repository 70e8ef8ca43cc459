-- GetBucketStat's figures in 16 rows per bucket (crate docs, "Isolation"): a write changes the
-- row `shard` = a stable hash of its key mod 16 (`bucket_stats.rs`), so writes to different keys
-- rarely wait for one another's figures; GetBucketStat sums the rows. The figures kept so far
-- become shard 0. A shard's counts may go below zero (an object counted in shard 0 here and
-- removed later through its own shard); only the sums are figures.
ALTER TABLE bucket_stats ADD COLUMN shard SMALLINT NOT NULL DEFAULT 0;
ALTER TABLE bucket_stats DROP CONSTRAINT bucket_stats_pkey;
ALTER TABLE bucket_stats ADD PRIMARY KEY (bucket, shard);
