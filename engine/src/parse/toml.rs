//! TOML with positions, from the `toml` crate's span-keeping `DeTable`.

use super::Limits;
use crate::error::{Error, ErrorKind, Result};
use crate::span::{LineIndex, TextRange};
use crate::tree::{Map, Member, Node, Value};
use toml::Spanned;
use toml::de::{DeTable, DeValue};

pub(super) fn parse(text: &str, limits: Limits) -> Result<Vec<Node>> {
    // The file's byte-order mark is behind `text`; the toml crate would read past another.
    if text.starts_with('\u{feff}') {
        return Err(Error::new(ErrorKind::Syntax, "a second byte-order mark")
            .at(LineIndex::new(text).pos(0)));
    }
    check_depth(text, limits)?;
    let table = DeTable::parse(text).map_err(|e| {
        let mut err = Error::new(ErrorKind::Syntax, first_line(e.message()));
        if let Some(span) = e.span() {
            err = err.at(LineIndex::new(text).pos(span.start));
        }
        err
    })?;
    let span = TextRange::new(0usize, text.len());
    // The reader leaves numbers' digits unchecked until they are converted (`0x` with no digits,
    // a non-ASCII digit), so an error there is placed here, where the text is.
    let root = table_value(table.get_ref()).map_err(|(at, message)| {
        Error::new(ErrorKind::Syntax, message).at(LineIndex::new(text).pos(at))
    })?;
    Ok(vec![Node::new(root, span)])
}

fn first_line(message: &str) -> String {
    message.lines().next().unwrap_or(message).trim().to_string()
}

/// An integer the reader let through that is none: where it is, and what is wrong.
type BadNumber = (usize, String);

fn table_value(table: &DeTable<'_>) -> std::result::Result<Value, BadNumber> {
    let mut map = Map::with_capacity(table.len());
    // The toml crate keeps keys sorted; the file's own order is what reports and patches follow.
    let mut members: Vec<_> = table.iter().collect();
    members.sort_by_key(|(key, _)| key.span().start);
    for (key, value) in members {
        let key_span = TextRange::new(key.span().start, key.span().end);
        let value = node(value)?;
        map.insert(key.get_ref().as_ref().into(), Member { key_span, value });
    }
    Ok(Value::Map(Box::new(map)))
}

fn node(value: &Spanned<DeValue<'_>>) -> std::result::Result<Node, BadNumber> {
    let range = value.span();
    let span = TextRange::new(range.start, range.end);
    let v = match value.get_ref() {
        DeValue::String(s) => Value::String(s.as_ref().into()),
        DeValue::Integer(i) => {
            let digits: String = i.as_str().chars().filter(|c| *c != '_').collect();
            let (sign, body) = match digits.strip_prefix('-') {
                Some(rest) => (-1i64, rest.to_string()),
                None => (1, digits.trim_start_matches('+').to_string()),
            };
            let body = body
                .trim_start_matches("0x")
                .trim_start_matches("0o")
                .trim_start_matches("0b");
            let radix = i.radix();
            if body.is_empty() || !body.chars().all(|c| c.is_digit(radix) && c.is_ascii()) {
                return Err((range.start, format!("invalid integer `{i}`")));
            }
            if radix == 10 {
                Value::number(&digits, true)
            } else {
                Value::integer_in_base(body, radix, sign < 0)
                    .ok_or_else(|| (range.start, format!("integer `{i}` is too large")))?
            }
        }
        DeValue::Float(f) => {
            let text: String = f.as_str().chars().filter(|c| *c != '_').collect();
            match text.trim_start_matches('+') {
                "inf" => Value::Float(f64::INFINITY),
                "-inf" => Value::Float(f64::NEG_INFINITY),
                "nan" | "-nan" => Value::Float(f64::NAN),
                t if t.parse::<f64>().is_ok() && t.is_ascii() => Value::number(t, false),
                _ => return Err((range.start, format!("invalid float `{}`", f.as_str()))),
            }
        }
        DeValue::Boolean(b) => Value::Bool(*b),
        // Dates and times compare as their canonical text: TOML normalises the spelling.
        // `07:32` is `07:32:00` (TOML 1.1 lets the seconds go) and `.0` is no fraction, so
        // those spellings are the same value too.
        DeValue::Datetime(d) => {
            let mut d = *d;
            if let Some(time) = d.time.as_mut() {
                time.second = Some(time.second.unwrap_or(0));
                time.nanosecond = time.nanosecond.filter(|n| *n != 0);
            }
            Value::Datetime(Box::new(d.to_string().into()))
        }
        DeValue::Array(items) => Value::list(
            items
                .iter()
                .map(node)
                .collect::<std::result::Result<_, _>>()?,
        ),
        DeValue::Table(table) => table_value(table)?,
    };
    Ok(Node::new(v, span))
}

/// The TOML parser recurses on nested inline arrays and tables; refuse deep nesting before it runs.
/// Works on bytes: every delimiter it looks for is ASCII, so multi-byte characters pass through.
fn check_depth(text: &str, limits: Limits) -> Result<()> {
    let bytes = text.as_bytes();
    let mut depth = 0usize;
    let mut quote: Option<&[u8]> = None;
    let mut i = 0;
    while i < bytes.len() {
        let rest = &bytes[i..];
        if let Some(q) = quote {
            if rest.starts_with(q) {
                quote = None;
                i += q.len();
            } else if bytes[i] == b'\\' && q[0] == b'"' {
                i += 2;
            } else {
                i += 1;
            }
            continue;
        }
        match bytes[i] {
            b'#' => {
                while i < bytes.len() && bytes[i] != b'\n' {
                    i += 1;
                }
                continue;
            }
            b'"' | b'\'' => {
                let q: &[u8] = if rest.starts_with(b"\"\"\"") {
                    b"\"\"\""
                } else if rest.starts_with(b"'''") {
                    b"'''"
                } else {
                    &rest[..1]
                };
                quote = Some(q);
                i += q.len();
                continue;
            }
            b'[' | b'{' => {
                depth += 1;
                if depth > limits.max_depth {
                    let pos = LineIndex::new(text).pos(i);
                    return Err(Error::new(
                        ErrorKind::Limit,
                        format!("nesting deeper than {} levels", limits.max_depth),
                    )
                    .at(pos));
                }
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
        i += 1;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The toml crate's reader checks a number's digits only when it converts them: `0b` with
    /// none, or an Arabic-Indic zero, came through as a string (toml-test's invalid cases).
    #[test]
    fn an_integer_without_its_digits_is_an_error_at_it() {
        for (text, column, message) in [
            ("a = 0b\n", 5, "invalid integer `0b`"),
            ("a = 0x\n", 5, "invalid integer `0x`"),
            ("b = 1\na = 1_0\u{660}\n", 5, "invalid integer"),
            (
                "a = 0x1_0000_0000_0000_0000_0000_0000_0000_0000\n",
                5,
                "too large",
            ),
        ] {
            let e = parse(text, Limits::default()).unwrap_err();
            assert!(e.message.contains(message), "{text}: {e}");
            assert_eq!(e.pos.unwrap().column, column, "{text}");
        }
        assert!(parse("\u{feff}a = 1\n", Limits::default()).is_err());
        // A time without its seconds, or with a zero fraction, is the same time with them.
        let times = parse(
            "a = 07:32\nb = 1979-05-27T07:32Z\nc = 07:32:00.000\nd = 1979-05-27 07:32:05.600\n",
            Limits::default(),
        )
        .unwrap();
        assert_eq!(
            times[0].to_json(),
            serde_json::json!({
                "a": "07:32:00", "b": "1979-05-27T07:32:00Z", "c": "07:32:00", "d": "1979-05-27T07:32:05.6"
            })
        );
        // What the reader means to let through still reads.
        let root = parse(
            "a = 0xff\nb = -1_000\nc = 1e3\nd = +inf\n",
            Limits::default(),
        )
        .unwrap();
        assert_eq!(
            root[0].to_json(),
            serde_json::json!({"a": 255, "b": -1000, "c": 1000.0, "d": ".inf"})
        );
    }

    #[test]
    fn members_keep_the_file_order() {
        let root = parse(
            "zeta = 1\nalpha = 2\n[mid]\nb = 1\na = 2\n",
            Limits::default(),
        )
        .unwrap()
        .remove(0);
        let Value::Map(map) = &root.value else {
            panic!()
        };
        assert_eq!(map.keys().collect::<Vec<_>>(), ["zeta", "alpha", "mid"]);
        let Value::Map(mid) = &map["mid"].value.value else {
            panic!()
        };
        assert_eq!(mid.keys().collect::<Vec<_>>(), ["b", "a"]);
    }

    #[test]
    fn values_and_spans() {
        let text =
            "# db\n[database]\nhost = \"db.example.com\"\nport = 5_432\nratio = 0.5\nhex = 0xff\n";
        let root = parse(text, Limits::default()).unwrap().remove(0);
        let host = root.pointer("/database/host").unwrap();
        let lines = crate::span::Lines::of(text);
        let at = lines.pos(host.span.start());
        assert_eq!((at.line, at.column), (3, 8));
        assert_eq!(
            root.pointer("/database/port").unwrap().value,
            Value::Int(5432)
        );
        assert_eq!(
            root.pointer("/database/hex").unwrap().value,
            Value::Int(255)
        );
        let Value::Map(db) = &root.pointer("/database").unwrap().value else {
            panic!()
        };
        assert_eq!(lines.pos(db["port"].key_span.start()).line, 4);
    }

    #[test]
    fn errors_and_limits() {
        let e = parse("a = 1\nb = \n", Limits::default()).unwrap_err();
        assert_eq!(e.kind, ErrorKind::Syntax);
        assert_eq!(e.line(), Some(2));
        let deep = format!("a = {}1{}", "[".repeat(5000), "]".repeat(5000));
        assert_eq!(
            parse(&deep, Limits::default()).unwrap_err().kind,
            ErrorKind::Limit
        );
        let fine = "[a]\nx = [[1, 2], [3]]\n[b]\ny = \"[[[[\"\n";
        assert!(parse(fine, Limits::default()).is_ok());
    }
}
