//! [`ProbeError`]: what is wrong with a probe spec before it runs. Each has a stable `code()`.

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ProbeError {
    #[error("probe spec, line {line}: {message}")]
    Toml { line: u32, message: String },
    #[error("probe spec: {field}: {message}")]
    Invalid { field: String, message: String },
    #[error("the variable “{name}” is not defined for this environment")]
    MissingVariable { name: String },
}

impl ProbeError {
    pub fn code(&self) -> &'static str {
        match self {
            Self::Toml { .. } => "probe_spec_syntax",
            Self::Invalid { .. } => "probe_spec_invalid",
            Self::MissingVariable { .. } => "missing_variable",
        }
    }

    pub(crate) fn invalid(field: &str, message: impl Into<String>) -> Self {
        Self::Invalid {
            field: field.to_string(),
            message: message.into(),
        }
    }
}
