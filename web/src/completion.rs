//! Completion in the policy editor, from the policy's JSON Schema (`schemas/policy.v1.schema.json`):
//! the keys a mapping may still take at the cursor, or the values a key allows, judged by the YAML
//! block structure of the lines above it.

use serde_json::Value;
use std::sync::OnceLock;

/// The policy schema, read once.
pub fn policy_schema() -> &'static Value {
    static SCHEMA: OnceLock<Value> = OnceLock::new();
    SCHEMA.get_or_init(|| {
        serde_json::from_str(include_str!("../../schemas/policy.v1.schema.json"))
            .unwrap_or(Value::Null)
    })
}

/// One completion: the text it inserts, what the schema says of it, and the byte range of the
/// text it replaces (the word typed so far).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Completion {
    pub label: String,
    pub insert: String,
    pub detail: String,
    pub replace: std::ops::Range<usize>,
}

/// A step from a mapping into its value: a key, or a list's item.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Step {
    Key(String),
    Item,
}

/// What can be written at byte `cursor` of the policy `text`, best first.
pub fn complete(schema: &Value, text: &str, cursor: usize) -> Vec<Completion> {
    let mut cursor = cursor.min(text.len());
    while !text.is_char_boundary(cursor) {
        cursor -= 1;
    }
    let line_start = text[..cursor].rfind('\n').map_or(0, |i| i + 1);
    let before = &text[line_start..cursor];
    let indent = before.len() - before.trim_start_matches(' ').len();
    let rest = &before[indent..];
    let (dash, rest, key_col) = match rest.strip_prefix("- ") {
        Some(r) => {
            let pad = r.len() - r.trim_start_matches(' ').len();
            (true, &r[pad..], indent + 2 + pad)
        }
        None => (false, rest, indent),
    };
    // A value after `key: `: the values the key allows.
    if let Some((key, typed)) = rest.split_once(':') {
        let key = key.trim();
        let typed_trim = typed.trim_start();
        let start = cursor - typed_trim.len();
        let mut path = parents(text, line_start, key_col, dash);
        path.push(Step::Key(key.to_string()));
        let Some(at) = resolve(schema, schema, &path) else {
            return Vec::new();
        };
        return values(schema, at)
            .into_iter()
            .filter(|(v, _)| v.starts_with(typed_trim))
            .map(|(v, detail)| Completion {
                label: v.clone(),
                insert: v,
                detail,
                replace: start..cursor,
            })
            .collect();
    }
    if !rest
        .chars()
        .all(|c| c.is_alphanumeric() || c == '_' || c == '-')
    {
        return Vec::new();
    }
    let path = parents(text, line_start, key_col, dash);
    let siblings = if dash {
        Vec::new()
    } else {
        sibling_keys(text, line_start, key_col)
    };
    let Some(at) = resolve(schema, schema, &path) else {
        return Vec::new();
    };
    properties(schema, at)
        .into_iter()
        .filter(|(k, _)| k.starts_with(rest) && !siblings.contains(k))
        .map(|(k, detail)| Completion {
            insert: format!("{k}: "),
            label: k,
            detail,
            replace: cursor - rest.len()..cursor,
        })
        .collect()
}

/// Lines as (start offset, text) from the one before `line_start` upwards, skipping blank lines
/// and comments.
fn lines_above(text: &str, line_start: usize) -> impl Iterator<Item = &str> {
    text[..line_start]
        .lines()
        .rev()
        .filter(|l| !l.trim().is_empty() && !l.trim_start().starts_with('#'))
}

/// A block line's dash column (when it starts a list item), the column of its key, and the key.
fn shape(line: &str) -> (Option<usize>, usize, Option<&str>) {
    let indent = line.len() - line.trim_start_matches(' ').len();
    let rest = &line[indent..];
    let (dash, rest, col) = match rest
        .strip_prefix("- ")
        .or(rest.strip_prefix('-').filter(|r| r.is_empty()))
    {
        Some(r) => {
            let pad = r.len() - r.trim_start_matches(' ').len();
            (Some(indent), &r[pad..], indent + 2 + pad)
        }
        None => (None, rest, indent),
    };
    let key = rest
        .split_once(':')
        .map(|(k, _)| k.trim())
        .filter(|k| !k.is_empty() && !k.contains(' ') || k.starts_with('"'));
    (dash, col, key)
}

/// The keys and list items leading to the mapping whose keys start at column `col` on the line at
/// `line_start` (`dash`: that line starts a list item).
fn parents(text: &str, line_start: usize, col: usize, dash: bool) -> Vec<Step> {
    let mut path = Vec::new();
    // The column a line must be left of to hold what contains the cursor's mapping.
    let mut within = col;
    if dash {
        path.push(Step::Item);
        within = col.saturating_sub(2);
    }
    let mut item_open = dash;
    for line in lines_above(text, line_start) {
        let (line_dash, key_col, key) = shape(line);
        if !item_open && key_col == within && line_dash.is_some() {
            // A sibling that starts the list item the cursor's mapping is in.
            path.push(Step::Item);
            within = line_dash.unwrap_or(0);
            item_open = true;
            continue;
        }
        if key_col < within || line_dash.is_some_and(|d| d < within) {
            if let (Some(key), true) = (key, key_col < within) {
                path.push(Step::Key(key.trim_matches('"').to_string()));
                within = key_col;
                if let Some(d) = line_dash {
                    path.push(Step::Item);
                    within = d;
                }
            } else if let Some(d) = line_dash {
                // `- ` alone, or a scalar item: the item is the container.
                path.push(Step::Item);
                within = d;
            }
            item_open = false;
            if within == 0 {
                break;
            }
        }
    }
    path.reverse();
    path
}

/// The keys already written in the mapping whose keys start at column `col`, above the cursor.
fn sibling_keys(text: &str, line_start: usize, col: usize) -> Vec<String> {
    let mut out = Vec::new();
    for line in lines_above(text, line_start) {
        let (dash, key_col, key) = shape(line);
        if key_col < col {
            break;
        }
        if key_col == col {
            out.extend(key.map(str::to_string));
            if dash.is_some() {
                break;
            }
        }
    }
    out
}

/// Follows `$ref`s (`#/$defs/x`).
fn deref<'a>(root: &'a Value, mut at: &'a Value) -> &'a Value {
    for _ in 0..16 {
        let Some(r) = at.get("$ref").and_then(Value::as_str) else {
            break;
        };
        let Some(found) = r.strip_prefix('#').and_then(|p| root.pointer(p)) else {
            break;
        };
        at = found;
    }
    at
}

/// The alternatives a schema allows (itself, or each of its `oneOf`/`anyOf`), dereferenced.
fn alternatives<'a>(root: &'a Value, at: &'a Value) -> Vec<&'a Value> {
    let at = deref(root, at);
    let mut out = vec![at];
    for key in ["oneOf", "anyOf"] {
        if let Some(list) = at.get(key).and_then(Value::as_array) {
            out.extend(list.iter().map(|s| deref(root, s)));
        }
    }
    out
}

fn resolve<'a>(root: &'a Value, at: &'a Value, path: &[Step]) -> Option<&'a Value> {
    let Some((step, rest)) = path.split_first() else {
        return Some(deref(root, at));
    };
    let next = alternatives(root, at)
        .into_iter()
        .find_map(|alt| match step {
            Step::Key(k) => alt
                .get("properties")
                .and_then(|p| p.get(k))
                .or_else(|| alt.get("additionalProperties").filter(|a| a.is_object())),
            Step::Item => alt.get("items"),
        })?;
    resolve(root, next, rest)
}

fn description(root: &Value, at: &Value) -> String {
    let at = deref(root, at);
    at.get("description")
        .and_then(Value::as_str)
        .map(|d| {
            d.split(". ")
                .next()
                .unwrap_or(d)
                .trim_end_matches('.')
                .to_string()
        })
        .unwrap_or_default()
}

/// The keys an object schema takes, with their descriptions, in the schema's order.
fn properties(root: &Value, at: &Value) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    for alt in alternatives(root, at) {
        if let Some(props) = alt.get("properties").and_then(Value::as_object) {
            for (k, v) in props {
                if !out.iter().any(|(seen, _)| seen == k) {
                    out.push((k.clone(), description(root, v)));
                }
            }
        }
    }
    out
}

/// The values a scalar schema allows: its `enum`s and constants, or `true`/`false`.
fn values(root: &Value, at: &Value) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for alt in alternatives(root, at) {
        for v in alt
            .get("enum")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            if let Some(s) = v.as_str() {
                out.push((s.to_string(), String::new()));
            }
        }
        if let Some(s) = alt.get("const").and_then(Value::as_str) {
            out.push((s.to_string(), String::new()));
        }
        if alt.get("type").and_then(Value::as_str) == Some("boolean") {
            out.extend(["true", "false"].map(|b| (b.to_string(), String::new())));
        }
    }
    out.dedup();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn labels(text: &str) -> Vec<String> {
        let cursor = text.find('|').expect("a cursor");
        let text = text.replace('|', "");
        complete(policy_schema(), &text, cursor)
            .into_iter()
            .map(|c| c.label)
            .collect()
    }

    #[test]
    fn top_level_keys_come_from_the_schema_and_skip_those_written() {
        let keys = labels("expected: []\n|");
        assert!(keys.contains(&"ignore".to_string()), "{keys:?}");
        assert!(keys.contains(&"severity".to_string()));
        assert!(!keys.contains(&"expected".to_string()), "already written");
        assert_eq!(labels("exp|"), ["expected"]);
    }

    #[test]
    fn inside_a_list_item_the_items_keys_minus_its_own() {
        let keys = labels("expected:\n  - path: /a\n    |");
        assert!(keys.contains(&"reason".to_string()), "{keys:?}");
        assert!(keys.contains(&"envs".to_string()));
        assert!(!keys.contains(&"path".to_string()));
        // A new item: every key again.
        let keys = labels("expected:\n  - path: /a\n    reason: x\n  - |");
        assert!(keys.contains(&"path".to_string()), "{keys:?}");
        assert_eq!(labels("ignore:\n  - pa|"), ["path"]);
    }

    #[test]
    fn values_come_from_enums() {
        let severities = labels("fail_on: |");
        assert_eq!(
            severities,
            ["low", "medium", "high", "critical"],
            "{severities:?}"
        );
        assert_eq!(
            labels("severity:\n  - path: /a\n    level: cr|"),
            ["critical"]
        );
    }

    #[test]
    fn nothing_is_offered_where_the_schema_has_nothing() {
        assert!(labels("expected:\n  - path: /a\n    reason: |").is_empty());
        assert!(labels("nonsense:\n  |").is_empty());
        assert!(labels("a b|").is_empty());
        // The replaced range is the word typed so far.
        let text = "expected:\n  - pa";
        let c = &complete(policy_schema(), text, text.len())[0];
        assert_eq!(
            (c.insert.as_str(), &text[c.replace.clone()]),
            ("path: ", "pa")
        );
    }
}
