//! Fixtures: an `Iam` over a fresh store with a fixed clock, and call helpers.

use ossd_iam::{ActionError, Caller, Iam, Keyring, Resolved};
use ossd_meta::{MemoryMeta, MetaStore};
use ossd_policy::RequestContext;
use ossd_rpc::{RAM_VERSION, STS_VERSION, Service};
use ossd_types::FixedClock;
use serde_json::Value;
use std::collections::BTreeMap;
use std::sync::Arc;

/// An action's error as clients see it (`ossd-rpc`'s mapping).
pub(crate) type RpcError = ossd_rpc::WireError;

/// The RAM wire form of `e`.
pub(crate) fn ram_wire(e: ActionError) -> RpcError {
    ossd_rpc::error::action(Service::Ram, &e)
}

/// The account of every fixture.
pub(crate) const ACCT: &str = "1234567890123456";
/// The fixture clock's start (2023-11-14T22:13:20Z).
pub(crate) const T0: i64 = 1_700_000_000;

/// An `Iam`, its clock and the root caller.
pub(crate) struct Fixture {
    pub iam: Iam,
    pub clock: Arc<FixedClock>,
    pub root: Caller,
    pub meta: Arc<dyn MetaStore>,
}

/// A fixture over `MemoryMeta`.
pub(crate) async fn fixture() -> Fixture {
    fixture_on(Arc::new(MemoryMeta::new())).await
}

/// A fixture over `meta`.
pub(crate) async fn fixture_on(meta: Arc<dyn MetaStore>) -> Fixture {
    let clock = Arc::new(FixedClock::at(T0));
    let iam = Iam::open(
        Arc::clone(&meta),
        Keyring::generate(),
        ACCT.to_owned(),
        clock.clone(),
    )
    .await
    .expect("open");
    iam.ensure_root_key("LTAIroot", "rootsecret")
        .await
        .expect("root key");
    let root = iam.resolve("LTAIroot", None).await.expect("root").caller;
    Fixture {
        iam,
        clock,
        root,
        meta,
    }
}

/// Parameters from pairs.
pub(crate) fn params(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect()
}

impl Fixture {
    /// Runs a RAM action.
    pub(crate) async fn ram(
        &self,
        caller: &Caller,
        action: &str,
        pairs: &[(&str, &str)],
    ) -> Result<Value, RpcError> {
        let ctx = RequestContext::new();
        ossd_rpc::call(&self.iam, caller, RAM_VERSION, action, &params(pairs), &ctx)
            .await
            .map(|o| o.to_json())
            .map_err(|e| e.to_wire())
    }

    /// Runs a RAM action as root, expecting success.
    pub(crate) async fn root_ok(&self, action: &str, pairs: &[(&str, &str)]) -> Value {
        let root = self.root.clone();
        self.ram(&root, action, pairs)
            .await
            .unwrap_or_else(|e| panic!("{action} {pairs:?}: {e:?}"))
    }

    /// Runs a RAM action as root, expecting an error; returns its code.
    pub(crate) async fn root_err(&self, action: &str, pairs: &[(&str, &str)]) -> String {
        let root = self.root.clone();
        match self.ram(&root, action, pairs).await {
            Ok(v) => panic!("{action} {pairs:?} succeeded: {v}"),
            Err(e) => e.code,
        }
    }

    /// Runs an STS action.
    pub(crate) async fn sts(
        &self,
        caller: &Caller,
        action: &str,
        pairs: &[(&str, &str)],
    ) -> Result<Value, RpcError> {
        let ctx = RequestContext::new();
        ossd_rpc::call(&self.iam, caller, STS_VERSION, action, &params(pairs), &ctx)
            .await
            .map(|o| o.to_json())
            .map_err(|e| e.to_wire())
    }

    /// Creates user `name` with an AccessKey and resolves it.
    pub(crate) async fn user(&self, name: &str) -> Resolved {
        self.root_ok("CreateUser", &[("UserName", name)]).await;
        let key = self.root_ok("CreateAccessKey", &[("UserName", name)]).await;
        let id = str_at(&key, "/AccessKey/AccessKeyId");
        let resolved = self.iam.resolve(&id, None).await.expect("resolve user");
        assert_eq!(
            resolved.secret.as_str(),
            str_at(&key, "/AccessKey/AccessKeySecret")
        );
        resolved
    }

    /// Attaches system or custom policy `policy` to `kind` (`User`/`Group`/`Role`) `name`.
    pub(crate) async fn attach(&self, kind: &str, name: &str, ptype: &str, policy: &str) {
        let action = format!("AttachPolicyTo{kind}");
        let param = format!("{kind}Name");
        self.root_ok(
            &action,
            &[
                (&param, name),
                ("PolicyType", ptype),
                ("PolicyName", policy),
            ],
        )
        .await;
    }
}

/// The string at JSON pointer `pointer`.
pub(crate) fn str_at(v: &Value, pointer: &str) -> String {
    v.pointer(pointer)
        .and_then(Value::as_str)
        .unwrap_or_else(|| panic!("no string at {pointer} in {v}"))
        .to_owned()
}

/// The array at JSON pointer `pointer`.
pub(crate) fn list_at<'a>(v: &'a Value, pointer: &str) -> &'a Vec<Value> {
    v.pointer(pointer)
        .and_then(Value::as_array)
        .unwrap_or_else(|| panic!("no array at {pointer} in {v}"))
}

/// The values of `field` in the array at `pointer`.
pub(crate) fn names_at(v: &Value, pointer: &str, field: &str) -> Vec<String> {
    list_at(v, pointer)
        .iter()
        .map(|item| str_at(item, &format!("/{field}")))
        .collect()
}

/// A trust policy trusting the whole account.
pub(crate) fn trust_account() -> String {
    format!(
        r#"{{"Statement":[{{"Action":"sts:AssumeRole","Effect":"Allow","Principal":{{"RAM":["acs:ram::{ACCT}:root"]}}}}],"Version":"1"}}"#
    )
}

/// A policy allowing `actions` on `resources`.
pub(crate) fn allow(actions: &[&str], resources: &[&str]) -> String {
    serde_json::json!({"Version":"1","Statement":[{"Effect":"Allow","Action":actions,"Resource":resources}]}).to_string()
}

/// The error code of a result.
pub(crate) fn code_of<T: std::fmt::Debug>(r: Result<T, RpcError>) -> String {
    r.expect_err("expected an error").code
}
