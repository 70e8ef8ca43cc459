-- Schema version 1: buckets, bucket configuration, object versions, the index of current
-- versions, and blob reference counts.
--
-- Object keys are BLOBs so that they compare as bytes (UTF-8 order). Bind them as BLOBs always:
-- SQLite sorts every TEXT before every BLOB.

CREATE TABLE buckets (
    name          TEXT PRIMARY KEY NOT NULL,
    owner         TEXT NOT NULL,
    created_ms    INTEGER NOT NULL,
    acl           TEXT NOT NULL,
    storage_class TEXT NOT NULL,
    region        TEXT NOT NULL,
    versioning    TEXT NOT NULL
) WITHOUT ROWID;

CREATE INDEX buckets_by_owner ON buckets (owner, name);

CREATE TABLE bucket_config (
    bucket TEXT NOT NULL REFERENCES buckets (name) ON DELETE CASCADE,
    kind   TEXT NOT NULL,
    doc    TEXT NOT NULL,
    PRIMARY KEY (bucket, kind)
) WITHOUT ROWID;

-- Every version and delete marker. `seq` grows per key: the newest version has the largest.
-- `doc` is the record as JSON; inline data lives in `inline` (the JSON then holds an empty Inline).
CREATE TABLE versions (
    id         INTEGER PRIMARY KEY,
    bucket     TEXT NOT NULL REFERENCES buckets (name),
    key        BLOB NOT NULL,
    seq        INTEGER NOT NULL,
    version_id TEXT NOT NULL,
    is_marker  INTEGER NOT NULL,
    doc        TEXT NOT NULL,
    inline     BLOB
);

CREATE UNIQUE INDEX versions_by_seq ON versions (bucket, key, seq DESC);
CREATE UNIQUE INDEX versions_by_id ON versions (bucket, key, version_id);

-- The latest version of each key whose latest version is not a delete marker: ListObjects scans
-- this, so its cost does not grow with the number of versions per key.
CREATE TABLE current (
    bucket      TEXT NOT NULL REFERENCES buckets (name),
    key         BLOB NOT NULL,
    version_row INTEGER NOT NULL,
    PRIMARY KEY (bucket, key)
) WITHOUT ROWID;

-- How many versions reference each blob (a blob appears here while referenced).
CREATE TABLE blob_refs (
    blob  TEXT PRIMARY KEY NOT NULL,
    count INTEGER NOT NULL CHECK (count > 0)
) WITHOUT ROWID;
