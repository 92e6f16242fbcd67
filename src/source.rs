//! Where capture bytes come from: a file path or standard input (`-`). Every source is a
//! plain `Read`, consumed as a stream, never loaded whole.

use std::fs::File;
use std::io::{self, Read};
use std::path::PathBuf;

use thiserror::Error;

/// An input named on the command line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum InputSpec {
    Path(PathBuf),
    Stdin,
}

impl InputSpec {
    pub fn parse(arg: &str) -> InputSpec {
        if arg == "-" {
            InputSpec::Stdin
        } else {
            InputSpec::Path(PathBuf::from(arg))
        }
    }

    /// How the input is named in messages and in the summary.
    pub fn display_name(&self) -> String {
        match self {
            InputSpec::Path(p) => p.display().to_string(),
            InputSpec::Stdin => "<stdin>".to_string(),
        }
    }
}

#[derive(Debug, Error)]
pub enum SourceError {
    #[error("{name}: cannot open: {reason}")]
    Open { name: String, reason: String },
    #[error("{name}: is a directory, not a capture file")]
    IsDirectory { name: String },
    #[error("standard input (-) can be named only once")]
    StdinTwice,
}

/// An input opened for reading.
pub struct OpenedInput {
    pub name: String,
    pub reader: Box<dyn Read + Send>,
}

impl std::fmt::Debug for OpenedInput {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OpenedInput")
            .field("name", &self.name)
            .finish()
    }
}

/// Open every input up front, so that a typo in the last path fails before minutes of work on
/// the first.
pub fn open_all(specs: &[InputSpec]) -> Result<Vec<OpenedInput>, SourceError> {
    if specs.iter().filter(|s| **s == InputSpec::Stdin).count() > 1 {
        return Err(SourceError::StdinTwice);
    }
    specs.iter().map(open).collect()
}

pub fn open(spec: &InputSpec) -> Result<OpenedInput, SourceError> {
    let name = spec.display_name();
    let reader: Box<dyn Read + Send> = match spec {
        InputSpec::Stdin => Box::new(io::stdin()),
        InputSpec::Path(path) => {
            let file = File::open(path).map_err(|e| SourceError::Open {
                name: name.clone(),
                reason: io_reason(&e),
            })?;
            if file.metadata().is_ok_and(|m| m.is_dir()) {
                return Err(SourceError::IsDirectory { name });
            }
            Box::new(file)
        }
    };
    Ok(OpenedInput { name, reader })
}

/// The OS error text without Rust's " (os error 2)" suffix.
pub fn io_reason(e: &io::Error) -> String {
    let text = e.to_string();
    match text.find(" (os error") {
        Some(i) => text[..i].to_lowercase(),
        None => text.to_lowercase(),
    }
}
