//! Where capture bytes come from: a file path, standard input (`-`), or an HTTP(S) URL such as
//! an Azure Blob SAS URL. Regular files are mapped and decoded in place (pages given back as
//! the decoding passes them); everything else is a plain `Read`, consumed as a stream. Nothing
//! is loaded whole, and every source is named in messages without its secrets.

pub mod http;
mod identity;
#[cfg(all(unix, target_pointer_width = "64"))]
pub mod mapped;
mod prefetch;
mod progress;
pub mod redact;

use std::fs::File;
use std::io::{self, IsTerminal, Read};
use std::path::PathBuf;

use reqwest::Url;
use thiserror::Error;

pub use http::{HttpClient, HttpOptions};
pub use identity::FileIdentity;

/// An input named on the command line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum InputSpec {
    Path(PathBuf),
    Stdin,
    Url(Url),
    /// Written as an http(s) URL but not a valid one: `shown` is it without its query (which
    /// may hold a SAS token), `reason` what is wrong.
    InvalidUrl {
        shown: String,
        reason: String,
    },
}

impl InputSpec {
    pub fn parse(arg: &str) -> InputSpec {
        if arg == "-" {
            return InputSpec::Stdin;
        }
        let lower = arg.get(..8).unwrap_or(arg).to_ascii_lowercase();
        if lower.starts_with("http://") || lower.starts_with("https://") {
            return match Url::parse(arg) {
                Ok(url) => InputSpec::Url(url),
                Err(e) => InputSpec::InvalidUrl {
                    shown: without_query(arg),
                    reason: e.to_string(),
                },
            };
        }
        InputSpec::Path(PathBuf::from(arg))
    }

    /// How the input is named in messages and in the summary: URLs without their secrets.
    pub fn display_name(&self) -> String {
        match self {
            // A name written as a URL of another scheme may carry a token in its query too.
            InputSpec::Path(p) => match p.to_str() {
                Some(text) if url_scheme(text).is_some() => without_query(text),
                _ => p.display().to_string(),
            },
            InputSpec::Stdin => "<stdin>".to_string(),
            InputSpec::Url(url) => redact::redact(url),
            InputSpec::InvalidUrl { shown, .. } => shown.clone(),
        }
    }
}

/// How inputs are read.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SourceOptions {
    pub http: HttpOptions,
    /// Show a progress bar (the caller decides: stderr is a terminal and not --quiet).
    pub progress: bool,
    /// Read ahead on a second thread.
    pub read_ahead: bool,
    /// Read a file named twice (or through a link) each time it is named, not once.
    pub allow_duplicates: bool,
}

#[derive(Debug, Error)]
pub enum SourceError {
    #[error("{name}: cannot open: {reason}")]
    Open { name: String, reason: String },
    #[error("{name}: is a directory, not a capture file")]
    IsDirectory { name: String },
    #[error("standard input (-) can be named only once")]
    StdinTwice,
    #[error(
        "standard input is a terminal, not a capture: pipe one in (tcpdump -w - | ca-cli flows -) or name a file"
    )]
    StdinIsTerminal,
    #[error("{name}: {message}")]
    Http { name: String, message: String },
}

/// An input opened for reading.
pub struct OpenedInput {
    pub name: String,
    pub data: InputData,
    /// Things the user should know about this input (a SAS token over plain HTTP, ...).
    pub notes: Vec<String>,
}

impl OpenedInput {
    /// An in-memory or otherwise ready reader, for tests and embedding.
    pub fn from_reader(name: impl Into<String>, reader: Box<dyn Read + Send>) -> OpenedInput {
        OpenedInput {
            name: name.into(),
            data: InputData::Stream(reader),
            notes: Vec::new(),
        }
    }
}

/// How an input's bytes are reached.
pub enum InputData {
    /// Read in order, as they arrive.
    Stream(Box<dyn Read + Send>),
    /// A regular file, mapped whole.
    #[cfg(all(unix, target_pointer_width = "64"))]
    Mapped(mapped::MappedFile),
}

impl std::fmt::Debug for OpenedInput {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OpenedInput")
            .field("name", &self.name)
            .finish()
    }
}

/// Inputs ready to be opened, in order. Files are opened (and URLs checked) up front, so that
/// a typo in the last name fails before minutes of work on the first; a URL's download starts
/// only when its turn comes, so several URLs never hold several connections open at once.
pub struct Inputs {
    pending: std::vec::IntoIter<Pending>,
    http: Option<HttpClient>,
    progress: bool,
    read_ahead: bool,
}

enum Pending {
    Ready(OpenedInput),
    Url(Url),
}

impl Inputs {
    pub fn len(&self) -> usize {
        self.pending.len()
    }

    pub fn is_empty(&self) -> bool {
        self.pending.len() == 0
    }
}

impl Iterator for Inputs {
    type Item = Result<OpenedInput, SourceError>;

    fn next(&mut self) -> Option<Self::Item> {
        let pending = self.pending.next()?;
        Some(match pending {
            Pending::Ready(input) => Ok(input),
            Pending::Url(url) => self.open_url(&url),
        })
    }
}

impl Inputs {
    /// Inputs already open (tests, embedding).
    pub fn from_opened(inputs: Vec<OpenedInput>) -> Inputs {
        Inputs {
            pending: inputs
                .into_iter()
                .map(Pending::Ready)
                .collect::<Vec<_>>()
                .into_iter(),
            http: None,
            progress: false,
            read_ahead: false,
        }
    }

    fn open_url(&self, url: &Url) -> Result<OpenedInput, SourceError> {
        let name = redact::redact(url);
        let Some(http) = &self.http else {
            return Err(SourceError::Http {
                name,
                message: "no HTTP client".into(),
            });
        };
        let download = http.open(url)?;
        let mut notes = Vec::new();
        if url.scheme() == "http" && redact::is_sas(url) {
            notes.push(
                "the SAS token was sent over plain http://: anyone on the path can read and reuse it; use https://"
                    .to_string(),
            );
        }
        let reader: Box<dyn Read + Send> = if self.progress {
            Box::new(progress::ProgressReader::new(
                download.reader,
                &name,
                download.total,
            ))
        } else {
            download.reader
        };
        let reader = read_ahead(reader, self.read_ahead, prefetch::STREAM_BLOCK);
        Ok(OpenedInput {
            name,
            data: InputData::Stream(reader),
            notes,
        })
    }
}

/// Open (or check) every input.
pub fn open_all(specs: &[InputSpec], options: &SourceOptions) -> Result<Inputs, SourceError> {
    if specs.iter().filter(|s| **s == InputSpec::Stdin).count() > 1 {
        return Err(SourceError::StdinTwice);
    }
    let http = if specs.iter().any(|s| matches!(s, InputSpec::Url(_))) {
        Some(HttpClient::new(&options.http)?)
    } else {
        None
    };
    if specs.contains(&InputSpec::Stdin) && io::stdin().is_terminal() {
        return Err(SourceError::StdinIsTerminal);
    }
    let mut pending: Vec<Pending> = Vec::with_capacity(specs.len());
    // Each regular file's identity and where it was opened, to read a file named again once.
    let mut opened: Vec<(FileIdentity, usize)> = Vec::new();
    for spec in specs {
        let identity = FileIdentity::of_input(spec).filter(|_| !options.allow_duplicates);
        let first = identity.and_then(|id| opened.iter().find(|(seen, _)| *seen == id));
        if let Some(&(_, at)) = first {
            if let Some(Pending::Ready(input)) = pending.get_mut(at) {
                input.notes.push(format!(
                    "{} is the same file: read once (--allow-duplicates reads it each time)",
                    spec.display_name()
                ));
            }
            continue;
        }
        if let Some(id) = identity {
            opened.push((id, pending.len()));
        }
        pending.push(match spec {
            InputSpec::Url(url) => Pending::Url(url.clone()),
            other => Pending::Ready(open_local(other, options)?),
        });
    }
    Ok(Inputs {
        pending: pending.into_iter(),
        http,
        progress: options.progress,
        read_ahead: options.read_ahead,
    })
}

fn read_ahead(
    reader: Box<dyn Read + Send>,
    enabled: bool,
    block_size: usize,
) -> Box<dyn Read + Send> {
    if enabled {
        Box::new(prefetch::Prefetch::new(reader, block_size))
    } else {
        reader
    }
}

/// `text` up to its query, marked `?…` when it had one.
fn without_query(text: &str) -> String {
    match text.split_once('?') {
        Some((before, _)) => format!("{before}?…"),
        None => text.to_string(),
    }
}

/// The scheme of a name written as a URL (`ftp://host/x`), which a missing file of that name
/// most likely was meant to be.
fn url_scheme(name: &str) -> Option<&str> {
    let (scheme, _) = name.split_once("://")?;
    let mut chars = scheme.chars();
    let valid = chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c));
    valid.then_some(scheme)
}

fn open_local(spec: &InputSpec, options: &SourceOptions) -> Result<OpenedInput, SourceError> {
    let progress = options.progress;
    let name = spec.display_name();
    let mut block_size = prefetch::STREAM_BLOCK;
    let reader: Box<dyn Read + Send> = match spec {
        InputSpec::InvalidUrl { reason, .. } => {
            return Err(SourceError::Open {
                name,
                reason: format!("not a valid URL: {reason}"),
            });
        }
        InputSpec::Stdin => {
            #[cfg(all(unix, target_pointer_width = "64"))]
            if let Some(mapped) = map_stdin_file(&name, progress) {
                return Ok(OpenedInput {
                    name,
                    data: InputData::Mapped(mapped),
                    notes: Vec::new(),
                });
            }
            widen_pipe(&io::stdin());
            Box::new(io::stdin())
        }
        InputSpec::Path(path) => {
            let file = File::open(path).map_err(|e| SourceError::Open {
                name: name.clone(),
                reason: match url_scheme(&name) {
                    Some(scheme) if e.kind() == io::ErrorKind::NotFound => format!(
                        "unsupported URL scheme {scheme} (ca-cli reads http:// and https:// URLs)"
                    ),
                    _ => io_reason(&e),
                },
            })?;
            let metadata = file.metadata().ok();
            if metadata.as_ref().is_some_and(|m| m.is_dir()) {
                return Err(SourceError::IsDirectory { name });
            }
            let size = metadata.as_ref().map_or(0, |m| m.len());
            if metadata.as_ref().is_some_and(|m| m.is_file()) {
                block_size = prefetch::FILE_BLOCK;
                #[cfg(all(unix, target_pointer_width = "64"))]
                if size > 0 {
                    let bar = (progress && size >= progress::LOCAL_THRESHOLD)
                        .then(|| progress::bar(&name, Some(size)));
                    if let Some(mapped) = mapped::MappedFile::map(&file, &name, bar) {
                        return Ok(OpenedInput {
                            name,
                            data: InputData::Mapped(mapped),
                            notes: Vec::new(),
                        });
                    }
                }
            }
            if progress && size >= progress::LOCAL_THRESHOLD {
                Box::new(progress::ProgressReader::new(file, &name, Some(size)))
            } else {
                Box::new(file)
            }
        }
        InputSpec::Url(_) => {
            return Err(SourceError::Open {
                name,
                reason: "a URL is not a local input".into(),
            });
        }
    };
    Ok(OpenedInput {
        name,
        data: InputData::Stream(read_ahead(reader, options.read_ahead, block_size)),
        notes: Vec::new(),
    })
}

/// Standard input redirected from a regular file (`ca-cli flows - < capture.pcap`) is mapped
/// like a named file, when nothing has been read from it yet.
#[cfg(all(unix, target_pointer_width = "64"))]
fn map_stdin_file(name: &str, progress: bool) -> Option<mapped::MappedFile> {
    use std::io::Seek;
    use std::os::fd::AsFd;
    let mut file = File::from(io::stdin().as_fd().try_clone_to_owned().ok()?);
    let metadata = file.metadata().ok()?;
    if !metadata.is_file() || metadata.len() == 0 || file.stream_position().ok()? != 0 {
        return None;
    }
    let bar = (progress && metadata.len() >= progress::LOCAL_THRESHOLD)
        .then(|| progress::bar(name, Some(metadata.len())));
    mapped::MappedFile::map(&file, name, bar)
}

/// Ask for a 1 MiB pipe buffer when standard input is a pipe: the default 64 KiB makes the
/// writer and the reader wake each other sixteen times as often. Best effort: the kernel may
/// refuse (a limit below 1 MiB), and then the pipe stays as it was.
#[cfg(target_os = "linux")]
fn widen_pipe(stdin: &io::Stdin) {
    use std::os::fd::AsRawFd;
    let fd = stdin.as_raw_fd();
    // SAFETY: F_SETPIPE_SZ on a descriptor we own for the life of the process only changes the
    // pipe's capacity; on a non-pipe it fails with EBADF/EINVAL, which we ignore.
    unsafe {
        libc::fcntl(fd, libc::F_SETPIPE_SZ, 1 << 20);
    }
}

#[cfg(not(target_os = "linux"))]
fn widen_pipe(_: &io::Stdin) {}

/// The OS error text without Rust's " (os error 2)" suffix.
pub fn io_reason(e: &io::Error) -> String {
    let text = e.to_string();
    match text.find(" (os error") {
        Some(i) => text[..i].to_lowercase(),
        None => text.to_lowercase(),
    }
}
