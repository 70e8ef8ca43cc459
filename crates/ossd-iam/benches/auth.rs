//! Identity hot paths: STS AssumeRole throughput and the per-request cost of authenticating and
//! authorizing an OSS request (parse, resolve, verify, authorize), over `SqliteMeta` (temp dir) and
//! `MemoryMeta`, in process.
//!
//! ```sh
//! cargo bench -p ossd-iam --bench auth              # 7 rounds × 300 ms per figure
//! cargo bench -p ossd-iam --bench auth -- --quick   # 3 rounds × 100 ms (or OSSD_BENCH_QUICK=1)
//! cargo bench -p ossd-iam --bench auth -- verify      # only figures whose name contains "verify"
//! ```
//!
//! Every figure is the median of its rounds (spread: min–max over the rounds). The rounds of all
//! measurements are interleaved (round 1 of everything, then round 2, ...), so that load from other
//! processes hits every figure alike; ratios are against references measured in the same run:
//! an unsigned request (`SigningView` + `ossd_sig::parse` returning `Ok(None)`) for the
//! per-request costs, and GetCallerIdentity / one raw `iam_get` for AssumeRole.
//!
//! The identities are those of the seed flow (shared/seed/000): RAM user `ramtest` with
//! AliyunSTSAssumeRoleAccess, role `RamOssTest` trusting the account, custom policy
//! `RamTestPolicy` (oss:PutObject/GetObject on examplebucket) attached to the role. A second user,
//! `ossreader`, has `RamTestPolicy` attached directly and signs the long-term-key requests; a
//! second session carries an inline session policy (GetObject on examplebucket). Warm
//! figures run with the identity caches filled (the steady state: an entry lives 5 s, so a few
//! iterations per 5 s include its reload); "cold" figures time one operation right after an
//! (untimed) IAM write, which empties every cache of the process.
// A benchmark: a panic is a failed run, and requests are signed at the real time.
#![allow(clippy::expect_used, clippy::disallowed_methods)]

use ossd_iam::{Caller, Iam, Keyring, OssRequest, RamAction};
use ossd_meta::{MemoryMeta, MetaStore};
use ossd_meta_sqlite::SqliteMeta;
use ossd_policy::RequestContext;
use ossd_sig::{AuthRequest, QueryParam, Scope, SigningKeyCache, SigningView, VerifyTime};
use ossd_types::SystemClock;
use serde_json::Value;
use std::collections::BTreeMap;
use std::hint::black_box;
use std::net::{IpAddr, Ipv4Addr};
use std::sync::Arc;
use std::time::{Duration, Instant};
use time::OffsetDateTime;
use tokio::runtime::Runtime;

/// The account of the bench identities.
const ACCT: &str = "1234567890123456";
/// The key AssumeRole reads for role RamOssTest (`store/layout.rs`, `Layout::role`).
const ROLE_KEY: &str = "acct/1234567890123456/role/ramosstest";
/// Operations between two clock reads in the timed loops.
const BATCH: u64 = 16;
/// The bucket and object every request addresses.
const BUCKET: &str = "examplebucket";
/// See [`BUCKET`].
const OBJECT: &str = "exampleobject.jpg";

/// Run lengths.
#[derive(Debug, Clone, Copy)]
struct Settings {
    /// Rounds per figure (the median is reported).
    rounds: usize,
    /// Length of one round of one figure.
    round: Duration,
    /// `--quick`.
    quick: bool,
}

impl Settings {
    /// From the command line (`--quick`) and `OSSD_BENCH_QUICK`.
    fn from_env() -> Self {
        let arg = std::env::args().skip(1).any(|a| a == "--quick");
        let var = std::env::var("OSSD_BENCH_QUICK").is_ok_and(|v| !v.is_empty() && v != "0");
        if arg || var {
            Self {
                rounds: 3,
                round: Duration::from_millis(100),
                quick: true,
            }
        } else {
            Self {
                rounds: 7,
                round: Duration::from_millis(300),
                quick: false,
            }
        }
    }
}

/// Substrings given on the command line: only figures whose "section: label" contains one run
/// (with the references they are compared with).
fn filters() -> Vec<String> {
    std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with("--"))
        .collect()
}

/// One round of one figure: runs the operation for about `budget`, returns (operations, time).
type Round<'a> = Box<dyn FnMut(Duration) -> (u64, Duration) + 'a>;

/// A figure being measured: its rounds so far.
struct Figure<'a> {
    /// Table section.
    section: String,
    /// Row label.
    label: String,
    /// The (section, label) of the reference row this figure is compared with, if any.
    reference: Option<(String, String)>,
    /// Runs one round (with several tasks, ns/op is wall time / total operations).
    run: Round<'a>,
    /// ns/op of each round.
    samples: Vec<f64>,
    /// Operations of each round.
    ops: Vec<u64>,
}

/// The figures of a run, measured with interleaved rounds.
struct Suite<'a> {
    /// The figures, in table order.
    figures: Vec<Figure<'a>>,
    /// See [`filters`].
    filters: Vec<String>,
}

impl<'a> Suite<'a> {
    /// Adds a figure.
    fn add(&mut self, section: &str, label: &str, reference: Option<(&str, &str)>, run: Round<'a>) {
        let name = format!("{section}: {label}");
        let wanted = self.filters.is_empty()
            || label.ends_with("[ref]")
            || self.filters.iter().any(|f| name.contains(f.as_str()));
        if !wanted {
            return;
        }
        self.figures.push(Figure {
            section: section.to_owned(),
            label: label.to_owned(),
            reference: reference.map(|(s, l)| (s.to_owned(), l.to_owned())),
            run,
            samples: Vec::new(),
            ops: Vec::new(),
        });
    }

    /// Drops the references no figure is compared with (after filtering).
    fn prune(&mut self) {
        let used: Vec<(String, String)> = self
            .figures
            .iter()
            .filter_map(|f| f.reference.clone())
            .collect();
        self.figures.retain(|f| {
            f.reference.is_some() || used.contains(&(f.section.clone(), f.label.clone()))
        });
    }

    /// Runs one warm-up round (not kept) and then `rounds` rounds of every figure, interleaved.
    fn run(&mut self, settings: Settings) {
        let warmup = settings.round / 4;
        for f in &mut self.figures {
            (f.run)(warmup);
        }
        for round in 0..settings.rounds {
            eprintln!("round {}/{}", round + 1, settings.rounds);
            for f in &mut self.figures {
                let (ops, elapsed) = (f.run)(settings.round);
                f.samples.push(ns_per_op(elapsed, ops));
                f.ops.push(ops);
            }
        }
    }

    /// The median ns/op of the figure labelled `label` in `section`.
    fn median_of(&self, section: &str, label: &str) -> Option<f64> {
        self.figures
            .iter()
            .find(|f| f.section == section && f.label == label)
            .map(|f| median(&f.samples))
    }

    /// Prints the table.
    fn print(&self) {
        let mut section = "";
        for f in &self.figures {
            if f.section != section {
                section = &f.section;
                println!();
                println!("{section}");
                println!(
                    "  {:<50} {:>11} {:>12} {:>17} {:>9} {:>9}",
                    "", "ns/op", "ops/s", "spread ns/op", "× ref", "ops/round"
                );
            }
            let med = median(&f.samples);
            let (lo, hi) = min_max(&f.samples);
            let ratio = f
                .reference
                .as_ref()
                .and_then(|(s, l)| self.median_of(s, l))
                .map_or_else(|| "-".to_owned(), |r| format!("{:.2}", med / r));
            let ops: Vec<f64> = f.ops.iter().map(|&n| n as f64).collect();
            println!(
                "  {:<50} {:>11} {:>12} {:>17} {:>9} {:>9}",
                f.label,
                fmt_ns(med),
                format!("{:.0}", 1e9 / med),
                format!("{}–{}", fmt_ns(lo), fmt_ns(hi)),
                ratio,
                format!("{:.0}", median(&ops))
            );
        }
    }
}

/// Nanoseconds per operation.
fn ns_per_op(elapsed: Duration, ops: u64) -> f64 {
    elapsed.as_nanos() as f64 / ops.max(1) as f64
}

/// The median of `v` (not empty).
fn median(v: &[f64]) -> f64 {
    let mut s = v.to_vec();
    s.sort_by(f64::total_cmp);
    match s.len() {
        0 => f64::NAN,
        n if n % 2 == 1 => s[n / 2],
        n => (s[n / 2 - 1] + s[n / 2]) / 2.0,
    }
}

/// The smallest and largest of `v`.
fn min_max(v: &[f64]) -> (f64, f64) {
    v.iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), &x| {
            (lo.min(x), hi.max(x))
        })
}

/// ns with a sensible precision.
fn fmt_ns(ns: f64) -> String {
    if ns < 100.0 {
        format!("{ns:.1}")
    } else {
        format!("{ns:.0}")
    }
}

/// Runs `op` in batches until `budget` is spent.
fn timed(budget: Duration, mut op: impl FnMut()) -> (u64, Duration) {
    let start = Instant::now();
    let mut n = 0;
    loop {
        for _ in 0..BATCH {
            op();
        }
        n += BATCH;
        let elapsed = start.elapsed();
        if elapsed >= budget {
            return (n, elapsed);
        }
    }
}

/// Like [`timed`] for an async expression, run on `$rt` (inside `block_on`).
macro_rules! timed_async {
    ($rt:expr, $budget:expr, $body:expr) => {
        $rt.block_on(async {
            let start = Instant::now();
            let mut n = 0u64;
            loop {
                for _ in 0..BATCH {
                    black_box($body);
                }
                n += BATCH;
                let elapsed = start.elapsed();
                if elapsed >= $budget {
                    break (n, elapsed);
                }
            }
        })
    };
}

/// Runs `$body` once per iteration right after an (untimed) IAM write, timing only `$body`, until
/// `$budget` of wall time is spent.
macro_rules! timed_cold {
    ($rt:expr, $budget:expr, $bench:expr, $body:expr) => {
        $rt.block_on(async {
            let wall = Instant::now();
            let (mut n, mut spent) = (0u64, Duration::ZERO);
            while wall.elapsed() < $budget || n == 0 {
                $bench.iam_write(n).await;
                let start = Instant::now();
                black_box($body);
                spent += start.elapsed();
                n += 1;
            }
            (n, spent)
        })
    };
}

/// Parameters from pairs.
fn params(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect()
}

/// The string at JSON pointer `pointer` of a RAM/STS response.
fn str_at(v: &Value, pointer: &str) -> String {
    v.pointer(pointer)
        .and_then(Value::as_str)
        .unwrap_or_else(|| panic!("no string at {pointer} in the response"))
        .to_owned()
}

/// A credential pair (and token for STS).
struct Credentials {
    /// AccessKey id.
    id: String,
    /// Its secret.
    secret: String,
    /// The STS security token, if temporary.
    token: Option<String>,
}

/// The identities of one backend, set up.
struct Bench {
    /// The service.
    iam: Iam,
    /// The store under it (for the raw-read reference).
    meta: Arc<dyn MetaStore>,
    /// The root caller (for the untimed writes of the cold figures).
    root: Caller,
    /// `ramtest`, allowed to AssumeRole.
    assumer: Caller,
    /// Temporary credentials of `RamOssTest`.
    session: Credentials,
    /// The caller of a second session of `RamOssTest`, with an inline session policy.
    limited: Caller,
    /// `ossreader`'s long-term key.
    reader: Credentials,
    /// The AssumeRole parameters.
    assume: BTreeMap<String, String>,
}

impl Bench {
    /// Opens an `Iam` over `meta` and creates the seed's identities.
    async fn setup(meta: Arc<dyn MetaStore>) -> Self {
        let iam = Iam::open(
            Arc::clone(&meta),
            Keyring::generate(),
            ACCT.to_owned(),
            Arc::new(SystemClock),
        )
        .await
        .expect("open the identity service");
        iam.ensure_root_key("LTAIbenchroot", "benchrootsecret")
            .await
            .expect("register the root key");
        let root = iam
            .resolve("LTAIbenchroot", None)
            .await
            .expect("resolve the root key")
            .caller;
        let ram = |action: RamAction, pairs: Vec<(&'static str, String)>| {
            let (iam, root) = (iam.clone(), root.clone());
            async move {
                let p: BTreeMap<String, String> =
                    pairs.into_iter().map(|(k, v)| (k.to_owned(), v)).collect();
                let call = ossd_rpc::ram_call::parse(action, &p)
                    .unwrap_or_else(|e| panic!("{action}: {e}"));
                let outcome = iam
                    .ram(&root, &call, &RequestContext::new())
                    .await
                    .unwrap_or_else(|e| panic!("{action}: {e}"));
                ossd_rpc::ram::body(&outcome)
            }
        };
        let trust = format!(
            r#"{{"Statement":[{{"Action":"sts:AssumeRole","Effect":"Allow","Principal":{{"RAM":["acs:ram::{ACCT}:root"]}}}}],"Version":"1"}}"#
        );
        let policy = serde_json::json!({"Version":"1","Statement":[{"Effect":"Allow",
            "Action":["oss:PutObject","oss:GetObject"],
            "Resource":["acs:oss:*:*:examplebucket","acs:oss:*:*:examplebucket/*"]}]})
        .to_string();
        for user in ["ramtest", "ossreader", "benchdummy"] {
            ram(RamAction::CreateUser, vec![("UserName", user.to_owned())]).await;
        }
        let assumer_key = ram(
            RamAction::CreateAccessKey,
            vec![("UserName", "ramtest".into())],
        )
        .await;
        let reader_key = ram(
            RamAction::CreateAccessKey,
            vec![("UserName", "ossreader".into())],
        )
        .await;
        let attach = |kind: &'static str, name: &str, ptype: &str, policy: &str| {
            let action = match kind {
                "User" => RamAction::AttachPolicyToUser,
                _ => RamAction::AttachPolicyToRole,
            };
            let name_param = match kind {
                "User" => "UserName",
                _ => "RoleName",
            };
            ram(
                action,
                vec![
                    (name_param, name.to_owned()),
                    ("PolicyType", ptype.to_owned()),
                    ("PolicyName", policy.to_owned()),
                ],
            )
        };
        attach("User", "ramtest", "System", "AliyunSTSAssumeRoleAccess").await;
        ram(
            RamAction::CreateRole,
            vec![
                ("RoleName", "RamOssTest".into()),
                ("AssumeRolePolicyDocument", trust),
            ],
        )
        .await;
        ram(
            RamAction::CreatePolicy,
            vec![
                ("PolicyName", "RamTestPolicy".into()),
                ("PolicyDocument", policy),
            ],
        )
        .await;
        attach("Role", "RamOssTest", "Custom", "RamTestPolicy").await;
        attach("User", "ossreader", "Custom", "RamTestPolicy").await;

        let assumer_id = str_at(&assumer_key, "/AccessKey/AccessKeyId");
        let assumer = iam
            .resolve(&assumer_id, None)
            .await
            .expect("resolve ramtest's key")
            .caller;
        let assume = params(&[
            ("RoleArn", &format!("acs:ram::{ACCT}:role/RamOssTest")),
            ("RoleSessionName", "sessiontest"),
            ("DurationSeconds", "3000"),
        ]);
        let response = sts_call(
            &iam,
            &assumer,
            "AssumeRole",
            &assume,
            &RequestContext::new(),
        )
        .await
        .expect("AssumeRole");
        let session = Credentials {
            id: str_at(&response, "/Credentials/AccessKeyId"),
            secret: str_at(&response, "/Credentials/AccessKeySecret"),
            token: Some(str_at(&response, "/Credentials/SecurityToken")),
        };
        let only_get = serde_json::json!({"Version":"1","Statement":[{"Effect":"Allow",
            "Action":["oss:GetObject"],"Resource":["acs:oss:*:*:examplebucket/*"]}]})
        .to_string();
        let mut with_policy = assume.clone();
        with_policy.insert("Policy".to_owned(), only_get);
        let response = sts_call(
            &iam,
            &assumer,
            "AssumeRole",
            &with_policy,
            &RequestContext::new(),
        )
        .await
        .expect("AssumeRole with a session policy");
        let limited = iam
            .resolve(
                &str_at(&response, "/Credentials/AccessKeyId"),
                Some(&str_at(&response, "/Credentials/SecurityToken")),
            )
            .await
            .expect("resolve the session with a policy")
            .caller;
        let reader = Credentials {
            id: str_at(&reader_key, "/AccessKey/AccessKeyId"),
            secret: str_at(&reader_key, "/AccessKey/AccessKeySecret"),
            token: None,
        };
        Self {
            iam,
            meta,
            root,
            assumer,
            session,
            limited,
            reader,
            assume,
        }
    }

    /// An IAM write (UpdateUser of `benchdummy`): moves the store generation, which empties every
    /// identity cache of this process.
    async fn iam_write(&self, n: u64) {
        let p = params(&[("UserName", "benchdummy"), ("NewComments", &n.to_string())]);
        let call = ossd_rpc::ram_call::parse(RamAction::UpdateUser, &p).expect("UpdateUser call");
        self.iam
            .ram(&self.root, &call, &RequestContext::new())
            .await
            .expect("UpdateUser benchdummy");
    }

    /// The credentials of a signing variant.
    fn credentials(&self, who: Who) -> &Credentials {
        match who {
            Who::Session => &self.session,
            Who::User => &self.reader,
        }
    }
}

/// Whose credentials sign.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Who {
    /// The STS session (temporary key + `x-oss-security-token`).
    Session,
    /// `ossreader`'s long-term key.
    User,
}

/// The signature scheme.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Sig {
    /// `OSS4-HMAC-SHA256` header, `x-oss-content-sha256: UNSIGNED-PAYLOAD`.
    V4,
    /// `OSS ak:signature` header.
    V1,
}

/// The headers every GetObject carries, signed or not (lowercase names, as the server keeps them).
fn base_headers(now: OffsetDateTime) -> Vec<(String, String)> {
    [
        ("host", format!("{BUCKET}.oss-cn-hangzhou.aliyuncs.com")),
        (
            "user-agent",
            "aliyun-sdk-python/2.19.1(Linux/6.1/x86_64;3.12.3)".to_owned(),
        ),
        ("accept", "*/*".to_owned()),
        ("accept-encoding", "identity".to_owned()),
        ("date", ossd_sig::format_rfc1123(now)),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v))
    .collect()
}

/// A signed GetObject of `examplebucket/exampleobject.jpg` (headers only: no query).
fn signed_headers(creds: &Credentials, sig: Sig, now: OffsetDateTime) -> Vec<(String, String)> {
    let mut headers = base_headers(now);
    let date = ossd_sig::format_iso8601_basic(now);
    if sig == Sig::V4 {
        headers.push((
            "x-oss-content-sha256".into(),
            ossd_sig::UNSIGNED_PAYLOAD.into(),
        ));
        headers.push(("x-oss-date".into(), date.clone()));
    }
    if let Some(token) = &creds.token {
        headers.push(("x-oss-security-token".into(), token.clone()));
    }
    let authorization = {
        let view = view(&headers);
        match sig {
            Sig::V4 => {
                let day = date.get(..8).expect("an x-oss-date");
                let scope = Scope::new(day, "cn-hangzhou", "oss");
                ossd_sig::v4_authorization(&creds.id, &creds.secret, &view, &scope, &[])
            }
            Sig::V1 => ossd_sig::v1_authorization(&creds.id, &creds.secret, &view),
        }
    };
    headers.push(("authorization".into(), authorization));
    headers
}

/// No query parameters.
const NO_QUERY: &[QueryParam] = &[];

/// The signing view of GetObject `examplebucket/exampleobject.jpg` with `headers`.
fn view(headers: &[(String, String)]) -> SigningView<'_> {
    SigningView {
        method: "GET",
        bucket: Some(BUCKET),
        key: Some(OBJECT),
        query: NO_QUERY,
        headers,
        raw_path: "/",
        body_sha256: None,
    }
}

/// The authorization question of that GetObject (the server's `pipeline::auth::authorize` for a
/// private bucket of the account, no bucket policy).
fn get_object() -> OssRequest<'static> {
    OssRequest {
        action: &ossd_policy::rows::GetObject,
        bucket: Some(BUCKET),
        key: Some(OBJECT),
        bucket_owner: Some(ACCT),
        bucket_policy: None,
        region: None,
        versioned: false,
        acl_allows: false,
        public_access: ossd_policy::PublicAccessBlock::default(),
    }
}

/// A bucket policy of three statements (≈ 0.7 KB) that neither denies nor is needed for the
/// GetObject: public read of `public/*` from 10.0.0.0/8, no DeleteObject for anyone, uploads by
/// another account.
fn bucket_policy() -> String {
    serde_json::json!({"Version": "1", "Statement": [
        {"Effect": "Allow", "Principal": ["*"],
         "Action": ["oss:GetObject", "oss:ListObjects"],
         "Resource": [format!("acs:oss:*:{ACCT}:{BUCKET}/public/*")],
         "Condition": {"IpAddress": {"acs:SourceIp": ["10.0.0.0/8"]}}},
        {"Effect": "Deny", "Principal": ["*"],
         "Action": ["oss:DeleteObject"],
         "Resource": [format!("acs:oss:*:{ACCT}:{BUCKET}/*")]},
        {"Effect": "Allow", "Principal": ["2234567890123456"],
         "Action": ["oss:PutObject", "oss:GetObject"],
         "Resource": [format!("acs:oss:*:{ACCT}:{BUCKET}/uploads/*")],
         "Condition": {"Bool": {"acs:SecureTransport": ["true"]}}}
    ]})
    .to_string()
}

/// The condition context the server builds for an OSS request (`pipeline::policy_ctx::oss`).
fn request_context(now: OffsetDateTime, headers: &[(String, String)]) -> RequestContext {
    let mut ctx = RequestContext::at(now)
        .with_source_ip(IpAddr::V4(Ipv4Addr::new(192, 168, 1, 20)))
        .with_secure_transport(false)
        .with_current_time(now);
    if let Some((_, ua)) = headers.iter().find(|(k, _)| k == "user-agent") {
        ctx = ctx.with_user_agent(ua);
    }
    ctx
}

/// What the server does to authenticate and authorize one request
/// (`ossd-server/src/pipeline/auth.rs`).
async fn authenticate_and_authorize(
    iam: &Iam,
    headers: &[(String, String)],
    ctx: &RequestContext,
    now: OffsetDateTime,
) {
    let view = view(headers);
    let auth = ossd_sig::parse(&view)
        .expect("parse")
        .expect("a signed request");
    assert!(
        auth.url_expires_at()
            .is_none_or(|t| now.unix_timestamp() <= t)
    );
    let resolved = iam
        .resolve(&auth.access_key_id, auth.security_token.as_deref())
        .await
        .expect("resolve");
    verify(&auth, &view, &resolved.secret, now);
    iam.authorize_oss_request(&resolved.caller, &get_object(), ctx)
        .await
        .expect("authorize");
}

/// Verifies as the server does: V4 signing keys from one cache (the server keeps it in its
/// state; here it lives as long as the benchmark).
fn verify(auth: &AuthRequest, view: &SigningView, secret: &str, now: OffsetDateTime) {
    static KEYS: std::sync::LazyLock<SigningKeyCache> =
        std::sync::LazyLock::new(SigningKeyCache::new);
    ossd_sig::verify_at(auth, view, secret, VerifyTime::at(now), &KEYS).expect("verify");
}

/// A label for a signing variant.
fn variant(who: Who, sig: Sig) -> String {
    let who = match who {
        Who::Session => "STS",
        Who::User => "RAM user key",
    };
    let sig = match sig {
        Sig::V4 => "V4",
        Sig::V1 => "V1",
    };
    format!("{who}, {sig}")
}

/// The reference row of the per-request sections.
const UNSIGNED: &str = "(e) unsigned: SigningView + parse → None [ref]";

/// The section of the warm per-request figures of backend `name`.
fn warm_section(name: &str) -> String {
    format!("per request: GetObject {BUCKET}/{OBJECT} ({name}, caches warm)")
}

/// Adds the per-request figures of `b` (backend `name`): the reference, the components of the
/// V4 variants, verify of the V1 variants, and the end-to-end total of each variant.
fn add_request_figures<'a>(suite: &mut Suite<'a>, rt: &'a Runtime, b: &'a Bench, name: &str) {
    let now = OffsetDateTime::now_utc();
    let section = warm_section(name);
    let reference = Some((section.as_str(), UNSIGNED));
    let ctx: &'a RequestContext = Box::leak(Box::new(request_context(now, &base_headers(now))));
    let unsigned: &'a [(String, String)] = Box::leak(base_headers(now).into_boxed_slice());
    suite.add(
        &section,
        UNSIGNED,
        None,
        Box::new(move |budget| {
            timed(budget, || {
                let view = view(black_box(unsigned));
                let parsed = ossd_sig::parse(&view).expect("parse");
                assert!(parsed.is_none());
            })
        }),
    );
    suite.add(
        &section,
        "RequestContext, built as the server does",
        reference,
        Box::new(move |budget| {
            timed(budget, || {
                black_box(request_context(now, black_box(unsigned)));
            })
        }),
    );
    for (who, sig) in [
        (Who::Session, Sig::V4),
        (Who::User, Sig::V4),
        (Who::Session, Sig::V1),
        (Who::User, Sig::V1),
    ] {
        let v = variant(who, sig);
        let creds = b.credentials(who);
        let headers: &'a [(String, String)] =
            Box::leak(signed_headers(creds, sig, now).into_boxed_slice());
        let auth: &'a ossd_sig::AuthRequest = Box::leak(Box::new(
            ossd_sig::parse(&view(headers))
                .expect("parse")
                .expect("signed"),
        ));
        let resolved: &'a ossd_iam::Resolved = Box::leak(Box::new(
            rt.block_on(b.iam.resolve(&creds.id, creds.token.as_deref()))
                .expect("resolve"),
        ));
        let (id, token) = (creds.id.as_str(), creds.token.as_deref());
        if sig == Sig::V4 {
            suite.add(
                &section,
                &format!("{v}: (a) parse"),
                reference,
                Box::new(move |budget| {
                    timed(budget, || {
                        let view = view(black_box(headers));
                        black_box(ossd_sig::parse(&view).expect("parse"));
                    })
                }),
            );
            suite.add(
                &section,
                &format!("{v}: (b) resolve"),
                reference,
                Box::new(move |budget| {
                    timed_async!(rt, budget, b.iam.resolve(id, token).await.expect("resolve"))
                }),
            );
        }
        let secret: &'a str = resolved.secret.as_str();
        suite.add(
            &section,
            &format!("{v}: (c) verify"),
            reference,
            Box::new(move |budget| {
                timed(budget, || {
                    let view = view(black_box(headers));
                    verify(auth, &view, secret, now);
                })
            }),
        );
        if sig == Sig::V4 {
            let caller: &'a Caller = &resolved.caller;
            suite.add(
                &section,
                &format!("{v}: (d) authorize_oss_request"),
                reference,
                Box::new(move |budget| {
                    timed_async!(
                        rt,
                        budget,
                        b.iam
                            .authorize_oss_request(caller, &get_object(), ctx)
                            .await
                            .expect("authorize")
                    )
                }),
            );
        }
        if sig == Sig::V4 && who == Who::Session {
            let caller: &'a Caller = &resolved.caller;
            let policy: &'a str = Box::leak(bucket_policy().into_boxed_str());
            let request = OssRequest {
                bucket_policy: Some(policy),
                ..get_object()
            };
            suite.add(
                &section,
                &format!("{v}: (d) authorize, bucket has a policy"),
                reference,
                Box::new(move |budget| {
                    timed_async!(
                        rt,
                        budget,
                        b.iam
                            .authorize_oss_request(caller, &request, ctx)
                            .await
                            .expect("authorize with a bucket policy")
                    )
                }),
            );
            suite.add(
                &section,
                &format!("{v}: (d) authorize, session has a policy"),
                reference,
                Box::new(move |budget| {
                    timed_async!(
                        rt,
                        budget,
                        b.iam
                            .authorize_oss_request(&b.limited, &get_object(), ctx)
                            .await
                            .expect("authorize a session with a policy")
                    )
                }),
            );
        }
        suite.add(
            &section,
            &format!("{v}: total a+b+c+d, one loop"),
            reference,
            Box::new(move |budget| {
                timed_async!(
                    rt,
                    budget,
                    authenticate_and_authorize(&b.iam, headers, ctx, now).await
                )
            }),
        );
    }
}

/// Adds the cold figures of `b`: resolve and authorize right after an IAM write.
fn add_cold_figures<'a>(suite: &mut Suite<'a>, rt: &'a Runtime, b: &'a Bench, name: &str) {
    let now = OffsetDateTime::now_utc();
    let warm = warm_section(name);
    let reference = Some((warm.as_str(), UNSIGNED));
    let section = format!("per request, right after an IAM write ({name}, caches empty)");
    let ctx: &'a RequestContext = Box::leak(Box::new(request_context(now, &base_headers(now))));
    for who in [Who::Session, Who::User] {
        let v = variant(who, Sig::V4);
        let creds = b.credentials(who);
        let (id, token) = (creds.id.as_str(), creds.token.as_deref());
        let caller: &'a Caller = Box::leak(Box::new(
            rt.block_on(b.iam.resolve(id, token))
                .expect("resolve")
                .caller,
        ));
        suite.add(
            &section,
            &format!("{v}: (b) resolve, cold"),
            reference,
            Box::new(move |budget| {
                timed_cold!(
                    rt,
                    budget,
                    b,
                    b.iam.resolve(id, token).await.expect("resolve")
                )
            }),
        );
        suite.add(
            &section,
            &format!("{v}: (d) authorize_oss_request, cold"),
            reference,
            Box::new(move |budget| {
                timed_cold!(
                    rt,
                    budget,
                    b,
                    b.iam
                        .authorize_oss_request(caller, &get_object(), ctx)
                        .await
                        .expect("authorize")
                )
            }),
        );
    }
}

/// The reference rows of the AssumeRole section.
const CALLER_IDENTITY: &str = "GetCallerIdentity (no store read) [ref]";
/// See [`CALLER_IDENTITY`].
const RAW_READ: &str = "one MetaStore::iam_get of the role";

/// Adds the AssumeRole figures of `b`: references, sequential, and N concurrent tasks.
fn add_assume_role_figures<'a>(suite: &mut Suite<'a>, rt: &'a Runtime, b: &'a Bench, name: &str) {
    let section = format!("STS AssumeRole ({name})");
    let ctx: &'a RequestContext = Box::leak(Box::new(RequestContext::new()));
    let none: &'a BTreeMap<String, String> = Box::leak(Box::new(BTreeMap::new()));
    suite.add(
        &section,
        CALLER_IDENTITY,
        None,
        Box::new(move |budget| {
            timed_async!(
                rt,
                budget,
                sts_call(&b.iam, &b.assumer, "GetCallerIdentity", none, ctx)
                    .await
                    .expect("GetCallerIdentity")
            )
        }),
    );
    suite.add(
        &section,
        RAW_READ,
        Some((section.as_str(), CALLER_IDENTITY)),
        Box::new(move |budget| {
            timed_async!(
                rt,
                budget,
                b.meta
                    .iam_get(ROLE_KEY)
                    .await
                    .expect("iam_get")
                    .expect("the role record")
            )
        }),
    );
    suite.add(
        &section,
        "AssumeRole, sequential",
        Some((section.as_str(), CALLER_IDENTITY)),
        Box::new(move |budget| {
            timed_async!(
                rt,
                budget,
                sts_call(&b.iam, &b.assumer, "AssumeRole", &b.assume, ctx)
                    .await
                    .expect("AssumeRole")
            )
        }),
    );
    for tasks in [2usize, 8] {
        suite.add(
            &section,
            &format!("AssumeRole, {tasks} concurrent tasks"),
            Some((section.as_str(), CALLER_IDENTITY)),
            Box::new(move |budget| concurrent_assume(rt, b, tasks, budget)),
        );
    }
}

/// `tasks` tasks calling AssumeRole until `budget` is spent: (total calls, wall time).
fn concurrent_assume(rt: &Runtime, b: &Bench, tasks: usize, budget: Duration) -> (u64, Duration) {
    rt.block_on(async {
        let start = Instant::now();
        let deadline = start + budget;
        let handles: Vec<_> = (0..tasks)
            .map(|_| {
                let (iam, caller, params) = (b.iam.clone(), b.assumer.clone(), b.assume.clone());
                tokio::spawn(async move {
                    let ctx = RequestContext::new();
                    let mut n = 0u64;
                    while Instant::now() < deadline {
                        for _ in 0..4 {
                            black_box(
                                sts_call(&iam, &caller, "AssumeRole", &params, &ctx)
                                    .await
                                    .expect("AssumeRole"),
                            );
                        }
                        n += 4;
                    }
                    n
                })
            })
            .collect();
        let mut total = 0;
        for h in handles {
            total += h.await.expect("an AssumeRole task");
        }
        (total, start.elapsed())
    })
}

fn main() {
    let settings = Settings::from_env();
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime");
    let dir = tempfile::tempdir().expect("a temp dir");
    let sqlite: Arc<dyn MetaStore> =
        Arc::new(SqliteMeta::open(dir.path().join("meta.db")).expect("open SQLite"));
    let memory: Arc<dyn MetaStore> = Arc::new(MemoryMeta::new());
    let on_sqlite = rt.block_on(Bench::setup(sqlite));
    let on_memory = rt.block_on(Bench::setup(memory));

    let mut suite = Suite {
        figures: Vec::new(),
        filters: filters(),
    };
    add_request_figures(&mut suite, &rt, &on_sqlite, "SqliteMeta");
    add_request_figures(&mut suite, &rt, &on_memory, "MemoryMeta");
    add_cold_figures(&mut suite, &rt, &on_sqlite, "SqliteMeta");
    add_cold_figures(&mut suite, &rt, &on_memory, "MemoryMeta");
    add_assume_role_figures(&mut suite, &rt, &on_sqlite, "SqliteMeta");
    add_assume_role_figures(&mut suite, &rt, &on_memory, "MemoryMeta");

    suite.prune();
    let started = Instant::now();
    eprintln!(
        "ossd-iam auth bench: {} figures × {} rounds × {:?}{}",
        suite.figures.len(),
        settings.rounds,
        settings.round,
        if settings.quick { " (--quick)" } else { "" }
    );
    suite.run(settings);
    println!(
        "ossd-iam auth bench ({} rounds × {:?} per figure, median; spread = min–max over rounds; \
         {} cores; {:.0} s)",
        settings.rounds,
        settings.round,
        std::thread::available_parallelism().map_or(0, usize::from),
        started.elapsed().as_secs_f64()
    );
    suite.print();
}

/// Runs an STS action through the RPC wire (`ossd-rpc`), as the server does, and returns the
/// JSON body.
async fn sts_call(
    iam: &Iam,
    caller: &Caller,
    action: &str,
    params: &BTreeMap<String, String>,
    ctx: &RequestContext,
) -> Result<serde_json::Value, ossd_rpc::RpcFailure> {
    ossd_rpc::call(iam, caller, ossd_rpc::STS_VERSION, action, params, ctx)
        .await
        .map(|o| o.to_json())
}
