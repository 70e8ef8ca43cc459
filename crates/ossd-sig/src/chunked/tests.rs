//! The decoder against the captured bodies and signed examples of
//! docs/protocol/s3-chunked.md#test-vectors, every limit, every split, and random input.

use proptest::prelude::*;

use super::*;

const DATE: &str = "20130524T000000Z";
const SCOPE: &str = "20130524/us-east-1/s3/aws4_request";
/// The test vectors' secret.
const SK: &str = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
/// The AWS documentation's secret.
const DOC_SK: &str = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";

/// The AWS SigV4 signing key for `SCOPE` (`AWS4` + secret, date, region, `s3`, `aws4_request`).
fn aws_key(secret: &str) -> [u8; 32] {
    let k = hmac_sha256(format!("AWS4{secret}").as_bytes(), b"20130524");
    let k = hmac_sha256(&k, b"us-east-1");
    let k = hmac_sha256(&k, b"s3");
    hmac_sha256(&k, b"aws4_request")
}

fn signing(secret: &str, seed: &str) -> ChunkSigning {
    ChunkSigning::new(aws_key(secret), DATE, SCOPE, seed)
}

/// Decodes `body` pushed in the pieces that `cuts` (ascending offsets) make.
fn decode_split(
    make: &dyn Fn() -> ChunkDecoder,
    body: &[u8],
    cuts: &[usize],
) -> Result<(Vec<u8>, Trailers), ChunkError> {
    let mut d = make();
    let body = Bytes::copy_from_slice(body);
    let mut out = Vec::new();
    let mut start = 0;
    for &cut in cuts.iter().chain(std::iter::once(&body.len())) {
        let cut = cut.clamp(start, body.len());
        d.push(&body.slice(start..cut), &mut out)?;
        start = cut;
    }
    let trailers = d.finish()?;
    Ok((out.concat(), trailers))
}

/// Decodes `body` whole, split in two at every offset, and byte by byte; all must agree.
fn decode_all_ways(
    make: &dyn Fn() -> ChunkDecoder,
    body: &[u8],
) -> Result<(Vec<u8>, Trailers), ChunkError> {
    let whole = decode_split(make, body, &[]);
    for i in 0..=body.len() {
        assert_eq!(decode_split(make, body, &[i]), whole, "split at {i}");
    }
    let every: Vec<usize> = (1..body.len()).collect();
    assert_eq!(decode_split(make, body, &every), whole, "byte by byte");
    whole
}

fn crc32(v: &str) -> Option<Checksum> {
    Checksum::from_base64(ChecksumAlgorithm::Crc32, v).ok()
}

const BOTO3: &[u8] = b"b\r\nhello world\r\n0\r\nx-amz-checksum-crc32:DUoRhQ==\r\n\r\n";
const SDK_V3: &[u8] = b"c\r\nhello stream\r\n0\r\nx-amz-checksum-crc32:gtnkmQ==\r\n\r\n";

fn unsigned_crc32(len: Option<u64>) -> impl Fn() -> ChunkDecoder {
    move || ChunkDecoder::new(ChunkedMode::Unsigned, Some(ChecksumAlgorithm::Crc32), len)
}

#[test]
fn unsigned_trailer_boto3() {
    let (data, trailers) = decode_all_ways(&unsigned_crc32(Some(11)), BOTO3).unwrap();
    assert_eq!(data, b"hello world");
    assert_eq!(trailers.checksum, crc32("DUoRhQ=="));
    assert_eq!(
        trailers.fields,
        vec![("x-amz-checksum-crc32".to_owned(), "DUoRhQ==".to_owned())]
    );
}

#[test]
fn unsigned_trailer_sdk_v3_without_decoded_length() {
    let (data, trailers) = decode_all_ways(&unsigned_crc32(None), SDK_V3).unwrap();
    assert_eq!(data, b"hello stream");
    assert_eq!(trailers.checksum, crc32("gtnkmQ=="));
}

#[test]
fn unsigned_without_trailer_ignores_extensions() {
    let make = || ChunkDecoder::new(ChunkedMode::Unsigned, None, Some(5));
    let (data, trailers) = decode_all_ways(&make, b"5;foo=bar\r\nhello\r\n0\r\n\r\n").unwrap();
    assert_eq!(data, b"hello");
    assert_eq!(trailers, Trailers::default());
}

#[test]
fn unsigned_checksum_mismatch() {
    let body = b"b\r\nhello World\r\n0\r\nx-amz-checksum-crc32:DUoRhQ==\r\n\r\n";
    let err = decode_split(&unsigned_crc32(Some(11)), body, &[]).unwrap_err();
    let ChunkError::ChecksumMismatch(m) = err else {
        panic!("{err:?}")
    };
    assert_eq!(m.algorithm, ChecksumAlgorithm::Crc32);
    assert_eq!(m.expected, "DUoRhQ==");
    assert_eq!(
        m.computed,
        ChecksumAlgorithm::Crc32
            .checksum(b"hello World")
            .to_base64()
    );
}

#[test]
fn trailer_errors() {
    let make = unsigned_crc32(None);
    let cases: [(&[u8], ChunkError); 6] = [
        (
            b"1\r\na\r\n0\r\n\r\n",
            ChunkError::MissingTrailer("x-amz-checksum-crc32"),
        ),
        (
            b"1\r\na\r\n0\r\nx-amz-checksum-sha1:x\r\n\r\n",
            ChunkError::UndeclaredTrailer("x-amz-checksum-sha1".into()),
        ),
        (
            b"1\r\na\r\n0\r\nx-amz-checksum-crc32:AAAA\r\n\r\n",
            ChunkError::InvalidChecksum(ChecksumAlgorithm::Crc32),
        ),
        (
            b"1\r\na\r\n0\r\nno colon\r\n\r\n",
            ChunkError::MalformedTrailer,
        ),
        (b"1\r\na\r\n0\r\nx:y\n\r\n", ChunkError::MalformedTrailer),
        (
            b"1\r\na\r\n0\r\nx-amz-trailer-signature:00\r\n\r\n",
            ChunkError::UndeclaredTrailer(TRAILER_SIGNATURE.into()),
        ),
    ];
    for (body, want) in cases {
        assert_eq!(decode_split(&make, body, &[]), Err(want), "{body:?}");
    }
    let dup =
        b"1\r\na\r\n0\r\nx-amz-checksum-crc32:6Hr6bg==\r\nX-Amz-Checksum-Crc32:6Hr6bg==\r\n\r\n";
    assert_eq!(
        decode_split(&make, dup, &[]),
        Err(ChunkError::DuplicateTrailer("x-amz-checksum-crc32".into()))
    );
}

#[test]
fn framing_errors() {
    let make = || ChunkDecoder::new(ChunkedMode::Unsigned, None, None);
    let cases: [(&[u8], ChunkError); 7] = [
        (b"\r\n", ChunkError::MalformedChunkHeader),
        (b"z\r\n", ChunkError::MalformedChunkHeader),
        (b"+1\r\na\r\n", ChunkError::MalformedChunkHeader),
        (b"00000000000000001\r\n", ChunkError::MalformedChunkHeader),
        (b"1\na\r\n", ChunkError::MalformedChunkHeader),
        (b"1\r\nab\r\n", ChunkError::MissingCrlf),
        (b"0\r\n\r\nx", ChunkError::TrailingData),
    ];
    for (body, want) in cases {
        assert_eq!(decode_split(&make, body, &[]), Err(want), "{body:?}");
    }
}

#[test]
fn every_truncation_is_incomplete() {
    for i in 0..BOTO3.len() {
        let got = decode_split(&unsigned_crc32(Some(11)), &BOTO3[..i], &[]);
        assert_eq!(got, Err(ChunkError::Incomplete), "truncated at {i}");
    }
}

#[test]
fn decoded_length() {
    let short = decode_split(&unsigned_crc32(Some(12)), BOTO3, &[]);
    assert_eq!(
        short,
        Err(ChunkError::DecodedLengthMismatch {
            declared: 12,
            decoded: 11
        })
    );
    // Too many bytes are refused at the chunk header, before any of its data is passed on.
    let mut d = unsigned_crc32(Some(10))();
    let mut out = Vec::new();
    let got = d.push(&Bytes::from_static(b"b\r\nhello"), &mut out);
    assert_eq!(
        got,
        Err(ChunkError::DecodedLengthMismatch {
            declared: 10,
            decoded: 11
        })
    );
    assert!(out.is_empty());
    assert_eq!(
        d.push(&Bytes::from_static(b" world"), &mut out),
        Err(ChunkError::Failed)
    );
    assert_eq!(d.finish(), Err(ChunkError::Failed));
}

#[test]
fn limits() {
    let make = || ChunkDecoder::new(ChunkedMode::Unsigned, None, None);
    // A header line of exactly the limit is accepted; one byte more is not.
    let ext = "x".repeat(MAX_CHUNK_LINE - 2);
    let ok = format!("1;{ext}\r\na\r\n0\r\n\r\n");
    assert!(decode_split(&make, ok.as_bytes(), &[]).is_ok());
    let long = format!("1;{ext}x\r\na\r\n0\r\n\r\n");
    assert_eq!(
        decode_split(&make, long.as_bytes(), &[7]),
        Err(ChunkError::ChunkHeaderTooLong)
    );
    // An endless header line fails once it passes the limit, without a CRLF.
    let endless = vec![b'1'; MAX_CHUNK_LINE + 3];
    assert_eq!(
        decode_split(&make, &endless, &[]),
        Err(ChunkError::ChunkHeaderTooLong)
    );
    // Chunk size.
    let max = format!("{MAX_CHUNK_SIZE:x}\r\n");
    let mut d = make();
    assert_eq!(d.push(&Bytes::from(max), &mut Vec::new()), Ok(()));
    let over = format!("{:x}\r\n", MAX_CHUNK_SIZE + 1);
    assert_eq!(
        decode_split(&make, over.as_bytes(), &[]),
        Err(ChunkError::ChunkTooLarge(MAX_CHUNK_SIZE + 1))
    );
    // Trailer lines and bytes.
    let many = |n: usize| -> Vec<u8> {
        let mut body = b"0\r\n".to_vec();
        for _ in 0..n {
            body.extend_from_slice(b"x-amz-checksum-crc32:AAAAAA==\r\n");
        }
        body.extend_from_slice(b"\r\n");
        body
    };
    let crc = unsigned_crc32(None);
    assert_eq!(
        decode_split(&crc, &many(2), &[]),
        Err(ChunkError::DuplicateTrailer("x-amz-checksum-crc32".into()))
    );
    let lines = (0..=MAX_TRAILER_LINES)
        .map(|i| format!("x-amz-checksum-crc32:{i}\r\n"))
        .collect::<String>();
    let d = ChunkDecoder::new(ChunkedMode::Unsigned, Some(ChecksumAlgorithm::Crc32), None);
    let mut d = d;
    d.trailers = (0..MAX_TRAILER_LINES)
        .map(|i| (format!("t{i}"), String::new()))
        .collect();
    d.state = State::Trailer;
    assert_eq!(
        d.push(&Bytes::from(lines), &mut Vec::new()),
        Err(ChunkError::TooManyTrailers)
    );
    let big = format!(
        "0\r\nx-amz-checksum-crc32:{}\r\n\r\n",
        "A".repeat(MAX_TRAILER_BYTES)
    );
    assert_eq!(
        decode_split(&crc, big.as_bytes(), &[]),
        Err(ChunkError::TrailerTooLarge)
    );
}

/// Signed chunks of 16 and 5 bytes.
const SIGNED_SEED: &str = "3d4f1b5abdb073ede54b04338771725ec5a2e9b451b44466af2ac314987c7f59";
const SIGNED: &str = "10;chunk-signature=bb5e47bd7c77b0a654255f84549b9d15df79aa5817ceb354dcdf5634e626a97e\r\n\
hello world, chu\r\n\
5;chunk-signature=f5df2d91c5fdb5d1427d39e14d34e9dcfd8fc8a091e75c9aaf697e7f706263e7\r\n\
nked!\r\n\
0;chunk-signature=159aba208cb15a3733d8da7a9df53b334fcf312389a4df9b4cdab505c5726e2e\r\n\
\r\n";

fn signed_decoder() -> ChunkDecoder {
    ChunkDecoder::new(
        ChunkedMode::Signed(signing(SK, SIGNED_SEED)),
        None,
        Some(21),
    )
}

#[test]
fn signed_chunks() {
    assert_eq!(SIGNED.len(), 280);
    let (data, trailers) = decode_all_ways(&signed_decoder, SIGNED.as_bytes()).unwrap();
    assert_eq!(data, b"hello world, chunked!");
    assert_eq!(trailers, Trailers::default());
}

#[test]
fn signed_chunk_data_is_held_until_verified() {
    let mut d = signed_decoder();
    let mut out = Vec::new();
    let body = Bytes::from_static(SIGNED.as_bytes());
    // Everything but the last byte of the first chunk's data.
    d.push(&body.slice(..100), &mut out).unwrap();
    assert!(out.is_empty());
    d.push(&body.slice(100..101), &mut out).unwrap();
    assert_eq!(out.concat(), b"hello world, chu");
}

#[test]
fn signed_chunk_errors() {
    let tampered = SIGNED.replace("nked!", "nked?");
    assert_eq!(
        decode_split(&signed_decoder, tampered.as_bytes(), &[]),
        Err(ChunkError::ChunkSignatureMismatch)
    );
    // Chunks in the wrong order break the chain.
    let (first, rest) = SIGNED.split_at(SIGNED.find("5;").unwrap_or(0));
    let (second, last) = rest.split_at(rest.find("0;").unwrap_or(0));
    let swapped = format!("{second}{first}{last}");
    assert_eq!(
        decode_split(&signed_decoder, swapped.as_bytes(), &[]),
        Err(ChunkError::ChunkSignatureMismatch)
    );
    let wrong_seed = || {
        ChunkDecoder::new(
            ChunkedMode::Signed(signing(SK, &"0".repeat(64))),
            None,
            None,
        )
    };
    assert_eq!(
        decode_split(&wrong_seed, SIGNED.as_bytes(), &[]),
        Err(ChunkError::ChunkSignatureMismatch)
    );
    assert_eq!(
        decode_split(&signed_decoder, b"5\r\nhello\r\n", &[]),
        Err(ChunkError::MissingChunkSignature)
    );
    assert_eq!(
        decode_split(&signed_decoder, b"5;chunk-signature=abc\r\nhello\r\n", &[]),
        Err(ChunkError::MalformedChunkHeader)
    );
    // The final chunk's signature counts too.
    let bad_final = SIGNED.replace("159aba20", "159aba21");
    assert_eq!(
        decode_split(&signed_decoder, bad_final.as_bytes(), &[]),
        Err(ChunkError::ChunkSignatureMismatch)
    );
    // A trailer where none is declared.
    let with_trailer = SIGNED.replace("\r\n\r\n", "\r\nx-amz-checksum-crc32:IhQVqQ==\r\n\r\n");
    assert!(matches!(
        decode_split(&signed_decoder, with_trailer.as_bytes(), &[]),
        Err(ChunkError::UndeclaredTrailer(_))
    ));
}

/// Signed chunks and a signed CRC32 trailer.
const SIGNED_TRAILER_SEED: &str =
    "4ede9a05961bb0a1f92b9e08c447df9706aff55b61f04ff6f88d74eb6c2ba9e9";
const SIGNED_TRAILER: &str = "10;chunk-signature=e63e9258f2ed66be0c8cd2e73a3d1a51fe4150a456116691bd344076d96b5ce5\r\n\
hello world, chu\r\n\
5;chunk-signature=f24f54f904ea466495074cc5842ab696e9530fe2a692795c93310cfbdc11da1b\r\n\
nked!\r\n\
0;chunk-signature=0f0010482bc54da1b1155a51cb570b20bb566bd02ceb25677cd188243ef9b2ef\r\n\
x-amz-checksum-crc32:IhQVqQ==\r\n\
x-amz-trailer-signature:94fcf232bf4fe00ef995ba87611f63128d30766854a7943d5ee8893edefc2ac0\r\n\
\r\n";

fn signed_trailer_decoder() -> ChunkDecoder {
    ChunkDecoder::new(
        ChunkedMode::SignedTrailer(signing(SK, SIGNED_TRAILER_SEED)),
        Some(ChecksumAlgorithm::Crc32),
        Some(21),
    )
}

#[test]
fn signed_chunks_and_trailer() {
    assert_eq!(SIGNED_TRAILER.len(), 401);
    let (data, trailers) =
        decode_all_ways(&signed_trailer_decoder, SIGNED_TRAILER.as_bytes()).unwrap();
    assert_eq!(data, b"hello world, chunked!");
    assert_eq!(trailers.checksum, crc32("IhQVqQ=="));
}

#[test]
fn signed_trailer_errors() {
    let bad_sig = SIGNED_TRAILER.replace("94fcf232", "94fcf233");
    assert_eq!(
        decode_split(&signed_trailer_decoder, bad_sig.as_bytes(), &[]),
        Err(ChunkError::TrailerSignatureMismatch)
    );
    let unsigned = SIGNED_TRAILER.replace(
        "x-amz-trailer-signature:94fcf232bf4fe00ef995ba87611f63128d30766854a7943d5ee8893edefc2ac0\r\n",
        "",
    );
    assert_eq!(
        decode_split(&signed_trailer_decoder, unsigned.as_bytes(), &[]),
        Err(ChunkError::MissingTrailerSignature)
    );
    // A trailer value changed: the signature no longer covers it.
    let changed = SIGNED_TRAILER.replace("IhQVqQ==", "AAAAAA==");
    assert_eq!(
        decode_split(&signed_trailer_decoder, changed.as_bytes(), &[]),
        Err(ChunkError::TrailerSignatureMismatch)
    );
    let after_signature =
        SIGNED_TRAILER.replace("\r\n\r\n", "\r\nx-amz-checksum-crc32:IhQVqQ==\r\n\r\n");
    assert_eq!(
        decode_split(&signed_trailer_decoder, after_signature.as_bytes(), &[]),
        Err(ChunkError::MalformedTrailer)
    );
}

/// The AWS documentation's examples: 65536 and 1024 bytes of `a`.
fn doc_body(signatures: [&str; 3], trailer: &str) -> Vec<u8> {
    let mut body = Vec::new();
    for (size, sig) in [(65536usize, signatures[0]), (1024, signatures[1])] {
        body.extend_from_slice(format!("{size:x};chunk-signature={sig}\r\n").as_bytes());
        body.extend(std::iter::repeat_n(b'a', size));
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(
        format!("0;chunk-signature={}\r\n{trailer}\r\n", signatures[2]).as_bytes(),
    );
    body
}

#[test]
fn aws_documentation_examples() {
    let doc1 = doc_body(
        [
            "ad80c730a21e5b8d04586a2213dd63b9a0e99e0e2307b0ade35a65485a288648",
            "0055627c9e194cb4542bae2aa5492e3c1575bbb81b612b7d234b86a503ef5497",
            "b6c6ea8a5354eaf15b3cb7646744f4275b71ea724fed81ceb9323e279d449df9",
        ],
        "",
    );
    assert_eq!(doc1.len(), 66824);
    let seed = "4f232c4386841ef735655705268965c44a0e4690baa4adea153f7db9fa80a0a9";
    let make = || {
        ChunkDecoder::new(
            ChunkedMode::Signed(signing(DOC_SK, seed)),
            None,
            Some(66560),
        )
    };
    let (data, _) = decode_split(&make, &doc1, &[1, 100, 65000, 65600, 66700]).unwrap();
    assert_eq!(data, vec![b'a'; 66560]);

    let doc2 = doc_body(
        [
            "b474d8862b1487a5145d686f57f013e54db672cee1c953b3010fb58501ef5aa2",
            "1c1344b170168f8e65b41376b44b20fe354e373826ccbbe2c1d40a8cae51e5c7",
            "2ca2aba2005185cf7159c6277faf83795951dd77a3a99e6e65d5c9f85863f992",
        ],
        "x-amz-checksum-crc32c:sOO8/Q==\r\n\
         x-amz-trailer-signature:d81f82fc3505edab99d459891051a732e8730629a2e4a59689829ca17fe2e435\r\n",
    );
    assert_eq!(doc2.len(), 66946);
    let seed = "106e2a8a18243abcf37539882f36619c00e2dfc72633413f02d3b74544bfeb8e";
    let make = || {
        ChunkDecoder::new(
            ChunkedMode::SignedTrailer(signing(DOC_SK, seed)),
            Some(ChecksumAlgorithm::Crc32c),
            Some(66560),
        )
    };
    let (data, trailers) = decode_split(&make, &doc2, &[3, 65545, 66800]).unwrap();
    assert_eq!(data.len(), 66560);
    assert_eq!(
        trailers.checksum.map(|c| c.to_base64()).as_deref(),
        Some("sOO8/Q==")
    );
}

#[test]
fn streaming_payload_values() {
    for m in [
        StreamingPayload::UnsignedTrailer,
        StreamingPayload::Signed,
        StreamingPayload::SignedTrailer,
    ] {
        assert_eq!(StreamingPayload::from_content_sha256(m.as_str()), Some(m));
    }
    assert!(!StreamingPayload::UnsignedTrailer.is_signed());
    assert!(StreamingPayload::from_content_sha256("UNSIGNED-PAYLOAD").is_none());
    assert!(
        StreamingPayload::from_content_sha256("STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD").is_none()
    );
}

/// Encodes `data` as unsigned aws-chunked with a CRC32 trailer in chunks of `sizes` (cycled).
fn encode_unsigned(data: &[u8], sizes: &[usize]) -> Vec<u8> {
    let mut body = Vec::new();
    let mut rest = data;
    let mut i = 0;
    while !rest.is_empty() {
        let n = sizes[i % sizes.len()].clamp(1, rest.len());
        i += 1;
        let (chunk, tail) = rest.split_at(n);
        body.extend_from_slice(format!("{n:x}\r\n").as_bytes());
        body.extend_from_slice(chunk);
        body.extend_from_slice(b"\r\n");
        rest = tail;
    }
    let crc = ChecksumAlgorithm::Crc32.checksum(data).to_base64();
    body.extend_from_slice(format!("0\r\nx-amz-checksum-crc32:{crc}\r\n\r\n").as_bytes());
    body
}

proptest! {
    /// Arbitrary bytes in arbitrary pieces: an error or a result, never a panic.
    #[test]
    fn random_input_never_panics(
        body in proptest::collection::vec(any::<u8>(), 0..512),
        cuts in proptest::collection::vec(0usize..512, 0..8),
        signed in any::<bool>(),
    ) {
        let mut cuts = cuts;
        cuts.sort_unstable();
        let make = || if signed { signed_trailer_decoder() } else { unsigned_crc32(None)() };
        let _ = decode_split(&make, &body, &cuts);
    }

    /// A valid body mutated at one byte, in arbitrary pieces: never a panic, and never the
    /// original payload with a good result unless the change was harmless.
    #[test]
    fn mutated_bodies_never_panic(at in 0usize..SIGNED_TRAILER.len(), byte in any::<u8>(), cut in 0usize..401) {
        let mut body = SIGNED_TRAILER.as_bytes().to_vec();
        body[at] = byte;
        let got = decode_split(&signed_trailer_decoder, &body, &[cut]);
        if body != SIGNED_TRAILER.as_bytes() {
            // Only the case of hex digits and header whitespace may change without an error.
            if let Ok((data, _)) = got {
                prop_assert_eq!(data, b"hello world, chunked!".to_vec());
            }
        }
    }

    /// Any payload in any chunk sizes, pushed in any pieces, decodes to itself.
    #[test]
    fn round_trip(
        data in proptest::collection::vec(any::<u8>(), 0..2048),
        sizes in proptest::collection::vec(1usize..300, 1..6),
        cuts in proptest::collection::vec(0usize..2600, 0..10),
    ) {
        let body = encode_unsigned(&data, &sizes);
        let mut cuts = cuts;
        cuts.sort_unstable();
        let make = unsigned_crc32(Some(data.len() as u64));
        let (decoded, trailers) = decode_split(&make, &body, &cuts).map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert_eq!(decoded, data.clone());
        prop_assert_eq!(trailers.checksum, Some(ChecksumAlgorithm::Crc32.checksum(&data)));
    }
}
