//! Keeping secrets out of everything we print: a URL is shown without its query when that
//! query is a SAS token (`?<SAS redacted>`) or anything else (`?<query redacted>`), and without
//! its password; any text that could carry the URL (an HTTP library's error) is scrubbed of the
//! secret values before it is shown.

use reqwest::Url;

/// Query parameters of an Azure SAS (and of user-delegation SAS) whose values are secret or
/// identify the signer.
const SECRET_PARAMETERS: &[&str] = &[
    "sig", "skoid", "sktid", "saoid", "suoid", "scid", "skt", "ske", "sks", "skv",
];

/// Whether the URL carries an Azure SAS token.
pub fn is_sas(url: &Url) -> bool {
    url.query_pairs().any(|(k, _)| k == "sig")
}

/// The URL as it may be printed.
pub fn redact(url: &Url) -> String {
    let mut shown = url.clone();
    if !shown.password().unwrap_or_default().is_empty() {
        let _ = shown.set_password(Some("redacted"));
    }
    shown.set_query(None);
    shown.set_fragment(None);
    match url.query() {
        Some(q) if !q.is_empty() => {
            let what = if is_sas(url) { "SAS" } else { "query" };
            format!("{shown}?<{what} redacted>")
        }
        _ => shown.to_string(),
    }
}

/// A SAS token's expiry (`se=`), which is not secret and explains most 403s.
pub fn sas_expiry(url: &Url) -> Option<String> {
    url.query_pairs()
        .find(|(k, _)| k == "se")
        .map(|(_, v)| v.into_owned())
}

/// A SAS token's permissions (`sp=`).
pub fn sas_permissions(url: &Url) -> Option<String> {
    url.query_pairs()
        .find(|(k, _)| k == "sp")
        .map(|(_, v)| v.into_owned())
}

/// Remove every secret the URL carries from `text`: its whole query, each secret parameter's
/// value (raw and percent-decoded), and its password.
pub fn scrub(text: &str, url: &Url) -> String {
    let mut secrets: Vec<String> = Vec::new();
    if let Some(q) = url.query().filter(|q| !q.is_empty()) {
        secrets.push(q.to_string());
    }
    for (key, value) in url.query_pairs() {
        let secret = SECRET_PARAMETERS.contains(&key.as_ref()) || !is_sas(url);
        if secret && value.len() >= 4 {
            secrets.push(value.to_string());
        }
    }
    for pair in url.query().unwrap_or_default().split('&') {
        if let Some((key, raw)) = pair.split_once('=')
            && (SECRET_PARAMETERS.contains(&key) || !is_sas(url))
            && raw.len() >= 4
        {
            secrets.push(raw.to_string());
        }
    }
    if let Some(p) = url.password().filter(|p| !p.is_empty()) {
        secrets.push(p.to_string());
    }
    // Longest first, so that a value inside the whole query is not half-replaced.
    secrets.sort_by_key(|s| std::cmp::Reverse(s.len()));
    let mut text = text.to_string();
    for secret in secrets {
        text = text.replace(&secret, "<redacted>");
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAS: &str = "https://acct.blob.core.windows.net/captures/vm1/packetcapture_1.cap?sv=2022-11-02&se=2026-12-01T00%3A00%3A00Z&sr=b&sp=r&skoid=1111-2222&sig=abc%2Bdef%2Fghi%3D";

    #[test]
    fn sas_urls_lose_their_query() {
        let url = Url::parse(SAS).unwrap();
        assert!(is_sas(&url));
        assert_eq!(
            redact(&url),
            "https://acct.blob.core.windows.net/captures/vm1/packetcapture_1.cap?<SAS redacted>"
        );
        assert_eq!(sas_expiry(&url).as_deref(), Some("2026-12-01T00:00:00Z"));
        assert_eq!(sas_permissions(&url).as_deref(), Some("r"));
        let plain = Url::parse("https://example.com/x.pcap?token=hunter22").unwrap();
        assert_eq!(
            redact(&plain),
            "https://example.com/x.pcap?<query redacted>"
        );
        let bare = Url::parse("http://user:pw12@example.com/x.pcap").unwrap();
        assert_eq!(redact(&bare), "http://user:redacted@example.com/x.pcap");
    }

    #[test]
    fn scrubbing_removes_raw_and_decoded_secrets() {
        let url = Url::parse(SAS).unwrap();
        let message = format!(
            "error sending request for url ({SAS}): sig=abc%2Bdef%2Fghi%3D decoded abc+def/ghi= oid 1111-2222"
        );
        let clean = scrub(&message, &url);
        assert!(!clean.contains("abc%2Bdef"), "{clean}");
        assert!(!clean.contains("abc+def/ghi="), "{clean}");
        assert!(!clean.contains("1111-2222"), "{clean}");
        assert!(clean.contains("acct.blob.core.windows.net"), "{clean}");
    }
}
