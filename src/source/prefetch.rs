//! Reading ahead on a second thread: one thread issues the `read` calls (the kernel's copy out
//! of the page cache, a pipe or a socket) while the analysis runs on the caller's thread. The
//! bytes are the same, in the same order, so results are identical to reading inline.

use std::io::{self, Read};
use std::sync::mpsc::{Receiver, SyncSender, sync_channel};
use std::thread;

/// Size of each block read ahead from a regular file: small enough that the blocks stay in
/// the caches between the kernel's copy and the analysis reading them (benches/README.md,
/// "Reading ahead").
pub const FILE_BLOCK: usize = 1 << 18;
/// From a pipe or a download: as much as a widened pipe holds, so the writer wakes the reader
/// rarely.
pub const STREAM_BLOCK: usize = 1 << 20;
/// Blocks in flight: enough to hide a slow read, few enough to keep memory at a few MiB.
const DEPTH: usize = 4;

/// A block and how many of its bytes are filled (0: the end), or how the stream ended.
type Block = io::Result<(Vec<u8>, usize)>;

pub struct Prefetch {
    blocks: Receiver<Block>,
    /// Emptied blocks go back to the reading thread: `DEPTH + 1` are allocated, ever, so no
    /// page is faulted in twice.
    spares: SyncSender<Vec<u8>>,
    current: Vec<u8>,
    filled: usize,
    offset: usize,
    done: bool,
}

impl Prefetch {
    pub fn new(mut inner: Box<dyn Read + Send>, block_size: usize) -> Prefetch {
        let (block_tx, blocks) = sync_channel::<Block>(DEPTH);
        let (spares, spare_rx) = sync_channel::<Vec<u8>>(DEPTH + 1);
        let spawned = thread::Builder::new()
            .name("ca-cli read-ahead".into())
            .spawn(move || {
                let mut allocated = 0;
                loop {
                    let mut block = if allocated <= DEPTH {
                        allocated += 1;
                        vec![0u8; block_size]
                    } else {
                        match spare_rx.recv() {
                            Ok(block) => block,
                            Err(_) => return, // the reader went away
                        }
                    };
                    // One read per block: a full block, or what the source has at once. A
                    // short read from a pipe or socket means the writer is behind (a live
                    // capture), and what arrived should be analysed now, not when a whole
                    // block has trickled in; regular files only read short at their end.
                    let mut filled = 0;
                    let result = loop {
                        match inner.read(&mut block) {
                            Ok(0) => break Ok(true),
                            Ok(n) => {
                                filled = n;
                                break Ok(false);
                            }
                            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                            Err(e) => break Err(e),
                        }
                    };
                    if filled > 0 && block_tx.send(Ok((block, filled))).is_err() {
                        return;
                    }
                    match result {
                        Ok(false) => {}
                        Ok(true) => {
                            let _ = block_tx.send(Ok((Vec::new(), 0)));
                            return;
                        }
                        Err(e) => {
                            let _ = block_tx.send(Err(e));
                            return;
                        }
                    }
                }
            });
        Prefetch {
            blocks,
            spares,
            current: Vec::new(),
            filled: 0,
            offset: 0,
            // Without a thread there is nothing to read from.
            done: spawned.is_err(),
        }
    }
}

impl Read for Prefetch {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        while self.offset == self.filled {
            if self.done {
                return Ok(0);
            }
            match self.blocks.recv() {
                Ok(Ok((_, 0))) => self.done = true,
                Ok(Ok((block, filled))) => {
                    let spent = std::mem::replace(&mut self.current, block);
                    if !spent.is_empty() {
                        let _ = self.spares.try_send(spent);
                    }
                    self.filled = filled;
                    self.offset = 0;
                }
                Ok(Err(e)) => {
                    self.done = true;
                    return Err(e);
                }
                Err(_) => {
                    self.done = true;
                    return Err(io::Error::other("the read-ahead thread stopped"));
                }
            }
        }
        let n = buf.len().min(self.filled - self.offset);
        buf[..n].copy_from_slice(&self.current[self.offset..self.offset + n]);
        self.offset += n;
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A reader that hands out a few bytes at a time and fails at a given point.
    struct Trickle {
        data: Vec<u8>,
        at: usize,
        fail_at: Option<usize>,
    }

    impl Read for Trickle {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            if self.fail_at.is_some_and(|f| self.at >= f) {
                return Err(io::Error::other("disk on fire"));
            }
            let n = buf.len().min(7).min(self.data.len() - self.at);
            buf[..n].copy_from_slice(&self.data[self.at..self.at + n]);
            self.at += n;
            Ok(n)
        }
    }

    const BLOCK: usize = FILE_BLOCK;

    #[test]
    fn delivers_the_same_bytes_in_order() {
        let data: Vec<u8> = (0..3 * BLOCK + 12345)
            .map(|i| (i * 7 % 251) as u8)
            .collect();
        let mut prefetch = Prefetch::new(
            Box::new(Trickle {
                data: data.clone(),
                at: 0,
                fail_at: None,
            }),
            BLOCK,
        );
        let mut out = Vec::new();
        prefetch.read_to_end(&mut out).unwrap();
        assert_eq!(out, data);
    }

    #[test]
    fn passes_errors_on_after_the_bytes_before_them() {
        let data = vec![1u8; 2 * BLOCK];
        let mut prefetch = Prefetch::new(
            Box::new(Trickle {
                data,
                at: 0,
                fail_at: Some(BLOCK + 10),
            }),
            BLOCK,
        );
        let mut out = Vec::new();
        let err = prefetch.read_to_end(&mut out).unwrap_err();
        assert_eq!(err.to_string(), "disk on fire");
        assert!(
            out.len() >= BLOCK + 10,
            "every byte before the failure arrived: {}",
            out.len()
        );
        assert!(out.iter().all(|b| *b == 1));
    }
}
