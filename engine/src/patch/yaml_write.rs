//! Values written in YAML: scalars plain where they read back as the same value, quoted otherwise;
//! maps and lists as indented blocks, or in flow style inside flow collections.

use super::Reason;
use super::json_write::json_scalar;
use crate::tree::Value;
pub(crate) use crate::yaml_text::yaml_key;
// One scalar writer for patches and for the effective configurations of layers.
use crate::yaml_text::yaml_scalar_in as scalar;

/// A value replacing one written as `old` (its text): a string keeps the old one's quoting
/// (single, double or plain, where the new text allows it); anything else as [`yaml_flow`].
pub(crate) fn yaml_replacing(value: &Value, old: &str, flow: bool) -> Result<String, Reason> {
    // The old value's quoting is its text's, after any anchor and tag.
    let old = anchor_of(old).map_or(old, |(_, rest)| rest);
    let Value::String(s) = value else {
        return yaml_flow_in(value, flow);
    };
    if old.starts_with('\'') && !s.chars().any(|c| c.is_control()) {
        return Ok(format!("'{}'", s.replace('\'', "''")));
    }
    if old.starts_with('"') {
        return json_scalar(value);
    }
    Ok(scalar(value, flow))
}

/// The anchor a scalar's text starts with (`&port` of `&port 5432`, or of `&k !!str 5`), and
/// the text after it and any tag. An anchor stays on the value that replaces its own: only one
/// nothing aliases is replaced, and its name is the file's. A tag does not: `!!str` on a new
/// number would make it text.
pub(crate) fn anchor_of(old: &str) -> Option<(&str, &str)> {
    let rest = old.strip_prefix('&')?;
    let name_len = rest.find([' ', '\t', '\n', '\r']).unwrap_or(rest.len());
    let after = rest[name_len..].trim_start_matches([' ', '\t']);
    if name_len == 0 || after.is_empty() || after.starts_with(['\n', '\r', '#']) {
        return None;
    }
    let after = after.strip_prefix('!').map_or(after, |tagged| {
        let end = tagged.find([' ', '\t']).unwrap_or(tagged.len());
        tagged[end..].trim_start_matches([' ', '\t'])
    });
    Some((&old[..=name_len], after))
}

fn yaml_flow_in(value: &Value, flow: bool) -> Result<String, Reason> {
    match value {
        Value::Map(_) | Value::List(_) => yaml_flow(value),
        other => Ok(scalar(other, flow)),
    }
}

/// A value in flow style (see [`crate::yaml_text::yaml_flow`]); it never fails, but the
/// writers that call it return a `Reason` for every shape they write.
pub(crate) fn yaml_flow(value: &Value) -> Result<String, Reason> {
    Ok(crate::yaml_text::yaml_flow(value))
}

/// A list item after `- `: a map's first entry shares the dash's line, as people write it.
pub(crate) fn yaml_item(value: &Value, indent: usize) -> Result<String, Reason> {
    match value {
        Value::Map(_) if value.custom_tag().is_some() => yaml_value(value, indent),
        Value::Map(map) if !map.is_empty() => {
            let pad = " ".repeat(indent);
            let mut lines = Vec::new();
            for (k, m) in map.iter() {
                let v = yaml_value(&m.value.value, indent + 2)?;
                let sep = if v.starts_with('\n') { "" } else { " " };
                lines.push(format!("{}:{sep}{v}", yaml_key(k)));
            }
            Ok(lines.join(&format!("\n{pad}")))
        }
        other => yaml_value(other, indent),
    }
}

/// The longest tagged collection written on its tag's line.
const SHORT_FLOW: usize = 60;

/// A value after `key: ` or `- `: scalars and empty containers inline, maps and lists as blocks
/// starting on the next line at `indent`.
pub(crate) fn yaml_value(value: &Value, indent: usize) -> Result<String, Reason> {
    if let Some((tag, inner)) = value.custom_tag() {
        // The tag, then what it tags: on its line as people write the short forms
        // (`!GetAtt [Role, Arn]`), or a long collection as a block on the lines below.
        let flow = match &inner.value {
            Value::Null => return Ok(tag.to_string()),
            Value::List(_) | Value::Map(_) => Some(crate::yaml_text::yaml_flow(&inner.value)),
            _ => None,
        };
        return Ok(match flow {
            Some(flow) if flow.len() <= SHORT_FLOW => format!("{tag} {flow}"),
            _ => {
                let written = yaml_value(&inner.value, indent)?;
                let sep = if written.starts_with('\n') { "" } else { " " };
                format!("{tag}{sep}{written}")
            }
        });
    }
    let pad = " ".repeat(indent);
    Ok(match value {
        Value::Map(map) if !map.is_empty() => {
            let mut s = String::new();
            for (k, m) in map.iter() {
                let v = yaml_value(&m.value.value, indent + 2)?;
                let sep = if v.starts_with('\n') { "" } else { " " };
                s.push_str(&format!("\n{pad}{}:{sep}{v}", yaml_key(k)));
            }
            s
        }
        Value::List(items) if !items.is_empty() => {
            let mut s = String::new();
            for item in items.iter() {
                let item = yaml_item(&item.value, indent + 2)?;
                let sep = if item.starts_with('\n') { "" } else { " " };
                s.push_str(&format!("\n{pad}-{sep}{item}"));
            }
            s
        }
        Value::Map(_) => "{}".into(),
        Value::List(_) => "[]".into(),
        // A text of several lines (a script, a file in a ConfigMap) as a literal block, as
        // people write it, where a block can hold it; the line break after it is the caller's.
        Value::String(s) if s.trim_end_matches('\n').contains('\n') && indent > 0 => {
            match yaml_block(s, '|', indent) {
                Some(block) => block.strip_suffix('\n').unwrap_or(&block).to_string(),
                None => scalar(value, false),
            }
        }
        other => scalar(other, false),
    })
}

/// A string as a block scalar with `indicator` (`|` or `>`) and its content at `indent`, ending
/// with a newline; `None` when a block cannot hold it as it is (control characters, a first line
/// starting with a space, nothing at all). A folded scalar with several lines becomes literal:
/// folding would join them.
pub(crate) fn yaml_block(value: &str, indicator: char, indent: usize) -> Option<String> {
    let body_end = value.trim_end_matches('\n');
    if body_end.is_empty()
        || body_end.starts_with([' ', '\t'])
        || value
            .chars()
            .any(|c| c.is_control() && c != '\n' && c != '\t')
    {
        return None;
    }
    let trailing = value.len() - body_end.len();
    let chomp = match trailing {
        0 => "-",
        1 => "",
        _ => "+",
    };
    let indicator = if indicator == '>' && body_end.contains('\n') {
        '|'
    } else {
        indicator
    };
    let pad = " ".repeat(indent);
    let mut out = format!("{indicator}{chomp}\n");
    let kept = if trailing > 1 {
        &value[..value.len() - 1]
    } else {
        body_end
    };
    for line in kept.split('\n') {
        if line.is_empty() {
            out.push('\n');
        } else {
            out.push_str(&format!("{pad}{line}\n"));
        }
    }
    Some(out)
}
