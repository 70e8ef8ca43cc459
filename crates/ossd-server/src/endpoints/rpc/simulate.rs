//! The bucket of a SimulatePrincipalPolicy (docs/protocol/ram.md#simulateprincipalpolicy-ossd-extension):
//! for an `oss:` action on `acs:oss:*:<account>:<bucket>[/<key>]` the endpoint loads what a real
//! request to that bucket is authorized with — the bucket's owner, its bucket policy and the
//! ACL's verdict (the object's own ACL when the object exists, else the bucket's), computed by
//! the same [`acl_allows`] the request pipeline uses — so that `ossd-iam` evaluates the
//! simulation as it does the request (docs/protocol/authorization.md#oss-request-authorization).

use ossd_iam::{ActionError, IamError, SimulatedBucket, Simulation};
use ossd_policy::AclGrant;
use ossd_proto::dialect::Dialect;
use ossd_store::StoreError;

use crate::AppState;
use crate::pipeline::auth::{Resource, acl_allows};

/// Completes simulations from the server's store.
pub(crate) struct Buckets<'a>(pub(crate) &'a AppState);

impl ossd_rpc::Enrich for Buckets<'_> {
    async fn simulation(&self, sim: &mut Simulation) -> Result<(), ActionError> {
        let Some((name, key)) = sim.oss_target() else {
            return Ok(());
        };
        let state = self.0;
        let Some(bucket) = state.store.buckets().get(name).await.map_err(backend)? else {
            // Every request but PutBucket (which creates it) is answered NoSuchBucket.
            if !sim.action.eq_ignore_ascii_case("oss:PutBucket") {
                sim.bucket = Some(SimulatedBucket::Missing);
            }
            return Ok(());
        };
        let policy = crate::handlers::bucket_policy::load(state, name)
            .await
            .map_err(backend)?;
        let object_acl = match key {
            Some(key) => state
                .store
                .object_meta(name, key, None)
                .await
                .map_err(backend)?
                .filter(|r| !r.delete_marker)
                .map(|r| r.acl),
            None => None,
        };
        let res = Resource {
            bucket: Some(&bucket),
            key,
            object_acl,
            bucket_policy: policy.as_deref(),
            versioned: false,
            object_tags: None,
        };
        let acl_allows = acl_allows(acl_grant(&sim.action), res, Dialect::Oss);
        sim.bucket = Some(SimulatedBucket::Found {
            owner: bucket.owner.clone(),
            policy,
            acl_allows,
        });
        Ok(())
    }
}

/// What the canned ACLs grant for RAM action `action` (the first row of the OSS action map
/// with that action or version action; none: never).
fn acl_grant(action: &str) -> AclGrant {
    ossd_policy::oss_actions()
        .iter()
        .find(|row| {
            row.action.eq_ignore_ascii_case(action)
                || row
                    .version_action
                    .is_some_and(|v| v.eq_ignore_ascii_case(action))
        })
        .map_or(AclGrant::Never, |row| row.acl)
}

/// A store failure while loading the bucket: logged, and answered as the identity store's.
fn backend(e: StoreError) -> ActionError {
    tracing::error!(error = %ossd_meta::ErrorChain(&e), "loading a simulation's bucket");
    match e {
        StoreError::Meta(m) => ActionError::Backend(m.into()),
        _ => ActionError::Backend(IamError::TooManyConflicts("SimulatePrincipalPolicy")),
    }
}
