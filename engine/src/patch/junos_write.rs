//! Editing a Junos configuration file in place, for adopt (*discover and sync*): a brace file's
//! statements are replaced, removed (a block with its braces) or written into the block they
//! belong in at its indentation; a `set` file's lines are replaced, removed or added after their
//! siblings. Comments and every other line stay byte for byte.

use super::Reason;
use super::changes::{Change, lookup};
use super::edits::{Edit, line_end, line_start};
use crate::device::{INACTIVE, junos_set_lines, junos_statement, junos_value};
use crate::pointer::{join_pointer, split_pointer};
use crate::tree::{Document, Format, Node, Value};

/// The edits for one change of a Junos file.
pub(super) fn junos_edits(
    change: &Change<'_>,
    text: &str,
    doc: &Document,
) -> Result<Vec<Edit>, Reason> {
    match change {
        Change::Replace {
            pointer,
            old,
            value,
            ..
        } => match (&old.value, &value.value) {
            (Value::String(_), Value::String(new)) => Ok(vec![Edit::replace(
                old.span.start(),
                old.span.end(),
                junos_value(new),
            )]),
            // Anything else is said again: the old statements out, the new ones in.
            _ => {
                let mut edits = remove(text, doc, pointer)?;
                let segments = segments(pointer);
                let (key, parent) = segments.split_last().ok_or(Reason::WholeFile)?;
                edits.extend(add(text, doc, parent, key, value)?);
                Ok(edits)
            }
        },
        Change::Remove { pointer, .. } => remove(text, doc, pointer),
        Change::Add {
            parent,
            key: Some(key),
            value,
            ..
        } => add(text, doc, &segments(parent), key, value),
        Change::Add { .. } | Change::Reorder { .. } => Err(Reason::NotRepresentable {
            what: "a list in a Junos file".into(),
        }),
    }
}

fn segments(pointer: &str) -> Vec<String> {
    split_pointer(pointer)
        .into_iter()
        .map(|s| s.into_owned())
        .collect()
}

/// The spans of everything a node says: its scalars, and its keys with nothing under them.
fn spans_under(node: &Node, out: &mut Vec<(usize, usize)>) {
    match &node.value {
        Value::Map(map) if !map.is_empty() => {
            for m in map.values() {
                if matches!(m.value.value, Value::Null | Value::Bool(_)) {
                    out.push((m.key_span.start(), m.key_span.end()));
                }
                spans_under(&m.value, out);
            }
        }
        Value::List(items) => items.iter().for_each(|i| spans_under(i, out)),
        Value::Map(_) | Value::Null | Value::Bool(_) => {}
        _ => out.push((node.span.start(), node.span.end())),
    }
}

/// Where the statement holding `at` starts in a brace file: after the `{`, `}` or `;` before it
/// and the blanks and comments that follow that (a comment above a statement stays).
fn statement_start(text: &str, at: usize) -> usize {
    let before = &text[..at];
    let mut start = before.rfind(['{', '}', ';']).map_or(0, |i| i + 1);
    loop {
        let rest = &text[start..at];
        let trimmed = rest.trim_start();
        start += rest.len() - trimmed.len();
        if trimmed.starts_with("/*") {
            match text[start..at].find("*/") {
                Some(end) => start += end + 2,
                None => return start,
            }
        } else if trimmed.starts_with('#') {
            start = line_end(text, start).min(at);
        } else {
            return start;
        }
    }
}

/// Where the statement holding `at` ends in a brace file: after its `;`, or after the `}` that
/// closes the block it opens.
fn statement_end(text: &str, at: usize) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut i = at;
    let mut quoted = false;
    while i < bytes.len() {
        match bytes[i] {
            b'"' => quoted = !quoted,
            b'\\' if quoted => i += 1,
            b';' if !quoted => return Some(i + 1),
            b'{' if !quoted => return block_end(text, i).map(|e| e + 1),
            _ => {}
        }
        i += 1;
    }
    None
}

/// The `}` that closes the `{` at `open`.
fn block_end(text: &str, open: usize) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut depth = 0usize;
    let mut quoted = false;
    let mut i = open;
    while i < bytes.len() {
        match bytes[i] {
            b'"' => quoted = !quoted,
            b'\\' if quoted => i += 1,
            b'{' if !quoted => depth += 1,
            b'}' if !quoted => {
                depth -= 1;
                if depth == 0 {
                    return Some(i);
                }
            }
            _ => {}
        }
        i += 1;
    }
    None
}

/// A range widened to whole lines when nothing else shares them.
fn whole_lines(text: &str, start: usize, end: usize) -> (usize, usize) {
    let from = line_start(text, start);
    let to = line_end(text, end.saturating_sub(1).max(start));
    let alone = text[from..start].trim().is_empty() && text[end..to].trim().is_empty();
    if alone { (from, to) } else { (start, end) }
}

fn remove(text: &str, doc: &Document, pointer: &str) -> Result<Vec<Edit>, Reason> {
    let node = lookup(doc, false, pointer).ok_or(Reason::Gone)?;
    let path = segments(pointer);
    if path.last().map(String::as_str) == Some(INACTIVE) {
        return activate(text, doc, &path[..path.len() - 1]);
    }
    let member_key = {
        let parent = lookup(
            doc,
            false,
            &join_pointer(&path[..path.len().saturating_sub(1)]),
        )
        .ok_or(Reason::Gone)?;
        match (&parent.value, path.last()) {
            (Value::Map(map), Some(k)) => map.get(k.as_str()).map(|m| m.key_span),
            _ => None,
        }
    };
    let mut spans = Vec::new();
    if let Some(key) = member_key {
        spans.push((key.start(), key.end()));
    }
    spans_under(node, &mut spans);
    let mut ranges: Vec<(usize, usize)> = Vec::new();
    if doc.format == Format::JunosSet {
        for (start, _) in spans {
            let r = (line_start(text, start), line_end(text, start));
            if !ranges.contains(&r) {
                ranges.push(r);
            }
        }
    } else {
        for (start, end) in spans {
            let from = statement_start(text, start);
            let to = statement_end(text, end).ok_or(Reason::Gone)?;
            let r = whole_lines(text, from, to);
            // A statement inside one already going is not removed twice.
            if !ranges.iter().any(|(a, b)| *a <= r.0 && r.1 <= *b) {
                ranges.retain(|(a, b)| !(r.0 <= *a && *b <= r.1));
                ranges.push(r);
            }
        }
    }
    Ok(ranges
        .into_iter()
        .map(|(a, b)| Edit::replace(a, b, String::new()))
        .collect())
}

/// Takes an `inactive:` mark (or `deactivate` line) away from the container at `path`.
fn activate(text: &str, doc: &Document, path: &[String]) -> Result<Vec<Edit>, Reason> {
    let parent = lookup(
        doc,
        false,
        &join_pointer(&path[..path.len().saturating_sub(1)]),
    )
    .ok_or(Reason::Gone)?;
    let Value::Map(map) = &parent.value else {
        return Err(Reason::Gone);
    };
    let key = map
        .get(path.last().ok_or(Reason::Gone)?.as_str())
        .ok_or(Reason::Gone)?
        .key_span;
    if doc.format == Format::JunosSet {
        let line = format!("deactivate {}", crate::device::junos_path_words(path));
        let at = text
            .lines()
            .scan(0, |offset, l| {
                let here = *offset;
                *offset += l.len() + 1;
                Some((here, l))
            })
            .find(|(_, l)| l.trim() == line)
            .map(|(at, _)| at)
            .ok_or(Reason::Gone)?;
        return Ok(vec![Edit::replace(at, line_end(text, at), String::new())]);
    }
    let mark = "inactive: ";
    let start = key.start();
    if text[start..].starts_with(mark) {
        Ok(vec![Edit::replace(
            start,
            start + mark.len(),
            String::new(),
        )])
    } else {
        Err(Reason::Gone)
    }
}

/// The block of the deepest container on `path` that is written as a brace block, with the words
/// of `path` below it, which a new statement starts with.
fn enclosing_block(
    text: &str,
    doc: &Document,
    path: &[String],
) -> (Option<(usize, usize)>, Vec<String>) {
    let mut words: Vec<String> = Vec::new();
    let mut at = path.len();
    while at > 0 {
        let parent = lookup(doc, false, &join_pointer(&path[..at - 1]));
        let key = match parent.map(|p| &p.value) {
            Some(Value::Map(map)) => map.get(path[at - 1].as_str()).map(|m| m.key_span),
            _ => None,
        };
        if let Some(key) = key {
            let after = &text[key.end()..];
            let next = after
                .find(['{', ';', '}'])
                .map(|i| (i, after.as_bytes()[i]));
            if let Some((i, b'{')) = next
                && after[..i].trim().is_empty()
            {
                let open = key.end() + i;
                if let Some(close) = block_end(text, open) {
                    return (Some((open, close)), words);
                }
            }
        }
        words.insert(0, path[at - 1].clone());
        at -= 1;
    }
    (None, words)
}

fn add(
    text: &str,
    doc: &Document,
    parent: &[String],
    key: &str,
    value: &Node,
) -> Result<Vec<Edit>, Reason> {
    let mut path = parent.to_vec();
    path.push(key.to_string());
    if key == INACTIVE {
        return deactivate(text, doc, parent);
    }
    if doc.format == Format::JunosSet {
        let lines: String = junos_set_lines(&path, &value.value)
            .into_iter()
            .map(|l| format!("{l}\n"))
            .collect();
        // After the parent's last line, else at the end.
        let mut spans = Vec::new();
        if let Some(node) = lookup(doc, false, &join_pointer(parent)) {
            spans_under(node, &mut spans);
        }
        let at = spans
            .iter()
            .map(|(_, end)| line_end(text, end.saturating_sub(1)))
            .max()
            .unwrap_or(text.len());
        let lines = if at > 0 && !text[..at].ends_with('\n') {
            format!("\n{lines}")
        } else {
            lines
        };
        return Ok(vec![Edit::insert(at, lines)]);
    }
    // A new value of a set keyword (`address`) goes beside its siblings.
    let node = lookup(doc, false, &join_pointer(parent));
    if let (
        Some(Node {
            value: Value::Map(args),
            ..
        }),
        Some(last),
    ) = (node, parent.last())
        && crate::device::junos_keyword(last) == Some(crate::device::Keyed::Set)
        && let Some(sibling) = args.values().last()
    {
        let start = statement_start(text, sibling.key_span.start());
        let end = statement_end(text, sibling.key_span.end()).ok_or(Reason::Gone)?;
        let indent = &text[line_start(text, start)..start];
        let line = format!(
            "{indent}{} {};\n",
            crate::device::junos_path_words(std::slice::from_ref(last)),
            junos_value(key)
        );
        return Ok(vec![Edit::insert(
            line_end(text, end.saturating_sub(1)),
            line,
        )]);
    }
    let (block, mut words) = enclosing_block(text, doc, parent);
    words.push(key.to_string());
    match block {
        Some((open, close)) => {
            let header_indent = {
                let from = line_start(text, open);
                let line = &text[from..];
                line.len() - line.trim_start_matches(' ').len()
            };
            let first_inner = line_end(text, open);
            let inner_line = &text[first_inner..line_end(text, first_inner)];
            let inner_indent = inner_line.len() - inner_line.trim_start_matches(' ').len();
            let unit = inner_indent.saturating_sub(header_indent).max(4);
            let indent = " ".repeat(header_indent + unit);
            let statement = junos_statement(&words, &value.value, &indent, &" ".repeat(unit));
            let at = line_start(text, close);
            let at = if text[at..close].trim().is_empty() {
                at
            } else {
                close
            };
            Ok(vec![Edit::insert(at, statement)])
        }
        None => {
            let statement = junos_statement(&words, &value.value, "", "    ");
            let lead = if text.is_empty() || text.ends_with('\n') {
                ""
            } else {
                "\n"
            };
            Ok(vec![Edit::insert(text.len(), format!("{lead}{statement}"))])
        }
    }
}

/// Marks the container at `path` inactive: `inactive: ` before its word, or a `deactivate` line.
fn deactivate(text: &str, doc: &Document, path: &[String]) -> Result<Vec<Edit>, Reason> {
    if doc.format == Format::JunosSet {
        let line = format!("deactivate {}\n", crate::device::junos_path_words(path));
        let lead = if text.ends_with('\n') || text.is_empty() {
            ""
        } else {
            "\n"
        };
        return Ok(vec![Edit::insert(text.len(), format!("{lead}{line}"))]);
    }
    let parent = lookup(
        doc,
        false,
        &join_pointer(&path[..path.len().saturating_sub(1)]),
    )
    .ok_or(Reason::NoPlace)?;
    let Value::Map(map) = &parent.value else {
        return Err(Reason::NoPlace);
    };
    let key = map
        .get(path.last().ok_or(Reason::NoPlace)?.as_str())
        .ok_or(Reason::NoPlace)?
        .key_span;
    Ok(vec![Edit::insert(key.start(), "inactive: ")])
}
