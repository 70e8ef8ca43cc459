-- Schema version 5: `current` carries the fields a ListObjects `<Contents>` renders
-- (docs/protocol/buckets.md#listobjectsv2), so that a listing page reads one primary-key range
-- of `current` and neither joins `versions` nor parses a record's JSON. Written with every
-- change of `current` (crate::txn::SqlTxn::set_current), from the record being written.
--
-- `object_type` and `storage_class` are small integers (crate::codec::ListedCodes); `restore`
-- is the record's `restore` as JSON, NULL without one.
CREATE TABLE current_v5 (
    bucket        TEXT NOT NULL REFERENCES buckets (name),
    key           BLOB NOT NULL,
    version_row   INTEGER NOT NULL,
    size          INTEGER NOT NULL,
    mtime_ms      INTEGER NOT NULL,
    object_type   INTEGER NOT NULL,
    storage_class INTEGER NOT NULL,
    etag          TEXT NOT NULL,
    restore       TEXT,
    PRIMARY KEY (bucket, key)
) WITHOUT ROWID;

-- Back-fill from the stored records; an unknown spelling leaves a NULL and fails the migration.
INSERT INTO current_v5
    (bucket, key, version_row, size, mtime_ms, object_type, storage_class, etag, restore)
SELECT c.bucket, c.key, c.version_row,
       json_extract(v.doc, '$.size'),
       json_extract(v.doc, '$.last_modified_ms'),
       CASE json_extract(v.doc, '$.object_type')
           WHEN 'Normal' THEN 0 WHEN 'Multipart' THEN 1
           WHEN 'Appendable' THEN 2 WHEN 'Symlink' THEN 3
       END,
       CASE json_extract(v.doc, '$.storage_class')
           WHEN 'Standard' THEN 0 WHEN 'IA' THEN 1 WHEN 'Archive' THEN 2
           WHEN 'ColdArchive' THEN 3 WHEN 'DeepColdArchive' THEN 4
       END,
       json_extract(v.doc, '$.etag'),
       json_extract(v.doc, '$.restore')
FROM current c JOIN versions v ON v.id = c.version_row;

DROP TABLE current;
ALTER TABLE current_v5 RENAME TO current;
