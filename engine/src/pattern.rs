//! Path patterns for policy rules: JSON Pointers where `*` stands for one segment, `**` for any number
//! of segments, and `[name=web]` names an identity-matched list item, as keyed paths do.
//!
//! A pattern matches a finding when it matches the finding's path or one of its ancestors, so a rule
//! for `/metadata/annotations` covers every annotation. A finding's pointer (`/spec/containers/0`) and
//! its keyed path (`/spec/containers[name=web]`) are both tried.
//!
//! One model for every rule kind: a pattern that does not start with a document selector applies
//! inside every document of a stream (`/spec/replicas` matches
//! `[kind=Deployment,namespace=shop,name=web]/spec/replicas` and `/0/spec/replicas`), as well as to
//! a single-document file; a selector matches an item whose own selector has every `key=value` it
//! names (`[kind=Deployment]` matches `[kind=Deployment,namespace=shop,name=web]`; `*` as a value
//! matches any).

use crate::error::{Error, ErrorKind, Result};
use crate::pointer::unescape_segment;
use serde::{Deserialize, Serialize};

/// The longest pattern read: far beyond any real path, short enough that a hostile policy cannot
/// make matching slow.
const MAX_PATTERN_BYTES: usize = 4096;

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
        if text.len() > MAX_PATTERN_BYTES {
            return Err(Error::new(
                ErrorKind::Usage,
                format!(
                    "path pattern '{}...' is {} bytes long; patterns are limited to {MAX_PATTERN_BYTES}",
                    text.chars().take(40).collect::<String>(),
                    text.len()
                ),
            ));
        }
        let mut segments: Vec<Token> = Vec::new();
        for s in split_keyed(text) {
            let token = match s.as_str() {
                "*" => Token::One,
                "**" => Token::Any,
                _ => Token::Literal(s),
            };
            // `/**/**` means what `/**` means.
            if !(token == Token::Any && segments.last() == Some(&Token::Any)) {
                segments.push(token);
            }
        }
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
        self.matches_split_path(&split_keyed(path))
    }

    /// [`matches_path`](Self::matches_path) for a path already split by [`split_keyed`], for
    /// callers that try many patterns on one path.
    pub(crate) fn matches_split_path(&self, segments: &[String]) -> bool {
        matches_prefix(&self.segments, segments)
            || (self.document_relative()
                && is_document(segments)
                && matches_prefix(&self.segments, &segments[1..]))
    }

    /// Whether the pattern is written from inside a document: it starts with a key, not a
    /// document selector, an index or a wildcard.
    fn document_relative(&self) -> bool {
        match self.segments.first() {
            Some(Token::Literal(l)) => !l.starts_with('[') && l.parse::<usize>().is_err(),
            _ => false,
        }
    }

    /// Whether the pattern matches exactly this path (not an ancestor): for rules about containers
    /// themselves, such as identity keys and sets.
    pub fn matches_exactly(&self, path: &str) -> bool {
        self.matches_segments(&split_keyed(path))
    }

    /// [`matches_exactly`](Self::matches_exactly) for a path already split into unescaped
    /// segments, for callers walking a tree that keep the segments as they go.
    pub fn matches_segments(&self, segments: &[String]) -> bool {
        matches_exact(&self.segments, segments)
            || (self.document_relative()
                && is_document(segments)
                && matches_exact(&self.segments, &segments[1..]))
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
/// segment of its own: `/a/b[name=x]/c` → `a`, `b`, `[name=x]`, `c`. A `[` that does not open a
/// well-formed selector is part of its key, so a key such as `owner[` or `ports[0]` is one
/// segment, as in a plain JSON Pointer.
pub(crate) fn split_keyed(path: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = path;
    while !rest.is_empty() {
        if let Some(len) = selector_len(rest) {
            out.push(rest[..len].to_string());
            rest = &rest[len..];
            continue;
        }
        let body = rest.strip_prefix('/').unwrap_or(rest);
        let mut end = body.len();
        for (i, b) in body.bytes().enumerate() {
            if b == b'/' || (b == b'[' && i > 0 && selector_len(&body[i..]).is_some()) {
                end = i;
                break;
            }
        }
        out.push(unescape_segment(&body[..end]).into_owned());
        rest = &body[end..];
    }
    out
}

/// The length of the item selector `text` starts with (`[name=web]`, `[kind=Deployment,name=a]`):
/// a `[`, a field name, `=`, up to the first `]`, which ends the path or comes before `/` or
/// another selector.
fn selector_len(text: &str) -> Option<usize> {
    let inner = text.strip_prefix('[')?;
    let close = inner.find(']')?;
    let selector = &inner[..close];
    let named = selector.find('=').is_some_and(|eq| eq > 0);
    let after = &inner[close + 1..];
    (named && (after.is_empty() || after.starts_with('/') || after.starts_with('[')))
        .then_some(close + 2)
}

fn matches_prefix(pattern: &[Token], path: &[String]) -> bool {
    matched_prefixes(pattern, path).into_iter().any(|m| m)
}

fn matches_exact(pattern: &[Token], path: &[String]) -> bool {
    // Without `**` a pattern matches paths of its own length only: most paths are turned away
    // here (validation asks every rule at every value).
    if pattern.len() != path.len() && !pattern.iter().any(|t| matches!(t, Token::Any)) {
        return false;
    }
    matched_prefixes(pattern, path)
        .last()
        .copied()
        .unwrap_or(false)
}

/// Which leading parts of `path` the whole pattern matches: entry `j` is whether it matches the
/// first `j` segments. One pass per token over the path, so time is pattern × path length
/// whatever the pattern (no backtracking to blow up on `/**/**/**/...`).
fn matched_prefixes(pattern: &[Token], path: &[String]) -> Vec<bool> {
    let mut matched = vec![false; path.len() + 1];
    let mut next = vec![false; path.len() + 1];
    matched[0] = true;
    for token in pattern {
        match token {
            Token::Any => {
                let mut any = false;
                for (j, m) in matched.iter().enumerate() {
                    any |= *m;
                    next[j] = any;
                }
            }
            _ => {
                next[0] = false;
                for j in 1..=path.len() {
                    next[j] = matched[j - 1] && token_matches(token, &path[j - 1]);
                }
            }
        }
        std::mem::swap(&mut matched, &mut next);
        // Nothing matched stays so whatever the tokens left.
        if !matched.contains(&true) {
            break;
        }
    }
    matched
}

/// Whether a path's first segment may be a document of a stream (or an item of a top-level list):
/// a selector or an index.
fn is_document(segments: &[String]) -> bool {
    segments
        .first()
        .is_some_and(|s| s.starts_with('[') || s.parse::<usize>().is_ok())
}

fn token_matches(token: &Token, segment: &str) -> bool {
    match token {
        Token::One | Token::Any => true,
        // A key may itself start with `[` (`[default]`): the same text always matches.
        Token::Literal(l) if l == segment => true,
        Token::Literal(l) if l.starts_with('[') && segment.starts_with('[') => {
            selector_within(l, segment)
        }
        Token::Literal(_) => false,
    }
}

/// Whether every `key=value` of the pattern's selector is in the path's (`*` matches any value).
fn selector_within(pattern: &str, segment: &str) -> bool {
    let pairs = |s: &str| -> Vec<(String, String)> {
        s.trim_start_matches('[')
            .trim_end_matches(']')
            .split(',')
            .filter_map(|kv| kv.split_once('='))
            .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
            .collect()
    };
    let have = pairs(segment);
    let want = pairs(pattern);
    !want.is_empty()
        && want
            .iter()
            .all(|(k, v)| have.iter().any(|(hk, hv)| hk == k && (v == "*" || hv == v)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(p: &str, path: &str) -> bool {
        Pattern::parse(p).unwrap().matches_path(path)
    }

    /// The plain recursive reading of the same rules, to check the one-pass matcher against.
    fn reference(pattern: &[Token], path: &[String], exact: bool) -> bool {
        match pattern.split_first() {
            None => !exact || path.is_empty(),
            Some((Token::Any, rest)) => {
                (0..=path.len()).any(|skip| reference(rest, &path[skip..], exact))
            }
            Some((token, rest)) => match path.split_first() {
                Some((seg, tail)) => token_matches(token, seg) && reference(rest, tail, exact),
                None => false,
            },
        }
    }

    proptest::proptest! {
        #[test]
        fn the_one_pass_matcher_agrees_with_the_recursive_rules(
            pattern in proptest::collection::vec(
                proptest::prop_oneof!["a", "b", "\\*", "\\*\\*"], 0..7),
            path in proptest::collection::vec(proptest::prop_oneof!["a", "b", "c"], 0..7),
        ) {
            let text = format!("/{}", pattern.join("/"));
            let compiled = Pattern::parse(&text).unwrap();
            proptest::prop_assert_eq!(
                matches_exact(&compiled.segments, &path),
                reference(&compiled.segments, &path, true)
            );
            proptest::prop_assert_eq!(
                matches_prefix(&compiled.segments, &path),
                reference(&compiled.segments, &path, false)
            );
        }
    }

    #[test]
    fn hostile_patterns_are_refused_or_matched_without_blowing_up() {
        let huge = format!("/{}", "a".repeat(10_000_000));
        let err = Pattern::parse(&huge).unwrap_err().to_string();
        assert!(err.contains("10000001 bytes long"), "{err}");
        assert!(err.contains("limited to 4096"), "{err}");
        // Backtracking would take 2^n steps (or the stack) here.
        let stars = format!("{}/x", "/**/y".repeat(800));
        let deep = "/y".repeat(3000);
        assert!(!m(&stars, &deep));
        assert!(m(&stars, &format!("{deep}/x")));
    }

    /// Found by the accept fuzz target: a rule written for the key `owne[` matched nothing, since
    /// every `[` was read as a selector.
    #[test]
    fn a_bracket_opens_a_selector_only_where_one_is_well_formed() {
        let split = |p: &str| split_keyed(p);
        assert_eq!(split("/owne["), ["owne["]);
        assert_eq!(split("/ports[0]/x"), ["ports[0]", "x"]);
        assert_eq!(split("/a[b]c[name=x]"), ["a[b]c", "[name=x]"]);
        assert_eq!(split("/a[=x]"), ["a[=x]"]);
        assert_eq!(split("/a[name=x]tail"), ["a[name=x]tail"]);
        assert_eq!(split("/a/[name=x]"), ["a", "[name=x]"]);
        assert_eq!(
            split("[kind=Deployment,name=web]/spec/containers[name=a/b][k=v]/image"),
            [
                "[kind=Deployment,name=web]",
                "spec",
                "containers",
                "[name=a/b]",
                "[k=v]",
                "image"
            ]
        );
        assert!(m("/owne[", "/owne["));
        assert!(m("/[default]/x", "/[default]/x/y"));
        assert!(!m("/owne[", "/owne"));
        assert!(m("/ports[0]", "/ports[0]/x"));
        assert!(m(
            "/spec/containers[name=web]",
            "/spec/containers[name=web]/image"
        ));
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
        // Inside every document of a stream, as in a single file.
        assert!(m(
            "/spec/replicas",
            "[kind=Deployment,name=web]/spec/replicas"
        ));
        assert!(m("/spec/replicas", "/1/spec/replicas"));
        assert!(m(
            "/spec/template/spec/containers/*/image",
            "[kind=Deployment,namespace=shop,name=web]/spec/template/spec/containers[name=web]/image"
        ));
        assert!(!m(
            "/spec/replicas",
            "[kind=Deployment,name=web]/status/replicas"
        ));
        assert!(!m("/0/spec", "/1/0/spec"), "an index is not a key");
        // A selector names what it cares about.
        assert!(m(
            "[kind=Deployment]/spec",
            "[kind=Deployment,namespace=shop,name=web]/spec/x"
        ));
        assert!(m("[kind=Deployment,name=*]", "[kind=Deployment,name=web]"));
        assert!(!m("[kind=Service]/spec", "[kind=Deployment,name=web]/spec"));
        assert!(!m(
            "[kind=Deployment,name=db]",
            "[kind=Deployment,name=web]"
        ));
        assert!(
            Pattern::parse("/spec/containers")
                .unwrap()
                .matches_exactly("[kind=Deployment,name=web]/spec/containers")
        );
        assert!(Pattern::parse("database/host").is_err());
        assert!(Pattern::parse("/a/*").unwrap().matches_exactly("/a/b"));
        assert!(!Pattern::parse("/a").unwrap().matches_exactly("/a/b"));
    }
}
