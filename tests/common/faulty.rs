//! A loopback HTTP server that misbehaves on purpose: it cuts connections mid-body, answers
//! with server errors, stalls, lies about lengths, ignores ranges, or swaps the file under a
//! download. Just enough HTTP/1.1 to test that downloads resume exactly where they broke off.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// What the server does, request by request.
#[derive(Clone, Debug, Default)]
pub struct Script {
    pub body: Vec<u8>,
    pub etag: String,
    /// Byte counts after which the n-th response is cut (then whole responses again).
    pub cut_after: Vec<usize>,
    /// Statuses (503, ...) answered to the first requests, before any body.
    pub fail_first: Vec<u16>,
    /// Pause this long after sending this many bytes of the first response.
    pub stall: Option<(usize, Duration)>,
    /// Answer ranges with the whole body (200).
    pub ignore_ranges: bool,
    /// Announce a Content-Length this much larger than what is sent, on every response.
    pub overstate_length: usize,
    /// After this many requests, serve a different file (new body and ETag).
    pub replace_after: Option<(usize, Vec<u8>, String)>,
    /// Slow-loris: send this many bytes, then pause this long, again and again, on this many
    /// first responses (each pause shorter than the client's timeout).
    pub trickle: Option<(usize, Duration, usize)>,
}

#[derive(Debug, Default)]
struct State {
    script: Script,
    requests: Vec<String>,
}

pub struct FaultyServer {
    pub addr: SocketAddr,
    state: Arc<Mutex<State>>,
}

impl FaultyServer {
    pub fn start(script: Script) -> FaultyServer {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        let state = Arc::new(Mutex::new(State {
            script,
            requests: Vec::new(),
        }));
        let shared = Arc::clone(&state);
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let shared = Arc::clone(&shared);
                std::thread::spawn(move || serve(stream, &shared));
            }
        });
        FaultyServer { addr, state }
    }

    pub fn url(&self, path_and_query: &str) -> String {
        format!("http://{}/{path_and_query}", self.addr)
    }

    /// Each request's `Range` header (or `-` without one), in order.
    pub fn ranges(&self) -> Vec<String> {
        self.state.lock().unwrap().requests.clone()
    }
}

fn serve(stream: TcpStream, state: &Mutex<State>) {
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let mut range = None;
    let mut if_match = None;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).unwrap_or(0) == 0 {
            return;
        }
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        let lower = line.to_ascii_lowercase();
        if let Some(v) = lower.strip_prefix("range: bytes=") {
            range = Some(v.to_string());
        }
        if lower.starts_with("if-match:") {
            if_match = Some(line[9..].trim().to_string());
        }
    }
    let (body, etag, cut, fail, stall, ignore_ranges, overstate, trickle) = {
        let mut s = state.lock().unwrap();
        s.requests.push(range.clone().unwrap_or_else(|| "-".into()));
        let n = s.requests.len();
        if let Some((after, body, etag)) = s.script.replace_after.clone()
            && n > after
        {
            s.script.body = body;
            s.script.etag = etag;
            s.script.replace_after = None;
        }
        let fail = if s.script.fail_first.is_empty() {
            None
        } else {
            Some(s.script.fail_first.remove(0))
        };
        let cut = if fail.is_none() && !s.script.cut_after.is_empty() {
            Some(s.script.cut_after.remove(0))
        } else {
            None
        };
        let stall = s.script.stall.take();
        let trickle = match s.script.trickle.as_mut() {
            Some((bytes, pause, responses)) if *responses > 0 => {
                *responses -= 1;
                Some((*bytes, *pause))
            }
            _ => None,
        };
        (
            s.script.body.clone(),
            s.script.etag.clone(),
            cut,
            fail,
            stall,
            s.script.ignore_ranges,
            s.script.overstate_length,
            trickle,
        )
    };
    let mut out = stream;
    if let Some(status) = fail {
        let _ = write!(
            out,
            "HTTP/1.1 {status} Unavailable\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
        );
        return;
    }
    if if_match.as_ref().is_some_and(|m| *m != etag) {
        let _ = write!(
            out,
            "HTTP/1.1 412 Precondition Failed\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
        );
        return;
    }
    let total = body.len();
    let (status, start, end) = match range.as_deref().filter(|_| !ignore_ranges) {
        Some(r) => {
            let (s, e) = r.split_once('-').unwrap();
            let start: usize = s.parse().unwrap();
            if start >= total {
                let _ = write!(
                    out,
                    "HTTP/1.1 416 Range Not Satisfiable\r\nContent-Range: bytes */{total}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                );
                return;
            }
            let end: usize = if e.is_empty() {
                total - 1
            } else {
                e.parse::<usize>().unwrap().min(total - 1)
            };
            ("206 Partial Content", start, end + 1)
        }
        None => ("200 OK", 0, total),
    };
    let mut head = format!(
        "HTTP/1.1 {status}\r\nContent-Length: {}\r\nETag: {etag}\r\nAccept-Ranges: bytes\r\nConnection: close\r\n",
        end - start + overstate
    );
    if status.starts_with("206") {
        head.push_str(&format!(
            "Content-Range: bytes {start}-{}/{total}\r\n",
            end - 1
        ));
    }
    head.push_str("\r\n");
    if out.write_all(head.as_bytes()).is_err() {
        return;
    }
    let mut part = &body[start..end];
    if let Some(cut) = cut {
        part = &part[..cut.min(part.len())];
    }
    if let Some((after, pause)) = stall {
        let first = after.min(part.len());
        let _ = out.write_all(&part[..first]);
        let _ = out.flush();
        std::thread::sleep(pause);
        part = &part[first..];
    }
    if let Some((bytes, pause)) = trickle {
        for piece in part.chunks(bytes.max(1)) {
            if out.write_all(piece).and_then(|()| out.flush()).is_err() {
                return;
            }
            std::thread::sleep(pause);
        }
        part = &[];
    }
    let _ = out.write_all(part);
    let _ = out.flush();
    let _ = out.shutdown(std::net::Shutdown::Both);
    let _ = reader.read(&mut [0u8; 1]);
}
