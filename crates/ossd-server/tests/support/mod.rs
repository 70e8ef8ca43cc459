//! In-process test fixture: the real `AppState` over in-memory metadata and blobs, served by the
//! real listener on `127.0.0.1:0` inside the test's tokio runtime, and a small client that sends
//! anonymous, OSS V1- and V4-signed and presigned requests ([`client`]), reads replies
//! ([`reply`]) and sets up RAM users and STS sessions through the RPC API over HTTP ([`ram`]).
//!
//! Tests use only HTTP: nothing here reaches into the server's internal types beyond building
//! its state, so the tests survive refactors of the pipeline.

// Each test target that includes this module uses only part of it.
#![allow(dead_code)]

pub(crate) mod client;
pub(crate) mod ram;
pub(crate) mod reply;

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use anyhow::Context;
use bytes::Bytes;
use http_body_util::Full;
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioExecutor;
use ossd_blob::{BlobStore, MemoryBlobs};
use ossd_meta::{MemoryMeta, MetaStore};
use ossd_proto::dialect::Dialect;
use ossd_proto::request::Domains;
use ossd_server::emulator::Emulator;
use ossd_server::{AppState, Listener, ListenerConfig, Metrics, NonceCache, Ops, ServerConfig};
use ossd_store::Store;
use ossd_types::{Clock, SystemClock};
use tokio::net::TcpListener;
use tokio::task::JoinHandle;

pub(crate) use client::Request;
pub(crate) use reply::Reply;

/// The server's region (V4 scopes name it).
pub(crate) const REGION: &str = "cn-hangzhou";
/// The account that owns every bucket.
pub(crate) const ACCOUNT_ID: &str = "1234567890123456";
/// The root AccessKey id.
pub(crate) const ROOT_KEY_ID: &str = "LTAIpipelineroot00000001";
/// The root AccessKey secret.
pub(crate) const ROOT_SECRET: &str = "pipelinerootsecret000000000000";

/// An AccessKey, with the security token of an STS session.
#[derive(Debug, Clone)]
pub(crate) struct Creds {
    /// The AccessKey id.
    pub id: String,
    /// The AccessKey secret.
    pub secret: String,
    /// The STS security token, for temporary credentials.
    pub token: Option<String>,
}

impl Creds {
    /// Long-term credentials.
    pub(crate) fn new(id: impl Into<String>, secret: impl Into<String>) -> Self {
        Self {
            id: id.into(),
            secret: secret.into(),
            token: None,
        }
    }
}

/// A server running in the test's runtime; stopped on drop.
pub(crate) struct Server {
    /// Where it listens.
    pub addr: SocketAddr,
    /// Where it listens with S3 as the dialect of anonymous requests (`--s3-addr`).
    pub s3_addr: SocketAddr,
    /// The account root's credentials.
    pub root: Creds,
    client: Client<HttpConnector, Full<Bytes>>,
    task: JoinHandle<std::io::Result<()>>,
    s3_task: JoinHandle<std::io::Result<()>>,
    /// Makes RAM entity names unique within the server.
    names: AtomicUsize,
}

impl Server {
    /// Builds the state over `MemoryMeta` + `MemoryBlobs` (as `ossd serve --memory` does) and
    /// serves it on a free port.
    pub(crate) async fn start() -> anyhow::Result<Self> {
        let memory = Arc::new(MemoryMeta::new());
        let meta: Arc<dyn MetaStore> = memory;
        let blobs: Arc<dyn BlobStore> = Arc::new(MemoryBlobs::new());
        let metrics = Arc::new(Metrics::new());
        meta.set_commit_observer(metrics.clone());
        let store = Store::new(
            meta.clone(),
            blobs.clone(),
            ossd_store::DEFAULT_INLINE_THRESHOLD,
        );
        let clock: Arc<dyn Clock> = Arc::new(SystemClock);
        let iam = ossd_iam::Iam::open(
            meta,
            ossd_iam::Keyring::generate(),
            ACCOUNT_ID.to_owned(),
            clock.clone(),
        )
        .await
        .context("opening the identity store")?;
        iam.ensure_root_key(ROOT_KEY_ID, ROOT_SECRET)
            .await
            .context("registering the root AccessKey")?;
        let audit = ossd_audit::AuditLog::open(ossd_audit::Sink::Memory { capacity: 1000 })
            .context("opening the audit ring")?;
        let state = Arc::new(AppState {
            store,
            config: ServerConfig {
                region: REGION.to_owned(),
                domains: Domains::new(Vec::new()),
                public_endpoint: None,
                account_id: ACCOUNT_ID.to_owned(),
                lifecycle_day_secs: 86_400,
                console: true,
                bucket_defaults: ossd_server::BucketDefaults::Cloud,
            },
            clock,
            iam,
            nonces: NonceCache::default(),
            audit,
            data_dir: None,
            emulator: Emulator::new(false, None, None, ROOT_KEY_ID.to_owned()),
            metrics,
            ops: Ops {
                metrics_token: None,
                blobs,
            },
            signing_keys: ossd_sig::SigningKeyCache::new(),
            images: ossd_image::Pool::with_workers(2),
            lifecycle_runs: ossd_server::LifecycleRuns::default(),
            console: ossd_server::ConsoleSessions::default(),
        });
        let tcp = TcpListener::bind("127.0.0.1:0").await?;
        let addr = tcp.local_addr()?;
        let listener = Listener {
            tcp,
            tls: None,
            config: ListenerConfig::default(),
        };
        let s3_tcp = TcpListener::bind("127.0.0.1:0").await?;
        let s3_addr = s3_tcp.local_addr()?;
        let s3_listener = Listener {
            tcp: s3_tcp,
            tls: None,
            config: ListenerConfig::default(),
        };
        let s3_task = tokio::spawn(ossd_server::serve(
            s3_listener,
            state.clone(),
            Dialect::S3,
            std::future::pending::<()>(),
        ));
        let task = tokio::spawn(ossd_server::serve(
            listener,
            state,
            Dialect::Oss,
            std::future::pending::<()>(),
        ));
        let client = Client::builder(TokioExecutor::new()).build(HttpConnector::new());
        Ok(Self {
            addr,
            s3_addr,
            s3_task,
            root: Creds::new(ROOT_KEY_ID, ROOT_SECRET),
            client,
            task,
            names: AtomicUsize::new(0),
        })
    }

    /// `127.0.0.1:<port>`.
    pub(crate) fn authority(&self) -> String {
        self.addr.to_string()
    }

    /// A name unique within this server: `<prefix>-<n>`.
    pub(crate) fn unique(&self, prefix: &str) -> String {
        format!("{prefix}-{}", self.names.fetch_add(1, Ordering::Relaxed))
    }

    /// Sends a request as built; the reply with its whole body.
    pub(crate) async fn send(&self, req: http::Request<Full<Bytes>>) -> anyhow::Result<Reply> {
        let resp = self
            .client
            .request(req)
            .await
            .context("sending the request")?;
        Reply::read(resp).await
    }

    /// Creates `bucket` as root and fails unless it was created; with `acl`, then sets it. A
    /// public ACL needs Block Public Access off first, as a client does since new buckets have
    /// it on (docs/protocol/buckets.md#new-bucket-defaults): turned off for it.
    pub(crate) async fn create_bucket(
        &self,
        bucket: &str,
        acl: Option<&str>,
    ) -> anyhow::Result<()> {
        Request::put(bucket, None)
            .v4(&self.root)
            .send(self)
            .await?
            .ok()?;
        let Some(acl) = acl else {
            return Ok(());
        };
        if acl != "private" {
            self.allow_public_access(bucket).await?;
        }
        Request::put(bucket, None)
            .sub("acl")
            .header("x-oss-acl", acl)
            .v4(&self.root)
            .send(self)
            .await?
            .ok()
    }

    /// Turns Block Public Access off on `bucket` (PutBucketPublicAccessBlock, as root).
    pub(crate) async fn allow_public_access(&self, bucket: &str) -> anyhow::Result<()> {
        let off = "<PublicAccessBlockConfiguration><BlockPublicAccess>false</BlockPublicAccess>\
                   </PublicAccessBlockConfiguration>";
        Request::put(bucket, None)
            .sub("publicAccessBlock")
            .body(Bytes::from_static(off.as_bytes()))
            .v4(&self.root)
            .send(self)
            .await?
            .ok()
    }

    /// Writes `key` in `bucket` as root with extra headers (e.g. `x-oss-object-acl`).
    pub(crate) async fn put_object(
        &self,
        bucket: &str,
        key: &str,
        body: &[u8],
        headers: &[(&str, &str)],
    ) -> anyhow::Result<()> {
        let mut req = Request::put(bucket, Some(key))
            .v4(&self.root)
            .body(Bytes::copy_from_slice(body));
        for (name, value) in headers {
            req = req.header(name, value);
        }
        req.send(self).await?.ok()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.task.abort();
        self.s3_task.abort();
    }
}
