//! Network device configurations: Cisco IOS / IOS-XE / NX-OS and Arista EOS (indented command
//! hierarchies), Juniper Junos (curly braces, or `set` lines). Lines are keyed by their command
//! words ([`crate::device`] holds the tables), so drift reads as an engineer would say it:
//!
//! - a section (a line with lines indented under it, `interface Gi0/1`, `router bgp 65000`) is a
//!   map named by its whole line;
//! - a keyed command (`hostname r1`, `ip address 10.0.0.1 255.255.255.0`, `neighbor 10.0.0.2
//!   remote-as 65001`) is its key words with the rest of the line as the value; said twice in one
//!   section, its values form a list in file order;
//! - a set command (`ntp server A`, `logging host B`) is a map from each line's arguments;
//! - an ordered command or section (`access-list 101 ...`, the entries of `ip access-list
//!   extended WEB`, `ip prefix-list`) is a list, because there order changes behaviour;
//! - any other line is a key of its own, `true`, or `false` when it starts with `no` (`no
//!   shutdown` is `shutdown: false`).
//!
//! Junos, braces or `set` lines, reads into one tree of words (`system` → `host-name` = `r1`), so a
//! brace file compares with a set file. Captured-output noise (`Building configuration...`, the
//! `show running-config` echo, a trailing prompt, the final `end`) is dropped; banners are one
//! multi-line value.

use super::{Line, lines};
use crate::device::{INACTIVE, Keyed, Table, is_ordered_section, junos_keyword};
use crate::error::{Error, ErrorKind, Result};
use crate::span::LineIndex;
use crate::tree::{Key, Map, Member, Node, Value};

/// A word of a line with its byte range in the text.
#[derive(Clone, Debug)]
struct Word {
    text: String,
    start: usize,
    end: usize,
}

/// One line of an indented configuration, with the lines indented under it.
struct Block {
    /// Byte range of the line's text (indentation and line break excluded).
    start: usize,
    end: usize,
    /// End of the last line under it.
    last: usize,
    words: Vec<Word>,
    children: Vec<Block>,
    /// For a banner: the byte range of its text between the delimiters.
    banner: Option<(usize, usize)>,
}

fn syntax(index: &mut LineIndex<'_>, at: usize, message: impl Into<String>) -> Error {
    Error::new(ErrorKind::Syntax, message).at(index.pos(at))
}

fn words_of(line: &str, offset: usize) -> Vec<Word> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in line.char_indices().chain([(line.len(), ' ')]) {
        match (c.is_whitespace(), start) {
            (false, None) => start = Some(i),
            (true, Some(s)) => {
                out.push(Word {
                    text: line[s..i].to_string(),
                    start: offset + s,
                    end: offset + i,
                });
                start = None;
            }
            _ => {}
        }
    }
    out
}

/// Captured-output noise before the configuration: the command echo, IOS's preamble.
fn is_preamble(line: &str) -> bool {
    let t = line.trim();
    t.is_empty()
        || t.starts_with("Building configuration")
        || t.starts_with("Current configuration")
        || t.contains("show run")
        || t.contains("show startup")
        || is_prompt(t)
}

/// Which of `all` the lines a capture ends with begin at: blank lines, a bare prompt, and the
/// final `end` at the margin (only that one, not every one), none of them configuration.
fn epilogue(all: &[Line<'_>]) -> usize {
    let mut last = all.len();
    while last > 0 {
        let t = all[last - 1].text.trim();
        if t.is_empty() || is_prompt(t) || (t == "end" && !all[last - 1].text.starts_with(' ')) {
            last -= 1;
            if t == "end" {
                break;
            }
        } else {
            break;
        }
    }
    last
}

/// Where the lines a capture ends with begin in `text` (see [`epilogue`]): the text's end when
/// there are none. A line added at the top of the configuration goes before them.
pub(crate) fn epilogue_start(text: &str) -> usize {
    let all = lines(text);
    all.get(epilogue(&all)).map_or(text.len(), |l| l.start)
}

/// A bare device prompt (`router1#`, `switch>`), as a capture ends with.
fn is_prompt(t: &str) -> bool {
    t.len() > 1
        && (t.ends_with('#') || t.ends_with('>'))
        && !t.contains(char::is_whitespace)
        && !t.starts_with('!')
}

/// Reads an IOS or EOS configuration.
pub(super) fn parse_ios(text: &str, table: Table<'_>) -> Result<Vec<Node>> {
    let mut index = LineIndex::new(text);
    if let Some(at) =
        text.find(|c: char| c == '\0' || (c.is_control() && !"\t\r\n\x03".contains(c)))
    {
        return Err(syntax(
            &mut index,
            at,
            "a control character: this looks like a binary capture, not a configuration",
        ));
    }
    let blocks = configuration_blocks(text, &mut index)?;
    let root = section(&blocks, false, &mut index, text, table)?;
    let span = crate::span::TextRange::new(0usize, text.len());
    Ok(vec![Node::new(root, span)])
}

/// The configuration's lines as blocks, the capture's preamble and epilogue left out.
fn configuration_blocks(text: &str, index: &mut LineIndex<'_>) -> Result<Vec<Block>> {
    let all = lines(text);
    let mut first = 0;
    while first < all.len() && is_preamble(all[first].text) {
        first += 1;
    }
    let last = epilogue(&all).max(first);
    blocks(&all[first..last], text, index)
}

/// Every block of an IOS or EOS configuration headed by the same words as the section whose
/// header starts at `header`, among that section's siblings, as (where its header starts, where
/// its last line ends): a section given more than once (a paste, a capture) is read as one, and
/// removing it takes each block. Empty when the text does not read.
pub(crate) fn section_blocks(text: &str, header: usize) -> Vec<(usize, usize)> {
    fn words(b: &Block) -> Vec<&str> {
        b.words.iter().map(|w| w.text.as_str()).collect()
    }
    /// The sections among `siblings` headed by `key`.
    fn sections<'b>(siblings: &[&'b Block], key: &[&str]) -> Vec<&'b Block> {
        siblings
            .iter()
            .copied()
            .filter(|b| b.banner.is_none() && !b.children.is_empty() && words(b) == key)
            .collect()
    }
    // A section's children are pooled with those of its other blocks, as the reader merges them.
    fn among(siblings: &[&Block], header: usize) -> Option<Vec<(usize, usize)>> {
        if let Some(section) = siblings.iter().find(|b| b.start == header) {
            let key = words(section);
            return Some(
                sections(siblings, &key)
                    .iter()
                    .map(|b| (b.start, b.last))
                    .collect(),
            );
        }
        siblings.iter().enumerate().find_map(|(i, b)| {
            let key = words(b);
            // Each group of blocks once, at its first.
            if siblings.iter().position(|o| words(o) == key) != Some(i) {
                return None;
            }
            let pooled: Vec<&Block> = sections(siblings, &key)
                .into_iter()
                .flat_map(|b| &b.children)
                .collect();
            among(&pooled, header)
        })
    }
    let mut index = LineIndex::new(text);
    configuration_blocks(text, &mut index)
        .ok()
        .and_then(|blocks| among(&blocks.iter().collect::<Vec<_>>(), header))
        .unwrap_or_default()
}

/// The lines as a hierarchy by indentation; `exit` lines close their section.
fn blocks(all: &[Line<'_>], text: &str, index: &mut LineIndex<'_>) -> Result<Vec<Block>> {
    // Open blocks with their indentation and the indentation of their first child.
    let mut stack: Vec<(usize, Option<usize>, Block)> = Vec::new();
    let mut top: Vec<Block> = Vec::new();
    let close = |stack: &mut Vec<(usize, Option<usize>, Block)>, top: &mut Vec<Block>| {
        if let Some((_, _, block)) = stack.pop() {
            match stack.last_mut() {
                Some((_, _, parent)) => {
                    parent.last = parent.last.max(block.last);
                    parent.children.push(block);
                }
                None => top.push(block),
            }
        }
    };
    let mut i = 0;
    while i < all.len() {
        let Line { start, text: line } = all[i];
        i += 1;
        let body = line.trim_start_matches(' ');
        if body.trim().is_empty() || body.starts_with('!') {
            continue;
        }
        if body.starts_with('\t') {
            return Err(syntax(
                index,
                start + line.len() - body.len(),
                "a tab in the indentation: device configurations are indented with spaces",
            ));
        }
        let indent = line.len() - body.len();
        let body = body.trim_end();
        let offset = start + indent;
        if body == "exit" || body.starts_with("exit-") {
            // Closes the section it ends: the one it is indented under, or the one at its own
            // indentation (`exit-address-family` lines up with `address-family`).
            let mut ended = false;
            while let Some((d, _, block)) = stack.last() {
                if *d < indent {
                    break;
                }
                ended = *d == indent && !block.children.is_empty();
                close(&mut stack, &mut top);
            }
            if !ended {
                close(&mut stack, &mut top);
            }
            continue;
        }
        while stack.last().is_some_and(|(d, _, _)| *d >= indent) {
            close(&mut stack, &mut top);
        }
        match stack.last_mut() {
            Some((_, child, parent)) => match child {
                None => *child = Some(indent),
                Some(expected) if *expected != indent => {
                    let header = text[parent.start..parent.end].to_string();
                    return Err(syntax(
                        index,
                        offset,
                        format!(
                            "inconsistent indentation: this line is indented {indent} space(s), the lines above it under '{header}' {expected}"
                        ),
                    ));
                }
                Some(_) => {}
            },
            None if indent > 0 && !top.is_empty() => {
                return Err(syntax(
                    index,
                    offset,
                    format!(
                        "inconsistent indentation: this line is indented {indent} space(s) with no section above it"
                    ),
                ));
            }
            None => {}
        }
        let words = words_of(body, offset);
        let mut block = Block {
            start: offset,
            end: offset + body.len(),
            last: offset + body.len(),
            words,
            children: Vec::new(),
            banner: None,
        };
        if block.words[0].text == "banner" && block.words.len() >= 2 {
            i = banner(&mut block, all, i, text, index)?;
        }
        stack.push((indent, None, block));
    }
    while !stack.is_empty() {
        close(&mut stack, &mut top);
    }
    Ok(top)
}

/// Reads a banner's text: `banner motd ^C ... ^C` with any delimiter (IOS), or `banner motd`
/// followed by lines up to `EOF` (EOS). Returns the index of the line after it.
fn banner(
    block: &mut Block,
    all: &[Line<'_>],
    next: usize,
    text: &str,
    index: &mut LineIndex<'_>,
) -> Result<usize> {
    let kind = &block.words[1];
    let after = kind.end;
    let rest = &text[after..block.end];
    let rest_trimmed = rest.trim_start();
    if rest_trimmed.is_empty() {
        // EOS: the text runs to a line `EOF`.
        let body_start = all.get(next).map_or(text.len(), |l| l.start);
        for (j, &Line { start, text: line }) in all.iter().enumerate().skip(next) {
            if line.trim() == "EOF" {
                block.banner = Some((body_start, start.saturating_sub(1).max(body_start)));
                block.last = start + line.len();
                block.words.truncate(2);
                return Ok(j + 1);
            }
        }
        return Err(syntax(
            index,
            block.start,
            "unterminated banner: no line 'EOF' ends it",
        ));
    }
    let open = after + (rest.len() - rest_trimmed.len());
    // `^C` is how IOS shows the control character it uses; any other character delimits too.
    let delimiter = if rest_trimmed.starts_with("^C") {
        "^C"
    } else {
        &rest_trimmed[..rest_trimmed.chars().next().map_or(1, char::len_utf8)]
    };
    let body_start = open + delimiter.len();
    match text[body_start..].find(delimiter) {
        Some(end) => {
            let close = body_start + end;
            block.banner = Some((body_start, close));
            // The banner's own line ends after its closing delimiter.
            let line_end = text[close..].find('\n').map_or(text.len(), |n| close + n);
            block.last = line_end;
            block.end = block.end.max(close + delimiter.len()).min(line_end);
            block.words.truncate(2);
            // Go on after the line the banner closes on.
            Ok(all
                .iter()
                .position(|l| l.start <= close && close <= l.start + l.text.len())
                .map_or(all.len(), |j| j + 1))
        }
        None => Err(syntax(
            index,
            open,
            format!("unterminated banner: no closing '{delimiter}'"),
        )),
    }
}

fn joined(words: &[Word]) -> String {
    words
        .iter()
        .map(|w| w.text.as_str())
        .collect::<Vec<_>>()
        .join(" ")
}

/// The tree of a section's lines.
fn section(
    blocks: &[Block],
    ordered: bool,
    index: &mut LineIndex<'_>,
    text: &str,
    table: Table<'_>,
) -> Result<Value> {
    if ordered {
        let items = blocks
            .iter()
            .map(|b| {
                Node::new(
                    Value::String(text[b.start..b.last].trim_end().into()),
                    index.span(b.start, b.last),
                )
            })
            .collect();
        return Ok(Value::list(items));
    }
    let mut map = Map::default();
    for b in blocks {
        let words = &b.words;
        let line_span = index.span(b.start, b.end);
        if let Some((from, to)) = b.banner {
            let key = joined(&words[..2]);
            let value = Node::new(Value::String(text[from..to].into()), index.span(from, to));
            put_single(
                &mut map,
                key,
                index.span(words[0].start, words[1].end),
                value,
            );
            // Indented lines after a banner belong to no section of it: read as lines of this
            // level, not dropped unseen.
            if !b.children.is_empty()
                && let Value::Map(more) = section(&b.children, false, index, text, table)?
            {
                for (key, member) in more.into_iter() {
                    map.entry(key).or_insert(member);
                }
            }
            continue;
        }
        if !b.children.is_empty() {
            let key = joined(words);
            let value = section(&b.children, is_ordered_section(&key), index, text, table)?;
            let node = Node::new(value, index.span(b.start, b.last));
            match map.get_mut(key.as_str()) {
                // The same section twice (a paste, a capture): one section, its span reaching
                // the later block.
                Some(Member { value: had, .. })
                    if matches!(
                        (&had.value, &node.value),
                        (Value::Map(_), Value::Map(_)) | (Value::List(_), Value::List(_))
                    ) =>
                {
                    had.span = crate::span::TextRange::new(had.span.start(), node.span.end());
                    match (&mut had.value, node.value) {
                        (Value::Map(existing), Value::Map(more)) => merge_section(existing, *more),
                        (Value::List(existing), Value::List(more)) => existing.extend(*more),
                        _ => {}
                    }
                }
                _ => {
                    map.insert(
                        key.into(),
                        Member {
                            key_span: line_span.into(),
                            value: node,
                        },
                    );
                }
            }
            continue;
        }
        let all: Vec<&str> = words.iter().map(|w| w.text.as_str()).collect();
        match table.command_key(&all) {
            Some((n, keyed)) if n < words.len() || keyed == Keyed::Single => {
                let key = joined(&words[..n]);
                let key_span = index.span(words[0].start, words[n - 1].end);
                let (value, span) = match words.get(n) {
                    Some(w) => (
                        Value::String(text[w.start..b.end].into()),
                        index.span(w.start, b.end),
                    ),
                    None => (Value::Null, key_span),
                };
                let node = Node::new(value, span);
                match keyed {
                    Keyed::Single => put_single(&mut map, key, key_span, node),
                    Keyed::Set => put_in_set(&mut map, key, key_span, node, line_span),
                    Keyed::Ordered => put_in_list(&mut map, key, key_span, node),
                }
            }
            _ => {
                // A line of its own: `true`, or `false` when it says `no` (`no shutdown` is
                // `shutdown: false`, so shutting an interface down is one changed value).
                let (key, on) = match words.split_first() {
                    Some((no, rest)) if no.text == "no" && !rest.is_empty() => {
                        (joined(rest), false)
                    }
                    _ => (joined(words), true),
                };
                // A set command said bare as well as with arguments: the bare saying is the
                // set's entry with no arguments, not lost in the set's span.
                if on
                    && let Some(Member {
                        value:
                            Node {
                                value: Value::Map(set),
                                span,
                            },
                        ..
                    }) = map.get_mut(key.as_str())
                    && matches!(table.command_key(&all), Some((_, Keyed::Set)))
                {
                    *span = crate::span::TextRange::new(
                        span.start(),
                        span.end().max(line_span.end.at()),
                    );
                    set.entry(Key::default())
                        .and_modify(|m| {
                            m.value.span =
                                crate::span::TextRange::new(m.value.span.start(), line_span.end);
                        })
                        .or_insert(Member {
                            key_span: line_span.into(),
                            value: Node::new(Value::Null, line_span),
                        });
                    continue;
                }
                // Said again, the line's span reaches its last saying, so an edit of it takes
                // every one (or, with other lines between, is refused).
                map.entry(key.into())
                    .and_modify(|m| {
                        m.value.span =
                            crate::span::TextRange::new(m.value.span.start(), line_span.end);
                    })
                    .or_insert(Member {
                        key_span: line_span.into(),
                        value: Node::new(Value::Bool(on), line_span),
                    });
            }
        }
    }
    Ok(Value::Map(Box::new(map)))
}

/// A section's block given again: its lines join the section's as if written in the first block.
/// A section inside both is merged the same way; a line in both is said again (its span reaching
/// the later one), a command with a value in each is a list of both (even the same twice: its
/// span would take the lines between), and a section and a line of the same words are the
/// section, as within a block.
fn merge_section(into: &mut Map, more: Map) {
    for (key, member) in more {
        let Some(had) = into.get_mut(key.as_str()) else {
            into.insert(key, member);
            continue;
        };
        let span = crate::span::TextRange::new(had.value.span.start(), member.value.span.end());
        let later = member.value;
        match (&mut had.value.value, later.value) {
            (Value::Map(a), Value::Map(b)) => merge_section(a, *b),
            // A section and a line of the same words, as within one block: the section stands.
            (Value::Map(_), _) => {}
            (a, b @ Value::Map(_)) => *a = b,
            // A line of its own said again (`no` or not), or a set's entry, keeps its first
            // saying, as within a block; its span reaches the later one.
            (Value::Bool(_), Value::Bool(_)) | (Value::Null, Value::Null) => {}
            (Value::List(items), Value::List(more)) => items.extend(*more),
            (Value::List(items), b) => items.push(Node::new(b, later.span)),
            (a, b) => {
                let first = Node::new(std::mem::replace(a, Value::Null), had.value.span);
                let rest = match b {
                    Value::List(more) => *more,
                    b => vec![Node::new(b, later.span)],
                };
                *a = Value::list(std::iter::once(first).chain(rest).collect());
            }
        }
        had.value.span = span;
    }
}

/// A keyed command: its value, or (said again) a list of its values.
fn put_single(map: &mut Map, key: String, key_span: crate::span::Span, node: Node) {
    match map.get_mut(key.as_str()) {
        Some(member) => {
            let span = crate::span::TextRange::new(member.value.span.start(), node.span.end());
            match &mut member.value.value {
                Value::List(items) => items.push(node),
                other => {
                    let first = Node::new(std::mem::replace(other, Value::Null), member.value.span);
                    *other = Value::list(vec![first, node]);
                }
            }
            member.value.span = span;
        }
        None => {
            map.insert(
                key.into(),
                Member {
                    key_span: key_span.into(),
                    value: node,
                },
            );
        }
    }
}

/// A set command: its arguments are a key of the command's map.
fn put_in_set(
    map: &mut Map,
    key: String,
    key_span: crate::span::Span,
    node: Node,
    line_span: crate::span::Span,
) {
    let Value::String(args) = node.value else {
        return;
    };
    let member = map.entry(key.into()).or_insert_with(|| Member {
        key_span: key_span.into(),
        value: Node::new(Value::Map(Box::default()), line_span),
    });
    member.value.span = crate::span::TextRange::new(member.value.span.start(), line_span.end);
    if let Value::Bool(true) = member.value.value {
        // Said bare before (a line of its own): that saying is the entry with no arguments.
        let bare = Member {
            key_span: member.key_span,
            value: Node::new(Value::Null, member.key_span),
        };
        member.value.value = Value::Map(Box::new([(Key::default(), bare)].into_iter().collect()));
    }
    if let Value::Map(set) = &mut member.value.value {
        set.entry(args)
            .and_modify(|m| {
                m.value.span = crate::span::TextRange::new(m.value.span.start(), node.span.end());
            })
            .or_insert(Member {
                key_span: node.span,
                value: Node::new(Value::Null, node.span),
            });
    }
}

/// An ordered command: its arguments are the next item of the command's list.
fn put_in_list(map: &mut Map, key: String, key_span: crate::span::Span, node: Node) {
    let member = map.entry(key.into()).or_insert_with(|| Member {
        key_span: key_span.into(),
        value: Node::new(Value::list(Vec::new()), node.span),
    });
    member.value.span = crate::span::TextRange::new(member.value.span.start(), node.span.end());
    if let Value::List(items) = &mut member.value.value {
        items.push(node);
    }
}

/// Reads Junos in curly-brace form.
pub(super) fn parse_junos(text: &str) -> Result<Vec<Node>> {
    let mut index = LineIndex::new(text);
    let mut statements: Vec<Vec<Word>> = Vec::new();
    // The open containers: their words, where their `{` is, and how many statements came
    // before it.
    let mut open: Vec<(Vec<Word>, usize, usize)> = Vec::new();
    let mut current: Vec<Word> = Vec::new();
    let mut list: Option<(Vec<Word>, usize)> = None;
    let bytes = text.as_bytes();
    let mut i = 0;
    let prefix = |open: &[(Vec<Word>, usize, usize)]| -> Vec<Word> {
        open.iter()
            .flat_map(|(w, _, _)| w.iter().cloned())
            .collect()
    };
    while i < bytes.len() {
        let c = bytes[i];
        match c {
            b' ' | b'\t' | b'\r' | b'\n' => i += 1,
            b'#' => {
                i = text[i..].find('\n').map_or(text.len(), |n| i + n);
            }
            b'/' if bytes.get(i + 1) == Some(&b'*') => match text[i + 2..].find("*/") {
                Some(n) => i = i + 2 + n + 2,
                None => return Err(syntax(&mut index, i, "unterminated comment: no closing */")),
            },
            b'{' => {
                if current.is_empty() {
                    return Err(syntax(&mut index, i, "'{' with no name before it"));
                }
                open.push((std::mem::take(&mut current), i, statements.len()));
                i += 1;
            }
            b'}' => {
                if !current.is_empty() {
                    return Err(syntax(
                        &mut index,
                        i,
                        format!("missing ';' after '{}'", joined(&current)),
                    ));
                }
                let Some((words, _, before)) = open.pop() else {
                    return Err(syntax(&mut index, i, "'}' with no '{' open"));
                };
                // An empty container still exists.
                if statements.len() == before {
                    let mut path = prefix(&open);
                    path.extend(words);
                    statements.push(path);
                }
                i += 1;
            }
            b';' => {
                if list.is_some() {
                    return Err(syntax(&mut index, i, "missing ']' before ';'"));
                }
                if !current.is_empty() {
                    let mut path = prefix(&open);
                    path.append(&mut current);
                    statements.push(path);
                }
                i += 1;
            }
            b'[' => {
                list = Some((std::mem::take(&mut current), i));
                i += 1;
            }
            b']' => {
                let Some((head, _)) = list.take() else {
                    return Err(syntax(&mut index, i, "']' with no '[' open"));
                };
                // `members [ a b ];` is `members a; members b;`.
                let items = std::mem::take(&mut current);
                for item in items {
                    let mut path = prefix(&open);
                    path.extend(head.iter().cloned());
                    path.push(item);
                    statements.push(path);
                }
                i += 1;
            }
            _ => {
                // Any other blank (a vertical tab, a no-break space) separates words too: a
                // word stops at it, so reading one there would read nothing, forever.
                if let Some(blank) = blank_at(text, i) {
                    i += blank;
                    continue;
                }
                let (word, next) = junos_word(text, i, &mut index)?;
                i = next;
                // `inactive: x` and `protect: x` mark the statement after them.
                if let Some(mark) = current.last()
                    && (mark.text == "inactive:" || mark.text == "protect:")
                {
                    let mark = current.pop().unwrap_or(word.clone());
                    current.push(Word {
                        text: format!("{} {}", mark.text, word.text),
                        start: mark.start,
                        end: word.end,
                    });
                } else {
                    current.push(word);
                }
            }
        }
    }
    if let Some((_, at)) = list {
        return Err(syntax(&mut index, at, "unclosed '[': no ']' ends it"));
    }
    if let Some((words, at, _)) = open.last() {
        return Err(syntax(
            &mut index,
            *at,
            format!("unclosed '{{' after '{}': no '}}' ends it", joined(words)),
        ));
    }
    if !current.is_empty() {
        return Err(syntax(
            &mut index,
            current[0].start,
            format!("missing ';' after '{}'", joined(&current)),
        ));
    }
    Ok(vec![word_tree(&statements, text, &mut index)])
}

trait StartsWithWords {
    fn starts_with_words(&self, prefix: &[Word]) -> bool;
}

impl StartsWithWords for Vec<Word> {
    fn starts_with_words(&self, prefix: &[Word]) -> bool {
        self.len() >= prefix.len() && self.iter().zip(prefix).all(|(a, b)| a.text == b.text)
    }
}

/// The length of the blank at `i` (any whitespace character, where a word stops), stepped over
/// whole so that `i` stays on a character boundary.
fn blank_at(text: &str, i: usize) -> Option<usize> {
    text[i..]
        .chars()
        .next()
        .filter(|c| c.is_whitespace())
        .map(char::len_utf8)
}

/// One word at `i`: plain up to a blank or one of `{};[]`, or a double-quoted string (its text
/// without the quotes).
fn junos_word(text: &str, i: usize, index: &mut LineIndex<'_>) -> Result<(Word, usize)> {
    let bytes = text.as_bytes();
    if bytes[i] == b'"' {
        let mut out = String::new();
        let mut j = i + 1;
        while j < bytes.len() {
            match bytes[j] {
                b'"' => {
                    return Ok((
                        Word {
                            text: out,
                            start: i,
                            end: j + 1,
                        },
                        j + 1,
                    ));
                }
                b'\\' if j + 1 < bytes.len() => {
                    let c = text[j + 1..].chars().next().unwrap_or('\\');
                    out.push(c);
                    j += 1 + c.len_utf8();
                }
                _ => {
                    let c = text[j..].chars().next().unwrap_or(' ');
                    out.push(c);
                    j += c.len_utf8();
                }
            }
        }
        return Err(syntax(index, i, "unterminated string: no closing '\"'"));
    }
    let end = text[i..]
        .find(|c: char| c.is_whitespace() || "{};[]".contains(c))
        .map_or(text.len(), |n| i + n);
    Ok((
        Word {
            text: text[i..end].to_string(),
            start: i,
            end,
        },
        end,
    ))
}

/// Reads Junos `set` lines (`show configuration | display set`); `deactivate` lines mark a
/// statement inactive, as `inactive:` does in brace form.
pub(super) fn parse_junos_set(text: &str) -> Result<Vec<Node>> {
    let mut index = LineIndex::new(text);
    let mut statements: Vec<Vec<Word>> = Vec::new();
    let mut inactive: Vec<Vec<Word>> = Vec::new();
    for Line { start, text: line } in lines(text) {
        let body = line.trim();
        if body.is_empty() || body.starts_with('#') || body.starts_with("/*") {
            continue;
        }
        let offset = start + (line.len() - line.trim_start().len());
        let mut words = Vec::new();
        let mut i = offset;
        let end = start + line.len();
        while i < end {
            // Any blank, a no-break space or an em space as much as a space.
            if let Some(blank) = blank_at(text, i) {
                i += blank;
                continue;
            }
            let (word, next) = junos_word(&text[..end], i, &mut index)?;
            words.push(word);
            i = next.max(i + 1);
        }
        let verb = words.remove(0);
        match verb.text.as_str() {
            "set" if !words.is_empty() => statements.push(words),
            "deactivate" if !words.is_empty() => inactive.push(words),
            "set" | "deactivate" => {
                return Err(syntax(
                    &mut index,
                    verb.start,
                    format!("'{}' with nothing after it", verb.text),
                ));
            }
            other => {
                return Err(syntax(
                    &mut index,
                    verb.start,
                    format!("expected a 'set' line, found '{other}'"),
                ));
            }
        }
    }
    // `deactivate a b` marks the word `b` under `a` as in `inactive: b`.
    for path in &inactive {
        for statement in &mut statements {
            if statement.starts_with_words(path) {
                let w = &mut statement[path.len() - 1];
                w.text = format!("inactive: {}", w.text);
            }
        }
    }
    Ok(vec![word_tree(&statements, text, &mut index)])
}

/// The tree of Junos statements: a map per word, except that a value keyword (`host-name`,
/// `description`) holds the rest of its statement as text, and a set keyword (`address`,
/// `members`) a map of its values.
fn word_tree(statements: &[Vec<Word>], text: &str, index: &mut LineIndex<'_>) -> Node {
    let mut root = Node::new(Value::Map(Box::default()), index.span(0, text.len()));
    for words in statements {
        insert_words(&mut root, words, index);
    }
    root
}

fn insert_words(node: &mut Node, words: &[Word], index: &mut LineIndex<'_>) {
    let Some((first, rest)) = words.split_first() else {
        return;
    };
    let end = words.last().map_or(first.end, |w| w.end);
    if !matches!(node.value, Value::Map(_)) {
        node.value = Value::Map(Box::default());
    }
    if node.span.end() < end {
        node.span = index.span(node.span.start(), end).into();
    }
    let Value::Map(map) = &mut node.value else {
        return;
    };
    let key_span = index.span(first.start, first.end);
    let keyword = junos_keyword(first.text.trim_start_matches("inactive: "));
    // An inactive container is itself with `inactive: true` inside, so deactivating one is one
    // finding, not a removed and an added subtree.
    let inactive_container = first.text.starts_with("inactive: ") && keyword.is_none();
    match keyword {
        _ if inactive_container => {
            let name = first.text["inactive: ".len()..].to_string();
            let member = map.entry(name.into()).or_insert_with(|| Member {
                key_span: key_span.into(),
                value: Node::new(Value::Null, index.span(first.start, end)),
            });
            insert_words(&mut member.value, rest, index);
            if !matches!(member.value.value, Value::Map(_)) {
                member.value.value = Value::Map(Box::default());
            }
            if let Value::Map(inner) = &mut member.value.value {
                inner.insert(
                    INACTIVE.into(),
                    Member {
                        key_span: key_span.into(),
                        value: Node::new(Value::Bool(true), key_span),
                    },
                );
            }
        }
        Some(Keyed::Single) if !rest.is_empty() => {
            let value = Node::new(
                Value::String(joined(rest).into()),
                index.span(rest[0].start, end),
            );
            put_single(map, first.text.clone(), key_span, value);
        }
        Some(Keyed::Set | Keyed::Ordered) if !rest.is_empty() => {
            let value = Node::new(
                Value::String(joined(rest).into()),
                index.span(rest[0].start, end),
            );
            let line = index.span(first.start, end);
            put_in_set(map, first.text.clone(), key_span, value, line);
        }
        _ => {
            let member = map
                .entry(first.text.as_str().into())
                .or_insert_with(|| Member {
                    key_span: key_span.into(),
                    value: Node::new(Value::Null, index.span(first.start, end)),
                });
            insert_words(&mut member.value, rest, index);
        }
    }
}

#[cfg(test)]
#[path = "device_tests.rs"]
mod tests;
