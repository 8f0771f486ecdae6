//! Line-oriented formats: INI, `.env` and Java `.properties`. Each reads into a map of strings
//! (INI: sections as maps, keys before the first section at the top), every key and value with
//! its span. Values stay text, as these formats have no types. An INI key given more than once in
//! a section (php.ini's `extension=`, git's `fetch =`, Jetty's `--module=`) is a list of its
//! values in their order; any other key given twice (and an INI section) is an error at the
//! second one, because one of the two values would silently hide.

use super::lines;
use crate::error::{Error, ErrorKind, Result};
use crate::map::Entry;
use crate::span::{LineIndex, TextRange};
use crate::tree::{Map, Member, Node, Value};

/// Builds a map, refusing a second entry for a key unless `repeats` gathers them into a list.
struct Builder<'t> {
    index: LineIndex<'t>,
    what: &'static str,
    repeats: bool,
}

impl Builder<'_> {
    fn error(&mut self, at: usize, message: impl Into<String>) -> Error {
        Error::new(ErrorKind::Syntax, message).at(self.index.pos(at))
    }

    fn insert(
        &mut self,
        map: &mut Map,
        key: String,
        key_at: (usize, usize),
        value: Value,
        value_at: (usize, usize),
    ) -> Result<()> {
        let key_span = self.index.range(key_at.0, key_at.1);
        let node = Node::new(value, self.index.range(value_at.0, value_at.1));
        match map.entry(key.into()) {
            Entry::Occupied(mut slot) if self.repeats => {
                // The list's span runs from its first value to its last (other keys' lines may
                // lie between: the writers edit its items, never the list whole).
                let member = slot.get_mut();
                let start = member.value.span.start();
                if !matches!(member.value.value, Value::List(_)) {
                    let first = std::mem::replace(&mut member.value.value, Value::Null);
                    member.value.value = Value::list(vec![Node::new(first, member.value.span)]);
                }
                member.value.span = TextRange::new(start, node.span.end());
                if let Value::List(items) = &mut member.value.value {
                    items.push(node);
                }
                Ok(())
            }
            Entry::Occupied(slot) => {
                let message = format!("duplicate {} '{}'", self.what, slot.key());
                Err(Error::new(ErrorKind::DuplicateKey, message)
                    .at(self.index.pos(key_span.start())))
            }
            Entry::Vacant(slot) => {
                slot.insert(Member {
                    key_span,
                    value: node,
                });
                Ok(())
            }
        }
    }
}

/// INI: `[section]` headers, `key = value` or `key: value` (a key alone is null), `;` and `#`
/// comment lines, indented lines continuing the value above (joined with newlines).
pub(super) fn parse_ini(text: &str) -> Result<Vec<Node>> {
    let mut b = Builder {
        index: LineIndex::new(text),
        what: "key",
        repeats: true,
    };
    let mut root = Map::default();
    // The section being read: its name, header span, members, and where its lines end.
    let mut section: Option<(String, (usize, usize), Map, usize)> = None;
    let mut last: Option<(String, usize)> = None;
    let all = lines(text);
    // Blank lines since the last value line: inside a continued value they are part of it, as
    // configparser reads them; after its last line they are not.
    let mut blanks = 0;
    let mut i = 0;
    while i < all.len() {
        let line = &all[i];
        i += 1;
        let trimmed = line.text.trim_start();
        let indent = line.text.len() - trimmed.len();
        if trimmed.trim_end().is_empty() {
            blanks += 1;
            continue;
        }
        if trimmed.starts_with([';', '#']) {
            continue;
        }
        let blanks_before = std::mem::take(&mut blanks);
        if indent > 0 && last.is_some() {
            // A continuation of the value above.
            let (key, _) = last.clone().unwrap_or_default();
            let map = match &mut section {
                Some((_, _, map, _)) => map,
                None => &mut root,
            };
            if let Some(member) = map.get_mut(key.as_str()) {
                let extra = trimmed.trim_end();
                let end = line.start + line.text.trim_end().len();
                member.value.span = TextRange::new(member.value.span.start(), end);
                // A repeated key's lines continue its last value.
                let value = match &mut member.value.value {
                    Value::List(items) => items.last_mut(),
                    _ => Some(&mut member.value),
                };
                let Some(value) = value else { continue };
                let joined = match &value.value {
                    Value::String(s) => format!("{s}{}{extra}", "\n".repeat(1 + blanks_before)),
                    _ => extra.to_string(),
                };
                value.value = Value::String(joined.into());
                value.span = TextRange::new(value.span.start(), end);
                if let Some((_, _, _, section_end)) = &mut section {
                    *section_end = end;
                }
            }
            continue;
        }
        let at = line.start + indent;
        if let Some(rest) = trimmed.strip_prefix('[') {
            let Some(close) = rest.find(']') else {
                return Err(b.error(at, "section header is never closed (expected `]`)"));
            };
            let name = rest[..close].trim().to_string();
            if name.is_empty() {
                return Err(b.error(at, "empty section name"));
            }
            close_section(&mut b, &mut root, section.take())?;
            let header_end = at + 1 + close + 1;
            section = Some((name, (at, header_end), Map::default(), header_end));
            last = None;
            continue;
        }
        let sep = trimmed.find(['=', ':']);
        let (key, value, value_at) = match sep {
            Some(s) => {
                let key = trimmed[..s].trim_end();
                let after = &trimmed[s + 1..];
                let value = after.trim();
                let value_start = at + s + 1 + (after.len() - after.trim_start().len());
                (
                    key,
                    Value::String(value.into()),
                    (value_start, value_start + value.len()),
                )
            }
            None => {
                let key = trimmed.trim_end();
                (key, Value::Null, (at, at + key.len()))
            }
        };
        if key.is_empty() {
            return Err(b.error(at, "a key is missing before the `=`"));
        }
        let map = match &mut section {
            Some((_, _, map, end)) => {
                *end = value_at.1.max(at + key.len());
                map
            }
            None => &mut root,
        };
        b.insert(map, key.to_string(), (at, at + key.len()), value, value_at)?;
        last = Some((key.to_string(), at));
    }
    close_section(&mut b, &mut root, section.take())?;
    let span = TextRange::new(0usize, text.len());
    Ok(vec![Node::new(Value::Map(Box::new(root)), span)])
}

fn close_section(
    b: &mut Builder<'_>,
    root: &mut Map,
    section: Option<(String, (usize, usize), Map, usize)>,
) -> Result<()> {
    let Some((name, header, map, end)) = section else {
        return Ok(());
    };
    b.what = "section";
    b.repeats = false;
    let result = b.insert(
        root,
        name,
        (header.0 + 1, header.1 - 1),
        Value::Map(Box::new(map)),
        (header.0, end),
    );
    b.what = "key";
    b.repeats = true;
    result
}

/// Whether `key` is a `.env` variable name (letters, digits, `_`, `.` and `-`, not starting with
/// a digit): what the reader accepts and the writer writes.
pub(crate) fn is_env_name(key: &str) -> bool {
    !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-'))
        && !key.starts_with(|c: char| c.is_ascii_digit())
}

/// `.env`: `KEY=value` lines (an optional `export` before), `#` comments; double-quoted values
/// take `\n`, `\t`, `\"`, `\\` and `\$` escapes and may run over lines, single-quoted ones are taken
/// as written (but for `\'`, a quote), unquoted ones end at ` #`. `${VAR}` stays as written:
/// nothing is expanded.
pub(super) fn parse_env(text: &str) -> Result<Vec<Node>> {
    let mut b = Builder {
        index: LineIndex::new(text),
        what: "variable",
        repeats: false,
    };
    let mut root = Map::default();
    let bytes = text.as_bytes();
    let mut at = 0;
    while at < text.len() {
        let line_end = text[at..].find('\n').map_or(text.len(), |i| at + i);
        let line = &text[at..line_end];
        let trimmed = line.trim_start();
        let start = at + (line.len() - trimmed.len());
        if trimmed.trim().is_empty() || trimmed.starts_with('#') {
            at = line_end + 1;
            continue;
        }
        let body = trimmed
            .strip_prefix("export ")
            .map(str::trim_start)
            .unwrap_or(trimmed);
        let key_start = start + (trimmed.len() - body.len());
        let Some(eq) = body.find('=') else {
            // A name alone (`KEY`, a comment after it allowed) has no value: Docker Compose
            // takes it from the shell, python-dotenv reads it as None.
            let key = body[..body.find(" #").unwrap_or(body.len())].trim_end();
            if !is_env_name(key) {
                return Err(b.error(key_start, "expected KEY=value"));
            }
            let key_end = key_start + key.len();
            let key_span = (key_start, key_end);
            b.insert(
                &mut root,
                key.to_string(),
                key_span,
                Value::Null,
                (key_end, key_end),
            )?;
            at = line_end + 1;
            continue;
        };
        let key = body[..eq].trim_end();
        if !is_env_name(key) {
            return Err(b.error(key_start, format!("'{key}' is not a variable name")));
        }
        // Blanks after `=` are any whitespace (a no-break space, a form feed), as python-dotenv
        // and Docker Compose skip them.
        let after_eq = &text[key_start + eq + 1..line_end];
        let v = key_start + eq + 1 + (after_eq.len() - after_eq.trim_start().len());
        let (value, value_at, next) = match bytes.get(v) {
            Some(b'"') => {
                let mut out = String::new();
                let mut i = v + 1;
                loop {
                    let Some(c) = text[i..].chars().next() else {
                        return Err(b.error(v, "the double quote is never closed"));
                    };
                    match c {
                        '"' => break,
                        '\\' => {
                            let escaped = text[i + 1..].chars().next();
                            let (ch, len) = match escaped {
                                Some('n') => ('\n', 2),
                                Some('t') => ('\t', 2),
                                Some('r') => ('\r', 2),
                                Some(c @ ('"' | '\\' | '$' | '\'')) => (c, 2),
                                Some(other) => {
                                    out.push('\\');
                                    (other, 1 + other.len_utf8())
                                }
                                None => return Err(b.error(v, "the double quote is never closed")),
                            };
                            out.push(ch);
                            i += len;
                        }
                        c => {
                            out.push(c);
                            i += c.len_utf8();
                        }
                    }
                }
                (out, (v, i + 1), i + 1)
            }
            // Taken as written, but for `\'`: a quote inside (`'Let\'s go!'`), as Docker Compose
            // and python-dotenv read it.
            Some(b'\'') => {
                let mut out = String::new();
                let mut i = v + 1;
                loop {
                    match text[i..].chars().next() {
                        None => return Err(b.error(v, "the single quote is never closed")),
                        Some('\'') => break,
                        Some('\\') if text[i + 1..].starts_with('\'') => {
                            out.push('\'');
                            i += 2;
                        }
                        Some(c) => {
                            out.push(c);
                            i += c.len_utf8();
                        }
                    }
                }
                (out, (v, i + 1), i + 1)
            }
            _ => {
                let rest = &text[v..line_end];
                let cut = rest
                    .find(" #")
                    .or_else(|| rest.find("\t#"))
                    .unwrap_or(rest.len());
                let value = rest[..cut].trim_end();
                (value.to_string(), (v, v + value.len()), line_end)
            }
        };
        let after_end = text[next..].find('\n').map_or(text.len(), |i| next + i);
        let trailing = text[next..after_end].trim();
        if !trailing.is_empty() && !trailing.starts_with('#') {
            let at =
                next + (text[next..after_end].len() - text[next..after_end].trim_start().len());
            return Err(b.error(at, "unexpected text after the value"));
        }
        b.insert(
            &mut root,
            key.to_string(),
            (key_start, key_start + key.len()),
            Value::String(value.into()),
            value_at,
        )?;
        at = after_end + 1;
    }
    let span = TextRange::new(0usize, text.len());
    Ok(vec![Node::new(Value::Map(Box::new(root)), span)])
}

/// Java `.properties`: `key=value`, `key: value` or `key value`; `#` and `!` comment lines; a line
/// ending in an odd number of backslashes continues on the next (its leading blanks dropped);
/// `\t`, `\n`, `\r`, `\f`, `\uXXXX` and `\` before any other character are unescaped in keys and
/// values.
pub(super) fn parse_properties(text: &str) -> Result<Vec<Node>> {
    let mut b = Builder {
        index: LineIndex::new(text),
        what: "key",
        repeats: false,
    };
    let mut root = Map::default();
    let all = lines(text);
    let mut i = 0;
    while i < all.len() {
        let line = &all[i];
        i += 1;
        let trimmed = line.text.trim_start_matches(PROPERTIES_BLANKS);
        if trimmed.is_empty() || trimmed.starts_with(['#', '!']) {
            continue;
        }
        let start = line.start + (line.text.len() - trimmed.len());
        // The logical line: continuation lines joined, each one's leading blanks dropped.
        let mut logical = trimmed.to_string();
        let mut end = line.start + line.text.len();
        while ends_continued(&logical) {
            logical.pop();
            match all.get(i) {
                Some(next) => {
                    logical.push_str(next.text.trim_start_matches(PROPERTIES_BLANKS));
                    end = next.start + next.text.len();
                    i += 1;
                }
                None => break,
            }
        }
        let (key_raw, rest) = split_key(&logical);
        let key = unescape(key_raw).map_err(|e| e.at(b.index.pos(start)))?;
        let value_raw = rest.trim_start_matches(PROPERTIES_BLANKS);
        let value_raw = value_raw
            .strip_prefix(['=', ':'])
            .map(|v| v.trim_start_matches(PROPERTIES_BLANKS))
            .unwrap_or(value_raw);
        let value = unescape(value_raw).map_err(|e| e.at(b.index.pos(start)))?;
        // The value's span: from where it starts on the first line to the end of the logical line.
        let value_start = if value_raw.is_empty() {
            end
        } else {
            start + value_offset(trimmed, key_raw.len())
        };
        b.insert(
            &mut root,
            key,
            (start, start + key_raw.len().min(end - start)),
            Value::String(value.into()),
            (value_start.min(end), end),
        )?;
    }
    let span = TextRange::new(0usize, text.len());
    Ok(vec![Node::new(Value::Map(Box::new(root)), span)])
}

/// What `java.util.Properties` counts as blank around keys and separators and at the start of a
/// line: space, tab and form feed, not every Unicode space (a no-break space starts a key there).
const PROPERTIES_BLANKS: [char; 3] = [' ', '\t', '\x0c'];

/// Whether a line ends in an odd number of backslashes (it continues on the next).
fn ends_continued(line: &str) -> bool {
    line.bytes().rev().take_while(|b| *b == b'\\').count() % 2 == 1
}

/// A logical line's key (up to the first unescaped `=`, `:` or blank) and the rest.
fn split_key(line: &str) -> (&str, &str) {
    let bytes = line.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 2,
            b'=' | b':' | b' ' | b'\t' | b'\x0c' => return (&line[..i], &line[i..]),
            _ => i += 1,
        }
    }
    (line, "")
}

/// Where the value starts on a line whose key is `key_len` bytes: after blanks, one `=` or `:`,
/// and blanks again.
fn value_offset(line: &str, key_len: usize) -> usize {
    let blanks = |s: &str| s.len() - s.trim_start_matches(PROPERTIES_BLANKS).len();
    let mut at = key_len.min(line.len());
    at += blanks(&line[at..]);
    if line[at..].starts_with(['=', ':']) {
        at += 1;
        at += blanks(&line[at..]);
    }
    at
}

fn unescape(raw: &str) -> Result<String> {
    let bad = |message: String| Error::new(ErrorKind::Syntax, message);
    let mut out = String::with_capacity(raw.len());
    let mut chars = raw.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('t') => out.push('\t'),
            Some('n') => out.push('\n'),
            Some('r') => out.push('\r'),
            Some('f') => out.push('\x0c'),
            Some('u') => {
                let hex: String = chars.by_ref().take(4).collect();
                let code = u32::from_str_radix(&hex, 16)
                    .ok()
                    .filter(|_| hex.len() == 4)
                    .ok_or_else(|| bad(format!("bad unicode escape \\u{hex}")))?;
                // A surrogate pair is two escapes.
                let ch = if (0xD800..0xDC00).contains(&code) {
                    let rest: String = chars.by_ref().take(6).collect();
                    let low = rest
                        .strip_prefix("\\u")
                        .and_then(|h| u32::from_str_radix(h, 16).ok())
                        .filter(|l| (0xDC00..0xE000).contains(l))
                        .ok_or_else(|| bad("a high surrogate without its low half".into()))?;
                    char::from_u32(0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00))
                } else {
                    char::from_u32(code)
                };
                out.push(ch.ok_or_else(|| bad(format!("\\u{hex} is not a character")))?);
            }
            Some(other) => out.push(other),
            None => {}
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn slice<'t>(text: &'t str, node: &Node) -> &'t str {
        &text[node.span.byte_range()]
    }

    #[test]
    fn ini_sections_keys_continuations_and_spans() {
        let text = "; top\nname = app\n[database]\nhost=db.internal\nport : 5432\nflag\nmotd = hello\n  world\n\n[empty]\n";
        let root = parse_ini(text).unwrap().remove(0);
        assert_eq!(
            root.value.to_json(),
            serde_json::json!({"name": "app", "database": {"host": "db.internal", "port": "5432", "flag": null, "motd": "hello\nworld"}, "empty": {}})
        );
        // A blank line inside a continued value is part of it, as configparser reads it; one
        // after its last line is not.
        let blank = parse_ini("[s]\nmotd = one\n\n  two\n\n\n   three\n\nnext = 1\n")
            .unwrap()
            .remove(0);
        assert_eq!(
            blank.value.to_json(),
            serde_json::json!({"s": {"motd": "one\n\ntwo\n\n\nthree", "next": "1"}})
        );
        let host = root.pointer("/database/host").unwrap();
        assert_eq!(slice(text, host), "db.internal");
        let at = crate::span::Lines::of(text).pos(host.span.start());
        assert_eq!((at.line, at.column), (4, 6));
        assert_eq!(
            slice(text, root.pointer("/database/motd").unwrap()),
            "hello\n  world"
        );
        let Value::Map(top) = &root.value else {
            panic!()
        };
        assert_eq!(&text[top["database"].key_span.byte_range()], "database");
        assert!(slice(text, root.pointer("/database").unwrap()).starts_with("[database]"));
        let e = parse_ini("[a]\n[b\n").unwrap_err();
        assert_eq!((e.line(), e.column()), (Some(2), Some(1)));
        let e = parse_ini("[a]\n[a]\n").unwrap_err();
        assert!(e.message.contains("duplicate section 'a'"), "{e}");
    }

    /// php.ini's `extension=`, git's `fetch =`, Jetty's `--module=`: a key given more than once
    /// in a section is the list of its values, each with its own span (continuations included),
    /// in any section and at the top. Sections and other formats' keys still may not repeat.
    #[test]
    fn an_ini_key_given_more_than_once_is_the_list_of_its_values() {
        let text = "--module=http\n--module=ssl\n[PHP]\nextension=mysqli\nmemory_limit = 128M\nextension=gd\n  continued\nextension=intl\n";
        let root = parse_ini(text).unwrap().remove(0);
        assert_eq!(
            root.value.to_json(),
            serde_json::json!({
                "--module": ["http", "ssl"],
                "PHP": {"extension": ["mysqli", "gd\ncontinued", "intl"], "memory_limit": "128M"}
            })
        );
        assert_eq!(
            slice(text, root.pointer("/PHP/extension/0").unwrap()),
            "mysqli"
        );
        assert_eq!(
            slice(text, root.pointer("/PHP/extension/1").unwrap()),
            "gd\n  continued"
        );
        assert_eq!(
            slice(text, root.pointer("/PHP/extension/2").unwrap()),
            "intl"
        );
        let list = root.pointer("/PHP/extension").unwrap();
        assert!(slice(text, list).starts_with("mysqli") && slice(text, list).ends_with("intl"));
        assert_eq!(
            parse_properties("a=1\na=2\n").unwrap_err().kind,
            ErrorKind::DuplicateKey
        );
    }

    #[test]
    fn env_quotes_escapes_exports_and_comments() {
        let text = "# db\nexport DB_HOST=db.internal # the primary\nDB_PASS=\"p\\\"w\\nx\"\nRAW='a $b \\n'\nURL=${BASE}/api\nMULTI=\"one\ntwo\"\nEMPTY=\n";
        let root = parse_env(text).unwrap().remove(0);
        assert_eq!(
            root.value.to_json(),
            serde_json::json!({"DB_HOST": "db.internal", "DB_PASS": "p\"w\nx", "RAW": "a $b \\n", "URL": "${BASE}/api", "MULTI": "one\ntwo", "EMPTY": ""})
        );
        assert_eq!(
            slice(text, root.pointer("/DB_HOST").unwrap()),
            "db.internal"
        );
        assert_eq!(
            slice(text, root.pointer("/DB_PASS").unwrap()),
            "\"p\\\"w\\nx\""
        );
        assert_eq!(slice(text, root.pointer("/MULTI").unwrap()), "\"one\ntwo\"");
        for (bad, line, column) in [
            ("A=1\nnot a pair\n", 2, 1),
            ("A=\"open\n", 1, 3),
            ("A='x' y\n", 1, 7),
            ("1A=x\n", 1, 1),
        ] {
            let e = parse_env(bad).unwrap_err();
            assert_eq!(
                (e.line(), e.column()),
                (Some(line), Some(column)),
                "{bad:?}: {e}"
            );
        }
        assert_eq!(
            parse_env("A=1\nA=2\n").unwrap_err().kind,
            ErrorKind::DuplicateKey
        );
        // A name alone has no value, as python-dotenv reads it (Docker Compose takes it from
        // the shell); its value's span is empty, just after the name.
        let text = "A=1\nINHERITED\nexport ALSO # from the shell\n";
        let root = parse_env(text).unwrap().remove(0);
        assert_eq!(
            root.value.to_json(),
            serde_json::json!({"A": "1", "INHERITED": null, "ALSO": null})
        );
        let inherited = root.pointer("/INHERITED").unwrap();
        assert_eq!(inherited.span.start(), text.find("INHERITED").unwrap() + 9);
        assert!(inherited.span.is_empty());
    }

    #[test]
    fn properties_separators_continuations_and_escapes() {
        let text = "# c\n! c\nhost=db.internal\nport: 5432\nname   Demo App\nlong = one, \\\n       two\nkey\\ with\\=odd = v\nsmile = \\u263A \\uD83D\\uDE00\nempty\n";
        let root = parse_properties(text).unwrap().remove(0);
        assert_eq!(
            root.value.to_json(),
            serde_json::json!({"host": "db.internal", "port": "5432", "name": "Demo App", "long": "one, two", "key with=odd": "v", "smile": "☺ 😀", "empty": ""})
        );
        assert_eq!(slice(text, root.pointer("/host").unwrap()), "db.internal");
        assert_eq!(
            slice(text, root.pointer("/long").unwrap()),
            "one, \\\n       two"
        );
        assert_eq!(slice(text, root.pointer("/name").unwrap()), "Demo App");
        let e = parse_properties("a=\\uZZZZ\n").unwrap_err();
        assert_eq!(e.line(), Some(1));
        assert_eq!(
            parse_properties("a=1\na=2\n").unwrap_err().kind,
            ErrorKind::DuplicateKey
        );
    }
}
