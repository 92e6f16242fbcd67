//! One response streamed, resumed where it broke off: a Range request from the exact byte
//! consumed, `If-Match` on the ETag so that a changed blob is an error, not a silent mix.

use std::io::{self, Read};
use std::thread;
use std::time::{Duration, Instant};

use reqwest::blocking::Response;
use reqwest::header::{ETAG, IF_MATCH, RANGE};
use reqwest::{StatusCode, Url};

use super::client::{
    HttpClient, MIN_BYTES_PER_TIMEOUT, backoff, content_range, describe_error, retryable,
};
use crate::source::redact::scrub;

/// A response body held to a minimum pace: fewer than [`MIN_BYTES_PER_TIMEOUT`] bytes within
/// one timeout is an error, like a stall, so the download resumes on a new connection (and,
/// after the retries, fails) instead of crawling on.
pub(super) struct Paced<R> {
    inner: R,
    window: Duration,
    window_start: Instant,
    window_bytes: u64,
}

impl<R: Read> Paced<R> {
    pub(super) fn new(inner: R, window: Duration) -> Paced<R> {
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
pub(super) struct HttpReader {
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
    pub(super) fn new(
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
