//! `greenlight identity set|show|use-certificate|timestamp-authority`: who changes are
//! recorded as, and how records are signed.

use std::path::PathBuf;

use clap::Subcommand;

use super::{open_app, read_file};
use crate::api_error::{ApiError, Code};
use crate::app::ApiResult;
use crate::paths::AppPaths;

#[derive(Debug, Subcommand)]
pub enum IdentityCommand {
    /// Say who you are.
    Set {
        #[arg(long)]
        name: String,
        #[arg(long)]
        email: Option<String>,
        #[arg(long)]
        role: Option<String>,
    },
    /// Show who changes are recorded as, and the record signing certificate.
    Show,
    /// Sign records with a company certificate from a PKCS#12 (.p12/.pfx) file; its password
    /// is read from standard input (never an argument). The key goes to the OS keychain.
    UseCertificate { file: PathBuf },
    /// Ask this RFC 3161 time-stamp authority for a trusted time on every record signature
    /// (`--off` to stop); offline, records are signed without one and say so.
    TimestampAuthority {
        #[arg(required_unless_present = "off")]
        url: Option<String>,
        #[arg(long, conflicts_with = "url")]
        off: bool,
    },
}

pub(super) async fn execute(command: IdentityCommand, paths: AppPaths) -> ApiResult<String> {
    match command {
        IdentityCommand::Set { name, email, role } => {
            let info = open_app(paths)
                .await?
                .set_identity(&greenlight_store::Identity { name, email, role })
                .await?;
            Ok(format!("changes are now recorded as {}", info.actor))
        }
        IdentityCommand::UseCertificate { file } => {
            let bytes = read_file(&file)?;
            let mut password = String::new();
            std::io::stdin().read_line(&mut password).map_err(|e| {
                ApiError::new(
                    Code::InvalidInput,
                    format!("could not read the password from standard input: {e}"),
                )
            })?;
            let password = zeroize::Zeroizing::new(password);
            let password = password.trim_end_matches(['\r', '\n']);
            let app = open_app(paths).await?;
            let certificate =
                crate::sealing::use_company_certificate(&app, &bytes, password).await?;
            Ok(format!(
                "records are now signed as {}\n  SHA-256 {}\n  issued by {}",
                certificate.subject, certificate.fingerprint_sha256, certificate.issuer
            ))
        }
        IdentityCommand::TimestampAuthority { url, off } => {
            let app = open_app(paths).await?;
            let url = if off { None } else { url };
            Ok(
                match crate::sealing::set_timestamp_authority(&app, url.as_deref()).await? {
                    Some(url) => format!("record signatures ask {url} for a trusted time"),
                    None => "record signatures carry no trusted time".into(),
                },
            )
        }
        IdentityCommand::Show => {
            let app = open_app(paths).await?;
            let actor = app.actor().await?;
            let certificate = crate::sealing::signing_certificate(&app).await?;
            Ok(match certificate {
                Some(c) => format!(
                    "changes are recorded as {actor}\nrecord signing certificate: {}\n  SHA-256 {}\n  valid {} to {}{}\n{}",
                    c.subject,
                    c.fingerprint_sha256,
                    c.not_before.to_rfc3339(),
                    c.not_after.to_rfc3339(),
                    if c.self_signed { " (self-signed)" } else { "" },
                    c.pem.trim_end()
                ),
                None => format!(
                    "changes are recorded as {actor}\nno record signing certificate yet (one is made at the first export)"
                ),
            })
        }
    }
}
