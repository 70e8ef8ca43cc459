-- Schema version 1: the whole metadata store (the same model as the SQLite backend's schema
-- versions 1-4, in one step).
--
-- Object keys are BYTEA so that they compare as bytes (UTF-8 order, what OSS listings require);
-- names, upload ids and IAM keys are TEXT COLLATE "C", which compares the UTF-8 bytes too (a
-- locale collation would break listing order). No sequences, no triggers, no PL/pgSQL: the
-- per-key version order `seq` is computed in the insert.

CREATE TABLE buckets (
    name          TEXT COLLATE "C" PRIMARY KEY,
    owner         TEXT NOT NULL,
    created_ms    BIGINT NOT NULL,
    acl           TEXT NOT NULL,
    storage_class TEXT NOT NULL,
    region        TEXT NOT NULL,
    versioning    TEXT NOT NULL
);

CREATE INDEX buckets_by_owner ON buckets (owner, name);

CREATE TABLE bucket_config (
    bucket TEXT COLLATE "C" NOT NULL REFERENCES buckets (name) ON DELETE CASCADE,
    kind   TEXT NOT NULL,
    doc    TEXT NOT NULL,
    PRIMARY KEY (bucket, kind)
);

-- Every version and delete marker. `seq` grows per key: the newest version has the largest.
-- `doc` is the record as JSON; inline data lives in `inline` (the JSON then holds an empty Inline).
CREATE TABLE versions (
    bucket     TEXT COLLATE "C" NOT NULL REFERENCES buckets (name),
    key        BYTEA NOT NULL,
    seq        BIGINT NOT NULL,
    version_id TEXT NOT NULL,
    is_marker  BOOLEAN NOT NULL,
    doc        TEXT NOT NULL,
    inline     BYTEA,
    PRIMARY KEY (bucket, key, version_id)
);

-- ListObjectVersions walks this index: keys ascending, newest version first.
CREATE UNIQUE INDEX versions_by_seq ON versions (bucket, key, seq DESC);

-- The latest version of each key whose latest version is not a delete marker, with a copy of
-- its JSON: ListObjects is one ordered range of this primary key (no join, no sort), and its
-- cost does not grow with the number of versions per key.
CREATE TABLE current_versions (
    bucket TEXT COLLATE "C" NOT NULL REFERENCES buckets (name),
    key    BYTEA NOT NULL,
    seq    BIGINT NOT NULL,
    doc    TEXT NOT NULL,
    PRIMARY KEY (bucket, key)
);

-- How many versions reference each blob (a blob appears here while referenced).
CREATE TABLE blob_refs (
    blob  TEXT PRIMARY KEY,
    count BIGINT NOT NULL CHECK (count > 0)
);

-- The IAM key-value space (see ossd-iam for the key layout). `revision` comes from
-- `iam_revision`, one counter for the whole space, so a re-created key never repeats a revision.
CREATE TABLE iam (
    key      TEXT COLLATE "C" PRIMARY KEY,
    value    TEXT NOT NULL,
    revision BIGINT NOT NULL CHECK (revision > 0)
);

-- The last revision handed out (one row); its row lock orders IAM commits.
CREATE TABLE iam_revision (
    id   INT PRIMARY KEY CHECK (id = 0),
    last BIGINT NOT NULL
);

INSERT INTO iam_revision (id, last) VALUES (0, 0);

-- Multipart uploads in progress, keyed by (bucket, key, upload_id): ListMultipartUploads is an
-- ordered range scan of the primary key. Upload ids are unique in the whole store.
CREATE TABLE uploads (
    bucket       TEXT COLLATE "C" NOT NULL REFERENCES buckets (name),
    key          BYTEA NOT NULL,
    upload_id    TEXT COLLATE "C" NOT NULL,
    initiated_ms BIGINT NOT NULL,
    doc          TEXT NOT NULL,
    PRIMARY KEY (bucket, key, upload_id),
    CONSTRAINT uploads_by_id UNIQUE (upload_id)
);

-- One row per part; deleting an upload deletes its parts. A blob is referenced while a part row
-- names it (`parts_by_blob` answers the orphan sweep).
CREATE TABLE parts (
    upload_id   TEXT COLLATE "C" NOT NULL REFERENCES uploads (upload_id) ON DELETE CASCADE,
    part_number INT NOT NULL,
    doc         TEXT NOT NULL,
    blob        TEXT NOT NULL,
    PRIMARY KEY (upload_id, part_number)
);

CREATE INDEX parts_by_blob ON parts (blob);

-- The figures GetBucketStat reports, one row per bucket, changed in the transaction of every
-- version, upload and part write (ossd_meta::StatsDelta).
CREATE TABLE bucket_stats (
    bucket               TEXT COLLATE "C" PRIMARY KEY REFERENCES buckets (name) ON DELETE CASCADE,
    standard_objects     BIGINT NOT NULL DEFAULT 0,
    standard_bytes       BIGINT NOT NULL DEFAULT 0,
    standard_billed      BIGINT NOT NULL DEFAULT 0,
    ia_objects           BIGINT NOT NULL DEFAULT 0,
    ia_bytes             BIGINT NOT NULL DEFAULT 0,
    ia_billed            BIGINT NOT NULL DEFAULT 0,
    archive_objects      BIGINT NOT NULL DEFAULT 0,
    archive_bytes        BIGINT NOT NULL DEFAULT 0,
    archive_billed       BIGINT NOT NULL DEFAULT 0,
    cold_archive_objects BIGINT NOT NULL DEFAULT 0,
    cold_archive_bytes   BIGINT NOT NULL DEFAULT 0,
    cold_archive_billed  BIGINT NOT NULL DEFAULT 0,
    deep_cold_objects    BIGINT NOT NULL DEFAULT 0,
    deep_cold_bytes      BIGINT NOT NULL DEFAULT 0,
    deep_cold_billed     BIGINT NOT NULL DEFAULT 0,
    delete_markers       BIGINT NOT NULL DEFAULT 0,
    uploads              BIGINT NOT NULL DEFAULT 0,
    parts                BIGINT NOT NULL DEFAULT 0,
    part_bytes           BIGINT NOT NULL DEFAULT 0,
    last_modified_ms     BIGINT NOT NULL DEFAULT 0
);
