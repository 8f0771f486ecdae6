//! TOML with positions, from the `toml` crate's span-keeping `DeTable`.

use super::Limits;
use crate::error::{Error, ErrorKind, Result};
use crate::span::{LineIndex, TextRange};
use crate::tree::{Map, Member, Node, Value};
use toml::Spanned;
use toml::de::{DeTable, DeValue};

pub(super) fn parse(text: &str, limits: Limits) -> Result<Vec<Node>> {
    check_depth(text, limits)?;
    let table = DeTable::parse(text).map_err(|e| {
        let mut err = Error::new(ErrorKind::Syntax, first_line(e.message()));
        if let Some(span) = e.span() {
            err = err.at(LineIndex::new(text).pos(span.start));
        }
        err
    })?;
    let span = TextRange::new(0usize, text.len());
    let root = Node::new(table_value(table.get_ref())?, span);
    Ok(vec![root])
}

fn first_line(message: &str) -> String {
    message.lines().next().unwrap_or(message).trim().to_string()
}

fn table_value(table: &DeTable<'_>) -> Result<Value> {
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

fn node(value: &Spanned<DeValue<'_>>) -> Result<Node> {
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
            if i.radix() == 10 {
                Value::number(&digits, true)
            } else {
                Value::integer_in_base(body, i.radix(), sign < 0)
                    .unwrap_or_else(|| Value::String(i.as_str().into()))
            }
        }
        DeValue::Float(f) => {
            let text: String = f.as_str().chars().filter(|c| *c != '_').collect();
            match text.trim_start_matches('+') {
                "inf" => Value::Float(f64::INFINITY),
                "-inf" => Value::Float(f64::NEG_INFINITY),
                "nan" | "-nan" => Value::Float(f64::NAN),
                t => Value::number(t, false),
            }
        }
        DeValue::Boolean(b) => Value::Bool(*b),
        // Dates and times compare as their canonical text: TOML normalises the spelling.
        DeValue::Datetime(d) => Value::Datetime(Box::new(d.to_string().into())),
        DeValue::Array(items) => Value::list(items.iter().map(node).collect::<Result<_>>()?),
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
