//! The one error shape that leaves the app (IPC and CLI): a [`Code`] to switch on and a message
//! for people. Every crate error converts with `From`, matching each variant, so a new variant
//! does not compile until it has a code.

use greenlight_core::run::RuleViolation;
use greenlight_pdf::PdfError;
use greenlight_probes::ProbeError;
use greenlight_seal::SealError;
use greenlight_secrets::SecretError;
use greenlight_store::StoreError;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// Every error code the UI and the CLI can receive (the wire strings are snake_case).
#[derive(Serialize, Deserialize, TS, Clone, Copy, PartialEq, Eq, Hash, Debug)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum Code {
    // General.
    /// A value sent by the window or the command line is unusable (empty, malformed, wrong kind).
    InvalidInput,
    /// The run, template or file asked for does not exist.
    NotFound,
    /// Greenlight does not know who is acting (no identity set, no OS user name).
    IdentityRequired,
    /// The window received something that was not an `ApiError` (a bug or a crashed command).
    Unexpected,
    /// The CLI could not start its async runtime.
    Runtime,
    /// A value could not be turned into JSON.
    Serialise,
    /// A file given to Greenlight could not be read.
    FileUnreadable,
    /// A file could not be written (other than a full disk or missing permission).
    FileWriteFailed,
    /// The operating system refused access to a file or folder.
    PermissionDenied,
    /// The disk is full; nothing was saved.
    DiskFull,
    /// An exported file could not be opened with the system's default application.
    OpenFailed,

    // The store and the run rules.
    /// A Markdown template could not be imported.
    ImportFailed,
    /// An item was marked Fail without a note saying what failed.
    FailNeedsNote,
    /// The run is completed, abandoned or archived, so it cannot change.
    RunReadOnly,
    /// A note was empty.
    EmptyNote,
    /// A gate's go option was chosen over failed or pending items without a justification.
    GateNeedsOverride,
    /// Another run rule refused the change (unknown element, run not active).
    RuleViolation,
    /// The database is locked or busy because of another program.
    DatabaseLocked,
    /// The database file or its folder cannot be written.
    DatabaseReadOnly,
    /// The database file is damaged.
    DatabaseCorrupt,
    /// Any other SQLite failure.
    DatabaseError,
    /// The database could not be opened.
    DatabaseOpenFailed,
    /// Data stored in the database could not be read back.
    StoredDataUnreadable,
    /// A run was to be deleted before its retention date.
    RetentionNotExpired,

    // Audit log and records.
    /// A run's hash chain does not verify.
    AuditChainBroken,
    /// The state a run shows differs from what its audit log records.
    StateDiffersFromLog,
    /// A file checked as a record is not a Greenlight record.
    RecordInvalid,
    /// A record file is larger than Greenlight checks.
    RecordTooLarge,
    /// A record file checked in a run's window is the record of another run.
    RecordOtherRun,
    /// The CLI's `verify --record` found a record of another run, or one that is not intact.
    RecordMismatch,
    /// Settings asked for the signing certificate before any record export made one.
    NoSigningCertificate,

    // Probe suggestions.
    /// A suggestion was applied to a template version that is no longer the latest.
    TemplateSuperseded,
    /// The suggestion is no longer offered for this template version.
    SuggestionNotFound,
    /// The suggested block's place in the template source could not be found.
    SuggestionNotInsertable,
    /// The suggested snippet spells out a secret that is not yet a stored credential.
    SuggestionHasInlineSecret,

    // The keychain.
    /// No credential of that name is in the keychain.
    SecretNotFound,
    /// This system has no usable keychain.
    KeychainUnavailable,
    /// The keychain did not answer in time (often: it is locked).
    KeychainTimeout,
    /// The keychain refused access (it is locked).
    KeychainLocked,
    /// A credential name the keychain cannot hold.
    InvalidCredentialName,
    /// Any other keychain failure.
    KeychainError,

    // Probe specs.
    /// A probe block is not valid TOML.
    ProbeSpecSyntax,
    /// A probe block's fields are wrong.
    ProbeSpecInvalid,
    /// A probe uses a variable the run's environment does not define.
    MissingVariable,

    // Sealing and inspecting PDF records.
    /// The file is not a PDF.
    NotAPdf,
    /// The PDF is damaged or incomplete.
    Damaged,
    /// The PDF is encrypted.
    Encrypted,
    /// The PDF uses a structure that cannot be updated safely.
    Unsupported,
    /// A private key could not be read.
    InvalidKey,
    /// A certificate could not be read or built.
    InvalidCertificate,
    /// A private key does not belong to its certificate.
    KeyMismatch,
    /// Creating a signature failed.
    SigningFailed,
    /// A signature does not fit into the space reserved for it.
    SignatureTooLarge,
    /// A time-stamp token or response could not be used.
    InvalidTimestamp,
    /// A PKCS#12 (.p12/.pfx) file could not be opened (wrong password, damaged file).
    Pkcs12,

    // Printing.
    /// A PDF could not be rendered.
    PdfFailed,
}

impl Code {
    /// The wire string (`invalid_input`), as the UI receives it and the CLI prints it.
    pub fn as_str(self) -> String {
        match serde_json::to_value(self) {
            Ok(serde_json::Value::String(text)) => text,
            _ => format!("{self:?}"),
        }
    }
}

impl std::fmt::Display for Code {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.as_str())
    }
}

/// An error as the UI receives it: a stable `code` to switch on and a message for people.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ApiError {
    pub code: Code,
    pub message: String,
}

impl ApiError {
    pub fn new(code: Code, message: impl Into<String>) -> ApiError {
        ApiError {
            code,
            message: message.into(),
        }
    }

    /// `invalid_input` with the given message.
    pub fn invalid(message: impl Into<String>) -> ApiError {
        ApiError::new(Code::InvalidInput, message)
    }
}

impl From<StoreError> for ApiError {
    fn from(error: StoreError) -> ApiError {
        let code = match &error {
            StoreError::Import(_) => Code::ImportFailed,
            StoreError::Rule(rule) => match rule {
                RuleViolation::FailNeedsNote => Code::FailNeedsNote,
                RuleViolation::RunNotEditable(_) => Code::RunReadOnly,
                RuleViolation::EmptyNote => Code::EmptyNote,
                RuleViolation::GateNeedsOverride { .. } => Code::GateNeedsOverride,
                RuleViolation::NotAGateOption { .. } => Code::InvalidInput,
                RuleViolation::UnknownElement(_) | RuleViolation::NotActive(_) => {
                    Code::RuleViolation
                }
            },
            StoreError::NotFound { .. } => Code::NotFound,
            StoreError::Invalid(_) => Code::InvalidInput,
            StoreError::Locked => Code::DatabaseLocked,
            StoreError::DiskFull => Code::DiskFull,
            StoreError::ReadOnly | StoreError::NotWritable { .. } => Code::DatabaseReadOnly,
            StoreError::Corrupt(_) => Code::DatabaseCorrupt,
            StoreError::Database(_) => Code::DatabaseError,
            StoreError::Open { .. } => Code::DatabaseOpenFailed,
            StoreError::Decode(_) => Code::StoredDataUnreadable,
            StoreError::Retained(_) => Code::RetentionNotExpired,
        };
        ApiError::new(code, error.to_string())
    }
}

/// The keychain's own codes (`keychain_locked`, `secret_not_found`, …) reach the UI unchanged.
impl From<SecretError> for ApiError {
    fn from(error: SecretError) -> ApiError {
        let code = match &error {
            SecretError::NotFound { .. } => Code::SecretNotFound,
            SecretError::Unavailable { .. } => Code::KeychainUnavailable,
            SecretError::Timeout => Code::KeychainTimeout,
            SecretError::Locked { .. } => Code::KeychainLocked,
            SecretError::InvalidName { .. } => Code::InvalidCredentialName,
            SecretError::Platform { .. } => Code::KeychainError,
        };
        ApiError::new(code, error.to_string())
    }
}

impl From<ProbeError> for ApiError {
    fn from(error: ProbeError) -> ApiError {
        let code = match &error {
            ProbeError::Toml { .. } => Code::ProbeSpecSyntax,
            ProbeError::Invalid { .. } => Code::ProbeSpecInvalid,
            ProbeError::MissingVariable { .. } => Code::MissingVariable,
        };
        ApiError::new(code, error.to_string())
    }
}

impl From<SealError> for ApiError {
    fn from(error: SealError) -> ApiError {
        let code = match &error {
            SealError::NotAPdf => Code::NotAPdf,
            SealError::Damaged(_) => Code::Damaged,
            SealError::Encrypted => Code::Encrypted,
            SealError::Unsupported(_) => Code::Unsupported,
            SealError::InvalidInput(_) => Code::InvalidInput,
            SealError::InvalidKey(_) => Code::InvalidKey,
            SealError::InvalidCertificate(_) => Code::InvalidCertificate,
            SealError::KeyMismatch => Code::KeyMismatch,
            SealError::Signing(_) => Code::SigningFailed,
            SealError::SignatureTooLarge { .. } => Code::SignatureTooLarge,
            SealError::InvalidTimestamp(_) => Code::InvalidTimestamp,
            SealError::Pkcs12(_) => Code::Pkcs12,
        };
        ApiError::new(code, error.to_string())
    }
}

/// Every printing failure is `pdf_failed`; the message says which.
impl From<PdfError> for ApiError {
    fn from(error: PdfError) -> ApiError {
        let code = match &error {
            PdfError::Font(_) | PdfError::InvalidOption(_) | PdfError::Write(_) => Code::PdfFailed,
        };
        ApiError::new(code, error.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn wire(code: Code) -> String {
        serde_json::to_value(code)
            .unwrap()
            .as_str()
            .unwrap()
            .to_string()
    }

    #[test]
    fn each_crate_error_keeps_the_code_its_crate_names_on_the_wire() {
        let store = [
            StoreError::Import(greenlight_core::ImportError::Empty),
            StoreError::Rule(RuleViolation::FailNeedsNote),
            StoreError::Rule(RuleViolation::RunNotEditable("completed")),
            StoreError::Rule(RuleViolation::EmptyNote),
            StoreError::Rule(RuleViolation::GateNeedsOverride {
                option: "GO".into(),
                failed: 1,
                pending: 0,
            }),
            StoreError::Rule(RuleViolation::NotAGateOption {
                option: "x".into(),
                options: "GO".into(),
            }),
            StoreError::Rule(RuleViolation::UnknownElement("e".into())),
            StoreError::Rule(RuleViolation::NotActive("completed")),
            StoreError::NotFound {
                what: "run",
                id: "r".into(),
            },
            StoreError::Invalid("x".into()),
            StoreError::Locked,
            StoreError::DiskFull,
            StoreError::ReadOnly,
            StoreError::Corrupt("x".into()),
            StoreError::Database("x".into()),
            StoreError::Open {
                path: "p".into(),
                reason: "r".into(),
            },
            StoreError::NotWritable {
                path: "p".into(),
                reason: "r".into(),
            },
            StoreError::Decode("x".into()),
            StoreError::Retained("2030".into()),
        ];
        for error in store {
            let expected = error.code();
            assert_eq!(wire(ApiError::from(error).code), expected);
        }
        let secrets = [
            SecretError::NotFound { name: "n".into() },
            SecretError::Unavailable { reason: "r".into() },
            SecretError::Timeout,
            SecretError::Locked { reason: "r".into() },
            SecretError::InvalidName {
                name: "n".into(),
                reason: "r".into(),
            },
            SecretError::Platform { reason: "r".into() },
        ];
        for error in secrets {
            let expected = error.code();
            assert_eq!(wire(ApiError::from(error).code), expected);
        }
        let probes = [
            ProbeError::Toml {
                line: 1,
                message: "m".into(),
            },
            ProbeError::Invalid {
                field: "f".into(),
                message: "m".into(),
            },
            ProbeError::MissingVariable { name: "v".into() },
        ];
        for error in probes {
            let expected = error.code();
            assert_eq!(wire(ApiError::from(error).code), expected);
        }
        let seal = [
            SealError::NotAPdf,
            SealError::Damaged("x".into()),
            SealError::Encrypted,
            SealError::Unsupported("x".into()),
            SealError::InvalidInput("x".into()),
            SealError::InvalidKey("x".into()),
            SealError::InvalidCertificate("x".into()),
            SealError::KeyMismatch,
            SealError::Signing("x".into()),
            SealError::SignatureTooLarge {
                needed: 2,
                available: 1,
            },
            SealError::InvalidTimestamp("x".into()),
            SealError::Pkcs12("x".into()),
        ];
        for error in seal {
            let expected = error.code();
            assert_eq!(wire(ApiError::from(error).code), expected);
        }
        // The PDF crate has no codes of its own: every failure is `pdf_failed`.
        let pdf = [
            PdfError::Font("DejaVuSans"),
            PdfError::InvalidOption("x".into()),
            PdfError::Write(std::io::Error::other("x")),
        ];
        for error in pdf {
            assert_eq!(wire(ApiError::from(error).code), "pdf_failed");
        }
    }

    #[test]
    fn an_api_error_crosses_ipc_as_code_and_message() {
        let error = ApiError::new(Code::NotAPdf, "this file is not a PDF document");
        assert_eq!(
            serde_json::to_value(&error).unwrap(),
            serde_json::json!({ "code": "not_a_pdf", "message": "this file is not a PDF document" })
        );
        assert_eq!(Code::Pkcs12.to_string(), "pkcs12");
        assert_eq!(Code::StateDiffersFromLog.as_str(), "state_differs_from_log");
    }
}
