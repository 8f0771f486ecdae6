//! List alignment. Named things (containers, ports, env vars, Kubernetes objects) are matched by
//! identity so that inserting one item does not report every later item as changed; other lists are
//! aligned with a minimal edit script (Myers LCS over structural fingerprints).

use super::fingerprint::fingerprint;
use super::{Differ, leaves};
use crate::path::push_segment;
use crate::report::{Kind, Side};
use crate::tree::{Node, Value};
use similar::{Algorithm, DiffOp, capture_diff_slices};
use std::collections::HashMap;

/// Whether a change of order is itself a finding. Documents in a YAML stream carry no order meaning.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Order {
    Matters,
    Ignored,
}

/// Beyond this many cells (base length x env length), an LCS could take seconds on pathological input;
/// such lists are compared position by position instead.
const MAX_ALIGN_CELLS: usize = 25_000_000;

/// Fields tried, in order, as the identity of list items.
const IDENTITY_FIELDS: [&str; 3] = ["name", "key", "id"];

/// An item's identity: what it is matched by, and how the keyed path names it.
struct Ident {
    key: String,
    label: String,
}

impl Differ<'_> {
    pub(super) fn lists(
        &mut self,
        base: &[Node],
        env: &[Node],
        parents: Option<(&Node, &Node)>,
        order: Order,
    ) {
        match identities(base, env) {
            Some((base_ids, env_ids)) => {
                self.keyed_lists(base, env, &base_ids, &env_ids, parents, order)
            }
            None => self.aligned_lists(base, env, parents, order),
        }
    }

    fn keyed_lists(
        &mut self,
        base: &[Node],
        env: &[Node],
        base_ids: &[Ident],
        env_ids: &[Ident],
        parents: Option<(&Node, &Node)>,
        order: Order,
    ) {
        let env_at: HashMap<&str, usize> = env_ids
            .iter()
            .enumerate()
            .map(|(i, id)| (id.key.as_str(), i))
            .collect();
        let base_at: HashMap<&str, usize> = base_ids
            .iter()
            .enumerate()
            .map(|(i, id)| (id.key.as_str(), i))
            .collect();
        for (bi, id) in base_ids.iter().enumerate() {
            let mark = self.mark();
            push_segment(&mut self.base_ptr, &bi.to_string());
            self.keyed.push_str(&format!("[{}]", id.label));
            match env_at.get(id.key.as_str()) {
                Some(&ei) => {
                    push_segment(&mut self.env_ptr, &ei.to_string());
                    self.node(&base[bi], &env[ei], None, None);
                }
                None => self.one_sided(Kind::Removed, &base[bi], None),
            }
            self.reset(mark);
        }
        for (ei, id) in env_ids.iter().enumerate() {
            if !base_at.contains_key(id.key.as_str()) {
                let mark = self.mark();
                push_segment(&mut self.env_ptr, &ei.to_string());
                self.keyed.push_str(&format!("[{}]", id.label));
                self.one_sided(Kind::Added, &env[ei], None);
                self.reset(mark);
            }
        }
        if let (Order::Matters, Some((base_list, env_list))) = (order, parents) {
            let base_order: Vec<&str> = base_ids
                .iter()
                .filter(|id| env_at.contains_key(id.key.as_str()))
                .map(|id| id.label.as_str())
                .collect();
            let env_order: Vec<&str> = env_ids
                .iter()
                .filter(|id| base_at.contains_key(id.key.as_str()))
                .map(|id| id.label.as_str())
                .collect();
            if base_order != env_order {
                self.reordered(base_list, env_list, base_order.into(), env_order.into());
            }
        }
    }

    fn aligned_lists(
        &mut self,
        base: &[Node],
        env: &[Node],
        parents: Option<(&Node, &Node)>,
        order: Order,
    ) {
        let base_fp: Vec<u64> = base.iter().map(fingerprint).collect();
        let env_fp: Vec<u64> = env.iter().map(fingerprint).collect();
        if base_fp == env_fp || base.len().saturating_mul(env.len()) > MAX_ALIGN_CELLS {
            let common = base.len().min(env.len());
            for i in 0..common {
                self.pair(base, env, i, i);
            }
            self.tail(base, env, common);
            return;
        }
        let mut base_sorted = base_fp.clone();
        let mut env_sorted = env_fp.clone();
        base_sorted.sort_unstable();
        env_sorted.sort_unstable();
        if base_sorted == env_sorted {
            self.compared += base.iter().map(leaves).sum::<usize>();
            if let (Order::Matters, Some((base_list, env_list))) = (order, parents) {
                self.reordered(
                    base_list,
                    env_list,
                    base_list.value.to_json(),
                    env_list.value.to_json(),
                );
            }
            return;
        }
        for op in canonical_alignment(&base_fp, &env_fp) {
            match op {
                DiffOp::Equal {
                    old_index,
                    new_index,
                    len,
                } => {
                    for k in 0..len {
                        self.pair(base, env, old_index + k, new_index + k);
                    }
                }
                DiffOp::Delete {
                    old_index, old_len, ..
                } => {
                    self.items(
                        Kind::Removed,
                        &base[old_index..old_index + old_len],
                        old_index,
                    );
                }
                DiffOp::Insert {
                    new_index, new_len, ..
                } => {
                    self.items(Kind::Added, &env[new_index..new_index + new_len], new_index);
                }
                DiffOp::Replace {
                    old_index,
                    old_len,
                    new_index,
                    new_len,
                } => {
                    let common = old_len.min(new_len);
                    for k in 0..common {
                        self.pair(base, env, old_index + k, new_index + k);
                    }
                    self.items(
                        Kind::Removed,
                        &base[old_index + common..old_index + old_len],
                        old_index + common,
                    );
                    self.items(
                        Kind::Added,
                        &env[new_index + common..new_index + new_len],
                        new_index + common,
                    );
                }
            }
        }
    }

    /// Items past the shorter list's end, in a positional comparison.
    fn tail(&mut self, base: &[Node], env: &[Node], common: usize) {
        self.items(Kind::Removed, &base[common.min(base.len())..], common);
        self.items(Kind::Added, &env[common.min(env.len())..], common);
    }

    /// A run of items on one side only, the first at index `first` on that side.
    fn items(&mut self, kind: Kind, nodes: &[Node], first: usize) {
        for (k, node) in nodes.iter().enumerate() {
            self.item(kind, node, first + k);
        }
    }

    /// Two items aligned with each other, compared in depth.
    fn pair(&mut self, base: &[Node], env: &[Node], bi: usize, ei: usize) {
        let mark = self.mark();
        let b = bi.to_string();
        push_segment(&mut self.base_ptr, &b);
        push_segment(&mut self.env_ptr, &ei.to_string());
        push_segment(&mut self.keyed, &b);
        if base[bi].value == env[ei].value {
            self.compared += leaves(&base[bi]);
        } else {
            self.node(&base[bi], &env[ei], None, None);
        }
        self.reset(mark);
    }

    /// An item on one side only, named by its index on that side.
    fn item(&mut self, kind: Kind, node: &Node, index: usize) {
        let mark = self.mark();
        let i = index.to_string();
        let own_ptr = if kind == Kind::Removed {
            &mut self.base_ptr
        } else {
            &mut self.env_ptr
        };
        push_segment(own_ptr, &i);
        push_segment(&mut self.keyed, &i);
        self.one_sided(kind, node, None);
        self.reset(mark);
    }

    fn reordered(
        &mut self,
        base_list: &Node,
        env_list: &Node,
        base_order: serde_json::Value,
        env_order: serde_json::Value,
    ) {
        let side = |file: &str, path: &str, node: &Node, value| Side {
            file: file.to_string(),
            path: path.to_string(),
            span: node.span,
            key_span: None,
            value_type: node.value.value_type(),
            value,
        };
        let base = side(self.base_file, &self.base_ptr, base_list, base_order);
        let env = side(self.env_file, &self.env_ptr, env_list, env_order);
        self.findings.push(crate::report::Finding {
            environment: self.environment.to_string(),
            kind: Kind::Reordered,
            path: self.base_ptr.clone(),
            keyed_path: self.keyed.clone(),
            base: Some(base),
            env: Some(env),
        });
    }
}

/// An edit script that does not depend on which side is the base. A sequence pair often has several
/// minimal scripts (`[null, null]` → `[false, null]` is one replacement or a delete plus an insert),
/// and Myers picks by direction; running it in one fixed direction and mirroring the ops makes
/// `diff(b, a)` the exact mirror of `diff(a, b)`.
fn canonical_alignment(base: &[u64], env: &[u64]) -> Vec<DiffOp> {
    if base <= env {
        return capture_diff_slices(Algorithm::Myers, base, env);
    }
    capture_diff_slices(Algorithm::Myers, env, base)
        .into_iter()
        .map(|op| match op {
            DiffOp::Equal {
                old_index,
                new_index,
                len,
            } => DiffOp::Equal {
                old_index: new_index,
                new_index: old_index,
                len,
            },
            DiffOp::Delete {
                old_index,
                old_len,
                new_index,
            } => DiffOp::Insert {
                old_index: new_index,
                new_index: old_index,
                new_len: old_len,
            },
            DiffOp::Insert {
                old_index,
                new_index,
                new_len,
            } => DiffOp::Delete {
                old_index: new_index,
                old_len: new_len,
                new_index: old_index,
            },
            DiffOp::Replace {
                old_index,
                old_len,
                new_index,
                new_len,
            } => DiffOp::Replace {
                old_index: new_index,
                old_len: new_len,
                new_index: old_index,
                new_len: old_len,
            },
        })
        .collect()
}

/// The first identity scheme every item on both sides has, unique within each side.
fn identities(base: &[Node], env: &[Node]) -> Option<(Vec<Ident>, Vec<Ident>)> {
    if base.is_empty() && env.is_empty() {
        return None;
    }
    let schemes: [&IdentityScheme; 4] = [
        &kubernetes_identity,
        &|n| field_identity(n, IDENTITY_FIELDS[0]),
        &|n| field_identity(n, IDENTITY_FIELDS[1]),
        &|n| field_identity(n, IDENTITY_FIELDS[2]),
    ];
    schemes.iter().find_map(|scheme| {
        let base_ids = unique_ids(base, scheme)?;
        let env_ids = unique_ids(env, scheme)?;
        Some((base_ids, env_ids))
    })
}

type IdentityScheme = dyn Fn(&Node) -> Option<Ident>;

fn unique_ids(items: &[Node], scheme: &IdentityScheme) -> Option<Vec<Ident>> {
    let ids: Vec<Ident> = items.iter().map(scheme).collect::<Option<_>>()?;
    let mut seen = std::collections::HashSet::with_capacity(ids.len());
    ids.iter()
        .all(|id| seen.insert(id.key.as_str()))
        .then_some(ids)
}

fn field_identity(node: &Node, field: &str) -> Option<Ident> {
    let Value::Map(map) = &node.value else {
        return None;
    };
    let text = match &map.get(field)?.value.value {
        Value::String(s) => s.clone(),
        v @ (Value::Int(_) | Value::Float(_) | Value::Bool(_)) => v.to_json().to_string(),
        _ => return None,
    };
    Some(Ident {
        label: format!("{field}={text}"),
        key: text,
    })
}

/// Kubernetes objects are the same object when apiVersion, kind, namespace and name agree.
fn kubernetes_identity(node: &Node) -> Option<Ident> {
    let Value::Map(map) = &node.value else {
        return None;
    };
    let text = |m: &crate::tree::Map, k: &str| match m.get(k).map(|m| &m.value.value) {
        Some(Value::String(s)) => Some(s.clone()),
        _ => None,
    };
    let api_version = text(map, "apiVersion")?;
    let kind = text(map, "kind")?;
    let Value::Map(metadata) = &map.get("metadata")?.value.value else {
        return None;
    };
    let name = text(metadata, "name")?;
    let namespace = text(metadata, "namespace");
    let label = match &namespace {
        Some(ns) => format!("kind={kind},namespace={ns},name={name}"),
        None => format!("kind={kind},name={name}"),
    };
    let key = format!(
        "{api_version}\0{kind}\0{}\0{name}",
        namespace.unwrap_or_default()
    );
    Some(Ident { key, label })
}
