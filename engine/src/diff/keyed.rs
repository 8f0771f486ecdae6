//! One document's values with the paths the diff would give them: the JSON Pointer, and the keyed
//! path where list items matched by identity are named (`/spec/containers[name=web]/image`). Rules
//! written against keyed paths (secrets, say) then apply to a file's values as they apply to
//! findings.

use super::AlignOptions;
use super::lists::{Scheme, list_scheme};
use crate::pointer::push_segment;
use crate::tree::{Document, Node, Value};

/// A value and where it is.
pub(crate) struct Place<'n> {
    pub(crate) pointer: String,
    pub(crate) keyed: String,
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
    visit: &mut impl FnMut(&Place<'n>) -> bool,
) {
    match doc.documents.as_slice() {
        [] => {}
        [root] => {
            let label = super::lists::object_label(root);
            let place = Place {
                pointer: String::new(),
                keyed: label.as_ref().map(|l| format!("[{l}]")).unwrap_or_default(),
                node: root,
                parent: None,
                key: None,
                named_item: label.is_some(),
                names_item: false,
            };
            let naming = if label.is_some() {
                super::lists::Scheme::Kubernetes.fields()
            } else {
                Vec::new()
            };
            node(root, place, &naming, options, visit);
        }
        documents => items(documents, String::new(), String::new(), options, visit),
    }
}

/// Visits `n` at `place`, then what is inside it. `naming` holds the fields, as dotted paths from
/// `n`, that name the list item `n` is or is in.
fn node<'n>(
    n: &'n Node,
    place: Place<'n>,
    naming: &[String],
    options: &AlignOptions,
    visit: &mut impl FnMut(&Place<'n>) -> bool,
) {
    if !visit(&place) {
        return;
    }
    match &n.value {
        Value::Map(map) => {
            for (k, member) in map {
                let (mut pointer, mut keyed) = (place.pointer.clone(), place.keyed.clone());
                push_segment(&mut pointer, k);
                push_segment(&mut keyed, k);
                let inner: Vec<String> = naming
                    .iter()
                    .filter_map(|f| f.strip_prefix(k.as_str())?.strip_prefix('.'))
                    .map(str::to_string)
                    .collect();
                let child = Place {
                    pointer,
                    keyed,
                    node: &member.value,
                    parent: Some(n),
                    key: Some(k),
                    named_item: false,
                    names_item: naming.iter().any(|f| f == k),
                };
                node(&member.value, child, &inner, options, visit);
            }
        }
        Value::List(list) => items(list, place.pointer, place.keyed, options, visit),
        _ => {}
    }
}

fn items<'n>(
    list: &'n [Node],
    pointer: String,
    keyed: String,
    options: &AlignOptions,
    visit: &mut impl FnMut(&Place<'n>) -> bool,
) {
    let scheme: Option<Scheme<'_>> = list_scheme(list, &keyed, options);
    let fields = scheme.map(|s| s.fields()).unwrap_or_default();
    for (i, item) in list.iter().enumerate() {
        let mut item_pointer = pointer.clone();
        push_segment(&mut item_pointer, &i.to_string());
        let mut item_keyed = keyed.clone();
        match scheme {
            Some(s) => {
                item_keyed.push('[');
                item_keyed.push_str(&s.label(item));
                item_keyed.push(']');
            }
            None => push_segment(&mut item_keyed, &i.to_string()),
        }
        let place = Place {
            pointer: item_pointer,
            keyed: item_keyed,
            node: item,
            parent: None,
            key: None,
            named_item: scheme.is_some(),
            names_item: false,
        };
        // The fields that name the item are marked, so rules can leave them alone.
        node(item, place, &fields, options, visit);
    }
}
