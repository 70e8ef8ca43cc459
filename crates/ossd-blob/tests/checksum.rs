//! CRC-64/XZ, its combine, and the one-pass digests, against the TV19 vectors
//! (docs/protocol/objects.md#checksum-test-vectors) and one-shot results.
#![allow(clippy::unwrap_used)]

mod common;

use md5::{Digest, Md5};
use ossd_blob::{Checksums, Crc64, Digests, crc64, crc64_combine};

#[test]
fn tv19_crc64_values() {
    assert_eq!(crc64(b"hello world"), 5981764153023615706);
    assert_eq!(crc64(b"123456789"), 11051210869376104954);
    assert_eq!(crc64(b"123456789"), 0x995d_c9bb_df19_39fa);
    assert_eq!(crc64(b""), 0);
    assert_eq!(crc64(&[b'a'; 102400]), 12696911168479852064);
    assert_eq!(crc64(b"hello "), 1796661072844795914);
    assert_eq!(crc64(b"world"), 4472352582074980600);
    assert_eq!(crc64(b"abc"), 3231342946509354535);
}

#[test]
fn tv19_combine_values() {
    let abc_def = crc64_combine(crc64(b"abc"), crc64(b"def"), 3);
    assert_eq!(abc_def, 15028124401329963252);
    let hello_world = crc64_combine(crc64(b"hello "), crc64(b"world"), 5);
    assert_eq!(hello_world, 5981764153023615706);
    let parts = crc64_combine(12696911168479852064, crc64(&[b'b'; 10]), 10);
    assert_eq!(parts, 88389505591002533);
}

#[test]
fn combine_with_empty_sides() {
    let c = crc64(b"hello world");
    assert_eq!(crc64_combine(c, crc64(b""), 0), c);
    assert_eq!(crc64_combine(crc64(b""), c, 11), c);
}

#[test]
fn combine_matches_one_shot_at_any_split() {
    let data = common::body(300_000, 7);
    for split in [0, 1, 15, 16, 17, 4096, 150_000, 299_999, 300_000] {
        let (a, b) = data.split_at(split);
        let combined = crc64_combine(crc64(a), crc64(b), b.len() as u64);
        assert_eq!(combined, crc64(&data), "split at {split}");
    }
}

#[test]
fn streaming_crc_matches_one_shot() {
    let data = common::body(1 << 20, 3);
    for chunk in [1, 7, 4096, 65_537, 1 << 20] {
        let mut crc = Crc64::new();
        data.chunks(chunk).for_each(|c| crc.update(c));
        assert_eq!(crc.finish(), crc64(&data), "chunks of {chunk}");
    }
    assert_eq!(Crc64::default().finish(), 0);
}

#[test]
fn digests_match_separate_hashes() {
    let data = common::body(3 * 16 * 1024 + 5, 11);
    for chunk in [1, 100, 16 * 1024, 16 * 1024 + 1, data.len()] {
        let mut digests = Digests::new();
        data.chunks(chunk).for_each(|c| digests.update(c));
        assert_eq!(digests.size(), data.len() as u64);
        let sums = digests.finish();
        assert_eq!(sums.md5, <[u8; 16]>::from(Md5::digest(&data)));
        assert_eq!(sums.crc64, crc64(&data));
        assert_eq!(sums, Checksums::of(&data));
    }
}

#[test]
fn tv19_md5_values() {
    let hello = Checksums::of(b"hello world");
    assert_eq!(
        hex::encode_upper(hello.md5),
        "5EB63BBBE01EEED093CB22BB8F5ACDC3"
    );
    let empty = Checksums::of(b"");
    assert_eq!(
        hex::encode_upper(empty.md5),
        "D41D8CD98F00B204E9800998ECF8427E"
    );
    assert_eq!((empty.size, empty.crc64), (0, 0));
}
