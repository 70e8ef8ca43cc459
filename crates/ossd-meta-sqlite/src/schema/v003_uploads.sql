-- Schema version 3: multipart uploads in progress and their parts.
--
-- `uploads` is keyed by (bucket, key, upload_id): ListMultipartUploads is an ordered range scan of
-- the primary key and reads no parts. Keys are BLOBs (byte order, as in `versions`). Upload ids
-- are unique in the whole store, which `parts` relies on. `doc` is the UploadRecord as JSON.
CREATE TABLE uploads (
    bucket       TEXT NOT NULL REFERENCES buckets (name),
    key          BLOB NOT NULL,
    upload_id    TEXT NOT NULL,
    initiated_ms INTEGER NOT NULL,
    doc          TEXT NOT NULL,
    PRIMARY KEY (bucket, key, upload_id)
) WITHOUT ROWID;

CREATE UNIQUE INDEX uploads_by_id ON uploads (upload_id);

-- One row per part; deleting an upload deletes its parts. `doc` is the PartRecord as JSON and
-- `blob` its blob id: a blob is referenced while a part row names it (`parts_by_blob` answers
-- the orphan sweep).
CREATE TABLE parts (
    upload_id   TEXT NOT NULL REFERENCES uploads (upload_id) ON DELETE CASCADE,
    part_number INTEGER NOT NULL,
    doc         TEXT NOT NULL,
    blob        TEXT NOT NULL,
    PRIMARY KEY (upload_id, part_number)
) WITHOUT ROWID;

CREATE INDEX parts_by_blob ON parts (blob);
