//! A progress bar on stderr for downloads and large files: bytes, total, rate, time left. Only
//! on a terminal, never in pipes or CI logs; `--quiet` turns it off.

use std::io::{self, Read};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// Local files smaller than this read too fast for a bar to help.
pub const LOCAL_THRESHOLD: u64 = 64 << 20;

/// A reader that moves a progress bar as bytes pass through it.
pub struct ProgressReader<R> {
    inner: R,
    bar: ProgressBar,
}

/// A bar on stderr for `name`, with `total` bytes when known.
pub fn bar(name: &str, total: Option<u64>) -> ProgressBar {
    let bar = ProgressBar::with_draw_target(total, ProgressDrawTarget::stderr());
    let template = if total.is_some() {
        "{prefix} [{wide_bar}] {bytes}/{total_bytes} {binary_bytes_per_sec} eta {eta}"
    } else {
        "{prefix} {spinner} {bytes} {binary_bytes_per_sec}"
    };
    if let Ok(style) = ProgressStyle::with_template(template) {
        bar.set_style(style.progress_chars("=> "));
    }
    let short = name.rsplit('/').next().unwrap_or(name);
    bar.set_prefix(short.chars().take(40).collect::<String>());
    bar
}

impl<R: Read> ProgressReader<R> {
    pub fn new(inner: R, name: &str, total: Option<u64>) -> ProgressReader<R> {
        ProgressReader {
            inner,
            bar: bar(name, total),
        }
    }
}

impl<R: Read> Read for ProgressReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        if n == 0 {
            self.bar.finish_and_clear();
        } else {
            self.bar.inc(n as u64);
        }
        Ok(n)
    }
}

impl<R> Drop for ProgressReader<R> {
    fn drop(&mut self) {
        self.bar.finish_and_clear();
    }
}
