//! Values a YAML file holds in one place and uses in several: an anchor (`&defaults`) read again
//! through aliases (`*defaults`) or merge keys (`<<: *defaults`). The tree holds a copy at each
//! place, every copy with the anchor's spans, so an edit made at one place's span would change
//! every place that shares it.

use super::changes::lookup;
use crate::span::TextRange;
use crate::tree::{Document, Format, Node, Value};
use std::collections::HashMap;

/// The places of a file whose values share their text with another place.
#[derive(Default)]
pub(crate) struct SharedAnchors {
    places: HashMap<TextRange, Vec<String>>,
}

impl SharedAnchors {
    /// The shared places of `doc` (read from `text`). Only YAML has aliases, and a text without
    /// an anchor and something that reads as an alias has none, so most files cost nothing.
    pub(crate) fn of(text: &str, doc: &Document, stream: bool) -> SharedAnchors {
        if doc.format != Format::Yaml || !may_have_aliases(text) {
            return SharedAnchors::default();
        }
        let mut places: HashMap<TextRange, Vec<String>> = HashMap::new();
        for (i, root) in doc.documents.iter().enumerate() {
            let mut pointer = if stream {
                format!("/{i}")
            } else {
                String::new()
            };
            if stream || i == 0 {
                collect(root, &mut pointer, &mut places);
            }
        }
        places.retain(|_, pointers| {
            pointers
                .iter()
                .any(|p| pointers.iter().any(|q| !nested(p, q)))
        });
        SharedAnchors { places }
    }

    /// Another place that shares the value at `pointer` (or, for an addition, the container at
    /// `pointer`), when one does.
    pub(crate) fn shared_with(
        &self,
        doc: &Document,
        stream: bool,
        pointer: &str,
    ) -> Option<String> {
        if self.places.is_empty() {
            return None;
        }
        let node = lookup(doc, stream, pointer)?;
        if let Some(other) = self
            .places
            .get(&node.span)
            .and_then(|places| places.iter().find(|other| !nested(other, pointer)))
        {
            return Some(other.clone());
        }
        // A map merged into others (`<<: *defaults`) has a span of its own, but its members are
        // read in each map merging it, under the same keys: a member added to it shows there too.
        let Value::Map(members) = &node.value else {
            return None;
        };
        let own =
            |span: TextRange| node.span.start() <= span.start() && span.end() <= node.span.end();
        members.iter().find_map(|(key, member)| {
            // A merging map's merged members are the anchor's text, not its own.
            if !own(member.value.span) {
                return None;
            }
            let key = crate::pointer::escape_segment(key);
            self.places
                .get(&member.value.span)?
                .iter()
                .find_map(|other| {
                    let (parent, last) = other.rsplit_once('/')?;
                    (last == key && !nested(parent, pointer)).then(|| parent.to_string())
                })
        })
    }

    /// Every other place that shares the value at `pointer` (a replaced value's place).
    pub(crate) fn sharers(&self, doc: &Document, stream: bool, pointer: &str) -> Vec<String> {
        let Some(places) = lookup(doc, stream, pointer).and_then(|n| self.places.get(&n.span))
        else {
            return Vec::new();
        };
        places
            .iter()
            .filter(|other| !nested(other, pointer))
            .cloned()
            .collect()
    }
}

/// Whether `text` may hold an alias: an `&` (an anchor), and a `*` where a node starts (after
/// a blank, `[`, `{` or `,`, or at a line's start) followed by a name. A `*` inside a scalar
/// (`'*.example.com'`, `a*b`) is not one; a rare false alarm only costs a walk of the tree.
pub(crate) fn may_have_aliases(text: &str) -> bool {
    let bytes = text.as_bytes();
    bytes.contains(&b'&')
        && bytes.iter().enumerate().any(|(i, &b)| {
            b == b'*'
                && (i == 0 || matches!(bytes[i - 1], b' ' | b'\t' | b'\n' | b'[' | b'{' | b','))
                && bytes
                    .get(i + 1)
                    .is_some_and(|n| !n.is_ascii_whitespace() && !matches!(n, b',' | b']' | b'}'))
        })
}

/// Every node by its span. An empty value's span is empty, and an alias of it has that same
/// empty span: an edit there (`help: |` given its text) changes both.
fn collect(node: &Node, pointer: &mut String, places: &mut HashMap<TextRange, Vec<String>>) {
    places.entry(node.span).or_default().push(pointer.clone());
    let mark = pointer.len();
    match &node.value {
        Value::Map(map) => {
            for (key, member) in map.iter() {
                pointer.push('/');
                pointer.push_str(&crate::pointer::escape_segment(key));
                collect(&member.value, pointer, places);
                pointer.truncate(mark);
            }
        }
        Value::List(items) => {
            for (i, item) in items.iter().enumerate() {
                pointer.push('/');
                pointer.push_str(&i.to_string());
                collect(item, pointer, places);
                pointer.truncate(mark);
            }
        }
        _ => {}
    }
}

/// Whether one pointer is the other or inside it: a list and its only item may share a span
/// (an indentless sequence's span starts at its first item), which is no sharing.
fn nested(a: &str, b: &str) -> bool {
    let inside = |inner: &str, outer: &str| {
        inner == outer || (inner.starts_with(outer) && inner[outer.len()..].starts_with('/'))
    };
    inside(a, b) || inside(b, a)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tree::Source;

    fn shared(text: &str, pointer: &str) -> Option<String> {
        let doc = crate::parse(&Source::new("f.yaml", text)).unwrap();
        SharedAnchors::of(text, &doc, false).shared_with(&doc, false, pointer)
    }

    #[test]
    fn values_read_through_aliases_and_merges_are_shared() {
        let text = "defaults: &d\n  log: {level: info}\n  retries: 3\napi:\n  <<: *d\n  port: 80\nworker: *d\n";
        assert_eq!(
            shared(text, "/api/log/level").as_deref(),
            Some("/defaults/log/level")
        );
        assert_eq!(
            shared(text, "/defaults/retries").as_deref(),
            Some("/api/retries")
        );
        assert_eq!(shared(text, "/worker").as_deref(), Some("/defaults"));
        // The merging map's own keys, and the map itself, are its own.
        assert_eq!(shared(text, "/api/port"), None);
        assert_eq!(shared(text, "/api"), None);
        // A member added to a merged map would show in the maps merging it.
        assert_eq!(
            shared("d: &d\n  retries: 3\napi:\n  <<: *d\n  port: 80\n", "/d").as_deref(),
            Some("/api")
        );
        assert_eq!(shared("a:\n- x\nb: 1\n", "/a/0"), None);
        // An empty value is shared too: its alias has the same empty span.
        assert_eq!(
            shared("d: &d\n  h: |\n  k: 1\nu: *d\n", "/u/h").as_deref(),
            Some("/d/h")
        );
        assert_eq!(shared("a: 1 # no * here\n", "/a"), None);
        assert!(!may_have_aliases("host: '*.example.com'\nx: a&b\n"));
        assert!(!may_have_aliases("a: &x 1\nb: 2 * 3\n"));
        assert!(may_have_aliases("a: &x 1\nb: *x\nc: [*x]\n"));
    }
}
