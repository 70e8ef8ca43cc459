//! Authentication (who signed this request) and authorization (may they do this). Every request
//! passes through [`authorize`], the one decision point the RAM policy engine will fill in.

use ossd_meta::BucketRecord;
use ossd_proto::error::OssError;
use ossd_proto::op::Operation;
use ossd_sig::{AuthRequest, SigningView};
use ossd_types::{BucketAcl, ObjectAcl};
use subtle::ConstantTimeEq;
use time::OffsetDateTime;

/// Who is making a request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Principal {
    /// No credentials.
    Anonymous,
    /// The account's root identity.
    Root {
        /// Account id.
        account: String,
        /// The AccessKey used.
        access_key_id: String,
    },
}

impl Principal {
    /// A short label for logs (never a secret).
    pub fn label(&self) -> String {
        match self {
            Principal::Anonymous => "anonymous".to_owned(),
            Principal::Root { access_key_id, .. } => format!("root:{access_key_id}"),
        }
    }
}

/// The AccessKeys this server accepts. Today: the root pair.
pub struct Credentials {
    account: String,
    root_id: String,
    root_secret: String,
}

impl std::fmt::Debug for Credentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Credentials")
            .field("root_id", &self.root_id)
            .finish_non_exhaustive()
    }
}

impl Credentials {
    /// The root AccessKey pair of `account`.
    pub fn new(account: String, root_id: String, root_secret: String) -> Self {
        Self {
            account,
            root_id,
            root_secret,
        }
    }

    /// The secret and principal of an AccessKey id, compared in constant time.
    fn lookup(&self, access_key_id: &str) -> Option<(&str, Principal)> {
        let same: bool = self
            .root_id
            .as_bytes()
            .ct_eq(access_key_id.as_bytes())
            .into();
        same.then(|| {
            let p = Principal::Root {
                account: self.account.clone(),
                access_key_id: self.root_id.clone(),
            };
            (self.root_secret.as_str(), p)
        })
    }
}

/// Verifies the request's signature (if any) and returns who made it.
pub fn authenticate(
    creds: &Credentials,
    view: &SigningView<'_>,
    now: OffsetDateTime,
) -> Result<Principal, OssError> {
    let Some(auth) = ossd_sig::parse(view).map_err(|e| crate::errors::sig_error(&e, None))? else {
        return Ok(Principal::Anonymous);
    };
    let Some((secret, principal)) = creds.lookup(&auth.access_key_id) else {
        return Err(OssError::invalid_access_key_id(&auth.access_key_id));
    };
    verify(&auth, view, secret, now)?;
    Ok(principal)
}

fn verify(
    auth: &AuthRequest,
    view: &SigningView<'_>,
    secret: &str,
    now: OffsetDateTime,
) -> Result<(), OssError> {
    ossd_sig::verify(auth, view, secret, now)
        .map_err(|e| crate::errors::sig_error(&e, Some(&auth.access_key_id)))
}

/// What an authorization decision looks at besides the principal and the operation.
#[derive(Debug, Clone, Copy)]
pub struct Resource<'a> {
    /// The bucket, when it exists.
    pub bucket: Option<&'a BucketRecord>,
    /// The object's own ACL, when the operation addresses an existing object.
    pub object_acl: Option<ObjectAcl>,
}

/// The one authorization decision. Root may do everything on its account's buckets; anonymous
/// callers get what the effective ACL grants (spec section 13).
pub fn authorize(principal: &Principal, op: Operation, res: Resource<'_>) -> Result<(), OssError> {
    match principal {
        Principal::Root { account, .. } => match res.bucket {
            Some(b) if &b.owner != account => Err(OssError::access_denied(
                "You have no right to access this bucket.",
            )),
            _ => Ok(()),
        },
        Principal::Anonymous => anonymous(op, res),
    }
}

fn anonymous(op: Operation, res: Resource<'_>) -> Result<(), OssError> {
    let Some(bucket) = res.bucket else {
        return Err(OssError::access_denied(
            "Anonymous access is forbidden for this operation.",
        ));
    };
    let acl = bucket
        .acl
        .effective(res.object_acl.unwrap_or(ObjectAcl::Default));
    use Operation::*;
    let allowed = match op {
        GetObject | HeadObject | GetObjectMeta | GetSymlink => acl != BucketAcl::Private,
        ListObjects | ListObjectsV2 => bucket.acl != BucketAcl::Private,
        PutObject | AppendObject | DeleteObject | CopyObject | PutSymlink => {
            acl == BucketAcl::PublicReadWrite
        }
        _ => false,
    };
    if allowed {
        Ok(())
    } else if res.object_acl.is_some() {
        Err(OssError::access_denied(
            "You have no right to access this object because of bucket acl.",
        ))
    } else {
        Err(OssError::access_denied(
            "Anonymous user has no right to access this bucket.",
        ))
    }
}
