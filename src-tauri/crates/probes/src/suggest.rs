//! Suggestions: probes proposed from what an item already says — its shell snippets (`curl`,
//! `redis-cli ping`, `psql -c "SELECT …"`) and well-known phrasings ("certificates valid for > 30
//! days", "DNS TTL reduced to 60 seconds"). Credentials written inline in snippets are flagged with
//! a suggested keychain name; no reason or flag ever repeats the secret itself.

use greenlight_core::Item;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::spec::ProbeSpec;
use crate::suggest_rules;

/// A probe the user may add to an item, with why and where it came from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Suggestion {
    pub spec: ProbeSpec,
    pub reason: String,
    /// 1-based source line the suggestion was read from (the snippet line or the item line).
    pub source_line: u32,
    /// Credentials the snippet spelled out; the spec refers to them by `suggested_name` instead.
    pub inline_credentials: Vec<InlineCredential>,
}

/// How a credential was written inline.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum InlineCredentialKind {
    /// `curl -u user:password`.
    CurlUserPassword,
    /// `curl -H "Authorization: Bearer <literal>"`.
    AuthorizationHeader,
    /// `redis-cli -a password`.
    RedisPassword,
    /// `PGPASSWORD=… psql`.
    PgPasswordEnv,
    /// `scheme://user:password@host` in a URL or DSN.
    UrlPassword,
    /// `password=…` in a libpq conninfo string (`psql "host=db password=…"`).
    ConninfoPassword,
}

/// A secret written in a snippet: move it to the keychain under `suggested_name`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct InlineCredential {
    pub line: u32,
    pub kind: InlineCredentialKind,
    pub suggested_name: String,
}

/// Probes suggested for `item` (its own code blocks and title; children are separate items).
pub fn suggest_probes(item: &Item) -> Vec<Suggestion> {
    let mut out = Vec::new();
    for block in &item.code {
        if block.lang.eq_ignore_ascii_case("probe") {
            continue;
        }
        for cmd in suggest_rules::commands(&block.code, block.line + 1) {
            let expectations = cmd_expectations(block, item);
            if let Some(s) = suggest_rules::from_command(&cmd, &expectations) {
                out.push(s);
            }
        }
    }
    out.extend(suggest_rules::from_title(item));
    out
}

/// Every inline credential in the item's snippets, whether or not a probe is suggested for it.
pub fn inline_credentials(item: &Item) -> Vec<InlineCredential> {
    item.code
        .iter()
        .flat_map(|b| suggest_rules::commands(&b.code, b.line + 1))
        .flat_map(|cmd| suggest_rules::credentials_in(&cmd))
        .collect()
}

/// `# Expected:` lines of the block, then the item's own (title "(HTTP 200)" included).
fn cmd_expectations(block: &greenlight_core::CodeBlock, item: &Item) -> Vec<String> {
    let mut all = block.expectations.clone();
    for e in &item.expectations {
        if !all.contains(e) {
            all.push(e.clone());
        }
    }
    // The title goes last: the curl reader takes JSON fields from all but the last entry.
    all.push(item.title.clone());
    all
}
