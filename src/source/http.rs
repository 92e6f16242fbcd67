//! Captures over HTTP(S), Azure Blob SAS URLs first among them: streamed while they download,
//! resumed where they broke off (a Range request from the exact byte consumed, `If-Match` on
//! the ETag so that a changed blob is an error, not a silent mix), and fetched over several
//! connections in parallel for large blobs, reassembled in order within bounded memory.
//! Nothing printed ever holds the SAS token: see [`super::redact`].

use std::collections::BTreeMap;
use std::io::{self, Read};
use std::sync::{Arc, Condvar, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use reqwest::blocking::{Client, Response};
use reqwest::header::{
    ACCEPT_RANGES, CONTENT_LENGTH, CONTENT_RANGE, ETAG, HeaderMap, IF_MATCH, RANGE,
};
use reqwest::{StatusCode, Url};

use super::SourceError;
use super::redact::{redact, sas_expiry, sas_permissions, scrub};

/// Bytes per ranged request when downloading over several connections.
pub const CHUNK_SIZE: u64 = 8 << 20;

/// A first chunk arriving faster than this means one connection already outruns what more
/// connections would add (a local or LAN server): the rest streams over one. Slower links
/// (a blob store across a WAN, per-connection throttling) get parallel ranged requests.
pub const FAST_LINK_BYTES_PER_SEC: f64 = 200e6;

/// The least a connection must deliver per `timeout` to count as alive: a server trickling
/// bytes just inside the timeout (a slow-loris) would otherwise hold a download for ever.
/// 64 KiB per 30 s is about 2 KiB/s; a longer `--timeout` admits slower links.
pub const MIN_BYTES_PER_TIMEOUT: u64 = 64 << 10;

/// How downloads behave.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HttpOptions {
    /// Parallel ranged requests for blobs larger than one chunk; 1 streams one response.
    pub connections: usize,
    /// Connect timeout, and the longest a read may wait for data.
    pub timeout: Duration,
    /// Consecutive failed attempts (without [`MIN_BYTES_PER_TIMEOUT`] of progress) before
    /// giving up.
    pub retries: u32,
    /// First back-off delay; it doubles on each further failure, up to 5 s.
    pub backoff: Duration,
    /// PEM file with extra trusted root certificates.
    pub ca_cert: Option<std::path::PathBuf>,
    /// Bytes per ranged request with several connections.
    pub chunk_size: u64,
}

impl Default for HttpOptions {
    fn default() -> Self {
        HttpOptions {
            connections: 4,
            timeout: Duration::from_secs(30),
            retries: 6,
            backoff: Duration::from_millis(250),
            ca_cert: None,
            chunk_size: CHUNK_SIZE,
        }
    }
}

/// A configured HTTP client, shared by every URL of a run.
#[derive(Clone)]
pub struct HttpClient {
    client: Client,
    options: HttpOptions,
}

impl HttpClient {
    pub fn new(options: &HttpOptions) -> Result<HttpClient, SourceError> {
        // rustls needs a process-wide crypto provider; a second install is a harmless no-op.
        let _ = rustls::crypto::ring::default_provider().install_default();
        let mut builder = Client::builder()
            .user_agent(concat!("ca-cli/", env!("CARGO_PKG_VERSION")))
            .connect_timeout(options.timeout)
            .timeout(options.timeout);
        if let Some(path) = &options.ca_cert {
            let name = path.display().to_string();
            let pem = std::fs::read(path).map_err(|e| SourceError::Open {
                name: name.clone(),
                reason: format!("cannot read CA certificate: {}", super::io_reason(&e)),
            })?;
            let certs =
                reqwest::Certificate::from_pem_bundle(&pem).map_err(|_| SourceError::Open {
                    name: name.clone(),
                    reason: "not a PEM certificate file".into(),
                })?;
            if certs.is_empty() {
                return Err(SourceError::Open {
                    name,
                    reason: "no certificate in the PEM file".into(),
                });
            }
            builder = builder.tls_certs_merge(certs);
        }
        let client = builder.build().map_err(|e| SourceError::Open {
            name: "HTTP client".into(),
            reason: describe_error(&e, None),
        })?;
        Ok(HttpClient {
            client,
            options: options.clone(),
        })
    }

    /// Start downloading `url`: fails now for anything that makes it unusable (refused,
    /// missing, unreachable), then streams.
    pub fn open(&self, url: &Url) -> Result<Download, SourceError> {
        let name = redact(url);
        let parallel = self.options.connections > 1;
        let mut failures = 0;
        let response = loop {
            let mut request = self.client.get(url.clone());
            if parallel {
                request = request.header(RANGE, format!("bytes=0-{}", self.options.chunk_size - 1));
            }
            match request.send() {
                Ok(response) if retryable(response.status()) && failures < self.options.retries => {
                    failures += 1;
                    thread::sleep(backoff(&self.options, failures));
                }
                Ok(response) => break response,
                Err(e) if e.is_timeout() && failures < self.options.retries => {
                    failures += 1;
                    thread::sleep(backoff(&self.options, failures));
                }
                Err(e) => {
                    return Err(SourceError::Http {
                        name,
                        message: describe_error(&e, Some(url)),
                    });
                }
            }
        };
        let status = response.status();
        let headers = response.headers().clone();
        let etag = headers
            .get(ETAG)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string);
        match status {
            StatusCode::OK => {
                let total = content_length(&headers);
                let reader =
                    HttpReader::new(self.clone(), url.clone(), Some(response), 0, total, etag);
                Ok(Download {
                    reader: Box::new(reader),
                    total,
                })
            }
            StatusCode::PARTIAL_CONTENT => {
                let Some((0, _, Some(total))) = content_range(&headers) else {
                    return Err(SourceError::Http {
                        name,
                        message: "the server answered a range request with a range not asked for"
                            .into(),
                    });
                };
                let ranges = headers
                    .get(ACCEPT_RANGES)
                    .is_none_or(|v| v.as_bytes() == b"bytes");
                if total <= self.options.chunk_size || !ranges {
                    let reader = HttpReader::new(
                        self.clone(),
                        url.clone(),
                        Some(response),
                        0,
                        Some(total),
                        etag,
                    );
                    return Ok(Download {
                        reader: Box::new(reader),
                        total: Some(total),
                    });
                }
                let chunk = self.options.chunk_size;
                let started = std::time::Instant::now();
                let mut first = HttpReader::new(
                    self.clone(),
                    url.clone(),
                    Some(response),
                    0,
                    Some(chunk),
                    etag.clone(),
                );
                let head = read_chunk(&mut first, chunk).map_err(|message| SourceError::Http {
                    name: name.clone(),
                    message,
                })?;
                let rate = chunk as f64 / started.elapsed().as_secs_f64().max(1e-9);
                let reader: Box<dyn Read + Send> = if rate >= FAST_LINK_BYTES_PER_SEC {
                    let rest =
                        HttpReader::new(self.clone(), url.clone(), None, chunk, Some(total), etag);
                    Box::new(io::Cursor::new(head).chain(rest))
                } else {
                    Box::new(ParallelReader::start(
                        self.clone(),
                        url.clone(),
                        head,
                        total,
                        etag,
                    ))
                };
                Ok(Download {
                    reader,
                    total: Some(total),
                })
            }
            // A range on an empty blob: Azure answers 416; the body is empty.
            StatusCode::RANGE_NOT_SATISFIABLE if parallel => Ok(Download {
                reader: Box::new(io::empty()),
                total: Some(0),
            }),
            _ => Err(SourceError::Http {
                name,
                message: refusal(status, &headers, response, url),
            }),
        }
    }
}

/// A download in progress.
pub struct Download {
    pub reader: Box<dyn Read + Send>,
    /// Size of the body, when the server says.
    pub total: Option<u64>,
}

fn retryable(status: StatusCode) -> bool {
    status.is_server_error()
        || status == StatusCode::TOO_MANY_REQUESTS
        || status == StatusCode::REQUEST_TIMEOUT
}

fn backoff(options: &HttpOptions, failures: u32) -> Duration {
    let factor = 1u32 << failures.saturating_sub(1).min(10);
    (options.backoff * factor).min(Duration::from_secs(5))
}

fn content_length(headers: &HeaderMap) -> Option<u64> {
    headers.get(CONTENT_LENGTH)?.to_str().ok()?.parse().ok()
}

/// `Content-Range: bytes START-END/TOTAL` (TOTAL may be `*`).
fn content_range(headers: &HeaderMap) -> Option<(u64, u64, Option<u64>)> {
    let value = headers.get(CONTENT_RANGE)?.to_str().ok()?;
    let rest = value.strip_prefix("bytes ")?;
    let (range, total) = rest.split_once('/')?;
    let (start, end) = range.split_once('-')?;
    Some((start.parse().ok()?, end.parse().ok()?, total.parse().ok()))
}

/// One line saying why the server refused, from the status and Azure's error code.
fn refusal(status: StatusCode, headers: &HeaderMap, response: Response, url: &Url) -> String {
    let mut body = Vec::new();
    let _ = response.take(4096).read_to_end(&mut body);
    let body = String::from_utf8_lossy(&body);
    let code = headers
        .get("x-ms-error-code")
        .and_then(|v| v.to_str().ok())
        .map(str::to_string)
        .or_else(|| {
            let start = body.find("<Code>")? + 6;
            let end = body[start..].find("</Code>")? + start;
            Some(body[start..end].to_string())
        });
    let label = match &code {
        Some(code) => format!("{} {code}", status.as_u16()),
        None => status.as_u16().to_string(),
    };
    let expiry = sas_expiry(url);
    let expired = expiry
        .as_deref()
        .and_then(crate::capture::Timestamp::parse_rfc3339)
        .is_some_and(|se| se.as_nanos() < now_nanos());
    let message = match (status.as_u16(), code.as_deref()) {
        (403, _) if expired => format!(
            "access denied ({label}): the SAS token expired at se={}",
            expiry.unwrap_or_default()
        ),
        (403, Some("AuthorizationPermissionMismatch")) => {
            let permissions = sas_permissions(url)
                .map(|sp| format!(" (it grants sp={sp}; reading needs r)"))
                .unwrap_or_default();
            format!(
                "access denied ({label}): the SAS token does not grant read permission{permissions}"
            )
        }
        (403, Some("AuthenticationFailed" | "AuthorizationFailure") | None) => {
            let until = expiry
                .map(|se| format!(" (valid until se={se})"))
                .unwrap_or_default();
            format!(
                "access denied ({label}): the SAS token is invalid{until}, or the account refuses this client (firewall, network rules)"
            )
        }
        (403, _) => format!("access denied ({label})"),
        (404, Some("ContainerNotFound")) => format!("container not found ({label})"),
        (404, Some("BlobNotFound")) => format!("blob not found ({label})"),
        (404, _) => format!("not found ({label})"),
        (416, _) => format!("range not satisfiable ({label})"),
        (401, _) => format!("authentication required ({label})"),
        (s, _) if (500..600).contains(&s) => {
            format!("server error ({label}), still failing after retries")
        }
        _ => format!("HTTP error {label}"),
    };
    scrub(&message, url)
}

fn now_nanos() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_nanos()).unwrap_or(i64::MAX))
}

/// A one-line description of a transport error, without the URL (reqwest puts the whole
/// URL, SAS token included, in its messages).
pub fn describe_error(error: &reqwest::Error, url: Option<&Url>) -> String {
    let mut causes = Vec::new();
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        let text = cause.to_string();
        if !causes.iter().any(|c: &String| c.contains(&text)) {
            causes.push(text);
        }
        source = cause.source();
    }
    let host = url.and_then(|u| u.host_str()).unwrap_or("the server");
    let detail = causes.last().cloned().unwrap_or_else(|| error.to_string());
    let message = if error.is_timeout() {
        format!("timed out waiting for {host}")
    } else if detail.contains("dns error") || detail.contains("failed to lookup address") {
        format!("cannot resolve host {host}: {detail}")
    } else if causes
        .iter()
        .any(|c| c.contains("certificate") || c.to_lowercase().contains("tls"))
    {
        format!("TLS handshake with {host} failed: {detail} (a private CA needs --ca-cert)")
    } else if error.is_connect() {
        format!("cannot connect to {host}: {detail}")
    } else {
        format!("request to {host} failed: {detail}")
    };
    match url {
        Some(url) => scrub(&message, url),
        None => message,
    }
}

/// A response body held to a minimum pace: fewer than [`MIN_BYTES_PER_TIMEOUT`] bytes within
/// one timeout is an error, like a stall, so the download resumes on a new connection (and,
/// after the retries, fails) instead of crawling on.
struct Paced<R> {
    inner: R,
    window: Duration,
    window_start: Instant,
    window_bytes: u64,
}

impl<R: Read> Paced<R> {
    fn new(inner: R, window: Duration) -> Paced<R> {
        Paced {
            inner,
            window,
            window_start: Instant::now(),
            window_bytes: 0,
        }
    }
}

impl<R: Read> Read for Paced<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        if n == 0 {
            return Ok(0);
        }
        self.window_bytes += n as u64;
        let elapsed = self.window_start.elapsed();
        if elapsed >= self.window {
            if self.window_bytes < MIN_BYTES_PER_TIMEOUT {
                // The bytes of this read are dropped with the connection and asked for again.
                return Err(io::Error::new(
                    io::ErrorKind::TimedOut,
                    format!(
                        "the server sent only {} bytes in {:.1} s (a connection must bring \
                         {} KiB per --timeout)",
                        self.window_bytes,
                        elapsed.as_secs_f64(),
                        MIN_BYTES_PER_TIMEOUT >> 10
                    ),
                ));
            }
            self.window_start = Instant::now();
            self.window_bytes = 0;
        }
        Ok(n)
    }
}

/// One response streamed, resumed with a Range request after a broken connection.
struct HttpReader {
    http: HttpClient,
    url: Url,
    response: Option<Paced<Response>>,
    /// Bytes read since the last failure: enough of them prove the connection healthy.
    progress: u64,
    position: u64,
    total: Option<u64>,
    etag: Option<String>,
    failures: u32,
}

impl HttpReader {
    /// A reader of `response` (the body from `position`), or, without one, a reader that asks
    /// for the body from `position` on its first read.
    fn new(
        http: HttpClient,
        url: Url,
        response: Option<Response>,
        position: u64,
        total: Option<u64>,
        etag: Option<String>,
    ) -> HttpReader {
        let window = http.options.timeout;
        HttpReader {
            http,
            url,
            response: response.map(|r| Paced::new(r, window)),
            progress: 0,
            position,
            total,
            etag,
            failures: 0,
        }
    }

    fn give_up(&self, why: &str) -> io::Error {
        io::Error::other(scrub(
            &format!(
                "download failed at byte {} after {} attempts: {why}",
                self.position, self.failures
            ),
            &self.url,
        ))
    }

    /// Count a failure, and wait before the next attempt; an error when attempts run out.
    fn failed(&mut self, why: &str) -> io::Result<()> {
        self.failures += 1;
        self.progress = 0;
        if self.failures > self.http.options.retries {
            return Err(self.give_up(why));
        }
        thread::sleep(backoff(&self.http.options, self.failures));
        Ok(())
    }

    /// Ask for the rest of the body from `position`, on the same version of the blob.
    fn resume(&mut self) -> io::Result<()> {
        loop {
            let mut request = self
                .http
                .client
                .get(self.url.clone())
                .header(RANGE, format!("bytes={}-", self.position));
            if let Some(etag) = &self.etag {
                request = request.header(IF_MATCH, etag);
            }
            let response = match request.send() {
                Ok(r) => r,
                Err(e) => {
                    self.failed(&describe_error(&e, Some(&self.url)))?;
                    continue;
                }
            };
            let status = response.status();
            match status {
                StatusCode::PARTIAL_CONTENT => {
                    match content_range(response.headers()) {
                        Some((start, _, _)) if start == self.position => {}
                        _ => return Err(self.give_up("the server resumed at the wrong byte")),
                    }
                    self.response = Some(Paced::new(response, self.http.options.timeout));
                    return Ok(());
                }
                StatusCode::PRECONDITION_FAILED => {
                    return Err(io::Error::other(format!(
                        "the blob changed during the download (its ETag no longer matches) at byte {}; run again to read the new version",
                        self.position
                    )));
                }
                StatusCode::RANGE_NOT_SATISFIABLE
                    if self.total.is_some_and(|t| self.position >= t) =>
                {
                    return Ok(());
                }
                StatusCode::OK => {
                    // The server ignores ranges: read past what we already have, if it is the
                    // same version.
                    let etag = response.headers().get(ETAG).and_then(|v| v.to_str().ok());
                    if self.etag.is_some() && etag != self.etag.as_deref() {
                        return Err(io::Error::other(
                            "the blob changed during the download (its ETag no longer matches); run again to read the new version",
                        ));
                    }
                    let mut response = Paced::new(response, self.http.options.timeout);
                    let skipped =
                        io::copy(&mut (&mut response).take(self.position), &mut io::sink());
                    match skipped {
                        Ok(n) if n == self.position => {
                            self.response = Some(response);
                            return Ok(());
                        }
                        _ => {
                            self.failed("connection lost while skipping to the resume point")?;
                        }
                    }
                }
                StatusCode::RANGE_NOT_SATISFIABLE => {
                    let announced = self
                        .total
                        .map(|t| format!("announced {t} bytes but "))
                        .unwrap_or_default();
                    return Err(io::Error::other(format!(
                        "the server {announced}has no data past byte {} (HTTP 416)",
                        self.position
                    )));
                }
                s if retryable(s) => self.failed(&format!("HTTP {}", s.as_u16()))?,
                s => {
                    return Err(self.give_up(&format!("HTTP {} on resume", s.as_u16())));
                }
            }
        }
    }
}

impl Read for HttpReader {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if buf.is_empty() {
            return Ok(0);
        }
        loop {
            let Some(response) = self.response.as_mut() else {
                if self.total.is_some_and(|t| self.position >= t) {
                    return Ok(0);
                }
                self.resume()?;
                if self.response.is_none() {
                    return Ok(0);
                }
                continue;
            };
            match response.read(buf) {
                Ok(0) => {
                    self.response = None;
                    if self.total.is_none_or(|t| self.position >= t) {
                        return Ok(0);
                    }
                    self.failed("the connection closed before the end of the body")?;
                }
                Ok(n) => {
                    self.position += n as u64;
                    self.progress += n as u64;
                    if self.progress >= MIN_BYTES_PER_TIMEOUT {
                        self.failures = 0;
                    }
                    return Ok(n);
                }
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => {
                    self.response = None;
                    self.failed(&scrub(&e.to_string(), &self.url))?;
                }
            }
        }
    }
}

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
struct ParallelReader {
    shared: Arc<Shared>,
    chunks: u64,
    current: io::Cursor<Vec<u8>>,
}

impl ParallelReader {
    fn start(
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

fn read_chunk(reader: &mut HttpReader, len: u64) -> Result<Vec<u8>, String> {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_range_parsing() {
        let mut headers = HeaderMap::new();
        headers.insert(CONTENT_RANGE, "bytes 0-4194303/205194734".parse().unwrap());
        assert_eq!(
            content_range(&headers),
            Some((0, 4_194_303, Some(205_194_734)))
        );
        headers.insert(CONTENT_RANGE, "bytes 10-20/*".parse().unwrap());
        assert_eq!(content_range(&headers), Some((10, 20, None)));
        headers.insert(CONTENT_RANGE, "items 1-2/3".parse().unwrap());
        assert_eq!(content_range(&headers), None);
    }

    #[test]
    fn backoff_doubles_up_to_five_seconds() {
        let options = HttpOptions::default();
        assert_eq!(backoff(&options, 1), Duration::from_millis(250));
        assert_eq!(backoff(&options, 2), Duration::from_millis(500));
        assert_eq!(backoff(&options, 30), Duration::from_secs(5));
    }
}
