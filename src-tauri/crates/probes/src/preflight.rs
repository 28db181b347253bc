//! Preflight of one probe block, without contacting its target: the block parses and validates,
//! every `{{variable}}` is defined, the command's exact text is approved, and the files it names
//! (`ca_file`, `client_cert_file`, `client_key_file`) exist, are readable, hold unexpired
//! certificates and a key only its owner may read. What needs the keychain (the credentials it
//! names) and the network (its targets, see [`crate::reachability`]) is handed back to the
//! caller. Reads local files; never sends anything anywhere.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use tokio_rustls::rustls::pki_types::CertificateDer;
use tokio_rustls::rustls::pki_types::pem::PemObject;
use ts_rs::TS;
use x509_parser::prelude::{FromDer, X509Certificate};

use crate::approval::{ApprovalCheck, CommandApproval};
use crate::error::ProbeError;
use crate::spec::ProbeSpec;
use crate::spec_path;
use crate::vars::{substitute, variables};

/// What kind of problem a preflight found; the window and the CLI group by it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum ProblemKind {
    /// The probe block does not parse or is not valid once filled in.
    InvalidBlock,
    /// A `{{variable}}` the chosen environment does not define.
    MissingVariable,
    /// The keychain is locked (or did not answer in time).
    KeychainLocked,
    /// There is no keychain to ask (no Secret Service, no login keychain).
    KeychainUnavailable,
    /// A credential named by the probe is not in the keychain.
    MissingCredential,
    /// A command probe whose exact text has not been approved for this template.
    CommandNotApproved,
    /// A file the probe names is missing, unreadable or not what it should be.
    FileProblem,
    /// A private key file that group or others may read.
    KeyPermissions,
    /// A certificate in a file the probe names has expired.
    CertificateExpired,
    /// (Only when asked to contact targets.) A host name that does not resolve or a port
    /// that does not answer.
    TargetUnreachable,
}

/// Where the fix for a problem is made; the window turns it into a button.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[ts(export)]
pub enum FixTarget {
    /// Define a variable in this environment (Environments view).
    Environment { name: String, variable: String },
    /// Store this credential (Credentials view).
    Credential { name: String },
    /// Unlock (or set up) the OS keychain (Credentials view shows its status).
    Keychain,
    /// Approve the command of the probe block at `line` under `item_id` (template view).
    Approval { item_id: String, line: u32 },
    /// Edit the probe block at `line` under `item_id` (template view).
    Block { item_id: String, line: u32 },
    /// Fix a file on this machine (nothing in Greenlight to open).
    File { path: String },
    /// A target to reach from this machine (network, VPN, firewall).
    Network { host: String },
}

/// One problem with one probe block: what is wrong and what to do, in plain words.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct BlockProblem {
    pub kind: ProblemKind,
    pub message: String,
    /// What to do, as a sentence ("define `api_base` in production").
    pub fix: String,
    pub target: FixTarget,
}

/// A host (and port, unless only its name is to resolve) a probe would contact.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Target {
    pub host: String,
    pub port: Option<u16>,
}

/// What the preflight of one block found, and what it leaves to the caller.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct BlockCheck {
    pub problems: Vec<BlockProblem>,
    /// Credential names the block reads (to look up in the keychain).
    pub credentials: Vec<String>,
    /// Hosts the block would contact (for the optional reachability step).
    pub targets: Vec<Target>,
}

/// Where a block sits, for the fix targets.
pub struct BlockPlace<'a> {
    pub item_id: &'a str,
    pub line: u32,
    pub environment: &'a str,
    pub template_id: &'a str,
}

/// Checks one parsed block against an environment's variables, the approvals and the files it
/// names, at `now`.
pub fn check_block(
    parsed: &Result<ProbeSpec, ProbeError>,
    vars: &BTreeMap<String, String>,
    approvals: &dyn ApprovalCheck,
    place: &BlockPlace<'_>,
    now: DateTime<Utc>,
) -> BlockCheck {
    let mut check = BlockCheck::default();
    let spec = match parsed {
        Ok(spec) => spec,
        Err(e) => {
            check.problems.push(invalid_block(e, place));
            return check;
        }
    };
    let missing: Vec<String> = variables(spec)
        .into_iter()
        .filter(|name| !vars.contains_key(name))
        .collect();
    for name in &missing {
        check.problems.push(BlockProblem {
            kind: ProblemKind::MissingVariable,
            message: format!(
                "the variable `{name}` is not defined in {}",
                place.environment
            ),
            fix: format!("define `{name}` in {}", place.environment),
            target: FixTarget::Environment {
                name: place.environment.to_string(),
                variable: name.clone(),
            },
        });
    }
    if !missing.is_empty() {
        // Still check what does not depend on the missing variables.
        check.credentials = spec
            .credentials()
            .into_iter()
            .filter(|c| !c.contains("{{"))
            .collect();
        let files = named_files(spec)
            .into_iter()
            .filter(|(_, p)| !p.contains("{{"));
        check_files(files, now, &mut check.problems);
        return check;
    }
    let resolved = match substitute(spec, vars) {
        Ok(resolved) => resolved,
        Err(e) => {
            check.problems.push(invalid_block(&e, place));
            return check;
        }
    };
    let spec = resolved.spec();
    check.credentials = spec.credentials();
    if let ProbeSpec::Command(command) = spec
        && !approvals.is_approved(&CommandApproval::for_command(place.template_id, command))
    {
        check.problems.push(BlockProblem {
            kind: ProblemKind::CommandNotApproved,
            message: format!(
                "the command `{}` has not been approved for this template",
                crate::approval::command_text(command)
            ),
            fix: "approve this command".into(),
            target: FixTarget::Approval {
                item_id: place.item_id.to_string(),
                line: place.line,
            },
        });
    }
    check_files(named_files(spec), now, &mut check.problems);
    check.targets = targets(spec);
    check
}

fn invalid_block(e: &ProbeError, place: &BlockPlace<'_>) -> BlockProblem {
    BlockProblem {
        kind: ProblemKind::InvalidBlock,
        message: e.to_string(),
        fix: format!("correct the probe block at line {}", place.line),
        target: FixTarget::Block {
            item_id: place.item_id.to_string(),
            line: place.line,
        },
    }
}

/// The files a spec names, with the field naming each.
fn named_files(spec: &ProbeSpec) -> Vec<(&'static str, String)> {
    let (ca, cert, key) = match spec {
        ProbeSpec::Http(p) => (&p.ca_file, &p.client_cert_file, &p.client_key_file),
        ProbeSpec::Redis(p) => (&p.ca_file, &p.client_cert_file, &p.client_key_file),
        ProbeSpec::Postgres(p) => (&p.ca_file, &p.client_cert_file, &p.client_key_file),
        ProbeSpec::Prometheus(p) => (&p.ca_file, &p.client_cert_file, &p.client_key_file),
        ProbeSpec::Tls(p) => (&p.ca_file, &None, &None),
        ProbeSpec::Dns(_) | ProbeSpec::Tcp(_) | ProbeSpec::Command(_) => (&None, &None, &None),
    };
    [
        ("ca_file", ca),
        ("client_cert_file", cert),
        ("client_key_file", key),
    ]
    .into_iter()
    .filter_map(|(field, path)| path.clone().map(|p| (field, p)))
    .collect()
}

fn check_files(
    files: impl IntoIterator<Item = (&'static str, String)>,
    now: DateTime<Utc>,
    problems: &mut Vec<BlockProblem>,
) {
    for (field, path) in files {
        if let Err(problem) = check_file(field, &path, now) {
            problems.push(problem);
        }
    }
}

fn file_problem(kind: ProblemKind, path: &str, message: String, fix: String) -> BlockProblem {
    BlockProblem {
        kind,
        message,
        fix,
        target: FixTarget::File {
            path: path.to_string(),
        },
    }
}

/// One named file: readable, and for a key private, for certificates unexpired. The key's
/// content is never quoted.
fn check_file(field: &str, path: &str, now: DateTime<Utc>) -> Result<(), BlockProblem> {
    let bytes = std::fs::read(spec_path::resolve(path)).map_err(|e| {
        let (what, fix) = match e.kind() {
            std::io::ErrorKind::NotFound => (
                "does not exist".to_string(),
                format!("put the file at {path}, or correct `{field}`"),
            ),
            std::io::ErrorKind::PermissionDenied => (
                "cannot be read by you".to_string(),
                format!("let your user read {path}"),
            ),
            _ => (format!("cannot be read ({e})"), format!("check {path}")),
        };
        file_problem(
            ProblemKind::FileProblem,
            path,
            format!("`{field}` {path} {what}"),
            fix,
        )
    })?;
    if field == "client_key_file" {
        return crate::client_cert::key_is_private(path).map_err(|message| {
            file_problem(
                ProblemKind::KeyPermissions,
                path,
                message,
                format!("run `chmod 600 {path}`"),
            )
        });
    }
    let certs: Vec<CertificateDer<'_>> = CertificateDer::pem_slice_iter(&bytes)
        .filter_map(Result::ok)
        .collect();
    if certs.is_empty() {
        return Err(file_problem(
            ProblemKind::FileProblem,
            path,
            format!("`{field}` {path} holds no PEM certificate"),
            format!("point `{field}` at a PEM certificate file"),
        ));
    }
    for der in &certs {
        let Ok((_, cert)) = X509Certificate::from_der(der.as_ref()) else {
            continue;
        };
        let not_after = cert.validity().not_after.timestamp();
        if not_after < now.timestamp() {
            let when = DateTime::<Utc>::from_timestamp(not_after, 0)
                .map(|t| t.format("%Y-%m-%d %H:%M UTC").to_string())
                .unwrap_or_default();
            return Err(file_problem(
                ProblemKind::CertificateExpired,
                path,
                format!(
                    "the certificate {} in `{field}` {path} expired on {when}",
                    cert.subject()
                ),
                format!("renew the certificate in {path}"),
            ));
        }
    }
    Ok(())
}

/// What a probe is aimed at, in a few words (`host:port`, a URL's host, a command's program).
pub fn describe_target(spec: &ProbeSpec) -> String {
    if let ProbeSpec::Command(c) = spec {
        return c.program.clone();
    }
    targets(spec)
        .into_iter()
        .map(|t| match t.port {
            Some(port) => format!("{}:{port}", t.host),
            None => t.host,
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// The hosts (and ports) a resolved spec would contact.
fn targets(spec: &ProbeSpec) -> Vec<Target> {
    let url = |u: &str| {
        reqwest::Url::parse(u).ok().and_then(|u| {
            Some(Target {
                host: u.host_str()?.trim_matches(['[', ']']).to_string(),
                port: u.port_or_known_default(),
            })
        })
    };
    let at = |host: &str, port: u16| Target {
        host: host.to_string(),
        port: Some(port),
    };
    match spec {
        ProbeSpec::Http(p) => url(&p.url).into_iter().collect(),
        ProbeSpec::Prometheus(p) => url(&p.url).into_iter().collect(),
        ProbeSpec::Tls(p) => vec![at(&p.host, p.port.unwrap_or(443))],
        ProbeSpec::Tcp(p) => vec![at(&p.host, p.port)],
        ProbeSpec::Redis(p) => vec![at(&p.host, p.port.unwrap_or(6379))],
        ProbeSpec::Postgres(p) => vec![at(&p.host, p.port.unwrap_or(5432))],
        ProbeSpec::Dns(p) => vec![Target {
            host: p.name.clone(),
            port: None,
        }],
        ProbeSpec::Command(_) => vec![],
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::approval::MemoryApprovals;
    use crate::spec::parse_spec;

    fn place() -> BlockPlace<'static> {
        BlockPlace {
            item_id: "item-1",
            line: 7,
            environment: "production",
            template_id: "tpl",
        }
    }

    fn check(toml: &str, vars: &[(&str, &str)]) -> BlockCheck {
        let vars = vars
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        check_block(
            &parse_spec(toml),
            &vars,
            &MemoryApprovals::new(),
            &place(),
            Utc::now(),
        )
    }

    #[test]
    fn every_undefined_variable_is_named_with_the_environment_to_define_it_in() {
        let c = check(
            "kind = \"http\"\nurl = \"{{api_base}}/{{path}}\"\nauth = { credential = \"tok\", scheme = \"bearer\" }",
            &[("path", "health")],
        );
        assert_eq!(c.problems.len(), 1, "{:?}", c.problems);
        assert_eq!(c.problems[0].kind, ProblemKind::MissingVariable);
        assert_eq!(c.problems[0].fix, "define `api_base` in production");
        assert_eq!(c.credentials, vec!["tok".to_string()]);
    }

    #[test]
    fn a_credential_named_through_a_variable_is_looked_up_under_its_value() {
        let c = check(
            "kind = \"redis\"\nhost = \"cache\"\ncredential = \"{{redis_cred}}\"",
            &[("redis_cred", "redis-prod")],
        );
        assert!(c.problems.is_empty(), "{:?}", c.problems);
        assert_eq!(c.credentials, vec!["redis-prod".to_string()]);
        assert_eq!(
            c.targets,
            vec![Target {
                host: "cache".into(),
                port: Some(6379)
            }]
        );
    }

    #[test]
    fn an_unapproved_command_and_a_block_that_does_not_parse_are_problems_with_their_place() {
        let c = check("kind = \"command\"\nprogram = \"kubectl\"", &[]);
        assert_eq!(c.problems[0].kind, ProblemKind::CommandNotApproved);
        assert_eq!(
            c.problems[0].target,
            FixTarget::Approval {
                item_id: "item-1".into(),
                line: 7
            }
        );
        let c = check("kind = \"http\"\nurl = ", &[]);
        assert_eq!(c.problems[0].kind, ProblemKind::InvalidBlock);
    }

    #[test]
    fn an_approved_command_has_no_problem() {
        let spec = parse_spec("kind = \"command\"\nprogram = \"true\"").unwrap();
        let ProbeSpec::Command(command) = &spec else {
            unreachable!()
        };
        let approvals = MemoryApprovals::new();
        approvals.approve(CommandApproval::for_command("tpl", command));
        let c = check_block(
            &Ok(spec.clone()),
            &BTreeMap::new(),
            &approvals,
            &place(),
            Utc::now(),
        );
        assert!(c.problems.is_empty(), "{:?}", c.problems);
    }

    #[test]
    fn a_missing_ca_file_is_named_with_the_field_and_the_path() {
        let c = check(
            "kind = \"tls\"\nhost = \"example.org\"\nca_file = \"/nonexistent/ca.pem\"",
            &[],
        );
        assert_eq!(c.problems.len(), 1);
        assert_eq!(c.problems[0].kind, ProblemKind::FileProblem);
        assert!(
            c.problems[0]
                .message
                .contains("`ca_file` /nonexistent/ca.pem does not exist")
        );
    }
}
