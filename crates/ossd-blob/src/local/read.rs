//! Ranged reads of local blobs. The file is opened when the read is opened, so a blob deleted
//! later still streams to the end. Each chunk is read by a short blocking task, and the next
//! chunk is requested as soon as one is handed out (one chunk of read-ahead, bounded memory).

use std::fs::File;
use std::future::Future;
use std::io::{self, Read, Seek, SeekFrom};
use std::path::Path;
use std::pin::Pin;
use std::task::{Context, Poll, ready};

use bytes::Bytes;
use futures_util::Stream;
use tokio::task::{JoinHandle, spawn_blocking};

use crate::BlobError;

/// Largest chunk a read yields.
pub(crate) const CHUNK: usize = 256 * 1024;

/// A read job hands the file back, unless it read the last chunk (then it closed the file).
type Job = JoinHandle<(Option<File>, io::Result<Bytes>)>;

/// Opens blob `id` at `path` and positions it at `offset`, checking the range. Blocking.
pub(crate) fn open_range(path: &Path, id: &str, offset: u64, len: u64) -> Result<File, BlobError> {
    let mut file = File::open(path).map_err(|e| match e.kind() {
        io::ErrorKind::NotFound => BlobError::NotFound(id.to_owned()),
        _ => BlobError::io("open", path)(e),
    })?;
    let size = file.metadata().map_err(BlobError::io("stat", path))?.len();
    if offset.checked_add(len).is_none_or(|end| end > size) {
        return Err(BlobError::OutOfRange {
            id: id.to_owned(),
            offset,
            len,
            size,
        });
    }
    file.seek(SeekFrom::Start(offset))
        .map_err(BlobError::io("seek", path))?;
    Ok(file)
}

/// The chunks of `remaining` bytes from an opened, positioned file.
#[derive(Debug)]
pub(crate) struct FileStream {
    remaining: u64,
    state: State,
}

#[derive(Debug)]
enum State {
    Idle(File),
    Reading(Job),
    Done,
}

impl FileStream {
    /// Streams the next `len` bytes of `file`.
    pub(crate) fn new(file: File, len: u64) -> Self {
        Self {
            remaining: len,
            state: if len == 0 {
                State::Done
            } else {
                State::Idle(file)
            },
        }
    }

    /// Starts reading the next chunk, if any bytes remain.
    fn start(&mut self, mut file: File) {
        if self.remaining == 0 {
            self.state = State::Done;
            return;
        }
        let n = usize::try_from(self.remaining).map_or(CHUNK, |r| r.min(CHUNK));
        let last = n as u64 == self.remaining;
        self.remaining -= n as u64;
        self.state = State::Reading(spawn_blocking(move || {
            let chunk = read_chunk(&mut file, n);
            ((!last).then_some(file), chunk)
        }));
    }
}

impl Stream for FileStream {
    type Item = io::Result<Bytes>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = &mut *self;
        if let State::Idle(_) = this.state
            && let State::Idle(file) = std::mem::replace(&mut this.state, State::Done)
        {
            this.start(file);
        }
        let State::Reading(job) = &mut this.state else {
            return Poll::Ready(None);
        };
        let (file, chunk) =
            ready!(Pin::new(job).poll(cx)).unwrap_or_else(|e| (None, Err(io::Error::other(e))));
        match (file, &chunk) {
            (Some(file), Ok(_)) => this.start(file),
            _ => this.state = State::Done,
        }
        Poll::Ready(Some(chunk))
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let in_flight = u64::from(matches!(self.state, State::Reading(_)));
        let chunks = usize::try_from(in_flight + self.remaining.div_ceil(CHUNK as u64));
        chunks.map_or((usize::MAX, None), |n| (n, Some(n)))
    }
}

/// Reads exactly `n` bytes; a file shorter than recorded is an error, not a short body. Blocking.
fn read_chunk(file: &mut File, n: usize) -> io::Result<Bytes> {
    let mut buf = Vec::with_capacity(n);
    file.by_ref().take(n as u64).read_to_end(&mut buf)?;
    if buf.len() < n {
        return Err(io::Error::new(
            io::ErrorKind::UnexpectedEof,
            "blob file is shorter than its range",
        ));
    }
    Ok(Bytes::from(buf))
}
