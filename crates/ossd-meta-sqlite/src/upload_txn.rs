//! The [`UploadTxn`] primitives in SQL, run by the writer inside a mutation's savepoint next to
//! the [`SqlTxn`] version primitives (a completion uses both in one savepoint). Part rows go with
//! their upload (`ON DELETE CASCADE`).

use crate::codec::{json_from_row, to_json};
use crate::stmt::{all, exec, one};
use crate::txn::SqlTxn;
use ossd_meta::uploads::{UploadRef, UploadTxn};
use ossd_meta::{MetaError, PartRecord, UploadRecord};
use rusqlite::params;

impl UploadTxn for SqlTxn<'_> {
    fn insert_upload(&mut self, upload: UploadRecord) -> Result<bool, MetaError> {
        const SQL: &str = "INSERT INTO uploads (bucket, key, upload_id, initiated_ms, doc)
            VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT DO NOTHING";
        let doc = to_json("upload record", &upload)?;
        let values = params![
            upload.bucket,
            upload.key.as_bytes(),
            upload.upload_id,
            upload.initiated_ms,
            doc
        ];
        Ok(exec(self.conn(), SQL, values)? == 1)
    }

    fn upload(&mut self, at: UploadRef<'_>) -> Result<Option<UploadRecord>, MetaError> {
        crate::uploads::find(self.conn(), at)
    }

    fn parts(&mut self, at: UploadRef<'_>) -> Result<Vec<PartRecord>, MetaError> {
        const SQL: &str = "SELECT doc FROM parts WHERE upload_id = ?1 ORDER BY part_number";
        all(self.conn(), SQL, [at.upload_id], |r| json_from_row(r, 0))
    }

    fn upsert_part(
        &mut self,
        at: UploadRef<'_>,
        part: PartRecord,
    ) -> Result<Option<PartRecord>, MetaError> {
        const OLD: &str = "SELECT doc FROM parts WHERE upload_id = ?1 AND part_number = ?2";
        const PUT: &str = "INSERT INTO parts (upload_id, part_number, doc, blob)
            VALUES (?1, ?2, ?3, ?4)
            ON CONFLICT (upload_id, part_number) DO UPDATE SET doc = excluded.doc, blob = excluded.blob";
        let conn = self.conn();
        let number = i64::from(part.part_number);
        let old = one(conn, OLD, params![at.upload_id, number], |r| {
            json_from_row(r, 0)
        })?;
        let doc = to_json("part record", &part)?;
        exec(conn, PUT, params![at.upload_id, number, doc, part.blob])?;
        Ok(old)
    }

    fn remove_upload(&mut self, at: UploadRef<'_>) -> Result<(), MetaError> {
        const SQL: &str = "DELETE FROM uploads WHERE bucket = ?1 AND key = ?2 AND upload_id = ?3";
        match exec(
            self.conn(),
            SQL,
            params![at.bucket, at.key.as_bytes(), at.upload_id],
        )? {
            0 => Err(MetaError::NoSuchUpload),
            _ => Ok(()),
        }
    }
}
