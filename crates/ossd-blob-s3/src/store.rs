//! [`S3Blobs`]: the [`BlobStore`] over an OpenDAL S3 operator. Each blob is one object
//! `<prefix>/<id>`, written once, read by range, deleted in batches (docs/scale-out.md,
//! "S3-compatible backend").

use std::io;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll, ready};
use std::time::Duration;

use async_trait::async_trait;
use bytes::Bytes;
use futures_util::{Stream, TryStreamExt};
use opendal::layers::{RetryLayer, TimeoutLayer};
use opendal::{ErrorKind, HttpTransporter, Operator};
use opendal_http_transport_reqwest::ReqwestTransport;
use ossd_blob::{BlobError, BlobReader, BlobStore, BlobWrite};

use crate::writer::S3Writer;
use crate::{S3Settings, id};

/// Time allowed for a control request (stat, delete, one list page) per attempt.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);
/// Time allowed for each step of a streamed body (one part sent, one chunk read) per attempt.
pub const IO_TIMEOUT: Duration = Duration::from_secs(60);
/// Time allowed to open a TCP (and TLS) connection to the backend.
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// Retries after a temporary failure (connection error, 5xx, 429, timeout): four, with
/// exponential backoff from 200 ms to 5 s and jitter. Requests are retried whole (a part is
/// buffered, so it can be sent again; a read resumes at the byte it had reached).
pub const RETRIES: usize = 4;

/// A [`BlobStore`] in an S3-compatible bucket.
#[derive(Clone, Debug)]
pub struct S3Blobs {
    inner: Arc<Inner>,
}

#[derive(Debug)]
pub(crate) struct Inner {
    pub(crate) op: Operator,
    pub(crate) max_write: Duration,
}

impl S3Blobs {
    /// Builds the store for `settings`; no request is sent (see [`S3Blobs::check`]).
    pub fn open(settings: &S3Settings) -> Result<Self, BlobError> {
        // reqwest is built without a default crypto provider: use ring, as the server does.
        // An error only says a provider is installed already.
        let _ = rustls::crypto::ring::default_provider().install_default();
        let client = reqwest::Client::builder()
            .connect_timeout(CONNECT_TIMEOUT)
            .pool_idle_timeout(Duration::from_secs(60))
            .build()
            .map_err(backend_error("connect", &settings.bucket))?;
        let mut builder = opendal::services::S3::default()
            .bucket(&settings.bucket)
            .root(&format!("/{}", settings.prefix))
            .region(&settings.region)
            .access_key_id(&settings.access_key_id)
            .secret_access_key(&settings.secret_access_key)
            // Nothing but the settings: no ~/.aws files, AWS_* variables or instance metadata.
            .disable_config_load()
            .disable_ec2_metadata();
        if !settings.endpoint.is_empty() {
            builder = builder.endpoint(&settings.endpoint);
        }
        if settings.virtual_host {
            builder = builder.enable_virtual_host_style();
        }
        let op = Operator::new(builder).map_err(backend_error("configure", &settings.bucket))?;
        let ctx = op
            .base_context()
            .with_http_transport(HttpTransporter::new(ReqwestTransport::new(client)));
        // Timeout below retry: each attempt is timed, and a timed-out attempt is retried.
        let op = op
            .with_context(ctx)
            .layer(
                TimeoutLayer::new()
                    .with_timeout(REQUEST_TIMEOUT)
                    .with_io_timeout(IO_TIMEOUT),
            )
            .layer(
                RetryLayer::new()
                    .with_max_times(RETRIES)
                    .with_min_delay(Duration::from_millis(200))
                    .with_max_delay(Duration::from_secs(5))
                    .with_jitter(),
            );
        Ok(Self {
            inner: Arc::new(Inner {
                op,
                max_write: settings.max_write,
            }),
        })
    }

    /// Lists one page of the store: fails when the bucket is unreachable, missing or the
    /// credentials are refused. Run at startup so a bad `--blobs` fails at once.
    pub async fn check(&self) -> Result<(), BlobError> {
        self.inner
            .op
            .check()
            .await
            .map_err(backend_error("check", "/"))
    }

    /// Ids of the stored blobs, all of them or (`created_before`, milliseconds since the
    /// epoch) only those whose id was created before that time.
    async fn ids(&self, created_before: Option<u64>) -> Result<Vec<String>, BlobError> {
        let mut lister = self
            .inner
            .op
            .lister_with("/")
            .await
            .map_err(backend_error("list", "/"))?;
        let mut ids = Vec::new();
        while let Some(entry) = lister
            .try_next()
            .await
            .map_err(backend_error("list", "/"))?
        {
            let name = entry.name();
            if !entry.metadata().is_file() || !id::is_valid(name) {
                continue;
            }
            match (created_before, id::created_ms(name)) {
                (None, _) => ids.push(name.to_owned()),
                (Some(limit), Some(t)) if t < limit => ids.push(name.to_owned()),
                // S3 lists keys in ascending order and ids begin with their creation time:
                // every id after this one is as new.
                (Some(_), _) => break,
            }
        }
        Ok(ids)
    }
}

#[async_trait]
impl BlobStore for S3Blobs {
    fn writer(&self, inline_threshold: usize) -> Box<dyn BlobWrite> {
        Box::new(S3Writer::new(self.inner.clone(), inline_threshold))
    }

    async fn open(&self, id: &str, offset: u64, len: u64) -> Result<BlobReader, BlobError> {
        if !id::is_valid(id) {
            return Err(BlobError::InvalidId(id.chars().take(80).collect()));
        }
        let op = &self.inner.op;
        let size = op
            .stat(id)
            .await
            .map_err(backend_error("stat", id))?
            .content_length();
        let end = offset.checked_add(len).filter(|end| *end <= size);
        let Some(end) = end else {
            return Err(BlobError::OutOfRange {
                id: id.to_owned(),
                offset,
                len,
                size,
            });
        };
        if len == 0 {
            return Ok(BlobReader::from_bytes(Bytes::new()));
        }
        let stream = op
            .reader(id)
            .await
            .map_err(backend_error("read", id))?
            .into_bytes_stream(offset..end)
            .await
            .map_err(backend_error("read", id))?;
        Ok(BlobReader::new(Exact {
            inner: stream,
            remaining: len,
            done: false,
        }))
    }

    async fn delete(&self, ids: &[String]) -> Result<(), BlobError> {
        if let Some(bad) = ids.iter().find(|id| !id::is_valid(id)) {
            return Err(BlobError::InvalidId(bad.chars().take(80).collect()));
        }
        // Batched (DeleteObjects); a key that does not exist is not an error in S3.
        self.inner
            .op
            .delete_iter(ids.iter().map(String::as_str))
            .await
            .map_err(backend_error(
                "delete",
                ids.first().map_or("", String::as_str),
            ))
    }

    async fn list(&self) -> Result<Vec<String>, BlobError> {
        self.ids(None).await
    }

    /// Blobs whose id was created more than `age` plus the longest a write may take ago: their
    /// write has finished at least `age` ago whatever its length (docs/scale-out.md, "Blobs").
    async fn list_older_than(&self, age: Duration) -> Result<Vec<String>, BlobError> {
        let limit = id::ms_before_now(age.saturating_add(self.inner.max_write));
        self.ids(Some(limit)).await
    }
}

/// `op` on `key` failed: [`BlobError::NotFound`] for a missing object, else
/// [`BlobError::Backend`] with OpenDAL's error (which names the request, never the secret).
pub(crate) fn backend_error<E>(op: &'static str, key: &str) -> impl FnOnce(E) -> BlobError
where
    E: Into<Box<dyn std::error::Error + Send + Sync>> + 'static,
{
    let key = key.to_owned();
    move |e| {
        let source: Box<dyn std::error::Error + Send + Sync> = e.into();
        if let Some(dal) = source.downcast_ref::<opendal::Error>()
            && dal.kind() == ErrorKind::NotFound
        {
            return BlobError::NotFound(key);
        }
        BlobError::Backend { op, key, source }
    }
}

/// A read that must yield exactly its length: a body cut short is an error, not a short object.
struct Exact<S> {
    inner: S,
    remaining: u64,
    done: bool,
}

impl<S: Stream<Item = io::Result<Bytes>> + Unpin> Stream for Exact<S> {
    type Item = io::Result<Bytes>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        if self.done {
            return Poll::Ready(None);
        }
        let item = ready!(Pin::new(&mut self.inner).poll_next(cx));
        let item = match item {
            Some(Ok(chunk)) if chunk.len() as u64 > self.remaining => Some(Err(io::Error::other(
                "blob backend sent more than the range",
            ))),
            Some(Ok(chunk)) => {
                self.remaining -= chunk.len() as u64;
                Some(Ok(chunk))
            }
            None if self.remaining > 0 => Some(Err(io::Error::new(
                io::ErrorKind::UnexpectedEof,
                "blob backend ended the read before the range",
            ))),
            other => other,
        };
        self.done = !matches!(item, Some(Ok(_)));
        Poll::Ready(item)
    }
}
