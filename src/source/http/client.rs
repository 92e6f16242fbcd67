//! The client and its options, below the readers: retries and back-off, the headers read, and
//! how a refusal or a failure reads (with the SAS token scrubbed).

use std::io::Read;
use std::time::Duration;

use reqwest::blocking::{Client, Response};
use reqwest::header::{CONTENT_LENGTH, CONTENT_RANGE, HeaderMap};
use reqwest::{StatusCode, Url};

use crate::source::SourceError;
use crate::source::redact::{sas_expiry, sas_permissions, scrub};

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
    pub(super) client: Client,
    pub(super) options: HttpOptions,
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
                reason: format!(
                    "cannot read CA certificate: {}",
                    crate::source::io_reason(&e)
                ),
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
}

pub(super) fn retryable(status: StatusCode) -> bool {
    status.is_server_error()
        || status == StatusCode::TOO_MANY_REQUESTS
        || status == StatusCode::REQUEST_TIMEOUT
}

pub(super) fn backoff(options: &HttpOptions, failures: u32) -> Duration {
    let factor = 1u32 << failures.saturating_sub(1).min(10);
    (options.backoff * factor).min(Duration::from_secs(5))
}

pub(super) fn content_length(headers: &HeaderMap) -> Option<u64> {
    headers.get(CONTENT_LENGTH)?.to_str().ok()?.parse().ok()
}

/// `Content-Range: bytes START-END/TOTAL` (TOTAL may be `*`).
pub(super) fn content_range(headers: &HeaderMap) -> Option<(u64, u64, Option<u64>)> {
    let value = headers.get(CONTENT_RANGE)?.to_str().ok()?;
    let rest = value.strip_prefix("bytes ")?;
    let (range, total) = rest.split_once('/')?;
    let (start, end) = range.split_once('-')?;
    Some((start.parse().ok()?, end.parse().ok()?, total.parse().ok()))
}

/// One line saying why the server refused, from the status and Azure's error code.
pub(super) fn refusal(
    status: StatusCode,
    headers: &HeaderMap,
    response: Response,
    url: &Url,
) -> String {
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
