//! Path patterns for policy rules: JSON Pointers where `*` stands for one segment, `**` for any number
//! of segments, and `[name=web]` names an identity-matched list item, as keyed paths do.
//!
//! A pattern matches a finding when it matches the finding's path or one of its ancestors, so a rule
//! for `/metadata/annotations` covers every annotation. A finding's pointer (`/spec/containers/0`) and
//! its keyed path (`/spec/containers[name=web]`) are both tried.

use crate::error::{Error, ErrorKind, Result};
use crate::pointer::unescape_segment;
use serde::{Deserialize, Serialize};

/// A path pattern (`/spec/containers/*/image`, `/**/password`, `[kind=Deployment]/spec`).
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Pattern {
    text: String,
    segments: Vec<Token>,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
enum Token {
    Literal(String),
    One,
    Any,
}

impl Pattern {
    /// Reads a pattern; it must start with `/` (a JSON Pointer) or `[` (a document selector).
    pub fn parse(text: &str) -> Result<Pattern> {
        if !text.is_empty() && !text.starts_with('/') && !text.starts_with('[') {
            return Err(Error::new(
                ErrorKind::Usage,
                format!("path pattern '{text}' must start with '/' (a JSON Pointer)"),
            ));
        }
        let segments = split_keyed(text)
            .into_iter()
            .map(|s| match s.as_str() {
                "*" => Token::One,
                "**" => Token::Any,
                _ => Token::Literal(s),
            })
            .collect();
        Ok(Pattern {
            text: text.to_string(),
            segments,
        })
    }

    /// The pattern as written.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// Whether the pattern matches `path` (a pointer or keyed path) or one of its ancestors.
    pub fn matches_path(&self, path: &str) -> bool {
        let segments = split_keyed(path);
        matches_prefix(&self.segments, &segments)
    }

    /// Whether the pattern matches exactly this path (not an ancestor): for rules about containers
    /// themselves, such as identity keys and sets.
    pub fn matches_exactly(&self, path: &str) -> bool {
        let segments = split_keyed(path);
        matches_exact(&self.segments, &segments)
    }

    /// [`matches_exactly`](Self::matches_exactly) for a path already split into unescaped
    /// segments, for callers walking a tree that keep the segments as they go.
    pub fn matches_segments(&self, segments: &[String]) -> bool {
        matches_exact(&self.segments, segments)
    }
}

impl TryFrom<String> for Pattern {
    type Error = Error;
    fn try_from(s: String) -> Result<Pattern> {
        Pattern::parse(&s)
    }
}

impl From<Pattern> for String {
    fn from(p: Pattern) -> String {
        p.text
    }
}

/// Splits a pointer or keyed path into unescaped segments, with each `[key=value]` item selector a
/// segment of its own: `/a/b[name=x]/c` → `a`, `b`, `[name=x]`, `c`.
fn split_keyed(path: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = path;
    while !rest.is_empty() {
        if let Some(after) = rest.strip_prefix('[') {
            let end = after.find(']').map_or(after.len(), |i| i + 1);
            out.push(format!("[{}", &after[..end]));
            rest = &after[end..];
            continue;
        }
        let body = rest.strip_prefix('/').unwrap_or(rest);
        let end = body.find(['/', '[']).unwrap_or(body.len());
        out.push(unescape_segment(&body[..end]).into_owned());
        rest = &body[end..];
    }
    out
}

fn matches_prefix(pattern: &[Token], path: &[String]) -> bool {
    match pattern.split_first() {
        None => true,
        Some((Token::Any, rest)) => {
            (0..=path.len()).any(|skip| matches_prefix(rest, &path[skip..]))
        }
        Some((token, rest)) => match path.split_first() {
            Some((seg, tail)) => token_matches(token, seg) && matches_prefix(rest, tail),
            None => false,
        },
    }
}

fn matches_exact(pattern: &[Token], path: &[String]) -> bool {
    match pattern.split_first() {
        None => path.is_empty(),
        Some((Token::Any, rest)) => (0..=path.len()).any(|skip| matches_exact(rest, &path[skip..])),
        Some((token, rest)) => match path.split_first() {
            Some((seg, tail)) => token_matches(token, seg) && matches_exact(rest, tail),
            None => false,
        },
    }
}

fn token_matches(token: &Token, segment: &str) -> bool {
    match token {
        Token::One | Token::Any => true,
        Token::Literal(l) => l == segment,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(p: &str, path: &str) -> bool {
        Pattern::parse(p).unwrap().matches_path(path)
    }

    #[test]
    fn literal_wildcard_and_deep_patterns() {
        assert!(m("/database/host", "/database/host"));
        assert!(
            m("/database", "/database/host"),
            "ancestors cover their subtree"
        );
        assert!(!m("/database/host", "/database"));
        assert!(!m("/database/host", "/database/hostname"));
        assert!(m("/*/host", "/database/host"));
        assert!(!m("/*/host", "/a/b/host"));
        assert!(m("/**/host", "/a/b/host"));
        assert!(m("/**", "/anything"));
        assert!(m("/a/**/c", "/a/c"));
        assert!(m("/a/**/c", "/a/x/y/c/d"));
        assert!(!m("/a/**/c", "/a/x/y"));
    }

    #[test]
    fn selectors_match_keyed_items_and_escapes_are_honoured() {
        assert!(m(
            "/spec/containers[name=web]/image",
            "/spec/containers[name=web]/image"
        ));
        assert!(!m(
            "/spec/containers[name=web]/image",
            "/spec/containers[name=db]/image"
        ));
        assert!(m(
            "/spec/containers/*/image",
            "/spec/containers[name=db]/image"
        ));
        assert!(m("/spec/containers/*/image", "/spec/containers/0/image"));
        assert!(m(
            "[kind=Deployment,name=web]/spec/replicas",
            "[kind=Deployment,name=web]/spec/replicas"
        ));
        assert!(m(
            "/**/spec/replicas",
            "[kind=Deployment,name=web]/spec/replicas"
        ));
        assert!(m("/paths/~1api", "/paths/~1api/timeout"));
        assert!(Pattern::parse("database/host").is_err());
        assert!(Pattern::parse("/a/*").unwrap().matches_exactly("/a/b"));
        assert!(!Pattern::parse("/a").unwrap().matches_exactly("/a/b"));
    }
}
