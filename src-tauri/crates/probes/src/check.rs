//! Value comparisons shared by the probe kinds: scalars, operators, and the `equals` / `op`+`value`
//! expectation used by JSON paths, PostgreSQL results and Prometheus values.

use std::fmt;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// A TOML/JSON scalar an expectation compares with.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(untagged)]
#[ts(export)]
pub enum Scalar {
    Bool(bool),
    Int(#[ts(type = "number")] i64),
    Float(f64),
    Text(String),
}

impl fmt::Display for Scalar {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Bool(b) => write!(f, "{b}"),
            Self::Int(i) => write!(f, "{i}"),
            Self::Float(x) => write!(f, "{x}"),
            Self::Text(s) => write!(f, "\"{s}\""),
        }
    }
}

impl Scalar {
    fn as_number(&self) -> Option<f64> {
        match self {
            Self::Int(i) => Some(*i as f64),
            Self::Float(x) => Some(*x),
            Self::Text(s) => s.trim().parse().ok(),
            Self::Bool(_) => None,
        }
    }
}

/// A comparison operator, written `==`, `!=`, `<`, `<=`, `>`, `>=` in specs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[ts(export)]
pub enum CompareOp {
    #[default]
    #[serde(rename = "==", alias = "eq")]
    Eq,
    #[serde(rename = "!=", alias = "ne")]
    Ne,
    #[serde(rename = "<", alias = "lt")]
    Lt,
    #[serde(rename = "<=", alias = "le")]
    Le,
    #[serde(rename = ">", alias = "gt")]
    Gt,
    #[serde(rename = ">=", alias = "ge")]
    Ge,
}

impl fmt::Display for CompareOp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Eq => "==",
            Self::Ne => "!=",
            Self::Lt => "<",
            Self::Le => "<=",
            Self::Gt => ">",
            Self::Ge => ">=",
        })
    }
}

/// `equals = X`, or `op = "<", value = X`. Empty means "any value".
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct ValueCheck {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub equals: Option<Scalar>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub op: Option<CompareOp>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub value: Option<Scalar>,
}

impl ValueCheck {
    /// The operator and expected value, or `None` when nothing is asserted.
    pub fn expected(&self) -> Option<(CompareOp, &Scalar)> {
        if let Some(v) = &self.equals {
            return Some((CompareOp::Eq, v));
        }
        self.value
            .as_ref()
            .map(|v| (self.op.unwrap_or_default(), v))
    }

    /// A spec error when the fields do not make one expectation.
    pub fn problem(&self) -> Option<&'static str> {
        match (&self.equals, &self.op, &self.value) {
            (Some(_), Some(_), _) | (Some(_), _, Some(_)) => {
                Some("use either `equals` or `op` with `value`, not both")
            }
            (None, Some(_), None) => Some("`op` needs a `value`"),
            _ => None,
        }
    }

    /// Whether `actual` satisfies this check (true when nothing is asserted).
    pub fn holds(&self, actual: &Scalar) -> bool {
        match self.expected() {
            None => true,
            Some((op, expected)) => compare(actual, op, expected),
        }
    }

    /// "== 1", "< 100", or "any value".
    pub fn describe(&self) -> String {
        match self.expected() {
            None => "any value".into(),
            Some((op, v)) => format!("{op} {v}"),
        }
    }
}

/// `actual op expected`: numerically when both sides read as numbers, else as text
/// (only `==` and `!=` make sense for text; ordering text compares it lexically).
pub fn compare(actual: &Scalar, op: CompareOp, expected: &Scalar) -> bool {
    if let (Scalar::Bool(a), Scalar::Bool(b)) = (actual, expected) {
        return match op {
            CompareOp::Eq => a == b,
            CompareOp::Ne => a != b,
            _ => false,
        };
    }
    if let (Some(a), Some(b)) = (actual.as_number(), expected.as_number()) {
        return match op {
            CompareOp::Eq => a == b,
            CompareOp::Ne => a != b,
            CompareOp::Lt => a < b,
            CompareOp::Le => a <= b,
            CompareOp::Gt => a > b,
            CompareOp::Ge => a >= b,
        };
    }
    let text = |s: &Scalar| match s {
        Scalar::Text(t) => t.clone(),
        other => other.to_string(),
    };
    let (a, b) = (text(actual), text(expected));
    match op {
        CompareOp::Eq => a == b,
        CompareOp::Ne => a != b,
        CompareOp::Lt => a < b,
        CompareOp::Le => a <= b,
        CompareOp::Gt => a > b,
        CompareOp::Ge => a >= b,
    }
}

/// A JSON value as a scalar for comparison (objects and arrays as their JSON text).
pub fn scalar_of_json(v: &serde_json::Value) -> Scalar {
    match v {
        serde_json::Value::Bool(b) => Scalar::Bool(*b),
        serde_json::Value::Number(n) => match n.as_i64() {
            Some(i) => Scalar::Int(i),
            None => Scalar::Float(n.as_f64().unwrap_or(f64::NAN)),
        },
        serde_json::Value::String(s) => Scalar::Text(s.clone()),
        serde_json::Value::Null => Scalar::Text("null".into()),
        other => Scalar::Text(other.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_compare_numerically_even_when_one_side_is_text() {
        assert!(compare(
            &Scalar::Text("42".into()),
            CompareOp::Lt,
            &Scalar::Int(100)
        ));
        assert!(compare(&Scalar::Float(1.0), CompareOp::Eq, &Scalar::Int(1)));
        assert!(!compare(
            &Scalar::Int(150),
            CompareOp::Le,
            &Scalar::Int(100)
        ));
    }

    #[test]
    fn text_compares_exactly() {
        assert!(compare(
            &Scalar::Text("ok".into()),
            CompareOp::Eq,
            &Scalar::Text("ok".into())
        ));
        assert!(compare(
            &Scalar::Text("ok".into()),
            CompareOp::Ne,
            &Scalar::Text("OK".into())
        ));
    }

    #[test]
    fn equals_and_op_together_are_a_spec_problem() {
        let c = ValueCheck {
            equals: Some(Scalar::Int(1)),
            op: Some(CompareOp::Lt),
            value: Some(Scalar::Int(2)),
        };
        assert!(c.problem().is_some());
        assert_eq!(ValueCheck::default().describe(), "any value");
    }
}
