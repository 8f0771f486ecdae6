//! How a map or list is written in its file: its entries with where each starts and ends, and its
//! shape, which decides how an entry is removed, added or moved without disturbing the rest.
//!
//! - **Lines**: every entry starts a line of its own (block YAML, multi-line JSON and TOML arrays,
//!   dotted TOML keys); an entry's block is its whole lines.
//! - **Inline**: entries share lines between brackets (`[a, b]`, `{a: 1}`, one-line JSON, TOML
//!   inline tables and arrays); entries are cut and joined at their separators.
//! - **TomlTable**: the root table or a `[section]`: body lines, then sub-sections, each of which
//!   owns the lines up to the next header that is not its own.
//! - **TomlArrayTables**: `[[items]]` sections, one region per item.

use super::Reason;
use super::edits::{line_end, line_start};
use crate::parse::yaml::{block_header_in, is_block_header};
use crate::tree::{Format, Node, Value};

/// One entry of a container.
pub(crate) struct Entry<'a> {
    pub(crate) key: Option<&'a str>,
    pub(crate) node: &'a Node,
    /// Where the entry begins: its key, its list dash, or the value.
    pub(crate) start: usize,
    /// Where its value ends.
    pub(crate) end: usize,
}

pub(crate) enum Shape {
    Lines {
        commas: bool,
    },
    /// `open` is just after the opening bracket.
    Inline {
        open: usize,
    },
    TomlTable {
        /// Where a body line goes when the table has none: after its header, or the file's top.
        body_at: usize,
        /// A table named only by its sub-tables' headers (`a` of `[a.b]`): a body line needs a
        /// `[a]` header first, which goes at `body_at`, above the first sub-table.
        implicit: bool,
        /// The end of the table's lines (its sub-sections included).
        region_end: usize,
        /// The table's key path (`[a.b]` → a, b).
        path: Vec<String>,
    },
    TomlArrayTables {
        path: Vec<String>,
        /// Each item's lines, from the comments above its header to the next header.
        regions: Vec<std::ops::Range<usize>>,
    },
}

pub(crate) struct Container<'a> {
    pub(crate) node: &'a Node,
    pub(crate) entries: Vec<Entry<'a>>,
    pub(crate) shape: Shape,
}

/// A TOML section header: where its line starts and its key path.
struct Header {
    start: usize,
    path: Vec<String>,
}

impl<'a> Container<'a> {
    /// The layout of `node`, a map or list at `path` (its keys, for TOML section names) in `text`.
    pub(crate) fn of(
        text: &str,
        format: Format,
        node: &'a Node,
        root: &Node,
        path: &[String],
    ) -> Result<Container<'a>, Reason> {
        // A merge key's members (`<<: *defaults`) are the anchor's text, not this map's: a new
        // entry goes among the map's own.
        let own = |at: usize| (node.span.start()..=node.span.end()).contains(&at);
        let mut entries: Vec<Entry<'a>> = match &node.value {
            Value::Map(map) => map
                .iter()
                .filter(|(_, m)| format != Format::Yaml || own(m.key_span.start()))
                .map(|(k, m)| Entry {
                    key: Some(k.as_str()),
                    node: &m.value,
                    start: m.key_span.start(),
                    end: past_colon(
                        text,
                        format,
                        before_line_break(text, m.value.span.end().max(m.key_span.end())),
                    ),
                })
                .collect(),
            Value::List(items) => items
                .iter()
                .map(|n| {
                    // A block scalar's span starts at its content, below its `- |` line.
                    let value_start = match format {
                        Format::Yaml => block_scalar_header(text, n),
                        _ => None,
                    };
                    let start = item_dash(text, format, value_start.unwrap_or(n.span.start()));
                    Entry {
                        key: None,
                        node: n,
                        start,
                        end: past_colon(text, format, before_line_break(text, n.span.end()))
                            .max(start),
                    }
                })
                .collect(),
            _ => return Err(Reason::NotAContainer),
        };
        // A block map of nothing but a merge (`<<: *defaults`): a new entry follows that line.
        let merge_only = format == Format::Yaml
            && entries.is_empty()
            && matches!(&node.value, Value::Map(m) if !m.is_empty());
        if merge_only && text[node.span.start().min(text.len())..].starts_with("<<") {
            let start = node.span.start();
            entries.push(Entry {
                key: Some("<<"),
                node,
                start,
                end: before_line_break(text, line_end(text, start)),
            });
        }
        entries.sort_by_key(|e| e.start);
        // INI sections are laid out as TOML tables are: a header, then body lines.
        let sectioned = matches!(format, Format::Toml | Format::Ini);
        let shape = if matches!(format, Format::Env | Format::Properties) && path.is_empty() {
            // A flat file is one table: a new line goes after the last, or at the end.
            Shape::TomlTable {
                body_at: text.len(),
                implicit: false,
                region_end: text.len(),
                path: Vec::new(),
            }
        } else if sectioned && path.is_empty() {
            // The root table (whose text may well start with a `[section]` of its own).
            Shape::TomlTable {
                body_at: 0,
                implicit: false,
                region_end: text.len(),
                path: Vec::new(),
            }
        } else if sectioned && is_header(text, node) {
            match &node.value {
                Value::Map(_) => {
                    let headers = headers(text, root);
                    let implicit = !has_own_header(text, node);
                    let header_line = line_start(text, node.span.start());
                    Shape::TomlTable {
                        body_at: if implicit {
                            comments_above(text, header_line)
                        } else {
                            line_end(text, node.span.start())
                        },
                        implicit,
                        region_end: region_end(text, &headers, node.span.start(), path),
                        path: path.to_vec(),
                    }
                }
                _ => {
                    let headers = headers(text, root);
                    let regions = entries
                        .iter()
                        .map(|e| {
                            let at = line_start(text, e.node.span.start());
                            comments_above(text, at)..region_end(text, &headers, at, path)
                        })
                        .collect();
                    Shape::TomlArrayTables {
                        path: path.to_vec(),
                        regions,
                    }
                }
            }
        } else if is_bracketed(text, node) {
            let on_lines = !entries.is_empty()
                && format != Format::Yaml
                && entries.iter().all(|e| owns_lines(text, format, e));
            if on_lines {
                Shape::Lines { commas: true }
            } else {
                Shape::Inline {
                    open: node.span.start() + 1,
                }
            }
        } else if entries.iter().all(|e| owns_lines(text, format, e)) {
            Shape::Lines { commas: false }
        } else {
            return Err(Reason::FlowStyle);
        };
        if let Shape::TomlTable { .. } = shape {
            // Sub-sections are not body lines.
            entries.retain(|e| !is_section_value(text, e.node));
        }
        Ok(Container {
            node,
            entries,
            shape,
        })
    }

    /// The entry index of `key` (maps) or of list index `index`.
    pub(crate) fn position(&self, key: Option<&str>, index: Option<usize>) -> Option<usize> {
        match (key, index) {
            (Some(k), _) => self.entries.iter().position(|e| e.key == Some(k)),
            (None, Some(i)) => {
                // List entries are sorted by position, which is their index.
                (i < self.entries.len()).then_some(i)
            }
            _ => None,
        }
    }
}

/// A YAML key with no value (`push:`) has its value at the colon, which the entry still takes,
/// also when that key is the last of a map or list the entry holds.
fn past_colon(text: &str, format: Format, end: usize) -> usize {
    if format == Format::Yaml && text[end..].starts_with(':') {
        end + 1
    } else {
        end
    }
}

/// A YAML block scalar's span ends after its last line break (and so does that of a map or
/// list it ends): its entry ends on the line before, so the next line stays the next entry's.
pub(crate) fn before_line_break(text: &str, end: usize) -> usize {
    let body = &text[..end];
    body.strip_suffix('\n')
        .map(|b| b.strip_suffix('\r').unwrap_or(b).len())
        .unwrap_or(end)
}

/// Whether a map or list is written between its own brackets (`{...}`, `[...]`), not as a block
/// (a block list's span may start at a first item that is itself bracketed).
pub(crate) fn is_bracketed(text: &str, node: &Node) -> bool {
    let body = &text[node.span.byte_range()];
    match node.value {
        Value::Map(_) => body.starts_with('{'),
        Value::List(_) => body.starts_with('['),
        _ => false,
    }
}

/// For a YAML block list item, the position of its dash when it shares the item's line.
pub(crate) fn dash_before(text: &str, format: Format, at: usize) -> usize {
    if format != Format::Yaml {
        return at;
    }
    let ls = line_start(text, at);
    match text[ls..at].trim_start().strip_prefix('-') {
        Some(rest) if rest.trim().is_empty() => ls + text[ls..].find('-').unwrap_or(0),
        _ => at,
    }
}

/// Where the `|` or `>` header of a YAML block scalar is, when `node` is one: its span starts at
/// the content, the header ends the last line before it that is not blank; an empty one's span
/// is just after its header.
pub(crate) fn block_scalar_header(text: &str, node: &Node) -> Option<usize> {
    if !matches!(node.value, Value::String(_)) {
        return None;
    }
    let start = node.span.start();
    if node.span.end() == start {
        let token_start = text[..start].rfind([' ', '\t', '\n']).map_or(0, |i| i + 1);
        return is_block_header(&text[token_start..start]).then_some(token_start);
    }
    let mut ls = line_start(text, start);
    if !text[ls..start].trim().is_empty() {
        return None;
    }
    // Blank lines at the top of the content belong to it.
    while ls > 0 && text[line_start(text, ls - 1)..ls].trim().is_empty() {
        ls = line_start(text, ls - 1);
    }
    if ls == 0 {
        return None;
    }
    let header_line = line_start(text, ls - 1);
    block_header_in(&text[header_line..ls - 1]).map(|token| header_line + token.start)
}

/// Where a YAML block list item begins: its dash, on the item's line or, when the value begins a
/// line of its own below a dash alone on its line (`-` then a deeper `key: v` or `- x`), on
/// that line above.
fn item_dash(text: &str, format: Format, at: usize) -> usize {
    let dash = dash_before(text, format, at);
    let ls = line_start(text, at);
    let spaces = |s: &str| s.trim_matches([' ', '\t', '\r', '\n']).is_empty();
    if format != Format::Yaml || dash != at || ls == 0 || !spaces(&text[ls..at]) {
        return dash;
    }
    let column = at - ls;
    let mut below = ls;
    while below > 0 {
        let above = line_start(text, below - 1);
        let line = text[above..below].trim_end_matches(['\r', '\n']);
        let indent = line.len() - line.trim_start_matches([' ', '\t']).len();
        let rest = &line[indent..];
        if rest.is_empty() || rest.starts_with('#') {
            below = above;
            continue;
        }
        let alone = rest.strip_prefix('-').is_some_and(|r| {
            r.is_empty()
                || (r.starts_with([' ', '\t']) && {
                    let r = r.trim_start_matches([' ', '\t']);
                    r.is_empty() || r.starts_with('#')
                })
        });
        return if alone && indent < column {
            above + indent
        } else {
            at
        };
    }
    at
}

/// Whether an entry begins its line (after indentation, or a dotted TOML key's prefix) and its
/// line holds nothing after it but a comma or a comment.
pub(crate) fn owns_lines(text: &str, format: Format, e: &Entry<'_>) -> bool {
    let before = &text[line_start(text, e.start)..e.start];
    let lead_ok = before.trim().is_empty()
        || (format == Format::Env && before.trim() == "export")
        // The first key of a map that is a YAML list item shares the item's dash (`- name: a`).
        || (format == Format::Yaml && e.key.is_some() && is_dash_lead(before))
        || (format == Format::Toml
            && before.trim_end().ends_with('.')
            && !before.contains(['=', '[', '{', ',']));
    let after = text[e.end..line_end(text, e.end)].trim();
    let tail_ok = after.is_empty()
        || after == ","
        || after.starts_with('#')
        || after.starts_with("//")
        || after
            .strip_prefix(',')
            .is_some_and(|c| c.trim_start().starts_with(['#', '/']));
    lead_ok && tail_ok
}

/// Whether the text before an entry on its line is indentation and list dashes (`  - `, `- - `).
pub(crate) fn is_dash_lead(before: &str) -> bool {
    before.contains('-')
        && before.split_whitespace().all(|part| part == "-")
        && before.ends_with([' ', '\t'])
}

/// Whether a TOML node is written as a section header (`[t]`, `[[t]]`).
fn is_header(text: &str, node: &Node) -> bool {
    let body = &text[node.span.byte_range()];
    match &node.value {
        // `[a]`, or a table made only by naming it in a header (`a` of `[a.b]`).
        Value::Map(_) => {
            let line = &text[line_start(text, node.span.start())..];
            !body.starts_with('{') && line.trim_start().starts_with('[')
        }
        Value::List(items) => {
            body.starts_with("[[")
                && items
                    .iter()
                    .all(|i| text[i.span.byte_range()].starts_with("[["))
        }
        _ => false,
    }
}

/// Whether a TOML table has a header line of its own (`[a]`), not only its sub-tables' (`[a.b]`).
pub(crate) fn has_own_header(text: &str, node: &Node) -> bool {
    text[node.span.byte_range()].starts_with('[')
}

/// Whether a TOML member's value is written as sections of its own.
pub(crate) fn is_section_value(text: &str, node: &Node) -> bool {
    is_header(text, node)
}

/// Every section header of a TOML document, in file order.
fn headers(text: &str, root: &Node) -> Vec<Header> {
    fn walk(text: &str, node: &Node, path: &mut Vec<String>, out: &mut Vec<Header>) {
        let Value::Map(map) = &node.value else {
            return;
        };
        for (k, m) in map.iter() {
            path.push(k.to_string());
            match &m.value.value {
                Value::Map(_) => {
                    if is_header(text, &m.value) {
                        out.push(Header {
                            start: line_start(text, m.value.span.start()),
                            path: path.clone(),
                        });
                    }
                    walk(text, &m.value, path, out);
                }
                Value::List(items) if is_header(text, &m.value) => {
                    for item in items.iter() {
                        out.push(Header {
                            start: line_start(text, item.span.start()),
                            path: path.clone(),
                        });
                        walk(text, item, path, out);
                    }
                }
                _ => {}
            }
            path.pop();
        }
    }
    let mut out = Vec::new();
    walk(text, root, &mut Vec::new(), &mut out);
    out.sort_by_key(|h| h.start);
    out
}

/// Where the lines of the section whose header is at `at` (path `path`) end: at the next header
/// that is not one of its own sub-sections, less the comment lines just above that header (they
/// describe it); else at the end of the file.
fn region_end(text: &str, headers: &[Header], at: usize, path: &[String]) -> usize {
    let at = line_start(text, at);
    let next = headers
        .iter()
        .filter(|h| h.start > at)
        .find(|h| !(h.path.len() > path.len() && h.path.starts_with(path)))
        .map_or(text.len(), |h| h.start);
    let mut end = next;
    while end > at {
        let prev = line_start(text, end - 1);
        if text[prev..end].trim_start().starts_with('#') {
            end = prev;
        } else {
            break;
        }
    }
    end
}

/// Where the comment lines right above the line at `at` begin.
fn comments_above(text: &str, at: usize) -> usize {
    let mut start = at;
    while start > 0 {
        let prev = line_start(text, start - 1);
        if text[prev..start].trim_start().starts_with('#') {
            start = prev;
        } else {
            break;
        }
    }
    start
}

/// The lines of the TOML section (or array-of-tables item) whose header line is at `at`.
pub(crate) fn section_region(
    text: &str,
    root: &Node,
    at: usize,
    path: &[String],
) -> std::ops::Range<usize> {
    let start = line_start(text, at);
    start..region_end(text, &headers(text, root), start, path)
}
