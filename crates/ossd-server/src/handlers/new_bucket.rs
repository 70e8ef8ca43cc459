//! The settings a bucket is created with (docs/protocol/buckets.md#new-bucket-defaults): under
//! `--bucket-defaults cloud`, Block Public Access on, as OSS gives new buckets created through
//! the API since October 13, 2025 (OSS API reference, PutBucket; "Create buckets") and S3 since
//! April 2023, where new buckets also get Object Ownership `BucketOwnerEnforced` (S3 User Guide,
//! "Blocking public access to your Amazon S3 storage", "Setting Object Ownership when you
//! create a bucket"). Written with the bucket in one atomic step (`Buckets::create_with`).

use ossd_policy::PublicAccessBlock;
use ossd_proto::dialect::Dialect;
use ossd_proto::error::{OssCode, OssError};
use ossd_proto::xml::{ObjectOwnership, OwnershipControls, PublicAccessBlockConfiguration};
use ossd_store::InitialConfigs;
use ossd_types::BucketAcl;

use crate::BucketDefaults;

/// What a CreateBucket asks for beyond the record.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Request {
    /// The dialect it came in.
    pub dialect: Dialect,
    /// The bucket ACL it sets.
    pub acl: BucketAcl,
    /// Whether that ACL is public (S3's `authenticated-read` included).
    pub public_acl: bool,
    /// Its `x-amz-object-ownership`, checked (S3 only).
    pub ownership: Option<ObjectOwnership>,
}

/// The configuration documents the new bucket is created with under `defaults`, or the
/// refusal of the request:
/// - `cloud`: Block Public Access on (all four S3 settings; OSS's one flag is all four). A
///   request that itself sets a public ACL is refused with 403 `AccessDenied`, nothing created:
///   S3 documents it ("If you try to create a bucket with a public ACL, the request will fail",
///   S3 API reference, CreateBucket); OSS documents no exception for PutBucket's `x-oss-acl`,
///   so ossd answers the same (the bucket could not keep the ACL: "you cannot configure public
///   access permissions ... You can disable this feature after the bucket is created").
///   In the S3 dialect the bucket also gets `BucketOwnerEnforced` unless
///   `x-amz-object-ownership` names another setting; an ACL other than `private` then is 400
///   `InvalidBucketAclWithObjectOwnership`, as S3 answers.
/// - `open`: only what the request asks for (its `x-amz-object-ownership`).
pub(crate) fn configs(defaults: BucketDefaults, req: Request) -> Result<InitialConfigs, OssError> {
    let mut configs = InitialConfigs::default();
    let ownership = match (defaults, req.dialect, req.ownership) {
        (BucketDefaults::Cloud, Dialect::S3, None) => {
            if req.acl != BucketAcl::Private || req.public_acl {
                return Err(OssError::new(OssCode::InvalidBucketAclWithObjectOwnership));
            }
            Some(ObjectOwnership::BucketOwnerEnforced)
        }
        (_, _, asked) => asked,
    };
    if let Some(object_ownership) = ownership {
        configs = configs.with(&OwnershipControls { object_ownership });
    }
    if defaults == BucketDefaults::Cloud {
        if req.public_acl {
            return Err(OssError::access_denied(
                "Block Public Access is on for new buckets: create the bucket, turn Block \
                 Public Access off (PutBucketPublicAccessBlock), then set the public ACL.",
            ));
        }
        configs = configs.with(&PublicAccessBlockConfiguration(PublicAccessBlock::ALL));
    }
    Ok(configs)
}

/// The defaults of a bucket the emulator creates (`--dev`'s default bucket, a `--seed`
/// bucket, docs/emulator.md): as an OSS PutBucket under `defaults`, except that a seed bucket
/// declaring a public ACL keeps it with Block Public Access off (the seed states the bucket
/// public; it is the operator's declaration, not a client's request).
pub(crate) fn emulator_configs(defaults: BucketDefaults, acl: BucketAcl) -> InitialConfigs {
    if acl != BucketAcl::Private {
        return InitialConfigs::default();
    }
    let req = Request {
        dialect: Dialect::Oss,
        acl,
        public_acl: false,
        ownership: None,
    };
    // A private OSS bucket is never refused.
    configs(defaults, req).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use BucketDefaults::{Cloud, Open};
    use Dialect::{Oss, S3};

    /// How many documents the bucket gets, or the refusal's code.
    fn outcome(
        defaults: BucketDefaults,
        dialect: Dialect,
        acl: BucketAcl,
        ownership: Option<ObjectOwnership>,
    ) -> Result<usize, OssCode> {
        let req = Request {
            dialect,
            acl,
            public_acl: acl != BucketAcl::Private,
            ownership,
        };
        configs(defaults, req).map(|c| c.len()).map_err(|e| e.code)
    }

    #[test]
    fn open_stores_only_what_is_asked() {
        assert_eq!(outcome(Open, Oss, BucketAcl::PublicRead, None), Ok(0));
        let writer = Some(ObjectOwnership::ObjectWriter);
        assert_eq!(outcome(Open, S3, BucketAcl::Private, writer), Ok(1));
    }

    #[test]
    fn cloud_blocks_public_access_and_refuses_a_public_acl() {
        assert_eq!(outcome(Cloud, Oss, BucketAcl::Private, None), Ok(1));
        for acl in [BucketAcl::PublicRead, BucketAcl::PublicReadWrite] {
            assert_eq!(outcome(Cloud, Oss, acl, None), Err(OssCode::AccessDenied));
        }
    }

    #[test]
    fn cloud_s3_enforces_ownership_unless_asked_otherwise() {
        use ObjectOwnership::ObjectWriter;
        assert_eq!(outcome(Cloud, S3, BucketAcl::Private, None), Ok(2));
        assert_eq!(
            outcome(Cloud, S3, BucketAcl::PublicRead, None),
            Err(OssCode::InvalidBucketAclWithObjectOwnership)
        );
        assert_eq!(
            outcome(Cloud, S3, BucketAcl::PublicRead, Some(ObjectWriter)),
            Err(OssCode::AccessDenied)
        );
        assert_eq!(
            outcome(Cloud, S3, BucketAcl::Private, Some(ObjectWriter)),
            Ok(2)
        );
    }

    #[test]
    fn emulator_buckets_follow_the_defaults_unless_declared_public() {
        assert_eq!(emulator_configs(Cloud, BucketAcl::Private).len(), 1);
        assert_eq!(emulator_configs(Cloud, BucketAcl::PublicRead).len(), 0);
        assert_eq!(emulator_configs(Open, BucketAcl::Private).len(), 0);
    }
}
