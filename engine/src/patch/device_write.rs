//! Editing an IOS or EOS configuration file in place, for adopt (*discover and sync*: the
//! device's reality written into its intended configuration): a changed value is replaced where it
//! is written, a line or section removed with all its lines, a new one written after its siblings
//! at their indentation. Every other line, `!` comments included, stays byte for byte.

use super::Reason;
use super::changes::{Change, lookup};
use super::edits::{Edit, line_end, line_start};
use crate::device::Table;
use crate::pointer::{join_pointer, split_pointer};
use crate::tree::{Document, Format, Member, Node, Value};

/// The edits for one change of a device configuration file.
pub(super) fn device_edits(
    change: &Change<'_>,
    text: &str,
    doc: &Document,
    table: Table<'_>,
) -> Result<Vec<Edit>, Reason> {
    let table = Table {
        eos: doc.format == Format::Eos,
        ..table
    };
    match change {
        Change::Replace { pointer, value, .. } => replace(text, doc, pointer, value, table),
        Change::Remove { pointer, .. } => remove(text, doc, pointer),
        Change::Add {
            parent,
            key,
            index,
            value,
            ..
        } => add(text, doc, parent, key.as_deref(), *index, value, table),
        Change::Reorder {
            pointer, wanted, ..
        } => reorder(text, doc, pointer, wanted, table),
    }
}

/// The last key of a pointer, and its parent's pointer.
fn last_key(pointer: &str) -> (String, String) {
    let mut tokens = split_pointer(pointer);
    let last = tokens.pop().unwrap_or_default().into_owned();
    (last, join_pointer(&tokens))
}

fn member<'d>(doc: &'d Document, pointer: &str) -> Option<&'d Member> {
    let (key, parent) = last_key(pointer);
    match &lookup(doc, false, &parent)?.value {
        Value::Map(map) => map.get(key.as_str()),
        _ => None,
    }
}

/// The indentation of the line `at` is on.
fn indentation(text: &str, at: usize) -> &str {
    let start = line_start(text, at);
    let line = &text[start..line_end(text, at)];
    &line[..line.len() - line.trim_start_matches(' ').len()]
}

/// The whole lines from the one `start` is on to the one `end` is on, line break included.
fn whole_lines(text: &str, start: usize, end: usize) -> (usize, usize) {
    (
        line_start(text, start),
        line_end(text, end.saturating_sub(1).max(start)),
    )
}

/// The lines a member is written on: one stretch from its key to its value's end, or, for a
/// command repeated with other lines between (read as a list) or a section given more than once,
/// each repetition's own lines.
/// Refused when those lines would take another command's with them (a command read as one value
/// from lines with others between, such as a bare `logging host` and a later `logging host h`).
fn member_lines(text: &str, m: &Member, doc: &Document) -> Result<Vec<(usize, usize)>, Reason> {
    let root = doc.documents.first().ok_or(Reason::Gone)?;
    let whole = whole_lines(
        text,
        m.key_span.start(),
        m.value.span.end().max(m.key_span.end()),
    );
    let blocks = match &m.value.value {
        Value::Map(_) | Value::List(_) if matches!(doc.format, Format::Ios | Format::Eos) => {
            crate::parse::device::section_blocks(text, m.key_span.start())
        }
        _ => Vec::new(),
    };
    let lines = match &m.value.value {
        // A section given more than once, read as one: each of its blocks.
        _ if blocks.len() > 1 => blocks
            .iter()
            .map(|&(from, to)| whole_lines(text, from, to))
            .collect(),
        Value::List(items) => {
            let lines: Vec<(usize, usize)> = items
                .iter()
                .map(|i| whole_lines(text, i.span.start(), i.span.end()))
                .collect();
            let apart = lines.windows(2).any(|w| w[0].1 < w[1].0);
            let in_order = lines.windows(2).all(|w| w[0].1 <= w[1].0);
            if apart && in_order && lines.first().is_some_and(|l| l.0 == whole.0) {
                lines
            } else {
                vec![whole]
            }
        }
        // A line said again in another block of its section: each saying.
        Value::Bool(_) | Value::Null if matches!(doc.format, Format::Ios | Format::Eos) => {
            said_again(text, root, m).unwrap_or(vec![whole])
        }
        _ => vec![whole],
    };
    if takes_another(root, m, &lines) {
        return Err(Reason::NotRepresentable {
            what: "a command read as one value from lines with other commands between".into(),
        });
    }
    Ok(lines)
}

/// The lines of a line said more than once (`m`'s span reaches from the first saying to the last):
/// the lines between with the same words at its indentation, in its section's blocks. `None` for
/// a line said once.
fn said_again(text: &str, root: &Node, m: &Member) -> Option<Vec<(usize, usize)>> {
    let first = line_start(text, m.key_span.start());
    let (_, end) = whole_lines(text, first, m.value.span.end());
    if line_end(text, first) >= end {
        return None;
    }
    let words =
        |at: usize| -> Vec<&str> { text[at..line_end(text, at)].split_whitespace().collect() };
    let said = words(first);
    let indent = indentation(text, first).len();
    let blocks = ancestors(root, m, &mut Vec::new())?
        .iter()
        .rev()
        .map(|&header| crate::parse::device::section_blocks(text, header))
        .find(|blocks| !blocks.is_empty())
        .unwrap_or_else(|| vec![(0, text.len())]);
    let mut lines = Vec::new();
    let mut at = first;
    while at < end {
        let next = line_end(text, at);
        if indentation(text, at).len() == indent
            && same_line(&words(at), &said)
            && blocks
                .iter()
                .any(|&(from, to)| from <= at + indent && at < to)
        {
            lines.push((at, next));
        }
        at = next;
    }
    Some(lines)
}

/// Whether two lines say the same line of its own: the same words, one of them perhaps with `no`.
fn same_line(a: &[&str], b: &[&str]) -> bool {
    let positive = |w: &[&str]| -> Vec<String> {
        match w.split_first() {
            Some((&"no", rest)) if !rest.is_empty() => rest.iter().map(|s| s.to_string()).collect(),
            _ => w.iter().map(|s| s.to_string()).collect(),
        }
    };
    positive(a) == positive(b)
}

/// Where the headers of the members enclosing `m` start, outermost first.
fn ancestors(node: &Node, m: &Member, path: &mut Vec<usize>) -> Option<Vec<usize>> {
    match &node.value {
        Value::Map(members) => members.values().find_map(|member| {
            if std::ptr::eq(member, m) {
                return Some(path.clone());
            }
            path.push(member.key_span.start());
            let found = ancestors(&member.value, m, path);
            path.pop();
            found
        }),
        Value::List(items) => items.iter().find_map(|i| ancestors(i, m, path)),
        _ => None,
    }
}

/// Whether a command other than `m` (or one inside it) starts on one of `lines`. A command `m`
/// is inside (a set command whose entry `m` is, written on the entry's line) is
/// not another: its other entries' lines say it still.
fn takes_another(node: &Node, m: &Member, lines: &[(usize, usize)]) -> bool {
    match &node.value {
        Value::Map(members) => members.values().any(|other| {
            let at = other.key_span.start();
            !std::ptr::eq(other, m)
                && ((lines.iter().any(|&(from, to)| from <= at && at < to)
                    && !holds(&other.value, m))
                    || takes_another(&other.value, m, lines))
        }),
        Value::List(items) => items.iter().any(|i| takes_another(i, m, lines)),
        _ => false,
    }
}

/// Whether `m` is a member somewhere inside `node`.
fn holds(node: &Node, m: &Member) -> bool {
    ancestors(node, m, &mut Vec::new()).is_some()
}

/// Where the text of the line holding `at` ends, before its line break.
fn content_end(text: &str, at: usize) -> usize {
    let end = line_end(text, at);
    if text[..end].ends_with('\n') {
        end - 1
    } else {
        end
    }
}

/// One indentation step under a section: what its first line under it adds (IOS 1, EOS 3).
fn unit_under(text: &str, section: &Node) -> String {
    let header = line_start(text, section.span.start());
    let next = line_end(text, header);
    let outer = indentation(text, header).len();
    let inner = indentation(text, next).len();
    " ".repeat(inner.saturating_sub(outer).max(1))
}

fn replace(
    text: &str,
    doc: &Document,
    pointer: &str,
    value: &Node,
    table: Table<'_>,
) -> Result<Vec<Edit>, Reason> {
    let old = lookup(doc, false, pointer).ok_or(Reason::Gone)?;
    let (key, parent) = last_key(pointer);
    let parent_node = lookup(doc, false, &parent).ok_or(Reason::Gone)?;
    match (&old.value, &value.value, &parent_node.value) {
        // An argument, a banner's text, an entry: written where it is.
        (Value::String(_), Value::String(new), Value::Map(_)) if !key.starts_with("banner ") => Ok(
            vec![Edit::replace(old.span.start(), old.span.end(), new.clone())],
        ),
        (Value::String(_), Value::String(new), Value::Map(_)) => Ok(vec![Edit::replace(
            old.span.start(),
            old.span.end(),
            new.clone(),
        )]),
        (Value::String(_), item, Value::List(_)) => {
            let (list_key, _) = last_key(&parent);
            let line = table.item_line(&list_key, &parent_node.value, item);
            let start = old.span.start();
            let indent = indentation(text, start).len();
            let line_from = line_start(text, start) + indent;
            Ok(vec![Edit::replace(
                line_from,
                content_end(text, start),
                line,
            )])
        }
        // `shutdown` and `no shutdown`: the line said the other way.
        (Value::Bool(_), Value::Bool(on), _) => {
            let start = old.span.start();
            let line = if *on {
                key.clone()
            } else {
                format!("no {key}")
            };
            Ok(vec![Edit::replace(start, content_end(text, start), line)])
        }
        // Anything else is written again whole, in the place of its first line; the other lines
        // of a command repeated apart go.
        _ => {
            let m = member(doc, pointer).ok_or(Reason::Gone)?;
            let lines = with_banner_ends(text, &key, m, member_lines(text, m, doc)?);
            let (from, to) = lines[0];
            let indent = indentation(text, from).to_string();
            let unit = if matches!(old.value, Value::Map(_)) {
                unit_under(text, old)
            } else {
                " ".into()
            };
            let mut edits = vec![Edit::replace(
                from,
                to,
                table.written(&key, &value.value, &indent, &unit),
            )];
            edits.extend(lines[1..].iter().map(|&(f, t)| Edit::replace(f, t, "")));
            Ok(edits)
        }
    }
}

/// A banner's lines reach its closing delimiter (`^C`, or EOS's `EOF` line): its text is its
/// value, and the delimiter comes after, for each time the banner is given.
fn with_banner_ends(
    text: &str,
    key: &str,
    m: &Member,
    mut lines: Vec<(usize, usize)>,
) -> Vec<(usize, usize)> {
    if !key.starts_with("banner ") {
        return lines;
    }
    let ends: Vec<usize> = match &m.value.value {
        Value::List(items) if items.len() == lines.len() => {
            items.iter().map(|i| i.span.end()).collect()
        }
        _ => vec![m.value.span.end(); lines.len()],
    };
    for (line, end) in lines.iter_mut().zip(ends) {
        let close = text[end..]
            .find(|c: char| !c.is_whitespace())
            .map_or(text.len(), |n| end + n);
        line.1 = line.1.max(line_end(text, close));
    }
    lines
}

fn remove(text: &str, doc: &Document, pointer: &str) -> Result<Vec<Edit>, Reason> {
    let old = lookup(doc, false, pointer).ok_or(Reason::Gone)?;
    let (key, parent) = last_key(pointer);
    let parent_node = lookup(doc, false, &parent).ok_or(Reason::Gone)?;
    let (from, to) = match &parent_node.value {
        Value::Map(_) => {
            let m = member(doc, pointer).ok_or(Reason::Gone)?;
            let lines = with_banner_ends(text, &key, m, member_lines(text, m, doc)?);
            if lines.len() > 1 {
                // A command repeated on lines apart: each of its lines goes, the others stay.
                return Ok(lines
                    .into_iter()
                    .map(|(f, t)| Edit::replace(f, t, ""))
                    .collect());
            }
            lines[0]
        }
        _ => whole_lines(text, old.span.start(), old.span.end()),
    };
    let mut to = to;
    // A section's lines end with its `!` separator, when it has one: it goes too.
    if matches!(old.value, Value::Map(_)) && text[to..].starts_with("!\n") {
        to += 2;
    }
    Ok(vec![Edit::replace(from, to, String::new())])
}

fn add(
    text: &str,
    doc: &Document,
    parent: &str,
    key: Option<&str>,
    index: Option<usize>,
    value: &Node,
    table: Table<'_>,
) -> Result<Vec<Edit>, Reason> {
    let container = lookup(doc, false, parent).ok_or(Reason::NoPlace)?;
    let (parent_key, _) = last_key(parent);
    match (&container.value, key) {
        // A list item: its line before the item now at `index`, or after the last.
        (Value::List(items), None) => {
            let line = table.item_line(&parent_key, &container.value, &value.value);
            let (at, indent) = match index.and_then(|i| items.get(i)) {
                Some(next) => (
                    line_start(text, next.span.start()),
                    indentation(text, next.span.start()).to_string(),
                ),
                None => {
                    let last = items.last().ok_or(Reason::EmptyContainer)?;
                    let end = line_end(text, last.span.end().saturating_sub(1));
                    (end, indentation(text, last.span.start()).to_string())
                }
            };
            Ok(vec![Edit::insert(at, format!("{indent}{line}\n"))])
        }
        // A set command's argument: a line after its others.
        (Value::Map(args), Some(arg))
            if !parent.is_empty()
                && args.values().all(|m| m.value.value == Value::Null)
                && table.is_set_command(&parent_key) =>
        {
            let last = args.values().last().ok_or(Reason::EmptyContainer)?;
            let at = line_end(text, last.value.span.end().saturating_sub(1));
            let indent = indentation(text, last.value.span.start());
            Ok(vec![Edit::insert(
                at,
                format!("{indent}{parent_key} {arg}\n"),
            )])
        }
        // A line or section: after the section's last line, at its lines' indentation.
        (Value::Map(members), Some(key)) => {
            // Beside its kind when there is one (`username temp` after `username admin`, a new
            // interface after the last interface and its `!`).
            let first_word = key.split(' ').next().unwrap_or_default();
            let kin = members
                .iter()
                .filter(|(k, _)| k.split(' ').next() == Some(first_word))
                .map(|(_, m)| m)
                .next_back();
            let (at, indent, unit) = if let Some(kin) = kin {
                let end = kin.value.span.end().max(kin.key_span.end());
                let mut at = line_end(text, end.saturating_sub(1));
                if matches!(kin.value.value, Value::Map(_)) && text[at..].starts_with("!\n") {
                    at += 2;
                }
                let unit = match &kin.value.value {
                    Value::Map(_) => unit_under(text, &kin.value),
                    _ if parent.is_empty() => " ".to_string(),
                    _ => unit_under(text, container),
                };
                (
                    at,
                    indentation(text, kin.key_span.start()).to_string(),
                    unit,
                )
            } else if parent.is_empty() {
                // At the top: before what a capture ends with (the final `end`, a prompt,
                // blank lines), which the reader drops only at the end.
                let at = crate::parse::device::epilogue_start(text);
                // Blank lines alone at the end: after them, as before.
                let at = if text[at..].trim().is_empty() {
                    text.len()
                } else {
                    at
                };
                (
                    at,
                    String::new(),
                    members
                        .values()
                        .find(|m| matches!(m.value.value, Value::Map(_)))
                        .map_or(" ".to_string(), |m| unit_under(text, &m.value)),
                )
            } else {
                let last = members.values().last().ok_or(Reason::EmptyContainer)?;
                let end = last.value.span.end().max(last.key_span.end());
                let at = line_end(text, end.saturating_sub(1));
                (
                    at,
                    indentation(text, last.key_span.start()).to_string(),
                    unit_under(text, container),
                )
            };
            let mut lines = table.written(key, &value.value, &indent, &unit);
            if parent.is_empty() && matches!(value.value, Value::Map(_) | Value::List(_)) {
                lines.push_str("!\n");
            }
            let needs_break = at > 0 && !text[..at].ends_with('\n');
            Ok(vec![Edit::insert(
                at,
                if needs_break {
                    format!("\n{lines}")
                } else {
                    lines
                },
            )])
        }
        _ => Err(Reason::NotAContainer),
    }
}

fn reorder(
    text: &str,
    doc: &Document,
    pointer: &str,
    wanted: &Node,
    table: Table<'_>,
) -> Result<Vec<Edit>, Reason> {
    let list = lookup(doc, false, pointer).ok_or(Reason::Gone)?;
    let (key, _) = last_key(pointer);
    let (Value::List(items), Value::List(order)) = (&list.value, &wanted.value) else {
        return Err(Reason::NotAContainer);
    };
    let (first, last) = (
        items.first().ok_or(Reason::Gone)?,
        items.last().ok_or(Reason::Gone)?,
    );
    let (from, to) = whole_lines(text, first.span.start(), last.span.end());
    let indent = indentation(text, first.span.start());
    let lines: String = order
        .iter()
        .map(|item| {
            format!(
                "{indent}{}\n",
                table.item_line(&key, &list.value, &item.value)
            )
        })
        .collect();
    Ok(vec![Edit::replace(from, to, lines)])
}
