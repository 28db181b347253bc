//! Greenlight's probe engine: checklist items that verify themselves from the user's laptop.
//!
//! A ```` ```probe ```` block (TOML) under an item declares a probe ([`parse_spec`]);
//! [`substitute`] fills `{{variables}}` from an environment; [`run_probe`] / [`run_many`] run it
//! with credentials from a [`greenlight_secrets::SecretStore`] and give a redacted
//! [`ProbeResult`]. [`suggest_probes`] proposes probes from an item's shell snippets.
//! No Tauri, no store, no global state: the clock, secrets and approvals come in a [`ProbeContext`].

pub mod approval;
mod cert_refusal;
pub mod check;
mod client_cert;
pub mod context;
pub mod error;
mod kinds;
pub mod matching;
pub mod preflight;
pub mod reachability;
pub mod redact;
pub mod result;
pub mod run;
pub mod spec;
mod spec_path;
pub mod suggest;
mod suggest_rules;
mod tls_config;
mod validate;
pub mod vars;

pub use approval::{ApprovalCheck, CommandApproval, MemoryApprovals, command_text};
pub use check::{CompareOp, Scalar, ValueCheck};
pub use context::{Clock, FixedClock, ProbeContext, SystemClock};
pub use error::ProbeError;
pub use preflight::{
    BlockCheck, BlockPlace, BlockProblem, FixTarget, ProblemKind, Target, check_block,
    describe_target,
};
pub use reachability::{CONTACT_TIMEOUT, TargetCheck, contact};
pub use redact::Redactor;
pub use result::{
    EvidenceLine, Outcome, ProbeDuration, ProbeResult, SAMPLES_MAX, SAMPLES_P50, SAMPLES_P95,
};
pub use run::{RunControl, run_many, run_probe};
pub use spec::{ProbeSpec, item_probes, parse_spec};
pub use suggest::{InlineCredential, Suggestion, inline_credentials, suggest_probes};
pub use vars::{ResolvedProbe, substitute, variables};
