//! JSON with positions. Also accepts what JSONC files (tsconfig, VS Code settings) use:
//! `//` and `/* */` comments and trailing commas. Duplicate keys are refused, because one of the two
//! values would silently hide from the drift report.

use super::Limits;
use super::open::OpenMap;
use crate::error::{Error, ErrorKind, Result};
use crate::span::{LineIndex, TextRange};
use crate::tree::{Key, Member, Node, Value};

pub(super) fn parse(text: &str, limits: Limits) -> Result<Vec<Node>> {
    let mut p = Parser {
        bytes: text.as_bytes(),
        text,
        at: 0,
        limits,
        open: super::open::Open::default(),
    };
    p.skip_blank()?;
    if p.at == p.bytes.len() {
        // RFC 8259 has no empty document; reading one as "nothing" would hide a truncated file.
        p.at = 0;
        return Err(p.error("the file holds no JSON value (write `{}` for an empty object)"));
    }
    let root = p.value(0)?;
    p.skip_blank()?;
    if p.at != p.bytes.len() {
        return Err(p.error("unexpected text after the JSON value"));
    }
    Ok(vec![root])
}

struct Parser<'t> {
    bytes: &'t [u8],
    text: &'t str,
    at: usize,
    limits: Limits,
    open: super::open::Open,
}

impl<'t> Parser<'t> {
    fn error(&mut self, message: impl Into<String>) -> Error {
        Error::new(ErrorKind::Syntax, message).at(self.pos(self.at))
    }

    /// The line and column of `offset`, for an error (the tree holds offsets only).
    fn pos(&self, offset: usize) -> crate::span::Pos {
        LineIndex::new(self.text).pos(offset)
    }

    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.at).copied()
    }

    fn skip_blank(&mut self) -> Result<()> {
        loop {
            match self.peek() {
                // Pretty-printed JSON is mostly indentation.
                Some(b' ') => self.at += crate::words::spaces(&self.bytes[self.at..]),
                Some(b'\t' | b'\r') => self.at += 1,
                Some(b'\n') => self.at += 1,
                Some(b'/') if self.bytes.get(self.at + 1) == Some(&b'/') => {
                    while self.peek().is_some_and(|b| b != b'\n') {
                        self.at += 1;
                    }
                }
                Some(b'/') if self.bytes.get(self.at + 1) == Some(&b'*') => {
                    let start = self.at;
                    match self.text[self.at + 2..].find("*/") {
                        Some(i) => {
                            self.at += i + 4;
                        }
                        None => {
                            self.at = start;
                            return Err(self.error("unterminated /* comment"));
                        }
                    }
                }
                _ => return Ok(()),
            }
        }
    }

    fn value(&mut self, depth: usize) -> Result<Node> {
        let start = self.at;
        let value = match self.peek() {
            Some(b'{') => self.object(depth)?,
            Some(b'[') => self.array(depth)?,
            Some(b'"') => Value::String(self.string()?),
            Some(b'-' | b'0'..=b'9') => self.number()?,
            Some(b't') => self.literal("true", Value::Bool(true))?,
            Some(b'f') => self.literal("false", Value::Bool(false))?,
            Some(b'n') => self.literal("null", Value::Null)?,
            Some(_) => {
                let c = self.text[self.at..].chars().next().unwrap_or('?');
                return Err(self.error(format!("expected a JSON value, found '{c}'")));
            }
            None => return Err(self.error("unexpected end of file, expected a JSON value")),
        };
        Ok(Node::new(value, TextRange::new(start, self.at)))
    }

    fn enter(&mut self, depth: usize) -> Result<()> {
        if depth >= self.limits.max_depth {
            return Err(Error::new(
                ErrorKind::Limit,
                format!("nesting deeper than {} levels", self.limits.max_depth),
            )
            .at(self.pos(self.at)));
        }
        self.at += 1;
        self.skip_blank()
    }

    fn object(&mut self, depth: usize) -> Result<Value> {
        self.enter(depth)?;
        let mut map = OpenMap::new(&self.open);
        loop {
            match self.peek() {
                Some(b'}') => {
                    self.at += 1;
                    return Ok(Value::Map(Box::new(map.close(&mut self.open))));
                }
                Some(b'"') => {}
                _ => return Err(self.error("expected a quoted key or '}'")),
            }
            let key_start = self.at;
            let key = self.string()?;
            let key_span = TextRange::new(key_start, self.at);
            self.skip_blank()?;
            if self.peek() != Some(b':') {
                return Err(self.error("expected ':' after the key"));
            }
            self.at += 1;
            self.skip_blank()?;
            let value = self.value(depth + 1)?;
            if let Err(key) = map.insert(&mut self.open, key, Member { key_span, value }) {
                let message = format!("duplicate key \"{key}\"");
                return Err(
                    Error::new(ErrorKind::DuplicateKey, message).at(self.pos(key_span.start()))
                );
            }
            self.skip_blank()?;
            match self.peek() {
                Some(b',') => {
                    self.at += 1;
                    self.skip_blank()?;
                }
                Some(b'}') => {}
                _ => return Err(self.error("expected ',' or '}' after the member")),
            }
        }
    }

    fn array(&mut self, depth: usize) -> Result<Value> {
        self.enter(depth)?;
        let first = self.open.list_start();
        loop {
            if self.peek() == Some(b']') {
                self.at += 1;
                return Ok(Value::list(self.open.close_list(first)));
            }
            let item = self.value(depth + 1)?;
            self.open.push_item(item);
            self.skip_blank()?;
            match self.peek() {
                Some(b',') => {
                    self.at += 1;
                    self.skip_blank()?;
                }
                Some(b']') => {}
                _ => return Err(self.error("expected ',' or ']' after the item")),
            }
        }
    }

    fn literal(&mut self, word: &str, value: Value) -> Result<Value> {
        if self.bytes[self.at..].starts_with(word.as_bytes()) {
            self.at += word.len();
            Ok(value)
        } else {
            Err(self.error(format!("expected '{word}'")))
        }
    }

    fn number(&mut self) -> Result<Value> {
        let start = self.at;
        let digits = |p: &mut Self| {
            let from = p.at;
            while p.peek().is_some_and(|b| b.is_ascii_digit()) {
                p.at += 1;
            }
            p.at - from
        };
        if self.peek() == Some(b'-') {
            self.at += 1;
        }
        let int_start = self.at;
        if digits(self) == 0 {
            return Err(self.error("expected a digit"));
        }
        if self.bytes[int_start] == b'0' && self.at - int_start > 1 {
            self.at = int_start;
            return Err(self.error("numbers must not have leading zeros"));
        }
        let mut integral = true;
        if self.peek() == Some(b'.') {
            integral = false;
            self.at += 1;
            if digits(self) == 0 {
                return Err(self.error("expected a digit after '.'"));
            }
        }
        if matches!(self.peek(), Some(b'e' | b'E')) {
            integral = false;
            self.at += 1;
            if matches!(self.peek(), Some(b'+' | b'-')) {
                self.at += 1;
            }
            if digits(self) == 0 {
                return Err(self.error("expected a digit in the exponent"));
            }
        }
        let text = &self.text[start..self.at];
        if integral && let Ok(i) = text.parse::<i64>() {
            return Ok(Value::Int(i));
        }
        Ok(Value::number(text, integral))
    }

    fn string(&mut self) -> Result<Key> {
        self.at += 1; // opening quote
        let mut out = String::new();
        loop {
            let run = self.at;
            self.at +=
                crate::words::string_stop(&self.bytes[run..]).unwrap_or(self.bytes.len() - run);
            if out.is_empty() && self.peek() == Some(b'"') {
                // No escapes: straight from the text (a short string without an allocation).
                self.at += 1;
                return Ok(Key::from(&self.text[run..self.at - 1]));
            }
            out.push_str(&self.text[run..self.at]);
            match self.peek() {
                Some(b'"') => {
                    self.at += 1;
                    return Ok(out.into());
                }
                Some(b'\\') => {
                    self.at += 1;
                    let c = match self.peek() {
                        Some(b'"') => '"',
                        Some(b'\\') => '\\',
                        Some(b'/') => '/',
                        Some(b'b') => '\u{8}',
                        Some(b'f') => '\u{c}',
                        Some(b'n') => '\n',
                        Some(b'r') => '\r',
                        Some(b't') => '\t',
                        Some(b'u') => {
                            self.at += 1;
                            out.push(self.unicode_escape()?);
                            continue;
                        }
                        _ => return Err(self.error("invalid escape in string")),
                    };
                    self.at += 1;
                    out.push(c);
                }
                Some(_) => return Err(self.error("control character in string (escape it)")),
                None => return Err(self.error("unterminated string")),
            }
        }
    }

    /// Reads the hex digits after `\u`, pairing surrogates.
    fn unicode_escape(&mut self) -> Result<char> {
        let first = self.hex4()?;
        if (0xD800..0xDC00).contains(&first) {
            if self.bytes[self.at..].starts_with(b"\\u") {
                self.at += 2;
                let second = self.hex4()?;
                if (0xDC00..0xE000).contains(&second) {
                    let c = 0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00);
                    return char::from_u32(c).ok_or_else(|| self.error("invalid surrogate pair"));
                }
            }
            return Err(self.error("unpaired surrogate in \\u escape"));
        }
        char::from_u32(first).ok_or_else(|| self.error("unpaired surrogate in \\u escape"))
    }

    fn hex4(&mut self) -> Result<u32> {
        let digits = self
            .text
            .get(self.at..self.at + 4)
            .filter(|d| d.bytes().all(|b| b.is_ascii_hexdigit()));
        match digits.and_then(|d| u32::from_str_radix(d, 16).ok()) {
            Some(v) => {
                self.at += 4;
                Ok(v)
            }
            None => Err(self.error("expected four hex digits after \\u")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(text: &str) -> Node {
        parse(text, Limits::default()).unwrap().remove(0)
    }

    #[test]
    fn spans_point_at_keys_and_values() {
        let text = "{\n  \"db\": {\"port\": 5432}\n}";
        let lines = crate::span::Lines::of(text);
        let root = one(text);
        let Value::Map(map) = &root.value else {
            panic!()
        };
        let db = &map["db"];
        let key = lines.span(db.key_span);
        assert_eq!((key.start.line, key.start.column), (2, 3));
        let port = root.pointer("/db/port").unwrap();
        assert_eq!(port.value, Value::Int(5432));
        let span = lines.span(port.span);
        assert_eq!(
            (span.start.line, span.start.column, span.end.column),
            (2, 18, 22)
        );
    }

    /// Every span is a range of whole characters of the text, however the lines were crossed.
    #[test]
    fn spans_are_ranges_of_the_text() {
        fn agree(range: crate::span::TextRange, text: &str, spans: &mut usize) {
            assert!(range.start() <= range.end() && range.end() <= text.len());
            assert!(text.is_char_boundary(range.start()) && text.is_char_boundary(range.end()));
            *spans += 1;
        }
        fn check(node: &Node, index: &str, spans: &mut usize) {
            agree(node.span, index, spans);
            match &node.value {
                Value::Map(map) => map.values().for_each(|m| {
                    agree(m.key_span, index, spans);
                    check(&m.value, index, spans);
                }),
                Value::List(items) => items.iter().for_each(|i| check(i, index, spans)),
                _ => {}
            }
        }
        for text in [
            "{\n  \"a\": [1,\n 2, /* two\nlines */ 3],\r\n  // note\n  \"b\": {\"c\": null}\n}\n",
            "{\"é\": \"ü\", \"k\": [\"😀\",\n  \"x\"], /* é\n */ \"z\": 1}",
        ] {
            let root = one(text);
            let mut spans = 0;
            check(&root, text, &mut spans);
            assert!(spans > 8, "{text:?}");
        }
    }

    #[test]
    fn comments_and_trailing_commas_are_accepted() {
        let root = one("// settings\n{ /* a */ \"a\": [1, 2,], }");
        assert_eq!(root.value.to_json(), serde_json::json!({"a": [1, 2]}));
    }

    #[test]
    fn a_repeated_key_is_refused_where_it_is_whatever_the_objects_size() {
        // Small objects wait on the reader's stack, large ones are maps: both refuse at once.
        for members in [1, 7, 8, 9, 40] {
            let keys: Vec<String> = (0..members).map(|i| format!("\"k{i}\": {i}")).collect();
            let text = format!("{{{},\n \"k0\": 1, \"x\": tru}}", keys.join(", "));
            let e = parse(&text, Limits::default()).unwrap_err();
            assert_eq!(e.kind, ErrorKind::DuplicateKey, "{members} members");
            assert_eq!(e.message, "duplicate key \"k0\"");
            assert_eq!(
                (e.line(), e.column()),
                (Some(2), Some(2)),
                "{members} members"
            );
        }
        // Nested objects keep their own members: the same key in each is no repeat.
        let inner: Vec<String> = (0..12)
            .map(|i| format!("\"k{i}\": {{\"k{i}\": [{{\"k0\": 0}}]}}"))
            .collect();
        let text = format!("{{\"k0\": 0, \"o\": {{{}}}, \"k1\": 1}}", inner.join(","));
        let root = one(&text);
        let Value::Map(map) = &root.value else {
            panic!("a map")
        };
        assert_eq!(map.keys().collect::<Vec<_>>(), ["k0", "o", "k1"]);
        assert_eq!(
            root.pointer("/o/k11/k11/0/k0").map(|n| &n.value),
            Some(&Value::Int(0))
        );
        let lines = crate::span::Lines::of(&text);
        assert_eq!(
            root.pointer("/o").map(|n| lines.pos(n.span.start()).column),
            Some(16)
        );
    }

    #[test]
    fn errors_name_line_and_column() {
        let e = parse("{\n  \"a\": tru\n}", Limits::default()).unwrap_err();
        assert_eq!((e.line(), e.column()), (Some(2), Some(8)));
        let e = parse("{\"a\": 1, \"a\": 2}", Limits::default()).unwrap_err();
        assert_eq!(e.kind, ErrorKind::DuplicateKey);
        let e = parse(&"[".repeat(100_000), Limits::default()).unwrap_err();
        assert_eq!(e.kind, ErrorKind::Limit);
        assert!(parse("\"\\ud800\"", Limits::default()).is_err());
        assert!(parse("01", Limits::default()).is_err());
        assert!(parse("{} x", Limits::default()).is_err());
        for empty in ["", "  \n\t", "// only a comment\n"] {
            let e = parse(empty, Limits::default()).unwrap_err();
            assert_eq!(e.kind, ErrorKind::Syntax, "{empty:?}");
            assert_eq!((e.line(), e.column()), (Some(1), Some(1)), "{empty:?}");
        }
    }

    #[test]
    fn numbers_keep_integer_precision() {
        assert_eq!(one("9007199254740993").value, Value::Int(9007199254740993));
        assert_eq!(one("-1.5e3").value, Value::Float(-1500.0));
        assert_eq!(
            one("\"\\u00e9\\ud83d\\ude00\"").value,
            Value::String("é😀".into())
        );
    }
}
