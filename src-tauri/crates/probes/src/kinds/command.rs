//! `command` probes: run an approved program directly (no shell) with credentials passed only as
//! environment variables, then check the exit code and stdout. Unapproved or changed commands are
//! refused before anything starts.

use std::process::Stdio;

use tokio::io::AsyncReadExt;
use tokio::process::Command;

use crate::approval::{CommandApproval, command_text};
use crate::context::ProbeContext;
use crate::redact::Redactor;
use crate::result::{EvidenceLine, Finding};
use crate::spec::{CommandProbe, ProbeSpec};

/// Output kept per stream (evidence and assertions).
const MAX_OUTPUT: u64 = 64 * 1024;
/// Output shown in evidence.
const SHOWN: usize = 2000;

pub(crate) async fn run(p: &CommandProbe, ctx: &ProbeContext, red: &mut Redactor) -> Finding {
    let text = command_text(p);
    let approval = CommandApproval::new(&ctx.template_id, &text);
    if !ctx.approvals.is_approved(&approval) {
        let mut f = Finding::error(
            "command_not_approved",
            "this command has not been approved in this exact form (never approved, or its text changed since): review it and approve it to run",
        );
        f.evidence.push(EvidenceLine::new("command", text));
        return f;
    }
    let timeout = ProbeSpec::Command(p.clone()).timeout();
    let mut cmd = Command::new(&p.program);
    cmd.args(&p.args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true);
    if let Some(dir) = &p.cwd {
        cmd.current_dir(dir);
    }
    for (var, cred) in &p.env {
        match ctx.secret(&cred.credential, red).await {
            Ok(secret) => {
                cmd.env(var, secret.expose());
            }
            Err(f) => return f,
        }
    }
    let mut child = match cmd.spawn() {
        Ok(c) => c,
        Err(e) => {
            return Finding::fail(
                "command_not_started",
                format!("cannot start {}: {e}", p.program),
                vec![],
            );
        }
    };
    let (Some(mut out), Some(mut err)) = (child.stdout.take(), child.stderr.take()) else {
        return Finding::error("internal", "no output pipes");
    };
    let work = async {
        let (mut stdout, mut stderr) = (Vec::new(), Vec::new());
        let mut out = (&mut out).take(MAX_OUTPUT);
        let mut err = (&mut err).take(MAX_OUTPUT);
        let (_, _, status) = tokio::join!(
            out.read_to_end(&mut stdout),
            err.read_to_end(&mut stderr),
            child.wait()
        );
        (status, stdout, stderr)
    };
    let (status, stdout, stderr) = match tokio::time::timeout(timeout, work).await {
        Ok(r) => r,
        Err(_) => {
            return Finding::fail(
                "timeout",
                format!(
                    "{} did not finish within {} ms (stopped)",
                    p.program,
                    timeout.as_millis()
                ),
                vec![EvidenceLine::new("command", text)],
            );
        }
    };
    let status = match status {
        Ok(s) => s,
        Err(e) => {
            return Finding::fail(
                "command_failed",
                format!("waiting for {} failed: {e}", p.program),
                vec![],
            );
        }
    };
    let stdout = String::from_utf8_lossy(&stdout).into_owned();
    let stderr = String::from_utf8_lossy(&stderr).into_owned();
    let code = status.code();
    let mut ev = vec![
        EvidenceLine::new("command", text),
        EvidenceLine::new(
            "exit code",
            code.map(|c| c.to_string())
                .unwrap_or_else(|| "killed by a signal".into()),
        ),
    ];
    if !stdout.is_empty() {
        ev.push(EvidenceLine::new(
            "stdout",
            stdout.chars().take(SHOWN).collect::<String>(),
        ));
    }
    if !stderr.is_empty() {
        ev.push(EvidenceLine::new(
            "stderr",
            stderr.chars().take(SHOWN).collect::<String>(),
        ));
    }
    let mut failures = Vec::new();
    let want = p.expect.exit_code.unwrap_or(0);
    if code != Some(want) {
        failures.push(format!(
            "exit code {} (expected {want})",
            code.map(|c| c.to_string()).unwrap_or("none".into())
        ));
    }
    if let Some(needle) = &p.expect.stdout_contains
        && !stdout.contains(needle.as_str())
    {
        failures.push(format!("stdout does not contain “{needle}”"));
    }
    Finding::from_checks(&p.program, failures, ev)
}
