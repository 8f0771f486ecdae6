//! Turning an expression's text into tokens with their byte offsets.

use super::ast::ExprError;
use std::fmt;

#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Tok {
    Int(i64),
    Float(f64),
    Str(String),
    Ident(String),
    Punct(&'static str),
}

impl fmt::Display for Tok {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Tok::Int(i) => write!(f, "number {i}"),
            Tok::Float(x) => write!(f, "number {x}"),
            Tok::Str(s) => write!(f, "string {s:?}"),
            Tok::Ident(s) => write!(f, "'{s}'"),
            Tok::Punct(p) => write!(f, "'{p}'"),
        }
    }
}

const PUNCT: [&str; 22] = [
    "&&", "||", "==", "!=", "<=", ">=", "<", ">", "!", "+", "-", "*", "/", "%", "(", ")", "[", "]",
    ".", ",", "?", ":",
];

pub(crate) fn lex(text: &str) -> Result<Vec<(Tok, usize)>, ExprError> {
    let bytes = text.as_bytes();
    let mut tokens = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let c = bytes[i];
        if c.is_ascii_whitespace() {
            i += 1;
        } else if c.is_ascii_digit() {
            let start = i;
            while i < bytes.len() && (bytes[i].is_ascii_digit() || bytes[i] == b'_') {
                i += 1;
            }
            let mut float = false;
            if i + 1 < bytes.len() && bytes[i] == b'.' && bytes[i + 1].is_ascii_digit() {
                float = true;
                i += 1;
                while i < bytes.len() && bytes[i].is_ascii_digit() {
                    i += 1;
                }
            }
            // An exponent (`1e29`, `2.5E-3`) makes a double, as in CEL.
            let sign = usize::from(matches!(bytes.get(i + 1), Some(b'+' | b'-')));
            if matches!(bytes.get(i), Some(b'e' | b'E'))
                && bytes.get(i + 1 + sign).is_some_and(u8::is_ascii_digit)
            {
                float = true;
                i += 1 + sign;
                while i < bytes.len() && bytes[i].is_ascii_digit() {
                    i += 1;
                }
            }
            let digits = text[start..i].replace('_', "");
            let tok = if float {
                digits.parse().map(Tok::Float).ok()
            } else {
                digits.parse().map(Tok::Int).ok()
            };
            let tok = tok.ok_or_else(|| ExprError {
                offset: start,
                message: format!("number {digits} is out of range"),
            })?;
            tokens.push((tok, start));
        } else if c == b'"' || c == b'\'' {
            let start = i;
            i += 1;
            let mut s = String::new();
            loop {
                let Some(ch) = text[i..].chars().next() else {
                    return Err(ExprError {
                        offset: start,
                        message: "unclosed string".into(),
                    });
                };
                i += ch.len_utf8();
                if ch as u32 == c as u32 {
                    break;
                }
                if ch == '\\' {
                    let Some(esc) = text[i..].chars().next() else {
                        continue;
                    };
                    i += esc.len_utf8();
                    s.push(match esc {
                        'n' => '\n',
                        't' => '\t',
                        other => other,
                    });
                } else {
                    s.push(ch);
                }
            }
            tokens.push((Tok::Str(s), start));
        } else if c.is_ascii_alphabetic() || c == b'_' {
            let start = i;
            while i < bytes.len() && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'_') {
                i += 1;
            }
            tokens.push((Tok::Ident(text[start..i].to_string()), start));
        } else if let Some(p) = PUNCT.iter().find(|p| text[i..].starts_with(**p)) {
            tokens.push((Tok::Punct(p), i));
            i += p.len();
        } else {
            let ch = text[i..].chars().next().unwrap_or('?');
            return Err(ExprError {
                offset: i,
                message: format!("unexpected character '{ch}'"),
            });
        }
    }
    Ok(tokens)
}
