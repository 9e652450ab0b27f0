//! The real server as a child process: started on a free loopback port with a fresh token secret,
//! no rate limit and no points budget, waited for on `/healthz`, measured (peak RSS from /proc),
//! and stopped.

use std::process::Stdio;
use std::time::Duration;

use tokio::process::{Child, Command};

/// A running `ketnap serve`.
pub struct Server {
    child: Child,
    pub base_url: String,
    pub secret: String,
}

impl Server {
    /// Starts `binary` on `database_url` and waits until it answers.
    pub async fn start(binary: &str, database_url: &str) -> Result<Self, String> {
        let port = {
            let probe = std::net::TcpListener::bind("127.0.0.1:0").map_err(|err| err.to_string())?;
            probe.local_addr().map_err(|err| err.to_string())?.port()
        };
        let secret: String = (0..32).map(|_| format!("{:02x}", rand::random::<u8>())).collect();
        let child = Command::new(binary)
            .args(["serve", "--database-url", database_url, "--listen", &format!("127.0.0.1:{port}")])
            .env("KETNAP_JWT_SECRET", &secret)
            .env("KETNAP_RATE_LIMIT_PER_MINUTE", "0")
            .env("KETNAP_RATE_LIMIT_POINTS_PER_MINUTE", "0")
            .env("RUST_LOG", "warn")
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .kill_on_drop(true)
            .spawn()
            .map_err(|err| format!("cannot start {binary}: {err} (build it with `cargo build --release`)"))?;
        let server = Server { child, base_url: format!("http://127.0.0.1:{port}"), secret };
        let client = reqwest::Client::new();
        for _ in 0..600 {
            if client.get(format!("{}/healthz", server.base_url)).send().await.is_ok_and(|r| r.status().is_success()) {
                return Ok(server);
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        Err("the server did not answer /healthz within a minute".into())
    }

    /// The server's peak resident set size so far, in MiB (VmHWM).
    pub fn peak_rss_mib(&self) -> Option<f64> {
        self.status_kib("VmHWM:").map(|kib| kib as f64 / 1024.0)
    }

    /// The server's current resident set size, in MiB (VmRSS).
    pub fn rss_mib(&self) -> Option<f64> {
        self.status_kib("VmRSS:").map(|kib| kib as f64 / 1024.0)
    }

    fn status_kib(&self, field: &str) -> Option<u64> {
        let pid = self.child.id()?;
        let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
        let line = status.lines().find(|line| line.starts_with(field))?;
        line.split_whitespace().nth(1)?.parse().ok()
    }

    /// Stops the server.
    pub async fn stop(mut self) {
        let _ = self.child.kill().await;
    }
}
