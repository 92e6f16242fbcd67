//! Captures over HTTP(S), Azure Blob SAS URLs first among them: streamed while they download,
//! resumed where they broke off (a Range request from the exact byte consumed, `If-Match` on
//! the ETag so that a changed blob is an error, not a silent mix), and fetched over several
//! connections in parallel for large blobs, reassembled in order within bounded memory.
//! Nothing printed ever holds the SAS token: see [`super::redact`].

mod client;
mod parallel;
mod resuming;

pub use client::{
    CHUNK_SIZE, FAST_LINK_BYTES_PER_SEC, HttpClient, HttpOptions, MIN_BYTES_PER_TIMEOUT,
    describe_error,
};

use std::io::{self, Read};
use std::thread;

use reqwest::header::{ACCEPT_RANGES, ETAG, RANGE};
use reqwest::{StatusCode, Url};

use super::SourceError;
use super::redact::redact;
use client::{backoff, content_length, content_range, refusal, retryable};
use parallel::{ParallelReader, read_chunk};
use resuming::HttpReader;

impl HttpClient {
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
