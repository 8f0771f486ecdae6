//! Deep merge of JSON objects, as variables files and provider profiles layer over each other.

use serde_json::{Map, Value};

/// Merges `from` into `into`: objects merge key by key, anything else replaces.
pub fn merge(into: &mut Map<String, Value>, from: &Map<String, Value>) {
    for (key, value) in from {
        match (into.get_mut(key), value) {
            (Some(Value::Object(a)), Value::Object(b)) => merge(a, b),
            _ => {
                into.insert(key.clone(), value.clone());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn objects_merge_and_other_values_replace() {
        let mut a = serde_json::json!({"x": {"y": 1, "z": [1]}, "k": 1});
        let b = serde_json::json!({"x": {"z": [2], "w": 3}, "k": {"n": 1}});
        merge(a.as_object_mut().unwrap(), b.as_object().unwrap());
        assert_eq!(
            a,
            serde_json::json!({"x": {"y": 1, "z": [2], "w": 3}, "k": {"n": 1}})
        );
    }
}
