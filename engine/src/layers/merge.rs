//! The merge rules, as Helm applies values files: maps merge key by key, scalars and lists
//! replace, `null` deletes the key it overrides, a map meeting a non-map is a conflict unless the
//! policy says `replace` there, and lists the policy marks `identity` merge item by item. Beside
//! the merged tree it keeps who set what ([`Owned`]), so every value can name its layer.

use super::super::diff::{AlignOptions, identity_keys};
use crate::pattern::Pattern;
use crate::pointer::push_segment;
use crate::policy::MergeStrategy;
use crate::span::TextRange;
use crate::tree::{Node, Value, ValueType};
use indexmap::IndexMap;

/// Which layer set a value of the merged tree, and, inside it, which layers set what.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Owned {
    /// The layer (its place in the environment's stack) that set this value, or for a merged
    /// map or list, the one that first put it there.
    pub(crate) layer: usize,
    pub(crate) children: Children,
    /// For an item of a list merged by identity: its index in each layer's list that has it.
    pub(crate) positions: Vec<(usize, usize)>,
}

/// Who set the values inside a merged map or list.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Children {
    /// Everything inside came with the value, from its layer, at the same places.
    Whole,
    Map(IndexMap<String, Owned>),
    List(Vec<Owned>),
}

impl Owned {
    pub(crate) fn whole(layer: usize) -> Owned {
        Owned {
            layer,
            children: Children::Whole,
            positions: Vec::new(),
        }
    }

    /// The children of a map, one per member, made explicit before a later layer changes some.
    fn map_children(&mut self, keys: impl Iterator<Item = String>) -> &mut IndexMap<String, Owned> {
        if !matches!(self.children, Children::Map(_)) {
            let layer = self.layer;
            self.children = Children::Map(keys.map(|k| (k, Owned::whole(layer))).collect());
        }
        match &mut self.children {
            Children::Map(map) => map,
            _ => unreachable!("made a map just above"),
        }
    }

    fn list_children(&mut self, len: usize) -> &mut Vec<Owned> {
        if !matches!(self.children, Children::List(_)) {
            let layer = self.layer;
            self.children = Children::List(
                (0..len)
                    .map(|i| Owned {
                        positions: vec![(layer, i)],
                        ..Owned::whole(layer)
                    })
                    .collect(),
            );
        }
        match &mut self.children {
            Children::List(list) => list,
            _ => unreachable!("made a list just above"),
        }
    }

    /// The owners along `segments`, from this value down to the deepest one recorded.
    pub(crate) fn chain<'o>(&'o self, segments: &[String]) -> Vec<&'o Owned> {
        let mut chain = vec![self];
        let mut at = self;
        for segment in segments {
            let next = match &at.children {
                Children::Whole => None,
                Children::Map(map) => map.get(segment),
                Children::List(list) => segment.parse::<usize>().ok().and_then(|i| list.get(i)),
            };
            match next {
                Some(n) => {
                    chain.push(n);
                    at = n;
                }
                None => break,
            }
        }
        chain
    }

    /// The layer that set the value at `segments` (a pointer's, unescaped).
    pub(crate) fn layer_at(&self, segments: &[String]) -> usize {
        self.chain(segments).last().map_or(self.layer, |o| o.layer)
    }

    /// Where the value at `segments` of the merged tree is in `layer`'s own file: the same
    /// segments, except list indexes of items merged by identity, which are that layer's. `None`
    /// when the layer has no such item.
    pub(crate) fn pointer_in(&self, segments: &[String], layer: usize) -> Option<Vec<String>> {
        let chain = self.chain(segments);
        let mut out = Vec::with_capacity(segments.len());
        for (i, segment) in segments.iter().enumerate() {
            // `chain[i + 1]` is the owner of the value `segment` leads to, when recorded.
            match chain.get(i + 1) {
                Some(o) if !o.positions.is_empty() => {
                    let (_, index) = o.positions.iter().find(|(l, _)| *l == layer)?;
                    out.push(index.to_string());
                }
                _ => out.push(segment.clone()),
            }
        }
        Some(out)
    }
}

/// How the policy says layers merge, and how lists are identified.
pub(crate) struct Rules<'p> {
    pub(crate) merge: &'p IndexMap<Pattern, MergeStrategy>,
    pub(crate) align: &'p AlignOptions,
}

impl Rules<'_> {
    fn strategy(&self, path: &str) -> Option<MergeStrategy> {
        self.merge
            .iter()
            .find(|(pattern, _)| pattern.matches_exactly(path))
            .map(|(_, s)| *s)
    }
}

/// Why two layers do not merge.
#[derive(Debug, PartialEq)]
pub(crate) enum Clash {
    /// A map in one layer, something else in the next (or the other way round).
    Types {
        pointer: String,
        lower_layer: usize,
        lower: TextRange,
        lower_type: ValueType,
        upper: TextRange,
        upper_type: ValueType,
    },
    /// `merge: identity` on lists whose items have no identity.
    NoIdentity { pointer: String, upper: TextRange },
}

/// Who set a value `layer` wrote whole: that layer, unless nulls were taken out of it, which
/// makes it no longer the text the layer holds.
fn written(layer: usize, before: &Node, after: &Node) -> Owned {
    let mut own = Owned::whole(layer);
    if before != after {
        own.children = Children::Map(IndexMap::new());
    }
    own
}

/// The value `layer` writes, without the `null`s that only delete what earlier layers set.
pub(crate) fn without_nulls(node: &Node) -> Node {
    match &node.value {
        Value::Map(map) => {
            let mut kept = map.clone();
            kept.retain(|_, m| !matches!(m.value.value, Value::Null));
            for m in kept.values_mut() {
                m.value = without_nulls(&m.value);
            }
            Node {
                value: Value::Map(kept),
                span: node.span,
            }
        }
        Value::List(items) => Node {
            value: Value::list(items.iter().map(without_nulls).collect()),
            span: node.span,
        },
        _ => node.clone(),
    }
}

/// Merges `upper` (layer `layer`'s value at `path`) into `lower`, the value the layers before it
/// made, recording who set what in `own`.
pub(crate) fn merge(
    lower: &mut Node,
    own: &mut Owned,
    upper: &Node,
    layer: usize,
    path: &mut String,
    rules: &Rules<'_>,
) -> Result<(), Box<Clash>> {
    let strategy = rules.strategy(path);
    if strategy == Some(MergeStrategy::Replace) {
        *lower = without_nulls(upper);
        *own = Owned {
            positions: std::mem::take(&mut own.positions),
            ..written(layer, upper, lower)
        };
        return Ok(());
    }
    // A tagged value (CloudFormation's `!Sub x`, kept as `{"!Sub": x}`) is one value: an upper
    // layer's replaces it whole, tag and all, rather than merging into it key by key.
    let tagged = lower.value.custom_tag().is_some() || upper.value.custom_tag().is_some();
    match (&mut lower.value, &upper.value) {
        (Value::Map(lower_map), Value::Map(upper_map)) if !tagged => {
            let children = own.map_children(lower_map.keys().map(|k| k.to_string()));
            for (key, member) in upper_map.iter() {
                if matches!(member.value.value, Value::Null) {
                    lower_map.shift_remove(key);
                    children.shift_remove(key.as_str());
                    continue;
                }
                let len = path.len();
                push_segment(path, key);
                match (lower_map.get_mut(key), children.get_mut(key.as_str())) {
                    (Some(existing), Some(owner)) => {
                        merge(
                            &mut existing.value,
                            owner,
                            &member.value,
                            layer,
                            path,
                            rules,
                        )?;
                        // A value set anew is named at this layer's key.
                        if owner.layer == layer && matches!(owner.children, Children::Whole) {
                            existing.key_span = member.key_span;
                        }
                    }
                    _ => {
                        let mut added = member.clone();
                        added.value = without_nulls(&member.value);
                        children
                            .insert(key.to_string(), written(layer, &member.value, &added.value));
                        lower_map.insert(key.clone(), added);
                    }
                }
                path.truncate(len);
            }
            Ok(())
        }
        (Value::List(lower_items), Value::List(upper_items))
            if strategy == Some(MergeStrategy::Identity) =>
        {
            let Some((mut lower_keys, upper_keys, _)) =
                identity_keys(lower_items, upper_items, path, rules.align)
            else {
                return Err(Box::new(Clash::NoIdentity {
                    pointer: path.clone(),
                    upper: upper.span,
                }));
            };
            let children = own.list_children(lower_items.len());
            for (index, (item, key)) in upper_items.iter().zip(upper_keys).enumerate() {
                match lower_keys.iter().position(|k| *k == key) {
                    Some(at) => {
                        let len = path.len();
                        push_segment(path, &at.to_string());
                        merge(
                            &mut lower_items[at],
                            &mut children[at],
                            item,
                            layer,
                            path,
                            rules,
                        )?;
                        path.truncate(len);
                        children[at].positions.retain(|(l, _)| *l != layer);
                        children[at].positions.push((layer, index));
                    }
                    None => {
                        let added = without_nulls(item);
                        children.push(Owned {
                            positions: vec![(layer, index)],
                            ..written(layer, item, &added)
                        });
                        lower_items.push(added);
                        lower_keys.push(key);
                    }
                }
            }
            Ok(())
        }
        (l, u) if is_map(l) != is_map(u) && !matches!(l, Value::Null) => {
            Err(Box::new(Clash::Types {
                pointer: path.clone(),
                lower_layer: own.layer,
                lower: lower.span,
                lower_type: l.value_type(),
                upper: upper.span,
                upper_type: u.value_type(),
            }))
        }
        _ => {
            *lower = without_nulls(upper);
            *own = Owned {
                positions: std::mem::take(&mut own.positions),
                ..written(layer, upper, lower)
            };
            Ok(())
        }
    }
}

/// A map that merges (not a tagged value, which replaces like a scalar).
fn is_map(value: &Value) -> bool {
    matches!(value, Value::Map(_)) && value.custom_tag().is_none()
}
