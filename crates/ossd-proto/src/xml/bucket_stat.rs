//! GetBucketStat's response, `<BucketStat>`: element names and order as on the GetBucketStat page
//! of the Alibaba Cloud OSS API reference (the per-class multipart part figures are left out).

use super::writer::XmlWriter;

/// The figures of one storage class other than Standard.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ClassStat {
    /// `<…Storage>`: billed bytes (an object under 64 KB counts as 64 KB).
    pub storage: u64,
    /// `<…RealStorage>`: stored bytes.
    pub real_storage: u64,
    /// `<…ObjectCount>`.
    pub object_count: u64,
}

/// The GetBucketStat response.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct BucketStat {
    /// `<Storage>`: bytes stored, every class.
    pub storage: u64,
    /// `<ObjectCount>`.
    pub object_count: u64,
    /// `<MultipartUploadCount>`: uploads initiated and neither completed nor aborted.
    pub multipart_upload_count: u64,
    /// `<LiveChannelCount>`.
    pub live_channel_count: u64,
    /// `<MultipartPartCount>`: parts of those uploads.
    pub multipart_part_count: u64,
    /// `<MultipartPartStorage>`: their bytes.
    pub multipart_part_storage: u64,
    /// `<DeleteMarkerCount>`.
    pub delete_marker_count: u64,
    /// `<LastModifiedTime>`, Unix seconds.
    pub last_modified_time: i64,
    /// `<StandardStorage>`: bytes of Standard objects.
    pub standard_storage: u64,
    /// `<StandardObjectCount>`.
    pub standard_object_count: u64,
    /// `<InfrequentAccess…>`.
    pub infrequent_access: ClassStat,
    /// `<Archive…>`.
    pub archive: ClassStat,
    /// `<ColdArchive…>`.
    pub cold_archive: ClassStat,
    /// `<DeepColdArchive…>`.
    pub deep_cold_archive: ClassStat,
}

impl BucketStat {
    /// The response document.
    pub fn to_xml(&self) -> String {
        let mut w = XmlWriter::new();
        w.node("BucketStat", |w| {
            w.elem_display("Storage", self.storage)
                .elem_display("ObjectCount", self.object_count)
                .elem_display("MultipartUploadCount", self.multipart_upload_count)
                .elem_display("LiveChannelCount", self.live_channel_count)
                .elem_display("MultipartPartCount", self.multipart_part_count)
                .elem_display("MultipartPartStorage", self.multipart_part_storage)
                .elem_display("DeleteMarkerCount", self.delete_marker_count)
                .elem_display("LastModifiedTime", self.last_modified_time)
                .elem_display("StandardStorage", self.standard_storage)
                .elem_display("StandardObjectCount", self.standard_object_count);
            let classes = [
                ("InfrequentAccess", &self.infrequent_access),
                ("Archive", &self.archive),
                ("ColdArchive", &self.cold_archive),
                ("DeepColdArchive", &self.deep_cold_archive),
            ];
            for (name, class) in classes {
                w.elem_display(&format!("{name}Storage"), class.storage)
                    .elem_display(&format!("{name}RealStorage"), class.real_storage)
                    .elem_display(&format!("{name}ObjectCount"), class.object_count);
            }
        });
        w.finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn elements_in_order() {
        let stat = BucketStat {
            storage: 7,
            object_count: 1,
            last_modified_time: 1_643_341_269,
            standard_storage: 7,
            standard_object_count: 1,
            infrequent_access: ClassStat {
                storage: 65_536,
                real_storage: 3,
                object_count: 1,
            },
            ..BucketStat::default()
        };
        let xml = stat.to_xml();
        let want = "<BucketStat><Storage>7</Storage><ObjectCount>1</ObjectCount>\
            <MultipartUploadCount>0</MultipartUploadCount><LiveChannelCount>0</LiveChannelCount>\
            <MultipartPartCount>0</MultipartPartCount><MultipartPartStorage>0</MultipartPartStorage>\
            <DeleteMarkerCount>0</DeleteMarkerCount><LastModifiedTime>1643341269</LastModifiedTime>\
            <StandardStorage>7</StandardStorage><StandardObjectCount>1</StandardObjectCount>\
            <InfrequentAccessStorage>65536</InfrequentAccessStorage>\
            <InfrequentAccessRealStorage>3</InfrequentAccessRealStorage>\
            <InfrequentAccessObjectCount>1</InfrequentAccessObjectCount>\
            <ArchiveStorage>0</ArchiveStorage>";
        assert!(xml.contains(want), "{xml}");
        assert!(
            xml.ends_with(
                "<DeepColdArchiveObjectCount>0</DeepColdArchiveObjectCount></BucketStat>"
            ),
            "{xml}"
        );
    }
}
