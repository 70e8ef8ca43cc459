//! The RAM (`2015-05-01`) and STS (`2015-04-01`) RPC wire of ossd, and the AWS STS Query API
//! (`2011-06-15`, [`aws_sts`]) over the same typed STS API: which API a request's `Version`
//! names, its parameters into a typed call ([`ram_call::parse`], [`sts::parse`]) that
//! `ossd-iam` runs, and the one mapping of every failure at the RPC endpoint to the `Code`,
//! `Message`, HTTP status and `AccessDeniedDetail` clients see ([`error`], built from the
//! [`RpcCode`] of each failure). The server's `rpc` module is the HTTP glue around it.

// A `[dependencies]` entry that the non-test build does not use is an error.
#![cfg_attr(not(test), deny(unused_crate_dependencies))]

pub mod aws_sts;
pub mod code;
pub mod error;
pub mod json;
pub mod ram;
pub mod ram_call;
pub mod sts;

pub use code::{ParamCheck, RpcCode};
pub use error::{RpcFailure, WireError};

use ossd_iam::{
    ActionError, Caller, Iam, IssuedCredentials, RamAction, RamOutcome, StsAction, StsCall,
};
use ossd_policy::RequestContext;
use serde_json::Value;
use std::collections::BTreeMap;

/// The STS API version.
pub const STS_VERSION: &str = "2015-04-01";
/// The RAM API version.
pub const RAM_VERSION: &str = "2015-05-01";

/// The RPC API a request addresses (its `Version`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Service {
    /// STS, `2015-04-01`.
    Sts,
    /// RAM, `2015-05-01`.
    Ram,
}

impl Service {
    /// The service of a `Version` value.
    pub fn from_version(version: &str) -> Option<Self> {
        match version {
            STS_VERSION => Some(Self::Sts),
            RAM_VERSION => Some(Self::Ram),
            _ => None,
        }
    }

    /// The API version.
    pub const fn version(self) -> &'static str {
        match self {
            Self::Sts => STS_VERSION,
            Self::Ram => RAM_VERSION,
        }
    }

    /// Whether `action` of this API changes state (RAM writes, STS credentials); `None` for
    /// an action ossd does not implement.
    pub fn is_mutation(self, action: &str) -> Option<bool> {
        match self {
            Self::Sts => StsAction::parse(action).map(StsAction::is_mutation),
            Self::Ram => RamAction::parse(action).map(RamAction::is_mutation),
        }
    }

    /// The action prefix of policies and audit records (`sts`, `ram`).
    pub const fn prefix(self) -> &'static str {
        match self {
            Self::Sts => "sts",
            Self::Ram => "ram",
        }
    }
}

/// What a successful call produced.
#[derive(Debug)]
pub enum Outcome {
    /// AssumeRole: temporary credentials.
    Issued(IssuedCredentials),
    /// GetCallerIdentity: who signed.
    Identity(Caller),
    /// A RAM action's result.
    Ram(RamOutcome),
}

impl Outcome {
    /// The response body, without `RequestId` (the server adds it).
    pub fn to_json(&self) -> Value {
        match self {
            Self::Issued(c) => sts::credentials(c),
            Self::Identity(caller) => sts::caller_identity(caller),
            Self::Ram(outcome) => ram::body(outcome),
        }
    }
}

/// What the server adds to a parsed RAM call before `ossd-iam` runs it: the facts outside the
/// identity store that a call's evaluation needs.
pub trait Enrich: Sync {
    /// Fills in the bucket of a SimulatePrincipalPolicy's `oss:` resource
    /// ([`ossd_iam::Simulation::bucket`]), so that it is evaluated as a real request
    /// (docs/protocol/ram.md#simulateprincipalpolicy-ossd-extension).
    fn simulation(
        &self,
        sim: &mut ossd_iam::Simulation,
    ) -> impl std::future::Future<Output = Result<(), ActionError>> + Send;
}

/// Adds nothing: a simulation's `oss:` action is evaluated on a bucket of the account with no
/// bucket policy and no ACL grant.
impl Enrich for () {
    async fn simulation(&self, _sim: &mut ossd_iam::Simulation) -> Result<(), ActionError> {
        Ok(())
    }
}

/// Runs `action` of the API `version` names for `caller` with the decoded parameters.
pub async fn call(
    iam: &Iam,
    caller: &Caller,
    version: &str,
    action: &str,
    params: &BTreeMap<String, String>,
    ctx: &RequestContext,
) -> Result<Outcome, RpcFailure> {
    call_with(iam, caller, version, action, params, ctx, &()).await
}

/// [`call`], with `enrich` completing a parsed RAM call first.
pub async fn call_with(
    iam: &Iam,
    caller: &Caller,
    version: &str,
    action: &str,
    params: &BTreeMap<String, String>,
    ctx: &RequestContext,
    enrich: &impl Enrich,
) -> Result<Outcome, RpcFailure> {
    let service = Service::from_version(version).ok_or(RpcFailure::InvalidVersion)?;
    let failed = |error| RpcFailure::Action { service, error };
    match service {
        Service::Sts => {
            let action = StsAction::parse(action).ok_or(failed(ActionError::UnknownAction))?;
            match sts::parse(action, params) {
                StsCall::AssumeRole(a) => {
                    iam.assume_role(caller, &a, ctx).await.map(Outcome::Issued)
                }
                StsCall::GetCallerIdentity => Ok(Outcome::Identity(caller.clone())),
            }
        }
        Service::Ram => {
            let action = RamAction::parse(action).ok_or(failed(ActionError::UnknownAction))?;
            match ram_call::parse(action, params) {
                Ok(mut call) => {
                    if let ossd_iam::RamCall::SimulatePrincipalPolicy(sim) = &mut call {
                        enrich.simulation(sim).await.map_err(failed)?;
                    }
                    iam.ram(caller, &call, ctx).await.map(Outcome::Ram)
                }
                // Only a caller allowed to make the call learns which parameter is wrong.
                Err(e) => {
                    let names = ram_call::names(params);
                    let allowed = iam.authorize_ram_names(caller, action, &names, ctx).await;
                    allowed.and(Err(e))
                }
            }
        }
    }
    .map_err(failed)
}
