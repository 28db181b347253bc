//! Real servers for tests, started on 127.0.0.1 at free ports and stopped when their guard drops:
//! redis-server, PostgreSQL (initdb + pg_ctl as the `postgres` user; optionally TLS-only with a
//! given certificate), Prometheus scraping itself.
//! Each `start` returns `Err(reason)` when the binary or a prerequisite is missing.

use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use super::pki::{Leaf, TestCa};
use super::{free_port, have};

fn wait_for_port(port: u16, within: Duration) -> Result<(), String> {
    let deadline = Instant::now() + within;
    while Instant::now() < deadline {
        if TcpStream::connect(("127.0.0.1", port)).is_ok() {
            return Ok(());
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    Err(format!("nothing listened on port {port} within {within:?}"))
}

/// A child process killed (by its own id) and reaped on drop.
struct Owned(Child);

impl Drop for Owned {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

pub struct Redis {
    pub port: u16,
    _child: Owned,
    _dir: tempfile::TempDir,
}

impl Redis {
    pub fn start(password: &str) -> Result<Self, String> {
        Self::start_with(password, None)
    }

    /// TLS only (`tls-port`, no plain port), serving `leaf`, and, as Redis does by default
    /// (`tls-auth-clients yes`), only for clients with a certificate `client_ca` issued.
    pub fn start_mutual_tls(
        password: &str,
        leaf: &Leaf,
        client_ca: &TestCa,
    ) -> Result<Self, String> {
        Self::start_with(password, Some((leaf, client_ca)))
    }

    fn start_with(password: &str, tls: Option<(&Leaf, &TestCa)>) -> Result<Self, String> {
        if !have("redis-server") {
            return Err("redis-server is not installed (apt-get install -y redis-server)".into());
        }
        let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
        let port = free_port();
        let mut command = Command::new("redis-server");
        match tls {
            None => command.args(["--port", &port.to_string()]),
            Some((leaf, client_ca)) => {
                let (cert, key) = (dir.path().join("server.crt"), dir.path().join("server.key"));
                std::fs::write(&cert, &leaf.cert_pem).map_err(|e| e.to_string())?;
                std::fs::write(&key, &leaf.key_pem).map_err(|e| e.to_string())?;
                command
                    .args(["--port", "0", "--tls-port", &port.to_string()])
                    .arg("--tls-cert-file")
                    .arg(&cert)
                    .arg("--tls-key-file")
                    .arg(&key)
                    .arg("--tls-ca-cert-file")
                    .arg(&client_ca.ca_file)
                    .args(["--tls-auth-clients", "yes"])
            }
        };
        let child = command
            .args(["--bind", "127.0.0.1", "--requirepass", password])
            .args(["--save", "", "--appendonly", "no", "--dir"])
            .arg(dir.path())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| format!("cannot start redis-server: {e}"))?;
        let child = Owned(child);
        wait_for_port(port, Duration::from_secs(10))?;
        Ok(Self {
            port,
            _child: child,
            _dir: dir,
        })
    }
}

pub struct Postgres {
    pub port: u16,
    bin: PathBuf,
    data: PathBuf,
    _dir: tempfile::TempDir,
}

impl Postgres {
    /// A cluster whose superuser `user` logs in with `password` (scram-sha-256).
    pub fn start(user: &str, password: &str) -> Result<Self, String> {
        Self::start_with(user, password, None, None)
    }

    /// Like [`Postgres::start`], with `ssl = on` serving `leaf` and a pg_hba.conf that accepts
    /// only `hostssl`, so a plain connection is refused. It listens on 127.0.0.1 and 127.0.0.2
    /// (a loopback address the certificate does not name).
    pub fn start_tls(user: &str, password: &str, leaf: &Leaf) -> Result<Self, String> {
        Self::start_with(user, password, Some(leaf), None)
    }

    /// Like [`Postgres::start_tls`], but TCP logins are by client certificate alone (`cert` in
    /// pg_hba.conf): a certificate from `client_ca` whose CN is the role name.
    pub fn start_tls_client_cert(
        user: &str,
        password: &str,
        leaf: &Leaf,
        client_ca: &TestCa,
    ) -> Result<Self, String> {
        Self::start_with(user, password, Some(leaf), Some(client_ca))
    }

    fn start_with(
        user: &str,
        password: &str,
        tls: Option<&Leaf>,
        client_ca: Option<&TestCa>,
    ) -> Result<Self, String> {
        let bin = ["16", "15", "17", "14"]
            .iter()
            .map(|v| PathBuf::from(format!("/usr/lib/postgresql/{v}/bin")))
            .find(|p| p.join("initdb").exists())
            .ok_or("PostgreSQL server binaries not found under /usr/lib/postgresql/*/bin")?;
        if !have("runuser")
            || !Path::new("/var/lib/postgresql").exists() && !user_exists("postgres")
        {
            return Err("runuser or the postgres user is missing".into());
        }
        let dir = tempfile::Builder::new()
            .prefix("gl-pg")
            .tempdir_in("/tmp")
            .map_err(|e| e.to_string())?;
        let data = dir.path().join("data");
        let pwfile = dir.path().join("pw");
        std::fs::write(&pwfile, password).map_err(|e| e.to_string())?;
        let (cert, key) = (dir.path().join("server.crt"), dir.path().join("server.key"));
        if let Some(leaf) = tls {
            std::fs::write(&cert, &leaf.cert_pem).map_err(|e| e.to_string())?;
            std::fs::write(&key, &leaf.key_pem).map_err(|e| e.to_string())?;
            owner_only(&key).map_err(|e| e.to_string())?;
        }
        let client_ca_file = dir.path().join("client-ca.crt");
        if let Some(ca) = client_ca {
            std::fs::copy(&ca.ca_file, &client_ca_file).map_err(|e| e.to_string())?;
        }
        run(Command::new("chown")
            .args(["-R", "postgres:"])
            .arg(dir.path()))?;
        let port = free_port();
        let as_pg = |args: &[&str]| {
            let mut c = Command::new("runuser");
            c.args(["-u", "postgres", "--"]).args(args);
            c
        };
        let initdb = bin.join("initdb").display().to_string();
        let pwfile_arg = format!("--pwfile={}", pwfile.display());
        let data_s = data.display().to_string();
        run(&mut as_pg(&[
            &initdb,
            "-D",
            &data_s,
            "-U",
            user,
            &pwfile_arg,
            "-A",
            "scram-sha-256",
            "--no-sync",
        ]))?;
        let pg_ctl = bin.join("pg_ctl").display().to_string();
        let mut opts = format!("-p {port} -k {}", dir.path().display());
        if tls.is_none() {
            opts.push_str(" -c listen_addresses=127.0.0.1");
        } else {
            opts.push_str(&format!(
                " -c listen_addresses=127.0.0.1,127.0.0.2 -c ssl=on -c ssl_cert_file={} -c ssl_key_file={}",
                cert.display(),
                key.display()
            ));
            let method = if client_ca.is_some() {
                opts.push_str(&format!(" -c ssl_ca_file={}", client_ca_file.display()));
                "cert"
            } else {
                "scram-sha-256"
            };
            // Root may write the postgres-owned file; owner and mode stay as initdb set them.
            std::fs::write(
                data.join("pg_hba.conf"),
                format!("local all all scram-sha-256\nhostssl all all 127.0.0.0/8 {method}\n"),
            )
            .map_err(|e| e.to_string())?;
        }
        let log = dir.path().join("log").display().to_string();
        run(&mut as_pg(&[
            &pg_ctl, "-D", &data_s, "-o", &opts, "-l", &log, "-w", "-t", "30", "start",
        ]))?;
        Ok(Self {
            port,
            bin,
            data,
            _dir: dir,
        })
    }
}

impl Drop for Postgres {
    fn drop(&mut self) {
        let pg_ctl = self.bin.join("pg_ctl");
        let _ = Command::new("runuser")
            .args(["-u", "postgres", "--"])
            .arg(pg_ctl)
            .arg("-D")
            .arg(&self.data)
            .args(["-m", "immediate", "-w", "stop"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status();
    }
}

/// PostgreSQL refuses a private key others can read.
#[cfg(unix)]
fn owner_only(path: &Path) -> std::io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600))
}

#[cfg(not(unix))]
fn owner_only(_path: &Path) -> std::io::Result<()> {
    Ok(())
}

fn user_exists(name: &str) -> bool {
    std::fs::read_to_string("/etc/passwd")
        .map(|p| p.lines().any(|l| l.starts_with(&format!("{name}:"))))
        .unwrap_or(false)
}

fn run(cmd: &mut Command) -> Result<(), String> {
    let out = cmd.output().map_err(|e| format!("{cmd:?}: {e}"))?;
    if out.status.success() {
        Ok(())
    } else {
        Err(format!(
            "{cmd:?} failed: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ))
    }
}

pub struct Prometheus {
    pub port: u16,
    _child: Owned,
    _dir: tempfile::TempDir,
}

impl Prometheus {
    /// Prometheus scraping itself every second.
    pub fn start() -> Result<Self, String> {
        if !have("prometheus") {
            return Err("prometheus is not installed (apt-get install -y prometheus)".into());
        }
        let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
        let port = free_port();
        let config = dir.path().join("prometheus.yml");
        std::fs::write(
            &config,
            format!(
                "global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\nscrape_configs:\n  - job_name: self\n    static_configs:\n      - targets: ['127.0.0.1:{port}']\n"
            ),
        )
        .map_err(|e| e.to_string())?;
        let child = Command::new("prometheus")
            .arg(format!("--config.file={}", config.display()))
            .arg(format!(
                "--storage.tsdb.path={}",
                dir.path().join("data").display()
            ))
            .arg(format!("--web.listen-address=127.0.0.1:{port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| format!("cannot start prometheus: {e}"))?;
        let child = Owned(child);
        wait_for_port(port, Duration::from_secs(20))?;
        Ok(Self {
            port,
            _child: child,
            _dir: dir,
        })
    }
}
