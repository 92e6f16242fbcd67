//! Which file an input is, whatever it was called: the same file named twice (or through a
//! link) is one file, and an output must never be one of the inputs.

use std::fs::{File, Metadata};
use std::io;
use std::path::Path;

use super::InputSpec;

/// A regular file's device and inode.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FileIdentity {
    device: u64,
    inode: u64,
}

impl FileIdentity {
    /// The regular file at `path` (links followed); `None` for anything else or nothing.
    pub fn of_path(path: &Path) -> Option<FileIdentity> {
        Self::of_metadata(&std::fs::metadata(path).ok()?)
    }

    /// The regular file behind standard input (`ca-cli flows - < capture.pcap`).
    pub fn of_stdin() -> Option<FileIdentity> {
        #[cfg(unix)]
        {
            use std::os::fd::AsFd;
            let fd = io::stdin().as_fd().try_clone_to_owned().ok()?;
            Self::of_metadata(&File::from(fd).metadata().ok()?)
        }
        #[cfg(not(unix))]
        None
    }

    /// The file an input names, when it is a regular file (never for a URL).
    pub fn of_input(spec: &InputSpec) -> Option<FileIdentity> {
        match spec {
            InputSpec::Path(path) => Self::of_path(path),
            InputSpec::Stdin => Self::of_stdin(),
            InputSpec::Url(_) | InputSpec::InvalidUrl { .. } => None,
        }
    }

    fn of_metadata(metadata: &Metadata) -> Option<FileIdentity> {
        if !metadata.is_file() {
            return None;
        }
        #[cfg(unix)]
        {
            use std::os::unix::fs::MetadataExt;
            Some(FileIdentity {
                device: metadata.dev(),
                inode: metadata.ino(),
            })
        }
        #[cfg(not(unix))]
        None
    }
}
