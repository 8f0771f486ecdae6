//! Edits of the original text: only the spans that change are touched, so comments, key order,
//! quoting and blank lines elsewhere stay byte for byte. What cannot be edited faithfully is
//! reported with its reason, and a patched file that would not parse is never produced.

use super::changes::{Change, FileChanges, Files, lookup};
use super::edits::{Edit, apply, line_end, line_start};
use super::toml_write::{toml_inline, toml_key};
use super::yaml_write::{yaml_item, yaml_key, yaml_value};
use super::{FilePatch, Reason, Unapplied};
use crate::parse::parse;
use crate::pointer::{escape_segment, split_pointer};
use crate::tree::{Document, Format, Node, Source, Value};
use serde_json::Value as J;

/// The changes to each file as edited text.
pub(crate) fn text_patches(per_file: &[FileChanges<'_>], files: &Files<'_>) -> Vec<FilePatch> {
    let mut out = Vec::new();
    for fc in per_file {
        let (Some(source), Some(doc)) = (files.source(&fc.file), files.doc(&fc.file)) else {
            continue;
        };
        let stream = files.stream();
        let text = source.text.as_str();
        let mut unapplied = fc.unapplied.clone();
        let mut edits: Vec<Edit> = Vec::new();
        let mut applied = Vec::new();
        for planned in &fc.changes {
            match edit_for(&planned.change, text, doc, stream) {
                Ok(edit) if edits.iter().any(|e| e.conflicts(&edit)) => {
                    unapplied.push(Unapplied::new(planned.action, Reason::Overlap));
                }
                Ok(edit) => {
                    edits.push(edit);
                    applied.push(planned.action);
                }
                Err(reason) => unapplied.push(Unapplied::new(planned.action, reason)),
            }
        }
        let mut after = apply(text, &edits);
        // Safety net: never hand out a file that no longer parses.
        let check = Source {
            name: fc.file.clone(),
            text: after.clone(),
            format: Some(doc.format),
        };
        if let Err(e) = parse(&check) {
            let error = e.to_string();
            for action in applied.drain(..) {
                unapplied.push(Unapplied::new(
                    action,
                    Reason::WouldNotParse {
                        error: error.clone(),
                    },
                ));
            }
            after = text.to_string();
        }
        out.push(FilePatch {
            file: fc.file.clone(),
            before: text.to_string(),
            applied: if after == text { 0 } else { applied.len() },
            after,
            unapplied,
        });
    }
    out
}

fn edit_for(change: &Change<'_>, text: &str, doc: &Document, stream: bool) -> Result<Edit, Reason> {
    let format = doc.format;
    match change {
        Change::Replace { old, value, .. } => Ok(Edit {
            start: old.span.start.offset,
            end: old.span.end.offset,
            text: inline(&value.value.to_json(), format)?,
        }),
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
            let container = lookup(doc, stream, parent).ok_or(Reason::NoPlace)?;
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
fn document_start(text: &str, doc: &Document, index: usize) -> Option<usize> {
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
fn remove_document(text: &str, doc: &Document, pointer: &str) -> Result<Edit, Reason> {
    let index: usize = pointer
        .trim_start_matches('/')
        .parse()
        .map_err(|_| Reason::Gone)?;
    let start = document_start(text, doc, index).ok_or(Reason::Gone)?;
    let end = match doc.documents.get(index + 1) {
        Some(_) => document_start(text, doc, index + 1).ok_or(Reason::Gone)?,
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
    doc: &Document,
    index: Option<usize>,
    value: &J,
) -> Result<Edit, Reason> {
    if doc.format != Format::Yaml {
        return Err(Reason::NotAStream);
    }
    let body = yaml_value(value, 0)?;
    let body = body.strip_prefix('\n').unwrap_or(&body);
    let block = format!("---\n{body}\n");
    match index.filter(|i| *i < doc.documents.len()) {
        Some(i) => {
            let at = document_start(text, doc, i).ok_or(Reason::Gone)?;
            // A first document without a separator needs one once something goes before it.
            let needs_separator = !text[at..].trim_start().starts_with("---");
            let tail = if needs_separator { "---\n" } else { "" };
            Ok(Edit::insert(at, format!("{block}{tail}")))
        }
        None => {
            let lead = if text.is_empty() || text.ends_with('\n') {
                ""
            } else {
                "\n"
            };
            Ok(Edit::insert(text.len(), format!("{lead}{block}")))
        }
    }
}

/// Deletes an entry (a map member or list item) with its whole lines when it has lines of its own.
fn remove(
    text: &str,
    format: Format,
    doc: &Document,
    stream: bool,
    pointer: &str,
    old: &Node,
) -> Result<Edit, Reason> {
    let mut tokens = split_pointer(pointer);
    let last = tokens.pop().ok_or(Reason::WholeFile)?;
    let parent_ptr: String = tokens
        .iter()
        .map(|t| format!("/{}", escape_segment(t)))
        .collect();
    let parent = lookup(doc, stream, &parent_ptr).ok_or(Reason::Gone)?;
    // Where the entry starts: its key, or for a YAML list item its dash.
    let start = match &parent.value {
        Value::Map(map) => {
            map.get(last.as_ref())
                .ok_or(Reason::Gone)?
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
        _ => return Err(Reason::NotAContainer),
    };
    if format == Format::Toml && matches!(old.value, Value::Map(_)) {
        return Err(Reason::TomlTable);
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
        return Err(Reason::FlowStyle);
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
                text: text[comma + 1..ls]
                    .trim_end_matches([' ', '\t'])
                    .to_string(),
            };
        }
    }
    Ok(edit)
}

/// Inserts an entry after the container's last entry, on a line of its own at the same
/// indentation, or into a list before the item at `index`.
pub(crate) fn add(
    text: &str,
    format: Format,
    container: &Node,
    key: Option<&str>,
    index: Option<usize>,
    value: &J,
) -> Result<Edit, Reason> {
    // Into a list before an existing item: a line of its own just above that item's line.
    if let (Value::List(items), Some(i)) = (&container.value, index)
        && let Some(item) = items.get(i)
    {
        let ls = line_start(text, item.span.start.offset);
        let lead = &text[ls..item.span.start.offset];
        let own_line = lead.trim().is_empty() || lead.trim() == "-";
        if !own_line {
            return Err(Reason::FlowStyle);
        }
        let indent: String = lead
            .chars()
            .take_while(|c| *c == ' ' || *c == '\t')
            .collect();
        let line = match format {
            Format::Yaml => format!("{indent}- {}\n", yaml_item(value, indent.len() + 2)?),
            Format::Json => format!("{indent}{},\n", inline(value, format)?),
            Format::Toml => return Err(Reason::TomlArray),
        };
        return Ok(Edit::insert(ls, line));
    }
    let (last_start, last_end, last_is_table) = match &container.value {
        Value::Map(map) => {
            let (_, member) = map
                .iter()
                .max_by_key(|(_, m)| m.value.span.end.offset)
                .ok_or(Reason::EmptyContainer)?;
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
            let item = items.last().ok_or(Reason::EmptyContainer)?;
            (item.span.start.offset, item.span.end.offset, false)
        }
        _ => return Err(Reason::NotAContainer),
    };
    let ls = line_start(text, last_start);
    let before_entry = &text[ls..last_start];
    if !before_entry.trim().is_empty() && before_entry.trim() != "-" {
        return Err(Reason::FlowStyle);
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
                return Err(Reason::TomlTable);
            }
            format!("{} = {}", toml_key(k), inline(value, format)?)
        }
        (Format::Toml, None) => return Err(Reason::TomlArray),
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
        return Ok(Edit::insert(at, text));
    }
    Ok(Edit::insert(insert_at, format!("\n{line}")))
}

/// A value written inline in the target's syntax: JSON for JSON and YAML (JSON is YAML's flow
/// syntax), TOML's own for TOML.
pub(crate) fn inline(value: &J, format: Format) -> Result<String, Reason> {
    match format {
        Format::Json | Format::Yaml => Ok(value.to_string()),
        Format::Toml => toml_inline(value),
    }
}
