//! A fast reader for the YAML most configuration files are: block mappings and sequences (compact
//! `- key: value` items and sequences at their key's indentation too), one-line plain and quoted
//! scalars, and comments. It builds the tree with spans straight from the lines, with no event per
//! scalar, and gives up (`None`) at the first thing outside that subset — flow collections,
//! anchors, aliases, tags, block scalars, multi-line scalars, several documents, tabs, errors of
//! any kind — so the full reader ([`super::yaml`]) reads the file instead, and errors are always
//! its own. `tests/yaml_differential.rs` holds the two to the same trees and spans.

use super::Limits;
use super::yaml::resolve_plain;
use crate::map::Entry;
use crate::span::TextRange;
use crate::tree::{Member, Node, Value};
use std::borrow::Cow;

/// The documents of `text`, or `None` when it is not in the subset this reader handles.
pub(crate) fn parse(text: &str, limits: Limits) -> Option<Vec<Node>> {
    let bytes = text.as_bytes();
    // Outside the subset wherever they are: tabs (indentation rules), carriage returns, a
    // byte-order mark, and the indicators that open flow collections, anchors, aliases, tags and
    // block scalars are looked at below; these are cheaper to refuse up front.
    // So are characters YAML does not allow in a stream (control characters, C1 controls but
    // NEL, U+FFFE and U+FFFF) and byte-order marks, which the full reader places or refuses.
    let facts = crate::words::TextFacts::of(bytes)?;
    if !facts.ascii
        && text.chars().any(|c| {
            matches!(
                c,
                '\u{80}'..='\u{84}' | '\u{86}'..='\u{9f}' | '\u{feff}' | '\u{fffe}' | '\u{ffff}'
            )
        })
    {
        return None;
    }
    let lines = Lines::new(text);
    if lines.current.is_none() {
        // Comments only; a separator with nothing after it is an empty document, the full
        // reader's to place.
        return (!lines.refused && !text.contains("---")).then(Vec::new);
    }
    let mut reader = Reader {
        text,
        lines,
        depth: 0,
        limits,
        open: super::open::Open::default(),
    };
    let mut roots = Vec::new();
    loop {
        // An empty document (two separators in a row, or one at the end) is the full reader's.
        let first = reader.lines.current?.indent;
        roots.push(reader.node(first)?);
        if reader.lines.current.is_some() || reader.lines.refused {
            return None;
        }
        if !std::mem::take(&mut reader.lines.separator) {
            break;
        }
        reader.lines.advance();
    }
    Some(roots)
}

/// The lines with content, found one at a time as the reader asks for them, in place of a table
/// of every line: on a large file that table was the reader's largest transient, alive while
/// the tree was built (and two files are read at once).
struct Lines<'t> {
    text: &'t str,
    /// The next line with content, unless the document has ended.
    current: Option<Line>,
    /// Where the line after `current` starts.
    from: usize,
    /// Whether a line with content has been seen (a `---` before one only starts the first
    /// document), and whether a `---` did.
    content_seen: bool,
    leading_separator: bool,
    /// The document ended at a `---`: another follows.
    separator: bool,
    /// A line the full reader is left to read (a directive, a document end marker, text after
    /// `---`, a second leading separator): the block reader gives up.
    refused: bool,
}

impl<'t> Lines<'t> {
    fn new(text: &'t str) -> Lines<'t> {
        let mut lines = Lines {
            text,
            current: None,
            from: 0,
            content_seen: false,
            leading_separator: false,
            separator: false,
            refused: false,
        };
        lines.advance();
        lines
    }

    /// Moves to the next line with content in the document, if there is one.
    fn advance(&mut self) {
        self.current = None;
        while self.from <= self.text.len() {
            let start = self.from;
            let end = crate::words::line_break(&self.text.as_bytes()[start..])
                .map_or(self.text.len(), |i| start + i);
            self.from = end + 1;
            let raw = &self.text[start..end];
            let indent = crate::words::spaces(raw.as_bytes());
            let content = &raw[indent..];
            if content.is_empty() || content.starts_with('#') {
                continue;
            }
            if indent == 0 && (content == "---" || content.starts_with("--- #")) {
                if self.content_seen {
                    self.separator = true;
                    return;
                }
                // Two separators before any content make an empty document.
                if std::mem::replace(&mut self.leading_separator, true) {
                    self.refused = true;
                    return;
                }
                continue;
            }
            if indent == 0
                && (content.starts_with("---")
                    || content.starts_with("...")
                    || content.starts_with('%'))
            {
                self.refused = true;
                return;
            }
            self.content_seen = true;
            self.current = Some(Line { start, indent, end });
            return;
        }
    }
}

/// A line holding content: where it starts, the column its content starts
/// at (moved on past `- ` as a sequence item is read), and where it ends.
#[derive(Clone, Copy, Debug)]
struct Line {
    start: usize,
    indent: usize,
    end: usize,
}

impl Line {
    /// Where the content starts.
    fn at(&self) -> usize {
        self.start + self.indent
    }
}

struct Reader<'t> {
    text: &'t str,
    lines: Lines<'t>,
    depth: usize,
    limits: Limits,
    open: super::open::Open,
}

/// YAML limits an implicit key (`key: value`) to 1024 characters from its start to the `:`, which
/// the full reader enforces; a key that long in bytes is the full reader's to read or refuse.
const MAX_KEY_BYTES: usize = 1024;

/// Where a value on a line ends: before a comment (` #`) and trailing spaces.
fn content_end(text: &str, from: usize, end: usize) -> usize {
    let bytes = &text.as_bytes()[from..end];
    let mut cut = bytes.len();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'#' && (i == 0 || bytes[i - 1] == b' ') {
            cut = i;
            break;
        }
        i += 1;
    }
    let mut e = cut;
    while e > 0 && bytes[e - 1] == b' ' {
        e -= 1;
    }
    from + e
}

/// The first `:` followed by a space or the end of the content, where a key ends (after a
/// quoted scalar the content starts with, which may hold `: ` itself).
fn key_colon(content: &[u8]) -> Option<usize> {
    let mut i = match content.first() {
        Some(b'\'') => single_quoted_end(content)? + 1,
        // A flow collection is a value, never a key here.
        Some(b'[' | b'{') => return None,
        Some(b'"') => {
            let mut j = 1;
            while j < content.len() && content[j] != b'"' {
                j += if content[j] == b'\\' { 2 } else { 1 };
            }
            j + 1
        }
        _ => 0,
    };
    // Only a `:` or a `#` can end the search: the bytes between are passed eight at a time.
    while i < content.len() {
        i += crate::words::colon_or_hash(&content[i..])?;
        match content[i] {
            b':' if content.get(i + 1).is_none_or(|&c| c == b' ') => return Some(i),
            b'#' if i > 0 && content[i - 1] == b' ' => return None,
            _ => {}
        }
        i += 1;
    }
    None
}

impl Reader<'_> {
    fn line(&self) -> Option<Line> {
        self.lines.current
    }

    /// Whether a line's content is a sequence item (`-` then a space or nothing).
    fn is_item(&self, line: &Line) -> bool {
        let b = self.text.as_bytes();
        b[line.at()] == b'-' && (line.at() + 1 == line.end || b[line.at() + 1] == b' ')
    }

    /// The block node whose first line is the next one, at column `indent`.
    fn node(&mut self, indent: usize) -> Option<Node> {
        let line = self.line()?;
        if line.indent != indent {
            return None;
        }
        self.depth += 1;
        if self.depth > self.limits.max_depth {
            return None;
        }
        let node = if self.is_item(&line) {
            self.sequence(indent, false)
        } else if key_colon(
            &self.text.as_bytes()[line.at()..content_end(self.text, line.at(), line.end)],
        )
        .is_some()
        {
            self.mapping(indent)
        } else {
            // A document that is one scalar.
            self.lines.advance();
            let end = content_end(self.text, line.at(), line.end);
            let (value, span) = self.scalar(line.at(), end)?;
            Some(Node::new(value, span))
        };
        self.depth -= 1;
        node
    }

    fn mapping(&mut self, indent: usize) -> Option<Node> {
        let mut map = super::open::OpenMap::new(&self.open);
        let mut start = None;
        let mut end = None::<usize>;
        while let Some(line) = self.line() {
            if line.indent < indent {
                break;
            }
            if line.indent > indent || self.is_item(&line) {
                return None;
            }
            let content_to = content_end(self.text, line.at(), line.end);
            let content = &self.text.as_bytes()[line.at()..content_to];
            let colon = key_colon(content)?;
            if colon > MAX_KEY_BYTES {
                return None;
            }
            let key_text = self.text[line.at()..line.at() + colon].trim_end_matches(' ');
            if key_text.is_empty() || !plain_start(key_text.as_bytes(), true) || key_text == "<<" {
                return None;
            }
            let key_span = TextRange::new(line.at(), line.at() + key_text.len());
            start.get_or_insert(key_span.start());
            let after = line.at() + colon + 1;
            let value_at = after + self.text[after..content_to].len()
                - self.text[after..content_to].trim_start_matches(' ').len();
            self.lines.advance();
            let value = if value_at < content_to {
                let (value, span) = self.scalar(value_at, content_to)?;
                // A scalar's value does not go on below its line.
                if self.line().is_some_and(|l| l.indent > indent) {
                    return None;
                }
                Node::new(value, span)
            } else {
                match self.line() {
                    Some(next) if next.indent > indent => self.node(next.indent)?,
                    // A sequence at its key's indentation.
                    Some(next) if next.indent == indent && self.is_item(&next) => {
                        self.depth += 1;
                        let seq = self.sequence(indent, true);
                        self.depth -= 1;
                        seq?
                    }
                    // The full reader puts a missing value at the colon.
                    _ => self.null(after - 1),
                }
            };
            end = Some(end.map_or(value.span.end(), |e| e.max(value.span.end())));
            // A repeated key is the full reader's to refuse.
            map.insert(&mut self.open, key_text.into(), Member { key_span, value })
                .ok()?;
        }
        let start = start?;
        let map = map.close(&mut self.open);
        Some(Node::new(
            Value::Map(Box::new(map)),
            TextRange::new(start, end.unwrap_or(start)),
        ))
    }

    /// A block sequence; `indentless` when it sits at its key's indentation, where the full
    /// reader starts it at its first item rather than at the first `-`.
    fn sequence(&mut self, indent: usize, indentless: bool) -> Option<Node> {
        let first = self.open.list_start();
        let mut start = None;
        while let Some(line) = self.line() {
            if line.indent < indent || (line.indent == indent && !self.is_item(&line)) {
                break;
            }
            if line.indent > indent {
                return None;
            }
            start.get_or_insert(line.at());
            // The item's content: after `- ` and any further spaces.
            let after = line.at() + 1;
            let rest = &self.text[after..line.end];
            let item_at = after + rest.len() - rest.trim_start_matches(' ').len();
            let content_to = content_end(self.text, item_at, line.end);
            let item = if item_at >= content_to {
                self.lines.advance();
                match self.line() {
                    Some(next) if next.indent > indent => self.node(next.indent)?,
                    // Where the full reader ends a sequence at its key's indentation whose last
                    // item is missing after `- ` depends on the items before it (after a flow
                    // collection, before the spaces): its to read.
                    _ if indentless && line.end > after => return None,
                    // The full reader puts a missing item at the end of its line.
                    _ => self.null(line.end),
                }
            } else {
                let content = &self.text.as_bytes()[item_at..content_to];
                if content[0] == b'-' && content.get(1).is_none_or(|&c| c == b' ') {
                    // A sequence in a sequence on one line.
                    return None;
                }
                if key_colon(content).is_some() {
                    // A compact mapping: its keys line up with the first one.
                    let column = item_at - line.start;
                    if let Some(moved) = &mut self.lines.current {
                        moved.indent = column;
                    }
                    self.node(column)?
                } else {
                    self.lines.advance();
                    let (value, span) = self.scalar(item_at, content_to)?;
                    if self.line().is_some_and(|l| l.indent > indent) {
                        return None;
                    }
                    Node::new(value, span)
                }
            };
            self.open.push_item(item);
        }
        let mut start = start?;
        let items = self.open.close_list(first);
        if indentless {
            start = items.first().map_or(start, |n| n.span.start());
        }
        let end = items.last().map_or(start, |n| n.span.end()).max(start);
        Some(Node::new(Value::list(items), TextRange::new(start, end)))
    }

    /// The null of a key or item with nothing after it, at `at`.
    fn null(&self, at: usize) -> Node {
        Node::new(Value::Null, TextRange::empty(at))
    }

    /// A one-line value from `from` to `to` on `line`: a plain scalar, a quoted one without
    /// escapes, or a flow collection of them.
    fn scalar(&self, from: usize, to: usize) -> Option<(Value, TextRange)> {
        let text = &self.text[from..to];
        let b = text.as_bytes();
        if matches!(b[0], b'[' | b'{' | b'\'' | b'"') {
            // A flow collection or a quoted scalar, read as in flow context: it must be all of
            // the value (nothing but a comment after it).
            let (node, end) = self.flow(from, to, self.depth)?;
            return (end == to).then_some((node.value, node.span));
        }
        // `": "` looked for byte by byte: a substring search costs more than the scalar here.
        let mapping_indicator = b
            .iter()
            .enumerate()
            .any(|(i, &c)| c == b':' && b.get(i + 1).is_none_or(|&n| n == b' '));
        if !plain_start(b, false) || mapping_indicator {
            return None;
        }
        Some((resolve_plain(Cow::Borrowed(text)), TextRange::new(from, to)))
    }
}

impl Reader<'_> {
    /// The first byte at or after `i` that is not a space, up to `to`.
    fn skip_spaces(&self, mut i: usize, to: usize) -> usize {
        let b = self.text.as_bytes();
        while i < to && b[i] == b' ' {
            i += 1;
        }
        i
    }

    /// Reads the entries of the flow collection whose opening bracket is at `at` and whose closing
    /// one is `close`, each with `entry` (given where it starts, it answers where it ends); answers
    /// where the collection ends, just past `close`.
    fn flow_entries(
        &self,
        at: usize,
        to: usize,
        close: u8,
        mut entry: impl FnMut(usize) -> Option<usize>,
    ) -> Option<usize> {
        let b = self.text.as_bytes();
        let mut i = self.skip_spaces(at + 1, to);
        if b.get(i) == Some(&close) {
            return Some(i + 1);
        }
        loop {
            i = self.skip_spaces(entry(i)?, to);
            match b.get(i) {
                Some(b',') if i < to => {
                    i = self.skip_spaces(i + 1, to);
                    // A trailing comma is the full reader's to judge.
                    if b.get(i).is_none_or(|&c| c == close) {
                        return None;
                    }
                }
                Some(&c) if c == close && i < to => return Some(i + 1),
                _ => return None,
            }
        }
    }

    /// The flow node at `at` (after spaces) on `line`, up to `to`, and where it ends.
    fn flow(&self, at: usize, to: usize, depth: usize) -> Option<(Node, usize)> {
        let b = self.text.as_bytes();
        let at = self.skip_spaces(at, to);
        if at >= to {
            return None;
        }
        if depth + 1 > self.limits.max_depth {
            return None;
        }
        match b[at] {
            b'[' => {
                let mut items = Vec::new();
                let end = self.flow_entries(at, to, b']', |i| {
                    let (item, end) = self.flow(i, to, depth + 1)?;
                    items.push(item);
                    Some(end)
                })?;
                Some((Node::new(Value::list(items), TextRange::new(at, end)), end))
            }
            b'{' => {
                let mut map = super::new_map();
                let end = self.flow_entries(at, to, b'}', |i| {
                    // A plain key up to `: `.
                    let key_end = (i..to).find(|&k| b[k] == b':' && b.get(k + 1) == Some(&b' '))?;
                    let key = self.text[i..key_end].trim_end_matches(' ');
                    if key.is_empty()
                        || key_end - i > MAX_KEY_BYTES
                        || !plain_start(key.as_bytes(), true)
                        || key
                            .bytes()
                            .any(|c| matches!(c, b',' | b'[' | b']' | b'{' | b'}' | b'#'))
                        || key == "<<"
                    {
                        return None;
                    }
                    let key_span = TextRange::new(i, i + key.len());
                    let (value, end) = self.flow(key_end + 1, to, depth + 1)?;
                    match map.entry(key.into()) {
                        Entry::Occupied(_) => None,
                        Entry::Vacant(slot) => {
                            slot.insert(Member { key_span, value });
                            Some(end)
                        }
                    }
                })?;
                Some((
                    Node::new(Value::Map(Box::new(map)), TextRange::new(at, end)),
                    end,
                ))
            }
            b'\'' => {
                let close = at + single_quoted_end(&b[at..to])?;
                let inner = &self.text[at + 1..close];
                let value = if inner.contains("''") {
                    inner.replace("''", "'")
                } else {
                    inner.to_string()
                };
                Some((
                    Node::new(Value::String(value.into()), TextRange::new(at, close + 1)),
                    close + 1,
                ))
            }
            b'"' => {
                let close = at + 1 + self.text[at + 1..to].find(['"', '\\'])?;
                if b[close] != b'"' {
                    return None;
                }
                let value = Value::String(self.text[at + 1..close].into());
                Some((Node::new(value, TextRange::new(at, close + 1)), close + 1))
            }
            _ => {
                // A plain scalar in flow context: up to `,`, a bracket, or `: `.
                let mut end = at;
                while end < to && !matches!(b[end], b',' | b'[' | b']' | b'{' | b'}') {
                    if b[end] == b':'
                        && b.get(end + 1)
                            .is_none_or(|&c| matches!(c, b' ' | b',' | b']' | b'}'))
                    {
                        return None;
                    }
                    end += 1;
                }
                let text = self.text[at..end].trim_end_matches(' ');
                // An indicator starting a later word (`a -,`) is the full reader's to refuse.
                if text.is_empty()
                    || !plain_start(text.as_bytes(), true)
                    || [" #", " -", " ?", " :"].iter().any(|w| text.contains(w))
                {
                    return None;
                }
                let value = resolve_plain(Cow::Borrowed(text));
                Some((
                    Node::new(value, TextRange::new(at, at + text.len())),
                    at + text.len(),
                ))
            }
        }
    }
}

/// Where a single-quoted scalar's closing quote is (`''` is a quote inside it).
fn single_quoted_end(b: &[u8]) -> Option<usize> {
    let mut i = 1;
    while i < b.len() {
        if b[i] == b'\'' {
            if b.get(i + 1) == Some(&b'\'') {
                i += 2;
                continue;
            }
            return Some(i);
        }
        i += 1;
    }
    None
}

/// Whether a plain scalar may start this way in block context, conservatively: none of the
/// indicators, and `-`, `?`, `:` only before a character that is not a space. Keys (`key`)
/// refuse quotes too, which this reader leaves to the full one.
fn plain_start(b: &[u8], key: bool) -> bool {
    match b.first() {
        None => false,
        Some(
            b'[' | b']' | b'{' | b'}' | b',' | b'#' | b'&' | b'*' | b'!' | b'|' | b'>' | b'%'
            | b'@' | b'`',
        ) => false,
        Some(b'\'' | b'"') => !key,
        Some(b'-' | b'?' | b':') => b.get(1).is_some_and(|&c| c != b' '),
        Some(_) => true,
    }
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;

    /// The fast reader's tree (when it reads the text) equals the full reader's, spans included.
    fn same(text: &str) -> bool {
        crate::fuzzing::yaml_readers_agree(text)
    }

    #[test]
    fn block_configuration_reads_as_the_full_reader_reads_it() {
        for text in [
            "a: 1\n",
            "a: 1\nb: two\nc: 'three'\nd: \"four\"\n",
            "db:\n  host: db.example.com   # primary\n  port: 5432\n  tags:\n    - a\n    - b\n",
            "items:\n  - name: web\n    image: nginx:1.25\n    ports:\n      - 80\n      - 443\n  - name: api\n",
            "list:\n- x\n- y\nnext: 1\n",
            "# only a comment\n",
            "",
            "héllo: wörld\nñ:\n  - ü\n",
            "a: it's\nb: 'it''s'\nc: x#y\nd: true\ne: ~\nf: 0x1f\ng: 1.5\n",
            "- 1\n- two\n-   three\n",
            "scalar document\n",
            "a:\n    deep: 1\n    more:\n        - x\n",
            "---\na: 1\n",
            "a: 1\n---\nb: 2\n--- # third\n- 3\n",
            "# head\n---\nkind: List\n",
            "a: [1, 2]\nb: {c: 1, d: [x, 'y', \"z\"]}\nc: []\nd: {}\n",
            "pool: {min: 1, max: 10}\ntags: [a, b]   # c\n",
            "- [1, 2]\n- {a: b}\n",
            "a: [ 1 , two ]\n",
        ] {
            assert!(same(text), "the fast reader should read {text:?}");
        }
    }

    #[test]
    fn what_it_does_not_handle_goes_to_the_full_reader() {
        for text in [
            "a: [1, 2,]\n",
            "a: {b}\n",
            "a: [1,\n  2]\n",
            "a: &x 1\nb: *x\n",
            "a: !Ref x\n",
            "a: |\n  text\n",
            "a: >\n  text\n",
            "a: one\n  two\n",
            "a: 1\n---\n",
            "---\n---\na: 1\n",
            "a: 1\n...\n",
            "--- a: 1\n",
            "a:\tb\n",
            "a: 1\r\n",
            "\"a\": 1\n",
            "a: 1\na: 2\n",
            "a: \"x\\ty\"\n",
            "? a\n: 1\n",
            "a: b: c\n",
            "- - 1\n",
            "<<: {a: 1}\n",
            "a:\n  b: 1\n c: 2\n",
        ] {
            assert!(
                !same(text),
                "the fast reader should leave {text:?} to the full one"
            );
        }
    }

    /// Every YAML file of the repository's examples and test cases: read the same way, and most
    /// of them by the fast reader.
    #[test]
    fn the_repositorys_yaml_files_read_as_the_full_reader_reads_them() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let mut stack = vec![root.join("examples"), root.join("tests")];
        let (mut files, mut fast) = (0, 0);
        while let Some(dir) = stack.pop() {
            for entry in std::fs::read_dir(&dir).unwrap().flatten() {
                let path = entry.path();
                if path.is_dir() {
                    if !path.ends_with("node_modules") {
                        stack.push(path);
                    }
                } else if path.extension().is_some_and(|e| e == "yaml" || e == "yml") {
                    let Ok(text) = std::fs::read_to_string(&path) else {
                        continue;
                    };
                    if super::super::yaml::parse(&text, Limits::default()).is_err() {
                        assert!(
                            parse(&text, Limits::default()).is_none(),
                            "{}",
                            path.display()
                        );
                        continue;
                    }
                    files += 1;
                    fast += usize::from(same(&text));
                }
            }
        }
        assert!(
            files > 50 && fast * 5 > files * 4,
            "{fast} of {files} files read by the fast reader"
        );
    }

    use proptest::prelude::*;

    /// Configuration-shaped trees: maps of lists of maps of scalars, a few levels deep.
    #[derive(Clone, Debug)]
    enum Shape {
        Scalar(String),
        Map(Vec<(String, Shape)>),
        List(Vec<Shape>),
    }

    fn scalar() -> impl Strategy<Value = String> {
        prop_oneof![
            "[a-z][a-z0-9_.-]{0,8}",
            "[0-9]{1,6}",
            Just("true".to_string()),
            Just("~".to_string()),
            Just(String::new()),
            "'[a-z ]{0,6}'",
            "\"[a-z: ]{0,6}\"",
            "[a-z]{1,4} [a-z]{1,4}",
            "[a-z]{1,3}#[a-z]{1,3}",
            Just("héllo wörld".to_string()),
        ]
    }

    fn shape() -> impl Strategy<Value = Shape> {
        let leaf = scalar().prop_map(Shape::Scalar);
        leaf.prop_recursive(4, 40, 5, |inner| {
            prop_oneof![
                prop::collection::vec(("[a-z][a-z_]{0,6}", inner.clone()), 1..5).prop_map(
                    |members| {
                        let mut seen = std::collections::HashSet::new();
                        Shape::Map(
                            members
                                .into_iter()
                                .filter(|(k, _)| seen.insert(k.clone()))
                                .collect(),
                        )
                    }
                ),
                prop::collection::vec(inner, 1..4).prop_map(Shape::List),
            ]
        })
    }

    /// Block YAML for a shape: `indentless` puts sequences at their key's indentation, `pad`
    /// adds spaces after indicators, comments go after some values.
    fn render(shape: &Shape, indent: usize, out: &mut String, style: (bool, bool, bool, bool)) {
        let (indentless, pad, comments, flow) = style;
        let spaces = " ".repeat(indent);
        let comment = if comments { "  # note" } else { "" };
        match shape {
            Shape::Scalar(s) => {
                out.push_str(&format!("{spaces}{s}{comment}\n"));
            }
            Shape::Map(members) => {
                for (k, v) in members {
                    if let (true, Some(inline)) = (flow, inline(v)) {
                        out.push_str(&format!("{spaces}{k}: {inline}\n"));
                        continue;
                    }
                    match v {
                        Shape::Scalar(s) if s.is_empty() => {
                            out.push_str(&format!("{spaces}{k}:\n"))
                        }
                        Shape::Scalar(s) => {
                            let gap = if pad { "   " } else { " " };
                            out.push_str(&format!("{spaces}{k}:{gap}{s}{comment}\n"));
                        }
                        Shape::List(_) if indentless => {
                            out.push_str(&format!("{spaces}{k}:\n"));
                            render(v, indent, out, style);
                        }
                        _ => {
                            out.push_str(&format!("{spaces}{k}:\n"));
                            render(v, indent + 2, out, style);
                        }
                    }
                }
            }
            Shape::List(items) => {
                for item in items {
                    match item {
                        Shape::Scalar(s) if s.is_empty() => out.push_str(&format!("{spaces}-\n")),
                        Shape::Scalar(s) => out.push_str(&format!("{spaces}- {s}{comment}\n")),
                        Shape::Map(_) => {
                            // A compact mapping: its first key on the dash's line.
                            let mut inner = String::new();
                            render(item, indent + 2, &mut inner, style);
                            let body = inner.replacen(&" ".repeat(indent + 2), "", 1);
                            out.push_str(&format!("{spaces}- {body}"));
                        }
                        Shape::List(_) => {
                            out.push_str(&format!("{spaces}-\n"));
                            render(item, indent + 2, out, style);
                        }
                    }
                }
            }
        }
    }

    /// Cases per property: 400 in the test suite; `PROPTEST_CASES=1000000` fuzzes longer by hand.
    fn cases() -> u32 {
        std::env::var("PROPTEST_CASES")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(400)
    }

    /// A collection of scalars written in flow style (`[a, b]`, `{k: v}`), when it can be.
    fn inline(shape: &Shape) -> Option<String> {
        let word = |s: &Shape| match s {
            Shape::Scalar(s) if !s.is_empty() && !s.contains('#') => Some(s.clone()),
            Shape::Map(_) | Shape::List(_) => inline(s),
            _ => None,
        };
        match shape {
            Shape::List(items) => Some(format!(
                "[{}]",
                items
                    .iter()
                    .map(word)
                    .collect::<Option<Vec<_>>>()?
                    .join(", ")
            )),
            Shape::Map(members) => Some(format!(
                "{{{}}}",
                members
                    .iter()
                    .map(|(k, v)| Some(format!("{k}: {}", word(v)?)))
                    .collect::<Option<Vec<_>>>()?
                    .join(", ")
            )),
            Shape::Scalar(_) => None,
        }
    }

    /// Mangles `text` at a character boundary chosen by `at`: inserts `ch` (`what` 0), deletes a
    /// character (1), repeats the line (2) or inserts two spaces (3).
    pub(in crate::parse) fn mangle(
        text: &mut String,
        at: prop::sample::Index,
        what: usize,
        ch: char,
    ) {
        let boundaries: Vec<usize> = (0..=text.len())
            .filter(|&i| text.is_char_boundary(i))
            .collect();
        let i = boundaries[at.index(boundaries.len())];
        match what {
            0 => text.insert(i, ch),
            1 if i < text.len() => {
                let c = text[i..].chars().next().unwrap();
                text.replace_range(i..i + c.len_utf8(), "");
            }
            2 => {
                let start = text[..i].rfind('\n').map_or(0, |p| p + 1);
                let end = text[i..].find('\n').map_or(text.len(), |p| i + p + 1);
                let line = text[start..end].to_string();
                text.insert_str(start, &line);
            }
            _ => text.insert_str(i, "  "),
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: cases(), ..ProptestConfig::default() })]

        /// Generated block YAML: the fast reader reads it, to the full reader's tree and spans.
        #[test]
        fn generated_block_yaml_reads_as_the_full_reader_reads_it(
            shape in shape(), indentless: bool, pad: bool, comments: bool, flow: bool,
        ) {
            let mut text = String::new();
            render(&shape, 0, &mut text, (indentless, pad, comments, flow));
            // A stream: the same document again after a separator.
            let content = text.lines().any(|l| !l.trim().is_empty() && !l.trim_start().starts_with('#'));
            if pad && content {
                let again = text.clone();
                text = format!("---\n{text}---\n{again}");
            }
            // Everything generated is in the subset: the fast reader must read it.
            prop_assert!(same(&text), "the fast reader gave up on {text:?}");
        }

        /// The same texts mangled (a character inserted, deleted or a line repeated): whatever the
        /// fast reader reads, the full reader reads the same way; what the full reader refuses,
        /// the fast one never reads.
        #[test]
        fn mangled_block_yaml_never_reads_differently(
            shape in shape(), indentless: bool, at in any::<prop::sample::Index>(),
            what in 0..4_usize, ch in prop::sample::select(vec![':', '-', '#', ' ', '\'', '"', '\n', '[', '{', '&', '*', '!', '|', '>', '?', 'x', '\\']),
        ) {
            let mut text = String::new();
            render(&shape, 0, &mut text, (indentless, false, false, indentless));
            mangle(&mut text, at, what, ch);
            same(&text);
        }
    }
}
