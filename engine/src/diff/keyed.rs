//! One document's values with the paths the diff would give them: the JSON Pointer, and the keyed
//! path where list items matched by identity are named (`/spec/containers[name=web]/image`). Rules
//! written against keyed paths (secrets, say) then apply to a file's values as they apply to
//! findings.

use super::AlignOptions;
use super::lists::{Scheme, list_scheme};
use crate::pointer::{push_index, push_segment};
use crate::tree::{Document, Node, Value};

/// A value and where it is. The paths borrow the walk's buffers: copy them to keep them.
pub(crate) struct Place<'n, 'p> {
    pub(crate) pointer: &'p str,
    pub(crate) keyed: &'p str,
    pub(crate) node: &'n Node,
    /// The map the value is a member of, when it is one.
    pub(crate) parent: Option<&'n Node>,
    /// The value's key in that map.
    pub(crate) key: Option<&'n str>,
    /// An item of a list matched by identity (its keyed path names it by those fields).
    pub(crate) named_item: bool,
    /// A field that names its list item (`name` of `[name=web]`): shown in every keyed path.
    pub(crate) names_item: bool,
}

/// Calls `visit` on every value of `doc`, parents first; `visit` returns whether to go inside.
/// A stream's documents are items of a list at the root, as the diff compares them; a file that
/// is one Kubernetes object is named as a stream's document would be, so `[kind=Secret]/data`
/// rules apply to it as to a stream (and `/data` to both).
pub(crate) fn walk<'n>(
    doc: &'n Document,
    options: &AlignOptions,
    visit: &mut impl FnMut(&Place<'n, '_>) -> bool,
) {
    // Both paths grow and shrink in two buffers as the walk goes down and up: this runs over every
    // value of every file, and a pair of new strings per value cost more than the visit itself.
    let mut walker = Walker {
        pointer: String::new(),
        keyed: String::new(),
        options,
        visit,
    };
    match doc.documents.as_slice() {
        [] => {}
        [root] => {
            let label = super::lists::object_label(root);
            if let Some(label) = &label {
                walker.keyed.push('[');
                walker.keyed.push_str(label);
                walker.keyed.push(']');
            }
            let naming = if label.is_some() {
                super::lists::Scheme::Kubernetes.fields()
            } else {
                Vec::new()
            };
            let at = At {
                parent: None,
                key: None,
                named_item: label.is_some(),
                names_item: false,
            };
            walker.node(root, at, &naming);
        }
        documents => walker.items(documents),
    }
}

/// What a place is besides its paths.
struct At<'n> {
    parent: Option<&'n Node>,
    key: Option<&'n str>,
    named_item: bool,
    names_item: bool,
}

struct Walker<'o, 'v, V> {
    pointer: String,
    keyed: String,
    options: &'o AlignOptions,
    visit: &'v mut V,
}

impl<'n, V: FnMut(&Place<'n, '_>) -> bool> Walker<'_, '_, V> {
    /// Visits `n` at the buffers' place, then what is inside it. `naming` holds the fields, as
    /// dotted paths from `n`, that name the list item `n` is or is in.
    fn node(&mut self, n: &'n Node, at: At<'n>, naming: &[String]) {
        let place = Place {
            pointer: &self.pointer,
            keyed: &self.keyed,
            node: n,
            parent: at.parent,
            key: at.key,
            named_item: at.named_item,
            names_item: at.names_item,
        };
        if !(self.visit)(&place) {
            return;
        }
        match &n.value {
            Value::Map(map) => {
                for (k, member) in map.iter() {
                    let marks = (self.pointer.len(), self.keyed.len());
                    push_segment(&mut self.pointer, k);
                    push_segment(&mut self.keyed, k);
                    // Most members are inside no named item: no fields, nothing to collect.
                    let inner: Vec<String> = if naming.is_empty() {
                        Vec::new()
                    } else {
                        naming
                            .iter()
                            .filter_map(|f| f.strip_prefix(k.as_str())?.strip_prefix('.'))
                            .map(str::to_string)
                            .collect()
                    };
                    let at = At {
                        parent: Some(n),
                        key: Some(k),
                        named_item: false,
                        names_item: naming.iter().any(|f| f == k),
                    };
                    self.node(&member.value, at, &inner);
                    self.pointer.truncate(marks.0);
                    self.keyed.truncate(marks.1);
                }
            }
            Value::List(list) => self.items(list),
            _ => {}
        }
    }

    fn items(&mut self, list: &'n [Node]) {
        let scheme: Option<Scheme<'_>> = list_scheme(list, &self.keyed, self.options);
        let fields = scheme.map(|s| s.fields()).unwrap_or_default();
        for (i, item) in list.iter().enumerate() {
            let marks = (self.pointer.len(), self.keyed.len());
            push_index(&mut self.pointer, i);
            match scheme {
                Some(s) => {
                    self.keyed.push('[');
                    s.push_label(item, &mut self.keyed);
                    self.keyed.push(']');
                }
                None => push_index(&mut self.keyed, i),
            }
            let at = At {
                parent: None,
                key: None,
                named_item: scheme.is_some(),
                names_item: false,
            };
            // The fields that name the item are marked, so rules can leave them alone.
            self.node(item, at, &fields);
            self.pointer.truncate(marks.0);
            self.keyed.truncate(marks.1);
        }
    }
}
