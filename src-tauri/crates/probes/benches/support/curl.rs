//! The curl side of the loopback bench's comparison: the same URLs fetched by a shell loop of
//! curl (one after another) and by `xargs -P N` (N at once), each through one `sh -c`, counting
//! the status codes curl prints so a run only counts if every reply was a 200.

use std::process::Command;
use std::time::{Duration, Instant};

/// One `curl` per URL, in order.
const SEQUENTIAL: &str =
    r#"for u in "$@"; do curl -s --max-time 10 -o /dev/null -w "%{http_code}\n" "$u"; done"#;

/// One `curl` per URL, `$0` of them at once (xargs hands each curl one URL).
const PARALLEL: &str = r#"printf '%s\n' "$@" | xargs -P "$0" -n 1 curl -s --max-time 10 -o /dev/null -w "%{http_code}\n""#;

/// Why the curl rows cannot run here, if they cannot.
pub fn unavailable() -> Option<String> {
    match Command::new("curl").arg("--version").output() {
        Ok(out) if out.status.success() => None,
        Ok(out) => Some(format!("`curl --version` exited with {}", out.status)),
        Err(e) => Some(format!("curl not found ({e})")),
    }
}

/// Wall time of fetching every URL, and how many answered 200. `parallel` of 1 runs the loop.
pub fn fetch_all(urls: &[String], parallel: usize) -> Result<(Duration, usize), String> {
    let mut command = Command::new("sh");
    if parallel <= 1 {
        command.args(["-c", SEQUENTIAL, "sh"]);
    } else {
        command.args(["-c", PARALLEL, &parallel.to_string()]);
    }
    command.args(urls);
    let started = Instant::now();
    let out = command.output().map_err(|e| format!("sh: {e}"))?;
    let wall = started.elapsed();
    if !out.status.success() {
        return Err(format!(
            "exited with {}: {}",
            out.status,
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    let ok = String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter(|line| *line == "200")
        .count();
    Ok((wall, ok))
}
