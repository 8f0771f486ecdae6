//! Values written as JSON text, numbers exactly as they were read.

use super::Reason;
use crate::tree::Value;

/// A scalar as JSON writes it.
pub(crate) fn json_scalar(value: &Value) -> Result<String, Reason> {
    Ok(match value {
        Value::Null => "null".into(),
        Value::Bool(b) => b.to_string(),
        Value::Int(i) => i.to_string(),
        Value::Float(f) => serde_json::Number::from_f64(*f)
            .ok_or(Reason::NotRepresentable {
                what: "a number JSON cannot hold (infinite or not a number)".into(),
            })?
            .to_string(),
        Value::Decimal(d) => d.as_str().to_string(),
        Value::String(s) => serde_json::Value::String(s.to_string()).to_string(),
        Value::Datetime(d) => serde_json::Value::String(d.to_string()).to_string(),
        Value::List(_) | Value::Map(_) => json_inline(value)?,
    })
}

/// A value as one line of JSON (`{"a":1,"b":[2]}`).
pub(crate) fn json_inline(value: &Value) -> Result<String, Reason> {
    Ok(match value {
        Value::Map(map) => {
            let members = map
                .iter()
                .map(|(k, m)| {
                    Ok(format!(
                        "{}:{}",
                        serde_json::Value::String(k.to_string()),
                        json_inline(&m.value.value)?
                    ))
                })
                .collect::<Result<Vec<_>, Reason>>()?;
            format!("{{{}}}", members.join(","))
        }
        Value::List(items) => {
            let items = items
                .iter()
                .map(|n| json_inline(&n.value))
                .collect::<Result<Vec<_>, Reason>>()?;
            format!("[{}]", items.join(","))
        }
        other => json_scalar(other)?,
    })
}
