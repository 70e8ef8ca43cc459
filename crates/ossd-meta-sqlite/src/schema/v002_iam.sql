-- Schema version 2: the IAM key-value space (users, keys, groups, roles, policies, attachments
-- as JSON documents under string keys; see ossd-iam for the key layout).
--
-- Keys are TEXT compared with the BINARY collation, i.e. by UTF-8 bytes: prefix scans are range
-- scans of the primary key. `revision` comes from `iam_revision` (one counter for the whole space)
-- so that a re-created key never repeats a revision it had.

CREATE TABLE iam (
    key      TEXT PRIMARY KEY NOT NULL,
    value    TEXT NOT NULL,
    revision INTEGER NOT NULL CHECK (revision > 0)
) WITHOUT ROWID;

-- The last revision handed out (one row).
CREATE TABLE iam_revision (
    id   INTEGER PRIMARY KEY CHECK (id = 0),
    last INTEGER NOT NULL
);

INSERT INTO iam_revision (id, last) VALUES (0, 0);
