-- Schema version 5: `current` carries what a ListObjects `<Contents>` renders
-- (docs/protocol/buckets.md#listobjectsv2), so that a listing page reads one primary-key range
-- of `current` and neither joins `versions` nor parses a record's JSON. Written with every
-- change of `current` (crate::txn::SqlTxn::set_current), from the record being written.
--
-- `listing` is one fixed layout (crate::codec::LISTING_HEAD): the object type and storage class
-- codes (one byte each, crate::codec::ListedCodes), the size and the last modification (Unix ms)
-- as 8-byte big-endian integers, then the ETag's UTF-8. `restore` is the record's `restore` as
-- JSON, NULL without one.
CREATE TABLE current_v5 (
    bucket      TEXT NOT NULL REFERENCES buckets (name),
    key         BLOB NOT NULL,
    version_row INTEGER NOT NULL,
    listing     BLOB NOT NULL,
    restore     TEXT,
    PRIMARY KEY (bucket, key)
) WITHOUT ROWID;

-- Back-fill from the stored records; an unknown spelling or a missing field leaves a NULL and
-- fails the migration.
INSERT INTO current_v5 (bucket, key, version_row, listing, restore)
SELECT bucket, key, version_row,
       CASE WHEN t IS NOT NULL AND class IS NOT NULL AND size IS NOT NULL
                 AND mtime IS NOT NULL AND etag IS NOT NULL
            THEN unhex(printf('%02X%02X%016X%016X', t, class, size, mtime) || hex(etag))
       END,
       restore
FROM (
    SELECT cur.bucket, cur.key, cur.version_row,
           CASE json_extract(v.doc, '$.object_type')
               WHEN 'Normal' THEN 0 WHEN 'Multipart' THEN 1
               WHEN 'Appendable' THEN 2 WHEN 'Symlink' THEN 3
           END AS t,
           CASE json_extract(v.doc, '$.storage_class')
               WHEN 'Standard' THEN 0 WHEN 'IA' THEN 1 WHEN 'Archive' THEN 2
               WHEN 'ColdArchive' THEN 3 WHEN 'DeepColdArchive' THEN 4
           END AS class,
           json_extract(v.doc, '$.size') AS size,
           json_extract(v.doc, '$.last_modified_ms') AS mtime,
           json_extract(v.doc, '$.etag') AS etag,
           json_extract(v.doc, '$.restore') AS restore
    FROM current cur JOIN versions v ON v.id = cur.version_row
);

DROP TABLE current;
ALTER TABLE current_v5 RENAME TO current;
