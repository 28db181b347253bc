//! Command probes run only with approval: a [`CommandApproval`] is the SHA-256 of the template id
//! and the exact resolved command text, so any change to the command (a variable included) needs
//! a fresh approval.

use std::collections::HashSet;
use std::sync::Mutex;

use sha2::{Digest, Sha256};

use crate::spec::CommandProbe;

/// The approval token for one command in one template.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct CommandApproval {
    /// Lowercase hex SHA-256 over the template id and the command text (length-prefixed).
    pub digest: String,
}

impl CommandApproval {
    pub fn new(template_id: &str, command_text: &str) -> Self {
        let mut h = Sha256::new();
        for part in [template_id, command_text] {
            h.update((part.len() as u64).to_be_bytes());
            h.update(part.as_bytes());
        }
        Self {
            digest: hex::encode(h.finalize()),
        }
    }

    pub fn for_command(template_id: &str, probe: &CommandProbe) -> Self {
        Self::new(template_id, &command_text(probe))
    }
}

/// Where approvals are kept (the store, later). The runner asks it before every command.
pub trait ApprovalCheck: Send + Sync {
    fn is_approved(&self, approval: &CommandApproval) -> bool;
}

/// Approvals in memory (tests, and a session's approvals before the store has them).
#[derive(Default)]
pub struct MemoryApprovals {
    approved: Mutex<HashSet<CommandApproval>>,
}

impl MemoryApprovals {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn approve(&self, approval: CommandApproval) {
        self.approved
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .insert(approval);
    }
}

impl ApprovalCheck for MemoryApprovals {
    fn is_approved(&self, approval: &CommandApproval) -> bool {
        self.approved
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .contains(approval)
    }
}

/// The exact text a person approves: working directory, environment (credential names, never
/// values), program and arguments, each argument quoted when it needs it.
pub fn command_text(p: &CommandProbe) -> String {
    let mut parts = Vec::new();
    if let Some(cwd) = &p.cwd {
        parts.push(format!("cd {} &&", quote(cwd)));
    }
    for (name, cred) in &p.env {
        parts.push(format!("{name}=<credential {}>", quote(&cred.credential)));
    }
    parts.push(quote(&p.program));
    parts.extend(p.args.iter().map(|a| quote(a)));
    parts.join(" ")
}

fn quote(s: &str) -> String {
    let plain = !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./:=@%+,".contains(c));
    if plain {
        s.to_string()
    } else {
        format!("'{}'", s.replace('\'', r"'\''"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cmd(args: &[&str]) -> CommandProbe {
        CommandProbe {
            program: "kubectl".into(),
            args: args.iter().map(|s| s.to_string()).collect(),
            cwd: None,
            env: Default::default(),
            timeout_ms: None,
            expect: Default::default(),
        }
    }

    #[test]
    fn the_approval_changes_when_an_argument_or_the_template_changes() {
        let a = CommandApproval::for_command("t1", &cmd(&["get", "pods"]));
        assert_eq!(
            a,
            CommandApproval::for_command("t1", &cmd(&["get", "pods"]))
        );
        assert_ne!(
            a,
            CommandApproval::for_command("t1", &cmd(&["get", "pods", "-A"]))
        );
        assert_ne!(
            a,
            CommandApproval::for_command("t2", &cmd(&["get", "pods"]))
        );
        assert_eq!(a.digest.len(), 64);
    }

    #[test]
    fn the_command_text_quotes_arguments_that_need_it() {
        assert_eq!(
            command_text(&cmd(&["get", "pods; rm -rf /"])),
            "kubectl get 'pods; rm -rf /'"
        );
    }
}
