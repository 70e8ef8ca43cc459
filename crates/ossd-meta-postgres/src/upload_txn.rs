//! The [`UploadTxn`] primitives in SQL, run inside a write transaction next to the [`SqlTxn`]
//! version primitives (a completion uses both in one transaction). Part rows go with their
//! upload (`ON DELETE CASCADE`).

use crate::codec::{json_from_row, to_json};
use crate::txn::SqlTxn;
use ossd_meta::uploads::{UploadRef, UploadTxn};
use ossd_meta::{MetaError, PartRecord, UploadRecord};

impl UploadTxn for SqlTxn<'_, '_> {
    fn insert_upload(&mut self, upload: UploadRecord) -> Result<bool, MetaError> {
        const SQL: &str = "INSERT INTO uploads (bucket, key, upload_id, initiated_ms, doc)
            VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING";
        let doc = to_json("upload record", &upload)?;
        let values: [&(dyn tokio_postgres::types::ToSql + Sync); 5] = [
            &upload.bucket,
            &upload.key.as_bytes(),
            &upload.upload_id,
            &upload.initiated_ms,
            &doc,
        ];
        Ok(self.conn().exec(SQL, &values)? == 1)
    }

    /// Locks the upload's row until the transaction ends: every upload rule starts here (after
    /// the bucket), so the writes of one upload run one after another.
    fn upload(&mut self, at: UploadRef<'_>) -> Result<Option<UploadRecord>, MetaError> {
        const SQL: &str = "SELECT doc FROM uploads
            WHERE bucket = $1 AND key = $2 AND upload_id = $3 FOR UPDATE";
        self.conn()
            .opt(SQL, &[&at.bucket, &at.key.as_bytes(), &at.upload_id])?
            .map(|r| json_from_row(&r, 0, "stored upload record"))
            .transpose()
    }

    fn parts(&mut self, at: UploadRef<'_>) -> Result<Vec<PartRecord>, MetaError> {
        const SQL: &str = "SELECT doc FROM parts WHERE upload_id = $1 ORDER BY part_number";
        let rows = self.conn().query(SQL, &[&at.upload_id])?;
        rows.iter()
            .map(|r| json_from_row(r, 0, "stored part record"))
            .collect()
    }

    fn upsert_part(
        &mut self,
        at: UploadRef<'_>,
        part: PartRecord,
    ) -> Result<Option<PartRecord>, MetaError> {
        const OLD: &str = "SELECT doc FROM parts WHERE upload_id = $1 AND part_number = $2";
        const PUT: &str = "INSERT INTO parts (upload_id, part_number, doc, blob)
            VALUES ($1, $2, $3, $4)
            ON CONFLICT (upload_id, part_number) DO UPDATE SET doc = excluded.doc, blob = excluded.blob";
        let conn = self.conn();
        let number = i32::try_from(part.part_number).map_err(MetaError::backend)?;
        let old = conn
            .opt(OLD, &[&at.upload_id, &number])?
            .map(|r| json_from_row(&r, 0, "stored part record"))
            .transpose()?;
        let doc = to_json("part record", &part)?;
        conn.exec(PUT, &[&at.upload_id, &number, &doc, &part.blob])?;
        Ok(old)
    }

    fn remove_upload(&mut self, at: UploadRef<'_>) -> Result<(), MetaError> {
        const SQL: &str = "DELETE FROM uploads WHERE bucket = $1 AND key = $2 AND upload_id = $3";
        match self
            .conn()
            .exec(SQL, &[&at.bucket, &at.key.as_bytes(), &at.upload_id])?
        {
            0 => Err(MetaError::NoSuchUpload),
            _ => Ok(()),
        }
    }
}
