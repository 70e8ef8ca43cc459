//! Multipart uploads at the store API: assembly by reference with the TV19 ETag and CRC-64
//! (docs/protocol/objects.md#checksum-test-vectors), part replacement, completion checks, abort
//! and reclamation, UploadPartCopy.

mod common;

use common::{TestResult, body, read_record, rig, spec};
use ossd_meta::{DataRef, PartRecord};
use ossd_store::{CompleteRequest, PartUpload, StoreError, multipart_etag};
use ossd_types::{ObjectAcl, ObjectType, VersioningState};

const KEY: &str = "big.bin";

fn to(upload_id: &str, part_number: u32) -> PartUpload {
    PartUpload {
        bucket: "b".into(),
        key: KEY.into(),
        upload_id: upload_id.into(),
        part_number,
        content_md5: None,
        content_length: None,
        checksum: Default::default(),
    }
}

fn complete(upload_id: &str, parts: &[&PartRecord]) -> CompleteRequest {
    CompleteRequest {
        bucket: "b".into(),
        key: KEY.into(),
        upload_id: upload_id.into(),
        parts: Some(
            parts
                .iter()
                .map(|p| (p.part_number, format!("\"{}\"", p.etag.to_lowercase())))
                .collect(),
        ),
        forbid_overwrite: false,
        etag_condition: Default::default(),
        acl: None,
        part_checksums: Vec::new(),
        checksum: None,
    }
}

#[tokio::test]
async fn assembles_by_reference_with_tv19_etag_and_crc() -> TestResult {
    let r = rig(VersioningState::Disabled).await?;
    let s = &r.store;
    let up = s.initiate_multipart(spec(KEY), 1000).await?;
    assert_eq!(up.upload_id.len(), 32);
    let a = vec![b'a'; 102_400];
    let p1 = s
        .upload_part(to(&up.upload_id, 1), body(&[&a]), 2000)
        .await?;
    let p2 = s
        .upload_part(to(&up.upload_id, 2), body(&[b"bbbbb", b"bbbbb"]), 2000)
        .await?;
    assert_eq!(p1.crc64, 12_696_911_168_479_852_064);
    let obj = s
        .complete_multipart(complete(&up.upload_id, &[&p1, &p2]), 3000)
        .await?;
    assert_eq!(obj.etag, "986A36156EB9BEEFEEA12B0E118A4B2E-2");
    assert_eq!(obj.crc64, 88_389_505_591_002_533);
    assert_eq!(obj.size, 102_410);
    assert_eq!(obj.object_type, ObjectType::Multipart);
    assert_eq!(obj.user_meta, vec![("a".to_owned(), "1".to_owned())]);
    assert_eq!(
        obj.headers,
        vec![("content-type".to_owned(), "text/plain".to_owned())]
    );
    let DataRef::Parts(refs) = &obj.data else {
        return Err("multipart data must be parts".into());
    };
    let blobs: Vec<&str> = refs.iter().map(|p| p.blob.as_str()).collect();
    assert_eq!(
        blobs,
        vec![p1.blob.as_str(), p2.blob.as_str()],
        "no bytes copied"
    );
    let mut expected = a.clone();
    expected.extend_from_slice(b"bbbbbbbbbb");
    assert_eq!(r.read(KEY, None).await?, expected);
    assert_eq!(r.blob_count().await?, 2);
    let head = s.head_object("b", KEY, None).await?;
    assert_eq!(head.etag, obj.etag);
    assert!(matches!(
        s.list_parts("b", KEY, &up.upload_id, 0, 10).await,
        Err(StoreError::NoSuchUpload)
    ));
    Ok(())
}

#[test]
fn multipart_etag_vector() {
    let md5 = |d: &[u8]| -> [u8; 16] {
        use md5::Digest;
        md5::Md5::digest(d).into()
    };
    let parts = [md5(&vec![b'a'; 102_400]), md5(&[b'b'; 10])];
    assert_eq!(multipart_etag(&parts), "986A36156EB9BEEFEEA12B0E118A4B2E-2");
}

#[tokio::test]
async fn replacing_a_part_reclaims_the_old_blob() -> TestResult {
    let r = rig(VersioningState::Disabled).await?;
    let s = &r.store;
    let up = s.initiate_multipart(spec(KEY), 1000).await?;
    let old = s
        .upload_part(to(&up.upload_id, 1), body(&[b"first"]), 1)
        .await?;
    let new = s
        .upload_part(to(&up.upload_id, 1), body(&[b"second"]), 2)
        .await?;
    assert_eq!(r.blob_count().await?, 1);
    assert!(!r.has_blob(&old.blob).await?);
    let page = s.list_parts("b", KEY, &up.upload_id, 0, 10).await?;
    assert_eq!(page.parts, vec![new.clone()]);
    let stale = s
        .complete_multipart(complete(&up.upload_id, &[&old]), 3)
        .await;
    assert!(matches!(stale, Err(StoreError::InvalidPart)));
    s.complete_multipart(complete(&up.upload_id, &[&new]), 3)
        .await?;
    assert_eq!(r.read(KEY, None).await?, b"second");
    Ok(())
}

#[tokio::test]
async fn complete_checks_the_part_list() -> TestResult {
    let r = rig(VersioningState::Disabled).await?;
    let s = &r.store;
    let up = s.initiate_multipart(spec(KEY), 1000).await?;
    let id = up.upload_id.as_str();
    let small = s.upload_part(to(id, 1), body(&[b"tiny"]), 1).await?;
    let big = s
        .upload_part(to(id, 2), body(&[&[7u8; 102_400]]), 1)
        .await?;
    let last = s.upload_part(to(id, 3), body(&[b"end"]), 1).await?;
    let err = |r: Result<_, StoreError>| r.err().map(|e| e.to_string());
    let order = s.complete_multipart(complete(id, &[&big, &small]), 2).await;
    assert!(
        matches!(order, Err(StoreError::InvalidPartOrder)),
        "{:?}",
        err(order)
    );
    let mut wrong = complete(id, &[&big]);
    wrong.parts = Some(vec![(2, "0123456789ABCDEF0123456789ABCDEF".into())]);
    assert!(matches!(
        s.complete_multipart(wrong, 2).await,
        Err(StoreError::InvalidPart)
    ));
    let mut unknown = complete(id, &[&big]);
    unknown.parts = Some(vec![(9, big.etag.clone())]);
    assert!(matches!(
        s.complete_multipart(unknown, 2).await,
        Err(StoreError::InvalidPart)
    ));
    let mut empty = complete(id, &[]);
    empty.parts = Some(vec![]);
    assert!(matches!(
        s.complete_multipart(empty, 2).await,
        Err(StoreError::InvalidPart)
    ));
    let too_small = s.complete_multipart(complete(id, &[&small, &big]), 2).await;
    assert!(matches!(too_small, Err(StoreError::EntityTooSmall)));
    let bad_number = s.upload_part(to(id, 10_001), body(&[b"x"]), 1).await;
    assert!(matches!(bad_number, Err(StoreError::InvalidArgument(_))));
    // Parts 2 and 3 only: part 1 is unused and reclaimed with the commit.
    let obj = s
        .complete_multipart(complete(id, &[&big, &last]), 2)
        .await?;
    assert_eq!(obj.size, 102_403);
    assert_eq!(r.blob_count().await?, 2);
    assert!(!r.has_blob(&small.blob).await?);
    Ok(())
}

#[tokio::test]
async fn complete_all_uses_every_part_in_order() -> TestResult {
    let r = rig(VersioningState::Disabled).await?;
    let s = &r.store;
    let up = s.initiate_multipart(spec(KEY), 1000).await?;
    let id = up.upload_id.as_str();
    s.upload_part(to(id, 2), body(&[b"tail"]), 1).await?;
    s.upload_part(to(id, 1), body(&[&[1u8; 102_400]]), 1)
        .await?;
    let mut all = complete(id, &[]);
    all.parts = None;
    all.acl = Some(ObjectAcl::PublicRead);
    let obj = s.complete_multipart(all, 2).await?;
    assert_eq!(obj.size, 102_404);
    assert_eq!(obj.acl, ObjectAcl::PublicRead);
    assert!(obj.etag.ends_with("-2"));
    Ok(())
}

#[tokio::test]
async fn abort_reclaims_parts() -> TestResult {
    let r = rig(VersioningState::Disabled).await?;
    let s = &r.store;
    let up = s.initiate_multipart(spec(KEY), 1000).await?;
    let id = up.upload_id.as_str();
    s.upload_part(to(id, 1), body(&[b"one"]), 1).await?;
    s.upload_part(to(id, 2), body(&[b"two"]), 1).await?;
    assert_eq!(r.blob_count().await?, 2);
    s.abort_multipart("b", KEY, id).await?;
    assert_eq!(r.blob_count().await?, 0);
    let again = s.abort_multipart("b", KEY, id).await;
    assert!(matches!(again, Err(StoreError::NoSuchUpload)));
    let late = s.upload_part(to(id, 3), body(&[b"three"]), 1).await;
    assert!(matches!(late, Err(StoreError::NoSuchUpload)));
    assert_eq!(
        r.blob_count().await?,
        0,
        "a part for a gone upload is discarded"
    );
    Ok(())
}

#[tokio::test]
async fn forbid_overwrite_and_overwrite_reclaim() -> TestResult {
    let r = rig(VersioningState::Disabled).await?;
    let s = &r.store;
    r.put(KEY, b"0123456789-existing").await?;
    let mut forbid = spec(KEY);
    forbid.forbid_overwrite = true;
    let refused = s.initiate_multipart(forbid, 1).await;
    assert!(matches!(refused, Err(StoreError::FileAlreadyExists)));
    let up = s.initiate_multipart(spec(KEY), 1000).await?;
    let p = s
        .upload_part(to(&up.upload_id, 1), body(&[b"new data"]), 1)
        .await?;
    let mut req = complete(&up.upload_id, &[&p]);
    req.forbid_overwrite = true;
    let refused = s.complete_multipart(req, 2).await;
    assert!(matches!(refused, Err(StoreError::FileAlreadyExists)));
    // The upload survives a refused completion.
    s.complete_multipart(complete(&up.upload_id, &[&p]), 2)
        .await?;
    assert_eq!(
        r.blob_count().await?,
        1,
        "the replaced object's blob is reclaimed"
    );
    r.put(KEY, b"plain again, long enough").await?;
    assert_eq!(
        r.blob_count().await?,
        1,
        "the multipart object's blobs are reclaimed"
    );
    Ok(())
}

#[tokio::test]
async fn upload_part_copy_from_an_old_version_with_range() -> TestResult {
    let r = rig(VersioningState::Enabled).await?;
    let s = &r.store;
    let v1 = r.put("src", b"0123456789abcdef").await?;
    r.put("src", b"something else entirely").await?;
    let up = s.initiate_multipart(spec(KEY), 1000).await?;
    let source = s.resolve("b", "src", Some(&v1.version_id)).await?.data;
    let part = s
        .upload_part_copy(&source, Some((2, 5)), to(&up.upload_id, 1), 1)
        .await?;
    assert_eq!(part.size, 4);
    let whole = s
        .upload_part_copy(&source, None, to(&up.upload_id, 2), 1)
        .await;
    assert_eq!(whole?.size, 16);
    let bad = s
        .upload_part_copy(&source, Some((3, 16)), to(&up.upload_id, 3), 1)
        .await;
    assert!(matches!(bad, Err(StoreError::InvalidArgument(_))));
    let obj = s
        .complete_multipart(complete(&up.upload_id, &[&part]), 2)
        .await?;
    assert_eq!(read_record(s, &obj).await?, b"2345");
    assert_eq!(
        obj.version_id.len(),
        32,
        "a new version in an Enabled bucket"
    );
    Ok(())
}
