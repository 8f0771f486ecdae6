//! YAML with positions, built from `saphyr-parser`'s event stream.
//!
//! Building the tree ourselves (rather than through a DOM crate) is what lets every key and value keep
//! its span, and lets us enforce the safety limits while building: nesting depth, and a budget on the
//! nodes aliases may copy, so an alias bomb ("billion laughs") is refused instead of eating memory.
//! Merge keys (`<<`) are applied here; explicit keys win over merged ones, and earlier merge sources
//! win over later ones, as the YAML merge-key spec says.

use super::Limits;
use super::open::{Open, OpenMap};
use crate::error::{Error, ErrorKind, Result};
use crate::span::{LineIndex, Pos, Span, TextRange};
use crate::tree::{Map, Member, Node, Value};
use saphyr_parser::{Event, Parser, ScalarStyle, Tag};
use std::borrow::Cow;
use std::collections::HashMap;

pub(crate) fn parse(text: &str, limits: Limits) -> Result<Vec<Node>> {
    let mut builder = Builder {
        text,
        index: LineIndex::new(text),
        limits,
        stack: Vec::new(),
        anchors: HashMap::default(),
        alias_nodes: 0,
        root: None,
        documents: Vec::new(),
        separator: None,
        skew: 0,
        node_end: 0,
        open: Open::default(),
    };
    let resync = has_skewing_directive(text);
    let mut parser = Parser::new_from_str(text);
    while let Some(event) = parser.next_event() {
        let (event, span) = event.map_err(|e| builder.scan_error(&e))?;
        if resync && matches!(event, Event::DocumentStart(true)) {
            builder.resync(span.start.index());
        }
        let start = builder.pos_at(span.start.index());
        let end = builder.pos_at(span.end.index());
        if matches!(
            event,
            Event::Scalar(..) | Event::Alias(_) | Event::SequenceEnd | Event::MappingEnd
        ) {
            builder.node_end = end.at();
        }
        builder.event(event, Span::new(start, end))?;
    }
    Ok(builder.documents)
}

/// saphyr-parser counts a directive line's bytes (`%FOO é`) as characters, so every index after
/// one with non-ASCII text is ahead by its extra bytes. Only texts with such a line need the
/// correction, which [`Builder::resync`] works out at each explicit document start.
fn has_skewing_directive(text: &str) -> bool {
    !text.is_ascii()
        && (text.starts_with('%') || text.contains("\n%"))
        && text
            .split_inclusive('\n')
            .any(|line| line.starts_with('%') && !line.is_ascii())
}

/// The first line at or after byte `from` that is a document marker `---`.
fn marker_line(text: &str, from: usize) -> Option<usize> {
    let mut at = text[..from.min(text.len())]
        .rfind('\n')
        .map_or(0, |i| i + 1);
    while at < text.len() {
        let line = text[at..].split('\n').next().unwrap_or("");
        if is_document_marker(line) && at >= from {
            return Some(at);
        }
        at += line.len() + 1;
    }
    None
}

/// Whether a line starts a document: `---` alone or followed by a blank (and maybe content).
pub(crate) fn is_document_marker(line: &str) -> bool {
    line.strip_prefix("---")
        .is_some_and(|r| r.is_empty() || r.starts_with([' ', '\t', '\r']))
}

struct Builder<'t> {
    text: &'t str,
    index: LineIndex<'t>,
    limits: Limits,
    stack: Vec<Frame>,
    anchors: HashMap<usize, (Node, usize)>,
    alias_nodes: usize,
    root: Option<Node>,
    documents: Vec<Node>,
    /// The current document's `---`, when it has one.
    separator: Option<Span>,
    /// How far saphyr's character index is ahead of the text's (see [`has_skewing_directive`]).
    skew: usize,
    /// Where the last node read ends: the next document's `---` comes after it.
    node_end: usize,
    /// The members and items of the open collections.
    open: Open,
}

enum Frame {
    Seq {
        start: Pos,
        /// The furthest its children's text goes: an alias child's own text is the `*name`
        /// here, not its anchor's, which its spans are.
        reach: Option<Pos>,
        anchor: usize,
        tag: Option<String>,
        /// Where its items start on the open items' stack.
        first: usize,
    },
    Map {
        start: Pos,
        reach: Option<Pos>,
        anchor: usize,
        tag: Option<String>,
        map: OpenMap,
        key: Option<Key>,
        merges: Vec<Node>,
    },
}

impl Frame {
    fn start(&self) -> Pos {
        match self {
            Frame::Seq { start, .. } | Frame::Map { start, .. } => *start,
        }
    }
}

struct Key {
    text: String,
    span: Span,
    is_merge: bool,
}

impl<'t> Builder<'t> {
    fn event(&mut self, event: Event<'_>, span: Span) -> Result<()> {
        match event {
            Event::StreamStart | Event::StreamEnd | Event::Nothing => {}
            Event::DocumentStart(explicit) => {
                self.root = None;
                self.separator = explicit.then_some(span);
            }
            Event::DocumentEnd => {
                let root = self
                    .root
                    .take()
                    .unwrap_or_else(|| Node::new(Value::Null, span));
                self.documents.push(root);
            }
            Event::Scalar(text, style, anchor, tag) => {
                let mut span = self.scalar_span(span, style);
                if text.is_empty() && style == ScalarStyle::Plain && tag.is_none() && anchor == 0 {
                    // A missing value is no text: saphyr marks the token after it (`, ` or
                    // `}` in `{a, b}`), which an edit of the value must not take.
                    span = Span::new(span.start, span.start);
                }
                if matches!(style, ScalarStyle::Literal | ScalarStyle::Folded) {
                    span = if text.is_empty() {
                        self.empty_block_span(span)
                    } else {
                        self.block_scalar_span(span)
                    };
                }
                if self.stack.is_empty()
                    && text.is_empty()
                    && style == ScalarStyle::Plain
                    && tag.is_none()
                    && let Some(separator) = self.separator
                {
                    // An empty document: saphyr places it at the next token (the next
                    // document's `---`); it is just after its own.
                    span = Span::new(separator.end, separator.end);
                }
                if self.expecting_key() {
                    let is_merge = style == ScalarStyle::Plain && tag.is_none() && text == "<<";
                    if anchor > 0 {
                        self.anchors.insert(
                            anchor,
                            (Node::new(Value::String(text.as_ref().into()), span), 1),
                        );
                    }
                    return self.set_key(Key {
                        text: text.into_owned(),
                        span,
                        is_merge,
                    });
                }
                let custom = custom_tag(tag.as_deref());
                let value =
                    scalar_value(text, style, tag.as_deref()).map_err(|e| e.at(span.start))?;
                let node = self.wrap_custom_tag(Node::new(value, span), custom);
                self.complete(node, anchor)?;
            }
            Event::Alias(id) => {
                let Some((node, size)) = self.anchors.get(&id) else {
                    return Err(self.error_at(span.start, "alias names an unknown anchor".into()));
                };
                self.alias_nodes += size;
                if self.alias_nodes > self.limits.max_alias_nodes {
                    return Err(Error::new(
                        ErrorKind::Limit,
                        format!(
                            "aliases expand to more than {} nodes; refusing what looks like an alias bomb",
                            self.limits.max_alias_nodes
                        ),
                    )
                    .at(span.start));
                }
                let node = node.clone();
                self.reach(span.end);
                if self.expecting_key() {
                    if !node.value.is_scalar() {
                        return Err(self.unsupported_key(span.start));
                    }
                    let text = match &node.value {
                        Value::String(s) => s.to_string(),
                        other => other.to_json().to_string(),
                    };
                    return self.set_key(Key {
                        text,
                        span,
                        is_merge: false,
                    });
                }
                self.push_value(node)?;
            }
            Event::SequenceStart(anchor, tag) => {
                self.open(span.start)?;
                let tag = custom_tag(tag.as_deref());
                self.stack.push(Frame::Seq {
                    start: span.start,
                    reach: None,
                    anchor,
                    tag,
                    first: self.open.list_start(),
                });
            }
            Event::MappingStart(anchor, tag) => {
                self.open(span.start)?;
                let tag = custom_tag(tag.as_deref());
                self.stack.push(Frame::Map {
                    start: span.start,
                    reach: None,
                    anchor,
                    tag,
                    map: OpenMap::new(&self.open),
                    key: None,
                    merges: Vec::new(),
                });
            }
            Event::SequenceEnd => {
                let Some(Frame::Seq {
                    start,
                    reach,
                    anchor,
                    tag,
                    first,
                }) = self.stack.pop()
                else {
                    return Err(self.error_at(span.start, "unbalanced sequence end".into()));
                };
                let items = self.open.close_list(first);
                let end = self.container_end(start, span, reach);
                let list =
                    self.wrap_custom_tag(Node::new(Value::list(items), Span::new(start, end)), tag);
                self.complete(list, anchor)?;
            }
            Event::MappingEnd => {
                let Some(Frame::Map {
                    start,
                    reach,
                    anchor,
                    tag,
                    map,
                    merges,
                    ..
                }) = self.stack.pop()
                else {
                    return Err(self.error_at(span.start, "unbalanced mapping end".into()));
                };
                let mut map = map.close(&mut self.open);
                apply_merges(&mut map, merges);
                let end = self.container_end(start, span, reach);
                let map = self.wrap_custom_tag(
                    Node::new(Value::Map(Box::new(map)), Span::new(start, end)),
                    tag,
                );
                self.complete(map, anchor)?;
            }
        }
        Ok(())
    }

    /// The position of saphyr's character index `index`.
    fn pos_at(&mut self, index: usize) -> Pos {
        self.index.pos_at_char(index.saturating_sub(self.skew))
    }

    /// At an explicit document start, whose `---` is the first after the last node: the skew is
    /// how far saphyr's `index` for it is ahead of that marker's character index.
    fn resync(&mut self, index: usize) {
        if let Some(at) = marker_line(self.text, self.node_end) {
            let chars = self.text[..at].chars().count();
            self.skew = index.saturating_sub(chars);
        }
    }

    /// A parser error at its position. At the end of the input saphyr's marker points at the start of
    /// the stream, which helps nobody: an unclosed bracket is reported where it was opened instead.
    fn scan_error(&mut self, e: &saphyr_parser::ScanError) -> Error {
        let m = e.marker();
        let info = e.info();
        if info.contains("recursion limit") {
            // The scanner's own guard against deeply nested flow collections.
            let pos = self.pos_at(m.index());
            let message = format!("nesting deeper than {} levels", self.limits.max_depth);
            return Error::new(ErrorKind::Limit, message).at(pos);
        }
        let at_end = m.index() == 0 || m.index() >= self.text.trim_end().chars().count();
        if at_end && (info.contains("flow sequence") || info.contains("flow mapping")) {
            let unclosed =
                self.stack.iter().rev().map(Frame::start).find(|start| {
                    matches!(self.text.as_bytes().get(start.at()), Some(b'[' | b'{'))
                });
            if let Some(start) = unclosed {
                let bracket = self.text.as_bytes()[start.at()] as char;
                let message = format!("'{bracket}' is never closed ({info})");
                return Error::new(ErrorKind::Syntax, message).at(start);
            }
        }
        let pos = self.pos_at(m.index());
        Error::new(ErrorKind::Syntax, info.to_string()).at(pos)
    }

    fn error_at(&self, pos: Pos, message: String) -> Error {
        Error::new(ErrorKind::Syntax, message).at(pos)
    }

    fn unsupported_key(&self, pos: Pos) -> Error {
        Error::new(
            ErrorKind::Unsupported,
            "mappings and sequences as mapping keys are not supported",
        )
        .at(pos)
    }

    fn expecting_key(&self) -> bool {
        matches!(self.stack.last(), Some(Frame::Map { key: None, .. }))
    }

    fn open(&mut self, at: Pos) -> Result<()> {
        if self.expecting_key() {
            return Err(self.unsupported_key(at));
        }
        if self.stack.len() >= self.limits.max_depth {
            return Err(Error::new(
                ErrorKind::Limit,
                format!("nesting deeper than {} levels", self.limits.max_depth),
            )
            .at(at));
        }
        Ok(())
    }

    fn set_key(&mut self, key: Key) -> Result<()> {
        if let Some(Frame::Map { key: slot, .. }) = self.stack.last_mut() {
            *slot = Some(key);
        }
        Ok(())
    }

    fn complete(&mut self, node: Node, anchor: usize) -> Result<()> {
        if anchor > 0 {
            let size = node.size();
            self.anchors.insert(anchor, (node.clone(), size));
        }
        self.push_value(node)
    }

    /// The open collection's text goes at least to `end`.
    fn reach(&mut self, end: Pos) {
        if let Some(Frame::Seq { reach, .. } | Frame::Map { reach, .. }) = self.stack.last_mut() {
            *reach = Some(reach.map_or(end, |r| r.max(end)));
        }
    }

    fn push_value(&mut self, node: Node) -> Result<()> {
        let end = self.index.pos(node.span.end());
        self.reach(end);
        match self.stack.last_mut() {
            None => self.root = Some(node),
            Some(Frame::Seq { .. }) => self.open.push_item(node),
            Some(Frame::Map {
                map, key, merges, ..
            }) => {
                let Some(key) = key.take() else {
                    let at = self.index.pos(node.span.start());
                    return Err(Error::new(ErrorKind::Syntax, "mapping value without a key").at(at));
                };
                if key.is_merge {
                    let mergeable = match &node.value {
                        Value::Map(_) => true,
                        Value::List(items) => {
                            items.iter().all(|i| matches!(i.value, Value::Map(_)))
                        }
                        _ => false,
                    };
                    if !mergeable {
                        return Err(Error::new(
                            ErrorKind::Syntax,
                            "a merge key '<<' takes a mapping or a list of mappings",
                        )
                        // At the `<<` itself: an alias's value sits at its anchor, elsewhere.
                        .at(key.span.start));
                    }
                    merges.push(node);
                } else {
                    let member = Member {
                        key_span: key.span.into(),
                        value: node,
                    };
                    if let Err(repeated) = map.insert(&mut self.open, key.text.into(), member) {
                        let message = format!("duplicate key '{repeated}'");
                        return Err(Error::new(ErrorKind::DuplicateKey, message).at(key.span.start));
                    }
                }
            }
        }
        Ok(())
    }

    /// Flow collections end at their closing bracket; block collections end with their last child
    /// (the parser's end event for a block sits at the next token, possibly lines later).
    fn container_end(&mut self, start: Pos, end_event: Span, last_child: Option<Pos>) -> Pos {
        let bytes = self.text.as_bytes();
        // Past a tag or anchor before the bracket (`!GetAtt [a, b]`, `&x {a: 1}`).
        let mut open = start.at();
        while matches!(bytes.get(open), Some(b'!' | b'&')) {
            let token = self.text[open..].find([' ', '\t', '\r', '\n']);
            let Some(token) = token else { break };
            let rest = &self.text[open + token..];
            open += token + (rest.len() - rest.trim_start_matches([' ', '\t']).len());
        }
        let is_flow = matches!(bytes.get(open), Some(b'[' | b'{'));
        if is_flow && end_event.end.at() > start.at() {
            // Just past the closing bracket: the end event's own span may run on over the
            // line's end.
            let close = end_event.start.at();
            if matches!(bytes.get(close), Some(b']' | b'}')) {
                return self.index.pos(close + 1);
            }
            let end = self.text[..end_event.end.at()].trim_end().len();
            self.index.pos(end.max(start.at() + 1))
        } else {
            last_child.unwrap_or(start).max(start)
        }
    }

    /// A block scalar with no content lines (`run: |` and then the next key): saphyr places it at
    /// the token after it, often on the next key's line; it is just after its own `|` or `>`
    /// header, so that its line is the header's and an edit of it or of the next key stays on its
    /// own line. Blank and comment lines between are skipped.
    fn empty_block_span(&mut self, span: Span) -> Span {
        let text = self.text;
        let mut pos = span.start.at().min(text.len());
        // At the end of the text saphyr places it at its header.
        let token_len = text[pos..]
            .find([' ', '\t', '\r', '\n'])
            .unwrap_or(text.len() - pos);
        if token_len > 0 && is_block_header(&text[pos..pos + token_len]) {
            let at = self.index.pos(pos + token_len);
            return Span::new(at, at);
        }
        loop {
            let line_start = text[..pos].rfind('\n').map_or(0, |i| i + 1);
            let before = &text[line_start..pos];
            if code_of(before).trim_start().is_empty() {
                if line_start == 0 {
                    return span;
                }
                pos = line_start - 1;
                continue;
            }
            let Some(header) = block_header_in(before) else {
                return span;
            };
            let at = self.index.pos(line_start + header.end);
            return Span::new(at, at);
        }
    }

    /// Custom-tagged values become a one-key map `{"!Ref": value}` (the long form CloudFormation
    /// tools use), so that `!Ref x` and `!GetAtt x` are different values in the diff. The key's
    /// span is the tag's, the value's the text after it, so an edit of the value keeps the tag.
    fn wrap_custom_tag(&mut self, node: Node, tag: Option<String>) -> Node {
        let Some(tag) = tag else {
            return node;
        };
        let span = node.span;
        let end = span.end().min(self.text.len());
        let start = span.start().min(end);
        let mut key_span = span;
        let mut node = node;
        // Past the node's anchor, when it has one before the tag (`&k !Sub {x: 1}`).
        let token_len = |from: usize| {
            let body = &self.text[from..end];
            body.find([' ', '\t', '\r', '\n']).unwrap_or(body.len())
        };
        let mut tag_start = start;
        if self.text[start..end].starts_with('&') {
            let after = start + token_len(start);
            tag_start =
                after + (self.text[after..end].len() - self.text[after..end].trim_start().len());
        }
        if tag_start < end && self.text[tag_start..end].starts_with('!') {
            let token_end = tag_start + token_len(tag_start);
            let rest = &self.text[token_end..end];
            let value_start = token_end + (rest.len() - rest.trim_start().len());
            key_span = TextRange::new(tag_start, token_end);
            node.span = if value_start < end {
                TextRange::new(value_start, span.end())
            } else {
                TextRange::empty(token_end)
            };
        }
        let mut map = Map::default();
        map.insert(
            tag.into(),
            Member {
                key_span,
                value: node,
            },
        );
        Node::new(Value::Map(Box::new(map)), span)
    }

    /// saphyr runs a block scalar's span on through the next line's indentation, onto the line
    /// of the key after it; it ends at its last line break.
    fn block_scalar_span(&mut self, span: Span) -> Span {
        let end = span.end.at().min(self.text.len());
        let line_start = self.text[..end].rfind('\n').map_or(0, |i| i + 1);
        if line_start > span.start.at()
            && line_start < end
            && self.text[line_start..end]
                .trim_start_matches([' ', '\t'])
                .is_empty()
        {
            return Span::new(span.start, self.index.pos(line_start));
        }
        span
    }

    /// saphyr-parser 0.3.4 lets a quoted scalar's span run on through trailing blanks and a comment;
    /// find the closing quote ourselves so that edits never touch the comment.
    fn scalar_span(&mut self, span: Span, style: ScalarStyle) -> Span {
        let quote = match style {
            ScalarStyle::SingleQuoted => b'\'',
            ScalarStyle::DoubleQuoted => b'"',
            _ => return span,
        };
        let bytes = self.text.as_bytes();
        // The span starts at the node's properties when it has any (`!Sub "x"`, `&a 'x'`).
        let start = span.start.at().min(bytes.len());
        let Some(open) = bytes[start..].iter().position(|&b| b == quote) else {
            return span;
        };
        let mut i = start + open + 1;
        while i < bytes.len() {
            match bytes[i] {
                b'\\' if quote == b'"' => i += 2,
                b'\'' if quote == b'\'' && bytes.get(i + 1) == Some(&b'\'') => i += 2,
                b if b == quote => return Span::new(span.start, self.index.pos(i + 1)),
                _ => i += 1,
            }
        }
        span
    }
}

fn apply_merges(map: &mut Map, merges: Vec<Node>) {
    for source in merges {
        let sources = match source.value {
            Value::Map(m) => vec![m],
            Value::List(items) => items
                .into_iter()
                .filter_map(|n| match n.value {
                    Value::Map(m) => Some(m),
                    _ => None,
                })
                .collect(),
            _ => Vec::new(),
        };
        for merged in sources {
            for (k, member) in *merged {
                map.entry(k).or_insert(member);
            }
        }
    }
}

/// Whether `token` is a block scalar's header: `|` or `>`, with chomping and indentation
/// indicators.
pub(crate) fn is_block_header(token: &str) -> bool {
    token.starts_with(['|', '>'])
        && token[1..]
            .chars()
            .all(|c| matches!(c, '+' | '-' | '1'..='9'))
}

/// A line's text before its comment (a `#` at its start or after a blank), blanks after it
/// trimmed.
fn code_of(line: &str) -> &str {
    let comment = line
        .match_indices('#')
        .map(|(hash, _)| hash)
        .find(|&hash| hash == 0 || line[..hash].ends_with([' ', '\t']));
    line[..comment.unwrap_or(line.len())].trim_end()
}

/// Where in `line` a block scalar's header is, when the line's code ends with one (`run: |`,
/// `- >- # note`).
pub(crate) fn block_header_in(line: &str) -> Option<std::ops::Range<usize>> {
    let code = code_of(line);
    let token = code.rsplit([' ', '\t']).next().unwrap_or(code);
    is_block_header(token).then(|| code.len() - token.len()..code.len())
}

/// A tag outside the YAML core schema (`!Ref`, `!Sub`, `!vault`), which changes what the value means.
fn custom_tag(tag: Option<&Tag>) -> Option<String> {
    tag.filter(|t| !t.is_yaml_core_schema() && !is_non_specific(t))
        .map(|t| format!("{}{}", t.handle, t.suffix))
}

/// The non-specific tag `!` (YAML 1.2 §6.9.1): a scalar with it is a string, a collection is a
/// plain map or list.
fn is_non_specific(tag: &Tag) -> bool {
    // saphyr spells it as handle `!` with no suffix or the other way round, by version.
    matches!(
        (tag.handle.as_str(), tag.suffix.as_str()),
        ("!", "") | ("", "!")
    )
}

fn scalar_value(text: Cow<'_, str>, style: ScalarStyle, tag: Option<&Tag>) -> Result<Value> {
    if tag.is_some_and(is_non_specific) {
        return Ok(Value::String(text.into()));
    }
    if let Some(tag) = tag.filter(|t| t.is_yaml_core_schema()) {
        let bad = || {
            Error::new(
                ErrorKind::Syntax,
                format!("'{text}' is not a valid !!{}", tag.suffix),
            )
        };
        return match tag.suffix.as_str() {
            "str" => Ok(Value::String(text.into())),
            "int" => match resolve_plain(Cow::Borrowed(&text)) {
                v @ Value::Int(_) => Ok(v),
                v @ Value::Decimal(_) if is_int_syntax(&text) => Ok(v),
                Value::Float(f) if f.is_finite() && f.fract() == 0.0 && is_int_syntax(&text) => {
                    Ok(Value::Float(f))
                }
                _ => Err(bad()),
            },
            "float" => match resolve_plain(Cow::Borrowed(&text)) {
                Value::Int(i) => Ok(Value::Float(i as f64)),
                v @ (Value::Float(_) | Value::Decimal(_)) => Ok(v),
                _ => Err(bad()),
            },
            "bool" => match resolve_plain(Cow::Borrowed(&text)) {
                v @ Value::Bool(_) => Ok(v),
                _ => Err(bad()),
            },
            "null" => Ok(Value::Null),
            _ => Ok(plain_or_string(text, style)),
        };
    }
    Ok(plain_or_string(text, style))
}

fn plain_or_string(text: Cow<'_, str>, style: ScalarStyle) -> Value {
    if style == ScalarStyle::Plain {
        resolve_plain(text)
    } else {
        Value::String(text.into())
    }
}

fn is_int_syntax(s: &str) -> bool {
    let digits = s.strip_prefix(['-', '+']).unwrap_or(s);
    !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit())
}

/// The YAML 1.2 core schema: what a plain scalar means. `yes`/`no`/`on`/`off` stay strings, as in
/// YAML 1.2 (normalising them is a policy choice). One YAML 1.1 reading is kept: an integer with a
/// leading zero and only octal digits (`0644`) is octal, as kubectl, Helm, Argo CD, dyff (go-yaml)
/// and Ansible (PyYAML) read it. File modes are written so (`defaultMode: 0644` is 420 to the
/// cluster, and `kubectl get` shows 420); the core schema's decimal 644 would report every such
/// manifest as drifted from its live object.
pub(super) fn resolve_plain(text: Cow<'_, str>) -> Value {
    let s: &str = &text;
    // Most plain scalars are words: a letter that starts no null, boolean or number is a string.
    if s.as_bytes().first().is_some_and(|b| {
        b.is_ascii_alphabetic() && !matches!(b, b'n' | b'N' | b't' | b'T' | b'f' | b'F')
    }) {
        return Value::String(text.into());
    }
    match s {
        "" | "~" | "null" | "Null" | "NULL" => return Value::Null,
        "true" | "True" | "TRUE" => return Value::Bool(true),
        "false" | "False" | "FALSE" => return Value::Bool(false),
        ".inf" | ".Inf" | ".INF" | "+.inf" | "+.Inf" | "+.INF" => {
            return Value::Float(f64::INFINITY);
        }
        "-.inf" | "-.Inf" | "-.INF" => return Value::Float(f64::NEG_INFINITY),
        ".nan" | ".NaN" | ".NAN" => return Value::Float(f64::NAN),
        _ => {}
    }
    if is_int_syntax(s) {
        let (negative, digits) = match s.strip_prefix('-') {
            Some(digits) => (true, digits),
            None => (false, s.strip_prefix('+').unwrap_or(s)),
        };
        if digits.len() > 1
            && digits.starts_with('0')
            && digits.bytes().all(|b| (b'0'..=b'7').contains(&b))
            && let Some(v) = Value::integer_in_base(digits, 8, negative)
        {
            return v;
        }
        return Value::number(s, true);
    }
    if let Some(oct) = s
        .strip_prefix("0o")
        .filter(|d| !d.is_empty() && d.bytes().all(|b| (b'0'..=b'7').contains(&b)))
        && let Some(v) = Value::integer_in_base(oct, 8, false)
    {
        return v;
    }
    if let Some(hex) = s
        .strip_prefix("0x")
        .filter(|d| !d.is_empty() && d.bytes().all(|b| b.is_ascii_hexdigit()))
        && let Some(v) = Value::integer_in_base(hex, 16, false)
    {
        return v;
    }
    if is_float_syntax(s) {
        return Value::number(s, false);
    }
    Value::String(text.into())
}

/// `[-+]? ( \. [0-9]+ | [0-9]+ ( \. [0-9]* )? ) ( [eE] [-+]? [0-9]+ )?`
fn is_float_syntax(s: &str) -> bool {
    let b = s.strip_prefix(['-', '+']).unwrap_or(s).as_bytes();
    let mut i = 0;
    let int_digits = b.iter().take_while(|c| c.is_ascii_digit()).count();
    i += int_digits;
    let mut frac_digits = 0;
    if b.get(i) == Some(&b'.') {
        i += 1;
        frac_digits = b[i..].iter().take_while(|c| c.is_ascii_digit()).count();
        i += frac_digits;
    }
    if int_digits == 0 && frac_digits == 0 {
        return false;
    }
    if matches!(b.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(b.get(i), Some(b'+' | b'-')) {
            i += 1;
        }
        let exp = b[i..].iter().take_while(|c| c.is_ascii_digit()).count();
        if exp == 0 {
            return false;
        }
        i += exp;
    }
    i == b.len()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tree::Source;
    use serde_json::json;

    fn docs(text: &str) -> Vec<Node> {
        parse(text, Limits::default()).unwrap()
    }

    #[test]
    fn a_leading_zero_octal_integer_is_octal_as_yaml_1_1_readers_read_it() {
        let root = docs("a: 0644\nb: -010\nc: 0\nd: 089\ne: 00\nf: '0644'\ng: 0o644\nh: 0644.5\n")
            .remove(0);
        assert_eq!(
            root.value.to_json(),
            serde_json::json!({"a": 420, "b": -8, "c": 0, "d": 89, "e": 0, "f": "0644", "g": 420, "h": 644.5})
        );
    }

    #[test]
    fn core_schema_scalars() {
        let root = docs(
            "a: 5432\nb: \"5432\"\nc: 1.5\nd: true\ne: ~\nf: yes\ng: 0x1f\nh: !!str 12\ni: .nan\n",
        )
        .remove(0);
        let j = root.value.to_json();
        assert_eq!(
            j,
            serde_json::json!({"a": 5432, "b": "5432", "c": 1.5, "d": true, "e": null, "f": "yes", "g": 31, "h": "12", "i": ".nan"})
        );
    }

    /// The text each member's key and value spans cover, by pointer.
    fn covered(text: &str) -> Vec<(String, &str, &str)> {
        fn walk<'t>(
            text: &'t str,
            node: &Node,
            at: String,
            out: &mut Vec<(String, &'t str, &'t str)>,
        ) {
            match &node.value {
                Value::Map(map) => {
                    for (key, member) in map.iter() {
                        let here = format!("{at}/{key}");
                        out.push((
                            here.clone(),
                            &text[member.key_span.byte_range()],
                            &text[member.value.span.byte_range()],
                        ));
                        walk(text, &member.value, here, out);
                    }
                }
                Value::List(items) => {
                    for (i, item) in items.iter().enumerate() {
                        walk(text, item, format!("{at}/{i}"), out);
                    }
                }
                _ => {}
            }
        }
        let mut out = Vec::new();
        for doc in docs(text) {
            walk(text, &doc, String::new(), &mut out);
        }
        out
    }

    #[test]
    fn an_empty_block_scalar_is_just_after_its_header() {
        let text = "a:\n  run: |\n  if: x\n  b: >- # note\n\n  # c\n  c: 1\n  d: |+";
        let spans: Vec<_> = docs(text)[0]
            .pointer("/a")
            .map(|a| match &a.value {
                Value::Map(map) => map
                    .values()
                    .map(|m| {
                        let at = crate::span::Lines::of(text).pos(m.value.span.start());
                        (at.line, at.column, m.value.span.byte_range().len())
                    })
                    .collect(),
                _ => Vec::new(),
            })
            .unwrap();
        // `run` ends its own line (column 9, after `|`), not on `if`'s; so do `b` and `d`.
        assert_eq!(
            spans,
            [(2, 9, 0), (3, 7, 1), (4, 8, 0), (7, 6, 1), (8, 8, 0)]
        );
    }

    #[test]
    fn a_collection_ending_in_an_alias_ends_after_the_alias() {
        // The alias's value keeps its anchor's spans; the list's own text goes on to `*r`.
        let found = covered("p:\n  - &r 1\n  - *r\n");
        assert_eq!(found[0].2, "- &r 1\n  - *r");
        let text = "q: &q {b: 2}\nn:\n  c: 1\n  <<: *q\n";
        assert_eq!(covered(text)[2], ("/n".into(), "n", "c: 1\n  <<: *q"));
    }

    #[test]
    fn a_block_scalar_ends_at_its_last_line_break() {
        let found = covered("a:\n  run: |\n    cd x\n\n  if: x\n");
        assert_eq!(found[1], ("/a/run".into(), "run", "cd x\n\n"));
    }

    #[test]
    fn a_custom_tag_is_its_member_key_and_the_value_follows_it() {
        let found = covered("a: !REF x.y\nb: !GetAtt [r, arn]\nc: &k !Sub {x: 1}\n");
        let tagged: Vec<_> = found
            .iter()
            .filter(|(p, ..)| p.matches('/').count() == 2)
            .collect();
        assert_eq!(
            tagged,
            [
                &("/a/!REF".into(), "!REF", "x.y"),
                &("/b/!GetAtt".into(), "!GetAtt", "[r, arn]"),
                &("/c/!Sub".into(), "!Sub", "{x: 1}"),
            ]
        );
        assert_eq!(found[2].2, "!GetAtt [r, arn]");
    }

    #[test]
    fn a_quoted_scalar_after_a_tag_or_anchor_ends_at_its_closing_quote() {
        // The span starts at the tag or anchor: the quote looked for from there was the opening
        // one, and an edit of `!Sub "x"` left `"x` behind.
        let found = covered("a: !Sub \"x, y\" # c\nb: &k 'it''s' # d\nc: *k\n");
        assert_eq!(found[0], ("/a".into(), "a", "!Sub \"x, y\""));
        assert_eq!(found[1], ("/a/!Sub".into(), "!Sub", "\"x, y\""));
        assert_eq!(found[2], ("/b".into(), "b", "&k 'it''s'"));
    }

    #[test]
    fn an_empty_document_is_placed_just_after_its_own_separator() {
        let text = "a\n---\n--- # c\n--- b\n---";
        let lines = crate::span::Lines::of(text);
        let at = |d: &Node| {
            let at = lines.pos(d.span.start());
            (at.line, at.column, d.span.byte_range().len())
        };
        let found: Vec<_> = docs(text).iter().map(at).collect();
        assert_eq!(
            found,
            [(1, 1, 1), (2, 4, 0), (3, 4, 0), (4, 5, 1), (5, 4, 0)]
        );
    }

    #[test]
    fn spans_after_a_directive_with_non_ascii_text_are_at_their_offsets() {
        for text in [
            "%FOO \u{e9}\u{e9}\n--- a\n",
            "%FOO x # \u{e9}\n%BAR \u{e9}\n--- a\n--- a\n",
        ] {
            let found: Vec<usize> = docs(text).iter().map(|d| d.span.start()).collect();
            let want: Vec<usize> = text.match_indices('a').map(|(i, _)| i).collect();
            assert_eq!(found, want, "{text:?}");
        }
    }

    #[test]
    fn spans_point_at_keys_and_values_with_unicode() {
        let text = "héllo:\n  wörld: \"dq\"   # c1\n  n: 5\n";
        let root = docs(text).remove(0);
        let v = root.pointer("/héllo/wörld").unwrap();
        let at = crate::span::Lines::of(text).pos(v.span.start());
        assert_eq!((at.line, at.column), (2, 10));
        assert_eq!(&text[v.span.byte_range()], "\"dq\"");
        let Value::Map(inner) = &root.pointer("/héllo").unwrap().value else {
            panic!()
        };
        assert_eq!(&text[inner["n"].key_span.byte_range()], "n");
        let outer = root.pointer("/héllo").unwrap();
        assert_eq!(
            &text[outer.span.byte_range()],
            "wörld: \"dq\"   # c1\n  n: 5"
        );
    }

    #[test]
    fn multi_documents_anchors_and_merge_keys() {
        let text = "base: &b {x: 1, y: 2}\nuse:\n  <<: *b\n  y: 3\n---\n- *b\n";
        let d = docs(text);
        assert_eq!(d.len(), 2);
        assert_eq!(
            d[0].pointer("/use").unwrap().value.to_json(),
            serde_json::json!({"y": 3, "x": 1})
        );
        assert_eq!(d[1].value.to_json(), serde_json::json!([{"x": 1, "y": 2}]));
        assert!(docs("# only a comment\n").is_empty());
    }

    #[test]
    fn custom_tags_are_kept_as_one_key_maps() {
        let root = docs("a: !Ref Bucket\nb: !GetAtt Bucket\n").remove(0);
        assert_eq!(
            root.value.to_json(),
            serde_json::json!({"a": {"!Ref": "Bucket"}, "b": {"!GetAtt": "Bucket"}})
        );
    }

    #[test]
    fn the_non_specific_tag_makes_a_plain_string_or_collection() {
        let root = docs(
            "a: ! x
b: ! 12
c: ! {k: 1}
d: ! [1]
e: !!int 123456789012345678901234567890
",
        )
        .remove(0);
        assert_eq!(
            root.value.to_json(),
            serde_json::json!({"a": "x", "b": "12", "c": {"k": 1}, "d": [1], "e": "123456789012345678901234567890"})
        );
        assert!(matches!(
            root.pointer("/e").unwrap().value,
            Value::Decimal(_)
        ));
    }

    #[test]
    fn a_merge_of_a_scalar_is_reported_at_the_merge_key() {
        let text = "base: &b 3
x:\n  y: 1\n  <<: *b\n"
            .replace("\\n", "\n");
        let e = parse(&text, Limits::default()).unwrap_err();
        assert_eq!((e.line(), e.column()), (Some(4), Some(3)), "{e}");
        assert!(e.message.contains("'<<'"), "{e}");
    }

    #[test]
    fn a_flow_collection_may_close_at_its_keys_indentation_whatever_it_holds() {
        // JSON-style lists and maps in YAML (Compose `command`, CircleCI matrices): saphyr-parser
        // 0.3.4 refused the closing bracket after a quoted item or a nested collection, though
        // it took it after a plain one (patched in vendor/saphyr-parser).
        let cases = [
            (
                "args: [\n  \"--port\",\n  \"8080\"\n]\nnext: 1\n",
                json!({"args": ["--port", "8080"], "next": 1}),
            ),
            (
                "a:\n  env: {\n    \"A\": \"1\"\n  }\n",
                json!({"a": {"env": {"A": "1"}}}),
            ),
            (
                "k: [\n  [\"1\"],\n  {b: 2}\n]\n",
                json!({"k": [["1"], {"b": 2}]}),
            ),
            ("- k: [\n    'x' # c\n  ]\n", json!([{"k": ["x"]}])),
            ("k: [\n  x\n]\n", json!({"k": ["x"]})),
        ];
        for (text, expected) in cases {
            let read = crate::parse(&Source::new("f.yaml", text)).unwrap();
            assert_eq!(read.documents[0].to_json(), expected, "{text:?}");
        }
        // Content, and a bracket below the block it is in, must still be indented.
        for (text, line) in [
            ("k: [\n\"a\"\n]\n", 2),
            ("a:\n  k: [\"x\"\n]\n", 3),
            ("a:\n  k: {\"x\": 1\n }\n", 3),
        ] {
            let e = crate::parse(&Source::new("f.yaml", text)).unwrap_err();
            assert_eq!(
                (e.kind, e.line()),
                (ErrorKind::Syntax, Some(line)),
                "{text:?}: {e}"
            );
        }
    }

    #[test]
    fn hostile_and_broken_input_is_refused_with_a_position() {
        let mut bomb = String::from("a: &a [x, x, x, x, x, x, x, x, x]\n");
        for i in 1..10 {
            bomb.push_str(&format!(
                "{}: &{} [*{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}]\n",
                (b'a' + i) as char,
                (b'a' + i) as char,
                p = (b'a' + i - 1) as char
            ));
        }
        assert_eq!(
            parse(&bomb, Limits::default()).unwrap_err().kind,
            ErrorKind::Limit
        );
        let deep = format!("{}1{}", "[".repeat(10_000), "]".repeat(10_000));
        assert_eq!(
            parse(&deep, Limits::default()).unwrap_err().kind,
            ErrorKind::Limit
        );
        let e = parse("a: 1\na: 2\n", Limits::default()).unwrap_err();
        assert_eq!(
            (e.kind, e.line(), e.column()),
            (ErrorKind::DuplicateKey, Some(2), Some(1))
        );
        let e = parse("a: [1, 2\nb: 3\n", Limits::default()).unwrap_err();
        assert_eq!(e.kind, ErrorKind::Syntax);
        assert!(e.line().is_some());
        for text in ["a: [1", "a: [1\n", "x: 1\na: {b: 1\n\n"] {
            let e = parse(text, Limits::default()).unwrap_err();
            let at = text.find(['[', '{']).unwrap();
            assert_eq!(e.pos.map(Pos::at), Some(at), "{text:?}: {e}");
            assert!(e.message.contains("is never closed"), "{e}");
        }
        assert_eq!(
            parse("? [a]\n: 1\n", Limits::default()).unwrap_err().kind,
            ErrorKind::Unsupported
        );
    }
}
