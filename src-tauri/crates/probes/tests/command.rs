//! Command probes: refused without an approval of the exact text, run with credentials passed
//! only as environment variables, bounded by their timeout.

mod support;

use std::sync::Arc;
use std::time::{Duration, Instant};

use greenlight_probes::spec::CommandProbe;
use greenlight_probes::{
    CommandApproval, MemoryApprovals, Outcome, ProbeContext, ProbeSpec, SystemClock, run_probe,
};
use greenlight_secrets::MemoryStore;
use support::{evidence, probe};

const TOKEN: &str = "k8s-T0ken-zz";

fn context(approvals: Arc<MemoryApprovals>) -> ProbeContext {
    ProbeContext::new(
        Arc::new(MemoryStore::with(&[("k8s", TOKEN)])),
        approvals,
        Arc::new(SystemClock),
        "tpl-7",
    )
}

/// Prints the length of $KUBE_TOKEN, so the test sees it arrived without printing it.
const SPEC: &str = r#"kind = "command"
program = "/bin/sh"
args = ["-c", "printf 'len=%s pods Running' ${#KUBE_TOKEN}"]
env = { KUBE_TOKEN = { credential = "k8s" } }
timeout_ms = 5000
expect = { exit_code = 0, stdout_contains = "Running" }"#;

fn approve(approvals: &MemoryApprovals, spec: &str) {
    let ProbeSpec::Command(c) = probe(spec).spec().clone() else {
        panic!()
    };
    approvals.approve(CommandApproval::for_command("tpl-7", &c));
}

#[tokio::test]
async fn a_command_that_was_never_approved_is_refused_before_it_starts() {
    let r = run_probe(&probe(SPEC), &context(Arc::new(MemoryApprovals::new()))).await;
    assert_eq!(r.outcome, Outcome::Error);
    assert_eq!(r.code.as_deref(), Some("command_not_approved"));
    assert!(
        evidence(&r, "command")
            .unwrap()
            .starts_with("KUBE_TOKEN=<credential k8s> /bin/sh -c")
    );
}

#[tokio::test]
async fn a_command_whose_text_changed_since_approval_is_refused() {
    let approvals = Arc::new(MemoryApprovals::new());
    approve(&approvals, SPEC);
    let changed = SPEC.replace("pods Running", "pods Running; rm -rf /tmp/x");
    let r = run_probe(&probe(&changed), &context(approvals.clone())).await;
    assert_eq!(r.code.as_deref(), Some("command_not_approved"), "{r:#?}");
    // The same approval does not carry over to another template either.
    let ProbeSpec::Command(c) = probe(SPEC).spec().clone() else {
        panic!()
    };
    assert_ne!(
        CommandApproval::for_command("tpl-8", &c),
        CommandApproval::for_command("tpl-7", &c)
    );
}

#[tokio::test]
async fn an_approved_command_runs_with_the_secret_only_in_its_environment() {
    let approvals = Arc::new(MemoryApprovals::new());
    approve(&approvals, SPEC);
    let r = run_probe(&probe(SPEC), &context(approvals)).await;
    assert_eq!(r.outcome, Outcome::Pass, "{r:#?}");
    assert_eq!(
        evidence(&r, "stdout"),
        Some(&*format!("len={} pods Running", TOKEN.len()))
    );
    let ProbeSpec::Command(c): ProbeSpec = probe(SPEC).spec().clone() else {
        panic!()
    };
    let c: CommandProbe = c;
    assert!(
        c.args.iter().all(|a| !a.contains(TOKEN)),
        "the secret is never an argument"
    );
    let all = format!("{r:?}{}", serde_json::to_string(&r).unwrap());
    assert!(!all.contains(TOKEN));
}

#[tokio::test]
async fn a_command_that_prints_its_secret_has_it_redacted() {
    let spec = SPEC.replace(
        "printf 'len=%s pods Running' ${#KUBE_TOKEN}",
        "echo $KUBE_TOKEN Running",
    );
    let approvals = Arc::new(MemoryApprovals::new());
    approve(&approvals, &spec);
    let r = run_probe(&probe(&spec), &context(approvals)).await;
    assert_eq!(r.outcome, Outcome::Pass, "{r:#?}");
    assert_eq!(evidence(&r, "stdout"), Some("«redacted» Running\n"));
}

#[tokio::test]
async fn a_command_past_its_timeout_is_stopped_and_fails() {
    let spec = "kind = \"command\"\nprogram = \"sleep\"\nargs = [\"30\"]\ntimeout_ms = 300";
    let approvals = Arc::new(MemoryApprovals::new());
    approve(&approvals, spec);
    let started = Instant::now();
    let r = run_probe(&probe(spec), &context(approvals)).await;
    assert_eq!(r.outcome, Outcome::Fail, "{r:#?}");
    assert_eq!(r.code.as_deref(), Some("timeout"));
    assert!(started.elapsed() < Duration::from_secs(2));
}

#[tokio::test]
async fn a_wrong_exit_code_fails_and_a_missing_program_is_reported() {
    let spec = "kind = \"command\"\nprogram = \"sh\"\nargs = [\"-c\", \"echo boom >&2; exit 3\"]";
    let approvals = Arc::new(MemoryApprovals::new());
    approve(&approvals, spec);
    let r = run_probe(&probe(spec), &context(approvals.clone())).await;
    assert_eq!(r.outcome, Outcome::Fail);
    assert!(
        r.summary.contains("exit code 3 (expected 0)"),
        "{}",
        r.summary
    );
    assert_eq!(evidence(&r, "stderr"), Some("boom\n"));
    let missing = "kind = \"command\"\nprogram = \"/nonexistent/greenlight-tool\"";
    approve(&approvals, missing);
    let r = run_probe(&probe(missing), &context(approvals)).await;
    assert_eq!(r.code.as_deref(), Some("command_not_started"));
}
