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
/// A stream's documents are items of a list at the root, as the diff compares them.
pub(crate) fn walk<'n>(
    doc: &'n Document,
    options: &AlignOptions,
    visit: &mut impl FnMut(&Place<'n>) -> bool,
) {
    match doc.documents.as_slice() {
        [] => {}
        [root] => node(root, Place::root(root), options, visit),
        documents => items(documents, String::new(), String::new(), options, visit),
    }
}

impl<'n> Place<'n> {
    fn root(node: &'n Node) -> Place<'n> {
        Place {
            pointer: String::new(),
            keyed: String::new(),
            node,
            parent: None,
            key: None,
            named_item: false,
            names_item: false,
        }
    }
}

fn node<'n>(
    n: &'n Node,
    place: Place<'n>,
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
                let child = Place {
                    pointer,
                    keyed,
                    node: &member.value,
                    parent: Some(n),
                    key: Some(k),
                    named_item: false,
                    names_item: false,
                };
                node(&member.value, child, options, visit);
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
        if scheme.is_none() {
            node(item, place, options, visit);
            continue;
        }
        // The fields that name the item are marked, so rules can leave them alone.
        if !visit(&place) {
            continue;
        }
        let Value::Map(map) = &item.value else {
            continue;
        };
        for (k, member) in map {
            let (mut p, mut kp) = (place.pointer.clone(), place.keyed.clone());
            push_segment(&mut p, k);
            push_segment(&mut kp, k);
            let names = fields
                .iter()
                .any(|f| f == k || f.starts_with(&format!("{k}.")));
            let child = Place {
                pointer: p,
                keyed: kp,
                node: &member.value,
                parent: Some(item),
                key: Some(k),
                named_item: false,
                names_item: names,
            };
            node(&member.value, child, options, visit);
        }
    }
}
