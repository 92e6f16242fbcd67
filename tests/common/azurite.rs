//! A real Azure Blob Storage emulator (Azurite, from npm) for the URL tests, on a free
//! loopback port, over HTTP or HTTPS with a CA generated for the test.

use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

pub struct Azurite {
    child: Child,
    pub endpoint: String,
    /// The CA that signed the HTTPS certificate, for `--ca-cert`.
    pub ca: Option<PathBuf>,
    _dir: tempfile::TempDir,
}

impl Drop for Azurite {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

/// Azurite and the Python SDK are installed (CI's `.ci/run` installs both).
pub fn available() -> bool {
    let azurite = Command::new("azurite-blob")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    let sdk = Command::new("python3")
        .args(["-c", "import azure.storage.blob"])
        .output()
        .is_ok_and(|o| o.status.success());
    if !(azurite && sdk) {
        super::skip_or_fail(
            "Azurite or azure-storage-blob is missing (npm install -g azurite@3.35.0; pip install azure-storage-blob)",
        );
    }
    azurite && sdk
}

/// A CA and a server certificate for 127.0.0.1, made with openssl.
fn make_certificates(dir: &Path) -> (PathBuf, PathBuf, PathBuf) {
    let run = |args: &[&str]| {
        let status = Command::new("openssl")
            .args(args)
            .current_dir(dir)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .expect("openssl runs");
        assert!(status.success(), "openssl {args:?}");
    };
    run(&[
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-keyout",
        "ca.key",
        "-out",
        "ca.pem",
        "-days",
        "2",
        "-subj",
        "/CN=ca-cli test CA",
    ]);
    run(&[
        "req",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-keyout",
        "server.key",
        "-out",
        "server.csr",
        "-subj",
        "/CN=127.0.0.1",
    ]);
    std::fs::write(
        dir.join("san.ext"),
        "subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\n",
    )
    .unwrap();
    run(&[
        "x509",
        "-req",
        "-in",
        "server.csr",
        "-CA",
        "ca.pem",
        "-CAkey",
        "ca.key",
        "-CAcreateserial",
        "-out",
        "server.pem",
        "-days",
        "2",
        "-extfile",
        "san.ext",
    ]);
    (
        dir.join("ca.pem"),
        dir.join("server.pem"),
        dir.join("server.key"),
    )
}

impl Azurite {
    pub fn start(https: bool) -> Azurite {
        let dir = tempfile::tempdir().unwrap();
        let port = free_port();
        let mut command = Command::new("azurite-blob");
        command
            .args(["--blobHost", "127.0.0.1", "--blobPort", &port.to_string()])
            .args([
                "--inMemoryPersistence",
                "--silent",
                "--disableTelemetry",
                "--skipApiVersionCheck",
            ])
            .current_dir(dir.path())
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        let mut ca = None;
        if https {
            let (ca_pem, cert, key) = make_certificates(dir.path());
            command.arg("--cert").arg(cert).arg("--key").arg(key);
            ca = Some(ca_pem);
        }
        let child = command.spawn().expect("azurite-blob starts");
        let deadline = Instant::now() + Duration::from_secs(30);
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(
                Instant::now() < deadline,
                "Azurite did not start on port {port}"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
        let scheme = if https { "https" } else { "http" };
        Azurite {
            child,
            endpoint: format!("{scheme}://127.0.0.1:{port}/devstoreaccount1"),
            ca,
            _dir: dir,
        }
    }

    /// Upload `blobs` (name, file) to `container`; returns the SAS URLs blobs.py prints.
    pub fn upload(&self, container: &str, blobs: &[(&str, &Path)]) -> Value {
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/azurite/blobs.py");
        let mut command = Command::new("python3");
        command
            .arg(script)
            .args(["--endpoint", &self.endpoint, "--container", container]);
        if let Some(ca) = &self.ca {
            command.arg("--ca").arg(ca);
        }
        for (name, path) in blobs {
            command.arg(format!("{name}={}", path.display()));
        }
        let output = command.output().expect("python3 runs");
        assert!(
            output.status.success(),
            "blobs.py failed: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        serde_json::from_slice(&output.stdout).expect("blobs.py prints JSON")
    }
}
