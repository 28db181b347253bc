//! `greenlight credential add NAME [--kind password|token|user-password]|list|remove NAME`: the
//! same keychain entries (and references) as the window's Credentials view. The secret is read
//! from standard input only — never an argument, never echoed (from a terminal, echo is turned
//! off while it is typed), never printed. For `user-password`, the first line is the user name
//! and the second the password.

use std::io::{BufRead, IsTerminal};

use clap::{Subcommand, ValueEnum};
use greenlight_store::CredentialKind;
use zeroize::Zeroizing;

use super::to_json;
use crate::api_error::ApiError;
use crate::app::{ApiResult, App, CredentialInput};

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum KindArg {
    Password,
    Token,
    UserPassword,
}

impl From<KindArg> for CredentialKind {
    fn from(kind: KindArg) -> Self {
        match kind {
            KindArg::Password => CredentialKind::Password,
            KindArg::Token => CredentialKind::Token,
            KindArg::UserPassword => CredentialKind::UserPassword,
        }
    }
}

#[derive(Debug, Subcommand)]
pub enum CredentialCommand {
    /// Store a credential in the OS keychain, reading the secret from standard input
    /// (user-password: the user name on the first line, the password on the second).
    Add {
        name: String,
        #[arg(long, value_enum, default_value = "password")]
        kind: KindArg,
    },
    /// List the credentials: names and kinds only.
    List {
        #[arg(long)]
        json: bool,
    },
    /// Remove a credential from the keychain and the list.
    Remove { name: String },
}

pub(super) async fn execute(command: CredentialCommand, app: App) -> ApiResult<String> {
    match command {
        CredentialCommand::Add { name, kind } => {
            let kind = CredentialKind::from(kind);
            let (username, secret) = read_secret(kind)?;
            app.save_credential(&CredentialInput {
                name: name.clone(),
                kind,
                username,
                secret: secret.to_string(),
            })
            .await?;
            Ok(format!(
                "stored the credential {} ({}) in the keychain",
                name.trim(),
                kind.as_str()
            ))
        }
        CredentialCommand::List { json } => {
            let all = app.list_credentials().await?;
            if json {
                let list: Vec<_> = all
                    .iter()
                    .map(|c| serde_json::json!({"name": c.name, "kind": c.kind.as_str()}))
                    .collect();
                return to_json(&list);
            }
            Ok(all
                .iter()
                .map(|c| format!("{}\t{}", c.name, c.kind.as_str()))
                .collect::<Vec<_>>()
                .join("\n"))
        }
        CredentialCommand::Remove { name } => {
            app.delete_credential(&name).await?;
            Ok(format!("removed the credential {name}"))
        }
    }
}

/// The user name (for user-password) and the secret, from standard input.
fn read_secret(kind: CredentialKind) -> ApiResult<(Option<String>, Zeroizing<String>)> {
    let stdin = std::io::stdin();
    let from_terminal = stdin.is_terminal();
    let mut lines = stdin.lock();
    let mut read_line = |prompt: &str, hidden: bool| -> ApiResult<Zeroizing<String>> {
        if from_terminal {
            eprint!("{prompt}: ");
        }
        let _echo = (from_terminal && hidden).then(EchoOff::new);
        let mut line = Zeroizing::new(String::new());
        lines
            .read_line(&mut line)
            .map_err(|e| ApiError::invalid(format!("could not read standard input: {e}")))?;
        if from_terminal && hidden {
            eprintln!();
        }
        let trimmed = line.trim_end_matches(['\n', '\r']).len();
        line.truncate(trimmed);
        Ok(line)
    };
    let username = match kind {
        CredentialKind::UserPassword => Some(read_line("user name", false)?.to_string()),
        _ => None,
    };
    let secret = read_line("secret (not shown)", true)?;
    if secret.is_empty() {
        return Err(ApiError::invalid(
            "no secret on standard input: pipe it in (`printf %s \"$TOKEN\" | greenlight credential add NAME`)",
        ));
    }
    Ok((username, secret))
}

/// Turns the terminal's echo off while a secret is typed, and back on when dropped.
struct EchoOff;

impl EchoOff {
    fn new() -> Self {
        stty("-echo");
        EchoOff
    }
}

impl Drop for EchoOff {
    fn drop(&mut self) {
        stty("echo");
    }
}

/// `stty` on the terminal standard input is (no terminal library needed; Unix only).
fn stty(setting: &str) {
    let _ = std::process::Command::new("stty")
        .arg(setting)
        .stdin(std::process::Stdio::inherit())
        .status();
}
