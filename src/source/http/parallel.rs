//! Several ranged requests in flight for a large blob, reassembled in order within bounded
//! memory.

use std::collections::BTreeMap;
use std::io::{self, Read};
use std::sync::{Arc, Condvar, Mutex};
use std::thread;

use reqwest::header::{IF_MATCH, RANGE};
use reqwest::{StatusCode, Url};

use super::client::HttpClient;
use super::client::{MIN_BYTES_PER_TIMEOUT, backoff, content_range, describe_error, retryable};
use super::resuming::{HttpReader, Paced};
use crate::source::redact::scrub;

/// State shared by the reader and the download workers.
struct Shared {
    state: Mutex<State>,
    changed: Condvar,
}

struct State {
    /// Next chunk a worker should fetch.
    next: u64,
    /// Chunks handed to the reader so far.
    consumed: u64,
    done: BTreeMap<u64, Result<Vec<u8>, String>>,
    cancelled: bool,
}

/// Several ranged requests in flight, their chunks handed out in order. At most
/// `connections + 1` chunks are fetched ahead of the reader, so memory stays under
/// `(connections + 2) × chunk_size`.
pub(super) struct ParallelReader {
    shared: Arc<Shared>,
    chunks: u64,
    current: io::Cursor<Vec<u8>>,
}

impl ParallelReader {
    pub(super) fn start(
        http: HttpClient,
        url: Url,
        first: Vec<u8>,
        total: u64,
        etag: Option<String>,
    ) -> ParallelReader {
        let chunk = http.options.chunk_size;
        let chunks = total.div_ceil(chunk);
        let window = http.options.connections as u64 + 1;
        let shared = Arc::new(Shared {
            state: Mutex::new(State {
                next: 1,
                consumed: 0,
                done: BTreeMap::new(),
                cancelled: false,
            }),
            changed: Condvar::new(),
        });
        // The first chunk was fetched to measure the link.
        deliver(&shared, 0, Ok(first));
        let workers = (http.options.connections as u64).min(chunks.saturating_sub(1));
        for _ in 0..workers {
            let http = http.clone();
            let url = url.clone();
            let etag = etag.clone();
            let shared = Arc::clone(&shared);
            thread::spawn(move || worker(http, url, etag, total, chunks, window, &shared));
        }
        ParallelReader {
            shared,
            chunks,
            current: io::Cursor::new(Vec::new()),
        }
    }
}

pub(super) fn read_chunk(reader: &mut HttpReader, len: u64) -> Result<Vec<u8>, String> {
    let mut data = Vec::with_capacity(len as usize);
    match reader.take(len).read_to_end(&mut data) {
        Ok(_) if data.len() as u64 == len => Ok(data),
        Ok(_) => Err(format!(
            "the server sent {} of {len} bytes of a chunk",
            data.len()
        )),
        Err(e) => Err(e.to_string()),
    }
}

fn deliver(shared: &Shared, index: u64, result: Result<Vec<u8>, String>) {
    if let Ok(mut state) = shared.state.lock() {
        state.done.insert(index, result);
        shared.changed.notify_all();
    }
}

fn worker(
    http: HttpClient,
    url: Url,
    etag: Option<String>,
    total: u64,
    chunks: u64,
    window: u64,
    shared: &Shared,
) {
    loop {
        let index = {
            let Ok(mut state) = shared.state.lock() else {
                return;
            };
            while !state.cancelled && state.next < chunks && state.next >= state.consumed + window {
                state = match shared.changed.wait(state) {
                    Ok(s) => s,
                    Err(_) => return,
                };
            }
            if state.cancelled || state.next >= chunks {
                return;
            }
            state.next += 1;
            state.next - 1
        };
        let chunk = http.options.chunk_size;
        let start = index * chunk;
        let end = (start + chunk).min(total);
        let result = fetch_range(&http, &url, etag.as_deref(), start, end);
        deliver(shared, index, result);
    }
}

/// Bytes `start..end` of the blob, retried and resumed within the range.
fn fetch_range(
    http: &HttpClient,
    url: &Url,
    etag: Option<&str>,
    start: u64,
    end: u64,
) -> Result<Vec<u8>, String> {
    let mut data = Vec::with_capacity((end - start) as usize);
    let mut failures = 0;
    while (data.len() as u64) < end - start {
        let from = start + data.len() as u64;
        let mut request = http
            .client
            .get(url.clone())
            .header(RANGE, format!("bytes={from}-{}", end - 1));
        if let Some(etag) = etag {
            request = request.header(IF_MATCH, etag);
        }
        let outcome: Result<(), String> = match request.send() {
            Ok(response) if response.status() == StatusCode::PARTIAL_CONTENT => {
                match content_range(response.headers()) {
                    Some((s, _, _)) if s == from => {
                        let before = data.len();
                        let read = Paced::new(response, http.options.timeout)
                            .take(end - from)
                            .read_to_end(&mut data);
                        if (data.len() - before) as u64 >= MIN_BYTES_PER_TIMEOUT {
                            failures = 0;
                        }
                        match read {
                            Ok(_) if data.len() as u64 == end - start => return Ok(data),
                            Ok(_) => Err("connection closed inside a chunk".to_string()),
                            Err(e) => Err(scrub(&e.to_string(), url)),
                        }
                    }
                    _ => return Err("the server answered with a range not asked for".into()),
                }
            }
            Ok(response) if response.status() == StatusCode::PRECONDITION_FAILED => {
                return Err(format!(
                    "the blob changed during the download (its ETag no longer matches) at byte {from}; run again to read the new version"
                ));
            }
            Ok(response) if retryable(response.status()) => {
                Err(format!("HTTP {}", response.status().as_u16()))
            }
            Ok(response) => {
                return Err(format!(
                    "HTTP {} for a range request",
                    response.status().as_u16()
                ));
            }
            Err(e) => Err(describe_error(&e, Some(url))),
        };
        if let Err(why) = outcome {
            failures += 1;
            if failures > http.options.retries {
                return Err(format!(
                    "download failed at byte {from} after {failures} attempts: {why}"
                ));
            }
            thread::sleep(backoff(&http.options, failures));
        }
    }
    Ok(data)
}

impl Read for ParallelReader {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        loop {
            let n = self.current.read(buf)?;
            if n > 0 || buf.is_empty() {
                return Ok(n);
            }
            let Ok(mut state) = self.shared.state.lock() else {
                return Err(io::Error::other("a download worker failed"));
            };
            if state.consumed >= self.chunks {
                return Ok(0);
            }
            let index = state.consumed;
            let chunk = loop {
                if let Some(chunk) = state.done.remove(&index) {
                    break chunk;
                }
                state = self
                    .shared
                    .changed
                    .wait(state)
                    .map_err(|_| io::Error::other("a download worker failed"))?;
            };
            state.consumed += 1;
            self.shared.changed.notify_all();
            drop(state);
            self.current = io::Cursor::new(chunk.map_err(io::Error::other)?);
        }
    }
}

impl Drop for ParallelReader {
    fn drop(&mut self) {
        if let Ok(mut state) = self.shared.state.lock() {
            state.cancelled = true;
            state.done.clear();
            self.shared.changed.notify_all();
        }
    }
}
