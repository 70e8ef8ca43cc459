-- Schema version 4: the figures GetBucketStat reports, one row per bucket, changed in the same
-- transaction as every version, upload and part write (ossd_meta::StatsDelta), never computed by
-- listing. Per storage class: versions that are not delete markers, their bytes, and their billed
-- bytes (each at least 65536, ossd_meta::MIN_BILLED_BYTES). `last_modified_ms` is 0 until a write
-- changes the figures.
CREATE TABLE bucket_stats (
    bucket                  TEXT PRIMARY KEY NOT NULL REFERENCES buckets (name) ON DELETE CASCADE,
    standard_objects        INTEGER NOT NULL DEFAULT 0,
    standard_bytes          INTEGER NOT NULL DEFAULT 0,
    standard_billed         INTEGER NOT NULL DEFAULT 0,
    ia_objects              INTEGER NOT NULL DEFAULT 0,
    ia_bytes                INTEGER NOT NULL DEFAULT 0,
    ia_billed               INTEGER NOT NULL DEFAULT 0,
    archive_objects         INTEGER NOT NULL DEFAULT 0,
    archive_bytes           INTEGER NOT NULL DEFAULT 0,
    archive_billed          INTEGER NOT NULL DEFAULT 0,
    cold_archive_objects    INTEGER NOT NULL DEFAULT 0,
    cold_archive_bytes      INTEGER NOT NULL DEFAULT 0,
    cold_archive_billed     INTEGER NOT NULL DEFAULT 0,
    deep_cold_objects       INTEGER NOT NULL DEFAULT 0,
    deep_cold_bytes         INTEGER NOT NULL DEFAULT 0,
    deep_cold_billed        INTEGER NOT NULL DEFAULT 0,
    delete_markers          INTEGER NOT NULL DEFAULT 0,
    uploads                 INTEGER NOT NULL DEFAULT 0,
    parts                   INTEGER NOT NULL DEFAULT 0,
    part_bytes              INTEGER NOT NULL DEFAULT 0,
    last_modified_ms        INTEGER NOT NULL DEFAULT 0
) WITHOUT ROWID;

-- Back-fill, once, from the rows already stored.
INSERT INTO bucket_stats (bucket) SELECT name FROM buckets;

WITH v AS (
    SELECT bucket,
           json_extract(doc, '$.storage_class') AS class,
           json_extract(doc, '$.size') AS size
    FROM versions WHERE is_marker = 0
)
UPDATE bucket_stats SET (
    standard_objects, standard_bytes, standard_billed,
    ia_objects, ia_bytes, ia_billed,
    archive_objects, archive_bytes, archive_billed,
    cold_archive_objects, cold_archive_bytes, cold_archive_billed,
    deep_cold_objects, deep_cold_bytes, deep_cold_billed
) = (
    SELECT
        COUNT(*) FILTER (WHERE class = 'Standard'),
        COALESCE(SUM(size) FILTER (WHERE class = 'Standard'), 0),
        COALESCE(SUM(max(size, 65536)) FILTER (WHERE class = 'Standard'), 0),
        COUNT(*) FILTER (WHERE class = 'IA'),
        COALESCE(SUM(size) FILTER (WHERE class = 'IA'), 0),
        COALESCE(SUM(max(size, 65536)) FILTER (WHERE class = 'IA'), 0),
        COUNT(*) FILTER (WHERE class = 'Archive'),
        COALESCE(SUM(size) FILTER (WHERE class = 'Archive'), 0),
        COALESCE(SUM(max(size, 65536)) FILTER (WHERE class = 'Archive'), 0),
        COUNT(*) FILTER (WHERE class = 'ColdArchive'),
        COALESCE(SUM(size) FILTER (WHERE class = 'ColdArchive'), 0),
        COALESCE(SUM(max(size, 65536)) FILTER (WHERE class = 'ColdArchive'), 0),
        COUNT(*) FILTER (WHERE class = 'DeepColdArchive'),
        COALESCE(SUM(size) FILTER (WHERE class = 'DeepColdArchive'), 0),
        COALESCE(SUM(max(size, 65536)) FILTER (WHERE class = 'DeepColdArchive'), 0)
    FROM v WHERE v.bucket = bucket_stats.bucket
);

UPDATE bucket_stats SET
    delete_markers = (
        SELECT COUNT(*) FROM versions
        WHERE versions.bucket = bucket_stats.bucket AND is_marker = 1
    ),
    uploads = (SELECT COUNT(*) FROM uploads WHERE uploads.bucket = bucket_stats.bucket),
    parts = (
        SELECT COUNT(*) FROM parts JOIN uploads USING (upload_id)
        WHERE uploads.bucket = bucket_stats.bucket
    ),
    part_bytes = (
        SELECT COALESCE(SUM(json_extract(parts.doc, '$.size')), 0)
        FROM parts JOIN uploads USING (upload_id)
        WHERE uploads.bucket = bucket_stats.bucket
    ),
    last_modified_ms = max(
        (SELECT COALESCE(MAX(json_extract(doc, '$.last_modified_ms')), 0) FROM versions
         WHERE versions.bucket = bucket_stats.bucket),
        (SELECT COALESCE(MAX(initiated_ms), 0) FROM uploads
         WHERE uploads.bucket = bucket_stats.bucket),
        (SELECT COALESCE(MAX(json_extract(parts.doc, '$.last_modified_ms')), 0)
         FROM parts JOIN uploads USING (upload_id)
         WHERE uploads.bucket = bucket_stats.bucket)
    );
