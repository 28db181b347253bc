//! `{{name}}` variables: [`substitute`] fills them from an environment's variable map, giving the
//! [`ResolvedProbe`] that runs. Credentials are never variables: they stay names until run time.

use std::collections::BTreeMap;

use crate::error::ProbeError;
use crate::spec::ProbeSpec;

/// A spec with every `{{name}}` replaced; the only thing the runner accepts.
#[derive(Debug, Clone, PartialEq)]
pub struct ResolvedProbe {
    spec: ProbeSpec,
}

impl ResolvedProbe {
    pub fn spec(&self) -> &ProbeSpec {
        &self.spec
    }
}

/// Replaces `{{name}}` (spaces inside the braces allowed) in every string of the spec.
pub fn substitute(
    spec: &ProbeSpec,
    vars: &BTreeMap<String, String>,
) -> Result<ResolvedProbe, ProbeError> {
    let mut value =
        serde_json::to_value(spec).map_err(|e| ProbeError::invalid("spec", e.to_string()))?;
    fill(&mut value, vars)?;
    let spec =
        serde_json::from_value(value).map_err(|e| ProbeError::invalid("spec", e.to_string()))?;
    crate::validate::validate(&spec)?;
    Ok(ResolvedProbe { spec })
}

fn fill(v: &mut serde_json::Value, vars: &BTreeMap<String, String>) -> Result<(), ProbeError> {
    match v {
        serde_json::Value::String(s) => *s = substitute_text(s, vars)?,
        serde_json::Value::Array(items) => {
            for item in items {
                fill(item, vars)?;
            }
        }
        serde_json::Value::Object(map) => {
            for item in map.values_mut() {
                fill(item, vars)?;
            }
        }
        _ => {}
    }
    Ok(())
}

/// Replaces `{{name}}` in one string. Text without a closing `}}` is kept as it is.
pub fn substitute_text(s: &str, vars: &BTreeMap<String, String>) -> Result<String, ProbeError> {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(start) = rest.find("{{") {
        let Some(len) = rest[start + 2..].find("}}") else {
            break;
        };
        let name = rest[start + 2..start + 2 + len].trim();
        let value = vars.get(name).ok_or_else(|| ProbeError::MissingVariable {
            name: name.to_string(),
        })?;
        out.push_str(&rest[..start]);
        out.push_str(value);
        rest = &rest[start + 2 + len + 2..];
    }
    out.push_str(rest);
    Ok(out)
}

/// The variable names a spec uses, sorted and without repeats (for the UI to ask for them).
pub fn variables(spec: &ProbeSpec) -> Vec<String> {
    let text = serde_json::to_string(spec).unwrap_or_default();
    let mut names: Vec<String> = Vec::new();
    let mut rest = text.as_str();
    while let Some(start) = rest.find("{{") {
        let Some(len) = rest[start + 2..].find("}}") else {
            break;
        };
        names.push(rest[start + 2..start + 2 + len].trim().to_string());
        rest = &rest[start + 2 + len + 2..];
    }
    names.sort();
    names.dedup();
    names
}
