//! YAML scalars and keys as text: plain where YAML reads them back as the same value, quoted
//! otherwise. For the patch writers and the effective configurations of layers alike.

use crate::parse::parse;
use crate::tree::{Format, Source, Value};

/// A key, plain where YAML reads it back as the same string, else quoted.
pub(crate) fn yaml_key(k: &str) -> String {
    let plain = !k.is_empty()
        && k.bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.' | b'/'))
        && !k.starts_with(['-', '.'])
        && !yaml_1_1_reads_otherwise(k);
    if plain {
        k.to_string()
    } else {
        serde_json::Value::String(k.to_string()).to_string()
    }
}

/// Whether YAML reads `s` back as the same string without quotes (`flow`: inside `[...]` or
/// `{...}`, where `,` and brackets end a plain scalar). Cheap checks first, then the parser has
/// the last word, so a plain scalar is never one that means a number, a boolean, null, a mapping
/// or a comment.
pub(crate) fn plain_ok(s: &str, flow: bool) -> bool {
    let Some(first) = s.chars().next() else {
        return false;
    };
    let simple = !first.is_whitespace()
        && !s.ends_with(char::is_whitespace)
        && !s.chars().any(|c| c.is_control())
        && !"-?:,[]{}#&*!|>'\"%@`".contains(first)
        && !s.ends_with(':')
        && !s.contains(": ")
        && !s.contains(" #")
        && !(flow && s.contains([',', '[', ']', '{', '}']));
    if !simple || yaml_1_1_reads_otherwise(s) {
        return false;
    }
    let probe = if flow {
        format!("[{s}]")
    } else {
        format!("v: {s}\n")
    };
    let source = Source::new("probe.yaml", probe).with_format(Format::Yaml);
    let read = parse(&source)
        .ok()
        .and_then(|d| d.documents.into_iter().next());
    let value = match read.map(|n| n.value) {
        Some(Value::List(mut items)) if flow && items.len() == 1 => items.remove(0).value,
        Some(Value::Map(mut map)) if !flow && map.len() == 1 => match map.shift_remove("v") {
            Some(m) => m.value.value,
            None => return false,
        },
        _ => return false,
    };
    value == Value::String(s.into())
}

/// Whether a YAML 1.1 reader takes the plain scalar `s` for something other than a string,
/// although YAML 1.2, which driftwise reads, takes it for one: `yes`, `on` and `n` (booleans),
/// `012` (octal), `0b101`, `1_000`, `1:20` (sexagesimal: 80), `2026-10-01` (a date), `<<`.
/// PyYAML (and so Ansible), go-yaml v2 (and so many Kubernetes tools), Ruby and SnakeYAML read
/// YAML 1.1, so a value written plain where they read it otherwise would change what the file
/// means to them: it is quoted.
fn yaml_1_1_reads_otherwise(s: &str) -> bool {
    const WORDS: [&str; 29] = [
        "y", "Y", "yes", "Yes", "YES", "n", "N", "no", "No", "NO", "true", "True", "TRUE", "false",
        "False", "FALSE", "on", "On", "ON", "off", "Off", "OFF", "~", "null", "Null", "NULL", "",
        "<<", "=",
    ];
    if WORDS.contains(&s) {
        return true;
    }
    let b = s.strip_prefix(['-', '+']).unwrap_or(s).as_bytes();
    let all = |t: &[u8], digit: fn(&u8) -> bool| {
        t.iter().any(digit) && t.iter().all(|c| digit(c) || *c == b'_')
    };
    if let Some(t) = b.strip_prefix(b"0b") {
        return all(t, |c| matches!(c, b'0' | b'1'));
    }
    if let Some(t) = b.strip_prefix(b"0x") {
        return all(t, u8::is_ascii_hexdigit);
    }
    // `.inf`, `.NaN` and the like.
    if b.first() == Some(&b'.')
        && matches!(&b[1..], b"inf" | b"Inf" | b"INF" | b"nan" | b"NaN" | b"NAN")
    {
        return true;
    }
    // A date, alone or with a time: `2026-10-01`, `2026-10-01T09:00:00Z`, `2026-10-1 9:00:00`.
    if b.len() >= 8
        && b[..4].iter().all(u8::is_ascii_digit)
        && b[4] == b'-'
        && b[5].is_ascii_digit()
    {
        return true;
    }
    // Integers and floats in base 10 (underscores anywhere, an exponent), and sexagesimal ones
    // (`1:20`, `1:20:30.5`).
    let (number, exponent) = match b.iter().position(|&c| matches!(c, b'e' | b'E')) {
        Some(e) => (&b[..e], Some(&b[e + 1..])),
        None => (b, None),
    };
    if exponent.is_some_and(|x| {
        !all(
            x.strip_prefix(b"-").or(x.strip_prefix(b"+")).unwrap_or(x),
            u8::is_ascii_digit,
        )
    }) {
        return false;
    }
    let (whole, fraction) = match number.iter().position(|&c| c == b'.') {
        Some(dot) => (&number[..dot], Some(&number[dot + 1..])),
        None => (number, None),
    };
    if fraction.is_some_and(|f| !f.iter().all(|c| c.is_ascii_digit() || *c == b'_')) {
        return false;
    }
    let mut parts = whole.split(|&c| c == b':');
    let first = parts.next().unwrap_or_default();
    let first_ok = if fraction.is_some() && exponent.is_none() && whole.is_empty() {
        // `.5`
        number.len() > 1 && number[1..].iter().any(u8::is_ascii_digit)
    } else {
        all(first, u8::is_ascii_digit)
    };
    first_ok && parts.all(|p| matches!(p, [a] | [b'0'..=b'5', a] if a.is_ascii_digit()))
}

/// A number's text as YAML 1.1 readers take it for a number too: an exponent needs a `.` before
/// it and a sign (`1.0e+20`), or PyYAML and its kin read `1e+20` and `1.5e7` as strings. YAML
/// 1.2 reads both spellings as the same number.
pub(crate) fn yaml_number(text: String) -> String {
    let Some(e) = text.find(['e', 'E']) else {
        return text;
    };
    let (mantissa, exponent) = text.split_at(e);
    let exponent = &exponent[1..];
    let dot = if mantissa.contains('.') { "" } else { ".0" };
    let sign = if exponent.starts_with(['-', '+']) {
        ""
    } else {
        "+"
    };
    format!("{mantissa}{dot}e{sign}{exponent}")
}

/// A scalar in block style: a string plain where it reads back the same, else quoted; numbers,
/// booleans and null as YAML and JSON both write them.
pub(crate) fn yaml_scalar(value: &Value) -> String {
    yaml_scalar_in(value, false)
}

/// [`yaml_scalar`]; `flow` for inside `[...]` or `{...}`, where `,` ends a plain scalar.
pub(crate) fn yaml_scalar_in(value: &Value, flow: bool) -> String {
    match value {
        Value::String(s) if plain_ok(s, flow) => s.to_string(),
        Value::Float(f) if f.is_nan() => ".nan".into(),
        Value::Float(f) if f.is_infinite() => (if *f > 0.0 { ".inf" } else { "-.inf" }).into(),
        Value::Decimal(d) => yaml_number(d.to_string()),
        Value::Float(_) => yaml_number(value.to_json().to_string()),
        other => other.to_json().to_string(),
    }
}

/// A value in flow style: `{a: 1, b: [x, y]}`; a custom tag before the value it tags
/// (`!GetAtt [Role, Arn]`, see [`Value::custom_tag`]).
pub(crate) fn yaml_flow(value: &Value) -> String {
    if let Some((tag, inner)) = value.custom_tag() {
        return match &inner.value {
            Value::Null => tag.to_string(),
            inner => format!("{tag} {}", yaml_flow(inner)),
        };
    }
    match value {
        Value::Map(map) => {
            let members: Vec<String> = map
                .iter()
                .map(|(k, m)| format!("{}: {}", yaml_key(k), yaml_flow(&m.value.value)))
                .collect();
            format!("{{{}}}", members.join(", "))
        }
        Value::List(items) => {
            let items: Vec<String> = items.iter().map(|n| yaml_flow(&n.value)).collect();
            format!("[{}]", items.join(", "))
        }
        other => yaml_scalar_in(other, true),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Strings a YAML 1.1 reader takes for booleans, numbers, dates or null, which YAML 1.2
    /// reads as strings: written plain, they would change what a file means to PyYAML, Ansible
    /// or go-yaml v2.
    const OTHERWISE_IN_YAML_1_1: [&str; 20] = [
        "yes",
        "No",
        "on",
        "OFF",
        "y",
        "N",
        "012",
        "0b1011",
        "1_000",
        "1_000.5",
        "1:20",
        "12:30:45",
        "190:20:30.15",
        "2026-10-01",
        "2026-10-01T09:00:00Z",
        "2026-1-1 9:00:00",
        "+12",
        ".Inf",
        "<<",
        "=",
    ];

    /// Strings every YAML reader takes for strings: they stay plain.
    const STRINGS: [&str; 14] = [
        "hello",
        "v1",
        "1.2.3",
        "10.0.0.1",
        "yesterday",
        "ON_CALL",
        "abc:def",
        "12:60",
        "1a",
        "e5",
        "3e",
        "0b2",
        "0x",
        "2026-q1",
    ];

    #[test]
    fn values_yaml_1_1_reads_otherwise_are_quoted() {
        for s in OTHERWISE_IN_YAML_1_1 {
            let written = yaml_scalar(&Value::String(s.into()));
            assert_eq!(written, format!("{s:?}"), "{s}");
            assert_eq!(yaml_key(s), format!("{s:?}"), "key {s}");
        }
        for s in STRINGS {
            assert_eq!(yaml_scalar(&Value::String(s.into())), s, "{s}");
        }
    }

    /// Numbers with an exponent are written as YAML 1.1 reads numbers (a `.` and a signed
    /// exponent) and read back as the same number.
    #[test]
    fn exponents_are_written_for_yaml_1_1_readers_too() {
        for (value, written) in [
            (Value::Float(1e20), "1.0e+20"),
            (Value::Float(1.5e-7), "1.5e-7"),
            (Value::Float(3.0), "3.0"),
            (Value::number("1e400", false), "1.0e+400"),
            (Value::number("-2.5E12345", false), "-2.5e+12345"),
        ] {
            assert_eq!(yaml_scalar(&value), written);
            let doc = parse(&Source::new("t.yaml", format!("v: {written}\n"))).unwrap();
            let Value::Map(map) = &doc.documents[0].value else {
                panic!("{written}")
            };
            assert_eq!(map["v"].value.value, value, "{written}");
        }
    }

    #[test]
    fn what_is_written_reads_back_as_written() {
        for s in OTHERWISE_IN_YAML_1_1.iter().chain(&STRINGS) {
            let text = format!(
                "{}: {}\n",
                yaml_key(s),
                yaml_scalar(&Value::String((*s).into()))
            );
            let doc = parse(&Source::new("t.yaml", text.clone())).unwrap();
            let Value::Map(map) = &doc.documents[0].value else {
                panic!("{text}")
            };
            let (key, member) = map.iter().next().unwrap();
            assert_eq!(
                (key.as_str(), &member.value.value),
                (*s, &Value::String((*s).into()))
            );
        }
    }
}
