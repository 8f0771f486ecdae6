//! JSON text as every JSON output of driftwise is written: pretty, with a final newline.

use serde::Serialize;

/// `value` as pretty JSON with a final newline. driftwise's own types always serialise.
pub fn to_json_text<T: Serialize + ?Sized>(value: &T) -> String {
    let mut s = serde_json::to_string_pretty(value).unwrap_or_default();
    s.push('\n');
    s
}
