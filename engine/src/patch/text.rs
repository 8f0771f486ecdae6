//! Edits of the original text: only the spans that change are touched, so comments, key order,
//! quoting and blank lines elsewhere stay byte for byte. What cannot be edited faithfully is skipped
//! with a reason (the JSON Patch export still covers it), and a patched file that would not parse is
//! never produced.

use super::{Change, Files, changes};
use crate::path::split_pointer;
use crate::plan::Plan;
use crate::tree::{Format, Node, Value};
use serde_json::Value as J;

/// One file before and after the plan's changes.
#[cfg_attr(feature = "js", derive(tsify::Tsify))]
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct FilePatch {
    pub file: String,
    pub before: String,
    pub after: String,
    /// Changes applied.
    pub applied: usize,
    /// Actions that could not be applied as text edits, with the reason.
    pub skipped: Vec<String>,
}

struct Edit {
    start: usize,
    end: usize,
    text: String,
}

impl Edit {
    /// Two edits conflict when their ranges overlap, or one inserts strictly inside the other's range.
    /// Insertions at the same point do not: they go in the order made.
    fn conflicts(&self, other: &Edit) -> bool {
        let inside = |p: usize, e: &Edit| e.start < p && p < e.end;
        (self.start < other.end && other.start < self.end)
            || inside(self.start, other)
            || inside(other.start, self)
    }
}

/// The plan's changes as edited files, one per file that changes.
pub fn text_patches(plan: &Plan, files: &Files<'_>) -> Vec<FilePatch> {
    let mut out = Vec::new();
    for (file, changes, mut skipped) in changes(plan, files) {
        let Some(source) = files.source(&file) else {
            continue;
        };
        let Some(doc) = files.doc(&file) else {
            continue;
        };
        let stream = files.docs.iter().any(|d| d.documents.len() != 1);
        let text = source.text.as_str();
        let mut edits: Vec<Edit> = Vec::new();
        for change in &changes {
            match edit_for(change, text, doc, stream) {
                Ok(edit) if edits.iter().any(|e| e.conflicts(&edit)) => {
                    skipped.push(format!(
                        "{}: overlaps another change to the same place",
                        place(change)
                    ));
                }
                Ok(edit) => edits.push(edit),
                Err(why) => skipped.push(format!("{}: {why}", place(change))),
            }
        }
        // Stable: insertions at the same point keep the order they were made in.
        edits.sort_by_key(|e| e.start);
        let mut after = text.to_string();
        for e in edits.iter().rev() {
            after.replace_range(e.start..e.end, &e.text);
        }
        let applied = edits.len();
        // Safety net: never hand out a file that no longer parses.
        let check = crate::Source {
            name: file.clone(),
            text: after.clone(),
            format: Some(doc.format),
        };
        if let Err(e) = crate::parse(&check) {
            skipped.push(format!(
                "the edited file would not parse ({e}); no text patch for it"
            ));
            after = text.to_string();
        }
        out.push(FilePatch {
            file,
            before: text.to_string(),
            applied: if after == text { 0 } else { applied },
            after,
            skipped,
        });
    }
    out
}

/// The plan's accept actions as expected rules added to the policy file (created when the plan
/// recorded none): after the last rule, at its indentation, comments and all else untouched.
pub fn policy_patch(plan: &Plan, files: &Files<'_>) -> Option<FilePatch> {
    let accepts: Vec<&crate::plan::PlannedAction> = plan
        .actions
        .iter()
        .filter(|a| a.action == crate::plan::Action::Accept)
        .collect();
    let input = plan.inputs.iter().find(|i| i.role == "policy")?;
    if accepts.is_empty() {
        return None;
    }
    let rules: Vec<J> = accepts
        .iter()
        .map(|a| {
            serde_json::json!({
                "path": a.finding.keyed_path,
                "envs": [a.finding.environment],
                "reason": a.reason.clone().unwrap_or_else(|| "accepted on review".to_string()),
            })
        })
        .collect();
    let (before, format, root) = match (files.source(&input.file), files.document(&input.file)) {
        (Some(source), Some(doc)) => (source.text.clone(), doc.format, doc.documents.first()),
        _ => (
            String::new(),
            crate::tree::Format::from_file_name(&input.file).unwrap_or(Format::Yaml),
            None,
        ),
    };
    let mut skipped = Vec::new();
    let mut after = before.clone();
    let fresh = || match format {
        Format::Json => serde_json::to_string_pretty(&serde_json::json!({ "expected": rules }))
            .map(|s| {
                s + "
"
            })
            .map_err(|e| e.to_string()),
        Format::Yaml => yaml_value(&J::Array(rules.clone()), 2).map(|v| {
            format!(
                "expected:{v}
"
            )
        }),
        Format::Toml => Err(
            "accepting into a TOML policy is not supported yet; use a YAML or JSON policy".into(),
        ),
    };
    let result = match root {
        None => fresh(),
        Some(root) => {
            let edits: Result<Vec<Edit>, String> = match root.pointer("/expected") {
                Some(list) => rules
                    .iter()
                    .map(|r| add(&before, format, list, None, None, r))
                    .collect(),
                None => add(
                    &before,
                    format,
                    root,
                    Some("expected"),
                    None,
                    &J::Array(rules.clone()),
                )
                .map(|e| vec![e]),
            };
            edits.map(|mut edits| {
                edits.sort_by_key(|e| e.start);
                let mut text = before.clone();
                for e in edits.iter().rev() {
                    text.replace_range(e.start..e.end, &e.text);
                }
                text
            })
        }
    };
    match result {
        Ok(text)
            if crate::Policy::from_source(&crate::Source::new(
                input.file.clone(),
                text.clone(),
            ))
            .is_ok() =>
        {
            after = text
        }
        Ok(_) => {
            skipped.push("the policy with the new rules would not load; not changed".to_string())
        }
        Err(why) => skipped.push(format!("accept: {why}")),
    }
    let applied = if after == before { 0 } else { accepts.len() };
    Some(FilePatch {
        file: input.file.clone(),
        before,
        after,
        applied,
        skipped,
    })
}

/// A unified diff of every changed file that `git apply` and `patch -p1` accept.
pub fn unified_diff(patches: &[FilePatch]) -> String {
    let mut out = String::new();
    for p in patches.iter().filter(|p| p.before != p.after) {
        let diff = similar::TextDiff::from_lines(&p.before, &p.after);
        let name = p.file.trim_start_matches("./");
        out.push_str(&format!("diff --git a/{name} b/{name}\n"));
        out.push_str(
            &diff
                .unified_diff()
                .context_radius(3)
                .header(&format!("a/{name}"), &format!("b/{name}"))
                .to_string(),
        );
    }
    out
}

fn place(change: &Change<'_>) -> String {
    match change {
        Change::Replace { pointer, .. } | Change::Remove { pointer, .. } => pointer.clone(),
        Change::Add { parent, key, .. } => match key {
            Some(k) => format!("{parent}/{k}"),
            None => format!("{parent}/-"),
        },
    }
}

fn edit_for(
    change: &Change<'_>,
    text: &str,
    doc: &crate::tree::Document,
    stream: bool,
) -> Result<Edit, String> {
    let format = doc.format;
    match change {
        Change::Replace { old, value, .. } => {
            let rendered = inline(&value.value.to_json(), format)?;
            Ok(Edit {
                start: old.span.start.offset,
                end: old.span.end.offset,
                text: rendered,
            })
        }
        Change::Remove { pointer, .. } if stream && split_pointer(pointer).len() == 1 => {
            remove_document(text, doc, pointer)
        }
        Change::Add {
            parent,
            key: None,
            index,
            value,
        } if stream && parent.is_empty() => add_document(text, doc, *index, &value.value.to_json()),
        Change::Remove { pointer, old } => remove(text, format, doc, stream, pointer, old),
        Change::Add {
            parent,
            key,
            index,
            value,
        } => {
            let container =
                super::lookup(doc, stream, parent).ok_or("the place to add it is gone")?;
            add(
                text,
                format,
                container,
                key.as_deref(),
                *index,
                &value.value.to_json(),
            )
        }
    }
}

/// Where the document at `index` begins in the text: its `---` separator line, or the top of the
/// file for a first document without one (its leading comments go with it).
fn document_start(text: &str, doc: &crate::tree::Document, index: usize) -> Option<usize> {
    let node = doc.documents.get(index)?;
    let previous_end = if index == 0 {
        0
    } else {
        doc.documents[index - 1].span.end.offset
    };
    let mut at = line_start(text, node.span.start.offset);
    // Walk up over comments and blank lines to the separator, but not into the previous document.
    while at > previous_end {
        let prev = line_start(text, at - 1);
        let line = text[prev..at].trim();
        if line.starts_with("---") {
            return Some(prev);
        }
        if !(line.is_empty() || line.starts_with('#')) {
            break;
        }
        at = prev;
    }
    Some(if index == 0 { 0 } else { at })
}

/// Removes a whole document from a YAML stream: from its separator to the next one.
fn remove_document(text: &str, doc: &crate::tree::Document, pointer: &str) -> Result<Edit, String> {
    let index: usize = pointer
        .trim_start_matches('/')
        .parse()
        .map_err(|_| "not a document index")?;
    let start = document_start(text, doc, index).ok_or("the document is gone")?;
    let end = match doc.documents.get(index + 1) {
        Some(_) => document_start(text, doc, index + 1).ok_or("the next document is gone")?,
        None => text.len(),
    };
    Ok(Edit {
        start,
        end,
        text: String::new(),
    })
}

/// Adds a whole document to a YAML stream: before the document now at `index`, or at the end.
fn add_document(
    text: &str,
    doc: &crate::tree::Document,
    index: Option<usize>,
    value: &J,
) -> Result<Edit, String> {
    if doc.format != Format::Yaml {
        return Err("only YAML streams hold several documents".into());
    }
    let body = yaml_value(value, 0)?;
    let body = body.strip_prefix('\n').unwrap_or(&body);
    let block = format!("---\n{body}\n");
    match index.filter(|i| *i < doc.documents.len()) {
        Some(i) => {
            let at = document_start(text, doc, i).ok_or("the document is gone")?;
            // A first document without a separator needs one once something goes before it.
            let needs_separator = !text[at..].trim_start().starts_with("---");
            let tail = if needs_separator { "---\n" } else { "" };
            Ok(Edit {
                start: at,
                end: at,
                text: format!("{block}{tail}"),
            })
        }
        None => {
            let lead = if text.is_empty() || text.ends_with('\n') {
                ""
            } else {
                "\n"
            };
            Ok(Edit {
                start: text.len(),
                end: text.len(),
                text: format!("{lead}{block}"),
            })
        }
    }
}

fn line_start(text: &str, at: usize) -> usize {
    text[..at].rfind('\n').map_or(0, |i| i + 1)
}

/// End of the line holding `at`, past its newline.
fn line_end(text: &str, at: usize) -> usize {
    text[at..].find('\n').map_or(text.len(), |i| at + i + 1)
}

/// Deletes an entry (a map member or list item) with its whole lines when it has lines of its own.
fn remove(
    text: &str,
    format: Format,
    doc: &crate::tree::Document,
    stream: bool,
    pointer: &str,
    old: &Node,
) -> Result<Edit, String> {
    let mut tokens = split_pointer(pointer);
    let last = tokens.pop().ok_or("cannot remove the whole document")?;
    let parent_ptr: String = tokens
        .iter()
        .map(|t| format!("/{}", crate::path::escape_segment(t)))
        .collect();
    let parent = super::lookup(doc, stream, &parent_ptr).ok_or("the parent is gone")?;
    // Where the entry starts: its key, or for a YAML list item its dash.
    let start = match &parent.value {
        Value::Map(map) => {
            map.get(last.as_ref())
                .ok_or("the member is gone")?
                .key_span
                .start
                .offset
        }
        Value::List(_) => {
            let ls = line_start(text, old.span.start.offset);
            match text[ls..old.span.start.offset]
                .trim_start()
                .strip_prefix('-')
            {
                Some(rest) if rest.trim().is_empty() => ls + text[ls..].find('-').unwrap_or(0),
                _ => old.span.start.offset,
            }
        }
        _ => return Err("the parent is not a map or list".into()),
    };
    if format == Format::Toml && matches!(old.value, Value::Map(_)) {
        return Err("removing a TOML table is not supported as a text edit yet".into());
    }
    let ls = line_start(text, start);
    let le = line_end(text, old.span.end.offset.max(start));
    let own_lines = text[ls..start].trim().is_empty() || text[ls..start].trim() == "-";
    let rest_of_line = text[old.span.end.offset..le].trim();
    let tail_ok = rest_of_line.is_empty()
        || rest_of_line == ","
        || rest_of_line.starts_with('#')
        || rest_of_line.starts_with("//");
    if !(own_lines && tail_ok) {
        return Err(
            "the entry shares its line with others (flow style); not edited as text".into(),
        );
    }
    let mut edit = Edit {
        start: ls,
        end: le,
        text: String::new(),
    };
    if format == Format::Json && !text[old.span.end.offset..le].contains(',') {
        // The last member goes: the one before it loses its comma.
        if let Some(comma) = text[..ls].trim_end().strip_suffix(',').map(|s| s.len()) {
            edit = Edit {
                start: comma,
                end: le,
                text: text[comma + 1..ls].to_string(),
            };
            // Keep the newline that ended the previous line.
            edit.text = edit.text.trim_end_matches([' ', '\t']).to_string();
        }
    }
    Ok(edit)
}

/// Inserts an entry after the container's last entry, on a line of its own at the same indentation.
fn add(
    text: &str,
    format: Format,
    container: &Node,
    key: Option<&str>,
    index: Option<usize>,
    value: &J,
) -> Result<Edit, String> {
    // Into a list before an existing item: a line of its own just above that item's line.
    if let (Value::List(items), Some(i)) = (&container.value, index)
        && let Some(item) = items.get(i)
    {
        let ls = line_start(text, item.span.start.offset);
        let lead = &text[ls..item.span.start.offset];
        let own_line = lead.trim().is_empty() || lead.trim() == "-";
        if !own_line {
            return Err("the list is written in flow style; not edited as text".into());
        }
        let indent: String = lead
            .chars()
            .take_while(|c| *c == ' ' || *c == '\t')
            .collect();
        let line = match format {
            Format::Yaml => format!("{indent}- {}\n", yaml_item(value, indent.len() + 2)?),
            Format::Json => format!("{indent}{},\n", inline(value, format)?),
            Format::Toml => {
                return Err("adding to a TOML array is not supported as a text edit yet".into());
            }
        };
        return Ok(Edit {
            start: ls,
            end: ls,
            text: line,
        });
    }
    let (last_start, last_end, last_is_table) = match &container.value {
        Value::Map(map) => {
            let (_, member) = map
                .iter()
                .max_by_key(|(_, m)| m.value.span.end.offset)
                .ok_or("the map is empty; not edited as text")?;
            let start = map
                .values()
                .map(|m| m.key_span.start.offset)
                .max()
                .unwrap_or(member.key_span.start.offset);
            (
                start.min(member.key_span.start.offset),
                member.value.span.end.offset,
                matches!(member.value.value, Value::Map(_)),
            )
        }
        Value::List(items) => {
            let item = items
                .last()
                .ok_or("the list is empty; not edited as text")?;
            (item.span.start.offset, item.span.end.offset, false)
        }
        _ => return Err("not a map or list".into()),
    };
    let ls = line_start(text, last_start);
    let before_entry = &text[ls..last_start];
    let flow = !before_entry.trim().is_empty() && before_entry.trim() != "-";
    if flow {
        return Err("the container is written in flow style; not edited as text".into());
    }
    // The indentation (and a YAML list's dash) of the last entry.
    let indent: String = before_entry
        .chars()
        .take_while(|c| *c == ' ' || *c == '\t')
        .collect();
    let end_of_line = line_end(text, last_end);
    let insert_at = if text[..end_of_line].ends_with('\n') {
        end_of_line - 1
    } else {
        end_of_line
    };
    let line = match (format, key) {
        (Format::Yaml, Some(k)) => format!(
            "{indent}{}: {}",
            yaml_key(k),
            yaml_value(value, indent.len() + 2)?
        ),
        (Format::Yaml, None) => format!("{indent}- {}", yaml_item(value, indent.len() + 2)?),
        (Format::Json, Some(k)) => format!(
            "{indent}{}: {}",
            J::String(k.to_string()),
            inline(value, format)?
        ),
        (Format::Json, None) => format!("{indent}{}", inline(value, format)?),
        (Format::Toml, Some(k)) => {
            if last_is_table || matches!(value, J::Object(_)) {
                return Err(
                    "adding to a TOML table with sub-tables is not supported as a text edit yet"
                        .into(),
                );
            }
            format!("{} = {}", toml_key(k), inline(value, format)?)
        }
        (Format::Toml, None) => {
            return Err("adding to a TOML array is not supported as a text edit yet".into());
        }
    };
    if format == Format::Json {
        // After the last entry's value (and its comma, if it already has one).
        let after_value = &text[last_end..];
        let trailing_comma = after_value.trim_start().starts_with(',');
        let at = if trailing_comma {
            last_end + after_value.find(',').unwrap_or(0) + 1
        } else {
            last_end
        };
        let text = if trailing_comma {
            format!("\n{line},")
        } else {
            format!(",\n{line}")
        };
        return Ok(Edit {
            start: at,
            end: at,
            text,
        });
    }
    Ok(Edit {
        start: insert_at,
        end: insert_at,
        text: format!("\n{line}"),
    })
}

/// A value written inline in the target's syntax: JSON for JSON and YAML (JSON is YAML's flow
/// syntax), TOML's own for TOML.
fn inline(value: &J, format: Format) -> Result<String, String> {
    match format {
        Format::Json | Format::Yaml => Ok(value.to_string()),
        Format::Toml => toml_inline(value),
    }
}

fn toml_inline(value: &J) -> Result<String, String> {
    Ok(match value {
        J::Null => return Err("TOML has no null".into()),
        J::Bool(b) => b.to_string(),
        J::Number(n) => n.to_string(),
        J::String(s) => J::String(s.clone()).to_string(),
        J::Array(items) => format!(
            "[{}]",
            items
                .iter()
                .map(toml_inline)
                .collect::<Result<Vec<_>, _>>()?
                .join(", ")
        ),
        J::Object(map) => {
            let parts = map
                .iter()
                .map(|(k, v)| Ok(format!("{} = {}", toml_key(k), toml_inline(v)?)))
                .collect::<Result<Vec<_>, String>>()?;
            format!("{{ {} }}", parts.join(", "))
        }
    })
}

fn toml_key(k: &str) -> String {
    if !k.is_empty()
        && k.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
    {
        k.to_string()
    } else {
        J::String(k.to_string()).to_string()
    }
}

fn yaml_key(k: &str) -> String {
    let plain = !k.is_empty()
        && k.bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.' | b'/'))
        && !k.starts_with(['-', '.'])
        && !matches!(
            k,
            "true" | "false" | "null" | "yes" | "no" | "on" | "off" | "~"
        );
    if plain {
        k.to_string()
    } else {
        J::String(k.to_string()).to_string()
    }
}

/// A list item after `- `: a map's first entry shares the dash's line, as people write it.
fn yaml_item(value: &J, indent: usize) -> Result<String, String> {
    match value {
        J::Object(map) if !map.is_empty() => {
            let pad = " ".repeat(indent);
            let mut lines = Vec::new();
            for (k, v) in map {
                let v = yaml_value(v, indent + 2)?;
                let sep = if v.starts_with('\n') { "" } else { " " };
                lines.push(format!("{}:{sep}{v}", yaml_key(k)));
            }
            Ok(lines.join(&format!("\n{pad}")))
        }
        other => yaml_value(other, indent),
    }
}

/// A string that YAML reads back as the same string without quotes: words, paths and sentences, but
/// nothing that looks like a mapping (`a: b`), a comment (` #`), a number, a boolean or null.
fn yaml_plain_ok(s: &str) -> bool {
    let first_ok = s
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '/');
    let chars_ok = s
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.' | b'/' | b' ' | b','));
    let reserved = matches!(
        s.to_ascii_lowercase().as_str(),
        "true" | "false" | "null" | "yes" | "no" | "on" | "off" | "y" | "n"
    );
    first_ok && chars_ok && !reserved && !s.ends_with(' ') && !s.contains(": ") && !s.contains(" #")
}

/// A YAML value after `key: ` or `- `: scalars and empty containers inline, maps and lists as blocks.
fn yaml_value(value: &J, indent: usize) -> Result<String, String> {
    let pad = " ".repeat(indent);
    Ok(match value {
        J::Object(map) if !map.is_empty() => {
            let mut s = String::new();
            for (k, v) in map {
                s.push_str(&format!(
                    "\n{pad}{}: {}",
                    yaml_key(k),
                    yaml_value(v, indent + 2)?
                ));
            }
            s
        }
        J::Array(items) if !items.is_empty() => {
            let mut s = String::new();
            for item in items {
                s.push_str(&format!("\n{pad}- {}", yaml_item(item, indent + 2)?));
            }
            s
        }
        J::String(text) if yaml_plain_ok(text) => text.clone(),
        other => other.to_string(),
    })
}
