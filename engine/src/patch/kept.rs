//! The rest of a file stays as it was. The writers' check (`verify` in `text.rs`) holds each
//! planned value in the edited text; this holds every value no applied change names to what it
//! was, so an edit that spilled over (tables put in order without the section between them, a
//! line taken with its neighbour) leaves the file as it was rather than losing a value unseen.

use super::changes::Change;
use crate::pointer::{escape_segment, parent_pointer, split_pointer};
use crate::tree::{Document, Node, Value, lookup};
use std::collections::BTreeSet;

/// The first place (a pointer into the original) whose value the edited document does not hold,
/// though none of `changes` touches it; `None` when the edit changed only what they name.
pub(crate) fn disturbed(
    original: &Document,
    edited: &Document,
    stream: bool,
    changes: &[&Change<'_>],
) -> Option<String> {
    let touched = Touched::of(original, stream, changes);
    let mut place = String::new();
    if stream {
        if touched.covers("") || touched.reshaped("") {
            return None;
        }
        return items(&mut place, &original.documents, &edited.documents, &touched);
    }
    match (original.documents.first(), edited.documents.first()) {
        (Some(o), Some(e)) => walk(&mut place, o, e, &touched),
        (None, None) => None,
        _ => (!touched.covers("")).then(String::new),
    }
}

/// The places the applied changes name, and the lists whose items they add, remove or reorder
/// (whose indexes no longer pair the two documents' items).
/// Sorted, so a place's question is a few lookups however many changes a large plan holds.
struct Touched {
    places: BTreeSet<String>,
    reshaped: BTreeSet<String>,
}

impl Touched {
    fn of(original: &Document, stream: bool, changes: &[&Change<'_>]) -> Touched {
        let is_list = |pointer: &str| {
            (stream && pointer.is_empty())
                || lookup(original, stream, pointer)
                    .is_some_and(|n| matches!(n.value, Value::List(_)))
        };
        let mut reshaped = BTreeSet::new();
        for change in changes {
            match change {
                Change::Add {
                    parent, key: None, ..
                } => {
                    reshaped.insert(parent.clone());
                }
                Change::Remove { pointer, .. } => {
                    let parent = parent_pointer(pointer);
                    let last = split_pointer(pointer).pop();
                    if last.is_some_and(|t| t.parse::<usize>().is_ok()) && is_list(&parent) {
                        reshaped.insert(parent);
                    }
                }
                Change::Reorder { pointer, .. } => {
                    reshaped.insert(pointer.clone());
                }
                Change::Add { .. } | Change::Replace { .. } => {}
            }
        }
        Touched {
            places: changes.iter().map(|c| c.place()).collect(),
            reshaped,
        }
    }

    /// Whether a change names `place` or a place holding it (`place` cut at each `/`).
    fn covers(&self, place: &str) -> bool {
        self.places.contains(place)
            || place
                .match_indices('/')
                .any(|(at, _)| self.places.contains(&place[..at]))
    }

    /// Whether a change names a place inside `place`: one between `place/` and `place0`, `0`
    /// being the character after `/`.
    fn above(&self, place: &str) -> bool {
        let (from, to) = (format!("{place}/"), format!("{place}0"));
        self.places.range(from..to).next().is_some()
    }

    fn reshaped(&self, list: &str) -> bool {
        self.reshaped.contains(list)
    }
}

fn walk(place: &mut String, o: &Node, e: &Node, touched: &Touched) -> Option<String> {
    if touched.covers(place) {
        return None;
    }
    // A value no change reaches into is compared whole; one that differs is gone into, to name
    // the innermost place that does.
    if !touched.above(place) && o.value == e.value {
        return None;
    }
    match (&o.value, &e.value) {
        (Value::Map(om), Value::Map(em)) => {
            let len = place.len();
            for (key, member) in om.iter() {
                place.push('/');
                place.push_str(&escape_segment(key));
                let found = match em.get(key) {
                    Some(other) => walk(place, &member.value, &other.value, touched),
                    None => (!touched.covers(place)).then(|| place.clone()),
                };
                place.truncate(len);
                if found.is_some() {
                    return found;
                }
            }
            for (key, _) in em.iter().filter(|(k, _)| om.get(k).is_none()) {
                place.push('/');
                place.push_str(&escape_segment(key));
                let unnamed = !touched.covers(place);
                let found = unnamed.then(|| place.clone());
                place.truncate(len);
                if found.is_some() {
                    return found;
                }
            }
            None
        }
        (Value::List(ol), Value::List(el)) => {
            if touched.reshaped(place) {
                return None;
            }
            items(place, ol, el, touched)
        }
        _ => (o.value != e.value).then(|| place.clone()),
    }
}

/// A list's items, paired by index (no change added, removed or reordered any).
fn items(place: &mut String, ol: &[Node], el: &[Node], touched: &Touched) -> Option<String> {
    if ol.len() != el.len() {
        return Some(place.clone());
    }
    let len = place.len();
    for (i, (o, e)) in ol.iter().zip(el).enumerate() {
        place.push('/');
        place.push_str(&i.to_string());
        let found = walk(place, o, e, touched);
        place.truncate(len);
        if found.is_some() {
            return found;
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tree::Source;

    fn yaml(text: &str) -> Document {
        crate::parse::parse(&Source::new("f.yaml", text)).unwrap()
    }

    fn disturbed_by(before: &str, after: &str, changes: &[Change<'_>]) -> Option<String> {
        let (before, after) = (yaml(before), yaml(after));
        let stream = before.documents.len() != 1;
        let changes: Vec<&Change<'_>> = changes.iter().collect();
        disturbed(&before, &after, stream, &changes)
    }

    #[test]
    fn only_the_named_places_may_change() {
        let value = yaml("2");
        let value = &value.documents[0];
        let replace = |pointer: &str| Change::Replace {
            pointer: pointer.into(),
            old: value,
            value,
            literal: None,
        };
        let before = "a: 1\nb: {c: 1, d: [1, 2]}\n";
        // The named value changed, and nothing else: kept.
        assert_eq!(
            disturbed_by(before, "a: 2\nb: {c: 1, d: [1, 2]}\n", &[replace("/a")]),
            None
        );
        // A value beside it changed, went or came: the first such place.
        let cases = [
            ("a: 2\nb: {c: 2, d: [1, 2]}\n", "/b/c"),
            ("a: 2\nb: {d: [1, 2]}\n", "/b/c"),
            ("a: 2\nb: {c: 1, d: [1, 2], e: 1}\n", "/b/e"),
            ("a: 2\nb: {c: 1, d: [1, 3]}\n", "/b/d/1"),
            ("a: 2\nb: {c: 1, d: [1]}\n", "/b/d"),
            ("a: 2\n", "/b"),
        ];
        for (after, place) in cases {
            assert_eq!(
                disturbed_by(before, after, &[replace("/a")]).as_deref(),
                Some(place),
                "{after}"
            );
        }
        // Inside a named place anything goes; a list's items are paired by index unless a change
        // adds, removes or reorders them.
        assert_eq!(
            disturbed_by(before, "a: 1\nb: {c: 1, d: [1, 9]}\n", &[replace("/b/d/1")]),
            None
        );
        assert_eq!(
            disturbed_by(before, "a: 1\nb: {c: 1, d: [9, 2]}\n", &[replace("/b/d/1")]).as_deref(),
            Some("/b/d/0")
        );
        let removed = Change::Remove {
            pointer: "/b/d/0".into(),
            old: value,
        };
        assert_eq!(
            disturbed_by(before, "a: 1\nb: {c: 1, d: [2]}\n", &[removed]),
            None
        );
        let removed = Change::Remove {
            pointer: "/b/d/0".into(),
            old: value,
        };
        assert_eq!(
            disturbed_by(before, "a: 1\nb: {c: 3, d: [2]}\n", &[removed]).as_deref(),
            Some("/b/c")
        );
        let added = Change::Add {
            parent: "/b".into(),
            key: Some("e".into()),
            index: None,
            rank: 0,
            value,
        };
        assert_eq!(
            disturbed_by(before, "a: 1\nb: {c: 1, d: [1, 2], e: 2}\n", &[added]),
            None
        );
    }

    #[test]
    fn a_streams_documents_are_paired_unless_one_comes_or_goes() {
        let value = yaml("2");
        let value = &value.documents[0];
        let replace = Change::Replace {
            pointer: "/0/a".into(),
            old: value,
            value,
            literal: None,
        };
        let before = "a: 1\n---\nb: 1\n";
        assert_eq!(
            disturbed_by(before, "a: 2\n---\nb: 1\n", std::slice::from_ref(&replace)),
            None
        );
        assert_eq!(
            disturbed_by(before, "a: 2\n---\nb: 2\n", std::slice::from_ref(&replace)).as_deref(),
            Some("/1/b")
        );
        let removed = Change::Remove {
            pointer: "/1".into(),
            old: value,
        };
        assert_eq!(disturbed_by(before, "a: 1\n", &[removed]), None);
    }
}
